"""One crowdcare run at a time on a snapshot folder and on the search-index cache (adapters/lock.py).

Without the lock, two intake runs on one snapshot both crashed in the index cache (whoosh's files renamed under
the other's feet) or both posted; with it the second waits, then finds the first one's replies."""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crowdcare.adapters.lock import exclusive
from crowdcare.core.errors import TransientError
from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT

CROWDCARE = str(Path(sys.executable).parent / "crowdcare")
HOLDER = """
import sys
from pathlib import Path
from crowdcare.adapters.lock import exclusive
with exclusive(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_second_process_waits_for_the_lock_and_gets_it_when_it_is_released(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        said: list[str] = []
        with (
            pytest.raises(TransientError, match="another crowdcare run held it"),
            exclusive(tmp_path, said.append, wait=0.3),
        ):
            pass
        assert said and "waiting for it to finish" in said[0]
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    with exclusive(tmp_path, wait=5):  # released: taken at once
        pass


def test_the_lock_is_taken_again_by_its_own_process_without_waiting(tmp_path: Path) -> None:
    with exclusive(tmp_path, wait=0.1), exclusive(tmp_path, wait=0.1):
        pass


def test_two_intake_runs_on_one_snapshot_post_each_reply_once(tmp_path: Path) -> None:
    root = tmp_path / "community"
    root.mkdir()
    for name in ("crowdcare.yml", "kb", "ideas"):
        (shutil.copytree if (COMMUNITY / name).is_dir() else shutil.copy)(COMMUNITY / name, root / name)
    shutil.copytree(COMMUNITY_SNAPSHOT, root / "snap")
    command = [CROWDCARE, "--root", str(root), "intake", "--snapshot", str(root / "snap"), "--all"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(timeout=300), run.stderr.read() if run.stderr else "") for run in runs]
    for code, stderr in results:
        assert code == 0 and "Traceback" not in stderr, stderr[-2000:]
    posts = collections.Counter(
        record["thread"]
        for record in map(json.loads, (root / "snap" / "outbox.jsonl").read_text("utf-8").splitlines())
        if record["op"] == "create_comment"
    )
    assert posts and max(posts.values()) == 1, [t for t, n in posts.items() if n > 1]
