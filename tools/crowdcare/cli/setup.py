"""What the commands share: finding the repository, the --snapshot option, GitHub (live or a snapshot) and where
pull requests go, locks on folders a run writes, and reading an Actions event. No command lives here."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from crowdcare.content.ports import GitHubPort, RepositoryPort
from crowdcare.core.model import PersonRef, Thread
from crowdcare.core.settings import Config

if TYPE_CHECKING:  # the adapters are imported when used: a command that needs neither loads neither
    from crowdcare.adapters.live import LiveGitHub
    from crowdcare.adapters.snapshot import SnapshotGitHub

from crowdcare.core.errors import BadInputError

F = TypeVar("F", bound=Callable[..., Any])


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding crowdcare.yml; ``start`` itself if none does."""
    for folder in (start, *start.parents):
        if (folder / "crowdcare.yml").is_file():
            return folder
    return start


def iso_time(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option that takes a time: ISO 8601, given back as GitHub writes it (UTC, ``Z``); anything else is a usage
    error (``--since yesterday`` used to sweep nothing and exit 0)."""
    from crowdcare.core.times import format_time, parse_time

    if value is None:
        return None
    try:
        return format_time(parse_time(value))
    except BadInputError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time (for example 2026-11-01T00:00:00Z)") from None


class Context:
    def __init__(self, root: Path) -> None:
        self.root = root


def snapshot_option(help: str) -> Callable[[F], F]:
    """``--snapshot DIR``: work on a folder of JSON in GitHub's shapes instead of live GitHub (every command)."""
    return click.option("--snapshot", "snapshot_dir", type=click.Path(file_okay=False, path_type=Path), help=help)


def repository_for(root: Path, github: SnapshotGitHub | LiveGitHub, config: Config) -> RepositoryPort:
    """Where pull requests go: branches and commits in the local git repository with a snapshot, else GitHub."""
    from crowdcare.adapters.live import LiveGitHub

    if not isinstance(github, LiveGitHub):
        from crowdcare.adapters.gitrepo import LocalRepository

        return LocalRepository(root, github, config.promotion.base_branch)
    from crowdcare.adapters.pulls import LiveRepository

    return LiveRepository(github, config.promotion.base_branch)


def hold_lock(folder: Path) -> None:
    """This command's run holds ``folder``'s lock until it ends (a second run on it waits: adapters/lock.py)."""
    from crowdcare.adapters.lock import exclusive

    click.get_current_context().with_resource(exclusive(folder, lambda message: click.echo(message, err=True)))


def locked_cache(root: Path) -> Path:
    """The cache folder kept between workflow runs (the index, reactions, ETags), held by this run until it ends."""
    from crowdcare.similarity.index_cache import cache_dir

    folder = cache_dir(root)
    hold_lock(folder)
    return folder


def github_for(snapshot_dir: Path | None, bot_login: str, repository: str) -> SnapshotGitHub | LiveGitHub:
    if snapshot_dir is not None:
        from crowdcare.adapters.snapshot import SnapshotGitHub

        hold_lock(snapshot_dir.absolute())
        return SnapshotGitHub.open(snapshot_dir.absolute(), create=True, repository=repository, viewer=bot_login)
    github = live_github(
        os.environ.get("GITHUB_REPOSITORY") or repository,
        "no GITHUB_TOKEN in the environment: set it, or pass --snapshot DIR to work offline",
    )
    report_identity(github.viewer_login(), bot_login)
    return github


def report_identity(actual: str, configured: str) -> None:
    """Say so when crowdcare.yml names another bot than the one GitHub says the token writes as: GitHub's word
    is used (the workflow token writes as github-actions[bot], a GitHub App's token as <app-slug>[bot])."""
    from crowdcare.core.markers import same_account

    if not same_account(actual, configured):
        click.echo(
            f"crowdcare: GitHub says this token writes as {actual!r}, but crowdcare.yml has intake.bot_login: "
            f"{configured!r}; using {actual!r}. Set intake.bot_login to {actual!r} to silence this.",
            err=True,
        )


def live_github(repository: str, missing_token: str) -> LiveGitHub:
    """Live GitHub with the token in GITHUB_TOKEN and the API at GITHUB_API_URL (as Actions sets them)."""
    from crowdcare.adapters.live import API, LiveGitHub

    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise BadInputError(missing_token)
    return LiveGitHub(token, repository, base_url=os.environ.get("GITHUB_API_URL", API))


def read_event(event_path: Path, event_name: str | None, github: GitHubPort) -> tuple[list[Thread], PersonRef | None]:
    """(the thread the event is about, as it is now; who caused the event), read from the payload once."""
    from crowdcare.adapters.event import read_event
    from crowdcare.adapters.snapshot import SnapshotGitHub

    name = event_name or os.environ.get("GITHUB_EVENT_NAME")
    if not name:
        raise BadInputError("the event's name is unknown: pass --event-name or set GITHUB_EVENT_NAME")
    event = read_event(event_path, name)
    if event.skip_reason is not None:
        click.echo(f"{event.thread.ref}: skipped ({event.skip_reason})", err=True)
        return [], event.sender
    if isinstance(github, SnapshotGitHub):
        if event.name.startswith("issue"):
            github.record_issue(event.subject)
        else:
            github.record_discussion_event(event.subject)
    # Reconcile against the thread as it is now, not as the (possibly stale, out-of-order) event saw it.
    current = github.get_thread(event.thread.ref)
    return ([current] if current is not None else []), event.sender
