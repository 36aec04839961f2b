"""Every customer gets a response: acknowledge, hand to staff, escalate, remind, close kindly and reopen.

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
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from crowdcare.content.ports import GitHubPort, read_again
from crowdcare.core.errors import AmbiguousWriteError, BadInputError, ThreadGoneError, TransientError
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import data_of, step_marker, step_pattern
from crowdcare.core.model import (
    Channel,
    Config,
    PersonKind,
    PersonRef,
    Reaction,
    Reply,
    ResponseLedger,
    ResponseRecord,
    ResponseStatus,
    Thread,
    ThreadKind,
)
from crowdcare.core.times import elapsed_hours, format_time, parse_time
from crowdcare.fold.questions import agree_words, claim_state
from crowdcare.intake.take_in import classify, normalize, same_account
from crowdcare.respond.proposals import Standing, as_confirmed, decide, marks_on_github, proposed_reply, standing

_MARK = step_pattern("respond")


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
class BotComment:
    rule: str
    data: dict[str, str]
    reply: Reply


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


def _at(reply: Reply) -> dt.datetime:
    return parse_time(reply.created_at, "reply time")


def facts_of(thread: Thread, config: Config, bot: str) -> Facts:
    labels = {label.lower() for label in thread.labels}
    names = config.responses.labels

    def kind(reply: Reply) -> PersonKind:
        return config.person_kind(reply.author, reply.association, reply.author_is_bot)

    replies = sorted(thread.replies, key=lambda r: r.created_at)
    humans = tuple(r for r in replies if kind(r) is not PersonKind.BOT)
    others = tuple(r for r in humans if not _is_asker(r, thread))
    ours = bot_comments(thread, bot)
    answer = as_confirmed(thread, bot).answer
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
        proposals=standing(thread, bot),
        bot=bot,
    )


def bot_comments(thread: Thread, bot: str, pattern: re.Pattern[str] = _MARK) -> list[BotComment]:
    """The bot's own marked comments on ``thread`` (respond's, or another step's ``pattern``, whose groups are
    the rule and its ``key=value`` data), oldest first: marker AND author (anyone can paste a marker)."""
    found = []
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        match = pattern.search(reply.body)
        if match and same_account(reply.author.login, bot):
            found.append(BotComment(match.group(1), data_of(match.group(2)), reply))
    return found


def _is_asker(reply: Reply, thread: Thread) -> bool:
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


def _cite(rule: str, text: str, tr: Messages = ENGLISH) -> str:
    return tr("<sub>crowdcare rule `{rule}`: {why}.</sub>", rule=f"responses.{rule}", why=text)


def plan(thread: Thread, facts: Facts, config: Config, now: dt.datetime, next_holder: str | None) -> list[Action]:
    """What is due on ``thread`` at ``now``. Pure: the same thread, config and time give the same plan."""
    rules = config.responses
    names = rules.labels
    labels = {label.lower() for label in thread.labels}
    asker = f"@{thread.author.login}"
    tr = config.tr
    actions: list[Action] = []
    if thread.state != "open":
        return _reopen(thread, facts, config, now)
    actions.extend(_proposals(thread, facts, config))
    confirming = next((a.answer for a in actions if a.answer is not None), None)
    if confirming is not None:
        facts = replace(facts, answer=confirming)  # as this sweep leaves it: nothing to remind or escalate

    wall = elapsed_hours(facts.asked_at, now, None)
    if facts.latest("acknowledge") is None and not facts.others and wall >= rules.community_window_hours:
        holder = facts.holder or next_holder
        why = tr(
            "no reply from anyone but the asker for {hours} hours (community window: {window})",
            hours=f"{wall:.0f}",
            window=rules.community_window_hours,
        )
        topic = thread_topic(thread, config)
        owner = config.staff_member(PersonRef(holder)) if holder and not facts.holder else None
        if owner is not None and topic is not None and topic in owner.topics:
            why += tr("; the topic {topic} is theirs (staff topics in crowdcare.yml)", topic=topic)
        if holder:
            text = tr(
                "Thanks for waiting, {asker}. Nobody from the community has answered yet, so {holder} from the {team} "
                "team is looking after your question now. You don't need to do anything; we'll reply here.",
                asker=asker,
                holder=f"@{holder}",
                team=config.name,
            )
        else:
            text = tr(
                "Thanks for waiting, {asker}. Nobody from the community has answered yet, so the {team} team is "
                "looking after your question now. You don't need to do anything; we'll reply here.",
                asker=asker,
                team=config.name,
            )
        body = (
            f"{text}\n\n{_cite('acknowledge', why, tr)}\n"
            f"{marker('acknowledge', **({'holder': holder} if holder else {}))}"
        )
        assign = (holder,) if holder and thread.ref.channel is Channel.ISSUE and not thread.assignees else ()
        rotated = holder if holder and not facts.holder else None
        actions.append(
            Action("acknowledge", why, body, add_labels=(names.needs_staff,), assign=assign, rotated_to=rotated)
        )

    if facts.answer is None and facts.first_staff is None and not facts.waiting and facts.latest("escalate") is None:
        business = elapsed_hours(facts.asked_at, now, rules.business_hours)
        if business >= rules.staff_window_hours:
            figures = {"hours": f"{business:.0f}", "window": rules.staff_window_hours}
            if rules.business_hours is not None:
                why = tr("no staff or accepted answer after {hours} business hours (staff window: {window})", **figures)
            else:
                why = tr("no staff or accepted answer after {hours} hours (staff window: {window})", **figures)
            on_topic = config.topic(thread_topic(thread, config) or "")
            escalate_to = (on_topic.escalate_to if on_topic else None) or rules.escalate_to
            if escalate_to:
                text = tr(
                    "{team}, this question from {asker} has waited longer than we promise without an answer from "
                    "staff.",
                    team=escalate_to,
                    asker=asker,
                )
            else:
                text = tr(
                    "This question from {asker} has waited longer than we promise without an answer from staff.",
                    asker=asker,
                )
            if facts.holder:
                text += " " + tr("{holder} has it on their list.", holder=f"@{facts.holder}")
            text += " " + tr("Please take a look.")
            body = f"{text}\n\n{_cite('escalate', why, tr)}\n{marker('escalate')}"
            actions.append(Action("escalate", why, body, add_labels=(names.escalated,)))

    if facts.answer is None and facts.others and not facts.waiting and facts.latest("remind") is None:
        last = _at(facts.humans[-1])
        days = elapsed_hours(last, now, None) / 24
        if days >= rules.reminder_days:
            why = tr(
                "replies but no accepted answer, {days} days after the last reply (reminder: {reminder} days)",
                days=f"{days:.0f}",
                reminder=rules.reminder_days,
            )
            if thread.ref.channel is Channel.DISCUSSION:
                text = tr(
                    "{asker}, did one of the replies solve your problem? If so, please mark it as the answer (the ✓ "
                    "under the reply): it helps the next person with the same question find it.",
                    asker=asker,
                )
            else:
                text = tr(
                    "{asker}, did one of the replies solve your problem? If so, please close this issue, or tell us "
                    "what is still missing: it helps the next person with the same question find it.",
                    asker=asker,
                )
            body = f"{text}\n\n{_cite('remind', why, tr)}\n{marker('remind')}"
            actions.append(Action("remind", why, body))

    if facts.waiting and facts.others:
        actions.extend(_waiting(thread, facts, config, now))

    settled = facts.first_staff is not None or facts.answer is not None
    stale = tuple(n for n in (names.needs_staff, names.escalated) if n.lower() in labels) if settled else ()
    if stale:
        actions.append(Action("settle", tr("a staff reply or an accepted answer arrived"), remove_labels=stale))
    return actions


def _proposals(thread: Thread, facts: Facts, config: Config) -> list[Action]:
    """Put a participant's /answer to the asker; mark the answer they confirm (respond/proposals.py)."""
    found = facts.proposals
    if found is None:
        return []
    tr = config.tr
    asker = f"@{thread.author.login}"
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
        command = found.command
        proposer = f"@{command.author.login}"
        reply = proposed_reply(thread, command, facts.bot)
        if reply is None or reply.author_is_bot:
            why = tr(
                "{proposer} asked for an answer to be proposed, and there is no reply to propose", proposer=proposer
            )
            text = tr(
                "{proposer}, there is no reply to propose as the answer yet. `/answer` alone proposes the latest reply "
                "by someone other than the asker; `/answer LINK` proposes the reply the link names; `/answer` with "
                "your answer on the lines below proposes your own reply.",
                proposer=proposer,
            )
            body = f"{text}\n\n{_cite('propose', why, tr)}\n{marker('propose-refused', command=command.id)}"
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
        body = f"{text}\n\n{_cite('propose', why, tr)}\n{marker('propose', reply=reply.id, command=command.id)}"
        return [Action("propose", why, body)]
    if found.proposal is None or found.proposed is None:
        return []
    verdict = decide(thread, found.proposal, facts.proposal_reactions, agree_words(config), tr)
    if verdict.decision != "confirmed":
        return []
    return [_confirm(thread, found.proposed, verdict.why, config)]


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
        f"{text}\n\n{_cite('confirm-answer', why, tr)}\n"
        f"{marker('confirm-answer', reply=reply.id, by=thread.author.login, **data)}"
    )
    labels = () if on_github else (config.responses.labels.answered,)
    return Action("confirm-answer", why, body, add_labels=labels, answer=reply, mark_on_github=on_github)


