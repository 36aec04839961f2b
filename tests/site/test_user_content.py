"""What a user wrote is rendered and sanitized on its own, as one closed block (site/markup.user_html):

- `crowdcare pages --out` is as safe as the site: its Markdown, rendered by any other generator with no
  sanitizer of its own, has no live script, handler, frame or dangerous link (29 of 30 payloads were live);
- images from another host become links, however they are written (reference-style, brackets or ``>`` in alt);
- an unclosed <div>, <textarea> or <plaintext> in a question cannot hide the answer, credits and source after it.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from crowdcare.site.markup import EXTENSIONS, block, user_html
from crowdcare.site.sanitize import sanitize_html
from crowdcare.site.solutions import solution_page
from tests.builders import Repo, solution_text
from tests.site.hostile import write_hostile
from tests.site.test_plugin import Audit

EVIL = "https://evil.example/track.png"


class Loads(HTMLParser):
    """Every URL an <img> would load."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources += [value or "" for name, value in attrs if name == "src"]


def loads(html: str) -> list[str]:
    parser = Loads()
    parser.feed(html)
    return parser.sources


def problems(html: str) -> list[str]:
    audit = Audit()
    audit.feed(f"<article>{html}</article>")
    return audit.problems


def test_portable_pages_are_safe_in_a_generator_that_sanitizes_nothing(sample_repo: Repo, tmp_path: Path) -> None:
    write_hostile(sample_repo)
    out = tmp_path / "pages"
    result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    for rel in json.loads(result.stdout):
        rendered = markdown.markdown((out / rel).read_text("utf-8"), extensions=EXTENSIONS)  # no sanitizer
        assert problems(rendered) == [], rel
        assert not [src for src in loads(rendered) if "XSS" in src or "evil" in src], rel


@pytest.mark.parametrize(
    "body",
    [
        f"![diagram][ref]\n\n[ref]: {EVIL}",
        f"![a [nested] alt]({EVIL})",
        f'<img alt="a>b" src="{EVIL}">',
        f"<img src='{EVIL}' alt=x>",
        f'<p><img src="{EVIL}"/></p>',
        f'<IMG SRC="{EVIL}">',
        f'![x](<{EVIL}> "title")',
    ],
)
def test_an_image_from_another_host_becomes_a_link(body: str) -> None:
    """As the site renders a page holding it: the page's Markdown, then the site's sanitizer."""
    html = sanitize_html(
        markdown.markdown(f"## The answer\n\n{block(body)}\n\n## Contributors\n", extensions=EXTENSIONS)
    )
    assert loads(html) == [] and f'href="{EVIL}"' in html


def test_an_image_of_the_site_itself_stays_an_image() -> None:
    assert loads(user_html("![chart](../metrics/backlog.svg)")) == ["../metrics/backlog.svg"]


@pytest.mark.parametrize(
    "opener", ["<textarea>", "<div>", "<plaintext>", "<details><summary>x", "<!--", "<table><tr><td>"]
)
def test_an_unclosed_element_in_the_question_hides_nothing_after_it(sample_repo: Repo, opener: str) -> None:
    sample_repo.write("kb/sync/files-do-not-sync.md", solution_text(question=f"Help {opener} please"))
    content = load_content(sample_repo.root)
    assert content.config is not None
    keyed = {s.key: s for s in content.solutions}
    page = solution_page(keyed["sync/files-do-not-sync"], content.config, keyed)
    html = sanitize_html(markdown.markdown(page, extensions=EXTENSIONS))
    for after in ("Restart the sync client.", "Contributors", "@staffer", "discussions/1"):
        assert after in html, (opener, after)
