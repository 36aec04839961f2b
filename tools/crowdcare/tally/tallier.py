"""What a tally works with and reports: the Tallier (content, config, the ports, the time), each idea's Outcome,
and the bot's idea markers (a comment is posted once: marker AND author)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from crowdcare.content.ports import GitHubPort, RepositoryPort
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import BotComment, bot_comments, step_marker, step_pattern
from crowdcare.core.model import (
    HistoryEntry,
    StatusChange,
    Thread,
)
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import one_line
from crowdcare.fold.consent import cite_rule
from crowdcare.promote.promoter import who_may

MARK = step_pattern("idea")


MAX_REASON = 2000


def marker(kind: str, **data: str | int | None) -> str:
    return step_marker("idea", kind, **data)


@dataclass(frozen=True)
class Outcome:
    ref: str  # the idea file, or the thread for new ideas
    action: str  # counted | unchanged | frozen | flagged | status | asked-reason | refused | missing | invalid | ...
    why: str
    pull_request: str | None = None


@dataclass(frozen=True)
class Tallier:
    """What a tally works with: the base branch's content, and how to read an idea file's current text (only
    the files whose fields change are read again)."""

    config: Config
    content: Content
    read_text: Callable[[str], str]  # idea path -> file text as on disk
    github: GitHubPort
    repo: RepositoryPort
    now: dt.datetime
    history: list[HistoryEntry]
    dry_run: bool = False


def ours(thread: Thread, t: Tallier) -> list[BotComment]:
    return bot_comments(thread, t.github.viewer_login(), MARK)


def say_once(thread: Thread, t: Tallier, text: str, kind: str, **data: str) -> bool:
    """Post ``text`` unless the bot already said this (same marker); whether it was (or would be) posted."""
    if any(m.rule == kind and all(m.data.get(k) == v for k, v in data.items()) for m in ours(thread, t)):
        return False
    if kind in DECIDING:  # a refusal or a request for a reason: it says which rule decided it
        text += "\n\n" + status_rule(t.config.tr)
    if not t.dry_run:
        t.github.post_comment(thread.ref, text + "\n\n" + marker(kind, **data))
    return True


DECIDING = {"refused", "reason-needed"}


def status_rule(tr: Messages) -> str:
    why = tr(
        "an idea's status changes by `/status` or a status label from those it admits; declined, duplicate and "
        "shipped need a reason (shipped also its release)"
    )
    return cite_rule(why, "governance.change_idea_status", tr)


def describe(change: StatusChange, tr: Messages = ENGLISH) -> str:
    if change.via == "rule":
        return tr("votes.acceptance in crowdcare.yml")
    if change.via == "label":
        return tr("a status label")
    return tr("/status by {who}", who=f"@{change.by}")


def deciders(config: Config) -> str:
    return who_may(config.governance.change_idea_status, asker=config.tr("the author"), tr=config.tr)


def clean(text: str) -> str:
    """A reason as a person wrote it: no control or bidi characters, one paragraph, capped; shown as text."""
    text = one_line(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
    return text[:MAX_REASON].strip()