def _waiting(thread: Thread, facts: Facts, config: Config, now: dt.datetime) -> list[Action]:
    rules = config.responses
    tr = config.tr
    last_other = _at(facts.others[-1])
    asker_since = [r for r in facts.humans if _is_asker(r, thread) and _at(r) > last_other]
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
    if closing is not None and _at(closing.reply) > last_other:
        closed_at = parse_time(thread.closed_at, "closed_at") if thread.closed_at else None
        if closed_at is None or closed_at < _at(closing.reply):
            return [Action("close-waiting", why + tr("; finishing a close that was interrupted"), close=True)]
        return []  # closed after our comment, then reopened by a person: leave it open
    text = tr(
        "We're closing this for now, {asker}, because we haven't heard back in {waiting} days. Reply here any time "
        "within {reopen} days and it reopens automatically.",
        asker=f"@{thread.author.login}",
        waiting=rules.waiting_days,
        reopen=rules.reopen_days,
    )
    body = f"{text}\n\n{_cite('close-waiting', why, tr)}\n{marker('close-waiting')}"
    return [Action("close-waiting", why, body, close=True)]


def _reopen(thread: Thread, facts: Facts, config: Config, now: dt.datetime) -> list[Action]:
    closing = facts.latest("close-waiting")
    if closing is None:
        return []
    closed_at = _at(closing.reply)
    reopened = facts.latest("reopen")
    if reopened is not None and _at(reopened.reply) > closed_at:
        return []  # we reopened it already; a person closed it again since
    replies = [r for r in facts.humans if _is_asker(r, thread) and _at(r) > closed_at]
    if not replies or elapsed_hours(closed_at, _at(replies[0]), None) / 24 > config.responses.reopen_days:
        return []
    if thread.closed_at and parse_time(thread.closed_at, "closed_at") > _at(replies[0]):
        return []  # a person closed it again after the asker's reply: their call
    tr = config.tr
    why = tr("the asker replied after the thread was closed for lack of a reply")
    text = tr("Reopened: thanks for coming back, {asker}.", asker=f"@{thread.author.login}")
    body = f"{text}\n\n{_cite('reopen', why, tr)}\n{marker('reopen')}"
    waiting = config.responses.labels.waiting
    return [Action("reopen", why, body, remove_labels=(waiting,), reopen=True)]


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
        first_response_at=format_time(_at(first)) if first else None,
        first_response_by=by(first),
        answered_at=format_time(_at(facts.answer)) if facts.answer else None,
        answered_by=by(facts.answer),
        closed_at=thread.closed_at if thread.state != "open" else None,
        first_responder=first.author.login if first else None,
        claim=claim[0] or None if claim else None,
        claim_outcome=claim[1] if claim else None,
    )


