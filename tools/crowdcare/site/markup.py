"""Building blocks for generated Markdown: escaping user text, relative links, badges, pagination.

Everything a user wrote goes through ``inline``, or, as a block, through ``user_html``: rendered and sanitized on
its own and placed as one closed HTML block, so nothing in it can reach past its end (an unclosed ``<div>``,
``<textarea>`` or code fence used to swallow the answer and credits that follow) and the page's Markdown holds no
live user HTML for whatever renders it (``crowdcare pages --out``). Structure (links, badges) is ours.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import markdown
import yaml

from crowdcare.core.i18n import tr
from crowdcare.core.model import IdeaStatus, PersonRef, Role, SolutionStatus
from crowdcare.core.settings import DEFAULT_BADGES, Badge, Config
from crowdcare.core.text import close_open_fence, inline, one_line, slug_from_title, strip_bad_chars
from crowdcare.site import blocks
from crowdcare.site.sanitize import images_to_links, sanitize_html

T = TypeVar("T")


def plain_title(text: str) -> str:
    """A title for page metadata, which themes print into <title> unescaped: no markup characters at all."""
    text = one_line(text)
    return re.sub(r"[<>&\"'`{}\[\]\\]", "", text)[:150] or tr("Untitled")


# The same list as markdown_extensions in mkdocs.yml (tests/site/test_probe.py keeps them equal).
EXTENSIONS = [
    "admonition",
    "attr_list",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
]


@functools.cache
def _user_markdown() -> markdown.Markdown:
    """Built once, on first use: making one costs a millisecond a page, and commands that render nothing (intake,
    respond) import this module."""
    return markdown.Markdown(extensions=EXTENSIONS)


def user_html(text: str, element: str = "div") -> str:
    """User Markdown rendered as the site renders it, sanitized, images made links, as one closed HTML block;
    inside ``blocks.deferring()``, a placeholder for it (the site plugin renders blocks in other processes)."""
    deferred = blocks.current()
    if deferred is not None:
        return deferred.placeholder(text, element)
    return rendered_block(text, element)


def rendered_block(text: str, element: str) -> str:
    source = close_open_fence(strip_bad_chars(text).strip("\n"))
    rendered = images_to_links(sanitize_html(_user_markdown().reset().convert(source)))
    return f'<{element} class="cc-user">\n{rendered}\n</{element}>'


def rendered_blocks(texts: list[tuple[str, str]]) -> list[str]:
    """Blocks (text, element) rendered as ``user_html`` renders them: what the plugin's worker processes run."""
    return [rendered_block(text, element) for text, element in texts]


def block(text: str) -> str:
    """User Markdown placed as a block of the page (see ``user_html``)."""
    return user_html(text)


def quote(text: str) -> str:
    """User text as a blockquote (see ``user_html``)."""
    return user_html(text, "blockquote")


# libyaml's emitter where PyYAML has it: five times faster (a page each; 10,000 solutions: 4.6 s -> 0.8 s). It wraps
# long quoted strings at other places than PyYAML's own, and reads back the same.
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(title: str, **extra: object) -> str:
    """Page metadata. ``extra`` is ours, never user text (for example the redirect of a tombstone)."""
    meta = {"title": plain_title(title), **extra}
    return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=False, sort_keys=True) + "---\n\n"


def page_url(target: str, here: str) -> str:
    """The relative URL from page ``here`` to page ``target`` as MkDocs publishes them (directory URLs)."""

    def folder(path: str) -> str:
        stem = path.removesuffix(".md")
        stem = stem.removesuffix("index").rstrip("/")
        return stem + "/" if stem else ""

    return relative(folder(target) + "index.md", folder(here) + "index.md").removesuffix("index.md") or "./"


def link(text: str, target: str, here: str) -> str:
    """A Markdown link from page ``here`` to page ``target`` (both docs-relative .md paths), text escaped."""
    return f"[{inline(text)}]({relative(target, here)})"


def relative(target: str, here: str) -> str:
    """``target`` as seen from page ``here``; both are normalised docs-relative paths (posixpath.relpath does
    the same with a filesystem's generality, and was a third of page generation time)."""
    source = here.split("/")[:-1]
    dest = target.split("/")
    common = 0
    while common < len(source) and common < len(dest) - 1 and source[common] == dest[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + dest[common:])


def external(text: str, url: str) -> str:
    """A link to a URL that passed the schema's https pattern (no spaces, quotes or angle brackets)."""
    return f"[{inline(text)}](<{url}>)"


def html_link(text: str, url: str, css: str = "") -> str:
    """A raw HTML link to an absolute URL, for blocks of external links: Python-Markdown stashes raw HTML
    blocks instead of running its inline patterns over them, which made a list of ten threads three times
    cheaper to render. The sanitizer still checks the result."""
    klass = f' class="{css}"' if css else ""
    return f'<a{klass} href="{html.escape(url, quote=True)}">{html.escape(text, quote=False)}</a>'


_THREAD = re.compile(r"^https://github\.com/[^/]+/[^/]+/(discussions|issues|pull)/(\d+)(?:[/?#].*)?$")


def thread_label(url: str) -> str:
    """'Discussion #104' for a GitHub thread URL; the URL itself for anything else."""
    match = _THREAD.match(url)
    if match is None:
        return url
    number = match.group(2)
    kind = match.group(1)
    if kind == "discussions":
        return tr("Discussion #{number}", number=number)
    if kind == "issues":
        return tr("Issue #{number}", number=number)
    return tr("Pull request #{number}", number=number)


