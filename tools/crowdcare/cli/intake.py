"""`crowdcare intake` (take in new questions and ideas: classify, label, reply once) and `crowdcare export` (a
snapshot of a live repository)."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from crowdcare.cli.search import kb_index
from crowdcare.cli.setup import Context, github_for, iso_time, live_github, read_event, snapshot_option
from crowdcare.content.ports import GitHubPort
from crowdcare.core.model import Thread
from crowdcare.intake.take_in import IntakeOutcome


@click.command()
@click.option(
    "--event",
    "event_path",
    type=click.Path(path_type=Path),
    help="An Actions event payload (default: $GITHUB_EVENT_PATH when --since is not given).",
)
@click.option(
    "--event-name",
    help="The event's name: issues, issue_comment, discussion or discussion_comment (default: $GITHUB_EVENT_NAME).",
)
@click.option(
    "--since",
    callback=iso_time,
    help="Sweep every thread updated at or after this ISO 8601 time (e.g. 2026-11-01T00:00:00Z).",
)
@click.option("--all", "sweep_all", is_flag=True, help="Sweep every thread (snapshots only).")
@snapshot_option("Read and write this snapshot folder (created if missing) instead of GitHub.")
@click.option("--dry-run", is_flag=True, help="Say what would be posted and labelled; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per thread on stdout.")
@click.pass_obj
def intake(
    obj: Context,
    event_path: Path | None,
    event_name: str | None,
    since: str | None,
    sweep_all: bool,
    snapshot_dir: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Take in new questions and ideas: classify, label, and reply once with a marked comment.

    From an event (--event, as in the intake workflow), or a sweep of threads updated since a time (--since)
    or of all threads in a snapshot (--all). Reruns never post twice: the bot's comment is found by its
    hidden marker and its author, and edited only when its text changed. Exits 0 when done, 1 on a
    transient GitHub failure (run again), 2 on bad input.

    Example: crowdcare intake --snapshot samples/snapshot --all
    """
    from crowdcare.content.store import load_config_or_fail
    from crowdcare.intake.take_in import take_in_all

    config = load_config_or_fail(obj.root)
    event_path = _what_to_take_in(event_path, since, sweep_all)
    github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
    threads: Iterable[Thread]
    if event_path is not None:
        threads = read_event(event_path, event_name, github)[0]
    else:
        threads = github.threads_updated_since(since)
    report = functools.partial(_print_outcome, as_json=as_json)
    outcomes = take_in_all(threads, config, github, dry_run=dry_run, on_progress=report,
                           suggest=_suggestions(obj.root, github))  # fmt: skip
    click.echo(f"crowdcare intake: {len(outcomes)} thread(s) taken in", err=True)


def _what_to_take_in(event_path: Path | None, since: str | None, sweep_all: bool) -> Path | None:
    """The event to take in (--event, else GITHUB_EVENT_PATH when nothing else was asked for), or None."""
    if event_path is None and since is None and not sweep_all:
        env_path = os.environ.get("GITHUB_EVENT_PATH")
        if not env_path:
            raise click.UsageError("say what to take in: --event PATH, --since TIME or --all")
        event_path = Path(env_path)
    if event_path is not None and (since or sweep_all):
        raise click.UsageError("--event cannot be combined with --since or --all")
    return event_path


def _suggestions(root: Path, github: GitHubPort) -> Callable[[Thread], str]:
    """What the reply suggests: the index is brought up to date only once a question needs suggestions (a skipped
    event or a run of ideas does no such work); an earlier thread is read once before it is offered (the catalog
    may be behind: a live listing of issues since a time shows open ones only)."""
    from crowdcare.core.model import ThreadRef
    from crowdcare.similarity.dedup import OpenThread, thread_suggestions

    built: list[tuple[Any, Any, Any]] = []
    checked: dict[str, bool] = {}

    def still_open(earlier: OpenThread) -> bool:
        if earlier.url not in checked:
            current = github.get_thread(ThreadRef.parse(earlier.ref))
            checked[earlier.url] = current is not None and current.state == "open"
        return checked[earlier.url]

    def suggest(thread: Thread) -> str:
        if not built:
            built.append(kb_index(root, github))
        index, content, catalog = built[0]
        return thread_suggestions(index, thread, content, catalog, still_open)

    return suggest


def _print_outcome(outcome: IntakeOutcome, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(outcome.__dict__, default=str))
        return
    labels = f"; labels +{', '.join(outcome.labels_added)}" if outcome.labels_added else ""
    click.echo(f"{outcome.ref}: {outcome.kind.value}, {outcome.action} ({outcome.reason}){labels}", err=True)


@click.command()
@click.option("--repo", "repository", required=True, help="The repository, OWNER/NAME.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The snapshot folder to write (created if missing; existing threads are overwritten).",
)
@click.option("--since", callback=iso_time, help="Only threads updated at or after this ISO 8601 time.")
@click.pass_obj
def export(obj: Context, repository: str, out: Path, since: str | None) -> None:
    """Write a snapshot of a repository's issues (open and closed) and discussions from live GitHub.

    The snapshot is a folder of JSON in GitHub's own shapes that `crowdcare intake --snapshot` and the tests
    read offline. Needs GITHUB_TOKEN. Progress goes to stderr.

    Example: crowdcare export --repo acme/community --out build/snapshot --since 2026-11-01T00:00:00Z
    """
    from crowdcare.adapters.snapshot import SnapshotGitHub

    live = live_github(repository, "export reads live GitHub: set GITHUB_TOKEN")
    snapshot = SnapshotGitHub.open(out.absolute(), create=True, repository=repository)

    def copy() -> tuple[int, int]:
        issues = discussions = 0
        for issue, comments in live.issue_records(since, state="all"):  # a closed thread is history too
            snapshot.record_issue(issue)
            snapshot.record_issue_comments(int(issue["number"]), comments)
            issues += 1
            click.echo(f"\rissues: {issues}", err=True, nl=False)
        for node in live.discussion_nodes(since):
            snapshot.record_discussion(node)
            discussions += 1
            click.echo(f"\rissues: {issues}, discussions: {discussions}", err=True, nl=False)
        return issues, discussions

    issues, discussions = copy()
    click.echo(f"\ncrowdcare export: {issues} issue(s) and {discussions} discussion(s) written to {out}", err=True)


COMMANDS = (
    intake,
    export,
)
