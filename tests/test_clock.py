"""One clock: only crowdcare.core.clock reads the time, and the suite passes whatever day it is run.

Two checks. A static one: no module of the package but ``clock`` reads the wall clock (the checker is shown to
catch each way of reading it). A dynamic one: the suite's fast tests run again under Debian's ``faketime`` at
far-apart dates (before every fixture's dates, on a leap day, fifteen years on), so a test or a module that reads
the real clock instead of the one it is given (the date bomb of 2026-11-26) fails here on any day.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crowdcare.core import clock
from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "tools" / "crowdcare"
DATE_RECEIVERS = {"datetime", "date", "dt.datetime", "dt.date", "datetime.datetime", "datetime.date"}
DATE_READERS = {"now", "utcnow", "today", "fromtimestamp", "utcfromtimestamp"}
TIME_READERS = {"time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"}


def wall_clock_reads(source: str) -> list[str]:
    """Every place in ``source`` that reads the time of day (not durations: perf_counter and monotonic are fine)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver, name = ast.unparse(node.func.value), node.func.attr
            if (receiver in DATE_RECEIVERS and name in DATE_READERS) or (receiver == "time" and name in TIME_READERS):
                found.append(f"line {node.lineno}: {receiver}.{name}()")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            found += [f"line {node.lineno}: from time import {a.name}" for a in node.names if a.name in TIME_READERS]
        elif isinstance(node, ast.Constant) and node.value == clock.ENVIRONMENT:
            found.append(f"line {node.lineno}: reads {clock.ENVIRONMENT}")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_clock_module_reads_the_time(path: Path) -> None:
    reads = wall_clock_reads(path.read_text("utf-8"))
    if path.name == "clock.py":
        assert reads, "crowdcare.core.clock is the one place that reads the time"
    else:
        assert reads == [], f"{path.name} reads the clock itself; take the time from crowdcare.core.clock: {reads}"


@pytest.mark.parametrize(
    "line",
    [
        "dt.datetime.now(dt.UTC)",
        "datetime.datetime.utcnow()",
        "datetime.now()",
        "dt.date.today()",
        "date.today()",
        "time.time()",
        "time.localtime()",
        "from time import time",
        "os.environ.get('CROWDCARE_NOW')",
        "dt.datetime.fromtimestamp(0)",
    ],
)
def test_the_checker_catches_each_way_of_reading_the_clock(line: str) -> None:
    assert wall_clock_reads(f"import os\n{line}\n") != [], line


def test_durations_and_given_times_are_not_clock_reads() -> None:
    assert wall_clock_reads("time.perf_counter()\nclock.now()\ndt.datetime(2026, 1, 1)\nnow = given()\n") == []


def test_crowdcare_now_fixes_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROWDCARE_NOW", "2030-05-06T07:08:09+02:00")
    assert clock.now() == dt.datetime(2030, 5, 6, 5, 8, 9, tzinfo=dt.UTC)
    assert clock.fixed(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))() == dt.datetime(2001, 1, 1, tzinfo=dt.UTC)


# Before every date the fixtures use, on a leap day near them, and long after: each way a date bomb goes off.
FAR_APART = ["2003-01-01 00:00:00", "2028-02-29 23:30:00", "2041-07-01 12:00:00"]


@pytest.mark.slow
@pytest.mark.parametrize("day", FAR_APART)
def test_the_fast_suite_passes_on_far_apart_dates(day: str, tmp_path: Path) -> None:
    faketime = shutil.which("faketime")
    if faketime is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run this test: install Debian's faketime (make test does, as root)")
        pytest.skip("Debian's faketime is not installed (make test installs it when run as root)")
    env = {k: v for k, v in os.environ.items() if k not in ("CROWDCARE_NOW", "PYTEST_XDIST_WORKER")}
    result = subprocess.run(
        [faketime, "-f", f"@{day}", sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
         "-n", "2", "-m", "not slow and not browser", "--basetemp", str(tmp_path / "t")],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"on {day}:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    assert " passed" in result.stdout
