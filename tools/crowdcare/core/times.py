"""Time arithmetic for the response guarantee: parsing GitHub's timestamps and counting business hours. The
clock itself is :mod:`crowdcare.core.clock`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from crowdcare.core.errors import BadInputError
from crowdcare.core.settings import BusinessHours


def parse_time(value: str, what: str = "timestamp") -> dt.datetime:
    """An aware UTC datetime from GitHub's ISO 8601 (``2026-11-21T10:05:00Z``)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadInputError(f"{what}: {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _clock(text: str) -> dt.time | None:
    """``HH:MM``; ``24:00`` (end of day) is None."""
    hours, minutes = (int(part) for part in text.split(":"))
    return None if hours == 24 else dt.time(hours, minutes)


def _edge(day: dt.date, at: dt.time | None, zone: ZoneInfo) -> dt.datetime:
    if at is None:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), zone)
    return dt.datetime.combine(day, at, zone)


def elapsed_hours(start: dt.datetime, end: dt.datetime, business: BusinessHours | None) -> float:
    """Hours from ``start`` to ``end``: wall-clock, or only those within business hours when they are given.

    Days are walked in the business time zone, so daylight-saving changes and holidays fall where staff see
    them; differences are taken in UTC (aware datetimes in one zone subtract as wall-clock times in Python).
    """
    if end <= start:
        return 0.0
    if business is None:
        return (end - start).total_seconds() / 3600
    zone = ZoneInfo(business.timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    opens, closes = _clock(business.start), _clock(business.end)
    holidays = set(business.holidays)
    seconds = 0.0
    day = first
    while day <= last:
        if day.isoweekday() in business.days and day.isoformat() not in holidays:
            low = max(_edge(day, opens, zone).astimezone(dt.UTC), start)
            high = min(_edge(day, closes, zone).astimezone(dt.UTC), end)
            if high > low:
                seconds += (high - low).total_seconds()
        day += dt.timedelta(days=1)
    return seconds / 3600
