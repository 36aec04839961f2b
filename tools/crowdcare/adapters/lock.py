"""One crowdcare run at a time on a folder: the snapshot a run reads and writes, the search-index cache.

On GitHub, workflow concurrency keeps an event run and the hourly sweep of one step apart; on a machine, two
local runs on one snapshot folder would both see a thread unanswered and both post (and two index refreshes
would write one whoosh folder at once). A run takes an exclusive lock (``flock``, released by the operating
system if the process dies) and a second run waits for it, saying so, up to ``wait`` seconds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from crowdcare.core.errors import BadInputError, TransientError

LOCK_FILE = ".crowdcare.lock"
WAIT = 600.0  # seconds; a run still waiting then ends (exit 1: run again)
_held: set[Path] = set()  # folders this process holds: taking one again is a no-op, never a wait on itself


@contextlib.contextmanager
def exclusive(folder: Path, report: Callable[[str], None] = lambda message: None, wait: float = WAIT) -> Iterator[None]:
    """Hold ``folder``'s run lock for the block."""
    key = folder.resolve()
    if key in _held:
        yield
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK_FILE).open("a+", encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"{folder}: cannot take the run lock ({exc.strerror or exc})") from None
    with handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    report(f"crowdcare: another crowdcare run is using {folder}; waiting for it to finish")
                    told = True
                if time.monotonic() >= deadline:
                    message = f"{folder}: another crowdcare run held it for {wait:.0f} s; run again"
                    raise TransientError(message) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
            fcntl.flock(handle, fcntl.LOCK_UN)
