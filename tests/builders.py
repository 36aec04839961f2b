"""Builders for small crowdcare repositories used across the tests."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import yaml

TEST_COMMUNITY = Path(__file__).resolve().parent / "community"  # conftest.COMMUNITY
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "PATH": "/usr/bin:/bin",
}


def copy_community(dest: Path) -> Path:
    """The tests' own community (tests/community: crowdcare.yml, kb/, ideas/) copied into a new folder ``dest``."""
    dest.mkdir(parents=True)
    for name in ("crowdcare.yml", "kb", "ideas"):
        source = TEST_COMMUNITY / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, dest / name)
    return dest


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; its output."""
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=GIT_IDENTITY)
    return done.stdout


def init_git(root: Path) -> Path:
    """Make ``root`` a git repository whose branch main holds everything in it."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


CONFIG = {
    "community": {
        "name": "Acme",
        "repo": "acme/community",
        "ask_url": "https://github.com/acme/community/discussions/new",
    },
    "topics": [
        {"slug": "sync", "title": "Sync", "description": "Keeping devices in step."},
        {"slug": "billing", "title": "Billing"},
    ],
    "staff": [{"login": "staffer", "id": 100, "name": "Sam Staff", "title": "Support"}],
    "governance": {"change_idea_status": ["staff"]},
    "site": {"page_size": 5},
}


def solution_text(**overrides: object) -> str:
    """A valid solution file; keyword arguments replace front-matter keys (None removes one); body= the body."""
    meta: dict[str, object] = {
        "title": "Files do not sync",
        "question": "My files stopped syncing yesterday.",
        "status": "accepted",
        "topic": "sync",
        "tags": ["sync"],
        "contributors": [
            {"login": "asker1", "id": 1, "role": "asker"},
            {"login": "staffer", "id": 100, "role": "answerer"},
        ],
        "source": "https://github.com/acme/community/discussions/1",
        "created": "2026-01-02",
        "updated": "2026-01-03",
    }
    return _document(meta, "Restart the sync client.\n", overrides)


def idea_text(**overrides: object) -> str:
    meta: dict[str, object] = {
        "title": "Dark mode",
        "status": "open",
        "author": {"login": "asker1", "id": 1},
        "source": "https://github.com/acme/community/discussions/50",
        "votes": {"up": 3, "down": 1, "score": 2},
        "created": "2026-02-01",
    }
    return _document(meta, "Please add a dark theme.\n", overrides)


def _document(meta: dict[str, object], body: str, overrides: dict[str, object]) -> str:
    """Front-matter from ``meta`` with ``overrides`` applied (None removes a key; body= replaces the body)."""
    body = str(overrides.pop("body", body))
    for key, value in overrides.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + body


class Repo:
    """A crowdcare repository under construction in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("crowdcare.yml", yaml.safe_dump(CONFIG, sort_keys=False))

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def config(self, **changes: object) -> None:
        data = {**CONFIG, **changes}
        self.write("crowdcare.yml", yaml.safe_dump(data, sort_keys=False))
