"""Proposals through pull requests: one per branch, never reopened once reviewers closed it, nothing written on a
dry run (the local git adapter stands in for GitHub; tests/adapters/test_live_pulls.py does it over REST)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crowdcare.adapters.gitrepo import LocalRepository
from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.core.model import ChangeProposal
from crowdcare.promote.changes import propose
from tests.builders import git, init_git

CHANGE = ChangeProposal("crowdcare/promote/issue-1", "Promote issue #1", "Body.", {"kb/a/b.md": "text\n"}, "msg")


@pytest.fixture
def repo(tmp_path: Path) -> LocalRepository:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("x\n")
    init_git(root)
    snap = SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer="bot")
    return LocalRepository(root, snap, "main")


def test_a_dry_run_writes_nothing(repo: LocalRepository) -> None:
    assert propose(repo, CHANGE, dry_run=True).action == "would-open"
    assert repo.branch_head(CHANGE.branch) is None and repo.find_pull_request(CHANGE.branch) is None


def test_one_pull_request_per_branch_and_its_body_carries_the_digest(repo: LocalRepository) -> None:
    first = propose(repo, CHANGE)
    again = propose(repo, CHANGE)
    assert (first.action, again.action) == ("opened", "unchanged")
    assert first.pull is not None and "<!-- crowdcare:pull digest=" in first.pull.body
    assert repo.read_file("kb/a/b.md", CHANGE.branch) == "text\n"


def test_a_pull_request_reviewers_closed_is_not_reopened(repo: LocalRepository) -> None:
    opened = propose(repo, CHANGE).pull
    assert opened is not None
    path = repo.snapshot.root / "pulls" / f"{opened.number}.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "state": "closed"}))
    changed = ChangeProposal(CHANGE.branch, CHANGE.title, CHANGE.body, {"kb/a/b.md": "new text\n"}, "msg")
    assert propose(repo, changed).action == "declined"
    assert repo.read_file("kb/a/b.md", CHANGE.branch) == "text\n"


def test_a_merged_pull_request_is_recognised(repo: LocalRepository) -> None:
    propose(repo, CHANGE)
    git(repo.root, "merge", "-q", "--no-ff", "-m", "m", CHANGE.branch)
    result = propose(repo, CHANGE)
    assert result.action == "merged" and result.pull is not None and result.pull.merged


def test_a_merged_pull_request_reads_merged_for_whichever_command_looks_next(repo: LocalRepository) -> None:
    """As on GitHub, the pull request's own record says merged (and when) once its branch is in main, even when no
    command asks for that branch again (the demo's snapshot used to keep every merged pull request 'open')."""
    opened = propose(repo, CHANGE).pull
    assert opened is not None
    git(repo.root, "merge", "-q", "--no-ff", "-m", "m", CHANGE.branch)
    path = repo.snapshot.root / "pulls" / f"{opened.number}.json"
    assert json.loads(path.read_text())["state"] == "open"
    LocalRepository(repo.root, repo.snapshot, "main")
    record = json.loads(path.read_text())
    assert (record["state"], record["merged"]) == ("closed", True) and record["merged_at"]


def test_an_unmerged_pull_request_stays_open_when_the_repository_is_opened(repo: LocalRepository) -> None:
    opened = propose(repo, CHANGE).pull
    assert opened is not None
    LocalRepository(repo.root, repo.snapshot, "main")
    record = json.loads((repo.snapshot.root / "pulls" / f"{opened.number}.json").read_text())
    assert (record["state"], record["merged"], record["merged_at"]) == ("open", False, None)
