"""Users' blocks rendered apart (site/blocks.py) and the Pagefind service client (site/pagefind.py)."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest
from pagefind_bin import get_executable

from crowdcare.core.errors import CrowdcareError
from crowdcare.site import blocks
from crowdcare.site.block_workers import Renderer
from crowdcare.site.markup import rendered_block, user_html
from crowdcare.site.pagefind import PagefindError, PagefindService, indexed_part
from crowdcare.site.sanitize import sanitize_html
from tests.site.hostile import BODY

TEXTS = [
    BODY,
    "An unclosed <div> and an unclosed\n```python\nfence",
    "![tracking pixel](https://evil.example/p.png) and `code`",
    'A forged placeholder: <div class="cc-block-0000000000000000-0"></div>',
    "",
]


def test_blocks_filled_in_are_the_blocks_rendered_in_place() -> None:
    """A page made while deferring, filled by the workers, is the page made without deferring: byte for byte."""
    direct = "\n\n".join(user_html(text, element) for text in TEXTS for element in ("div", "blockquote"))
    with blocks.deferring() as deferred:
        page = "\n\n".join(user_html(text, element) for text in TEXTS for element in ("div", "blockquote"))
    assert "cc-user" not in page and len(deferred.blocks) == 2 * len(TEXTS)
    renderer = Renderer(deferred)
    try:
        assert renderer.fill(page) == direct
    finally:
        renderer.close()


def test_a_block_sanitized_again_is_the_same_block() -> None:
    """The plugin sanitizes a page before its blocks are filled in (each block was sanitized by its worker): the
    same page as sanitizing it whole only because sanitizing a rendered block changes nothing."""
    for text in TEXTS:
        for element in ("div", "blockquote"):
            assert sanitize_html(rendered_block(text, element)) == rendered_block(text, element)
    with blocks.deferring() as deferred:
        placeholder = user_html("x")
    assert sanitize_html(placeholder) == placeholder and deferred.key in placeholder  # it survives the sanitizer


def test_a_placeholder_a_user_writes_is_never_filled() -> None:
    """A user can write a cc- class, but not the key, drawn afresh for every build."""
    with blocks.deferring() as first, blocks.deferring() as second:
        user_html("one")
    assert first.key != second.key and not first.blocks and second.blocks == [("one", "div")]
    forged = rendered_block(f'<div class="cc-block-{second.key}-0"></div>', "div")
    renderer = Renderer(first)
    try:
        assert renderer.fill(forged) == forged  # another build's key fills nothing
    finally:
        renderer.close()


def test_a_worker_that_stops_fails_the_page_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    with blocks.deferring() as deferred:
        page = user_html("hello")
    monkeypatch.setattr("sys.executable", "/bin/false")
    renderer = Renderer(deferred)
    try:
        with pytest.raises(CrowdcareError, match="rendering users' Markdown stopped"):
            renderer.fill(page)
    finally:
        renderer.close()


HOSTILE_PAGE = (
    '<h1 id="__search">Title</h1><p onclick="steal()">text <a href="javascript:alert(1)">link</a></p>'
    '<script>alert(1)</script><img src="x" onerror="alert(2)"><p class="cc-user evil">kept</p>'
)


def test_a_page_sanitized_by_a_worker_is_the_page_sanitized_here() -> None:
    with blocks.deferring() as deferred:
        user_html("block")
    renderer = Renderer(deferred)
    try:
        pages = [renderer.sanitize(f"{HOSTILE_PAGE}<p>page {n}</p>") for n in range(30)]  # several workers, in turns
        done = [renderer.sanitized(page) for page in pages]
    finally:
        renderer.close()
    assert done == [sanitize_html(f"{HOSTILE_PAGE}<p>page {n}</p>") for n in range(30)]
    assert all("script" not in page and "onclick" not in page and "__search" not in page for page in done)


def test_a_page_whose_worker_stopped_fails_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.executable", "/bin/false")
    renderer = Renderer(blocks.Deferred())
    try:
        page = renderer.sanitize(HOSTILE_PAGE)
        with pytest.raises(CrowdcareError, match="rendering users' Markdown stopped"):
            renderer.sanitized(page)
    finally:
        renderer.close()


def test_the_pagefind_service_indexes_each_page_under_its_url(tmp_path: Path) -> None:
    service = PagefindService(get_executable(), {"exclude_selectors": [".skip"]})
    try:
        for n in range(3):
            page = f"<html lang='en'><body><h1>Page {n}</h1><p>reconcile word{n}</p><p class='skip'>hidden</p></body></html>"
            service.add(page, f"/kb/page-{n}/")
        assert service.write(tmp_path / "pagefind") == 3
    finally:
        service.close()
    fragments = [
        json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        for path in (tmp_path / "pagefind" / "fragment").glob("*.pf_fragment")
    ]
    assert sorted(f["url"] for f in fragments) == ["/kb/page-0/", "/kb/page-1/", "/kb/page-2/"]
    assert all("hidden" not in f["content"] and "reconcile" in f["content"] for f in fragments)


def test_pagefind_writes_on_its_own_thread_and_refuses_a_page_that_comes_after(tmp_path: Path) -> None:
    service = PagefindService(get_executable(), {})
    try:
        service.add("<html lang='en'><body><h1>First</h1><p>reconcile</p></body></html>", "/kb/first/")
        writing = service.start_writing(tmp_path / "pagefind")
        assert service.start_writing(tmp_path / "elsewhere") is writing  # one index, written once
        with pytest.raises(PagefindError, match="/kb/late/ came too late"):
            service.add("<html lang='en'><body><h1>Late</h1></body></html>", "/kb/late/")
        assert writing.result(timeout=60) == 1
    finally:
        service.close()
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    assert not (tmp_path / "elsewhere").exists()


def test_a_pagefind_that_stops_is_an_error_not_a_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether its output ends before or after a request is made (a race CI once lost: the request then waited
    for the 600 s timeout), a Pagefind that stops fails the request at once."""
    monkeypatch.setattr("crowdcare.site.pagefind.TIMEOUT", 20)  # a regression fails in seconds, not ten minutes
    for _ in range(20):
        with pytest.raises(PagefindError, match="pagefind stopped"):
            PagefindService(Path("/bin/false"), {})


