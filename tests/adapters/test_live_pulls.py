"""Promotion against live GitHub's contracts: real PyGithub's requester and crowdcare's REST calls against the
stand-in built from GitHub's OpenAPI description (every request body validated), GraphQL against GitHub's
schema. The exact requests of one promotion, a quiet rerun, and a push GitHub refuses as not a fast-forward."""

from __future__ import annotations

import datetime as dt

from crowdcare.adapters.live import LiveGitHub
from crowdcare.adapters.pulls import LiveRepository
from crowdcare.content.store import load_content
from crowdcare.core.model import Channel, ThreadRef
from crowdcare.promote.promoter import Promoter
from crowdcare.promote.triggers import promote_all
from tests.adapters.conftest import REPO
from tests.adapters.standin import Fault, StandIn
from tests.conftest import COMMUNITY

BRANCH = "crowdcare/promote/discussion-9"


def sweep(standin: StandIn) -> list[str]:
    content = load_content(COMMUNITY)
    assert content.config is not None
    github = LiveGitHub("test-token", REPO, base_url=standin.url)
    promoter = Promoter(
        config=content.config,
        content=content,
        github=github,
        repo=LiveRepository(github, "main"),
        today=dt.date(2026, 11, 22),
        similar=lambda thread: [],
        bucket_of=lambda thread: (),
    )
    thread = github.get_thread(ThreadRef(Channel.DISCUSSION, 9))
    assert thread is not None
    assert github.viewer_login() == "github-actions[bot]"  # asked of GitHub once per run, before what is counted
    standin.log.clear()
    return [o.action for o in promote_all([thread], promoter, lambda o: None)]


def calls(standin: StandIn) -> list[tuple[str, str]]:
    return [(r.method, r.template or r.path) for r in standin.log]


def test_one_promotion_makes_exactly_these_requests(standin: StandIn) -> None:
    standin.add_answered_discussion(9)
    assert sweep(standin) == ["opened"]
    base = "/repos/{owner}/{repo}"
    assert calls(standin) == [
        ("GET", f"{base}/pulls"),  # is there a pull request from the branch already?
        ("GET", f"{base}/git/ref/{{ref}}"),  # does the branch exist?
        ("GET", f"{base}/git/ref/{{ref}}"),  # the base branch's head
        ("GET", f"{base}/git/commits/{{commit_sha}}"),  # its tree
        ("POST", f"{base}/git/trees"),
        ("POST", f"{base}/git/commits"),
        ("POST", f"{base}/git/refs"),  # the branch, created (never forced)
        ("POST", f"{base}/pulls"),
        ("POST", "/graphql"),  # the reply on the thread, with the pull request's link
    ]
    [pull] = standin.pulls
    assert pull["head"]["ref"] == BRANCH and pull["base"]["ref"] == "main"
    files = standin.trees[standin.commits[standin.refs[BRANCH]]["tree"]]
    [(path, text)] = files.items()
    assert path.startswith("kb/") and "Include tax columns" in text
    assert "pull/1" in standin.discussions[9]["comments"]["nodes"][-1]["body"]


def test_a_rerun_only_reads(standin: StandIn) -> None:
    standin.add_answered_discussion(9)
    sweep(standin)
    assert sweep(standin) == ["unchanged"]
    assert {method for method, _ in calls(standin)} == {"GET"}
    assert len(standin.pulls) == 1


def test_a_push_refused_as_not_a_fast_forward_is_retried_after_reading_again(standin: StandIn) -> None:
    standin.add_answered_discussion(9)
    sweep(standin)
    standin.discussions[9]["body"] += " It started in 4.12."  # the asker clarifies the question
    standin.faults.append(Fault("PATCH", r"/git/refs/", 422, body={"message": "Update is not a fast forward"}))
    assert sweep(standin) == ["updated"]
    patches = [r for r in standin.log if r.method == "PATCH" and "/git/refs/" in r.path]
    assert [r.status for r in patches] == [422, 200] and all(r.body["force"] is False for r in patches)
    files = standin.trees[standin.commits[standin.refs[BRANCH]]["tree"]]
    assert "It started in 4.12." in next(iter(files.values()))
    assert len(standin.pulls) == 1


def test_a_second_pull_request_from_one_branch_is_refused_and_the_open_one_is_the_answer(standin: StandIn) -> None:
    """Two runs that both found no pull request for a branch both open one: GitHub answers the second 422."""
    repo = LiveRepository(LiveGitHub("test-token", REPO, base_url=standin.url), "main")
    repo.commit_files(BRANCH, {"kb/x.md": "x"}, "proposal", None)
    first = repo.open_pull_request(BRANCH, "Proposal", "body")
    second = repo.open_pull_request(BRANCH, "Proposal", "body")
    assert second.number == first.number and len(standin.pulls) == 1
    refused = [r for r in standin.log if r.method == "POST" and r.path.endswith("/pulls")]
    assert [r.status for r in refused] == [201, 422]
