"""The worker processes of the site plugin: they render users' blocks (see site/blocks.py) and sanitize generated
pages, both off the core MkDocs renders on. ``python -m crowdcare.site.block_workers`` reads JSON lines, a chunk of
blocks (``{"blocks": [[text, element], ...]}``, answered with a list of rendered HTML, markup.rendered_blocks) or a
page (``{"page": html}``, answered with it sanitized), and answers each with a JSON line, in order. A fresh
interpreter, never a fork of MkDocs (whose threads a fork would copy mid-step) nor a re-import of whatever script
ran MkDocs (as multiprocessing's spawn does).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from concurrent.futures import Future
from typing import Any

from crowdcare.core.errors import CrowdcareError
from crowdcare.site.blocks import Deferred
from crowdcare.site.helpers import background, python_module
from crowdcare.site.markup import rendered_blocks
from crowdcare.site.sanitize import sanitize_html

TIMEOUT = 600  # seconds a page waits for one chunk of blocks at most
CHUNK = 100  # blocks per task: big enough that passing them costs little, small enough that a page seldom waits


def workers() -> int:
    """Processes beside MkDocs's own: every core but the one MkDocs renders on, at least one."""
    return max(1, min(4, (os.cpu_count() or 1) - 1))


class Renderer:
    """Renders a Deferred's blocks in worker processes (started here), sanitizes pages there too, and fills pages
    with the blocks."""

    def __init__(self, deferred: Deferred) -> None:
        self._pattern = deferred.pattern()
        blocks = deferred.blocks
        chunks = [blocks[start : start + CHUNK] for start in range(0, len(blocks), CHUNK)]
        self._chunks: list[Future[Any]] = [Future() for _ in chunks]
        command, env = python_module("crowdcare.site.block_workers")
        self._workers = [_Worker([*background(), *command], env) for _ in range(workers())]
        for number, (chunk, future) in enumerate(zip(chunks, self._chunks, strict=True)):
            self._workers[number % len(self._workers)].ask({"blocks": chunk}, future)
        self._turn = 0

    def sanitize(self, html: str) -> Future[Any]:
        """``html`` sanitized (site/sanitize.py) by a worker, later: the future holds it."""
        future: Future[Any] = Future()
        self._turn += 1
        self._workers[self._turn % len(self._workers)].ask({"page": html}, future)
        return future

    def sanitized(self, future: Future[Any]) -> str:
        """The page ``sanitize`` returned ``future`` for (waiting for it if need be)."""
        page: str = self._result(future)
        return page

    def fill(self, html: str) -> str:
        """``html`` with each of this build's placeholders replaced by its rendered block (waiting for it if a
        worker has not rendered it yet). One pass: a rendered block is never searched for placeholders."""
        return self._pattern.sub(lambda found: self._block(int(found.group(1))), html)

    def _block(self, number: int) -> str:
        chunk, index = divmod(number, CHUNK)
        block: str = self._result(self._chunks[chunk])[index]
        return block

    @staticmethod
    def _result(future: Future[Any]) -> Any:
        try:
            return future.result(timeout=TIMEOUT)
        except TimeoutError:
            raise CrowdcareError(f"no process rendered users' Markdown within {TIMEOUT} s") from None

    def close(self) -> None:
        for worker in self._workers:
            worker.close()


class _Worker:
    """One worker process: requests go out through a queue and a thread (MkDocs never waits on a full pipe), answers
    come back in order through another thread and settle the requests' futures."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )  # errors: MkDocs's stderr
        self._requests: queue.SimpleQueue[tuple[dict[str, Any], Future[Any]] | None] = queue.SimpleQueue()
        self._waiting: deque[Future[Any]] = deque()
        self._lock = threading.Lock()
        self._ended = False  # its output ended (under the lock: a request made after it fails at once)
        threading.Thread(target=self._feed, daemon=True).start()
        threading.Thread(target=self._collect, daemon=True).start()

    def ask(self, request: dict[str, Any], future: Future[Any]) -> None:
        self._requests.put((request, future))

    def _feed(self) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        while (item := self._requests.get()) is not None:
            request, future = item
            with self._lock:
                if self._ended:
                    future.set_exception(self._stopped())
                    continue
                self._waiting.append(future)
            with contextlib.suppress(OSError, ValueError):  # a worker that stopped: _collect fails what waits
                stdin.write(json.dumps(request).encode("utf-8") + b"\n")
                stdin.flush()
        with contextlib.suppress(OSError, ValueError):
            stdin.close()

    def _collect(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        for line in stdout:
            with self._lock:
                if not self._waiting:
                    break  # an answer nobody asked for: not our worker's protocol
                future = self._waiting.popleft()
            try:
                future.set_result(json.loads(line))
            except ValueError:
                future.set_exception(self._stopped())
        with self._lock:
            self._ended = True
            left, self._waiting = list(self._waiting), deque()
        for future in left:
            future.set_exception(self._stopped())

    def _stopped(self) -> CrowdcareError:
        return CrowdcareError(f"a process rendering users' Markdown stopped (exit status {self._process.poll()})")

    def close(self) -> None:
        self._requests.put(None)
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def serve() -> None:
    """A worker's loop (see Renderer): a JSON line in, a JSON line out, in order."""
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if "page" in request:
            answer: object = sanitize_html(request["page"])
        else:
            answer = rendered_blocks([(text, element) for text, element in request["blocks"]])
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
