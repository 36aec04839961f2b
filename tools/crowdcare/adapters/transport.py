"""How the live adapter talks to GitHub, apart from what it reads and writes: GitHub's own retry policy for reads,
how long a rate limit is worth waiting out, and GitHub's answers and silences as crowdcare's errors (a read that
failed: run again; a write that may or may not have happened: read back before writing again)."""

from __future__ import annotations

import requests
from github import GithubException
from github.GithubRetry import GithubRetry

from crowdcare.core.errors import AmbiguousWriteError, BadInputError, ThreadGoneError, TransientError

MAX_RATE_LIMIT_WAIT = 300  # seconds; a longer wait ends the run (exit 1) and the next run carries on


def read_only_retry(total: int = 5) -> GithubRetry:
    """GitHub's own retry policy (secondary rate limits, Retry-After, 429, 5xx), for idempotent methods only."""
    return GithubRetry(
        total=total,
        backoff_factor=0.5,
        allowed_methods=frozenset({"GET", "HEAD"}),
        status_forcelist=[429, *range(500, 600)],
        max_rate_limit_wait=MAX_RATE_LIMIT_WAIT,
    )


def retry_after(exc: GithubException) -> float | None:
    """Seconds to wait before trying a read again (0: the default delay), or None when trying again is no use."""
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    errors = exc.data.get("errors") if isinstance(exc.data, dict) else None
    types = {e.get("type") for e in errors if isinstance(e, dict)} if isinstance(errors, list) else set()
    rate_limited = "RATE_LIMITED" in types
    if exc.status in (429, 403) or rate_limited:
        if "retry-after" not in headers and not rate_limited and "rate limit" not in str(exc.data).lower():
            return None  # a plain 403: forbidden, not rate limited
        try:
            wait = float(headers.get("retry-after", 0))
        except ValueError:
            wait = 0.0
        return wait if wait <= MAX_RATE_LIMIT_WAIT else None
    return 0.0 if exc.status in (500, 502, 503, 504) else None


def unreachable(exc: requests.RequestException, verb: str, url: str) -> Exception:
    """GitHub did not answer: a timeout or a dropped connection. A read is worth running again; a write may or may
    not have happened (the next run reads back before writing again)."""
    timed_out = isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower()  # after retries: a ConnectionError
    kind = "timed out" if timed_out else "connection failed or was reset"
    if verb != "GET":
        return AmbiguousWriteError(f"{verb} {url}: {kind}; the write may or may not have happened")
    return TransientError(f"{verb} {url}: GitHub did not answer ({kind}); run again")


def github_error(exc: GithubException, verb: str, url: str) -> Exception:
    status = exc.status
    where = f"{verb} {url}"
    if status == 404 or status == 410:
        return ThreadGoneError(f"{where}: not found (deleted or transferred)")
    if status in (401,):
        return BadInputError(f"{where}: GitHub refused the token (401); check GITHUB_TOKEN")
    if status in (403, 429):
        return TransientError(f"{where}: rate limited or forbidden ({status}); run again later")
    if verb != "GET" and (status is None or status >= 500):
        return AmbiguousWriteError(f"{where}: {status}; the write may or may not have happened")
    return TransientError(f"{where}: GitHub answered {status}")