@dataclass(frozen=True)
class Taken:
    rule: str
    why: str
    done: bool  # False in a dry run


@dataclass(frozen=True)
class RespondOutcome:
    ref: str
    record: ResponseRecord
    actions: tuple[Taken, ...] = ()
    note: str = ""


@dataclass
class Rotation:
    """Round robin over the staff roster, skipping anyone marked away. ``last`` persists in the ledger."""

    config: Config
    last: str | None = None

    def peek(self, topic: str | None = None) -> str | None:
        """The next staff member in turn: among those who own ``topic`` and are not away, when there are any;
        else among everyone not away."""
        roster = self.config.staff
        logins = [s.login.lower() for s in roster]
        start = logins.index(self.last.lower()) + 1 if self.last and self.last.lower() in logins else 0
        turn = [roster[(start + step) % len(roster)] for step in range(len(roster))]
        owners = [s for s in turn if not s.away and topic is not None and topic in s.topics]
        return next((s.login for s in owners or [s for s in turn if not s.away]), None)

    def take(self, login: str) -> None:
        self.last = login


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


def is_question(thread: Thread, config: Config) -> bool:
    """The guarantee covers questions asked by customers (staff and bots need no reply from us)."""
    return classify(thread, config) is ThreadKind.QUESTION and (
        config.person_kind(thread.author, thread.association, thread.author_is_bot) is PersonKind.CUSTOMER
    )


