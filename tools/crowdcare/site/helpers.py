"""How the site plugin starts its helper processes (Pagefind, the block workers, the content worker): Python
helpers as ``python -m crowdcare.site.<module>`` in a fresh interpreter (never a fork of MkDocs, whose threads a
fork would copy mid-step, nor a re-import of whatever script ran MkDocs, as multiprocessing's spawn does), and
those that run beside MkDocs's rendering at a lower priority."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

NICENESS = 10  # helpers that run while MkDocs renders stay below it: its core is the critical path


def background() -> list[str]:
    """The command prefix that starts a helper at a lower priority (``nice``, where the system has it): on two
    cores MkDocs, Pagefind and the block workers otherwise share them evenly."""
    nice = shutil.which("nice") or shutil.which("nice", path=os.defpath)
    return [nice, "-n", str(NICENESS)] if nice else []


def python_module(module: str, *args: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment that run ``python -m module args`` with this crowdcare on its path."""
    package = str(Path(__file__).resolve().parents[2])  # the folder holding crowdcare/
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")]))}
    return [sys.executable, "-m", module, *args], env
