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
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from crowdcare.core.i18n import tr
from crowdcare.core.model import Idea, ResponseLedger, ResponseRecord
from crowdcare.core.times import format_time, parse_time

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
    """1.5 → '1 h 30 min', 50 → '2 d 2 h', None → '–' (in the language of the pages being built)."""
    if hours is None:
        return "–"
    minutes = round(hours * 60)
    if minutes < 60:
        return tr("{minutes} min", minutes=minutes)
    if minutes < 48 * 60:
        whole, rest = divmod(minutes, 60)
        return tr("{hours} h {minutes} min", hours=whole, minutes=rest) if rest else tr("{hours} h", hours=whole)
    days, rest = divmod(round(hours), 24)
    return tr("{days} d {hours} h", days=days, hours=rest) if rest else tr("{days} d", days=days)


def age_hours(record: ResponseRecord, now: dt.datetime) -> float:
    return max(0.0, (now - parse_time(record.asked_at)).total_seconds() / 3600)


# --- honest figures for a window (crowdcare metrics) ------------------------------------------------------------

DECIDED = ("planned", "in-progress", "shipped", "declined", "duplicate")


@dataclass(frozen=True)
class Timing:
    """Time to an event over the questions asked in a window, counting the ones still waiting: median and 90th
    percentile by the Kaplan-Meier estimate (a question still waiting is known to have waited at least this
    long), and the share within the target where the outcome is known (waiting past the target is a miss)."""

    median_hours: float | None  # None: more than half are still waiting (see at_least_hours)
    p90_hours: float | None
    within_target: float | None
    target_hours: float
    happened: int
    still_waiting: int  # open, without it yet
    waiting_past_target: int
    at_least_hours: float  # the longest a question in the window has waited without it
    closed_without: int = 0  # closed (folded, closed kindly...) without it: censored at the close


def survival_quantile(durations: list[tuple[float, bool]], share: float) -> float | None:
    """The time by which ``share`` of the questions saw the event, estimated with Kaplan-Meier: each duration is
    (hours, happened); one that has not happened yet counts while it is at risk. None when not reached."""
    at_risk = len(durations)
    surviving = 1.0
    for hours in sorted({h for h, _ in durations}):
        events = sum(1 for h, seen in durations if h == hours and seen)
        if events and at_risk:
            surviving *= 1 - events / at_risk
            if surviving <= 1 - share + 1e-12:
                return round(hours, 2)
        at_risk -= sum(1 for h, _ in durations if h == hours)
    return None


def timing(durations: list[tuple[float, bool]], target_hours: float, closed: list[bool] | None = None) -> Timing:
    """Figures over (hours, happened) durations; ``closed`` marks, for each, a question closed without the event
    (it counts in the estimate and as a miss past the target, but is not "still waiting")."""
    shut = closed or [False] * len(durations)
    seen = [h for h, happened in durations if happened]
    censored = [(h, c) for (h, happened), c in zip(durations, shut, strict=True) if not happened]
    waiting = [h for h, c in censored if not c]
    hits = sum(1 for h in seen if h <= target_hours)
    misses = len(seen) - hits + sum(1 for h, _ in censored if h > target_hours)
    return Timing(
        median_hours=survival_quantile(durations, 0.5),
        p90_hours=survival_quantile(durations, 0.9),
        within_target=round(hits / (hits + misses), 4) if hits + misses else None,
        target_hours=target_hours,
        happened=len(seen),
        still_waiting=len(waiting),
        waiting_past_target=sum(1 for h in waiting if h > target_hours),
        at_least_hours=round(max(waiting, default=0.0), 2),
        closed_without=len(censored) - len(waiting),
    )


