"""Counting votes on ideas, keeping their history and ranking them. Pure: threads and text in, figures out.

Who counts (``votes:`` in crowdcare.yml): one vote per person, keyed by numeric user id, because a deleted
user's login is handed out again. The idea's author, bots and deleted accounts (no id) do not count; someone who
reacted both for and against counts in neither. *Verified* counts only accounts at least
``verified_account_age_days`` old. Discussion upvotes are anonymous in GitHub's API (a number, never who), so
they cannot be matched to reactions: the raw count is the larger of the two, a lower bound on the people who
voted that never counts anyone twice, and verified counts come from reactions alone.

Votes on threads folded into one bucket (duplicate ideas) are summed, each voter counted once.

The history (``votes.history``, JSON lines) gets one line per tally holding only the ideas whose figures
changed, so replaying it gives every past ranking. Lines older than ``hourly_history_days`` are folded into
one line a day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from crowdcare.core.model import Figures, HistoryEntry, Idea, IdeaStatus, PersonKind, PersonRef, Reaction, Thread, Votes
from crowdcare.core.settings import Config
from crowdcare.core.times import format_time, parse_time


def as_of(thread: Thread, now: dt.datetime) -> Thread | None:
    """The thread as it stood at ``now``: later replies and reactions left out (None if it was not yet asked).
    Live, nothing is later than now; replaying a snapshot at past moments gives the history it would have had."""
    stamp = format_time(now)
    if thread.created_at and thread.created_at > stamp:
        return None
    replies = tuple(r for r in thread.replies if not r.created_at or r.created_at <= stamp)
    reactions = tuple(r for r in thread.reactions if not r.at or r.at <= stamp)
    if len(replies) == len(thread.replies) and len(reactions) == len(thread.reactions):
        return thread
    return dataclasses.replace(thread, replies=replies, reactions=reactions)


@dataclass
class Ballots:
    """Who voted on a bucket of threads: voter id -> their reaction (the earliest, when they reacted twice)."""

    up: dict[int, Reaction] = field(default_factory=dict)
    down: dict[int, Reaction] = field(default_factory=dict)
    upvotes: int = 0

    def add(self, other: Ballots) -> None:
        for mine, theirs in ((self.up, other.up), (self.down, other.down)):
            for voter, reaction in theirs.items():
                if voter not in mine or reaction.at < mine[voter].at:
                    mine[voter] = reaction
        self.upvotes += other.upvotes


def ballots_of(thread: Thread, config: Config, also_excluded: Sequence[PersonRef] = ()) -> Ballots:
    """The votes on one thread that count: configured reactions from real, living accounts other than the
    author's (and ``also_excluded``, e.g. the canonical idea's author on a duplicate)."""
    rules = config.votes
    ballots = Ballots(upvotes=thread.upvotes if rules.count_upvotes else 0)
    authors = (thread.author, *also_excluded)
    for reaction in thread.reactions:
        voter = reaction.voter
        if voter is None or voter.id is None:
            continue  # a deleted account
        if config.person_kind(voter, is_bot=reaction.voter_is_bot) is PersonKind.BOT:
            continue
        if any(voter.is_same_account(author) for author in authors):
            continue
        side = ballots.up if reaction.content in rules.reactions else None
        side = ballots.down if side is None and reaction.content in rules.down_reactions else side
        if side is not None and (voter.id not in side or reaction.at < side[voter.id].at):
            side[voter.id] = reaction
    for both in ballots.up.keys() & ballots.down.keys():
        del ballots.up[both], ballots.down[both]  # for and against: neither
    return ballots


CLOSED_TO_VOTES = (IdeaStatus.SHIPPED, IdeaStatus.DECLINED, IdeaStatus.DUPLICATE)


def over_budget(ballots: Mapping[str, Ballots], ideas: Mapping[str, Idea], budget: int | None) -> dict[str, set[int]]:
    """The votes a budget leaves out: {idea slug: voter ids}. Each voter's votes for ideas still open for votes count
    on their ``budget`` earliest ideas (by the vote's time, then the slug); the rest wait until one of those closes."""
    if budget is None:
        return {}
    votes: dict[int, list[tuple[str, str]]] = {}
    for slug, found in ballots.items():
        if ideas[slug].status in CLOSED_TO_VOTES:
            continue
        for voter, reaction in found.up.items():
            votes.setdefault(voter, []).append((reaction.at, slug))
    out: dict[str, set[int]] = {}
    for voter, theirs in votes.items():
        for _, slug in sorted(theirs)[budget:]:
            out.setdefault(slug, set()).add(voter)
    return out


def is_verified(reaction: Reaction, config: Config, now: dt.datetime) -> bool:
    if reaction.voter_since is None:
        return False
    age = now - parse_time(reaction.voter_since)
    return age >= dt.timedelta(days=config.votes.verified_account_age_days)


def weight_of(reaction: Reaction, config: Config) -> int:
    """What one vote counts for in the verified figures: ``votes.weights`` by the voter's role."""
    voter = reaction.voter
    return config.votes.weight(staff=voter is not None and config.is_staff(voter))


def _verified(reactions: Iterable[Reaction], config: Config, now: dt.datetime) -> int:
    return sum(weight_of(r, config) for r in reactions if is_verified(r, config, now))


def votes_from(ballots: Ballots, config: Config, now: dt.datetime) -> Votes:
    """One vote per person for up, down and score; ``verified`` counts accounts old enough, weighted by role."""
    up = max(len(ballots.up), ballots.upvotes)
    down = len(ballots.down)
    verified = _verified(ballots.up.values(), config, now) - _verified(ballots.down.values(), config, now)
    return Votes(up=up, down=down, score=up - down, verified=verified)


def recent_verified(ballots: Ballots, config: Config, now: dt.datetime) -> int:
    """Verified votes for the idea given within the acceptance rule's window (weighted by role)."""
    since = now - dt.timedelta(days=config.votes.acceptance_window_days)
    return _verified((r for r in ballots.up.values() if parse_time(r.at) >= since), config, now)


def young_burst(ballots: Ballots, config: Config, now: dt.datetime) -> int:
    """Votes from accounts younger than the verified age, given within the burst window. At or over
    ``votes.burst.young_votes`` the idea is flagged for maintainers."""
    since = now - dt.timedelta(hours=config.votes.burst_window_hours)
    return sum(
        not is_verified(r, config, now) and parse_time(r.at) >= since
        for r in (*ballots.up.values(), *ballots.down.values())
    )


# --- history -----------------------------------------------------------------------------------------------


def figures_of(votes: Votes) -> Figures:
    return (votes.up, votes.down, votes.verified)


def latest_figures(entries: Iterable[HistoryEntry]) -> dict[str, Figures]:
    state: dict[str, Figures] = {}
    for entry in entries:
        state.update(entry.votes)
    return state


def record_tally(
    entries: list[HistoryEntry], figures: Mapping[str, Figures], now: dt.datetime, hourly_days: int
) -> list[HistoryEntry]:
    """The history with this tally appended (only what changed) and old lines folded one a day."""
    known = latest_figures(entries)
    changed = {slug: f for slug, f in figures.items() if known.get(slug) != f}
    result = list(entries)
    if changed:
        result.append(HistoryEntry(format_time(now), changed))
    return fold_history(result, now, hourly_days)


def fold_history(entries: list[HistoryEntry], now: dt.datetime, hourly_days: int) -> list[HistoryEntry]:
    cutoff = format_time(now - dt.timedelta(days=hourly_days))
    folded: list[HistoryEntry] = []
    for entry in entries:
        previous = folded[-1] if folded else None
        if previous is not None and entry.at < cutoff and previous.at[:10] == entry.at[:10]:
            folded[-1] = HistoryEntry(entry.at, {**previous.votes, **entry.votes})
        else:
            folded.append(entry)
    return folded


def series(entries: Iterable[HistoryEntry], slug: str) -> list[tuple[str, Figures]]:
    """(time, figures) of every tally that changed ``slug``'s figures, oldest first."""
    return [(e.at, e.votes[slug]) for e in entries if slug in e.votes]


def trending_scores(entries: Sequence[HistoryEntry], now: dt.datetime, half_life_days: float) -> dict[str, float]:
    """New votes, each weighted by how recent it is (halved every ``half_life_days``). An idea's first line is
    its baseline: votes it had when the history began are not news."""
    last: dict[str, int] = {}
    scores: dict[str, float] = {}
    for entry in entries:
        age_days = (now - parse_time(entry.at)).total_seconds() / 86400
        weight = math.pow(0.5, max(age_days, 0.0) / half_life_days)
        for slug, (up, down, verified) in entry.votes.items():
            score = verified if verified is not None else up - down  # a burst of young accounts is no news
            if slug in last and score > last[slug]:
                scores[slug] = scores.get(slug, 0.0) + (score - last[slug]) * weight
            last[slug] = score
    return scores


def ranking_votes(idea: Idea) -> int:
    """The votes that rank an idea: the verified count once a tally has run (accounts old enough to count, so a
    flagged burst of young accounts never lifts an idea), else the score."""
    return idea.votes.verified if idea.votes.verified is not None else idea.votes.score


def top(ideas: Sequence[Idea]) -> list[Idea]:
    return sorted(ideas, key=lambda i: (-ranking_votes(i), -i.votes.score, -i.votes.up, i.title.casefold(), i.slug))


OPEN_TO_VOTES = (IdeaStatus.OPEN, IdeaStatus.UNDER_REVIEW)


def trending(ideas: Sequence[Idea], scores: Mapping[str, float]) -> list[Idea]:
    """Ideas gaining verified votes that are still open to votes (a decided idea is not trending news)."""
    rising = [i for i in ideas if i.status in OPEN_TO_VOTES and scores.get(i.slug, 0.0) > 0.005]
    return sorted(rising, key=lambda i: (-scores[i.slug], -i.votes.score, i.slug))


def newest(ideas: Sequence[Idea]) -> list[Idea]:
    return sorted(ideas, key=lambda i: (i.created, i.slug), reverse=True)


def canonical_idea(idea: Idea, by_slug: Mapping[str, Idea]) -> Idea:
    """The idea a duplicate was merged into, followed to the end (a cycle stops where it closes)."""
    seen = {idea.slug}
    while idea.duplicate_of and idea.duplicate_of in by_slug and idea.duplicate_of not in seen:
        idea = by_slug[idea.duplicate_of]
        seen.add(idea.slug)
    return idea
