"""What every promotion trigger shares: the bot's promotion markers, the Promoter (content, config, the ports, the
day) and its Outcome, governance checks, and the polite refusal that names the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from crowdcare.content.ports import GitHubPort, RepositoryPort
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import BotComment, bot_comments, step_marker, step_pattern
from crowdcare.core.model import PersonRef, Solution, Thread
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import one_line

MARK = step_pattern("promote")


def marker(state: str, **data: str | int | None) -> str:
    return step_marker("promote", state, **data)


@dataclass(frozen=True)
class Outcome:
    ref: str
    action: str  # opened | updated | unchanged | kept-edits | declined | refused | published | invalid | ...
    why: str
    pull_request: str | None = None
    path: str | None = None
    probe_ms: float | None = None


@dataclass(frozen=True)
class Promoter:
    """What a promotion sweep works with. ``similar`` ranks existing solutions against a thread (for the topic
    and the reviewer's duplicate hint); ``bucket_of`` lists the threads in the thread's pending bucket."""

    config: Config
    content: Content  # the base branch's content
    github: GitHubPort
    repo: RepositoryPort
    today: dt.date
    similar: Callable[[Thread], list[tuple[Solution, float]]]
    bucket_of: Callable[[Thread], tuple[str, ...]]
    sender: PersonRef | None = None  # who caused the event (the labeller), when known
    dry_run: bool = False


def marks(thread: Thread, bot: str) -> list[BotComment]:
    """The bot's own promotion comments: marker AND author (anyone can paste a marker)."""
    return bot_comments(thread, bot, MARK)


PROPOSING = {"opened", "updated", "unchanged", "kept-edits", "would-open", "would-update"}


def solution_of(thread: Thread, content: Content) -> Solution | None:
    return next((s for s in content.solutions if s.source == thread.url), None)


def say(thread: Thread, p: Promoter, text: str) -> None:
    if not p.dry_run:
        p.github.post_comment(thread.ref, text)


def rule_line(rule: str, why: str, tr: Messages = ENGLISH) -> str:
    return "\n\n" + tr("<sub>crowdcare rule `{rule}`: {why}</sub>", rule=rule, why=why) + "\n"


def refuse(thread: Thread, p: Promoter, who: PersonRef | None, rule: str, why: str, **data: str) -> Outcome:
    tr = p.config.tr
    greeting = tr("Sorry {who}, ", who=f"@{who.login}") if who is not None else tr("Sorry, ")
    say(thread, p, greeting + why + rule_line(rule, tr("see crowdcare.yml"), tr) + marker("refused", **data))
    return Outcome(str(thread.ref), "refused", f"{rule}: {why}")


def allowed_to_promote(p: Promoter, person: PersonRef, association: str = "NONE") -> bool:
    return p.config.is_allowed(p.config.governance.promote, person, association=association)


def echo(text: str) -> str:
    """User text repeated in a bot comment: a code span, so it can mention, link or format nothing."""
    clean = one_line(text).replace("`", "'")[:100]
    return f"`{clean}`"


def who_may(entries: tuple[str, ...], *, asker: str | None = None, tr: Messages = ENGLISH) -> str:
    """A governance list in words, for a refusal: "staff or @login"."""
    words = {"staff": tr("staff"), "asker": asker if asker is not None else tr("the asker")}
    return tr(" or ").join(words.get(e.lower(), f"@{e}") for e in entries) or tr("nobody")


def branch_of(p: Promoter, kind: str, thread: Thread) -> str:
    return f"{p.config.promotion.branch_prefix}{kind}/{thread.ref.channel.value}-{thread.ref.number}"


def rule_why(rule: str, tr: Messages) -> str:
    return {
        "promotion.on_answer": tr("an answer was marked, by someone governance.accept_answers admits"),
        "promotion.command": tr("a /promote command, from someone governance.promote admits"),
        "promotion.label": tr("the promotion label was applied"),
        "promotion.merge": tr("a /merge command, from someone governance.promote admits"),
        "promotion.verified": tr("a /verified command, from someone governance.promote admits"),
    }[rule]


def person_named(thread: Thread, login: str) -> PersonRef:
    """The account behind a login the bot recorded, with its numeric id when the thread shows it."""
    people = [thread.author, *(r.author for r in thread.replies)]
    if thread.answer_chosen_by is not None:
        people.append(thread.answer_chosen_by)
    return next((person for person in people if person.login.lower() == login.lower()), PersonRef(login))
