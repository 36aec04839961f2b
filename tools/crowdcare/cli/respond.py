"""`crowdcare respond`: the response guarantee's sweep, as a thin click command (registered by cli/main.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from crowdcare.adapters.etag_cache import EtagCache
    from crowdcare.adapters.live import LiveGitHub
    from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli.setup import Context, github_for, snapshot_option
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import ResponseRecord, Thread
from crowdcare.core.settings import Config
from crowdcare.respond.guarantee import RespondOutcome


def bucket_sizes(waiting: list[Thread], everyone: list[Thread], *, config: Config, root: Path) -> dict[str, int]:
    """How many waiting questions share each one's pending bucket (the knowledge base and every thread swept count
    in the word statistics, as for `crowdcare buckets`)."""
    from crowdcare.content.store import load_content
    from crowdcare.similarity.buckets import background_texts, bucketer_for, pending_buckets
    from crowdcare.similarity.dedup import bucket_threshold

    if not waiting:
        return {}  # no knowledge base to read, no model to load
    background = background_texts(load_content(root), everyone, waiting)
    groups = pending_buckets(waiting, bucket_threshold(config), background, bucketer_for(config))
    return {str(t.ref): len(group) for group in groups for t in group}


def _etag_cache(root: Path, github: SnapshotGitHub | LiveGitHub) -> tuple[EtagCache, Path] | None:
    """Live: the pages the last sweep read, with their ETags (a page that did not change is a free 304)."""
    from crowdcare.adapters.etag_cache import EtagCache
    from crowdcare.adapters.live import LiveGitHub
    from crowdcare.cli.setup import locked_cache

    if not isinstance(github, LiveGitHub):
        return None

    path = locked_cache(root) / "etags.json"
    github.etag_cache = EtagCache.load(path)
    return github.etag_cache, path


@click.command()
@snapshot_option("Work on a snapshot folder (offline) instead of live GitHub.")
@click.option("--dry-run", is_flag=True, help="Say what is due; change nothing on GitHub and write no ledger.")
@click.option("--report", is_flag=True, help="Print who is waiting (the triage list) instead; implies --dry-run.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per question (or the report) on stdout.")
@click.pass_obj
def respond(obj: Context, snapshot_dir: Path | None, dry_run: bool, report: bool, as_json: bool) -> None:
    """Guarantee every customer question a response (run on a schedule).

    Questions nobody but the asker has answered within the community window are acknowledged, labelled and
    assigned to the next staff member on the rotation (staff marked away are skipped); without a staff or
    accepted answer after the staff window they are escalated; answered questions get one reminder to mark
    the answer; threads waiting for their author are closed kindly and reopen when the author replies.
    Windows, business hours, labels and the escalation team are `responses` in crowdcare.yml, and every comment
    cites the rule that made it due. Reruns add nothing. The sweep's figures are written to
    metrics/responses.json for the site's metrics and triage pages. CROWDCARE_NOW sets the clock.

    Example: crowdcare respond --snapshot samples/snapshot --dry-run
    """
    from crowdcare.content.ledger import LEDGER_PATH, load_ledger, write_ledger
    from crowdcare.content.store import load_config_or_fail
    from crowdcare.core import clock
    from crowdcare.respond.sweep import sweep

    dry_run = dry_run or report
    config = load_config_or_fail(obj.root)
    old, findings = load_ledger(obj.root)
    if findings:
        raise BadInputError(str(findings[0]))
    now = clock.now()
    github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
    etags = _etag_cache(obj.root, github)
    sizes = functools.partial(bucket_sizes, config=config, root=obj.root)
    progress = None if report else functools.partial(_print_outcome, as_json=as_json)
    result = sweep(config, github, now, old, sizes, dry_run=dry_run, on_progress=progress)
    if etags is not None and not dry_run:
        cache, path = etags
        cache.save(path)
        click.echo(f"crowdcare respond: {cache.not_modified} page(s) unchanged (free), {cache.read} read", err=True)
    if report:
        _print_report(result.waiting(), now, as_json)
        return
    if not dry_run:
        write_ledger(obj.root, result.ledger)
    done = "due (dry run)" if dry_run else f"taken; figures in {LEDGER_PATH}"
    click.echo(f"crowdcare respond: {len(result.outcomes)} question(s), {result.actions} action(s) {done}", err=True)


def _print_outcome(outcome: RespondOutcome, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(outcome), default=str))
        return
    done = "; ".join(f"{t.rule}{'' if t.done else ' (due)'}: {t.why}" for t in outcome.actions)
    parts = [outcome.record.status.value, *([done] if done else []), *([outcome.note] if outcome.note else [])]
    click.echo(f"{outcome.ref}: " + " · ".join(parts), err=True)


def _print_report(waiting: list[ResponseRecord], now: dt.datetime, as_json: bool) -> None:
    """The triage list: who is waiting, the largest pending bucket first, then the oldest."""
    from crowdcare.respond.metrics import age_hours, format_hours

    if as_json:
        rows = [{**dataclasses.asdict(r), "waiting_hours": round(age_hours(r, now), 1)} for r in waiting]
        click.echo(json.dumps(rows, default=str, indent=1))
        return
    click.echo(f"{len(waiting)} question(s) waiting for a response (largest bucket, then oldest, first):")
    for r in waiting:
        holder = f"@{r.holder}" if r.holder else "nobody yet"
        click.echo(
            f"  {r.thread:<17} {format_hours(age_hours(r, now)):>10}  bucket {r.bucket_size:<3} "
            f"{r.status.value:<12} {holder:<20} {r.url}"
        )


@click.command()
@click.option(
    "--window-days", type=click.IntRange(1, 3650), default=90, show_default=True, help="The window, ending now."
)
@snapshot_option("Measure the threads of this snapshot folder (offline) instead of the ledger; nothing is written.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object on stdout.")
@click.pass_obj
def metrics(obj: Context, window_days: int, snapshot_dir: Path | None, as_json: bool) -> None:
    """Community figures for a window, counting everyone still waiting (never silently dropped).

    From the response ledger (metrics/responses.json, written by `crowdcare respond`) and ideas/: questions asked
    in the window and how many still wait with no reply; time to first response and to an accepted answer
    (median and 90th percentile by the Kaplan-Meier estimate, so a question still waiting counts as waiting at
    least that long; the share within responses.community_window_hours / staff_window_hours, where waiting past
    the target is a miss); the community's share of first responses; deflection (questions folded into an
    existing solution, and duplicate claims made, agreed, objected and pending); idea decisions in the window,
    median days to a decision and the share shipped, declined and open; and each staff member's open load.
    With --snapshot the questions are read from a snapshot's threads, as a sweep would record them (the
    ledger is neither needed nor written). CROWDCARE_NOW sets the clock.

    Example: crowdcare metrics --snapshot samples/snapshot --json
    """
    from crowdcare.content.ledger import LEDGER_PATH
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core import clock
    from crowdcare.respond.metrics import window_figures

    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)  # reads the ledger too: its findings name it
    broken = [f for f in content.findings if f.path == LEDGER_PATH]
    if broken and snapshot_dir is None:
        raise BadInputError(str(broken[0]))
    now = clock.now()
    ledger = content.ledger
    if snapshot_dir is not None:
        from crowdcare.adapters.snapshot import SnapshotGitHub
        from crowdcare.respond.guarantee import ledger_of

        snapshot = SnapshotGitHub.open(snapshot_dir.absolute(), viewer=config.intake.bot_login)
        ledger = ledger_of(snapshot.threads_updated_since(None), config, snapshot.viewer_login(), now)
    responses = config.responses
    figures = window_figures(ledger, content.ideas, now, window_days=window_days,
                             community_target_hours=responses.community_window_hours,
                             staff_target_hours=responses.staff_window_hours)  # fmt: skip
    if as_json:
        click.echo(json.dumps(figures, indent=1))
    elif not figures["questions"]:
        click.echo(f"no questions asked in the last {window_days} days (the ledger is written by crowdcare respond)")
    else:
        _print_figures(figures, window_days)


def _print_figures(figures: dict[str, Any], window_days: int) -> None:
    for name in ("first_response", "accepted_answer"):
        t: Any = figures[name]
        median = f"{t['median_hours']} h" if t["median_hours"] is not None else f"over {t['at_least_hours']} h"
        share = f"{t['within_target']:.0%}" if t["within_target"] is not None else "n/a"
        click.echo(
            f"{name.replace('_', ' ')}: median {median}, {share} within {t['target_hours']} h, "
            f"{t['still_waiting']} still waiting ({t['waiting_past_target']} past the target)"
            + (f", {t['closed_without']} closed without one" if t["closed_without"] else "")
        )
    click.echo(f"questions: {figures['questions']} in {window_days} days, {figures['waiting']} with no reply yet")
    d: Any = figures["deflected"]
    click.echo(
        f"deflected: {d['folded']} folded into an existing solution; duplicate claims {d['claims_made']} made, "
        f"{d['claims_agreed']} agreed, {d['claims_objected']} objected, {d['claims_pending']} pending"
    )


COMMANDS = (
    respond,
    metrics,
)
