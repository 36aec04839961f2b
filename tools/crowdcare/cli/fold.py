"""`crowdcare fold`: consent-based duplicate closing, as a thin click command (registered by cli/main.py)."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

import click

from crowdcare.cli.setup import Context, github_for, repository_for, snapshot_option
from crowdcare.fold.questions import FoldOutcome


@click.command()
@snapshot_option("Work on a snapshot folder (offline) instead of live GitHub; pull requests become local branches.")
@click.option("--dry-run", is_flag=True, help="Say what is due; change nothing on GitHub and open no pull request.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per claimed question on stdout.")
@click.pass_obj
def fold(obj: Context, snapshot_dir: Path | None, dry_run: bool, as_json: bool) -> None:
    """Fold questions into the solution they duplicate, with their author's consent (run on a schedule).

    The intake reply says "this looks like X" only above duplicates.duplicate_threshold, and asks the asker to
    reply *yes* or react 👍 if X answers it. This sweep folds such a question when its author agreed, or when
    nobody objected (no 👎 on the suggestion, no reply) for duplicates.close_after_days: it opens the reviewed
    pull request that adds the thread to the solution's also_asked (branch crowdcare/fold/<thread>), posts a
    kind comment and closes the thread as a duplicate. Any reply or 👎 cancels for good; related-only
    suggestions never close anything. Anyone may find a duplicate with a comment `/duplicate-of TOPIC/SLUG`:
    the sweep posts a claim naming the finder, which folds only when the asker agrees or staff confirm (a staff
    👍, or the command was staff's or the asker's), and credits the finder in the solution's front-matter.
    Idea threads get the same consent: a new idea the intake reply called a duplicate of an existing one (or a
    participant's `/duplicate-of ideas/SLUG`) is merged through a reviewed pull request marking it `duplicate`
    (branch crowdcare/fold/idea-<slug>); its thread stays open and its votes count on the canonical idea.
    Reruns do nothing twice. CROWDCARE_NOW sets the clock.

    Example: crowdcare fold --snapshot samples/snapshot --dry-run
    """
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core import clock
    from crowdcare.fold.run import fold_repository

    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)
    github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
    repository = repository_for(obj.root, github, config)
    progress = functools.partial(_print_outcome, as_json=as_json)
    outcomes = fold_repository(
        obj.root, content, github, repository, clock.now(), dry_run=dry_run, on_progress=progress
    )
    folded = sum(1 for o in outcomes if o.decision == "fold")
    verb = "due (dry run)" if dry_run else "folded"
    click.echo(f"crowdcare fold: {len(outcomes)} claimed thread(s) (questions and ideas), {folded} {verb}", err=True)


def _print_outcome(outcome: FoldOutcome, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(outcome)))
        return
    pull = f" · pull request {outcome.pull}" if outcome.pull else ""
    due = " (due)" if outcome.decision == "fold" and not outcome.done else ""
    click.echo(f"{outcome.ref} -> {outcome.solution}: {outcome.decision}{due}: {outcome.why}{pull}", err=True)


COMMANDS = (fold,)
