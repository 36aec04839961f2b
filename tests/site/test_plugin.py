"""The MkDocs plugin: a strict build of a repository, sanitized output, clear failures on bad content."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.builders import CONFIG, Repo, solution_text
from tests.conftest import REPO_ROOT
from tests.site.hostile import write_hostile

pytestmark = pytest.mark.slow

MKDOCS = str(Path(sys.executable).parent / "mkdocs")
# Elements Material itself renders with ids starting "__"; a user must not add more of them.
MATERIAL_IDS = {"__config", "__drawer", "__search", "__source", "__toc", "__skip", "__palette_0", "__palette_1"}
DANGEROUS_ELEMENTS = {"iframe", "form", "object", "embed", "base", "svg", "input", "button", "frame", "frameset"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def build_site(repo: Repo) -> subprocess.CompletedProcess[str]:
    """Build ``repo`` with this project's own mkdocs.yml, theme overrides and hand-written docs."""
    shutil.copy(REPO_ROOT / "mkdocs.yml", repo.root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "docs", repo.root / "docs", dirs_exist_ok=True)
    shutil.copytree(REPO_ROOT / "overrides", repo.root / "overrides", dirs_exist_ok=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [MKDOCS, "build", "--strict", "--quiet"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


class Audit(HTMLParser):
    """Collects every live dangerous construct in one HTML page.

    Handlers, dangerous URLs, __ ids and scripts or styles carrying a payload are looked for everywhere
    (title, navigation, table of contents, content). Frames, forms and the like are looked for in the
    article, because Material's own header legitimately has a search form and SVG icons; anywhere else a
    payload would still carry the marker XSS in an attribute.
    """

    def __init__(self, search_page: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.search_page = search_page
        self._in_search_form = False
        self.problems: list[str] = []
        self.ids: list[str] = []
        self._in: str | None = None
        self._article_depth = 0
        self._edit_button: re.Match[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article_depth += 1
        values = dict(attrs)
        if tag == "a" and "md-content__button" in (values.get("class") or "").split():
            # Material's own "Edit this page" button (its icon is an <svg>), pointing at the file on GitHub.
            self._edit_button = re.fullmatch(
                r"https://github\.com/[\w.-]+/[\w.-]+/edit/[\w./-]+", values.get("href") or ""
            )
        if tag == "form" and self.search_page and values.get("id") == "cc-search" and values.get("action") == ".":
            self._in_search_form = True  # the search page's own form (overrides/search.html), on that page only
        trusted = (tag == "svg" and self._edit_button) or (self._in_search_form and tag in {"form", "input", "button"})
        if tag in DANGEROUS_ELEMENTS and self._article_depth and not trusted:
            self.problems.append(f"<{tag}> element in the article")
        if any(name in URL_ATTRIBUTES and "XSS" in (value or "") for name, value in attrs):
            self.problems.append(f"<{tag}> loading a payload URL")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs) and not _is_tombstone_redirect(attrs):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> handler")
            if name in URL_ATTRIBUTES:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and "XSS" in value:
                self.problems.append(f"<{tag} style> from user")
            if name == "id":
                self.ids.append(value)
        if tag in ("script", "style"):
            self._in = "json-ld" if tag == "script" and values.get("type") == "application/ld+json" else tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article_depth -= 1
        if tag == "a":
            self._edit_button = None
        if tag == "form":
            self._in_search_form = False
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "json-ld":  # structured data: user text is fine in it as long as it stays JSON
            if "<" in data or ">" in data:
                self.problems.append(f"<script type=application/ld+json> with markup: {data[:60]!r}")
            else:
                json.loads(data)
            return
        if self._in is not None and "XSS" in data:
            self.problems.append(f"<{self._in}> with user content: {data[:60]!r}")


def _is_tombstone_redirect(attrs: list[tuple[str, str | None]]) -> bool:
    """The one meta refresh crowdcare writes itself: a merged solution's page sending readers to a relative page
    URL made of slugs (nothing a user wrote can produce it: superseded_by is schema-checked)."""
    values = dict(attrs)
    return values.get("http-equiv") == "refresh" and bool(
        re.fullmatch(r"0; url=(?:\.\./)+[a-z0-9-]+(?:/[a-z0-9-]+)*/", values.get("content") or "")
    )


def is_search(site: Path, page: Path) -> bool:
    return page == site / "search" / "index.html"


def audit(html: str, search_page: bool = False) -> list[str]:
    parser = Audit(search_page)
    parser.feed(html)
    extra_ids = [i for i in parser.ids if i.startswith("__") and i not in MATERIAL_IDS]
    problems = parser.problems + [f"id={i!r}" for i in extra_ids]
    if parser.ids.count("__config") != 1:
        problems.append(f"__config appears {parser.ids.count('__config')} times")
    return problems


def test_hostile_content_builds_with_no_live_dangerous_construct(sample_repo: Repo) -> None:
    """Script tags, handlers, javascript:/data: links, attr_list tricks, __ ids, frames, forms, meta refresh,
    base and style from kb/ and ideas/ are all inert in the built HTML, and the pages still render."""
    write_hostile(sample_repo)
    titles = [
        "<script>alert(1)</script>",
        '[x](javascript:alert(1)) | `code` {: onclick="alert(1)" }',
        "<img src=x onerror=alert(1)>",
    ]
    records = [
        {"thread": f"discussion #{n}", "url": f"https://github.com/acme/c/discussions/{n}", "title": title,
         "asked_at": "2026-11-01T00:00:00Z", "status": "needs-staff", "holder": "staffer"}
        for n, title in enumerate(titles, 1)
    ]  # fmt: skip
    sample_repo.write(
        "metrics/responses.json", json.dumps({"format": 1, "updated_at": "2026-11-02T00:00:00Z", "records": records})
    )
    result = build_site(sample_repo)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    assert len(pages) > 10
    report = {str(p.relative_to(site)): audit(p.read_text("utf-8"), is_search(site, p)) for p in pages}
    assert {page: problems for page, problems in report.items() if problems} == {}
    solution = (site / "kb/sync/hostile/index.html").read_text("utf-8")
    assert "Safe text survives." in solution
    assert "Heading with markup" in solution
    assert "Restart the sync client" not in solution  # the hostile body replaced the default
    triage = (site / "triage/index.html").read_text("utf-8")
    assert triage.count("acme/c/discussions/") == 3 and "&lt;script&gt;alert(1)&lt;/script&gt;" in triage
    assert (site / "metrics/backlog.svg").exists()
    idea = (site / "ideas/hostile-idea/index.html").read_text("utf-8")
    assert "Safe text survives." in idea and "Declined" in idea


def test_the_sample_repository_builds_strict_and_clean() -> None:
    """The repository's own community builds with --strict and passes the same audit."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = REPO_ROOT / "build" / "test-site"
    result = subprocess.run(
        [MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for page in out.rglob("*.html"):
        assert audit(page.read_text("utf-8"), is_search(out, page)) == [], page


def test_invalid_content_fails_the_build_naming_the_finding(sample_repo: Repo) -> None:
    sample_repo.write(
        "kb/sync/broken.md", solution_text(status="done", source="https://github.com/acme/community/discussions/9")
    )
    result = build_site(sample_repo)
    assert result.returncode != 0
    assert "kb/sync/broken.md:4: CC115" in result.stderr


def test_a_docs_page_that_collides_with_a_generated_page_fails(sample_repo: Repo) -> None:
    sample_repo.write("docs/roadmap.md", "# My own roadmap\n")
    result = build_site(sample_repo)
    assert result.returncode != 0
    assert "docs/roadmap.md collides with a generated page" in result.stderr


def test_the_audit_catches_what_it_looks_for() -> None:
    """Without this the audit could pass everything: unsanitized payloads must be reported."""
    page = (
        '<html><head><title>x</title><script id="__config"></script></head><body><article>'
        '<script>alert("XSS")</script><a href=" JavaScript:alert(1)" onclick="x">a</a><iframe></iframe>'
        '<p id="__search2">p</p><meta http-equiv="refresh" content="0"><img src="https://e.example/XSS">'
        '<script type="application/ld+json">{"name": "<b>XSS</b>"}</script>'
        "</article></body></html>"
    )
    problems = audit(page)
    assert len(problems) == 8, problems


def test_a_merged_solution_leaves_a_tombstone_that_redirects_to_the_canonical_page(sample_repo: Repo) -> None:
    sample_repo.write(
        "kb/sync/files-do-not-sync.md", solution_text(status="superseded", superseded_by="billing/refund")
    )
    result = build_site(sample_repo)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    tombstone = (site / "kb/sync/files-do-not-sync/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../billing/refund/">' in tombstone
    assert '<meta name="robots" content="noindex">' in tombstone
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "/kb/sync/files-do-not-sync/" not in sitemap and "/kb/billing/refund/</loc>" in sitemap
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    canonical = (site / "kb/billing/refund/index.html").read_text("utf-8")
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', canonical)
    assert ld is not None and json.loads(ld[1])["@type"] == "QAPage"
    assert '<meta name="description" content="' in canonical
    assert "This question was merged into" in tombstone and audit(tombstone) == []
    assert (site / "kb/billing/refund/index.html").exists()
    listing = (site / "solutions/sync/index.html").read_text("utf-8")
    assert "files-do-not-sync" not in listing  # readers find the canonical solution, not the tombstone
    index = search_index(site)
    assert "/kb/billing/refund/" in index and "/kb/sync/files-do-not-sync/" not in index


def search_index(site: Path) -> dict[str, dict[str, object]]:
    """Every page Pagefind indexed, by URL: its fragments are gzip, a signature, then the page's JSON."""
    pages = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        pages[fragment["url"]] = fragment
    return pages


def test_site_search_indexes_solutions_ideas_and_guides_never_listings_profiles_or_superseded_pages(
    sample_repo: Repo,
) -> None:
    """So a solution is never outranked by a page that lists it, and a superseded answer is never offered."""
    sample_repo.write(
        "kb/sync/old-way.md",
        solution_text(
            status="superseded",
            title="The old way to sync files",
            source="https://github.com/acme/community/discussions/7",
        ),
    )
    sample_repo.write(
        "kb/sync/two-factor.md",
        solution_text(
            title="Codes from the authenticator are rejected",
            aliases=["2FA"],
            source="https://github.com/acme/community/discussions/8",
        ),
    )
    result = build_site(sample_repo)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    index = search_index(site)
    kinds = {url: page["meta"]["kind"] for url, page in index.items()}  # type: ignore[index]
    assert kinds["/kb/sync/files-do-not-sync/"] == "Solution" and kinds["/ideas/dark-mode/"] == "Idea"
    assert kinds["/about/"] == "Guide" and "/" not in index  # the home page lists solutions
    assert "/kb/sync/old-way/" not in index  # superseded
    for listing in ("/solutions/sync/", "/tags/", "/board/", "/contributors/", "/people/", "/search/", "/roadmap/"):
        assert not any(url.startswith(listing) for url in index), listing
    assert "2FA" in str(index["/kb/sync/two-factor/"]["content"])  # aliases are searchable words
    assert index["/kb/sync/two-factor/"]["meta"]["title"] == "Codes from the authenticator are rejected"  # type: ignore[index]
    assert "¶" not in json.dumps(index)  # heading anchors are not words
    # A page view that does not search loads nothing of it: only the search page refers to Pagefind.
    referring = [p for p in site.rglob("*.html") if re.search(r"pagefind/|pagefind\.js", p.read_text("utf-8"))]
    assert referring == []
    assert "crowdcare-search.js" in (site / "search/index.html").read_text("utf-8")


def test_edit_this_page_opens_the_solutions_own_file_and_listings_have_none(sample_repo: Repo) -> None:
    result = build_site(sample_repo)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    solution = (site / "kb/sync/files-do-not-sync/index.html").read_text()
    idea = (site / "ideas/dark-mode/index.html").read_text()
    assert "/edit/main/kb/sync/files-do-not-sync.md" in solution and "/edit/main/ideas/dark-mode.md" in idea
    for listing in ("contributors/index.html", "board/index.html", "index.html"):
        assert "/edit/main/" not in (site / listing).read_text(), listing
    assert "/edit/main/docs/about.md" in (site / "about/index.html").read_text()


def test_the_built_site_has_its_feeds_and_every_page_names_them(sample_repo: Repo) -> None:
    community = {**CONFIG["community"], "site_url": "https://acme.example/help/"}  # type: ignore[dict-item]
    sample_repo.config(community=community)
    result = build_site(sample_repo)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    assert (site / "feeds/solutions.xml").is_file() and (site / "feeds/ideas/dark-mode.xml").is_file()
    idea = (site / "ideas/dark-mode/index.html").read_text("utf-8")
    assert 'type="application/atom+xml" title="This idea\'s status" href="../../feeds/ideas/dark-mode.xml"' in idea
    assert re.search(r'<a href="../../feeds/ideas/dark-mode.xml"[^>]*>Atom feed</a>', idea)  # visible, resolves
    home = (site / "index.html").read_text("utf-8")
    assert 'title="New solutions" href="feeds/solutions.xml"' in home and "This idea" not in home


def test_a_german_community_builds_a_german_site_with_materials_own_language(sample_repo: Repo) -> None:
    sample_repo.config(language="de")
    result = build_site(sample_repo)
    assert result.returncode == 0, result.stderr
    site = sample_repo.root / "site"
    home = (site / "index.html").read_text("utf-8")
    assert '<html lang="de"' in home  # Material's theme.language, set by the plugin from crowdcare.yml
    assert 'placeholder="Suche"' in home and "Lösungen durchstöbern" in home
    search = (site / "search/index.html").read_text("utf-8")
    assert "<h1>Suche</h1>" in search and 'data-searching="Suche läuft…"' in search
    assert "Lösungen, Ideen und Anleitungen durchsuchen" in search
    solution = (site / "kb/sync/files-do-not-sync/index.html").read_text("utf-8")
    assert "Die Frage" in solution and 'data-pagefind-meta="kind:Lösung"' in solution
