"""One run of `crowdcare tally`, end to end: read every idea thread, count and decide (ideas.py), check the idea
files it would write as the site's build would, and write them (and the vote history) only when every one of them
is valid and inside the repository; nothing is written half."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crowdcare.content.documents import inside, write_inside
from crowdcare.content.ledger import write_history
from crowdcare.content.ports import GitHubPort, RepositoryPort
from crowdcare.core.model import Thread
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.promote.preflight import check_proposal
from crowdcare.tally.ideas import Result, tally
from crowdcare.tally.tallier import Outcome, Tallier


@dataclass(frozen=True)
class TallyRun:
    threads: int  # idea threads read
    result: Result
    problems: list[str] = field(default_factory=list)  # why nothing was written, when the files would not validate

    @property
    def actions(self) -> list[str]:
        return [o.action for o in self.result.outcomes]


def read_idea_threads(github: GitHubPort, config: Config, on_read: Callable[[int], None]) -> list[Thread]:
    """Every idea thread, open or closed; ``on_read`` hears of every hundred."""
    threads: list[Thread] = []
    for thread in github.idea_threads(config.intake.idea):
        threads.append(thread)
        if len(threads) % 100 == 0:
            on_read(len(threads))
    return threads


def tally_repository(
    root: Path,
    config: Config,
    content: Content,
    github: GitHubPort,
    repo: RepositoryPort,
    now: dt.datetime,
    *,
    threads: list[Thread],
    dry_run: bool,
    on_progress: Callable[[Outcome], None],
) -> TallyRun:
    tallier = Tallier(
        config=config,
        content=content,
        read_text=lambda path: (root / path).read_text("utf-8"),
        github=github,
        repo=repo,
        now=now,
        history=list(content.vote_history),
        dry_run=dry_run,
    )
    result = tally(threads, tallier, on_progress)
    problems, _ = check_proposal(content, config, result.files)
    if problems:
        return TallyRun(len(threads), result, problems)
    if not dry_run:
        # Checked before anything is written: a linked or escaping path stops the run with nothing half-written.
        for path in [*result.files, config.votes.history]:
            inside(root, path)
        for path, text in result.files.items():
            write_inside(root, path, text)
        write_inside(root, config.votes.history, write_history(result.history))
    return TallyRun(len(threads), result)