def _fragments(pages: dict[str, str], folder: Path) -> dict[str, object]:
    service = PagefindService(get_executable(), {"exclude_selectors": [".headerlink", ".md-content__button"]})
    try:
        for url, html in pages.items():
            service.add(html, url)
        service.write(folder)
    finally:
        service.close()
    found = {}
    for path in (folder / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


def test_pagefind_given_only_the_indexed_part_builds_the_same_index(tmp_path: Path) -> None:
    """The plugin hands Pagefind a page's language, title, the theme's h1 when the content has none, and the
    marked content (indexed_part), not the whole page: the fragments are the same as from whole pages."""
    nav = "<nav><a href='/'>Home</a> reconcile navigation words <h1>not this</h1></nav>" * 20
    marked = [
        '<div data-pagefind-body data-pagefind-meta="kind:Solution">\n<h1 id="t">Undo a reconciliation'
        '<a class="headerlink" href="#t">¶</a></h1><p>Open <em>Banking</em> → Reconcile &amp; undo.</p>\n</div>',
        '<div data-pagefind-body data-pagefind-meta="kind:Guide">\n<p>A guide without a heading of its own.</p>'
        "<h2>Step</h2><p>Bank feed</p>\n</div>",
    ]
    whole = {
        f"/kb/page-{n}/": f'<!doctype html><html lang="de" class="no-js"><head><meta charset="utf-8"><title>Page {n} '
        f'- Site</title><link rel="stylesheet" href="x.css"></head><body><header>{nav}</header><main>'
        f'<a class="md-content__button" href="/edit">Edit</a>{"" if n == 0 else "<h1>The Guide</h1>"}'
        f"{content}</main><footer>{nav}</footer></body></html>"
        for n, content in enumerate(marked)
    }
    parts = {url: indexed_part(page, marked[n]) for n, (url, page) in enumerate(whole.items())}
    assert all(len(parts[url]) < len(whole[url]) / 4 for url in whole)
    assert _fragments(parts, tmp_path / "parts") == _fragments(whole, tmp_path / "whole")
    assert indexed_part("<html><body>other</body></html>", marked[0]) == "<html><body>other</body></html>"


def test_a_request_after_pagefind_stopped_fails_at_once(tmp_path: Path) -> None:
    """A Pagefind that answers the new index and then ends: the next request fails at once instead of waiting for
    an answer that cannot come."""
    answer = base64.b64encode(json.dumps({"message_id": 1, "payload": {"type": "NewIndex", "index_id": 1}}).encode())
    script = tmp_path / "pagefind"
    script.write_text(f"#!/bin/sh\nhead -c 1 >/dev/null\nprintf '%s,' '{answer.decode()}'\n")  # asked, answers, ends
    script.chmod(0o755)
    service = PagefindService(script, {})
    try:
        service._reader.join(timeout=20)  # its output has ended
        assert not service._reader.is_alive()
        with pytest.raises(PagefindError, match="pagefind stopped"):
            service.add("<html><body>x</body></html>", "/x/")
    finally:
        service.close()
