"""Real PyGithub against the stand-in server built from GitHub's REST OpenAPI description: the exact requests
of an intake, and what happens under scripted faults (no duplicate comment, nothing lost, waits honoured)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from crowdcare.adapters.live import LiveGitHub
from crowdcare.content.config import load_config
from crowdcare.core.markers import INTAKE as MARKER
from crowdcare.core.model import Channel, ThreadRef
from crowdcare.core.settings import Config, IntakeRule
from crowdcare.intake.take_in import take_in, take_in_all
from tests.adapters.conftest import REPO
from tests.adapters.standin import Fault, StandIn
from tests.builders import CONFIG, Repo
from tests.conftest import COMMUNITY

ISSUE = f"/repos/{REPO}/issues/7"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    repo = Repo(tmp_path / "repo")
    repo.write(
        "crowdcare.yml", yaml.safe_dump({**CONFIG, "intake": {"bot_login": "crowdcare-bot", "staff_associations": []}})
    )
    loaded, findings = load_config(repo.root)
    assert loaded is not None and not findings
    return loaded


def calls(standin: StandIn) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in standin.log]


def intake_issue(github: LiveGitHub, config: Config, number: int = 7):  # type: ignore[no-untyped-def]
    thread = github.get_thread(ThreadRef(Channel.ISSUE, number))
    assert thread is not None
    return take_in(thread, config, github)


def test_intake_of_one_issue_makes_exactly_these_requests(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    standin.add_issue(7, labels=("question",))
    outcome = intake_issue(github, config)
    assert outcome.action == "posted"
    # Who the token writes as is asked of GitHub once (GraphQL viewer), never taken from crowdcare.yml.
    assert calls(standin) == [("GET", ISSUE), ("POST", "/graphql"), ("POST", f"{ISSUE}/comments")]
    assert MARKER in standin.comments[7][0]["body"]
    assert standin.comments[7][0]["user"]["login"] == "github-actions[bot]"


def test_labels_are_added_and_a_rerun_writes_nothing(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    standin.add_issue(7, labels=("question", "problem"))
    # Problem reports are questions that also get a "triage" label, which this issue lacks.
    rule = IntakeRule(discussion_categories=("Q&A",), issue_labels=("problem",), labels=("question", "triage"))
    unlabelled = replace(config, intake=replace(config.intake, question=rule))
    intake_issue(github, unlabelled)
    assert calls(standin)[-2:] == [("POST", f"{ISSUE}/labels"), ("POST", f"{ISSUE}/comments")]
    assert standin.log[-2].body == {"labels": ["triage"]}
    standin.log.clear()
    again = intake_issue(github, unlabelled)
    assert again.action == "unchanged"
    assert calls(standin) == [("GET", ISSUE), ("GET", f"{ISSUE}/comments")]


def test_a_502_after_the_comment_landed_gives_no_duplicate(
    standin: StandIn, github: LiveGitHub, config: Config
) -> None:
    standin.add_issue(7)
    standin.faults.append(Fault("POST", r"/comments$", 502, after_write=True))
    outcome = intake_issue(github, config)
    assert outcome.action == "posted" and "confirmed by reading back" in outcome.reason
    assert len(standin.comments[7]) == 1
    assert [r.path for r in standin.requests("POST")] == ["/graphql", f"{ISSUE}/comments"], "a write is never re-sent"


def test_a_secondary_rate_limit_is_waited_out(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    standin.add_issue(7)
    standin.faults.append(
        Fault(
            "GET",
            r"/issues/7$",
            403,
            {"Retry-After": "1"},
            {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."},
        )
    )
    assert intake_issue(github, config).action == "posted"
    first, second = [r for r in standin.log if r.path == ISSUE]
    assert (first.status, second.status) == (403, 200)
    assert second.at - first.at >= 1.0, "Retry-After is honoured"


def test_a_429_is_waited_out(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    standin.add_issue(7)
    standin.faults.append(Fault("GET", r"/issues/7$", 429, {"Retry-After": "1"}, {"message": "Too many requests"}))
    assert intake_issue(github, config).action == "posted"
    first, second = [r for r in standin.log if r.path == ISSUE]
    assert second.at - first.at >= 1.0


def test_a_sweep_follows_three_pages(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    for number in range(1, 251):
        standin.add_issue(number)
    standin.add_issue(999, updated="2026-10-01T00:00:00Z")  # older than the sweep
    threads = list(github.threads_updated_since("2026-11-01T00:00:00Z"))
    assert {t.ref.channel for t in threads} == {Channel.ISSUE} and len(threads) == 250
    pages = [r for r in standin.log if r.path == f"/repos/{REPO}/issues"]
    assert [r.query.get("page", ["1"])[0] for r in pages] == ["1", "2", "3"]
    assert pages[0].query["since"] == ["2026-11-01T00:00:00Z"] and pages[0].query["per_page"] == ["100"]
    assert len(standin.log) == 4, "three pages and one GraphQL query: no request per issue without comments"


def test_a_deleted_thread_is_skipped_not_an_error(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    standin.add_issue(7)
    thread = github.get_thread(ThreadRef(Channel.ISSUE, 7))
    assert thread is not None
    del standin.issues[7]
    [outcome] = take_in_all([thread], config, github)
    assert outcome.action == "skipped" and "deleted" in outcome.reason
    assert github.get_thread(ThreadRef(Channel.ISSUE, 7)) is None


def test_export_writes_a_snapshot_that_intake_reads(
    standin: StandIn, tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from crowdcare.adapters.snapshot import SnapshotGitHub
    from crowdcare.cli.main import cli

    for number in (1, 2, 3):
        standin.add_issue(number)
    standin.issues[3]["state"] = "closed"  # closed threads are exported too
    standin.comments[2].append(
        {
            "id": 77,
            "body": "Try restarting.",
            "user": {"login": "helper", "id": 5, "type": "User"},
            "created_at": "2026-11-20T11:00:00Z",
            "author_association": "NONE",
        }
    )
    standin.issues[2]["comments"] = 1
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("GITHUB_API_URL", standin.url)
    standin.add_discussion(9)
    out = tmp_path / "exported"
    result = CliRunner().invoke(cli, ["export", "--repo", REPO, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 issue(s) and 1 discussion(s)" in result.stderr
    assert (out / "issues" / "1.json").exists() and (out / "discussions" / "9.json").exists()
    assert (out / "issues" / "3.json").exists()
    snapshot = SnapshotGitHub.open(out)
    thread = snapshot.get_thread(ThreadRef(Channel.ISSUE, 2))
    assert thread is not None and [r.body for r in thread.replies] == ["Try restarting."]


def test_intake_of_a_discussion_through_graphql(standin: StandIn, github: LiveGitHub, config: Config) -> None:
    standin.add_discussion(9)
    thread = github.get_thread(ThreadRef(Channel.DISCUSSION, 9))
    assert thread is not None and thread.category == "Q&A"
    outcome = take_in(thread, config, github)
    assert outcome.action == "posted"
    again = take_in(github.get_thread(ThreadRef(Channel.DISCUSSION, 9)), config, github)  # type: ignore[arg-type]
    assert again.action == "unchanged"
    assert len(standin.discussions[9]["comments"]["nodes"]) == 1
    assert all(r.path == "/graphql" for r in standin.log)


def test_a_502_after_a_discussion_comment_landed_gives_no_duplicate(
    standin: StandIn, github: LiveGitHub, config: Config
) -> None:
    standin.add_discussion(9)
    thread = github.get_thread(ThreadRef(Channel.DISCUSSION, 9))
    assert thread is not None
    # Fail only the comment mutation, after it took effect (reads around it go through).
    mutations = 0
    original = standin._graphql

    def flaky(body: dict) -> tuple:  # type: ignore[type-arg]
        nonlocal mutations
        result = original(body)
        if body["query"].lstrip().startswith("mutation AddDiscussionComment"):
            mutations += 1
            return 502, {"message": "Bad Gateway"}, {}
        return result

    standin._graphql = flaky  # type: ignore[method-assign]
    outcome = take_in(thread, config, github)
    assert outcome.action == "posted" and "confirmed" in outcome.reason
    assert mutations == 1 and len(standin.discussions[9]["comments"]["nodes"]) == 1


def test_respond_on_live_issues_and_discussions_uses_valid_requests(standin: StandIn, github: LiveGitHub) -> None:
    """Acknowledge (label, assignee, comment), then close and reopen, over real PyGithub and GraphQL: every
    request body matches GitHub's OpenAPI description and every GraphQL document GitHub's schema."""
    import datetime as dt

    from crowdcare.respond.guarantee import Rotation, respond_all

    repo_config, _ = load_config(COMMUNITY)
    assert repo_config is not None
    config = replace(repo_config, intake=replace(repo_config.intake, bot_login="crowdcare-bot", staff_associations=()))
    standin.add_issue(7, created="2026-11-20T09:00:00Z", updated="2026-11-20T09:00:00Z")
    standin.add_discussion(8, updated="2026-11-20T09:00:00Z")
    now = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
    outcomes = respond_all(github.threads_updated_since(None), config, github, now, Rotation(config))
    assert [[a.rule for a in o.actions] for o in outcomes] == [["acknowledge"], ["acknowledge"]]
    issue = standin.issues[7]
    assert [a["login"] for a in issue["assignees"]] == ["maya-okafor"]
    assert {"needs-staff", "question"} <= {label["name"] for label in issue["labels"]}
    assert "needs-staff" in {n["name"] for n in standin.discussions[8]["labels"]["nodes"]}
    assert ("POST", f"{ISSUE}/assignees") in calls(standin)

    for ref in (ThreadRef(Channel.ISSUE, 7), ThreadRef(Channel.DISCUSSION, 8)):
        github.close_thread(ref)
        assert github.get_thread(ref).state == "closed"  # type: ignore[union-attr]
        github.reopen_thread(ref)
        github.remove_labels(ref, ["needs-staff", "not-there"])
        current = github.get_thread(ref)
        assert current is not None and current.state == "open" and "needs-staff" not in current.labels
    assert github.assign(ThreadRef(Channel.DISCUSSION, 8), ["maya-okafor"]) is False  # discussions: no assignees


def test_a_confirmed_proposal_is_marked_as_the_answer_through_graphql(standin: StandIn, github: LiveGitHub) -> None:
    """/answer → the bot's proposal → the asker's yes → markDiscussionCommentAsAnswer, over real PyGithub: GitHub
    records the workflow's bot as the account that chose the answer, and crowdcare reads the asker back instead."""
    import datetime as dt

    from crowdcare.respond.guarantee import Rotation, respond_all
    from crowdcare.respond.proposals import as_confirmed

    repo_config, _ = load_config(COMMUNITY)
    assert repo_config is not None
    standin.add_discussion(8, updated="2026-11-20T09:00:00Z")
    node = standin.discussions[8]
    ids = {"customer": 2008}  # the asker's account (add_discussion)

    def say(login: str, body: str, at: str) -> None:
        number = len(node["comments"]["nodes"]) + 1
        node["comments"]["nodes"].append(
            {
                "id": f"DC_8_{number}",
                "url": f"{node['url']}#discussioncomment-{800 + number}",
                "upvoteCount": 0,
                "body": body,
                "createdAt": at,
                "authorAssociation": "NONE",
                "author": {"__typename": "User", "login": login, "databaseId": ids.get(login, 3000 + number)},
            }
        )
        node["updatedAt"] = at

    say("hugo-helper", "Tick *Include tax columns* under Export → Options.", "2026-11-20T10:00:00Z")
    say("pat-passer", "/answer", "2026-11-20T11:00:00Z")
    now = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
    (first,) = respond_all(github.threads_updated_since(None), repo_config, github, now, Rotation(repo_config))
    assert [a.rule for a in first.actions] == ["propose"]
    say("customer", "yes, that's it", "2026-11-22T12:30:00Z")
    (second,) = respond_all(github.threads_updated_since(None), repo_config, github, now, Rotation(repo_config))
    assert [a.rule for a in second.actions] == ["confirm-answer"]
    assert node["answer"]["id"] == "DC_8_1" and node["answerChosenBy"]["login"] == "github-actions"
    current = github.get_thread(ThreadRef(Channel.DISCUSSION, 8))
    assert current is not None and current.answerable is True
    accepted = as_confirmed(current, github.viewer_login())
    assert accepted.answer_chosen_by is not None and accepted.answer_chosen_by.login == "customer"


def test_github_refuses_an_answer_in_a_category_that_takes_none(standin: StandIn, github: LiveGitHub) -> None:
    from crowdcare.core.errors import CrowdcareError

    standin.add_discussion(9, category="General")
    standin.discussions[9]["comments"]["nodes"].append(
        {
            "id": "DC_9_1",
            "url": "u",
            "upvoteCount": 0,
            "body": "b",
            "createdAt": "2026-11-20T10:00:00Z",
            "authorAssociation": "NONE",
            "author": {"__typename": "User", "login": "hugo-helper", "databaseId": 502},
        }
    )
    current = github.get_thread(ThreadRef(Channel.DISCUSSION, 9))
    assert current is not None and current.answerable is False
    with pytest.raises(CrowdcareError):
        github.mark_answer(current.ref, current.replies[0])
    assert "answer" not in standin.discussions[9]
    standin.invalid.clear()  # the refusal is GitHub's answer, not a malformed request
