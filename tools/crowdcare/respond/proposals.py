"""Proposed answers the asker confirms: most threads never get an answer marked, so anyone who helps may propose one.

A participant (staff or any helper) comments ``/answer`` first thing in a reply:

- ``/answer`` alone proposes the latest earlier reply by someone other than the asker;
- ``/answer LINK`` proposes the reply the link (or its ``#fragment``) names;
- ``/answer`` followed by more lines proposes the reply itself (a helper's own answer).

The respond sweep asks the asker in one comment, which names who proposed what. The asker confirms with a reply
whose first word is one of ``duplicates.agree_words`` ("yes"...) or a 👍 (or ❤️ 🎉 🚀) on that comment; their
👎, or a reply that says anything else, declines it. A confirmed answer is marked: on a discussion in a category
that takes answers, GitHub's "mark as answer"; on an issue (or a discussion that takes none), the ``answered``
label. An asker who proposes a reply themselves has confirmed it.

GitHub records the bot as the account that marked such an answer (``answerChosenBy``); the bot's confirmation
comment records who really accepted it, and ``as_confirmed`` reads it back so promotion credits the asker as the
accepter. Every comment carries respond's hidden marker and is recognised by marker AND author.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import BotComment, bot_comments, same_account, step_pattern
from crowdcare.core.model import Channel, PersonRef, Reaction, Reply, Thread
from crowdcare.fold.consent import AGREE_REACTIONS, OBJECT_REACTION, first_word

COMMAND = re.compile(r"\A\s*/answer(?![\w-])[ \t]*([^\n]*)", re.IGNORECASE)
# respond's markers for this capability: the proposal, a refused command and the confirmation.
_MARK = step_pattern("respond", "propose|propose-refused|confirm-answer")


@dataclass(frozen=True)
class Standing:
    """Where a thread's proposals stand, read from its replies alone."""

    command: Reply | None  # the oldest /answer the bot has not answered yet
    proposal: BotComment | None  # the latest proposal, while nobody has decided it
    proposed: Reply | None  # ... and the reply it proposes
    confirmed: BotComment | None  # the latest confirmation
    answer: Reply | None  # ... and the reply it confirmed, when it is still on the thread


def reply_named(thread: Thread, argument: str) -> Reply | None:
    """The reply a command names by its link, its ``#fragment`` or its id."""
    wanted = argument.strip().strip("<>")
    fragment = wanted.split("#", 1)[1] if "#" in wanted else wanted
    return next(
        (
            r
            for r in thread.replies
            if r.id == wanted or (r.url and (r.url == wanted or r.url.endswith("#" + fragment)))
        ),
        None,
    )


def proposed_reply(thread: Thread, command: Reply, bot: str) -> Reply | None:
    """What ``command`` proposes (see the module's description); None when there is nothing to propose."""
    match = COMMAND.match(command.body)
    argument = match.group(1).strip() if match else ""
    if argument:
        named = reply_named(thread, argument)
        return (
            named
            if named is not None and not named.author_is_bot and not same_account(named.author.login, bot)
            else None
        )
    if command.body.strip().count("\n"):
        return command  # the helper's own answer, under the command line
    earlier = [
        r
        for r in sorted(thread.replies, key=lambda r: r.created_at)
        if r.created_at < command.created_at
        and not r.author.is_same_account(thread.author)
        and not r.author_is_bot
        and not same_account(r.author.login, bot)
        and not COMMAND.match(r.body)
    ]
    return earlier[-1] if earlier else None


def standing(thread: Thread, bot: str) -> Standing:
    ours = bot_comments(thread, bot, _MARK)
    handled = {m.data.get("command") for m in ours}
    people = [r for r in sorted(thread.replies, key=lambda r: r.created_at) if not r.author_is_bot]
    people = [r for r in people if not same_account(r.author.login, bot)]
    command = next((r for r in people if COMMAND.match(r.body) and r.id not in handled), None)
    confirmed = next((m for m in reversed(ours) if m.rule == "confirm-answer"), None)
    answer = reply_named(thread, confirmed.data.get("reply", "")) if confirmed else None
    proposal = next((m for m in reversed(ours) if m.rule == "propose"), None)
    if proposal is not None and confirmed is not None and confirmed.reply.created_at > proposal.reply.created_at:
        proposal = None
    proposed = reply_named(thread, proposal.data.get("reply", "")) if proposal else None
    return Standing(command, proposal, proposed, confirmed, answer)


@dataclass(frozen=True)
class Decision:
    decision: str  # confirmed | declined | wait
    why: str


def decide(
    thread: Thread,
    proposal: BotComment,
    reactions: Iterable[Reaction],
    agree_words: tuple[str, ...],
    tr: Messages = ENGLISH,
) -> Decision:
    """The asker's word on a proposal: their first reply after it, else their reaction to it. Pure."""
    asker = thread.author
    after = [
        r
        for r in sorted(thread.replies, key=lambda r: r.created_at)
        if r.created_at > proposal.reply.created_at and r.author.is_same_account(asker) and not COMMAND.match(r.body)
    ]
    if after:
        first = after[0]
        if first_word(first.body) in agree_words:
            return Decision("confirmed", tr("the asker agreed in a reply ({link})", link=first.url or first.id))
        return Decision("declined", tr("the asker replied without confirming it"))
    mine = [r.content for r in reactions if r.voter is not None and r.voter.is_same_account(asker)]
    if OBJECT_REACTION in mine:
        return Decision("declined", tr("the asker's 👎 on the proposal"))
    if any(content in AGREE_REACTIONS for content in mine):
        return Decision("confirmed", tr("the asker's 👍 on the proposal"))
    return Decision("wait", tr("waiting for the asker to confirm"))


def marks_on_github(thread: Thread) -> bool:
    """Whether GitHub itself can mark the answer: a discussion in a category that takes answers (when GitHub said
    whether it does). Otherwise the answered label marks it."""
    return thread.ref.channel is Channel.DISCUSSION and thread.answerable is not False


def as_confirmed(thread: Thread, bot: str, found: Standing | None = None) -> Thread:
    """The thread with the answer its asker confirmed, accepted by the asker at the confirmation: GitHub records
    the bot as the account that marked it, and an issue has no answer of its own. Unchanged without one, or when
    a person has marked another answer since. ``found``: the thread's standing, when the caller has read it."""
    found = found if found is not None else standing(thread, bot)
    if found.confirmed is None or found.answer is None:
        return thread
    marked_by_us = thread.answer_chosen_by is not None and same_account(thread.answer_chosen_by.login, bot)
    if thread.answer is not None and not (thread.answer.id == found.answer.id and marked_by_us):
        return thread
    login = found.confirmed.data.get("by", thread.author.login)
    accepter = thread.author if thread.author.login.lower() == login.lower() else PersonRef(login)
    return replace(
        thread, answer=found.answer, answer_chosen_by=accepter, answer_chosen_at=found.confirmed.reply.created_at
    )
