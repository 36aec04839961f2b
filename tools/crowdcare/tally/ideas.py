"""The tally: votes counted into ideas/, statuses decided in the open, new ideas proposed for review.

GitHub sends no webhook for reactions, so `crowdcare tally` runs on a schedule over every idea thread. For each
idea file (matched to its thread by ``source``):

- votes (crowdcare.tally.votes) are written into the vote fields only (crowdcare.content.fields keeps the rest of a
  hand-edited file byte for byte), unless the thread carries ``votes.freeze_label``;
- a burst of votes from young accounts gets ``votes.flag_label`` and a line in the report, for maintainers;
- status: ``/status STATUS [REASON]`` from someone ``governance.change_idea_status`` admits (``/status duplicate
  SLUG [REASON]`` names the idea it duplicates); a status label (``votes.status_labels``); the published
  acceptance rule (``votes.acceptance``). Declined, duplicate and shipped need a reason: a label alone gets one
  request for it. Each change is recorded in the file's ``history`` (who, when, why, via what), its label is
  set, and it is announced once on the thread, citing the command, label or rule;
- a thread with no idea file gets one through a reviewed pull request (crowdcare.promote.changes), as promotion does.

Comments carry hidden markers (``<!-- crowdcare:idea:... -->``) recognised by marker AND author, so reruns
never say the same thing twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crowdcare.content.documents import change_meta, idea_document, votes_meta
from crowdcare.content.fields import patch_front_matter
from crowdcare.content.ports import GitHubPort, RepositoryPort
from crowdcare.content.store import idea_from_text
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.markers import step_marker, step_pattern
from crowdcare.core.model import (
    ChangeProposal,
    HistoryEntry,
    Idea,
    IdeaStatus,
    PersonKind,
    StatusChange,
    Thread,
    ThreadKind,
    Votes,
)
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.core.text import one_line, slug_from_title
from crowdcare.core.times import parse_time
from crowdcare.fold.questions import cite_rule
from crowdcare.intake.take_in import classify
from crowdcare.promote.changes import propose
from crowdcare.promote.draft import ingest, title_of
from crowdcare.promote.preflight import check_proposal
from crowdcare.promote.promoter import who_may
from crowdcare.respond.facts import BotComment, bot_comments
from crowdcare.similarity.dedup import status_words
from crowdcare.site.markup import inline
from crowdcare.tally.votes import (
    Ballots,
    as_of,
    ballots_of,
    canonical_idea,
    figures_of,
    over_budget,
    recent_verified,
    record_tally,
    votes_from,
    young_burst,
)

_MARK = step_pattern("idea")
_COMMAND = re.compile(r"\A\s*/status(?![\w-])[ \t]*([^\s]*)[ \t]*(.*)", re.IGNORECASE | re.DOTALL)
MAX_REASON = 2000
MAX_IDEA_BODY = 12_000


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


@dataclass(frozen=True)
class Decided:
    change: StatusChange
    duplicate_of: str | None = None  # the canonical idea's slug, for /status duplicate
    shipped_in: str | None = None  # the release, for /status shipped RELEASE WHY


_RELEASE = re.compile(r"^v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.]{1,20})?$")


@dataclass
class Result:
    files: dict[str, str] = field(default_factory=dict)  # idea path -> new text (changed files only)
    history: list[HistoryEntry] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def flagged(self) -> list[str]:
        """The ideas flagged for maintainers in this tally."""
        return [o.ref for o in self.outcomes if o.action == "flagged"]


def tally(threads: Iterable[Thread], t: Tallier, on_progress: Callable[[Outcome], None]) -> Result:
    result = Result()

    def report(outcome: Outcome) -> None:
        result.outcomes.append(outcome)
        on_progress(outcome)

    current = (as_of(thread, t.now) for thread in threads)
    by_url = {th.url: th for th in current if th is not None and classify(th, t.config) is ThreadKind.IDEA}
    ideas = {idea.slug: idea for idea in t.content.ideas}
    # canonical idea -> the threads of the ideas marked duplicates of it, directly or not
    buckets: dict[str, list[Thread]] = {}
    for idea in ideas.values():
        canonical = canonical_idea(idea, ideas)
        if canonical.slug != idea.slug and idea.source in by_url:
            buckets.setdefault(canonical.slug, []).append(by_url[idea.source])
    figures = {}
    counted = {
        idea.slug: _ballots(idea, by_url[idea.source], buckets.get(idea.slug, []), t.config)
        for idea in ideas.values()
        if idea.source in by_url
    }
    left_out = over_budget(counted, ideas, t.config.votes.budget_open_ideas)
    for idea in sorted(ideas.values(), key=lambda i: i.slug):
        thread = by_url.get(idea.source)
        if thread is None:
            report(Outcome(idea.path, "missing", f"no idea thread at {idea.source}; its votes are left as they are"))
            figures[idea.slug] = figures_of(idea.votes)
            continue
        ballots = counted[idea.slug]
        if t.config.votes.budget_open_ideas is not None:  # anonymous upvotes cannot be held to a budget
            out = left_out.get(idea.slug, set())
            ballots = Ballots({v: r for v, r in ballots.up.items() if v not in out}, ballots.down)
        changes, votes = _tally_idea(idea, thread, buckets.get(idea.slug, []), ballots, ideas, t, result, report)
        figures[idea.slug] = figures_of(votes)
        if not changes:
            continue
        text = patch_front_matter(t.read_text(idea.path), changes)
        checked, findings = idea_from_text(idea.path, text)
        if checked is None:
            report(Outcome(idea.path, "invalid", "; ".join(str(f) for f in findings)))
            continue
        result.files[idea.path] = text
    known = {idea.source for idea in ideas.values()}
    for thread in by_url.values():
        if thread.url not in known:
            report(_propose_idea(thread, t))
    result.history = record_tally(t.history, figures, t.now, t.config.votes.hourly_history_days)
    return result


def _ballots(idea: Idea, thread: Thread, bucket: list[Thread], c: Config) -> Ballots:
    """The votes that count for an idea: a duplicate's own, or the idea's with those of every idea folded into it."""
    if idea.duplicate_of is not None and idea.status is IdeaStatus.DUPLICATE:
        return ballots_of(thread, c)
    return _bucket_ballots(thread, bucket, c)


def _bucket_ballots(thread: Thread, bucket: list[Thread], c: Config) -> Ballots:
    """The idea's own votes plus those on the threads of every idea folded into it (each voter once)."""
    ballots = ballots_of(thread, c)
    for other in bucket:
        ballots.add(ballots_of(other, c, also_excluded=(thread.author,)))
    return ballots


