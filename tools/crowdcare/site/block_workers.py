"""The worker processes that render users' blocks for the site plugin (see site/blocks.py), and their loop:
``python -m crowdcare.site.block_workers`` reads chunks of blocks as JSON lines and answers each with a JSON line
of rendered HTML (markup.rendered_blocks). A fresh interpreter, never a fork of MkDocs (whose threads a fork would
copy mid-step) nor a re-import of whatever script ran MkDocs (as multiprocessing's spawn does)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path

from crowdcare.core.errors import CrowdcareError
from crowdcare.site.blocks import Deferred
from crowdcare.site.markup import rendered_blocks
from crowdcare.site.pagefind import background

TIMEOUT = 600  # seconds a page waits for one chunk of blocks at most
CHUNK = 100  # blocks per task: big enough that passing them costs little, small enough that a page seldom waits


def workers() -> int:
    """Processes beside MkDocs's own: every core but the one MkDocs renders on, at least one."""
    return max(1, min(4, (os.cpu_count() or 1) - 1))


class Renderer:
    """Renders a Deferred's blocks in worker processes (started here) and fills pages with them."""

    def __init__(self, deferred: Deferred) -> None:
        self._pattern = deferred.pattern()
        blocks = deferred.blocks
        chunks = [blocks[start : start + CHUNK] for start in range(0, len(blocks), CHUNK)]
        self._chunks: list[Future[list[str]]] = [Future() for _ in chunks]
        count = min(workers(), len(chunks))
        package = str(Path(__file__).resolve().parents[2])  # the folder holding crowdcare/
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")]))}
        command = [*background(), sys.executable, "-m", "crowdcare.site.block_workers"]
        self._workers = [
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)  # errors: MkDocs's stderr
            for _ in range(count)
        ]
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


def serve() -> None:
    """A worker's loop (see Renderer): a JSON line of [text, element] pairs in, a JSON line of HTML out."""
    for line in sys.stdin.buffer:
        rendered = rendered_blocks([(text, element) for text, element in json.loads(line)])
        sys.stdout.write(json.dumps(rendered) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
