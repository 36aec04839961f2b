"""Users' Markdown rendered in other processes while MkDocs renders the pages around it.

Each block a user wrote (a solution's question and answer, an idea's text) is rendered on its own (markup.user_html:
Python-Markdown, nh3, images made links): at 10,000 solutions that was 33 s of a 150 s build, all of it on the one
core MkDocs uses. Inside ``deferring()`` the page generators put a placeholder element where each block goes; the
site plugin hands the blocks to ``Renderer``, whose worker processes render them while MkDocs renders the pages'
own Markdown, and puts each block in place (``fill``) once MkDocs has rendered a page and the plugin has sanitized
it (each block was sanitized by its worker, and sanitizing it again changes nothing: a test checks it). The
placeholder is an empty element whose class carries a key drawn afresh for every build (a user may write a ``cc-``
class but cannot know the key), and only generated pages are filled. MkDocs no longer parses the blocks' HTML as
raw HTML inside the page's Markdown, and the page's sanitizer no longer reads it a second time.

``crowdcare pages --out`` and the render probe do not defer: their Markdown holds the rendered blocks.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from crowdcare.core.errors import CrowdcareError

TIMEOUT = 600  # seconds a page waits for one chunk of blocks at most
CHUNK = 100  # blocks per task: big enough that passing them costs little, small enough that a page seldom waits


@dataclass
class Deferred:
    """The blocks a rendering left to be filled in: (text, element) by number, and the build's key."""

    key: str = field(default_factory=lambda: secrets.token_hex(8))
    blocks: list[tuple[str, str]] = field(default_factory=list)

    def placeholder(self, text: str, element: str) -> str:
        self.blocks.append((text, element))
        return f'<div class="cc-block-{self.key}-{len(self.blocks) - 1}"></div>'


_DEFERRING: ContextVar[Deferred | None] = ContextVar("crowdcare_deferred_blocks", default=None)


@contextmanager
def deferring() -> Iterator[Deferred]:
    """Inside: ``markup.user_html`` leaves a placeholder and records the block (see the module's docstring)."""
    deferred = Deferred()
    token = _DEFERRING.set(deferred)
    try:
        yield deferred
    finally:
        _DEFERRING.reset(token)


def current() -> Deferred | None:
    return _DEFERRING.get()


Render = Callable[[list[tuple[str, str]]], list[str]]


def workers() -> int:
    """Processes beside MkDocs's own: every core but the one MkDocs renders on, at least one."""
    return max(1, min(4, (os.cpu_count() or 1) - 1))


class Renderer:
    """Renders a Deferred's blocks in worker processes (``python -m crowdcare.site.markup``, started here: a
    fresh interpreter, never a fork of MkDocs or a re-import of whatever script ran it) and fills pages with
    them. Each worker reads chunks of blocks as JSON lines and answers each with a JSON line of HTML."""

    def __init__(self, deferred: Deferred) -> None:
        self._pattern = re.compile(rf'<div class="cc-block-{re.escape(deferred.key)}-(\d+)"></div>')
        blocks = deferred.blocks
        chunks = [blocks[start : start + CHUNK] for start in range(0, len(blocks), CHUNK)]
        self._chunks: list[Future[list[str]]] = [Future() for _ in chunks]
        count = min(workers(), len(chunks))
        package = str(Path(__file__).resolve().parents[2])  # the folder holding crowdcare/
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")]))}
        self._workers = [
            subprocess.Popen([sys.executable, "-m", "crowdcare.site.markup"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, env=env)  # its errors go to MkDocs's stderr
            for _ in range(count)
        ]  # fmt: skip
        for number, worker in enumerate(self._workers):
            mine = list(range(number, len(chunks), count))
            feed = threading.Thread(target=_feed, args=(worker, [chunks[n] for n in mine]), daemon=True)
            collect = threading.Thread(target=_collect, args=(worker, [self._chunks[n] for n in mine]), daemon=True)
            feed.start()
            collect.start()

    def fill(self, html: str) -> str:
        """``html`` with each of this build's placeholders replaced by its rendered block (waiting for it if a
        worker has not rendered it yet). One pass: a rendered block is never searched for placeholders."""
        return self._pattern.sub(lambda found: self._block(int(found.group(1))), html)

    def _block(self, number: int) -> str:
        chunk, index = divmod(number, CHUNK)
        try:
            return self._chunks[chunk].result(timeout=TIMEOUT)[index]
        except TimeoutError:
            raise CrowdcareError(f"no process rendered users' Markdown within {TIMEOUT} s") from None

    def close(self) -> None:
        for worker in self._workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
            for pipe in (worker.stdin, worker.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()


def _feed(worker: subprocess.Popen[bytes], chunks: list[list[tuple[str, str]]]) -> None:
    stdin = worker.stdin
    assert stdin is not None
    with contextlib.suppress(OSError):  # a worker that stopped: its chunks fail in _collect
        for chunk in chunks:
            stdin.write(json.dumps(chunk).encode("utf-8") + b"\n")
        stdin.close()


def _collect(worker: subprocess.Popen[bytes], futures: list[Future[list[str]]]) -> None:
    stdout = worker.stdout
    assert stdout is not None
    for future in futures:
        line = stdout.readline()
        try:
            future.set_result(json.loads(line))
        except ValueError:
            future.set_exception(CrowdcareError(f"a process rendering users' Markdown stopped (exit status "
                                                f"{worker.poll()})"))  # fmt: skip


def serve(render: Render) -> None:
    """A worker's loop (see Renderer): a JSON line of [text, element] pairs in, a JSON line of HTML out."""
    for line in sys.stdin.buffer:
        sys.stdout.write(json.dumps(render([(text, element) for text, element in json.loads(line)])) + "\n")
        sys.stdout.flush()
