"""Every customer gets a response: acknowledge, hand to staff, escalate, remind, close kindly and reopen.

A sweep (`crowdcare respond`) looks at each customer question and applies the rules (rules.py) to the thread as it
is now; the facts it reads are facts.py's. Like intake it reconciles instead of remembering: each comment carries a
hidden marker and is recognised by marker AND author, so a rerun adds nothing, and a human reply that arrives
before the bot acts cancels what was pending (the thread is read again just before any write). A sweep acts on at
most ``responses.max_actions_per_run`` threads, the longest waiting first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from crowdcare.content.ports import GitHubPort, read_again
from crowdcare.core.errors import AmbiguousWriteError, BadInputError, ThreadGoneError, TransientError
from crowdcare.core.markers import bot_comments
from crowdcare.core.model import PersonKind, ResponseLedger, ResponseRecord, ResponseStatus, Thread, ThreadKind
from crowdcare.core.settings import Config
from crowdcare.core.times import format_time
from crowdcare.intake.take_in import classify, normalize
from crowdcare.respond.facts import MARK, Action, Facts, facts_of, record_of, status_of, thread_topic
from crowdcare.respond.rules import plan


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
        thread = _as_left_by(thread, actions, now)
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


def _as_left_by(thread: Thread, actions: list[Action], now: dt.datetime) -> Thread:
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
                c.rule == action.rule and c.reply.body == action.comment for c in bot_comments(current, bot, MARK)
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
