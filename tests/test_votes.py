"""Counting votes (crowdcare.tally.votes): one vote per numeric user id, who does not count, verified counts, buckets,
the vote history and the rankings drawn from it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from crowdcare.content.config import config_from_mapping
from crowdcare.content.ledger import read_history, write_history
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Channel, HistoryEntry, Idea, PersonRef, Reaction, Reply, Thread, ThreadRef
from crowdcare.core.settings import Config
from crowdcare.tally.votes import (
    as_of,
    ballots_of,
    fold_history,
    recent_verified,
    record_tally,
    trending_scores,
    votes_from,
    young_burst,
)
from tests.builders import CONFIG

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
OLD = "2020-01-01T00:00:00Z"  # an account years old
YOUNG = "2026-11-20T00:00:00Z"  # two days old
AUTHOR = PersonRef("asker", 7)


@pytest.fixture
def config() -> Config:
    return config_from_mapping(
        {**CONFIG, "votes": {"verified_account_age_days": 30, "acceptance": {"verified_votes": 2}}}
    )


def vote(
    login: str, user_id: int | None, content: str = "+1", at: str = "2026-11-21T10:00:00Z", since: str = OLD
) -> Reaction:
    return Reaction(
        content, PersonRef(login, user_id) if user_id is not None else None, at, since, login.endswith("[bot]")
    )


def idea(*reactions: Reaction, upvotes: int = 0, number: int = 1, author: PersonRef = AUTHOR) -> Thread:
    return Thread(
        ref=ThreadRef(Channel.DISCUSSION, number),
        title="Dark mode",
        body="Please",
        author=author,
        url=f"https://github.com/o/r/discussions/{number}",
        created_at="2026-11-01T00:00:00Z",
        updated_at="2026-11-21T00:00:00Z",
        category="Ideas",
        reactions=reactions,
        upvotes=upvotes,
    )


def test_one_vote_per_numeric_id_even_across_renames(config: Config) -> None:
    ballots = ballots_of(idea(vote("ann", 1), vote("ann-renamed", 1), vote("ann", 1, "heart")), config)
    assert votes_from(ballots, config, NOW).up == 1


def test_a_reused_login_is_another_person(config: Config) -> None:
    # GitHub hands a deleted user's login out again: the id tells the two people apart
    assert votes_from(ballots_of(idea(vote("bob", 2), vote("bob", 3)), config), config, NOW).up == 2


def test_the_author_bots_and_deleted_accounts_do_not_count(config: Config) -> None:
    thread = idea(vote("asker", 7), vote("dependabot[bot]", 9), vote("ghost", None), vote("carla", 4))
    assert votes_from(ballots_of(thread, config), config, NOW).up == 1


def test_for_and_against_from_one_person_counts_as_neither(config: Config) -> None:
    thread = idea(vote("dan", 5), vote("dan", 5, "-1"), vote("eve", 6, "-1"))
    votes = votes_from(ballots_of(thread, config), config, NOW)
    assert (votes.up, votes.down, votes.score) == (0, 1, -1)


def test_anonymous_upvotes_never_count_anyone_twice(config: Config) -> None:
    # 3 reactions and 5 upvotes: at least 5 people voted; the same people may have done both
    thread = idea(vote("a", 11), vote("b", 12), vote("c", 13), upvotes=5)
    votes = votes_from(ballots_of(thread, config), config, NOW)
    assert votes.up == 5 and votes.verified == 3  # upvoters' accounts are unknown: not verified
    off = dataclasses.replace(config, votes=dataclasses.replace(config.votes, count_upvotes=False))
    assert votes_from(ballots_of(thread, off), off, NOW).up == 3


def test_verified_counts_only_accounts_old_enough(config: Config) -> None:
    thread = idea(vote("old", 21), vote("new", 22, since=YOUNG), vote("unknown", 23, since=None))  # type: ignore[arg-type]
    votes = votes_from(ballots_of(thread, config), config, NOW)
    assert (votes.up, votes.verified) == (3, 1)


def test_votes_on_a_bucket_count_each_voter_once(config: Config) -> None:
    canonical = ballots_of(idea(vote("a", 1), vote("b", 2)), config)
    duplicate = ballots_of(
        idea(vote("b", 2), vote("c", 3), vote("asker", 7), number=2, author=PersonRef("x", 8)), config, (AUTHOR,)
    )
    canonical.add(duplicate)
    assert votes_from(canonical, config, NOW).up == 3  # a, b, c: b once, the canonical idea's author not at all


def test_bursts_of_young_accounts_and_recent_verified_votes(config: Config) -> None:
    fresh = [vote(f"n{i}", 100 + i, since=YOUNG, at="2026-11-22T08:00:00Z") for i in range(4)]
    early = vote("older-vote", 200, at="2026-09-01T00:00:00Z", since=YOUNG)
    ballots = ballots_of(idea(*fresh, early, vote("v1", 300), vote("v2", 301, at="2026-08-01T00:00:00Z")), config)
    assert young_burst(ballots, config, NOW) == 4  # the vote from September is outside the 24 h window
    assert recent_verified(ballots, config, NOW) == 1  # v2 voted before the 30-day window


def test_as_of_leaves_out_what_came_later() -> None:
    later = Reply("r2", PersonRef("z"), "later", "2026-11-23T00:00:00Z")
    thread = dataclasses.replace(idea(vote("a", 1), vote("b", 2, at="2026-11-23T00:00:00Z")), replies=(later,))
    past = as_of(thread, NOW)
    assert past is not None and len(past.reactions) == 1 and past.replies == ()
    assert as_of(thread, dt.datetime(2026, 10, 1, tzinfo=dt.UTC)) is None  # not yet asked


def test_the_history_records_only_what_changed_and_folds_old_lines() -> None:
    first = record_tally([], {"a": (1, 0, 1), "b": (5, 1, 4)}, NOW - dt.timedelta(days=40), 14)
    second = record_tally(first, {"a": (1, 0, 1), "b": (6, 1, 5)}, NOW - dt.timedelta(days=40, hours=-1), 14)
    assert second[-1].votes == {"b": (6, 1, 5)}
    assert record_tally(second, {"a": (1, 0, 1), "b": (6, 1, 5)}, NOW, 14) == fold_history(second, NOW, 14)
    folded = fold_history(second, NOW, 14)  # both lines are older than 14 days and on the same day: one line
    assert len(folded) == 1 and folded[0].votes == {"a": (1, 0, 1), "b": (6, 1, 5)}
    assert read_history(write_history(second), "votes.jsonl") == second


def test_a_broken_history_line_is_named() -> None:
    with pytest.raises(BadInputError, match=r"votes.jsonl:2: not a vote history line"):
        read_history('{"at": "2026-11-22T10:00:00Z", "v": {}}\n{"at": "x", "v": {}}\n', "votes.jsonl")


def test_trending_weighs_recent_votes_and_ignores_the_baseline() -> None:
    def at(days: float) -> str:
        return (NOW - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    history = [
        HistoryEntry(at(30), {"old-favourite": (500, 0, 500), "rising": (1, 0, 1), "faded": (1, 0, 1)}),
        HistoryEntry(at(28), {"faded": (41, 0, 41)}),
        HistoryEntry(at(1), {"rising": (21, 0, 21)}),
    ]
    scores = trending_scores(history, NOW, half_life_days=7)
    assert "old-favourite" not in scores  # 500 votes it had when the history began are not news
    assert scores["rising"] > scores["faded"]  # 20 votes yesterday beat 40 four weeks ago


def _idea(slug: str, status: str = "open", up: int = 0, down: int = 0, verified: int | None = None) -> Idea:
    from crowdcare.core.model import IdeaStatus, Votes

    return Idea(path=f"ideas/{slug}.md", slug=slug, title=slug.title(), status=IdeaStatus(status),
                author=PersonRef("a", 1), source=f"https://github.com/acme/c/discussions/{len(slug)}",
                votes=Votes(up, down, up - down, verified), created=dt.date(2026, 1, 1), body="x")  # fmt: skip


def test_ranking_uses_verified_votes_so_a_burst_of_young_accounts_lifts_nothing() -> None:
    from crowdcare.tally.votes import top

    burst = _idea("burst", up=50, verified=5)  # 45 young accounts in a burst
    steady = _idea("steady", up=20, verified=18)
    untallied = _idea("untallied", up=10)  # no tally yet: its score ranks it
    assert [i.slug for i in top([burst, steady, untallied])] == ["steady", "untallied", "burst"]


def test_trending_counts_verified_votes_and_only_ideas_still_open_to_votes() -> None:
    from crowdcare.tally.votes import trending, trending_scores

    history = [
        HistoryEntry("2026-11-01T00:00:00Z", {"burst": (0, 0, 0), "real": (0, 0, 0), "done": (0, 0, 0)}),
        HistoryEntry("2026-11-20T00:00:00Z", {"burst": (40, 0, 0), "real": (8, 0, 8), "done": (30, 0, 30)}),
    ]
    scores = trending_scores(history, dt.datetime(2026, 11, 21, tzinfo=dt.UTC), 7)
    ideas = [_idea("burst", up=40, verified=0), _idea("real", up=8, verified=8), _idea("done", "shipped", 30, 0, 30)]
    assert [i.slug for i in trending(ideas, scores)] == ["real"]


def test_the_home_page_shows_no_idea_nobody_voted_for(sample_repo: object) -> None:
    from crowdcare.content.store import load_content
    from crowdcare.site.pages import render_pages
    from tests.builders import Repo, idea_text

    assert isinstance(sample_repo, Repo)
    sample_repo.write(
        "ideas/nobody-wants-this.md",
        idea_text(
            title="Nobody wants this",
            source="https://github.com/acme/community/discussions/70",
            votes={"up": 0, "down": 0, "score": 0},
        ),
    )
    home = render_pages(load_content(sample_repo.root))["index.md"]
    top_ideas = home.split("## Top ideas", 1)[1].split("\n## ", 1)[0]
    assert "Dark mode" in top_ideas and "Nobody wants this" not in top_ideas


def test_a_vote_budget_counts_each_persons_earliest_votes_on_ideas_still_open() -> None:
    """Budget 2: alice voted on a, b, c (in that order) and on a shipped idea: c waits; bob voted on c only."""
    from crowdcare.tally.votes import Ballots, over_budget

    def vote(voter: int, at: str) -> Reaction:
        return Reaction("+1", PersonRef(f"user{voter}", voter), at)

    ballots = {
        "a": Ballots(up={1: vote(1, "2026-01-01T00:00:00Z")}),
        "b": Ballots(up={1: vote(1, "2026-01-02T00:00:00Z")}),
        "c": Ballots(up={1: vote(1, "2026-01-03T00:00:00Z"), 2: vote(2, "2026-01-01T00:00:00Z")}),
        "done": Ballots(up={1: vote(1, "2025-12-01T00:00:00Z")}),
    }
    ideas = {slug: _idea(slug) for slug in ("a", "b", "c")} | {"done": _idea("done", "shipped")}
    assert over_budget(ballots, ideas, 2) == {"c": {1}}
    assert over_budget(ballots, ideas, 3) == {} and over_budget(ballots, ideas, None) == {}
    shipped_b = {**ideas, "b": _idea("b", "shipped")}  # b closes: alice's vote on c counts now
    assert over_budget(ballots, shipped_b, 2) == {}


def test_weights_by_role_count_in_the_verified_figures_only() -> None:
    """votes.weights: staff 0 and customers 2: the ranking and acceptance figures weigh each verified vote by the
    voter's role (staff by roster id), while up, down and score stay one per person (CC304)."""
    staff_id = int(CONFIG["staff"][0]["id"])  # type: ignore[index]
    staff_login = str(CONFIG["staff"][0]["login"])  # type: ignore[index]
    weighted = config_from_mapping(
        {**CONFIG, "votes": {"verified_account_age_days": 30, "weights": {"staff": 0, "customer": 2}}}
    )
    plain = config_from_mapping({**CONFIG, "votes": {"verified_account_age_days": 30}})
    thread = idea(vote(staff_login, staff_id), vote("cat", 31), vote("dog", 32, "-1"), vote("emu", 33, since=YOUNG))
    for config, verified in ((plain, 1), (weighted, 0)):  # plain: 2 verified for, 1 against
        votes = votes_from(ballots_of(thread, config), config, NOW)
        assert (votes.up, votes.down, votes.score, votes.verified) == (3, 1, 2, verified)
    assert recent_verified(ballots_of(thread, plain), plain, NOW) == 2
    assert recent_verified(ballots_of(thread, weighted), weighted, NOW) == 2  # the customer's 2, the staff's 0
    assert weighted.votes.weighted and not plain.votes.weighted
