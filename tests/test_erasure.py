"""Erasure: `crowdcare forget LOGIN[:ID]` replaces a person everywhere crowdcare publishes them, with one
pseudonym, drops their id, validates, and writes nothing on a dry run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from crowdcare.content.validate import validate_repository
from crowdcare.people.erasure import new_pseudonym
from tests.builders import copy_community

KENJI = "kenji-watanabe"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    made = copy_community(tmp_path / "repo")
    # The ledger names him too: as the first responder to a question.
    ledger = {"format": 1, "updated_at": "2026-11-02T00:00:00Z", "rotation_last": None, "records": [
        {"thread": "discussion #9", "url": "https://github.com/acme/c/discussions/9", "title": "Sync",
         "asked_at": "2026-11-01T00:00:00Z", "status": "answered", "first_responder": KENJI}]}  # fmt: skip
    (made / "metrics").mkdir(exist_ok=True)
    (made / "metrics/responses.json").write_text(json.dumps(ledger))
    return made


def forget(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), "forget", *args])


def everything(root: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in root.rglob("*") if p.is_file() and "snapshot" not in p.parts)


def test_a_person_is_forgotten_everywhere_crowdcare_publishes_them(root: Path) -> None:
    assert KENJI in everything(root) and "91827364" in everything(root)
    result = forget(root, f"{KENJI}:91827364", "--as", "former-member-0a1b2c3d")
    assert result.exit_code == 0, result.output
    text = everything(root)
    assert KENJI not in text and "91827364" not in text
    assert "former-member-0a1b2c3d" in text and "is former-member-0a1b2c3d in" in result.stderr
    content = load_content(root)
    assert any(i.author.login == "former-member-0a1b2c3d" and i.author.id is None for i in content.ideas)
    assert any(c.person.login == "former-member-0a1b2c3d" for s in content.solutions for c in s.contributors)
    assert json.loads((root / "metrics/responses.json").read_text())["records"][0]["first_responder"] == (
        "former-member-0a1b2c3d"
    )
    assert [f for f in validate_repository(root) if f.severity != "warning"] == []


def test_a_dry_run_writes_nothing_and_nobody_named_is_nothing_to_do(root: Path) -> None:
    before = everything(root)
    assert forget(root, KENJI, "--dry-run").exit_code == 0
    assert everything(root) == before
    nobody = forget(root, "no-such-person")
    assert nobody.exit_code == 0 and "nothing to do" in nobody.stderr and everything(root) == before


@pytest.mark.parametrize("bad", ["not a login", "ok:12x", "under_score"])
def test_a_bad_person_is_refused_with_usage(root: Path, bad: str) -> None:
    result = forget(root, bad)
    assert result.exit_code == 2 and "LOGIN or LOGIN:ID" in result.output


def test_each_pseudonym_is_new_and_written_like_a_login() -> None:
    names = {new_pseudonym() for _ in range(50)}
    assert len(names) == 50 and all(n.startswith("former-member-") and len(n) == 22 for n in names)
