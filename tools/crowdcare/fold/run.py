"""One run of `crowdcare fold`: every claimed question folded into its solution with consent (questions.py),
every new idea into the idea it repeats (ideas.py), and the response ledger told that a folded question waits for
no one (the triage page reflects the run: respond ran before it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from crowdcare.content.ledger import close_records, write_ledger
from crowdcare.content.ports import GitHubPort, RepositoryPort
from crowdcare.core.model import ThreadKind
from crowdcare.core.repository import Content
from crowdcare.core.times import format_time
from crowdcare.fold.ideas import fold_ideas
from crowdcare.fold.questions import FoldOutcome, fold_all
from crowdcare.intake.take_in import classify
from crowdcare.respond.guarantee import is_question
from crowdcare.similarity.dedup import idea_url, solution_url


def fold_repository(
    root: Path,
    content: Content,
    github: GitHubPort,
    repository: RepositoryPort,
    now: dt.datetime,
    *,
    dry_run: bool,
    on_progress: Callable[[FoldOutcome], None],
) -> list[FoldOutcome]:
    config = content.config
    assert config is not None
    listed = list(github.threads_updated_since(None))
    questions = [t for t in listed if is_question(t, config)]
    ideas = [t for t in listed if classify(t, config) is ThreadKind.IDEA and not is_question(t, config)]
    outcomes = fold_all(
        questions, content, github, repository, now, lambda s: solution_url(s, config), dry_run=dry_run,
        on_progress=on_progress,
    )  # fmt: skip
    outcomes += fold_ideas(
        ideas, content, github, repository, now, lambda i: idea_url(i, config), dry_run=dry_run,
        on_progress=on_progress,
    )  # fmt: skip
    asked = {str(t.ref) for t in questions}
    done = {o.ref: o.solution for o in outcomes if o.done and o.decision in ("fold", "finish-close") and o.ref in asked}
    if done and not dry_run and content.ledger is not None:  # the ledger as it was read (None: missing or broken)
        write_ledger(root, close_records(content.ledger, done, format_time(now)))
    return outcomes
