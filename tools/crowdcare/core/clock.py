"""The one clock: the only module that reads the time of day.

Everything else is given the time: the command line reads it once per run with :func:`now` and hands it to each
step; adapters that stamp what they write (the snapshot stand-in for GitHub, local git commits) are given a
:data:`Clock` when they are built. ``CROWDCARE_NOW`` (ISO 8601) fixes the time for demos and reruns. A test in
``tests/test_clock.py`` fails if any other module reads the wall clock, and runs the time-sensitive tests at far-apart
dates under ``faketime``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from crowdcare.core.times import parse_time

Clock = Callable[[], dt.datetime]
"""Gives the current time, aware, in UTC, to the second."""

ENVIRONMENT = "CROWDCARE_NOW"


def now() -> dt.datetime:
    """Now, in UTC, to the second; ``CROWDCARE_NOW`` fixes it."""
    fixed = os.environ.get(ENVIRONMENT)
    return parse_time(fixed, ENVIRONMENT) if fixed else dt.datetime.now(dt.UTC).replace(microsecond=0)


def fixed(moment: dt.datetime) -> Clock:
    """A clock that always says ``moment`` (tests and replays)."""
    moment = moment.astimezone(dt.UTC)
    return lambda: moment
