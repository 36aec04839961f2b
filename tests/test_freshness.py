"""Answers re-verified per release: how far behind a solution's verified_with is, the warning validate gives
(without failing), the note on its page and its place on the triage page."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from crowdcare.promote.freshness import releases_behind
from crowdcare.site.pages import render_pages
from tests.builders import Repo, solution_text


@pytest.mark.parametrize(
    ("verified", "current", "behind"),
    [("4.9", "4.12", 3), ("4.12", "4.12", 0), ("4.12.3", "4.12", 0), ("3.20", "4.1", 1000), ("5.0", "4.12", 0),
     ("v4.10", "4.12", 2), ("app 3.7", "4.12", None), ("API v2", "4.12", None)],
)  # fmt: skip
def test_releases_behind(verified: str, current: str, behind: int | None) -> None:
    assert releases_behind(verified, current) == behind


def stale_repo(repo: Repo) -> Repo:
    repo.config(product={"current_version": "4.12", "stale_after_releases": 3})
    repo.write("kb/sync/files-do-not-sync.md", solution_text(verified_with="4.9"))
    repo.write(
        "kb/sync/fresh.md",
        solution_text(title="Fresh", verified_with="4.11", source="https://github.com/acme/community/discussions/3"),
    )
    return repo


def test_a_stale_answer_is_a_warning_that_does_not_fail_validate(repo: Repo) -> None:
    stale_repo(repo)
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "validate"])
    assert result.exit_code == 0, result.output
    assert "kb/sync/files-do-not-sync.md:" in result.output and "CC208 warning: verified with 4.9" in result.output
    assert "fresh.md" not in result.output and "0 finding" not in result.output
    as_json = CliRunner().invoke(cli, ["--root", str(repo.root), "validate", "--json"])
    assert [f["severity"] for f in json.loads(as_json.output)] == ["warning"]
    repo.write(
        "kb/sync/broken.md", solution_text(status="done", source="https://github.com/acme/community/discussions/9")
    )
    assert CliRunner().invoke(cli, ["--root", str(repo.root), "validate"]).exit_code == 1  # an error still fails


def test_its_page_says_which_release_it_was_checked_with_and_triage_lists_it(repo: Repo) -> None:
    import datetime as dt

    repo.write("metrics/responses.json", '{"format": 1, "updated_at": "2026-11-02T00:00:00Z", "records": []}')
    content = load_content(stale_repo(repo).root)
    pages = render_pages(content, [], dt.date(2026, 11, 2))
    assert "Checked with 4.9, current 4.12" in pages["kb/sync/files-do-not-sync.md"]
    assert "Verified with 4.11" in pages["kb/sync/fresh.md"]
    triage = pages["triage.md"]
    assert "## Answers to check against the current release" in triage
    assert "files-do-not-sync" in triage and "fresh.md" not in triage
