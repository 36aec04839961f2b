"""`crowdcare doctor` against the stand-in: a ready repository passes; each thing a new repository lacks is a
finding that says how to fix it; --fix creates the labels; bad input exits 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from crowdcare.adopt.doctor import labels_used
from crowdcare.cli.main import cli
from crowdcare.content.config import load_config
from tests.adapters.conftest import REPO
from tests.adapters.standin import StandIn
from tests.builders import CONFIG, Repo

STAFF = [{"login": "staffer", "id": 100, "name": "Sam Staff"}]


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        server.users = {"staffer": 100}
        server.pages_site = {"build_type": "workflow", "html_url": "https://octo-org.github.io/octo-repo/"}
        yield server
    assert server.invalid == []


@pytest.fixture
def repo(tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> Repo:
    made = Repo(tmp_path / "repo")
    made.config(
        community={**CONFIG["community"], "repo": REPO},  # type: ignore[dict-item]
        staff=STAFF,
        intake={"bot_login": "github-actions[bot]"},
    )
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("GITHUB_API_URL", standin.url)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    loaded, _ = load_config(made.root)
    assert loaded is not None
    standin.label_names = sorted(labels_used(loaded))
    return made


def doctor(repo: Repo, *args: str) -> tuple[Result, dict[str, dict[str, Any]]]:
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "doctor", "--json", *args])
    checks = {c["check"]: c for c in map(json.loads, result.stdout.splitlines())}
    return result, checks


def test_a_ready_repository_passes(repo: Repo) -> None:
    result, checks = doctor(repo)
    assert result.exit_code == 0, result.output
    assert all(c["ok"] for c in checks.values()) and "ready for the first run" in result.stderr
    assert {"bot identity", "labels", "Issues", "Discussions", "category Q&A", "category Ideas", "staff staffer",
            "pages"} <= set(checks)  # fmt: skip


def test_missing_labels_are_a_finding_and_fix_creates_them(repo: Repo, standin: StandIn) -> None:
    standin.label_names = ["question"]
    result, checks = doctor(repo)
    assert result.exit_code == 1 and not checks["labels"]["ok"] and "--fix" in checks["labels"]["fix"]
    assert "needs-staff" in checks["labels"]["message"]
    fixed, checks = doctor(repo, "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert "created" in checks["labels"]["message"] and "needs-staff" in standin.label_names
    assert [r.status for r in standin.log if r.method == "POST" and r.path.endswith("/labels")].count(201) >= 5
    assert doctor(repo)[0].exit_code == 0


@pytest.mark.parametrize(
    ("change", "check", "words"),
    [
        (lambda s: s.settings.update(has_discussions=False), "Discussions", "Settings"),
        (lambda s: s.settings.update(has_issues=False), "Issues", "Settings"),
        (lambda s: s.settings.update(permissions={"pull": True, "push": False}), "permissions", "write access"),
        (lambda s: s.categories.pop("Ideas"), "category Ideas", "Discussions -> Categories"),
        (lambda s: s.categories.update({"Q&A": False}), "category Q&A", "Question / Answer"),
        (lambda s: s.users.update(staffer=999), "staff staffer", "reused"),
        (lambda s: s.users.clear(), "staff staffer", "correct the login"),
        (lambda s: setattr(s, "pages_site", None), "pages", "GitHub Actions"),
        (lambda s: setattr(s, "pages_site", {"build_type": "legacy"}), "pages", "GitHub Actions"),
    ],
)
def test_each_gap_is_a_finding_with_its_fix(repo: Repo, standin: StandIn, change: Any, check: str, words: str) -> None:
    change(standin)
    result, checks = doctor(repo)
    assert result.exit_code == 1, result.output
    assert not checks[check]["ok"] and words in (checks[check]["fix"] + checks[check]["message"])
    assert sum(not c["ok"] for c in checks.values()) == 1


def test_a_configured_bot_that_is_not_the_token_is_a_finding(repo: Repo) -> None:
    data = yaml.safe_load((repo.root / "crowdcare.yml").read_text())
    data["intake"]["bot_login"] = "tallybook-bot"
    repo.write("crowdcare.yml", yaml.safe_dump(data))
    result, checks = doctor(repo)
    assert result.exit_code == 1 and "github-actions[bot]" in checks["bot identity"]["fix"]


def test_staff_without_an_id_are_told_their_id(repo: Repo) -> None:
    data = yaml.safe_load((repo.root / "crowdcare.yml").read_text())
    data["staff"] = [{"login": "staffer"}]
    repo.write("crowdcare.yml", yaml.safe_dump(data))
    _, checks = doctor(repo)
    assert checks["staff staffer"]["fix"] == "add id: 100 (logins can be reused; ids cannot)"


def test_no_token_or_a_broken_config_is_bad_input(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    result, _ = doctor(repo)
    assert result.exit_code == 2 and "GITHUB_TOKEN" in result.stderr
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    repo.write("crowdcare.yml", "community: [")
    assert doctor(repo)[0].exit_code == 2


def test_the_readable_report_says_what_to_do(repo: Repo, standin: StandIn) -> None:
    standin.pages_site = None
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "doctor"])
    assert result.exit_code == 1
    assert "FIX pages: GitHub Pages is not set up" in result.stdout and "-> Settings -> Pages" in result.stdout
    assert "ok  labels" in result.stdout
