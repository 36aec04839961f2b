"""The response guarantee's rules, as a table: each rule looks at one question and says what is due (an action that
cites it), or nothing. ``plan`` applies them in order; a sweep (guarantee.py) carries the actions out.

A sweep (`crowdcare respond`) looks at each customer question and decides, from the thread as it is now and
the rules in crowdcare.yml, what is due. Every action cites its rule. Like intake it reconciles instead of
remembering: each comment carries a hidden marker and is recognised by marker AND author, so a rerun adds
nothing, and a human reply that arrives before the bot acts cancels what was pending (the thread is read again
just before any write).

Rules (``responses`` in crowdcare.yml):
- acknowledge: no reply from anyone but the asker after ``community_window_hours`` (wall-clock): one comment,
  the needs-staff label, an assignee from the staff rotation (round robin, skipping staff marked away).
- escalate: no staff reply and no accepted answer after ``staff_window_hours`` (business hours if configured):
  the escalated label and a mention of ``escalate_to``.
- remind: replies but nothing accepted ``reminder_days`` after the last reply: one reminder to mark the answer.
- close-waiting: labelled as waiting for the author, who has not replied for ``waiting_days`` since: a kind
  comment and a close. reopen: the asker replies within ``reopen_days`` of that close: the thread reopens.
- settle: a staff reply or an accepted answer takes the needs-staff and escalated labels off; an asker's reply
  takes the waiting label off.
- propose / confirm-answer: a participant's ``/answer`` is put to the asker, whose yes marks it as the answer
  (respond/proposals.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from crowdcare.core.model import Channel, PersonRef, Reply, Thread
from crowdcare.core.settings import Config
from crowdcare.core.times import elapsed_hours, parse_time
from crowdcare.fold.consent import agree_words
from crowdcare.respond.facts import Action, Facts, cite, is_asker, marker, reply_time, thread_topic
from crowdcare.respond.proposals import decide, marks_on_github, proposed_reply


@dataclass(frozen=True)
class Situation:
    """One question at one moment, as every rule sees it."""

    thread: Thread
    facts: Facts
    config: Config
    now: dt.datetime
    next_holder: str | None  # the staff member the rotation would hand a new question to

    @property
    def asker(self) -> str:
        return f"@{self.thread.author.login}"


def plan(thread: Thread, facts: Facts, config: Config, now: dt.datetime, next_holder: str | None) -> list[Action]:
    """What is due on ``thread`` at ``now``: the rules of ``RULES`` in order. Pure: the same thread, config and time
    give the same plan. A closed thread can only be reopened; proposals come first, because an answer the asker
    confirms in this sweep means nothing is left to remind of or escalate."""
    if thread.state != "open":
        return _reopen(thread, facts, config, now)
    actions = _proposals(thread, facts, config)
    confirming = next((a.answer for a in actions if a.answer is not None), None)
    if confirming is not None:
        facts = replace(facts, answer=confirming)  # as this sweep leaves it
    here = Situation(thread, facts, config, now, next_holder)
    for rule in RULES:
        actions += rule(here)
    return actions


def _acknowledge(here: Situation) -> list[Action]:
    """Nobody but the asker replied within the community window: hand it to the next staff member."""
    facts, config, rules, tr = here.facts, here.config, here.config.responses, here.config.tr
    wall = elapsed_hours(facts.asked_at, here.now, None)
    if facts.latest("acknowledge") is not None or facts.others or wall < rules.community_window_hours:
        return []
    holder = facts.holder or here.next_holder
    why = tr(
        "no reply from anyone but the asker for {hours} hours (community window: {window})",
        hours=f"{wall:.0f}",
        window=rules.community_window_hours,
    )
    topic = thread_topic(here.thread, config)
    owner = config.staff_member(PersonRef(holder)) if holder and not facts.holder else None
    if owner is not None and topic is not None and topic in owner.topics:
        why += tr("; the topic {topic} is theirs (staff topics in crowdcare.yml)", topic=topic)
    if holder:
        text = tr(
            "Thanks for waiting, {asker}. Nobody from the community has answered yet, so {holder} from the {team} "
            "team is looking after your question now. You don't need to do anything; we'll reply here.",
            asker=here.asker,
            holder=f"@{holder}",
            team=config.name,
        )
    else:
        text = tr(
            "Thanks for waiting, {asker}. Nobody from the community has answered yet, so the {team} team is "
            "looking after your question now. You don't need to do anything; we'll reply here.",
            asker=here.asker,
            team=config.name,
        )
    body = (
        f"{text}\n\n{cite('acknowledge', why, tr)}\n{marker('acknowledge', **({'holder': holder} if holder else {}))}"
    )
    thread = here.thread
    assign = (holder,) if holder and thread.ref.channel is Channel.ISSUE and not thread.assignees else ()
    rotated = holder if holder and not facts.holder else None
    return [Action("acknowledge", why, body, add_labels=(rules.labels.needs_staff,), assign=assign, rotated_to=rotated)]


def _escalate(here: Situation) -> list[Action]:
    """No staff reply and no accepted answer within the staff window (business hours when set): tell the team."""
    facts, config, rules, tr = here.facts, here.config, here.config.responses, here.config.tr
    if facts.answer is not None or facts.first_staff is not None or facts.waiting or facts.latest("escalate"):
        return []
    business = elapsed_hours(facts.asked_at, here.now, rules.business_hours)
    if business < rules.staff_window_hours:
        return []
    figures = {"hours": f"{business:.0f}", "window": rules.staff_window_hours}
    if rules.business_hours is not None:
        why = tr("no staff or accepted answer after {hours} business hours (staff window: {window})", **figures)
    else:
        why = tr("no staff or accepted answer after {hours} hours (staff window: {window})", **figures)
    on_topic = config.topic(thread_topic(here.thread, config) or "")
    escalate_to = (on_topic.escalate_to if on_topic else None) or rules.escalate_to
    if escalate_to:
        text = tr(
            "{team}, this question from {asker} has waited longer than we promise without an answer from staff.",
            team=escalate_to,
            asker=here.asker,
        )
    else:
        text = tr(
            "This question from {asker} has waited longer than we promise without an answer from staff.",
            asker=here.asker,
        )
    if facts.holder:
        text += " " + tr("{holder} has it on their list.", holder=f"@{facts.holder}")
    text += " " + tr("Please take a look.")
    body = f"{text}\n\n{cite('escalate', why, tr)}\n{marker('escalate')}"
    return [Action("escalate", why, body, add_labels=(rules.labels.escalated,))]


def _remind(here: Situation) -> list[Action]:
    """Replies, but nothing accepted some days after the last one: ask the asker once to mark the answer."""
    facts, rules, tr = here.facts, here.config.responses, here.config.tr
    if facts.answer is not None or not facts.others or facts.waiting or facts.latest("remind") is not None:
        return []
    days = elapsed_hours(reply_time(facts.humans[-1]), here.now, None) / 24
    if days < rules.reminder_days:
        return []
    why = tr(
        "replies but no accepted answer, {days} days after the last reply (reminder: {reminder} days)",
        days=f"{days:.0f}",
        reminder=rules.reminder_days,
    )
    if here.thread.ref.channel is Channel.DISCUSSION:
        text = tr(
            "{asker}, did one of the replies solve your problem? If so, please mark it as the answer (the ✓ "
            "under the reply): it helps the next person with the same question find it.",
            asker=here.asker,
        )
    else:
        text = tr(
            "{asker}, did one of the replies solve your problem? If so, please close this issue, or tell us "
            "what is still missing: it helps the next person with the same question find it.",
            asker=here.asker,
        )
    return [Action("remind", why, f"{text}\n\n{cite('remind', why, tr)}\n{marker('remind')}")]


def _waiting_for_the_asker(here: Situation) -> list[Action]:
    """Labelled as waiting for the asker: settle when they reply, close kindly when they stay silent."""
    if not (here.facts.waiting and here.facts.others):
        return []
    return _waiting(here.thread, here.facts, here.config, here.now)


def _settle(here: Situation) -> list[Action]:
    """A staff reply or an accepted answer: the needs-staff and escalated labels come off."""
    facts, names = here.facts, here.config.responses.labels
    if facts.first_staff is None and facts.answer is None:
        return []
    labels = {label.lower() for label in here.thread.labels}
    stale = tuple(n for n in (names.needs_staff, names.escalated) if n.lower() in labels)
    why = here.config.tr("a staff reply or an accepted answer arrived")
    return [Action("settle", why, remove_labels=stale)] if stale else []


# The rule table: what is due on an open question, in the order the bot does it (README, "Every customer gets a
# response"). Each rule reads the situation and returns the actions it makes due, each citing it.
RULES: tuple[Callable[[Situation], list[Action]], ...] = (
    _acknowledge,
    _escalate,
    _remind,
    _waiting_for_the_asker,
    _settle,
)


def _proposals(thread: Thread, facts: Facts, config: Config) -> list[Action]:
    """Put a participant's /answer to the asker; mark the answer they confirm (respond/proposals.py)."""
    found = facts.proposals
    if found is None:
        return []
    tr = config.tr
    if found.confirmed is not None and found.answer is not None:
        # Confirmed earlier: finish marking it if the sweep that confirmed it stopped before it was marked.
        if thread.answer is not None or facts.answer is None or facts.answer.id != found.answer.id:
            return []
        label = config.responses.labels.answered
        finishing = tr("finishing a confirmation")
        if marks_on_github(thread):
            return [Action("confirm-answer", finishing, answer=found.answer, mark_on_github=True)]
        if label.lower() not in {name.lower() for name in thread.labels}:
            return [Action("confirm-answer", finishing, add_labels=(label,), answer=found.answer)]
        return []
    if facts.answer is not None:
        return []
    if found.command is not None:
        return _put_to_asker(thread, facts, config, found.command)
    if found.proposal is None or found.proposed is None:
        return []
    verdict = decide(thread, found.proposal, facts.proposal_reactions, agree_words(config), tr)
    if verdict.decision != "confirmed":
        return []
    return [_confirm(thread, found.proposed, verdict.why, config)]