def thread_order(url: str) -> tuple[int, str]:
    """Sort key that puts Discussion #35 before Discussion #104."""
    match = _THREAD.match(url)
    return (int(match.group(2)) if match else 0, url)


def person_path(person: PersonRef) -> str:
    return f"people/{slug_from_title(person.login, fallback='someone')}.md"


def person_link(person: PersonRef, config: Config, here: str) -> str:
    mark = f" {staff_mark()}" if config.is_staff(person) else ""
    return link("@" + person.login, person_path(person), here) + mark


def staff_mark() -> str:
    return f'<span class="cc-staff" title="{tr("Staff member")}">{tr("Staff")}</span>'


def _solution_badges() -> dict[SolutionStatus, tuple[str, str, str]]:
    return {
        SolutionStatus.OFFICIAL: ("official", tr("Official answer"), tr("answered or endorsed by staff")),
        SolutionStatus.ACCEPTED: ("accepted", tr("Accepted answer"), tr("accepted by the asker or the community")),
        SolutionStatus.COMMUNITY: (
            "community",
            tr("Community answer"),
            tr("suggested by the community, not yet accepted"),
        ),
        SolutionStatus.DRAFT: ("draft", tr("Draft"), tr("being written")),
        SolutionStatus.SUPERSEDED: ("superseded", tr("Superseded"), tr("replaced by a newer solution")),
    }


def role_label(role: Role) -> str:
    """What a contributor did, as the site says it: "answerer"."""
    return {
        Role.ASKER: tr("asker"),
        Role.ANSWERER: tr("answerer"),
        Role.ACCEPTER: tr("accepter"),
        Role.EDITOR: tr("editor"),
        Role.FINDER: tr("finder"),
        Role.PROMOTER: tr("promoter"),
    }[role]


def badge_words(badge: Badge) -> tuple[str, str]:
    """A badge's name and description as the site shows them: crowdcare's default badges in the community's
    language; a community's own badges as its crowdcare.yml words them."""
    defaults = {
        "First accepted answer": (tr("First accepted answer"), tr("An answer of theirs solved someone's question.")),
        "Ten accepted answers": (tr("Ten accepted answers"), tr("Ten answers that solved someone's question.")),
        "First responder": (tr("First responder"), tr("First to reply to five customers.")),
        "Duplicate hunter": (
            tr("Duplicate hunter"),
            tr("Found five questions the knowledge base already answers."),
        ),
        "Editor": (tr("Editor"), tr("Three edits to solutions or ideas merged.")),
        "Idea shipped": (tr("Idea shipped"), tr("Proposed an idea that shipped.")),
    }
    default = next((b for b in DEFAULT_BADGES if b.name == badge.name and b.description == badge.description), None)
    return defaults[badge.name] if default is not None and badge.name in defaults else (badge.name, badge.description)


def idea_label(status: IdeaStatus) -> str:
    """An idea's status as a label: "Under review"."""
    return {
        IdeaStatus.OPEN: tr("Open"),
        IdeaStatus.UNDER_REVIEW: tr("Under review"),
        IdeaStatus.PLANNED: tr("Planned"),
        IdeaStatus.IN_PROGRESS: tr("In progress"),
        IdeaStatus.SHIPPED: tr("Shipped"),
        IdeaStatus.DECLINED: tr("Declined"),
        IdeaStatus.DUPLICATE: tr("Duplicate"),
    }[status]


def solution_badge(status: SolutionStatus) -> str:
    css, label, meaning = _solution_badges()[status]
    return f'<span class="cc-badge cc-badge--{css}" title="{meaning}">{label}</span>'


def idea_badge(status: IdeaStatus) -> str:
    return f'<span class="cc-badge cc-idea--{status.value}">{idea_label(status)}</span>'


@dataclass(frozen=True)
class Page:
    path: str
    number: int
    count: int


def paginate(items: Sequence[T], first: str, size: int, render: Callable[[Sequence[T], Page], str]) -> dict[str, str]:
    """Split ``items`` into pages of ``size``: ``first`` is page 1 (an index.md), then page-2.md, page-3.md, ...

    Listing pages stay short, so every page embeds little and search engines that cap a page's tokens
    (Zensical: 8,192 positions) can index them.
    """
    folder = posixpath.dirname(first)
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]
    paths = [first] + [posixpath.join(folder, f"page-{n}.md") for n in range(2, len(chunks) + 1)]
    return {
        path: render(chunk, Page(path, n, len(chunks)))
        for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True), 1)
    }


def pager(page: Page, first: str) -> str:
    """'Page 2 of 5 · ← Previous · Next →' links at the foot of a listing."""
    if page.count <= 1:
        return ""
    folder = posixpath.dirname(first)

    def path_of(n: int) -> str:
        return first if n == 1 else posixpath.join(folder, f"page-{n}.md")

    parts = [tr("Page {number} of {count}", number=page.number, count=page.count)]
    if page.number > 1:
        parts.append(f"[{tr('← Previous')}]({relative(path_of(page.number - 1), page.path)})")
    if page.number < page.count:
        parts.append(f"[{tr('Next →')}]({relative(path_of(page.number + 1), page.path)})")
    return "\n\n" + " · ".join(parts) + "\n"


def plural(n: int, word: str) -> str:
    """English only: for maintainers' messages (a build's findings); pages use ``ngettext``."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
