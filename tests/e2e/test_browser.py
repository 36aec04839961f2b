"""A reader in a real browser: headless Debian Chromium opens the built sample site on 127.0.0.1, searches for a
solution, opens it, and sees its contributors with the staff mark. Screenshots go to test-output/browser/."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT, REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = REPO_ROOT / "test-output" / "browser"
# Chromium's own background connections fail on a closed network; these keep it quiet (env/machines doc).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(directory: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) while the caller's fixture is alive; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    out = tmp_path_factory.mktemp("site")
    # The tests' own community with this repository's site config, theme overrides and hand-written pages.
    source = tmp_path_factory.mktemp("community")
    for name in ("crowdcare.yml", "kb", "ideas"):
        copy = shutil.copytree if (COMMUNITY / name).is_dir() else shutil.copy
        copy(COMMUNITY / name, source / name)
    for name in ("mkdocs.yml", "docs", "overrides"):
        copy = shutil.copytree if (REPO_ROOT / name).is_dir() else shutil.copy
        copy(REPO_ROOT / name, source / name)
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [mkdocs, "build", "--strict", "--quiet", "--site-dir", str(out)],
        cwd=source,
        env=env,
        check=True,
        timeout=300,
    )
    yield from _serve(out)


def test_search_open_a_solution_and_see_contributors_with_staff_mark(site_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            searched: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda r: searched.append(r.url) if "/pagefind/" in r.url else None)
            page.goto(site_url)
            expect(page.locator("h1")).to_contain_text("Tallybook community")
            page.wait_for_load_state("networkidle")
            assert searched == []  # a page view that does not search downloads no search data

            box = page.locator("#cc-header-q")  # the header's search box goes to the search page (Pagefind)
            box.fill("bank feed stopped")
            box.press("Enter")
            page.wait_for_url("**/search/?q=bank+feed+stopped")
            result = page.locator("#cc-search-results li a").first
            expect(result).to_have_text("My bank feed stopped updating", timeout=15_000)
            expect(page.locator("#cc-search-results mark").first).to_be_visible()  # the words found, marked
            assert searched and all(url.startswith(site_url) for url in searched)
            page.screenshot(path=str(SHOTS / "search.png"))
            result.click()

            page.wait_for_url("**/kb/bank-feeds/bank-feed-stopped-updating/**")
            expect(page.locator("h1")).to_contain_text("My bank feed stopped updating")
            contributors = page.locator("h2#contributors + ul li")
            expect(contributors).to_have_count(2)
            staff_row = contributors.filter(has_text="@maya-okafor")
            expect(staff_row.locator(".cc-staff")).to_be_visible()
            expect(contributors.filter(has_text="@kenji-watanabe").locator(".cc-staff")).to_have_count(0)
            expect(page.locator(".cc-badge--official")).to_be_visible()
            page.screenshot(path=str(SHOTS / "solution.png"), full_page=True)
            assert errors == [], errors
        finally:
            browser.close()


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site `make demo` serves: samples/build-demo.sh runs intake, respond and the strict build in a copy."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    out = tmp_path_factory.mktemp("demo") / "demo"
    env = {
        **os.environ,
        "BIN": str(Path(sys.executable).parent),
        "SAMPLE": str(COMMUNITY),
        "SNAPSHOT": str(COMMUNITY_SNAPSHOT),
    }
    subprocess.run(["sh", "samples/build-demo.sh", str(out)], cwd=REPO_ROOT, env=env, check=True, timeout=300,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    yield from _serve(out / "site")


def test_the_demo_shows_response_metrics_with_charts_and_the_triage_list(demo_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside: list[str] = []
            # Readers' privacy: a page view requests nothing from any other host (scripts, styles, fonts, images,
            # and no call to api.github.com for the repository's stars: overrides/partials/source.html).
            page.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith((demo_url, "data:")) else None,
            )
            page.goto(demo_url + "metrics/")
            page.wait_for_load_state("networkidle")
            expect(page.locator("h1")).to_contain_text("Community metrics")
            expect(page.locator("table").first).to_contain_text("Time to first response")
            charts = page.locator("article img[src$='.svg']")
            expect(charts).to_have_count(3)
            widths = [charts.nth(i).evaluate("img => img.naturalWidth") for i in range(3)]
            assert all(width > 100 for width in widths), widths  # the SVGs load and draw
            page.screenshot(path=str(SHOTS / "metrics.png"), full_page=True)

            page.goto(demo_url + "triage/")
            rows = page.locator("article table tbody tr")
            expect(rows.first).to_be_visible()
            expect(page.locator("article table").first).to_contain_text("@maya-okafor")
            expect(page.locator("article table").nth(1)).to_contain_text("Longest waiting")  # each one's load
            page.screenshot(path=str(SHOTS / "triage.png"), full_page=True)
            assert outside == []
        finally:
            browser.close()


AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = {
    "home": "",
    "solution": "kb/bank-feeds/bank-feed-stopped-updating/",
    "topic listing": "solutions/bank-feeds/",
    "idea board": "board/",
    "idea": "ideas/dark-mode/",
    "roadmap": "roadmap/",
    "contributors": "contributors/",
    "profile": "people/maya-okafor/",
    "leaderboard": "leaderboard/",
    "metrics": "metrics/",
    "triage": "triage/",
    "tag": "tags/",
    "search results": "search/?q=bank+feed",
}


def test_site_search_finds_a_solution_by_its_alias_and_shows_some_words_when_none_has_all(site_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(site_url + "search/?q=2FA")
            first = page.locator("#cc-search-results li a").first
            expect(first).to_have_text("I lost my phone and can't sign in with two-factor authentication")
            page.goto(site_url + "search/?q=bank+feed+2FA")  # no page has all three words
            expect(page.locator("#cc-search-status")).to_contain_text("these have some of them")
            expect(page.locator("#cc-search-results li").first).to_be_visible()
            titles = page.locator("#cc-search-results li a").all_text_contents()
            assert not any(title.startswith(("Solutions", "Tags", "@")) for title in titles), titles
        finally:
            browser.close()


def test_every_page_type_meets_wcag_2_2_aa_by_axe_core(demo_url: str) -> None:
    """axe-core (npm, the engine browsers' own audits use) on each page type, WCAG 2.0-2.2 A and AA rules."""
    from playwright.sync_api import sync_playwright

    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing in CI: make test runs npm ci, which installs it")
        pytest.skip("axe-core is not installed (make test runs npm ci)")
    found: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, path in PAGE_TYPES.items():
                page.goto(demo_url + path)
                page.wait_for_load_state("networkidle")
                page.add_script_tag(path=str(AXE))
                result = page.evaluate(
                    "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
                    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations"
                    ".map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 2).map(n => n.target.join(' '))"
                    ".join(', '))"
                )
                if result:
                    found[name] = result
        finally:
            browser.close()
    assert found == {}, found


def test_tables_keep_every_column_on_a_phone(demo_url: str) -> None:
    """At 390 px the board's, triage's and leaderboard's tables fit the screen: cells wrap instead of hiding the
    Status and Author columns off to the side (Material's tables scroll, with 100 px columns)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            widths = {}
            for path in ("board/", "triage/", "leaderboard/", "contributors/", "metrics/"):
                page.goto(demo_url + path)
                widths[path] = page.evaluate(
                    "() => [...document.querySelectorAll('article table')].map(t => "
                    "[t.scrollWidth, (t.closest('.md-typeset__scrollwrap') || t.parentElement).clientWidth])"
                )
        finally:
            browser.close()
    too_wide = {path: found for path, found in widths.items() if any(w > room + 1 for w, room in found)}
    assert all(widths.values()) and too_wide == {}, widths
