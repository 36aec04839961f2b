"""Response metrics from the ledger: time to first response and to an accepted answer (median and 90th
percentile), who answered (community or staff), the open backlog over time, and who is waiting now.

Definitions (also on the site's metrics page):
- time to first response: from the question to the first reply by anyone but the asker and bots;
- time to accepted answer: from the question to the posting of the reply that was accepted;
- backlog on a day: questions asked by the end of that day, neither closed nor answered (accepted) by then;
  "without any reply" counts those nobody but the asker had replied to.
Questions still waiting are not in the time figures (their time is not known yet); the backlog shows them.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from crowdcare.hours import parse_time
from crowdcare.model import ResponseLedger, ResponseRecord

BACKLOG_DAYS = 90


@dataclass(frozen=True)
class Spread:
    count: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True)
class BacklogDay:
    day: dt.date
    open: int
    without_reply: int


@dataclass(frozen=True)
class ResponseMetrics:
    questions: int
    first_response: Spread
    accepted_answer: Spread
    answered_by_community: int
    answered_by_staff: int
    backlog: tuple[BacklogDay, ...]
    waiting: tuple[ResponseRecord, ...]  # the customers waiting on us now, oldest first


def nearest_rank(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (the value at rank ceil(share * n)): always one of the measured values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _spread(hours: list[float]) -> Spread:
    return Spread(len(hours), nearest_rank(hours, 0.5), nearest_rank(hours, 0.9))


def _hours(start: str, end: str | None) -> float | None:
    if end is None:
        return None
    return max(0.0, (parse_time(end) - parse_time(start)).total_seconds() / 3600)


def _when(moment: str | None, default: dt.datetime) -> dt.datetime:
    return parse_time(moment) if moment is not None else default


def compute_metrics(ledger: ResponseLedger, now: dt.datetime | None = None) -> ResponseMetrics:
    """Every figure the community page shows; ``now`` defaults to the ledger's last update."""
    records = ledger.records
    now = now or parse_time(ledger.updated_at)
    first = [h for r in records if (h := _hours(r.asked_at, r.first_response_at)) is not None]
    accepted = [h for r in records if (h := _hours(r.asked_at, r.answered_at)) is not None]
    backlog = []
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    times = [
        (
            parse_time(r.asked_at),
            min(_when(r.closed_at, never), _when(r.answered_at, never)),  # leaves the backlog
            _when(r.first_response_at, never),
        )
        for r in records
    ]
    if times:
        day = max(min(t[0] for t in times).date(), now.date() - dt.timedelta(BACKLOG_DAYS))
        while day <= now.date():
            end = min(dt.datetime.combine(day, dt.time(23, 59, 59), dt.UTC), now)
            still_open = [t for t in times if t[0] <= end < t[1]]
            silent = sum(1 for t in still_open if end < t[2])
            backlog.append(BacklogDay(day, len(still_open), silent))
            day += dt.timedelta(days=1)
    waiting = sorted((r for r in records if r.status.is_waiting_on_us), key=lambda r: (r.asked_at, r.thread))
    return ResponseMetrics(
        questions=len(records),
        first_response=_spread(first),
        accepted_answer=_spread(accepted),
        answered_by_community=sum(r.answered_by == "community" for r in records),
        answered_by_staff=sum(r.answered_by == "staff" for r in records),
        backlog=tuple(backlog),
        waiting=tuple(waiting),
    )


def format_hours(hours: float | None) -> str:
    """1.5 → '1 h 30 min', 50 → '2 d 2 h', None → '–'."""
    if hours is None:
        return "–"
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        whole, rest = divmod(minutes, 60)
        return f"{whole} h {rest} min" if rest else f"{whole} h"
    days, rest = divmod(round(hours), 24)
    return f"{days} d {rest} h" if rest else f"{days} d"


def age_hours(record: ResponseRecord, now: dt.datetime) -> float:
    return max(0.0, (now - parse_time(record.asked_at)).total_seconds() / 3600)
