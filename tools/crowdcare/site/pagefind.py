"""Pagefind's indexing service, fed each page as MkDocs finishes it, so the site's search index is built on another
core while MkDocs renders the rest (at 10,000 solutions the Pagefind command, run after the build, added 11 s).

This speaks the protocol of ``pagefind --service`` (the binary pinned from PyPI as pagefind-bin): each message is
base64 of a JSON object followed by a comma, both ways; requests carry a number their answer repeats. Pagefind's
own Python API (the ``pagefind`` package, 1.5.2) speaks the same protocol but reads one answer every 0.1 s, so
10,000 pages would wait 1,000 s for their answers; here a thread reads them as they come.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import queue
import re
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from crowdcare.core.errors import CrowdcareError
from crowdcare.site.helpers import background

_LANG = re.compile(r'<html\b[^>]*\blang="([^"<>]*)"')
_TITLE = re.compile(r"<title>[^<]*</title>")
_H1 = re.compile(r"<h1\b.*?</h1>", re.S)

TIMEOUT = 600  # seconds to wait for Pagefind's answer to one request (writing 10,000 pages' index takes ~10)


def indexed_part(page: str, marked: str) -> str:
    """What Pagefind reads of a built ``page`` whose content is ``marked`` (the data-pagefind-body element): the
    page's language and title, the page's first h1 when it is outside the marked content (Pagefind names a result by
    the first h1 anywhere on the page: the theme's, on a page whose content has none), and the marked element.
    Pagefind parses whatever it is given; a Material page is mostly navigation, so this is a tenth of it and gives
    the same index (a test compares). The whole page when any part is not found."""
    lang, title, start = _LANG.search(page), _TITLE.search(page), page.find(marked)
    if start < 0 or lang is None or title is None:
        return page
    first = _H1.search(page)
    outside = first is not None and not start <= first.start() < start + len(marked)
    heading = first.group(0) if first is not None and outside else ""
    return (f'<!DOCTYPE html><html lang="{lang.group(1)}"><head><meta charset="utf-8">{title.group(0)}</head>'
            f"<body>{heading}{marked}</body></html>")  # fmt: skip


class PagefindError(CrowdcareError):
    """Pagefind refused a request or stopped."""


class PagefindService:
    """One Pagefind process and one index in it. ``add`` queues a page without waiting for its answer; ``write``
    waits for every answer, then writes the index (``start_writing`` does it on a thread of its own, while MkDocs
    builds the pages that are not searched); ``close`` stops the process (always call it)."""

    def __init__(self, executable: Path, config: dict[str, Any]) -> None:
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close()): Pagefind's stderr, quoted if it fails
        self._process = subprocess.Popen(
            [*background(), str(executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        self._lock = threading.Lock()
        self._waiting: dict[int, Future[dict[str, Any]]] = {}
        self._pages: list[Future[dict[str, Any]]] = []
        self._written: Future[int] | None = None  # started by start_writing: no page may be added after
        self._sent = 0
        # Requests go out through a queue and a thread of their own: Pagefind runs at a lower priority and reads
        # when it gets the core, and MkDocs must not wait on a full pipe meanwhile.
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._stopped = False  # the pipe to Pagefind broke: it has stopped
        self._ended = False  # Pagefind's output ended (under the lock: a request made after it fails at once)
        self._writer = threading.Thread(target=self._write, name="pagefind-requests", daemon=True)
        self._reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
        self._writer.start()
        self._reader.start()
        answer = self._answer(self._send({"type": "NewIndex", "config": config}))
        self._index = int(answer["index_id"])

    def add(self, html: str, url: str) -> None:
        """Index one page's HTML under ``url`` (site-absolute, as Pagefind's command computes it)."""
        if self._written is not None:
            raise PagefindError(f"the search index is being written: {url} came too late to be in it")
        self._pages.append(self._send({"type": "AddFile", "index_id": self._index, "url": url, "file_path": None,
                                        "file_contents": html}))  # fmt: skip

    def write(self, output: Path) -> int:
        """Wait for every page's answer, then write the index to ``output``; returns the number of pages."""
        for page in self._pages:
            self._answer(page)
        self._answer(self._send({"type": "WriteFiles", "index_id": self._index, "output_path": str(output)}))
        return len(self._pages)

    def start_writing(self, output: Path) -> Future[int]:
        """``write`` on a thread of its own; the future holds the number of pages or write's error."""
        if self._written is None:
            written: Future[int] = Future()

            def run() -> None:
                try:
                    written.set_result(self.write(output))
                except Exception as exc:  # whatever it is, the build waiting for it raises it
                    written.set_exception(exc)

            self._written = written
            threading.Thread(target=run, name="pagefind-write", daemon=True).start()
        return self._written

    def close(self) -> None:
        self._outbox.put(None)  # the writer closes Pagefind's input, which ends it
        self._writer.join(timeout=10)
        if self._writer.is_alive():
            self._process.kill()  # stuck: a write into a pipe nobody reads
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=10)
        self._writer.join(timeout=10)
        self._errors.close()

    def _send(self, payload: dict[str, Any]) -> Future[dict[str, Any]]:
        future: Future[dict[str, Any]] = Future()
        with self._lock:
            if self._ended or self._stopped:  # its output ended, or its input broke: nothing will answer
                raise PagefindError(f"pagefind stopped: {self._stderr()}")
            self._sent += 1
            self._waiting[self._sent] = future
            message = {"message_id": self._sent, "payload": payload}
        self._outbox.put(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        return future

    def _write(self) -> None:
        """The writer thread: sends what ``_send`` queued, in order; at the end (None) closes Pagefind's input."""
        stdin = self._process.stdin
        assert stdin is not None
        while (message := self._outbox.get()) is not None:
            if self._stopped:
                continue
            try:
                stdin.write(message)
                stdin.flush()
            except (OSError, ValueError):  # Pagefind stopped: the reader fails whatever waits
                self._stopped = True
        with contextlib.suppress(OSError, ValueError):
            stdin.close()

    def _answer(self, future: Future[dict[str, Any]]) -> dict[str, Any]:
        try:
            return future.result(timeout=TIMEOUT)
        except TimeoutError:
            raise PagefindError(f"pagefind did not answer within {TIMEOUT} s") from None

    def _read(self) -> None:
        """The reader thread: every answer settles the request with its number; at the end, any left fail."""
        stdout = self._process.stdout
        assert isinstance(stdout, io.BufferedReader)
        pending = b""
        try:
            for chunk in iter(lambda: stdout.read1(65536), b""):
                *messages, pending = (pending + chunk).split(b",")
                for message in messages:
                    self._settle(json.loads(base64.b64decode(message)))
        except (ValueError, OSError):  # not Pagefind's protocol: what is waiting fails below
            self._process.kill()
        with self._lock:
            self._ended = True
            left, self._waiting = list(self._waiting.values()), {}
        for future in left:
            future.set_exception(PagefindError(f"pagefind stopped: {self._stderr()}"))

    def _settle(self, answer: dict[str, Any]) -> None:
        payload = answer.get("payload") or {}
        number = answer.get("message_id")
        if number is None and payload.get("original_message"):  # a message it could not read names itself
            number = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            future = self._waiting.pop(number, None) if isinstance(number, int) else None
        if future is None:
            return
        if payload.get("type") == "Error":
            future.set_exception(PagefindError(f"pagefind: {payload.get('message', 'an unnamed error')}"))
        else:
            future.set_result(payload)

    def _stderr(self) -> str:
        self._errors.seek(0)
        said = self._errors.read().decode("utf-8", "replace").strip()
        return said[-500:] or f"exit status {self._process.poll()}"
