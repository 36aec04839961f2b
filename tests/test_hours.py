"""Business hours: only staff time counts, in the configured zone, with holidays and daylight saving."""

from __future__ import annotations

import datetime as dt

import pytest

from crowdcare.core.errors import BadInputError
from crowdcare.core.settings import BusinessHours
from crowdcare.core.times import elapsed_hours, format_time, parse_time

LONDON = BusinessHours("Europe/London", (1, 2, 3, 4, 5), "09:00", "17:00")


def utc(text: str) -> dt.datetime:
    return parse_time(text)


def test_wall_clock_without_business_hours() -> None:
    assert elapsed_hours(utc("2026-11-20T10:00:00Z"), utc("2026-11-21T12:30:00Z"), None) == 26.5
    assert elapsed_hours(utc("2026-11-21T12:00:00Z"), utc("2026-11-20T10:00:00Z"), None) == 0.0


def test_a_weekend_does_not_count() -> None:
    # Friday 16:00 to Monday 10:00 London: one hour on Friday, one on Monday.
    assert elapsed_hours(utc("2026-11-20T16:00:00Z"), utc("2026-11-23T10:00:00Z"), LONDON) == 2.0


def test_holidays_do_not_count() -> None:
    hours = BusinessHours("Europe/London", LONDON.days, "09:00", "17:00", ("2026-11-23",))
    assert elapsed_hours(utc("2026-11-20T16:00:00Z"), utc("2026-11-24T10:00:00Z"), hours) == 2.0


def test_the_zone_is_respected_across_daylight_saving() -> None:
    # 2026-03-30 is after the UK clocks went forward: 09:00 London is 08:00 UTC.
    assert elapsed_hours(utc("2026-03-30T08:00:00Z"), utc("2026-03-30T09:00:00Z"), LONDON) == 1.0
    # Before: 09:00 London is 09:00 UTC, so 08:00-09:00 UTC is outside.
    assert elapsed_hours(utc("2026-03-27T08:00:00Z"), utc("2026-03-27T09:00:00Z"), LONDON) == 0.0


def test_a_day_can_end_at_midnight() -> None:
    late = BusinessHours("UTC", (1, 2, 3, 4, 5, 6, 7), "20:00", "24:00")
    assert elapsed_hours(utc("2026-11-20T19:00:00Z"), utc("2026-11-21T21:00:00Z"), late) == 5.0


def test_timestamps_parse_and_print_in_githubs_form() -> None:
    assert format_time(parse_time("2026-11-20T10:00:00+01:00")) == "2026-11-20T09:00:00Z"
    with pytest.raises(BadInputError, match="not an ISO 8601"):
        parse_time("yesterday")
