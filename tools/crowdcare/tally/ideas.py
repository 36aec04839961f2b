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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crowdcare.content.documents import idea_document, votes_meta
from crowdcare.content.fields import patch_front_matter
from crowdcare.content.store import idea_from_text
from crowdcare.core.model import (
    ChangeProposal,
    HistoryEntry,
    Idea,
    IdeaStatus,
    StatusChange,
    Thread,
    ThreadKind,
    Votes,
)
from crowdcare.core.settings import Config
from crowdcare.core.text import inline, slug_from_title
from crowdcare.core.times import parse_time
from crowdcare.fold.consent import cite_rule
from crowdcare.intake.take_in import classify
from crowdcare.promote.changes import propose
from crowdcare.promote.draft import ingest, title_of
from crowdcare.promote.preflight import check_proposal
from crowdcare.similarity.dedup import status_words
from crowdcare.tally.statuses import announce, decide, status_fields, sync_labels
from crowdcare.tally.tallier import Outcome, Tallier, clean, describe, say_once
from crowdcare.tally.votes import (
    Ballots,
    as_of,
    ballots_of,
    canonical_idea,
    figures_of,
    over_budget,
    record_tally,
    votes_from,
    young_burst,
)

MAX_IDEA_BODY = 12_000


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
    decided = decide(idea, thread, ideas, ballots, t, report)
    if decided:
        changes.update(status_fields(idea, decided, t.now.date()))
        sync_labels(thread, decided[-1].change.status, t)
        for change in (d.change for d in decided):
            announce(thread, change, t)
            report(Outcome(idea.path, "status", f"{change.status.value} ({describe(change)})"))
            for other in bucket:
                if tell_duplicate(other, idea, thread, change, t):
                    report(Outcome(idea.path, "told", f"{other.ref} (merged into it): now {change.status.value}"))
    return changes, votes


def tell_duplicate(other: Thread, idea: Idea, canonical: Thread, change: StatusChange, t: Tallier) -> bool:
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
        lines += ["", "> " + clean(change.reason).replace("\n", " ")]
    why = tr("{how} on the idea it was merged into", how=describe(change, tr))
    lines += ["", cite_rule(why, "votes.duplicates", tr)]
    return say_once(
        other, t, "\n".join(lines), "told", idea=idea.slug, status=change.status.value, on=change.on.isoformat()
    )


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