def _tally_idea(
    idea: Idea,
    thread: Thread,
    bucket: list[Thread],
    ballots: Ballots,
    ideas: dict[str, Idea],
    t: Tallier,
    result: Result,
    report: Callable[[Outcome], None],
) -> tuple[dict[str, object], Votes]:
    config = t.config
    labels = {label.lower() for label in thread.labels}
    changes: dict[str, object] = {}
    votes = idea.votes
    if config.votes.freeze_label.lower() in labels:
        report(Outcome(idea.path, "frozen", f"label '{config.votes.freeze_label}': the count stays at {votes.score}"))
    else:
        votes = votes_from(ballots, config, t.now)
        if votes != idea.votes:
            changes["votes"] = votes_meta(votes)
            report(Outcome(idea.path, "counted", f"{idea.votes.score} -> {votes.score} ({votes.verified} verified)"))
    burst = young_burst(ballots, config, t.now)
    if burst >= config.votes.burst_young_votes:
        why = f"{burst} votes from accounts under {config.votes.verified_account_age_days} days old in the last "
        why += f"{config.votes.burst_window_hours} h"
        if config.votes.flag_label.lower() not in labels and not t.dry_run:
            t.github.add_labels(thread.ref, [config.votes.flag_label])
        report(Outcome(idea.path, "flagged", why + f" (label '{config.votes.flag_label}')"))
    decided = _decide(idea, thread, ideas, ballots, t, report)
    if decided:
        changes.update(_status_fields(idea, decided, t.now.date()))
        _sync_labels(thread, decided[-1].change.status, t)
        for change in (d.change for d in decided):
            _announce(thread, change, t)
            report(Outcome(idea.path, "status", f"{change.status.value} ({_describe(change)})"))
            for other in bucket:
                if _tell_duplicate(other, idea, thread, change, t):
                    report(Outcome(idea.path, "told", f"{other.ref} (merged into it): now {change.status.value}"))
    return changes, votes


def _tell_duplicate(other: Thread, idea: Idea, canonical: Thread, change: StatusChange, t: Tallier) -> bool:
    """Tell the thread of an idea merged into ``idea`` that it changed status, once per change: its voters'
    votes count there, and the people following the old thread hear of it where they voted."""
    tr = t.config.tr
    lines = [
        tr(
            "The idea this one was merged into, {link}, is now **{status}**.",
            link=f"[{inline(idea.title)}]({canonical.url})",
            status=status_words(change.status, tr),
        ),
        tr("Votes here count there (each person once), so there is nothing more to do."),
    ]
    if change.reason:
        lines += ["", "> " + _clean(change.reason).replace("\n", " ")]
    why = tr("{how} on the idea it was merged into", how=_describe(change, tr))
    lines += ["", tr("<sub>crowdcare rule `{rule}`: {why}.</sub>", rule="votes.duplicates", why=why)]
    return _say_once(
        other, t, "\n".join(lines), "told", idea=idea.slug, status=change.status.value, on=change.on.isoformat()
    )


