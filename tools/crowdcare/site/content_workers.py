"""Content loaded on two cores for the site build: MkDocs waits for the plugin's on_files, and reading and checking
10,000 files (YAML, the schema) took 6 s of it on one core. A second process (``python -m
crowdcare.site.content_workers ROOT``: a fresh interpreter, never a fork of MkDocs) loads the later half of the
files while the plugin loads the first, and hands back what it loaded (content/store.Loaded, pickled: the process
is our own). If it fails in any way, the plugin loads that half itself: nothing is lost, only time.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from crowdcare.content.store import Loaded, load_files
from crowdcare.site.helpers import python_module

MIN_FILES = 1000  # below this, starting a process (about 0.4 s) costs more than it saves
TIMEOUT = 600  # seconds; then the plugin loads the other half itself


def load_in_parallel(root: Path, rels: list[str], min_files: int = MIN_FILES) -> Loaded:
    """``load_files(root, rels)``, the later half of it in another process when there are ``min_files`` or more."""
    if len(rels) < min_files or (os.cpu_count() or 1) < 2:
        return load_files(root, rels)
    half = len(rels) // 2
    command, env = python_module("crowdcare.site.content_workers", str(root))
    answer: list[Loaded | None] = [None]
    worker = threading.Thread(target=_other_half, args=(command, env, rels[half:], answer), daemon=True)
    worker.start()
    loaded = load_files(root, rels[:half])
    worker.join()
    loaded.extend(answer[0] or load_files(root, rels[half:]))
    return loaded


def _other_half(command: list[str], env: dict[str, str], rels: list[str], answer: list[Loaded | None]) -> None:
    """Runs the process on ``rels``; ``answer[0]`` is what it loaded, or stays None when it failed in any way."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    except OSError:
        return
    try:
        data, _ = process.communicate(json.dumps(rels).encode("utf-8"), timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return
    if process.returncode != 0:
        return
    try:
        loaded = pickle.loads(data)  # noqa: S301 (our own process, started above, wrote it)
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return
    answer[0] = loaded if isinstance(loaded, Loaded) else None


def serve(root: str) -> None:
    """The process's work: the JSON list of files on its input in, the pickled Loaded on its output out."""
    loaded = load_files(Path(root), json.load(sys.stdin))
    sys.stdout.buffer.write(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    serve(sys.argv[1])
