"""The response ledger, ``metrics/responses.json``: what every sweep of `crowdcare respond` writes into the
repository (one record per customer question, the staff rotation's position, a point per sweep) and what the
site's community metrics and triage pages are built from.

It is a repository file, so anyone can edit it in a pull request: it is read strictly (JSON Schema, sizes,
timestamps) and every title in it is treated as user text when rendered.

The vote history (``votes.history``, JSON lines, one per tally) lives here too: `crowdcare tally` appends to it
and the idea pages draw their trends from it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from crowdcare.content.documents import write_inside
from crowdcare.content.rules import finding
from crowdcare.content.schema import validator
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Finding, HistoryEntry, ResponseLedger, ResponseRecord, ResponseStatus, SweepPoint
from crowdcare.core.times import parse_time

LEDGER_PATH = "metrics/responses.json"
MAX_BYTES = 64 * 1024 * 1024
MAX_SWEEPS = 2_000  # about three months of hourly sweeps
FORMAT = 1


def load_ledger(root: Path) -> tuple[ResponseLedger | None, list[Finding]]:
    """The ledger under ``root`` (None when there is none yet), and what is wrong with it."""
    path = root / LEDGER_PATH
    if not path.exists() and not path.is_symlink():
        return None, []
    if path.is_symlink() or not path.is_file():
        return None, [finding("CC501", LEDGER_PATH, 1, "is a link or not a regular file")]
    if path.stat().st_size > MAX_BYTES:
        return None, [finding("CC501", LEDGER_PATH, 1, f"is larger than {MAX_BYTES // 2**20} MiB")]
    try:
        data = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        return None, [finding("CC501", LEDGER_PATH, line, f"is not JSON ({exc})")]
    error = next(iter(sorted(validator("responses").iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        return None, [finding("CC501", LEDGER_PATH, 1, f"{where}: {error.message[:200]}")]
    return ledger_from_mapping(data), []


def ledger_from_mapping(data: dict[str, Any]) -> ResponseLedger:
    records = tuple(
        ResponseRecord(**{**record, "status": ResponseStatus(record["status"])}) for record in data["records"]
    )
    return ResponseLedger(
        updated_at=data["updated_at"],
        rotation_last=data.get("rotation_last"),
        records=records,
        sweeps=tuple(SweepPoint(**point) for point in data.get("sweeps", [])),
    )


def ledger_to_mapping(ledger: ResponseLedger) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "updated_at": ledger.updated_at,
        "rotation_last": ledger.rotation_last,
        "records": [{**asdict(r), "status": r.status.value} for r in ledger.records],
        "sweeps": [asdict(p) for p in ledger.sweeps[-MAX_SWEEPS:]],
    }


def ledger_text(ledger: ResponseLedger) -> str:
    """The ledger file's text, checked against the schema first."""
    data = ledger_to_mapping(ledger)
    validator("responses").validate(data)
    return json.dumps(data, indent=1, ensure_ascii=True) + "\n"


def write_ledger(root: Path, ledger: ResponseLedger) -> Path:
    """Write atomically (a crash leaves the old ledger or the new one)."""
    return write_inside(root, LEDGER_PATH, ledger_text(ledger))


def close_records(ledger: ResponseLedger, folded: Mapping[str, str], at: str) -> ResponseLedger:
    """The ledger with these threads (``"discussion #301"`` -> the solution it was folded into) closed at ``at``
    as folded: a question folded after the respond sweep leaves the triage page and its count of who is waiting
    in the same run, and counts as deflected on the metrics page."""
    records = tuple(
        replace(
            r,
            status=ResponseStatus.CLOSED,
            closed_at=r.closed_at or at,
            holder=None,
            claim=folded[r.thread] or r.claim,
            claim_outcome="folded",
        )
        if r.thread in folded and (r.status is not ResponseStatus.CLOSED or r.claim_outcome != "folded")
        else r
        for r in ledger.records
    )
    return replace(ledger, records=records)


def merge_records(
    old: tuple[ResponseRecord, ...], new: list[ResponseRecord], keep_since: str | None = None
) -> tuple[ResponseRecord, ...]:
    """Records of this sweep replace earlier ones for the same thread; others stay (closed threads are not
    listed by a sweep but still count in the metrics). Records asked before ``keep_since`` are dropped."""
    by_thread = {r.thread: r for r in old}
    by_thread.update({r.thread: r for r in new})
    kept = [r for r in by_thread.values() if keep_since is None or r.asked_at >= keep_since]
    return tuple(sorted(kept, key=lambda r: (r.asked_at, r.thread)))


# --- the vote history (votes.history, JSON lines), written by `crowdcare tally` ---------------------------------

MAX_HISTORY_BYTES = 64 * 1024 * 1024


class HistoryLineError(BadInputError):
    """A line of the vote history that is not a history entry; ``line`` is its number."""

    def __init__(self, where: str, line: int, reason: str) -> None:
        super().__init__(f"{where}:{line}: {reason}")
        self.line = line
        self.reason = reason


def read_history(text: str, where: str) -> list[HistoryEntry]:
    """Raises HistoryLineError naming the line that is not a history entry."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            votes = {
                str(slug): (int(v[0]), int(v[1]), None if v[2] is None else int(v[2])) for slug, v in data["v"].items()
            }
            at = str(data["at"])
            parse_time(at)
            entries.append(HistoryEntry(at, votes))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, BadInputError) as exc:
            raise HistoryLineError(where, number, f"not a vote history line ({exc})") from None
    return entries


def write_history(entries: Iterable[HistoryEntry]) -> str:
    return "".join(
        json.dumps({"at": e.at, "v": {slug: list(f) for slug, f in sorted(e.votes.items())}}, separators=(",", ":"))
        + "\n"
        for e in entries
    )


def load_vote_history(root: Path, rel: str) -> tuple[list[HistoryEntry], list[Finding]]:
    path = root / rel
    if not path.exists() and not path.is_symlink():
        return [], []
    if path.is_symlink() or not path.is_file():
        return [], [finding("CC502", rel, 1, "is a link or not a regular file")]
    if path.stat().st_size > MAX_HISTORY_BYTES:
        return [], [finding("CC502", rel, 1, f"is larger than {MAX_HISTORY_BYTES // 2**20} MiB")]
    try:
        return read_history(path.read_text("utf-8"), rel), []
    except UnicodeDecodeError as exc:
        return [], [finding("CC502", rel, 1, f"is not UTF-8 ({exc})")]
    except HistoryLineError as exc:
        return [], [finding("CC502", rel, exc.line, exc.reason)]