# --- status decisions ---------------------------------------------------------------------------------------


def _ours(thread: Thread, t: Tallier) -> list[BotComment]:
    return bot_comments(thread, t.github.viewer_login(), _MARK)


def _say_once(thread: Thread, t: Tallier, text: str, kind: str, **data: str) -> bool:
    """Post ``text`` unless the bot already said this (same marker); whether it was (or would be) posted."""
    if any(m.rule == kind and all(m.data.get(k) == v for k, v in data.items()) for m in _ours(thread, t)):
        return False
    if kind in _DECIDING:  # a refusal or a request for a reason: it says which rule decided it
        text += "\n\n" + _status_rule(t.config.tr)
    if not t.dry_run:
        t.github.post_comment(thread.ref, text + "\n\n" + marker(kind, **data))
    return True


_DECIDING = {"refused", "reason-needed"}


def _status_rule(tr: Messages) -> str:
    why = tr(
        "an idea's status changes by `/status` or a status label from those it admits; declined, duplicate and "
        "shipped need a reason (shipped also its release)"
    )
    return cite_rule(why, "governance.change_idea_status", tr)


def _decide(
    idea: Idea,
    thread: Thread,
    ideas: dict[str, Idea],
    ballots: Ballots,
    t: Tallier,
    report: Callable[[Outcome], None],
) -> list[Decided]:
    config = t.config
    done = {h.via for h in idea.history}
    status = idea.status
    changes: list[Decided] = []
    for reply in sorted(thread.replies, key=lambda r: r.created_at):
        match = _COMMAND.match(reply.body)
        if match is None or config.person_kind(reply.author, reply.association, reply.author_is_bot) is PersonKind.BOT:
            continue
        via = reply.url if reply.url and reply.url.startswith("https://") else f"{thread.url}#{reply.id}"
        if via in done:
            continue
        word, reason = match.group(1).lower(), _clean(match.group(2))
        who = reply.author
        tr = config.tr
        at = f"@{who.login}"
        if not config.is_allowed(config.governance.change_idea_status, who, association=reply.association):
            text = tr(
                "Sorry {who}, only {deciders} may change an idea's status. Your vote counts with a 👍 on the idea "
                "itself.",
                who=at,
                deciders=_deciders(config),
            )
            if _say_once(thread, t, text, "refused", cmd=reply.id):
                report(Outcome(idea.path, "refused", f"/status by @{who.login}: governance.change_idea_status"))
            continue
        try:
            new = IdeaStatus(word)
        except ValueError:
            names = ", ".join(s.value for s in IdeaStatus)
            text = tr("{who}, `/status` takes one of: {names}.", who=at, names=names)
            if _say_once(thread, t, text, "refused", cmd=reply.id):
                report(Outcome(idea.path, "refused", f"/status {word[:40]!r} is not a status"))
            continue
        target = None
        if new is IdeaStatus.DUPLICATE:
            first, _, rest = reason.partition(" ")
            target = ideas.get(first.strip().removesuffix(".md").removeprefix("ideas/"))
            if target is None or target.slug == idea.slug:
                text = tr("{who}, please name the idea this one duplicates: `/status duplicate SLUG reason`.", who=at)
                if _say_once(thread, t, text, "refused", cmd=reply.id):
                    report(Outcome(idea.path, "refused", "/status duplicate names no other idea"))
                continue
            reason = rest.strip() or tr("Same idea as '{title}'; votes are counted there.", title=target.title)
        shipped_in = None
        if new is IdeaStatus.SHIPPED:
            first, _, rest = reason.partition(" ")
            if _RELEASE.match(first):
                shipped_in, reason = first.removeprefix("v"), rest.strip()
            elif idea.shipped_in is None:
                text = tr("{who}, a shipped idea needs its release and a reason: `/status shipped 4.13 WHY`.", who=at)
                if _say_once(thread, t, text, "reason-needed", cmd=reply.id):
                    report(Outcome(idea.path, "asked-reason", "/status shipped without a release"))
                continue
        if new.needs_decision and len(reason) < 3:
            text = tr(
                "{who}, a {status} idea needs a reason: `/status {command} WHY`.",
                who=at,
                status=status_words(new, tr),
                command=new.value,
            )
            if _say_once(thread, t, text, "reason-needed", cmd=reply.id):
                report(Outcome(idea.path, "asked-reason", f"/status {new.value} without a reason"))
            continue
        on = parse_time(reply.created_at).date() if reply.created_at else t.now.date()
        changes.append(
            Decided(StatusChange(new, on, who.login, reason or None, via), target.slug if target else None, shipped_in)
        )
        status = new
    if not changes:
        changes += [Decided(c) for c in _from_labels(idea, thread, status, t, report)]
    status = changes[-1].change.status if changes else status
    rule = config.votes
    if status is IdeaStatus.OPEN and rule.acceptance_votes is not None:
        recent = recent_verified(ballots, config, t.now)
        if recent >= rule.acceptance_votes:
            why = config.tr(
                "{recent} verified votes in the last {days} days reached the acceptance rule ({votes} verified votes "
                "move an open idea to {status})",
                recent=recent,
                days=rule.acceptance_window_days,
                votes=rule.acceptance_votes,
                status=status_words(rule.acceptance_status, config.tr),
            )
            changes.append(
                Decided(StatusChange(rule.acceptance_status, t.now.date(), t.github.viewer_login(), why, "rule"))
            )
    return changes


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
            deciders=_deciders(t.config),
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
            deciders=_deciders(t.config),
            usage=usage,
            status=status_words(status, tr),
        )
        outcome = Outcome(idea.path, "asked-reason", f"label '{new.value}' without a reason")
    else:
        return [StatusChange(new, t.now.date(), None, None, "label")]
    state = "refused" if outcome.action == "refused" else "reason-needed"
    if _say_once(thread, t, text, state, status=new.value):
        report(outcome)
    return []


