"""Consent-based duplicate closing against GitHub's contracts: real PyGithub and crowdcare's REST calls against
the stand-in built from GitHub's OpenAPI description (every request body validated), GraphQL against GitHub's
schema. Reactions to the bot's comment are read through REST for issues and GraphQL for discussions."""

from __future__ import annotations

import datetime as dt

from crowdcare.adapters.live import LiveGitHub
from crowdcare.adapters.pulls import LiveRepository
from crowdcare.content.frontmatter import parse_document
from crowdcare.content.store import load_content
from crowdcare.core.markers import FOLDED, claim_marker
from crowdcare.core.markers import INTAKE as MARKER
from crowdcare.core.model import Channel, ThreadRef
from crowdcare.fold.questions import fold_all
from crowdcare.similarity.dedup import solution_url
from tests.adapters.conftest import REPO
from tests.adapters.standin import StandIn, example
from tests.conftest import COMMUNITY

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
KEY = "bank-feeds/bank-feed-stopped-updating"


def claim(github: LiveGitHub, ref: ThreadRef) -> str:
    """The bot's intake reply with a duplicate claim, posted through the adapter (the stand-in dates it; tests set
    the date they need); returns the comment's id."""
    reply = github.post_comment(ref, f"Thanks!\n\n**This looks like it.**\n{claim_marker(KEY)}\n{MARKER}")
    return reply.id


def sweep(standin: StandIn, github: LiveGitHub) -> list[str]:
    content = load_content(COMMUNITY)
    assert content.config is not None
    config = content.config
    threads = list(github.threads_updated_since(None))
    standin.log.clear()
    outcomes = fold_all(
        threads, content, github, LiveRepository(github, "main"), NOW, lambda s: solution_url(s, config)
    )
    return [f"{o.ref}:{o.decision}" for o in outcomes]


def test_an_issue_whose_asker_reacted_is_folded_through_a_pull_request_and_closed_as_duplicate(
    standin: StandIn, github: LiveGitHub
) -> None:
    standin.add_issue(7, login="carla", updated="2026-11-21T09:00:00Z")
    comment_id = int(claim(github, ThreadRef(Channel.ISSUE, 7)))
    standin.comments[7][0]["created_at"] = "2026-11-21T10:00:00Z"
    _, [reaction] = example("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", "get")
    standin.comment_reactions[comment_id] = [
        {**reaction, "content": "+1", "user": {**reaction["user"], "login": "carla", "id": 1007}}
    ]
    assert sweep(standin, github) == ["issue #7:fold"]
    assert ("GET", f"/repos/{REPO}/issues/comments/{comment_id}/reactions") in [(r.method, r.path) for r in standin.log]
    issue = standin.issues[7]
    assert issue["state"] == "closed" and issue["state_reason"] == "duplicate"
    assert FOLDED.search(standin.comments[7][-1]["body"])
    [pull] = standin.pulls
    assert pull["head"]["ref"] == "crowdcare/fold/issue-7"
    files = standin.trees[standin.commits[standin.refs["crowdcare/fold/issue-7"]]["tree"]]
    [(path, text)] = files.items()
    meta = parse_document(text).meta
    assert path == f"kb/{KEY}.md" and issue["html_url"] in meta["also_asked"]
    # A rerun: GitHub lists open issues only, and the folded one is closed; nothing is written.
    assert sweep(standin, github) == []
    assert not standin.requests("POST") and not standin.requests("PATCH")


def test_a_thumbs_down_on_a_discussion_cancels_and_silence_folds_another(standin: StandIn, github: LiveGitHub) -> None:
    for number in (8, 9):
        standin.add_discussion(number, login="carla", updated="2026-11-10T09:00:00Z")
        claim(github, ThreadRef(Channel.DISCUSSION, number))
        standin.discussions[number]["comments"]["nodes"][0]["createdAt"] = "2026-11-10T10:00:00Z"
    comment_id = standin.discussions[8]["comments"]["nodes"][0]["id"]
    standin.reactions[comment_id] = [
        {
            "content": "THUMBS_DOWN",
            "createdAt": "2026-11-11T00:00:00Z",
            "user": {"login": "carla", "databaseId": 2008, "createdAt": "2020-01-01T00:00:00Z"},  # the asker
        }
    ]
    assert sweep(standin, github) == ["discussion #8:objected", "discussion #9:fold"]
    assert standin.discussions[8]["closed"] is False
    assert standin.discussions[9]["closed"] is True and standin.discussions[9]["stateReason"] == "DUPLICATE"
    assert FOLDED.search(standin.discussions[9]["comments"]["nodes"][-1]["body"])
    assert [p["head"]["ref"] for p in standin.pulls] == ["crowdcare/fold/discussion-9"]
