"""An idea's status, decided in the open: `/status STATUS [REASON]` from those governance.change_idea_status
admits, a status label (the bot asks for a missing reason), or the acceptance rule; each change recorded with
who, when and why, announced once on the thread, and the thread's status label kept in step."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from crowdcare.content.documents import change_meta
from crowdcare.core.i18n import Messages
from crowdcare.core.model import (
    Idea,
    IdeaStatus,
    PersonKind,
    Reply,
    StatusChange,
    Thread,
)
from crowdcare.core.times import parse_time
from crowdcare.similarity.dedup import status_words
from crowdcare.tally.tallier import (
    Outcome,
    Tallier,
    clean,
    deciders,
    say_once,
)
from crowdcare.tally.votes import (
    Ballots,
    recent_verified,
)

_COMMAND = re.compile(r"\A\s*/status(?![\w-])[ \t]*([^\s]*)[ \t]*(.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Decided:
    change: StatusChange
    duplicate_of: str | None = None  # the canonical idea's slug, for /status duplicate
    shipped_in: str | None = None  # the release, for /status shipped RELEASE WHY


_RELEASE = re.compile(r"^v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.]{1,20})?$")


def decide(
    idea: Idea,
    thread: Thread,
    ideas: dict[str, Idea],
    ballots: Ballots,
    t: Tallier,
    report: Callable[[Outcome], None],
) -> list[Decided]:
    """The status changes due on an idea: staff's `/status` commands not yet recorded, else its status label, then
    the acceptance rule."""
    done = {h.via for h in idea.history}
    changes: list[Decided] = []
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        decided = _status_command(reply, idea, thread, ideas, t, report, done)
        if decided is not None:
            changes.append(decided)
    status = changes[-1].change.status if changes else idea.status
    if not changes:
        changes += [Decided(c) for c in _from_labels(idea, thread, status, t, report)]
    status = changes[-1].change.status if changes else status
    accepted = _acceptance(status, ballots, t)
    return changes + ([accepted] if accepted is not None else [])


def _status_command(
    reply: Reply,
    idea: Idea,
    thread: Thread,
    ideas: dict[str, Idea],
    t: Tallier,
    report: Callable[[Outcome], None],
    done: set[str],
) -> Decided | None:
    """A `/status STATUS [REASON]` reply, decided: the change, or None (not a command, recorded already, or refused
    with one polite comment naming what is wrong)."""
    config, tr = t.config, t.config.tr
    match = _COMMAND.match(reply.body)
    if match is None or config.person_kind(reply.author, reply.association, reply.author_is_bot) is PersonKind.BOT:
        return None
    via = reply.url if reply.url and reply.url.startswith("https://") else f"{thread.url}#{reply.id}"
    if via in done:
        return None
    word, reason, who = match.group(1).lower(), clean(match.group(2)), reply.author
    at = f"@{who.login}"

    def refuse(text: str, state: str, why: str) -> None:
        if say_once(thread, t, text, state, cmd=reply.id):
            report(Outcome(idea.path, "asked-reason" if state == "reason-needed" else "refused", why))

    if not config.is_allowed(config.governance.change_idea_status, who, association=reply.association):
        text = tr(
            "Sorry {who}, only {deciders} may change an idea's status. Your vote counts with a 👍 on the idea itself.",
            who=at,
            deciders=deciders(config),
        )
        refuse(text, "refused", f"/status by {at}: governance.change_idea_status")
        return None
    try:
        new = IdeaStatus(word)
    except ValueError:
        names = ", ".join(s.value for s in IdeaStatus)
        text = tr("{who}, `/status` takes one of: {names}.", who=at, names=names)
        refuse(text, "refused", f"/status {word[:40]!r} is not a status")
        return None
    details = _details(new, reason, idea, ideas, tr, at)
    if isinstance(details, Refusal):
        refuse(details.text, details.state, details.why)
        return None
    reason, target, shipped_in = details
    on = parse_time(reply.created_at).date() if reply.created_at else t.now.date()
    return Decided(StatusChange(new, on, who.login, reason or None, via), target, shipped_in)


@dataclass(frozen=True)
class Refusal:
    text: str  # the comment
    state: str  # refused | reason-needed
    why: str  # what the run reports


def _details(
    new: IdeaStatus, reason: str, idea: Idea, ideas: dict[str, Idea], tr: Messages, at: str
) -> tuple[str, str | None, str | None] | Refusal:
    """(reason, the canonical idea of a duplicate, the release of a shipped idea), or why the command falls short."""
    target = None
    if new is IdeaStatus.DUPLICATE:
        first, _, rest = reason.partition(" ")
        found = ideas.get(first.strip().removesuffix(".md").removeprefix("ideas/"))
        if found is None or found.slug == idea.slug:
            text = tr("{who}, please name the idea this one duplicates: `/status duplicate SLUG reason`.", who=at)
            return Refusal(text, "refused", "/status duplicate names no other idea")
        target = found.slug
        reason = rest.strip() or tr("Same idea as '{title}'; votes are counted there.", title=found.title)
    shipped_in = None
    if new is IdeaStatus.SHIPPED:
        first, _, rest = reason.partition(" ")
        if _RELEASE.match(first):
            shipped_in, reason = first.removeprefix("v"), rest.strip()
        elif idea.shipped_in is None:
            text = tr("{who}, a shipped idea needs its release and a reason: `/status shipped 4.13 WHY`.", who=at)
            return Refusal(text, "reason-needed", "/status shipped without a release")
    if new.needs_decision and len(reason) < 3:
        text = tr(
            "{who}, a {status} idea needs a reason: `/status {command} WHY`.",
            who=at,
            status=status_words(new, tr),
            command=new.value,
        )
        return Refusal(text, "reason-needed", f"/status {new.value} without a reason")
    return reason, target, shipped_in


def _acceptance(status: IdeaStatus, ballots: Ballots, t: Tallier) -> Decided | None:
    """The published acceptance rule: an open idea with enough recent verified votes moves on, by the bot."""
    config, rule = t.config, t.config.votes
    if status is not IdeaStatus.OPEN or rule.acceptance_votes is None:
        return None
    recent = recent_verified(ballots, config, t.now)
    if recent < rule.acceptance_votes:
        return None
    why = config.tr(
        "{recent} verified votes in the last {days} days reached the acceptance rule ({votes} verified votes "
        "move an open idea to {status})",
        recent=recent,
        days=rule.acceptance_window_days,
        votes=rule.acceptance_votes,
        status=status_words(rule.acceptance_status, config.tr),
    )
    return Decided(StatusChange(rule.acceptance_status, t.now.date(), t.github.viewer_login(), why, "rule"))


def _from_labels(
    idea: Idea, thread: Thread, status: IdeaStatus, t: Tallier, report: Callable[[Outcome], None]
) -> list[StatusChange]:
    labels = {label.lower() for label in thread.labels}
    order = list(IdeaStatus)
    named = {s for name, s in t.config.votes.status_labels if name.lower() in labels} - {status}
    if not named:
        return []
    new = max(named, key=order.index)  # a label beside the current status's label is the newer one
    label = next(name for name, s in t.config.votes.status_labels if s is new and name.lower() in labels)
    # Who applied it, where GitHub says (an issue's timeline; a discussion has none, and only collaborators with
    # triage access can label one): a status label moves an idea only in the hands governance admits.
    actor = t.github.label_actor(thread.ref, label)
    tr = t.config.tr
    if actor is not None and not t.config.is_allowed(t.config.governance.change_idea_status, actor):
        text = tr(
            "Sorry {who}, only {deciders} may change an idea's status, so the **{label}** label does not move it. It "
            "stays **{status}**.",
            who=f"@{actor.login}",
            deciders=deciders(t.config),
            label=label,
            status=status_words(status, tr),
        )
        outcome = Outcome(idea.path, "refused", f"label '{label}' by @{actor.login}: governance.change_idea_status")
    elif new.needs_decision:
        usage = f"/status {new.value} {'RELEASE WHY' if new is IdeaStatus.SHIPPED else 'WHY'}"
        text = tr(
            "This idea was labelled **{label}**. A {new} idea needs a reason from {deciders}: reply `{usage}`. Until "
            "then it stays **{status}**.",
            label=new.value,
            new=status_words(new, tr),
            deciders=deciders(t.config),
            usage=usage,
            status=status_words(status, tr),
        )
        outcome = Outcome(idea.path, "asked-reason", f"label '{new.value}' without a reason")
    else:
        return [StatusChange(new, t.now.date(), None, None, "label")]
    state = "refused" if outcome.action == "refused" else "reason-needed"
    if say_once(thread, t, text, state, status=new.value):
        report(outcome)
    return []


def status_fields(idea: Idea, changes: list[Decided], today: dt.date) -> dict[str, object]:
    last = changes[-1].change
    history = [change_meta(c) for c in (*idea.history, *(d.change for d in changes))]
    decision = None
    if last.status.needs_decision and last.reason:
        decision = {"by": last.by or "crowdcare", "on": last.on.isoformat(), "reason": last.reason}
    duplicate_of = None
    if last.status is IdeaStatus.DUPLICATE:
        duplicate_of = changes[-1].duplicate_of or idea.duplicate_of
    # shipped_in is set exactly while the idea is shipped (CC303).
    shipped_in = (changes[-1].shipped_in or idea.shipped_in) if last.status is IdeaStatus.SHIPPED else None
    return {
        "status": last.status.value,
        "decision": decision,
        "duplicate_of": duplicate_of,
        "shipped_in": shipped_in,
        "history": history,
        "updated": today.isoformat(),
    }


def sync_labels(thread: Thread, status: IdeaStatus, t: Tallier) -> None:
    """The thread shows the idea's status as its one status label."""
    have = {label.lower(): label for label in thread.labels}
    names = t.config.votes.status_labels
    stale = [have[name.lower()] for name, s in names if s is not status and name.lower() in have]
    wanted = [name for name, s in names if s is status and name.lower() not in have][:1]
    if t.dry_run:
        return
    if stale:
        t.github.remove_labels(thread.ref, stale)
    if wanted:
        t.github.add_labels(thread.ref, wanted)


def announce(thread: Thread, change: StatusChange, t: Tallier) -> None:
    tr = t.config.tr
    lines = [tr("This idea is now **{status}**.", status=status_words(change.status, tr))]
    if change.reason:
        lines.append("")
        lines.append("> " + change.reason.replace("\n", " "))
    if change.via == "rule":
        lines += ["", tr("<sub>crowdcare rule `votes.acceptance` in crowdcare.yml.</sub>")]
    elif change.via == "label":
        lines += ["", tr("<sub>Set by its status label (crowdcare rule `votes.status_labels`).</sub>")]
    else:
        text = tr(
            "<sub>Decided by {who} with `/status` (crowdcare rule `governance.change_idea_status`).</sub>",
            who=f"@{change.by}",
        )
        lines += ["", text]
    say_once(thread, t, "\n".join(lines), "announced", status=change.status.value, on=change.on.isoformat())
