"""Site search cost in a real browser: what a reader downloads for search, at N synthetic solutions.

    .venv/bin/python bench/search.py --n 10000 [--vocabulary sample|worst] [--query "bank feed" ...] [--json]

Builds a site of N solutions (bench/site.py's generator) with crowdcare's plugin, which indexes it with Pagefind
after the MkDocs build, serves it on 127.0.0.1 and opens it in Debian's Chromium:

- `page_view_search_bytes`: search data (anything under pagefind/ and the search page's script) downloaded by a
  page view that does not search: a solution page, then the home page.
- `first_query_bytes`: a new browser (empty cache) opens search/?q=WORDS and waits for the results; every search
  resource it fetched, counted as a server would send it gzipped (Pagefind's index files are gzip already; its
  scripts and the WebAssembly are compressed here at level 6). The median and the largest over the queries.
- `search_page_bytes`: everything that first search view downloaded (page, theme, search), gzipped likewise.

Vocabulary: `sample` writes each page from the sample community's own titles and sentences (this repository's kb/
and ideas/: its words, as often as it uses them); `worst` takes bench/site.py's pages (every word drawn uniformly
from a small vocabulary, so every word is on thousands of pages) and adds 40 random 8-letter tokens to each page
(order numbers, error codes: new words on every page), the largest index per page Pagefind will see.
`--keep DIR` keeps the built site. Figures only: no assertions.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import json
import os
import random
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
QUERIES = ["bank feed", "invoice reminder", "export report", "password reset", "sync error"]

_spec = importlib.util.spec_from_file_location("bench_site", Path(__file__).parent / "site.py")
assert _spec is not None and _spec.loader is not None
generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)


def sample_sentences() -> tuple[list[str], list[str]]:
    """The sample community's own titles and sentences (kb/ and ideas/): its words, as often as it uses them."""
    titles: list[str] = []
    sentences: list[str] = []
    for path in sorted([*(ROOT / "kb").rglob("*.md"), *(ROOT / "ideas").glob("*.md")]):
        text = path.read_text("utf-8")
        title = re.search(r"^title: (.+)$", text, re.MULTILINE)
        titles += [title.group(1).strip("'\"")] if title else []
        body = text.split("\n---\n", 1)[-1]
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 4]
    return titles, sentences


def sample_content(n: int) -> list[dict[str, object]]:
    """N solutions written in the sample's words: a real title, a question and an answer of real sentences."""
    rng = random.Random(7)
    titles, sentences = sample_sentences()
    items: list[dict[str, object]] = generator.make_content(n, max(10, n // 4))
    for i, item in enumerate(items):
        item["title"] = f"{rng.choice(titles)} ({i})"
        item["question"] = " ".join(rng.sample(sentences, 2)).replace("\n", " ")
        item["body"] = "\n\n".join(" ".join(rng.sample(sentences, 3)) for _ in range(4)) + "\n"
    return items


def build(n: int, vocabulary: str, folder: Path) -> float:
    items = sample_content(n) if vocabulary == "sample" else generator.make_content(n, max(10, n // 4))
    if vocabulary == "worst":
        rng = random.Random(11)
        for item in items:
            tokens = ["".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(40)]
            item["body"] = f"{item['body']}\n{' '.join(tokens)}\n"
    generator.write_crowdcare(folder, items)
    # crowdcare's site: its plugin replaces Material's search with Pagefind (this repository's mkdocs.yml).
    config = (folder / "mkdocs.yml").read_text().replace("  - search\n", "")
    config = config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    (folder / "mkdocs.yml").write_text(config)
    shutil.copytree(ROOT / "overrides", folder / "overrides")
    start = time.perf_counter()
    subprocess.run([MKDOCS, "build", "--quiet"], cwd=folder, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start


def served_size(site: Path, url_path: str) -> int:
    path = site / url_path.lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 6))


def is_search(url_path: str) -> bool:
    return "/pagefind/" in url_path or "crowdcare-search" in url_path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(site: Path, queries: list[str], sample_page: str) -> dict[str, object]:
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    per_query: dict[str, dict[str, object]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            context = browser.new_context()
            page = context.new_page()
            seen: list[str] = []
            page.on("requestfinished", lambda r: seen.append(urlsplit(r.url).path))
            for path in (sample_page, ""):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
            page_view = sum(served_size(site, p) for p in seen if is_search(p))
            context.close()
            for query in queries:
                context = browser.new_context()  # an empty cache: a reader's first search
                page = context.new_page()
                fetched: list[str] = []

                def note(request: Any, into: list[str] = fetched) -> None:
                    into.append(urlsplit(request.url).path)

                page.on("requestfinished", note)
                start = time.perf_counter()
                page.goto(base + "search/?q=" + query.replace(" ", "+"))
                page.wait_for_function(
                    "!['', 'Searching…'].includes(document.getElementById('cc-search-status').textContent)",
                    timeout=60_000,
                )
                elapsed = time.perf_counter() - start
                found = page.locator("#cc-search-status").text_content() or ""
                per_query[query] = {
                    "first_query_bytes": sum(served_size(site, p) for p in fetched if is_search(p)),
                    "search_page_bytes": sum(served_size(site, p) for p in fetched),
                    "requests": len([p for p in fetched if is_search(p)]),
                    "seconds": round(elapsed, 2),
                    "status": found,
                }
                context.close()
            browser.close()
    finally:
        server.shutdown()
    sizes = [int(v["first_query_bytes"]) for v in per_query.values()]  # type: ignore[call-overload]
    return {
        "page_view_search_bytes": page_view,
        "first_query_bytes": int(statistics.median(sizes)),
        "first_query_bytes_max": max(sizes),
        "queries": per_query,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="number of solutions (repeatable); default 1000")
    parser.add_argument("--vocabulary", choices=["sample", "worst"], default="sample")
    parser.add_argument("--query", action="append", help=f"words searched (repeatable); default {QUERIES}")
    parser.add_argument("--json", action="store_true", help="print one JSON object per N")
    parser.add_argument("--keep", type=Path, help="copy the built site here (DIR/N)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit("bench/search.py: Debian's chromium is needed (apt-get install chromium)")
    for n in args.n or [1000]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            build_s = build(n, args.vocabulary, folder)
            site = folder / "site"
            index_bytes = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
            if args.keep:
                shutil.copytree(site, args.keep / str(n), dirs_exist_ok=True)
            result: dict[str, Any] = {"n": n, "vocabulary": args.vocabulary, "build_s": round(build_s, 1),
                      "index_files_bytes": index_bytes,
                      **measure(site, args.query or QUERIES, "kb/accounts/problem-00000/")}  # fmt: skip
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"N={n} ({args.vocabulary} vocabulary, build {build_s:.1f} s, index {index_bytes / 1e6:.1f} MB on disk): "
                f"a page view downloads {result['page_view_search_bytes']} B of search data; a first query "
                f"{int(result['first_query_bytes']) / 1024:.0f} KB gzipped (median; largest "
                f"{int(result['first_query_bytes_max']) / 1024:.0f} KB)"
            )
            for query, figures in result["queries"].items():
                print(f"  {query!r}: {figures}")


if __name__ == "__main__":
    main()
