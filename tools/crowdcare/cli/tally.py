"""`crowdcare tally`, as a thin click command (registered by cli/main.py)."""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crowdcare.core.errors import BadInputError, TransientError
from crowdcare.tally.run import TallyRun
from crowdcare.tally.tallier import Outcome

if TYPE_CHECKING:
    from crowdcare.adapters.live import LiveGitHub
    from crowdcare.adapters.reaction_cache import ReactionCache
    from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli.setup import Context, github_for, repository_for, snapshot_option


@click.command()
@snapshot_option(
    "Work offline on a snapshot folder: new ideas' pull requests become branches and commits in this git "
    "repository, recorded in the snapshot's pulls/ and outbox."
)
@click.option("--dry-run", is_flag=True, help="Count and report; write no file, comment, label or pull request.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per outcome on stdout.")
@click.pass_obj
def tally(obj: Context, snapshot_dir: Path | None, dry_run: bool, as_json: bool) -> None:
    """Count the votes on every idea into ideas/, decide statuses, and propose files for new ideas.

    Votes are the reactions in votes.reactions (and discussion upvotes), one per person keyed by numeric user
    id; the author, bots and deleted accounts do not count. Beside the raw count a verified one counts only
    accounts older than votes.verified_account_age_days. Only the vote fields of each file change; the rest of
    a hand-edited file stays byte for byte. Every tally appends to the vote history (votes.history).

    Staff change a status with `/status STATUS [REASON]` on the thread (declined, duplicate and shipped need a
    reason; `/status duplicate SLUG REASON`), or with a status label (the bot asks for a missing reason); the
    acceptance rule (votes.acceptance) moves open ideas on by itself. Each change is recorded with who, when and
    why, and announced once on the thread. A burst of votes from young accounts is flagged (votes.flag_label);
    the freeze label (votes.freeze_label) stops an idea's count. An idea thread without a file gets one through
    a pull request. Run it on a schedule: GitHub sends no event for reactions.
    Exits 0 when done, 1 on a transient GitHub failure (run again), 2 on bad input.

    Example: crowdcare tally --snapshot samples/snapshot --dry-run
    """
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core import clock
    from crowdcare.tally.run import read_idea_threads, tally_repository

    started = time.perf_counter()
    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)
    broken = [f for f in content.findings if f.code == "CC502" or f.path.startswith("ideas/")]
    if broken:
        for found in broken:
            click.echo(str(found), err=True)
        raise BadInputError("fix the idea files above first (crowdcare validate lists them all)")
    github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
    cache = _reaction_cache(obj.root, github)
    threads = read_idea_threads(
        github, config, lambda n: click.echo(f"crowdcare tally: read {n} idea threads…", err=True)
    )
    if cache is not None and not dry_run:
        reactions, path = cache
        reactions.save(path)
        click.echo(f"crowdcare tally: reaction cache {reactions.hits} reused, {reactions.misses} read again", err=True)
    repo = repository_for(obj.root, github, config)
    report = functools.partial(_print_outcome, as_json=as_json)
    run = tally_repository(obj.root, config, content, github, repo, clock.now(), threads=threads, dry_run=dry_run,
                           on_progress=report)  # fmt: skip
    if run.problems:
        for problem in run.problems:
            click.echo(problem, err=True)
        raise TransientError("the idea files above would not validate; nothing written")
    click.echo(_summary(run, len(content.ideas), getattr(github, "graphql_points", None), dry_run, started), err=True)
    if run.result.flagged:
        flagged = ", ".join(run.result.flagged)
        click.echo(f"Flagged for maintainers (bursts of votes from young accounts): {flagged}", err=True)


def _reaction_cache(root: Path, github: SnapshotGitHub | LiveGitHub) -> tuple[ReactionCache, Path] | None:
    """Live: the reactions of ideas whose count did not change are not read again (kept between workflow runs)."""
    from crowdcare.adapters.live import LiveGitHub
    from crowdcare.adapters.reaction_cache import ReactionCache
    from crowdcare.cli.setup import locked_cache

    if not isinstance(github, LiveGitHub):
        return None
    path = locked_cache(root) / "reactions.json"
    github.reaction_cache = ReactionCache.load(path)
    return github.reaction_cache, path


def _print_outcome(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(outcome)))
    elif outcome.action != "unchanged":
        where = f" {outcome.pull_request}" if outcome.pull_request else ""
        click.echo(f"{outcome.ref}: {outcome.action}{where} ({outcome.why})", err=True)


def _summary(run: TallyRun, files: int, points: int | None, dry_run: bool, started: float) -> str:
    actions = run.actions
    return (
        f"crowdcare tally: {run.threads} idea threads, {files} idea files; "
        f"{actions.count('counted')} recounted, {len(run.result.files)} file(s) "
        f"{'would change' if dry_run else 'written'}, {actions.count('status')} status change(s), "
        f"{len(run.result.flagged)} flagged, {actions.count('frozen')} frozen, "
        f"{sum(a.startswith('idea-') for a in actions)} new idea proposal(s) in {time.perf_counter() - started:.1f} s"
        + (f"; {points} GraphQL points" if points is not None else "")
        + (" (dry run: nothing written)" if dry_run else "")
    )


COMMANDS = (tally,)
