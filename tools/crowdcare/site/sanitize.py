"""HTML sanitizing after Markdown rendering, with nh3 (Ammonia). bleach is deprecated (ARCHITECTURE.md, Facts).

Python-Markdown passes raw HTML, attr_list attributes and javascript: links straight through; everything that
reaches a reader from kb/ or ideas/ goes through ``sanitize_html`` after rendering.
"""

from __future__ import annotations

import copy
import html
import re
from html.parser import HTMLParser

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


_SCHEME = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")


class _ImageFinder(HTMLParser):
    """Where the <img> start tags of sanitized HTML are, and what they load (HTMLParser reads quoted attributes
    as a browser does: ``alt="a>b"`` is one attribute, where a regular expression would stop at the ``>``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, str, str]] = []  # line, column, start tag text, src, alt

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = {name: value or "" for name, value in attrs}
            line, column = self.getpos()
            tag_text = self.get_starttag_text() or ""
            self.found.append((line, column, tag_text, values.get("src", ""), values.get("alt", "")))

    handle_startendtag = handle_starttag


def images_to_links(sanitized: str) -> str:
    """Every image that would load from another host becomes a link to it: a page view fetches nothing from
    anywhere a user chose (reference-style images, brackets or ``>`` in alt text included)."""
    finder = _ImageFinder()
    finder.feed(sanitized)
    finder.close()
    starts = [0]
    for text_line in sanitized.splitlines(keepends=True):
        starts.append(starts[-1] + len(text_line))
    result = sanitized
    for line, column, start_tag, src, alt in reversed(finder.found):
        if not _SCHEME.match(src):
            continue  # a page-relative image of the site itself
        offset = starts[line - 1] + column
        label = html.escape(f"image: {alt}" if alt.strip() else "image", quote=False)
        link = f'<a href="{html.escape(src, quote=True)}" rel="noopener noreferrer nofollow ugc">{label}</a>'
        result = result[:offset] + link + result[offset + len(start_tag) :]
    return result
