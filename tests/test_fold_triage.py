"""The triage page tells the truth: a question folded into a solution in the same hourly run (respond, then
fold) is closed in the response ledger and loses the labels that page staff (the sample's #352-#354 showed
"Escalated" after they were folded, and support leads were paged on them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.ledger import load_ledger
from crowdcare.core.model import ResponseStatus
from tests.builders import copy_community, init_git
from tests.conftest import COMMUNITY_SNAPSHOT

NOW = {"CROWDCARE_NOW": "2026-11-22T12:00:00Z"}


def run(root: Path, snap: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--root", str(root), *args, "--snapshot", str(snap)], env=NOW)
    assert result.exit_code == 0, result.output


def test_a_question_folded_after_the_sweep_leaves_triage_and_its_staff_labels(tmp_path: Path) -> None:
    root = init_git(copy_community(tmp_path / "repo"))
    snap = tmp_path / "snap"
    shutil.copytree(COMMUNITY_SNAPSHOT, snap)
    run(root, snap, "intake", "--all")
    run(root, snap, "respond")
    result = CliRunner().invoke(cli, ["--root", str(root), "fold", "--snapshot", str(snap), "--json"], env=NOW)
    assert result.exit_code == 0, result.output
    folded = [o["ref"] for o in map(json.loads, result.stdout.splitlines()) if o["decision"] == "fold" and o["done"]]
    assert folded, "the sample has questions to fold"
    ledger, findings = load_ledger(root)
    assert ledger is not None and not findings
    records = {r.thread: r for r in ledger.records}
    for ref in folded:
        assert records[ref].status is ResponseStatus.CLOSED and records[ref].holder is None, ref
        assert not records[ref].status.is_waiting_on_us
    writes = [json.loads(line) for line in (snap / "outbox.jsonl").read_text().splitlines()]
    for ref in folded:
        removed = [w["labels"] for w in writes if w["op"] == "remove_labels" and w["thread"] == ref]
        had = [w["labels"] for w in writes if w["op"] == "add_labels" and w["thread"] == ref]
        staff_labels = {"needs-staff", "escalated"} & {label for labels in had for label in labels}
        assert staff_labels <= {label for labels in removed for label in labels}, (ref, had, removed)
