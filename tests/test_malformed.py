"""A corpus of malformed snapshots, run against every command that reads one: each answers with one line naming
the file (and the field where there is one), exits 2, and writes nothing: no thread, no outbox line, no file in
the repository. (Before: tracebacks, or a run that wrote for some threads and then crashed.)"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.builders import copy_community, git, init_git
from tests.conftest import COMMUNITY_SNAPSHOT

NOW = {"CROWDCARE_NOW": "2026-11-22T12:00:00Z"}


def _edit(path: str, change: Callable[[object], object]) -> Callable[[Path], str]:
    def apply(snap: Path) -> str:
        target = snap / path
        target.write_text(json.dumps(change(json.loads(target.read_text()))))
        return path

    return apply


def _first_comment(node: object, value: object) -> object:
    assert isinstance(node, dict)
    node["comments"]["nodes"][0]["id"] = value
    return node


def _no_title(node: object) -> object:
    assert isinstance(node, dict)
    del node["title"]
    return node


def _write(path: str, text: str) -> Callable[[Path], str]:
    def apply(snap: Path) -> str:
        (snap / path).write_text(text)
        return path

    return apply


def _folder(path: str) -> Callable[[Path], str]:
    def apply(snap: Path) -> str:
        (snap / path).mkdir()
        return path

    return apply


MALFORMED = {
    "a discussion file not named by number": _write("discussions/abc.json", "{}"),
    "a comments file holding an object": _write("issues/201.comments.json", '{"id": 1}'),
    "a discussion that is not JSON": _write("discussions/301.json", '{"number": 301,'),
    "a discussion without its title": _edit("discussions/301.json", _no_title),
    "a comment whose id is an object": _edit("discussions/301.json", lambda n: _first_comment(n, {"x": 1})),
    "a discussion that is a list": _write("discussions/302.json", "[1, 2]"),
    "the outbox a folder": _folder("outbox.jsonl"),
}
COMMANDS = {
    "intake": ["intake", "--all"],
    "respond": ["respond"],
    "fold": ["fold"],
    "promote": ["promote"],
    "tally": ["tally"],
    "buckets": ["buckets"],
    "similar": ["similar", "--title", "Bank feed stopped updating"],
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init_git(copy_community(tmp_path_factory.mktemp("malformed") / "repo"))
    return root


@pytest.mark.parametrize("damage", sorted(MALFORMED))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_malformed_snapshot_is_one_line_exit_2_and_nothing_written(
    pristine: Path, tmp_path: Path, damage: str, command: str
) -> None:
    from crowdcare.cli.main import cli

    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    snap = tmp_path / "snap"
    shutil.copytree(COMMUNITY_SNAPSHOT, snap)
    named = MALFORMED[damage](snap)
    before = {p.relative_to(snap).as_posix(): p.read_bytes() for p in snap.rglob("*") if p.is_file()}
    result = CliRunner().invoke(cli, ["--root", str(root), *COMMANDS[command], "--snapshot", str(snap)], env=NOW)
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("crowdcare: error:")]
    assert len(errors) == 1 and named.split("/")[-1] in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    after = {p.relative_to(snap).as_posix(): p.read_bytes() for p in snap.rglob("*") if p.is_file()}
    after.pop(".crowdcare.lock", None)
    assert after == before, "the snapshot changed"
    assert git(root, "status", "--porcelain") == "", "the repository changed"


def test_a_cache_folder_that_is_a_file_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crowdcare.cli.main import cli

    root = copy_community(tmp_path / "repo")
    cache = tmp_path / "cache-file"
    cache.write_text("not a folder")
    monkeypatch.setenv("CROWDCARE_CACHE_DIR", str(cache))
    result = CliRunner().invoke(cli, ["--root", str(root), "search", "bank feed"])
    assert result.exit_code == 2 and "cache-file" in result.stderr and "Traceback" not in result.stderr