def window_figures(
    ledger: ResponseLedger | None,
    ideas: Sequence[Idea],
    now: dt.datetime,
    *,
    window_days: int,
    community_target_hours: float,
    staff_target_hours: float,
) -> dict[str, object]:
    """What `crowdcare metrics --json` prints: the questions asked and the idea decisions made in the window."""
    start = now - dt.timedelta(days=window_days)
    records = [r for r in (ledger.records if ledger else ()) if start <= parse_time(r.asked_at) <= now]

    def until(record: ResponseRecord, moment: str | None) -> tuple[float, bool]:
        """(hours, happened): to ``moment``, or, not happened yet, to now (or to the close, if it closed)."""
        if moment is not None:
            return _hours(record.asked_at, moment) or 0.0, True
        end = min(parse_time(record.closed_at), now) if record.closed_at else now
        return _hours(record.asked_at, format_time(end)) or 0.0, False

    first = [until(r, r.first_response_at) for r in records]
    accepted = [until(r, r.answered_at) for r in records]
    by = [r.first_response_by for r in records if r.first_response_at]
    waiting = [r for r in records if r.status.is_waiting_on_us and r.first_response_at is None]
    return {
        "window_days": window_days,
        "from": format_time(start),
        "to": format_time(now),
        "questions": len(records),
        "waiting": len(waiting),
        "first_response": asdict(timing(first, community_target_hours, [r.closed_at is not None for r in records])),
        "accepted_answer": asdict(timing(accepted, staff_target_hours, [r.closed_at is not None for r in records])),
        "community_share": round(by.count("community") / len(by), 4) if by else None,
        "first_response_by": {"community": by.count("community"), "staff": by.count("staff")},
        "deflected": _deflected(records),
        "ideas": _idea_figures(ideas, start, now),
        "staff": _staff_load(records, now),
    }


def _deflected(records: Sequence[ResponseRecord]) -> dict[str, object]:
    """Questions folded into a solution with consent, and what the askers said to duplicate claims."""
    claimed = [r for r in records if r.claim_outcome is not None]
    folded = sum(1 for r in claimed if r.claim_outcome == "folded")
    return {
        "folded": folded,
        "share_of_questions": round(folded / len(records), 4) if records else None,
        "claims_made": len(claimed),
        "claims_agreed": sum(1 for r in claimed if r.claim_outcome in ("agreed", "folded")),
        "claims_objected": sum(1 for r in claimed if r.claim_outcome == "objected"),
        "claims_pending": sum(1 for r in claimed if r.claim_outcome == "pending"),
    }


def _idea_figures(ideas: Sequence[Idea], start: dt.datetime, now: dt.datetime) -> dict[str, object]:
    """Decisions in the window, the median days to an idea's first decision, and where all ideas stand."""
    decisions = [
        c for i in ideas for c in i.history if c.status.value in DECIDED and start.date() <= c.on <= now.date()
    ]
    first_decision = [
        (min(c.on for c in i.history if c.status.value in DECIDED) - i.created).days
        for i in ideas
        if any(c.status.value in DECIDED for c in i.history)
    ]
    statuses = [i.status.value for i in ideas]
    return {
        "count": len(ideas),
        "decisions_in_window": len(decisions),
        "median_days_to_decision": statistics.median(first_decision) if first_decision else None,
        "share_shipped": round(statuses.count("shipped") / len(ideas), 4) if ideas else None,
        "share_declined": round(statuses.count("declined") / len(ideas), 4) if ideas else None,
        "share_open": round(statuses.count("open") / len(ideas), 4) if ideas else None,
    }


def _staff_load(records: Sequence[ResponseRecord], now: dt.datetime) -> list[dict[str, object]]:
    """Each staff member's open questions held, and the oldest's age in hours."""
    load: dict[str, list[float]] = {}
    for record in records:
        if record.status.is_waiting_on_us and record.holder:
            load.setdefault(record.holder, []).append(_hours(record.asked_at, format_time(now)) or 0.0)
    return [
        {"login": login, "open_held": len(ages), "oldest_hours": round(max(ages), 2)}
        for login, ages in sorted(load.items())
    ]