def _put_to_asker(thread: Thread, facts: Facts, config: Config, command: Reply) -> list[Action]:
    """A participant's /answer: the proposal to the asker, a refusal when there is nothing to propose, or, when the
    asker proposed it themselves, the confirmation."""
    tr = config.tr
    asker = f"@{thread.author.login}"
    proposer = f"@{command.author.login}"
    reply = proposed_reply(thread, command, facts.bot)
    if reply is None or reply.author_is_bot:
        why = tr("{proposer} asked for an answer to be proposed, and there is no reply to propose", proposer=proposer)
        text = tr(
            "{proposer}, there is no reply to propose as the answer yet. `/answer` alone proposes the latest reply "
            "by someone other than the asker; `/answer LINK` proposes the reply the link names; `/answer` with "
            "your answer on the lines below proposes your own reply.",
            proposer=proposer,
        )
        body = f"{text}\n\n{cite('propose', why, tr)}\n{marker('propose-refused', command=command.id)}"
        return [Action("propose-refused", why, body)]
    if command.author.is_same_account(thread.author):
        why = tr("the asker proposed the reply as the answer themselves")
        return [_confirm(thread, reply, why, config, command=command.id)]
    why = tr("{proposer} proposed a reply as the answer (`/answer`)", proposer=proposer)
    author, url = f"@{reply.author.login}", reply.url
    if reply.author.is_same_account(command.author):
        link = tr("[this reply]({url})", url=url) if url else tr("the reply")
    else:
        link = (
            tr("[this reply by {author}]({url})", author=author, url=url)
            if url
            else tr("the reply by {author}", author=author)
        )
    text = tr(
        "{asker}, {proposer} thinks {link} answers your question. If it does, reply **yes** or react 👍 to this "
        "comment and we'll mark it as the answer, so the next person with the same question finds it. If it "
        "doesn't, just tell us what is still missing.",
        asker=asker,
        proposer=proposer,
        link=link,
    )
    body = f"{text}\n\n{cite('propose', why, tr)}\n{marker('propose', reply=reply.id, command=command.id)}"
    return [Action("propose", why, body)]


