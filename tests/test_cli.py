"""The CLI as a user meets it: help that teaches, `pages --out`, errors with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crowdcare.cli.content import PAGES_MARKER
from crowdcare.cli.main import cli
from tests.builders import Repo, solution_text


def run(repo: Repo, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(repo.root), *args])


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_ending_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: crowdcare " in result.output


def test_pages_writes_every_page_and_a_marker(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert "kb/sync/files-do-not-sync.md" in written and "roadmap.md" in written
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == sorted(written)
    assert (out / PAGES_MARKER).exists()


def test_pages_replaces_its_own_output_whole(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    runner = CliRunner()
    assert runner.invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out)]).exit_code == 0
    (sample_repo.root / "ideas/dark-mode.md").unlink()
    assert runner.invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out)]).exit_code == 0
    assert not (out / "ideas/dark-mode.md").exists()
    assert not list(tmp_path.glob(".pages*")), "no staging or backup folder is left behind"


def test_pages_refuses_a_folder_it_did_not_write(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.md").write_text("years of work")
    result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out)])
    assert result.exit_code == 2
    assert "was not written by `crowdcare pages`" in result.stderr
    assert (out / "thesis.md").read_text() == "years of work"


def test_pages_dry_run_writes_nothing(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out), "--dry-run"])
    assert result.exit_code == 0
    assert "would write" in result.stderr and not out.exists()


def test_pages_on_invalid_content_exits_1_and_keeps_old_pages(sample_repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "pages"
    runner = CliRunner()
    assert runner.invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out)]).exit_code == 0
    sample_repo.write(
        "kb/sync/bad.md", solution_text(status="??", source="https://github.com/acme/community/discussions/5")
    )
    result = runner.invoke(cli, ["--root", str(sample_repo.root), "pages", "--out", str(out)])
    assert result.exit_code == 1
    assert "kb/sync/bad.md:4: CC115" in result.stderr
    assert (out / "kb/sync/files-do-not-sync.md").exists()


def test_root_is_found_from_a_subfolder(sample_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample_repo.root / "kb" / "sync")
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert str(sample_repo.root) in result.stderr


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--root", str(tmp_path / "nope"), "validate"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["search", "bank", "--limit", "0"],
        ["similar", "--title", "bank feed", "--limit", "-1"],
        ["buckets", "--kb-only", "--limit", "-5"],
        ["bench", "dedup", __file__, "--threshold", "1.5"],
    ],
)
def test_out_of_range_numbers_are_usage_errors_that_name_the_option(sample_repo: Repo, args: list[str]) -> None:
    result = run(sample_repo, *args)
    assert result.exit_code == 2
    assert f"Invalid value for '{args[-2]}'" in result.output


@pytest.mark.parametrize(
    ("args", "where"),
    [(["search", "the of"], "QUERY"), (["similar", "--title", "", "--body", "and the"], "--title")],
)
def test_a_query_with_no_words_to_search_for_is_a_usage_error(sample_repo: Repo, args: list[str], where: str) -> None:
    result = run(sample_repo, *args)
    assert result.exit_code == 2
    assert f"Invalid value for {where}: no words to search for" in result.output


@pytest.mark.parametrize("command", [["intake"], ["export", "--repo", "acme/community", "--out", "x"]])
@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", ""])
def test_a_time_that_is_not_a_time_is_a_usage_error(sample_repo: Repo, command: list[str], since: str) -> None:
    result = run(sample_repo, *command, "--since", since)
    assert result.exit_code == 2 and "Invalid value for '--since'" in result.output
    assert "ISO 8601" in result.output


def test_a_time_with_an_offset_is_taken_as_github_writes_it() -> None:
    from crowdcare.cli.setup import iso_time

    assert iso_time(None, None, "2026-11-01T02:00:00+02:00") == "2026-11-01T00:00:00Z"  # type: ignore[arg-type]
