"""What the response guarantee knows of one question, read from the thread alone: the bot's own marked
comments (marker AND author), who replied when, the answer, the holder, and the record the ledger keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import BotComment, bot_comments, step_marker, step_pattern
from crowdcare.core.model import Channel, PersonKind, Reaction, Reply, ResponseRecord, ResponseStatus, Thread
from crowdcare.core.settings import Config
from crowdcare.core.times import format_time, parse_time
from crowdcare.fold.consent import cite_rule, claim_state
from crowdcare.intake.take_in import normalize
from crowdcare.respond.proposals import Standing, as_confirmed, standing

MARK = step_pattern("respond")


def marker(rule: str, **data: str) -> str:
    return step_marker("respond", rule, **data)


@dataclass(frozen=True)
class Action:
    """One thing the bot does on a thread, and the rule that made it due."""

    rule: str  # acknowledge | escalate | remind | close-waiting | reopen | settle
    why: str
    comment: str | None = None
    add_labels: tuple[str, ...] = ()
    remove_labels: tuple[str, ...] = ()
    assign: tuple[str, ...] = ()
    close: bool = False
    reopen: bool = False
    rotated_to: str | None = None  # the staff member the rotation picked (the rotation moves on when done)
    answer: Reply | None = None  # the reply this action makes the answer (confirm-answer)
    mark_on_github: bool = False  # ... by GitHub's "mark as answer" (a discussion), after the comment


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one question, read from the thread."""

    asked_at: dt.datetime
    humans: tuple[Reply, ...]  # replies by people (bots left out), oldest first
    others: tuple[Reply, ...]  # ... by anyone but the asker
    first_staff: Reply | None
    answer: Reply | None
    answered_by: PersonKind | None
    waiting: bool
    ours: tuple[BotComment, ...]
    holder: str | None
    claim: tuple[str, str] | None = None  # (solution, outcome) of a duplicate claim, as fold.claim_state reads it
    proposals: Standing | None = None  # where proposed answers stand (respond/proposals.py)
    proposal_reactions: tuple[Reaction, ...] = ()  # on the pending proposal (read only while one waits)
    bot: str = ""  # the login the bot writes as

    def latest(self, rule: str) -> BotComment | None:
        return next((c for c in reversed(self.ours) if c.rule == rule), None)


def reply_time(reply: Reply) -> dt.datetime:
    return parse_time(reply.created_at, "reply time")


def facts_of(thread: Thread, config: Config, bot: str) -> Facts:
    labels = {label.lower() for label in thread.labels}
    names = config.responses.labels

    def kind(reply: Reply) -> PersonKind:
        return config.person_kind(reply.author, reply.association, reply.author_is_bot)

    replies = sorted(thread.replies, key=lambda r: r.created_at)
    humans = tuple(r for r in replies if kind(r) is not PersonKind.BOT)
    others = tuple(r for r in humans if not is_asker(r, thread))
    ours = bot_comments(thread, bot, MARK)
    proposals = standing(thread, bot)
    answer = as_confirmed(thread, bot, proposals).answer
    if answer is None and thread.ref.channel is Channel.ISSUE and names.answered.lower() in labels and others:
        answer = others[-1]  # issues have no "mark as answer": the label says the latest reply answered it
    assigned = [a.login for a in thread.assignees if config.is_staff(a)]
    acknowledged = next((c for c in ours if c.rule == "acknowledge"), None)
    holder = assigned[0] if assigned else (acknowledged.data.get("holder") if acknowledged else None)
    return Facts(
        asked_at=parse_time(thread.created_at, f"{thread.ref} created_at"),
        humans=humans,
        others=others,
        first_staff=next((r for r in others if kind(r) is PersonKind.STAFF), None),
        answer=answer,
        answered_by=kind(answer) if answer is not None else None,
        waiting=names.waiting.lower() in labels,
        ours=tuple(ours),
        holder=holder,
        claim=claim_state(thread, bot, config),
        proposals=proposals,
        bot=bot,
    )


def is_asker(reply: Reply, thread: Thread) -> bool:
    return reply.author.is_same_account(thread.author)


def status_of(thread: Thread, facts: Facts, config: Config) -> ResponseStatus:
    labels = {label.lower() for label in thread.labels}
    names = config.responses.labels
    if thread.state != "open":
        return ResponseStatus.CLOSED
    if facts.answer is not None:
        return ResponseStatus.ACCEPTED
    if facts.waiting:
        return ResponseStatus.WAITING
    if facts.first_staff is None and (facts.latest("escalate") or names.escalated.lower() in labels):
        return ResponseStatus.ESCALATED
    if facts.first_staff is None and (facts.latest("acknowledge") or names.needs_staff.lower() in labels):
        return ResponseStatus.NEEDS_STAFF
    return ResponseStatus.ANSWERED if facts.others else ResponseStatus.NEW


def cite(rule: str, text: str, tr: Messages = ENGLISH) -> str:
    return cite_rule(text, f"responses.{rule}", tr)


def record_of(thread: Thread, facts: Facts, config: Config, status: ResponseStatus) -> ResponseRecord:
    def by(reply: Reply | None) -> str | None:
        if reply is None:
            return None
        kind = config.person_kind(reply.author, reply.association, reply.author_is_bot)
        return "staff" if kind is PersonKind.STAFF else "community"

    first = facts.others[0] if facts.others else None
    claim = facts.claim
    return ResponseRecord(
        thread=str(thread.ref),
        url=thread.url,
        title=normalize(thread.title, 300),
        asked_at=format_time(facts.asked_at),
        status=status,
        holder=facts.holder,
        first_response_at=format_time(reply_time(first)) if first else None,
        first_response_by=by(first),
        answered_at=format_time(reply_time(facts.answer)) if facts.answer else None,
        answered_by=by(facts.answer),
        closed_at=thread.closed_at if thread.state != "open" else None,
        first_responder=first.author.login if first else None,
        claim=claim[0] or None if claim else None,
        claim_outcome=claim[1] if claim else None,
    )


def thread_topic(thread: Thread, config: Config) -> str | None:
    """The topic a thread is on: a label that is a topic's slug, else its discussion category named like a topic."""
    topics = {t.slug.lower(): t.slug for t in config.topics}
    for label in thread.labels:
        if label.lower() in topics:
            return topics[label.lower()]
    if thread.category:
        named = thread.category.strip().lower()
        return next((t.slug for t in config.topics if named in (t.slug.lower(), t.title.lower())), None)
    return None