def _confirm(thread: Thread, reply: Reply, why: str, config: Config, **data: str) -> Action:
    tr = config.tr
    on_github = marks_on_github(thread)
    author = f"@{reply.author.login}"
    link = (
        tr("[the reply by {author}]({url})", author=author, url=reply.url)
        if reply.url
        else tr("the reply by {author}", author=author)
    )
    text = tr("Marked {link} as the answer: {asker} confirmed it.", link=link, asker=f"@{thread.author.login}")
    if not reply.author.is_same_account(thread.author):
        text += " " + tr("Thank you, {author}!", author=author)
    body = (
        f"{text}\n\n{cite('confirm-answer', why, tr)}\n"
        f"{marker('confirm-answer', reply=reply.id, by=thread.author.login, **data)}"
    )
    labels = () if on_github else (config.responses.labels.answered,)
    return Action("confirm-answer", why, body, add_labels=labels, answer=reply, mark_on_github=on_github)


def _waiting(thread: Thread, facts: Facts, config: Config, now: dt.datetime) -> list[Action]:
    rules = config.responses
    tr = config.tr
    last_other = reply_time(facts.others[-1])
    asker_since = [r for r in facts.humans if is_asker(r, thread) and reply_time(r) > last_other]
    if asker_since:
        why = tr("the asker replied after being asked for information")
        return [Action("settle", why, remove_labels=(rules.labels.waiting,))]
    days = elapsed_hours(last_other, now, None) / 24
    if days < rules.waiting_days:
        return []
    why = tr(
        "waiting for the asker, who has not replied for {days} days (waiting: {waiting} days)",
        days=f"{days:.0f}",
        waiting=rules.waiting_days,
    )
    closing = facts.latest("close-waiting")
    if closing is not None and reply_time(closing.reply) > last_other:
        closed_at = parse_time(thread.closed_at, "closed_at") if thread.closed_at else None
        if closed_at is None or closed_at < reply_time(closing.reply):
            return [Action("close-waiting", why + tr("; finishing a close that was interrupted"), close=True)]
        return []  # closed after our comment, then reopened by a person: leave it open
    text = tr(
        "We're closing this for now, {asker}, because we haven't heard back in {waiting} days. Reply here any time "
        "within {reopen} days and it reopens automatically.",
        asker=f"@{thread.author.login}",
        waiting=rules.waiting_days,
        reopen=rules.reopen_days,
    )
    body = f"{text}\n\n{cite('close-waiting', why, tr)}\n{marker('close-waiting')}"
    return [Action("close-waiting", why, body, close=True)]


def _reopen(thread: Thread, facts: Facts, config: Config, now: dt.datetime) -> list[Action]:
    closing = facts.latest("close-waiting")
    if closing is None:
        return []
    closed_at = reply_time(closing.reply)
    reopened = facts.latest("reopen")
    if reopened is not None and reply_time(reopened.reply) > closed_at:
        return []  # we reopened it already; a person closed it again since
    replies = [r for r in facts.humans if is_asker(r, thread) and reply_time(r) > closed_at]
    if not replies or elapsed_hours(closed_at, reply_time(replies[0]), None) / 24 > config.responses.reopen_days:
        return []
    if thread.closed_at and parse_time(thread.closed_at, "closed_at") > reply_time(replies[0]):
        return []  # a person closed it again after the asker's reply: their call
    tr = config.tr
    why = tr("the asker replied after the thread was closed for lack of a reply")
    text = tr("Reopened: thanks for coming back, {asker}.", asker=f"@{thread.author.login}")
    body = f"{text}\n\n{cite('reopen', why, tr)}\n{marker('reopen')}"
    waiting = config.responses.labels.waiting
    return [Action("reopen", why, body, remove_labels=(waiting,), reopen=True)]