def respond(
    thread: Thread,
    config: Config,
    github: GitHubPort,
    now: dt.datetime,
    rotation: Rotation,
    *,
    dry_run: bool = False,
    held: bool = False,
) -> RespondOutcome:
    """Reconcile one question with the guarantee at ``now``. ``held``: over the sweep's budget, so its actions
    are only reported as due, and its record is the thread as it is (nobody assigned, nothing labelled)."""
    bot = github.viewer_login()
    facts = _with_reactions(thread, facts_of(thread, config, bot), github)
    actions = plan(thread, facts, config, now, rotation.peek(thread_topic(thread, config)))
    if actions and not dry_run and not held:
        # Look again right before writing: a reply that arrived since the sweep read the list cancels.
        fresh = read_again(github, thread.ref)
        thread, facts = fresh, _with_reactions(fresh, facts_of(fresh, config, bot), github)
        actions = plan(thread, facts, config, now, rotation.peek(thread_topic(thread, config)))
    taken = [Taken(action.rule, action.why, done=False) for action in actions] if held else []
    for action in [] if held else actions:
        if not dry_run:
            _apply(thread, action, github, bot)
        if action.rotated_to is not None:
            rotation.take(action.rotated_to)
        taken.append(Taken(action.rule, action.why, done=not dry_run))
    if held:
        actions = []
    # The record describes the thread as the actions leave it, worked out rather than read back: a read after
    # every write doubled a sweep's requests.
    if actions:
        thread = _as_if(thread, actions, now)
        facts = replace(facts_of(thread, config, bot), holder=facts.holder)
    record = record_of(thread, facts, config, status_of(thread, facts, config))
    rotated = next((a.rotated_to for a in actions if a.rotated_to), None)
    if rotated is not None:
        record = replace(record, holder=rotated)
    return RespondOutcome(str(thread.ref), record, tuple(taken))


def _with_reactions(thread: Thread, facts: Facts, github: GitHubPort) -> Facts:
    """The facts with the reactions on a proposal still waiting for its asker (a request: read only then)."""
    found = facts.proposals
    if thread.state != "open" or facts.answer is not None or found is None or found.proposal is None:
        return facts
    return replace(facts, proposal_reactions=tuple(github.comment_reactions(thread.ref, found.proposal.reply)))


def ledger_of(threads: Iterable[Thread], config: Config, bot: str, now: dt.datetime) -> ResponseLedger:
    """What a sweep at ``now`` would record for these threads, acting on nothing: the figures of a snapshot or
    of live threads without a ledger (``crowdcare metrics --snapshot``). Unusable threads are left out."""
    records = []
    for thread in threads:
        if not is_question(thread, config):
            continue
        try:
            facts = facts_of(thread, config, bot)
            records.append(record_of(thread, facts, config, status_of(thread, facts, config)))
        except BadInputError:
            continue
    ordered = tuple(sorted(records, key=lambda r: (r.asked_at, r.thread)))
    return ResponseLedger(updated_at=format_time(now), records=ordered)


