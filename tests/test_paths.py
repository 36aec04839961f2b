"""Nothing crowdcare writes or publishes leaves the repository: no write through a symbolic link or a `..`, no
linked page in the site (MkDocs follows links: a link to /proc/self/environ would be published)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.documents import inside, write_inside
from crowdcare.content.validate import validate_repository
from crowdcare.core.errors import BadInputError
from tests.builders import Repo, copy_community, init_git
from tests.conftest import COMMUNITY_SNAPSHOT

NOW = {"CROWDCARE_NOW": "2026-11-22T12:00:00Z"}


@pytest.mark.parametrize("rel", ["/etc/passwd", "../x.json", "metrics/../../x.jsonl", "", "a\\\\b"])
def test_a_path_that_leaves_the_repository_is_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(BadInputError):
        inside(tmp_path, rel)


def test_no_write_goes_through_a_linked_folder(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "metrics").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(BadInputError, match="symbolic link"):
        write_inside(root, "metrics/responses.json", "{}")
    assert list(elsewhere.iterdir()) == []
    assert write_inside(root, "ideas/x.md", "x").read_text() == "x"


def test_a_vote_history_outside_the_repository_is_a_config_finding(sample_repo: Repo) -> None:
    data = yaml.safe_load((sample_repo.root / "crowdcare.yml").read_text())
    data["votes"] = {"history": "metrics/../../x.jsonl"}
    sample_repo.write("crowdcare.yml", yaml.safe_dump(data))
    [found] = validate_repository(sample_repo.root)
    assert found.path == "crowdcare.yml" and "history" in found.message


def test_a_linked_page_in_docs_is_a_finding(sample_repo: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=x")
    (sample_repo.root / "docs").mkdir()
    (sample_repo.root / "docs" / "environ.md").symlink_to(secret)
    found = [(f.path, f.code) for f in validate_repository(sample_repo.root)]
    assert found == [("docs/environ.md", "CC103")]


def test_respond_with_a_linked_metrics_folder_stops_and_writes_nothing_outside(tmp_path: Path) -> None:
    root = copy_community(tmp_path / "repo")
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "metrics").symlink_to(elsewhere, target_is_directory=True)
    result = CliRunner().invoke(cli, ["--root", str(root), "respond", "--snapshot", str(tmp_path / "snap")], env=NOW)
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_tally_with_a_linked_history_writes_nothing_at_all(tmp_path: Path) -> None:
    root = init_git(copy_community(tmp_path / "repo"))
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "metrics").symlink_to(elsewhere, target_is_directory=True)
    before = {p: p.read_text() for p in (root / "ideas").glob("*.md")}
    result = CliRunner().invoke(cli, ["--root", str(root), "tally", "--snapshot", str(tmp_path / "snap")], env=NOW)
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == [] and {p: p.read_text() for p in (root / "ideas").glob("*.md")} == before


@pytest.mark.slow
def test_the_site_build_refuses_a_linked_page(sample_repo: Repo, tmp_path: Path) -> None:
    from tests.site.test_plugin import build_site

    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN=x")
    (sample_repo.root / "docs").mkdir()
    (sample_repo.root / "docs" / "environ.md").symlink_to(secret)
    result = build_site(sample_repo)
    assert result.returncode != 0 and "symbolic link" in result.stderr
    assert not (sample_repo.root / "site" / "environ").exists()
