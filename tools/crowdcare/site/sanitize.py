"""HTML sanitizing after Markdown rendering, with nh3 (Ammonia). bleach is deprecated (ARCHITECTURE.md, Facts).

Python-Markdown passes raw HTML, attr_list attributes and javascript: links straight through; everything that
reaches a reader from kb/ or ideas/ goes through ``sanitize_html`` after rendering.
"""

from __future__ import annotations

import copy
import re

import nh3

# Our own structure uses these; everything else a user could add with attr_list is dropped.
_ALLOWED_CLASS = re.compile(
    r"^(?:cc-[a-z0-9-]+|md-button(?:--primary)?|admonition|note|warning|tip|danger|info|"
    r"question|example|quote|abstract|success|failure|bug|admonition-title|headerlink|"
    r"highlight|language-[a-z0-9+#-]+|codehilite|footnote[a-z-]*|toclink|"
    r"[a-z]{1,3}|linenos|filename|tabbed-[a-z-]+|task-list[a-z-]*|twemoji|emojione)$"
)
# Material's own elements use ids like __config, __search and __drawer: a user id there hijacks the page.
_ALLOWED_ID = re.compile(r"^(?!__)[A-Za-z][A-Za-z0-9_:.-]{0,80}$")

_TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map"} | {
    "details",
    "summary",
    "span",
    "div",
    "sup",
    "sub",
    "kbd",
    "mark",
    "del",
    "ins",
}
_ATTRIBUTES = copy.deepcopy(nh3.ALLOWED_ATTRIBUTES)
for _tag in _TAGS:
    _ATTRIBUTES.setdefault(_tag, set()).update({"class", "id", "title"})
_ATTRIBUTES["a"].update({"href", "title"})
_ATTRIBUTES["img"].update({"src", "alt", "width", "height", "loading"})
_ATTRIBUTES["details"].add("open")
_ATTRIBUTES.setdefault("td", set()).add("align")
_ATTRIBUTES.setdefault("th", set()).add("align")
_URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "id":
        return value if _ALLOWED_ID.match(value) else None
    if attr == "class":
        kept = [c for c in value.split() if _ALLOWED_CLASS.match(c)]
        return " ".join(kept) or None
    return value


def sanitize_html(html: str) -> str:
    """Remove every script, handler, dangerous URL, frame, form, style, meta and base from ``html``."""
    result: str = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "template",
            "noscript",
            "textarea",
            "select",
        },
        attributes=_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )
    return result
