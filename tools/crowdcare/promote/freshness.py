"""Answers re-verified per release: how far a solution's ``verified_with`` is behind ``product.current_version``.

Versions are dotted numbers (4.12, 4.9.1). Within one major release the distance is the difference of the minor
numbers (4.9 is 3 behind 4.12); an older major release is always due a check. A version that is not dotted
numbers ("app 3.7") is not judged: crowdcare does not guess at other schemes.
"""

from __future__ import annotations

import re

from crowdcare.core.model import Solution
from crowdcare.core.settings import Config

OLDER_MAJOR = 1000  # what releases_behind says of an older major release: always due a check
_VERSION = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.\d+)?\s*$")


def releases_behind(verified: str, current: str) -> int | None:
    """How many releases ``verified`` is behind ``current``; None when either is not a dotted version, and a large
    number for an older major release."""
    a, b = _VERSION.match(verified), _VERSION.match(current)
    if a is None or b is None:
        return None
    (major_a, minor_a), (major_b, minor_b) = ((int(m[1]), int(m[2] or 0)) for m in (a, b))
    if major_a < major_b:
        return OLDER_MAJOR
    if major_a > major_b:
        return 0
    return max(minor_b - minor_a, 0)


def stale(solution: Solution, config: Config) -> int | None:
    """Releases behind when the solution is due a check (at least ``product.stale_after_releases``), else None."""
    current = config.product.current_version
    if current is None or solution.verified_with is None:
        return None
    behind = releases_behind(solution.verified_with, current)
    return behind if behind is not None and behind >= config.product.stale_after_releases else None
