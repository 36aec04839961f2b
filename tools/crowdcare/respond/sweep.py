"""One run of the response guarantee, end to end: which questions to look at (the open ones, and those closed
recently enough that an asker's reply still reopens them), the rules applied to each (guarantee.py), how big each
waiting question's pending bucket is, and the ledger the run leaves (metrics/responses.json). What `crowdcare
respond` runs; it reads nothing but through the ports and writes nothing but through them and the ledger it
returns."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crowdcare.content.ledger import merge_records
from crowdcare.content.ports import GitHubPort
from crowdcare.core.model import ResponseLedger, ResponseRecord, ResponseStatus, SweepPoint, Thread, ThreadRef
from crowdcare.core.settings import Config
from crowdcare.core.times import format_time, parse_time
from crowdcare.respond.guarantee import RespondOutcome, Rotation, is_question, respond_all

# (the waiting threads, every thread swept) -> {thread ref: how many questions share its pending bucket}
BucketSizes = Callable[[list[Thread], list[Thread]], dict[str, int]]


@dataclass(frozen=True)
class SweepResult:
    outcomes: list[RespondOutcome]
    records: list[ResponseRecord]  # this run's, with their bucket sizes
    ledger: ResponseLedger  # the ledger to write: the old one's records merged with this run's, and a point

    @property
    def actions(self) -> int:
        return sum(len(o.actions) for o in self.outcomes)

    def waiting(self) -> list[ResponseRecord]:
        """Who is waiting for a response: the largest pending bucket first, then the oldest (the triage list)."""
        waiting = (r for r in self.records if r.status.is_waiting_on_us)
        return sorted(waiting, key=lambda r: (-r.bucket_size, r.asked_at))


def questions(github: GitHubPort, config: Config, old: ResponseLedger | None, now: dt.datetime) -> list[Thread]:
    """The customer questions a sweep looks at: those GitHub lists, and those the ledger says were closed within
    ``responses.reopen_days`` (a live sweep lists open issues only), read one by one so a reply reopens them."""
    threads = [t for t in github.threads_updated_since(None) if is_question(t, config)]
    seen = {str(t.ref) for t in threads}
    horizon = now - dt.timedelta(days=config.responses.reopen_days)
    for record in old.records if old else ():
        closed = record.status is ResponseStatus.CLOSED and record.closed_at is not None
        if closed and record.thread not in seen and parse_time(str(record.closed_at)) >= horizon:
            fresh = github.get_thread(ThreadRef.parse(record.thread))
            if fresh is not None:
                threads.append(fresh)
    return threads


def sweep(
    config: Config,
    github: GitHubPort,
    now: dt.datetime,
    old: ResponseLedger | None,
    bucket_sizes: BucketSizes,
    *,
    dry_run: bool = False,
    on_progress: Callable[[RespondOutcome], None] | None = None,
) -> SweepResult:
    """Apply the guarantee to every question due a look at ``now``; the result says what was done and what the
    ledger becomes (the caller writes it, unless this is a dry run)."""
    threads = questions(github, config, old, now)
    rotation = Rotation(config, old.rotation_last if old else None)
    outcomes = respond_all(threads, config, github, now, rotation, dry_run=dry_run, on_progress=on_progress)
    waiting_refs = {o.ref for o in outcomes if o.record.status.is_waiting_on_us}
    sizes = bucket_sizes([t for t in threads if str(t.ref) in waiting_refs], threads)
    records = [dataclasses.replace(o.record, bucket_size=sizes.get(o.ref, 1)) for o in outcomes if o.record.asked_at]
    return SweepResult(outcomes, records, _ledger(config, now, old, records, rotation.last))


def _ledger(
    config: Config, now: dt.datetime, old: ResponseLedger | None, records: Sequence[ResponseRecord], last: str | None
) -> ResponseLedger:
    statuses = Counter(r.status for r in records)
    point = SweepPoint(
        at=format_time(now),
        open=len(records) - statuses[ResponseStatus.CLOSED] - statuses[ResponseStatus.ACCEPTED],
        needs_staff=statuses[ResponseStatus.NEEDS_STAFF],
        escalated=statuses[ResponseStatus.ESCALATED],
    )
    keep_since = format_time(now - dt.timedelta(days=config.responses.keep_days))
    return ResponseLedger(
        updated_at=point.at,
        rotation_last=last,
        records=merge_records(old.records if old else (), list(records), keep_since=keep_since),
        sweeps=((old.sweeps if old else ()) + (point,)),
    )
