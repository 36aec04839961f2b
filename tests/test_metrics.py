"""Response metrics from the ledger: percentiles, who answered, the backlog day by day."""

from __future__ import annotations

import datetime as dt

from crowdcare.metrics import compute_metrics, format_hours, nearest_rank
from crowdcare.model import ResponseLedger, ResponseRecord, ResponseStatus


def record(n: int, asked: str, status: ResponseStatus = ResponseStatus.ACCEPTED, **kw: object) -> ResponseRecord:
    return ResponseRecord(f"discussion #{n}", f"https://github.com/a/b/discussions/{n}", f"Q{n}", asked, status, **kw)  # type: ignore[arg-type]


def test_nearest_rank_percentiles_are_measured_values() -> None:
    assert nearest_rank([], 0.5) is None
    assert nearest_rank([5.0], 0.9) == 5.0
    assert nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert nearest_rank([4, 1, 3, 2], 0.5) == 2


def test_times_shares_and_waiting() -> None:
    ledger = ResponseLedger(
        updated_at="2026-11-10T12:00:00Z",
        records=(
            record(1, "2026-11-01T00:00:00Z", first_response_at="2026-11-01T01:00:00Z", first_response_by="community",
                   answered_at="2026-11-01T02:00:00Z", answered_by="community"),
            record(2, "2026-11-02T00:00:00Z", first_response_at="2026-11-02T10:00:00Z", first_response_by="staff",
                   answered_at="2026-11-02T10:00:00Z", answered_by="staff"),
            record(3, "2026-11-09T00:00:00Z", ResponseStatus.NEEDS_STAFF),
            record(4, "2026-11-08T00:00:00Z", ResponseStatus.NEW),
        ),
    )  # fmt: skip
    metrics = compute_metrics(ledger)
    assert (metrics.first_response.count, metrics.first_response.median_hours, metrics.first_response.p90_hours) == (
        2,
        1.0,
        10.0,
    )
    assert metrics.accepted_answer.median_hours == 2.0
    assert (metrics.answered_by_community, metrics.answered_by_staff) == (1, 1)
    assert [r.thread for r in metrics.waiting] == ["discussion #4", "discussion #3"]  # oldest first
    by_day = {p.day: (p.open, p.without_reply) for p in metrics.backlog}
    assert by_day[dt.date(2026, 11, 1)] == (0, 0)  # asked and answered the same day
    assert by_day[dt.date(2026, 11, 8)] == (1, 1)
    assert by_day[dt.date(2026, 11, 10)] == (2, 2)


def test_closed_questions_leave_the_backlog() -> None:
    ledger = ResponseLedger(
        updated_at="2026-11-05T00:00:00Z",
        records=(record(1, "2026-11-01T00:00:00Z", ResponseStatus.CLOSED, closed_at="2026-11-03T00:00:00Z"),),
    )
    by_day = {p.day.day: p.open for p in compute_metrics(ledger).backlog}
    assert by_day == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0}


def test_hours_read_like_people_write_them() -> None:
    assert [format_hours(h) for h in (None, 0.25, 1.5, 26, 50, 72)] == [
        "–",
        "15 min",
        "1 h 30 min",
        "26 h",
        "2 d 2 h",
        "3 d",
    ]
