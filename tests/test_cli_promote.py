"""`crowdcare promote` and `crowdcare merge` on the sample community: a dry run writes nothing, a sweep proposes
and reruns quietly, merge writes validated files and refuses what it cannot find."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.validate import validate_repository
from tests.builders import copy_community, git, init_git
from tests.conftest import COMMUNITY_SNAPSHOT

NOW = "2026-11-22T12:00:00Z"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    return init_git(copy_community(tmp_path / "repo"))


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args], env={"CROWDCARE_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


def promote(root: Path, *args: str) -> tuple[int, str, str]:
    return run(root, "promote", "--snapshot", str(root.parent / "snap"), *args)


def test_a_dry_run_says_what_would_be_proposed_and_writes_nothing(root: Path) -> None:
    outbox = root.parent / "snap" / "outbox.jsonl"
    code, out, err = promote(root, "--dry-run", "--json")
    assert code == 0, err
    actions = [json.loads(line)["action"] for line in out.splitlines()]
    assert "would-open" in actions and "refused" in actions
    assert git(root, "branch", "--list", "crowdcare/*") == "" and not outbox.exists()


def test_a_sweep_proposes_then_reruns_quietly(root: Path) -> None:
    code, out, err = promote(root, "--json")
    assert code == 0, err
    outcomes = [json.loads(line) for line in out.splitlines()]
    opened = [o for o in outcomes if o["action"] == "opened"]
    assert len(opened) >= 5 and all(o["pull_request"].startswith("https://github.com/") for o in opened)
    assert {o["ref"] for o in outcomes if o["action"] == "refused"} == {"discussion #327", "discussion #344"}
    branches = git(root, "branch", "--list", "crowdcare/*").split()
    assert len(branches) == len(opened)
    outbox = (root.parent / "snap" / "outbox.jsonl").read_text().splitlines()
    code, out, err = promote(root, "--json")
    assert code == 0, err
    assert {json.loads(line)["action"] for line in out.splitlines()} == {"unchanged"}
    assert (root.parent / "snap" / "outbox.jsonl").read_text().splitlines() == outbox


def test_merge_writes_validated_files_and_git_reverts_it(root: Path) -> None:
    code, out, err = run(
        root, "merge", "billing/switch-to-annual-billing", "billing/plans-compared", "--finder", "maya-okafor:58102231"
    )
    assert code == 0, err
    assert out.split() == ["kb/billing/plans-compared.md", "kb/billing/switch-to-annual-billing.md"]
    assert validate_repository(root, ()) == []
    merged = (root / "kb/billing/switch-to-annual-billing.md").read_text()
    assert "status: superseded" in merged and "superseded_by: billing/plans-compared" in merged
    git(root, "checkout", "--", "kb")
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("no/such", "billing/plans-compared"), "names no solution and is not a thread URL"),
        (("billing/plans-compared", "no/such"), "names no solution"),
        (("billing/plans-compared", "billing/plans-compared", "--finder", "x:y"), "LOGIN:ID"),
    ],
)
def test_merge_refuses_what_it_cannot_use(root: Path, args: tuple[str, ...], needle: str) -> None:
    code, _, err = run(root, "merge", *args)
    assert code == 2 and needle in err
    assert git(root, "status", "--porcelain") == ""


def test_promote_without_a_git_repository_says_so(root: Path) -> None:
    shutil.rmtree(root / ".git")
    code, _, err = promote(root)
    assert code == 2 and "not a git repository" in err
