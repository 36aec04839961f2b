"""`crowdcare init`: a new community repository that works at once, written without overwriting anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crowdcare.adopt.scaffold import community_files
from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from crowdcare.content.validate import validate_repository
from tests.conftest import REPO_ROOT
from tests.test_forms import check
from tests.test_workflows import Yaml12Loader, zizmor

ARGS = ["--name", "Acme community", "--repo", "acme/community"]


def init(directory: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["init", str(directory), *(args or ARGS)])


@pytest.fixture
def made(tmp_path: Path) -> Path:
    result = init(tmp_path / "acme")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return tmp_path / "acme"


def test_it_writes_a_complete_community_that_validates(made: Path) -> None:
    for path in ("crowdcare.yml", "mkdocs.yml", "CONTRIBUTING.md", "docs/about.md", "requirements.txt",
                 "constraints.txt", ".gitignore", "kb/.gitkeep", "ideas/.gitkeep", ".github/ISSUE_TEMPLATE/config.yml",
                 ".github/DISCUSSION_TEMPLATE/q-a.yml", ".github/scripts/push-to-main.sh"):  # fmt: skip
        assert (made / path).is_file(), path
    assert {p.stem for p in (made / ".github/workflows").glob("*.yml")} == {
        "intake", "respond", "promote", "tally", "publish", "ci"}  # fmt: skip
    assert validate_repository(made) == []
    content = load_content(made)
    assert content.config is not None and content.config.name == "Acme community"
    assert content.config.repo == "acme/community" and content.config.staff == ()
    assert content.config.site_url == "https://acme.github.io/community/"
    assert content.solutions == () and content.ideas == ()
    assert os.access(made / ".github/scripts/push-to-main.sh", os.X_OK)
    assert "crowdcare==" in (made / "requirements.txt").read_text()


def test_no_sample_people_or_products_come_along(made: Path) -> None:
    for path in made.rglob("*"):
        if path.is_file() and path.name != "constraints.txt":
            text = path.read_text("utf-8").lower()
            for sample in ("tallybook", "fernhill", "maya-okafor", "fictional"):
                assert sample not in text, f"{path}: {sample}"


def test_its_workflows_are_this_repositorys_and_zizmor_finds_nothing(made: Path) -> None:
    for name in ("intake", "respond", "promote", "tally", "publish"):
        ours = (REPO_ROOT / ".github/workflows" / f"{name}.yml").read_text()
        assert (made / ".github/workflows" / f"{name}.yml").read_text() == ours, f"{name}.yml drifted from the template"
    assert (made / ".github/scripts/push-to-main.sh").read_text() == (
        REPO_ROOT / ".github/scripts/push-to-main.sh"
    ).read_text()
    for same in ("constraints.txt", "docs/stylesheets/crowdcare.css"):
        assert (made / same).read_text() == (REPO_ROOT / same).read_text(), f"{same} drifted from the template"
    # The theme override: this repository's adds only the sample's banner to the template's.
    assert (REPO_ROOT / "overrides/main.html").read_text().startswith((made / "overrides/main.html").read_text())
    assert zizmor(made / ".github" / "workflows") == []
    for path in (made / ".github/workflows").glob("*.yml"):
        assert yaml.load(path.read_text(), Loader=Yaml12Loader)  # noqa: S506 (a SafeLoader subclass)


def test_its_forms_match_githubs_schemas(made: Path) -> None:
    for path in (made / ".github/ISSUE_TEMPLATE").glob("*.yml"):
        check(path, "github-issue-config" if path.stem == "config" else "github-issue-forms")
    for path in (made / ".github/DISCUSSION_TEMPLATE").glob("*.yml"):
        check(path, "github-discussion")


@pytest.mark.slow
def test_its_site_builds_strict(made: Path) -> None:
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    result = subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=made, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Acme community" in (made / "site" / "index.html").read_text()


def test_it_never_overwrites_without_force(made: Path) -> None:
    (made / "crowdcare.yml").write_text("# mine\n")
    (made / "mkdocs.yml").unlink()
    again = init(made)
    assert again.exit_code == 2  # type: ignore[attr-defined]
    assert "crowdcare.yml exists" in again.stderr and "nothing written" in again.stderr  # type: ignore[attr-defined]
    assert (made / "crowdcare.yml").read_text() == "# mine\n" and not (made / "mkdocs.yml").exists()
    forced = init(made, *ARGS, "--force")
    assert forced.exit_code == 0 and "Acme community" in (made / "crowdcare.yml").read_text()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--name", "Acme", "--repo", "acme"], "--repo"),
        (["--name", "Acme", "--repo", "acme/../etc"], "--repo"),
        (["--name", "", "--repo", "acme/community"], "--name"),
        (["--name", "Acme", "--repo", "acme/community", "--site-url", "javascript:alert(1)"], "--site-url"),
    ],
)
def test_bad_input_names_the_option_and_writes_nothing(tmp_path: Path, args: list[str], named: str) -> None:
    result = init(tmp_path / "x", *args)
    assert result.exit_code == 2 and named in result.stderr  # type: ignore[attr-defined]
    assert not (tmp_path / "x").exists()


def test_a_hostile_name_stays_text_in_yaml_and_markdown(tmp_path: Path) -> None:
    name = 'Acme: "x" <script>alert(1)</script> [link](javascript:x) {{repo}}'
    files = community_files(name, "acme/community")
    assert yaml.safe_load(files["crowdcare.yml"])["community"]["name"] == name
    assert yaml.safe_load(files["mkdocs.yml"].replace("!!python", ""))["site_name"] == name
    about = files["docs/about.md"]
    assert "<script>" not in about and "](javascript:" not in about
