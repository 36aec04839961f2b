"""Reading idea threads and their votes from live GitHub (adapters/live.py), through real PyGithub against the
stand-in: the GraphQL documents are validated against GitHub's schema and executed over the stand-in's state,
and each query's cost is GitHub's published formula."""

from __future__ import annotations

from typing import Any

from crowdcare.adapters.live import LiveGitHub
from crowdcare.core.model import Channel
from crowdcare.core.settings import IntakeRule
from tests.adapters.conftest import REPO
from tests.adapters.standin import StandIn, graphql_cost

RULE = IntakeRule(discussion_categories=("Ideas",), issue_labels=("idea",))


def reaction(index: int, content: str = "THUMBS_UP", user: bool = True) -> dict[str, Any]:
    return {
        "content": content,
        "createdAt": f"2026-11-{1 + index % 20:02d}T10:00:00Z",
        "user": {"login": f"voter-{index}", "databaseId": 10_000 + index, "createdAt": "2020-01-01T00:00:00Z"}
        if user
        else None,
    }


def test_every_reaction_is_read_even_past_the_first_hundred(standin: StandIn) -> None:
    standin.add_idea(1, [reaction(i) for i in range(250)], upvotes=7)
    standin.add_idea(2, [reaction(1, "HEART"), reaction(2, "THUMBS_DOWN"), reaction(3, user=False)])
    standin.add_idea(3, [reaction(5)], issue=True)
    standin.add_discussion(9, category="Q&A")  # a question: not listed
    github = LiveGitHub("test-token", REPO, base_url=standin.url)
    threads = {t.ref.number: t for t in github.idea_threads(RULE)}
    assert set(threads) == {1, 2, 3} and standin.invalid == []
    big = threads[1]
    assert len(big.reactions) == 250 and len({r.voter.id for r in big.reactions if r.voter}) == 250
    assert big.upvotes == 7 and big.reactions[0].voter_since == "2020-01-01T00:00:00Z"
    assert [r.content for r in threads[2].reactions] == ["heart", "-1", "+1"]
    assert threads[2].reactions[2].voter is None  # a deleted account's reaction
    assert threads[3].ref.channel is Channel.ISSUE and len(threads[3].reactions) == 1
    queries = [r.body["query"].split("(")[0].split()[-1] for r in standin.requests("POST") if r.path == "/graphql"]
    assert queries.count("MoreReactions") == 2  # 100 came with the listing; two more pages of 100 and 50
    assert github.graphql_points == standin.graphql_points  # what the adapter reads back is what GitHub charges


def test_the_cost_follows_githubs_published_formula() -> None:
    # GitHub's own example: 1 + 100 + 100*50 = 5,101 requests -> 51 points
    query = """query { viewer { login repositories(first: 100) { nodes { name
      issues(first: 50) { nodes { title labels(first: 60) { nodes { name } } } } } } } }"""
    assert graphql_cost(query, {}) == round((1 + 100 + 100 * 50) / 100)
    assert graphql_cost("query { viewer { login } }", {}) == 1


def test_a_rerun_reuses_the_reactions_of_ideas_whose_votes_did_not_change(standin: StandIn, tmp_path: Any) -> None:
    from crowdcare.adapters.reaction_cache import ReactionCache

    big = standin.add_idea(1, [reaction(i) for i in range(250)])
    standin.add_idea(2, [reaction(i) for i in range(130)], issue=True)
    path = tmp_path / "reactions.json"

    def run() -> tuple[dict[int, int], int]:
        github = LiveGitHub("test-token", REPO, base_url=standin.url)
        github.reaction_cache = ReactionCache.load(path)
        before = len(standin.log)
        counts = {t.ref.number: len(t.reactions) for t in github.idea_threads(RULE)}
        github.reaction_cache.save(path)
        follow_ups = sum("MoreReactions" in r.body["query"] for r in standin.log[before:] if r.path == "/graphql")
        return counts, follow_ups

    assert run() == ({1: 250, 2: 130}, 3)  # the first run reads every page and fills the cache
    assert run() == ({1: 250, 2: 130}, 0), "nothing changed: no follow-up page is read"
    standin.reactions[big].append(reaction(300))  # a new vote is the newest reaction
    assert run() == ({1: 251, 2: 130}, 2), "the idea whose votes changed is read again, the other is not"
    standin.reactions[big].pop(5)  # a vote taken back lowers the count
    assert run() == ({1: 250, 2: 130}, 2)
    path.write_text("{not json")  # a damaged cache is an empty one
    assert run() == ({1: 250, 2: 130}, 3)
    assert standin.invalid == []
