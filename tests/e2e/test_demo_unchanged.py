"""Behaviour unchanged: the demo pipeline (samples/build-demo.sh, on the tests' own community) posts, labels,
closes and proposes exactly what tests/golden/demo/outbox.jsonl says, leaves kb/, ideas/ and metrics/ as
tests/golden/demo/content.txt records, and generates the pages tests/golden/demo/pages.txt records (a SHA-256 of
each). A refactoring that changes any of it fails here; an intended change is reviewed with --update-golden."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT, REPO_ROOT

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def digests(root: Path, folders: tuple[str, ...] = ("",)) -> str:
    """'sha256  path' for every file under ``root``'s ``folders``, sorted: a change names the file it is in."""
    lines = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(root).as_posix()}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "demo"
    env = {**os.environ, "BIN": str(BIN), "SAMPLE": str(COMMUNITY), "SNAPSHOT": str(COMMUNITY_SNAPSHOT)}
    subprocess.run(["sh", "samples/build-demo.sh", str(out)], cwd=REPO_ROOT, env=env, check=True, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return out


def test_the_demo_posts_exactly_what_it_did(demo: Path, golden: Callable[[str, str], None]) -> None:
    # Commit ids name the demo's whole first commit, docs and site settings too: what was committed is in content.txt.
    outbox = re.sub(r"\b[0-9a-f]{40}\b", "<commit>", (demo / "snapshot" / "outbox.jsonl").read_text("utf-8"))
    golden("demo/outbox.jsonl", outbox)


def test_the_demo_leaves_the_content_as_it_did(demo: Path, golden: Callable[[str, str], None]) -> None:
    golden("demo/content.txt", digests(demo, ("kb", "ideas", "metrics")))


def test_the_demo_generates_the_pages_it_did(demo: Path, tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    pages = tmp_path / "pages"
    subprocess.run([str(BIN / "crowdcare"), "--root", str(demo), "pages", "--out", str(pages)], check=True,
                   capture_output=True, env={**os.environ, "CROWDCARE_NOW": "2026-11-22T12:00:00Z"})  # fmt: skip
    golden("demo/pages.txt", digests(pages))


def test_make_demos_own_path_builds_the_german_site(tmp_path: Path) -> None:
    """`make demo` passes a relative folder (build/demo), and a community may name its language already: the
    German copy replaces that line (a second key is refused) and the German site lands in site/de/."""
    community = tmp_path / "community"
    for name in ("kb", "ideas"):
        shutil.copytree(COMMUNITY / name, community / name)
    config = (COMMUNITY / "crowdcare.yml").read_text("utf-8")
    (community / "crowdcare.yml").write_text("language: en\n" + re.sub(r"(?m)^language:.*\n", "", config), "utf-8")
    out = os.path.relpath(tmp_path / "demo", REPO_ROOT)
    env = {**os.environ, "BIN": str(BIN), "SAMPLE": str(community), "SNAPSHOT": str(COMMUNITY_SNAPSHOT)}
    subprocess.run(["sh", "samples/build-demo.sh", out], cwd=REPO_ROOT, env=env, check=True, timeout=600,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    german = (tmp_path / "demo" / "site" / "de" / "index.html").read_text("utf-8")
    assert '<html lang="de"' in german
