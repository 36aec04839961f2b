"""The render probe renders as the site does: the same Markdown extensions as mkdocs.yml, then nh3."""

from __future__ import annotations

import yaml

from crowdcare.site.markup import EXTENSIONS
from crowdcare.site.probe import render_seconds
from tests.conftest import REPO_ROOT


def test_the_probe_uses_the_extensions_of_mkdocs_yml() -> None:
    site = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text("utf-8"))
    names = [next(iter(e)) if isinstance(e, dict) else e for e in site["markdown_extensions"]]
    assert names == EXTENSIONS


def test_the_probe_returns_sanitized_html_and_a_time() -> None:
    seconds, html = render_seconds("Hello <script>alert(1)</script> **there**")
    assert seconds >= 0 and "<strong>there</strong>" in html and "<script" not in html
