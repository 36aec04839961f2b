"""`crowdcare tally`, as a thin click command (registered by cli/main.py)."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

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
    from crowdcare.content.documents import inside, write_inside
    from crowdcare.content.ledger import write_history
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core import clock
    from crowdcare.tally.ideas import Tallier
    from crowdcare.tally.ideas import tally as run_tally

    started = time.perf_counter()
    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)
    broken = [f for f in content.findings if f.code == "CC502" or f.path.startswith("ideas/")]
    if broken:
        for found in broken:
            click.echo(str(found), err=True)
        click.echo("crowdcare tally: fix the files above first (crowdcare validate lists them all)", err=True)
        sys.exit(2)
    github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
    repo = repository_for(obj.root, github, config)
    threads: list[Any] = []
    cache_path = None
    from crowdcare.adapters.live import LiveGitHub

    reactions = None
    if isinstance(github, LiveGitHub):  # live: an idea whose votes did not change is not read on
        from crowdcare.adapters.reaction_cache import ReactionCache
        from crowdcare.cli.setup import locked_cache

        cache_path = locked_cache(obj.root) / "reactions.json"
        reactions = github.reaction_cache = ReactionCache.load(cache_path)

    def read_threads() -> list[Any]:
        for thread in github.idea_threads(config.intake.idea):
            threads.append(thread)
            if len(threads) % 100 == 0:
                click.echo(f"crowdcare tally: read {len(threads)} idea threads…", err=True)
        return threads

    read_threads()
    if cache_path is not None and reactions is not None and not dry_run:
        cache = reactions
        cache.save(cache_path)
        click.echo(f"crowdcare tally: reaction cache {cache.hits} reused, {cache.misses} read again", err=True)
    tallier = Tallier(
        config=config,
        content=content,
        read_text=lambda path: (obj.root / path).read_text("utf-8"),
        github=github,
        repo=repo,
        now=clock.now(),
        history=list(content.vote_history),
        dry_run=dry_run,
    )

    def report(outcome: Any) -> None:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(outcome)))
        elif outcome.action != "unchanged":
            where = f" {outcome.pull_request}" if outcome.pull_request else ""
            click.echo(f"{outcome.ref}: {outcome.action}{where} ({outcome.why})", err=True)

    result = run_tally(threads, tallier, report)
    from crowdcare.promote.preflight import check_proposal

    problems, _ = check_proposal(content, config, result.files)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo("crowdcare tally: the idea files above would not validate; nothing written", err=True)
        sys.exit(1)
    if not dry_run:
        # Checked before anything is written: a linked or escaping path stops the run with nothing half-written.
        for path in [*result.files, config.votes.history]:
            inside(obj.root, path)
        for path, text in result.files.items():
            write_inside(obj.root, path, text)
        write_inside(obj.root, config.votes.history, write_history(result.history))
    actions = [o.action for o in result.outcomes]
    points = getattr(github, "graphql_points", None)
    click.echo(
        f"crowdcare tally: {len(threads)} idea threads, {len(content.ideas)} idea files; "
        f"{actions.count('counted')} recounted, {len(result.files)} file(s) "
        f"{'would change' if dry_run else 'written'}, {actions.count('status')} status change(s), "
        f"{len(result.flagged)} flagged, {actions.count('frozen')} frozen, "
        f"{sum(a.startswith('idea-') for a in actions)} new idea proposal(s) in {time.perf_counter() - started:.1f} s"
        + (f"; {points} GraphQL points" if points is not None else "")
        + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )
    if result.flagged:
        click.echo(
            "Flagged for maintainers (bursts of votes from young accounts): " + ", ".join(result.flagged), err=True
        )


COMMANDS = (tally,)