def _status_fields(idea: Idea, changes: list[Decided], today: dt.date) -> dict[str, object]:
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


def _sync_labels(thread: Thread, status: IdeaStatus, t: Tallier) -> None:
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


def _describe(change: StatusChange, tr: Messages = ENGLISH) -> str:
    if change.via == "rule":
        return tr("votes.acceptance in crowdcare.yml")
    if change.via == "label":
        return tr("a status label")
    return tr("/status by {who}", who=f"@{change.by}")


def _announce(thread: Thread, change: StatusChange, t: Tallier) -> None:
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
    _say_once(thread, t, "\n".join(lines), "announced", status=change.status.value, on=change.on.isoformat())


def _deciders(config: Config) -> str:
    return who_may(config.governance.change_idea_status, asker=config.tr("the author"), tr=config.tr)


def _clean(text: str) -> str:
    """A reason as a person wrote it: no control or bidi characters, one paragraph, capped; shown as text."""
    text = one_line(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
    return text[:MAX_REASON].strip()


# --- new ideas ----------------------------------------------------------------------------------------------


def new_idea(thread: Thread, t: Tallier) -> Idea:
    """The file a new idea thread gets, its votes counted already."""
    title = title_of(thread, "Idea")
    taken = {i.slug for i in t.content.ideas} | {
        p.removeprefix("ideas/").removesuffix(".md") for p in t.content.rejected
    }
    slug = slug_from_title(title, fallback=f"{thread.ref.channel.value}-{thread.ref.number}")[:70].rstrip("-")
    if slug in taken:
        slug = f"{slug}-{thread.ref.number}"
    body = ingest(thread.body, thread.url, MAX_IDEA_BODY).text.strip() or f"See [the thread]({thread.url})."
    created = parse_time(thread.created_at).date() if thread.created_at else t.now.date()
    return Idea(
        path=f"ideas/{slug}.md",
        slug=slug,
        title=title,
        status=IdeaStatus.OPEN,
        author=thread.author,
        source=thread.url,
        votes=votes_from(ballots_of(thread, t.config), t.config, t.now),
        created=created,
        body=body,
        history=(StatusChange(IdeaStatus.OPEN, created, None, None, "file"),),
    )


def _propose_idea(thread: Thread, t: Tallier) -> Outcome:
    idea = new_idea(thread, t)
    files = {idea.path: idea_document(idea)}
    problems, _ = check_proposal(t.content, t.config, files)
    if problems:
        return Outcome(str(thread.ref), "invalid", "; ".join(problems[:3]))
    branch = f"{t.config.promotion.branch_prefix}idea/{thread.ref.channel.value}-{thread.ref.number}"
    body = (
        f"A new idea, [{thread.ref}]({thread.url}), by @{thread.author.login}: it gets `{idea.path}` so that "
        f"`crowdcare tally` counts its votes and the idea board shows it.\n\n"
        "Check the title and the text (personal data was redacted), then merge."
    )
    change = ChangeProposal(branch, f"New idea: {idea.title}", body, files, f"Add {idea.path} ({thread.ref})")
    proposed = propose(t.repo, change, dry_run=t.dry_run)
    url = proposed.pull.url if proposed.pull is not None else None
    return Outcome(str(thread.ref), f"idea-{proposed.action}", f"{idea.path}: {proposed.why}", url)
