"""`crowdcare respond` on the sample community with the demo's clock: acts, writes the ledger, reruns quietly,
reports who waits, and refuses a broken ledger by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.ledger import LEDGER_PATH, load_ledger
from tests.builders import copy_community
from tests.conftest import COMMUNITY_SNAPSHOT

NOW = "2026-11-22T12:00:00Z"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    return copy_community(tmp_path / "repo")


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), "respond", "--snapshot", str(root.parent / "snap"), *args],
                                env={"CROWDCARE_NOW": NOW})  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def test_a_sweep_acts_once_and_writes_the_ledger(root: Path) -> None:
    code, out, err = run(root, "--json")
    assert code == 0, err
    outcomes = [json.loads(line) for line in out.splitlines()]
    rules = {a["rule"] for o in outcomes for a in o["actions"]}
    assert {"acknowledge", "escalate", "remind", "close-waiting", "reopen"} <= rules
    ledger, findings = load_ledger(root)
    assert ledger is not None and not findings and ledger.updated_at == NOW
    assert len(ledger.records) == len(outcomes) and ledger.rotation_last is not None
    outbox = (root.parent / "snap" / "outbox.jsonl").read_text().splitlines()

    code, out, _ = run(root, "--json")
    assert code == 0 and all(json.loads(line)["actions"] == [] for line in out.splitlines())
    assert (root.parent / "snap" / "outbox.jsonl").read_text().splitlines() == outbox
    again, _ = load_ledger(root)
    assert again is not None and len(again.sweeps) == 2 and again.records == ledger.records


def test_the_report_lists_who_waits_and_changes_nothing(root: Path) -> None:
    code, out, _ = run(root, "--report", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["status"] in ("new", "needs-staff", "escalated") for r in rows)
    assert [r["bucket_size"] for r in rows] == sorted((r["bucket_size"] for r in rows), reverse=True)
    assert not (root / LEDGER_PATH).exists() and not (root.parent / "snap" / "outbox.jsonl").exists()


def test_a_broken_ledger_stops_the_sweep_with_its_name(root: Path) -> None:
    (root / "metrics").mkdir()
    (root / LEDGER_PATH).write_text("{not json")
    code, _, err = run(root)
    assert code == 2 and "metrics/responses.json" in err and "CC501" in err
    assert not (root.parent / "snap" / "outbox.jsonl").exists()


def test_records_older_than_keep_days_leave_the_ledger(root: Path) -> None:
    old = {"thread": "issue #1", "url": "https://github.com/a/b/issues/1", "title": "Old", "status": "closed",
           "asked_at": "2024-01-01T00:00:00Z"}  # fmt: skip
    recent = {**old, "thread": "issue #2", "asked_at": "2026-10-01T00:00:00Z"}
    (root / "metrics").mkdir()
    (root / LEDGER_PATH).write_text(
        json.dumps({"format": 1, "updated_at": "2026-11-21T00:00:00Z", "records": [old, recent]})
    )
    assert run(root)[0] == 0
    ledger, _ = load_ledger(root)
    assert ledger is not None
    threads = {r.thread for r in ledger.records}
    assert "issue #2" in threads and "issue #1" not in threads
