"""The response ledger is a repository file anyone can edit: it round-trips, and a bad one is refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import ValidationError

from crowdcare.content.ledger import LEDGER_PATH, load_ledger, merge_records, write_ledger
from crowdcare.core.model import ResponseLedger, ResponseRecord, ResponseStatus, SweepPoint

RECORD = ResponseRecord(
    "discussion #1", "https://github.com/a/b/discussions/1", "How?", "2026-11-01T00:00:00Z", ResponseStatus.NEW
)


def test_round_trip(tmp_path: Path) -> None:
    ledger = ResponseLedger("2026-11-02T00:00:00Z", "maya", (RECORD,), (SweepPoint("2026-11-02T00:00:00Z", 1, 0, 0),))
    write_ledger(tmp_path, ledger)
    loaded, findings = load_ledger(tmp_path)
    assert findings == [] and loaded == ledger


def test_no_ledger_yet_is_not_an_error(tmp_path: Path) -> None:
    assert load_ledger(tmp_path) == (None, [])


@pytest.mark.parametrize(
    "change",
    [
        {"url": "javascript:alert(1)"},
        {"url": 'https://x/"><script>'},
        {"status": "vip"},
        {"asked_at": "yesterday"},
        {"holder": "../../etc"},
        {"extra": 1},
    ],
)
def test_a_hostile_or_broken_record_is_refused_with_cc501(tmp_path: Path, change: dict[str, object]) -> None:
    record = {"thread": "issue #1", "url": "https://github.com/a/b/issues/1", "title": "t",
              "asked_at": "2026-11-01T00:00:00Z", "status": "new", **change}  # fmt: skip
    path = tmp_path / LEDGER_PATH
    path.parent.mkdir()
    path.write_text(json.dumps({"format": 1, "updated_at": "2026-11-01T00:00:00Z", "records": [record]}))
    loaded, findings = load_ledger(tmp_path)
    assert loaded is None and [f.code for f in findings] == ["CC501"]
    assert "records/0" in findings[0].message


def test_not_json_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "metrics").mkdir()
    (tmp_path / LEDGER_PATH).write_text('{\n"format": 1,\n oops\n}')
    _, findings = load_ledger(tmp_path)
    assert findings[0].line == 3


def test_writing_refuses_what_the_schema_refuses_and_keeps_the_old_file(tmp_path: Path) -> None:
    write_ledger(tmp_path, ResponseLedger("2026-11-02T00:00:00Z", records=(RECORD,)))
    before = (tmp_path / LEDGER_PATH).read_bytes()
    bad = ResponseLedger(
        "2026-11-02T00:00:00Z", records=(ResponseRecord("x", "ftp://x", "t", "now", ResponseStatus.NEW),)
    )
    with pytest.raises(ValidationError):
        write_ledger(tmp_path, bad)
    assert (tmp_path / LEDGER_PATH).read_bytes() == before


def test_a_sweeps_records_replace_earlier_ones_and_others_stay() -> None:
    other = ResponseRecord(
        "issue #9", "https://github.com/a/b/issues/9", "t", "2026-10-01T00:00:00Z", ResponseStatus.CLOSED
    )
    newer = ResponseRecord(RECORD.thread, RECORD.url, "How?", RECORD.asked_at, ResponseStatus.ACCEPTED)
    merged = merge_records((RECORD, other), [newer])
    assert merged == (other, newer)
    assert merge_records((RECORD, other), [], keep_since="2026-10-15T00:00:00Z") == (RECORD,)