def _as_if(thread: Thread, actions: list[Action], now: dt.datetime) -> Thread:
    """The thread as ``actions`` leave it (for the record a sweep reports)."""
    labels = [label for label in thread.labels if all(label not in a.remove_labels for a in actions)]
    labels += [label for a in actions for label in a.add_labels if label not in labels]
    state = "closed" if any(a.close for a in actions) else "open" if any(a.reopen for a in actions) else thread.state
    closed_at = format_time(now) if any(a.close for a in actions) else thread.closed_at
    answer = next((a.answer for a in actions if a.answer is not None), thread.answer)
    closed_at = closed_at if state == "closed" else None
    return replace(thread, labels=tuple(labels), state=state, closed_at=closed_at, answer=answer)


def _apply(thread: Thread, action: Action, github: GitHubPort, bot: str) -> None:
    """Reopen, labels, assignees, then the comment (the marker that says it is done), then the close."""
    ref = thread.ref
    if action.reopen:
        github.reopen_thread(ref)
    if action.add_labels:
        github.add_labels(ref, action.add_labels)
    if action.remove_labels:
        github.remove_labels(ref, action.remove_labels)
    if action.assign:
        github.assign(ref, action.assign)
    if action.comment is not None:
        try:
            github.post_comment(ref, action.comment)
        except AmbiguousWriteError:
            # It may have landed: read back, and never post blindly again.
            current = github.get_thread(ref)
            landed = current is not None and any(
                c.rule == action.rule and c.reply.body == action.comment for c in bot_comments(current, bot)
            )
            if not landed:
                raise TransientError(
                    f"{ref}: posting the {action.rule} comment failed; the next run posts it"
                ) from None
    if action.mark_on_github and action.answer is not None:
        github.mark_answer(ref, action.answer)
    if action.close:
        github.close_thread(ref)


def respond_all(
    threads: Iterable[Thread],
    config: Config,
    github: GitHubPort,
    now: dt.datetime,
    rotation: Rotation,
    *,
    dry_run: bool = False,
    on_progress: Callable[[RespondOutcome], None] | None = None,
) -> list[RespondOutcome]:
    """A sweep. Threads that are not customer questions are left alone; a deleted one is noted and skipped;
    a transient failure stops the sweep (the next run carries on, nothing is done twice). At most
    ``responses.max_actions_per_run`` threads are acted on, the longest waiting first; the others are reported
    with their actions due and are taken up by the next run."""
    questions = [t for t in threads if is_question(t, config)]
    acting = None if dry_run else _within_budget(questions, config, github.viewer_login(), now, rotation)
    outcomes = []
    for thread in questions:
        held = acting is not None and str(thread.ref) not in acting
        try:
            result = respond(thread, config, github, now, rotation, dry_run=dry_run, held=held)
        except ThreadGoneError:
            continue
        except BadInputError as exc:
            facts_record = ResponseRecord(
                str(thread.ref), thread.url, normalize(thread.title, 300), "", ResponseStatus.NEW
            )
            result = RespondOutcome(str(thread.ref), facts_record, note=f"skipped: {exc}")
        if held and result.actions:
            limit = config.responses.max_actions_per_run
            result = replace(result, note=f"held for the next run (responses.max_actions_per_run: {limit})")
        outcomes.append(result)
        if on_progress is not None:
            on_progress(result)
    return outcomes


def _within_budget(
    questions: list[Thread], config: Config, bot: str, now: dt.datetime, rotation: Rotation
) -> set[str] | None:
    """The threads this sweep acts on when more are due than its budget allows (the longest waiting first);
    None when every due thread fits. Planning reads nothing and writes nothing."""
    due = []
    for thread in questions:
        try:
            if plan(thread, facts_of(thread, config, bot), config, now, rotation.peek()):
                due.append((thread.created_at, str(thread.ref)))
        except BadInputError:
            continue
    limit = config.responses.max_actions_per_run
    return {ref for _, ref in sorted(due)[:limit]} if len(due) > limit else None
