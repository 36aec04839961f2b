"""A thread longer than one page, against a stand-in that pages and names its bot as GitHub does.

The workflow token writes as ``github-actions[bot]`` while crowdcare.yml says ``tallybook-bot``; 120 customer
comments come before the bot's reply. GitHub gives 30 REST comments by default and at most 100 a page, and at most
100 GraphQL nodes a connection: a bot that reads one page never sees its own reply and posts it again every run.
Each test fails if the adapter reads a single page or trusts the configured login.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from crowdcare.adapters.live import LiveGitHub
from crowdcare.adapters.pulls import LiveRepository
from crowdcare.content.config import load_config
from crowdcare.content.store import load_content
from crowdcare.core.markers import INTAKE as MARKER
from crowdcare.core.model import Channel, ThreadRef
from crowdcare.core.settings import Config, IntakeRule
from crowdcare.intake.take_in import take_in
from crowdcare.respond.guarantee import Rotation, respond_all
from crowdcare.tally.ideas import tally
from crowdcare.tally.tallier import Tallier
from tests.adapters.conftest import REPO
from tests.adapters.standin import ACTIONS_BOT, StandIn
from tests.builders import CONFIG, Repo, idea_text

CUSTOMERS = 120
STAFF = {"__typename": "User", "login": "staffer", "databaseId": 100}


def run(standin: StandIn) -> LiveGitHub:
    """A new run: a new client, as each workflow run is."""
    return LiveGitHub("test-token", REPO, base_url=standin.url)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    made = Repo(tmp_path / "repo")
    community = {**CONFIG["community"], "repo": REPO}  # type: ignore[dict-item]
    made.config(community=community, intake={"bot_login": "tallybook-bot", "staff_associations": []})
    return made


@pytest.fixture
def config(repo: Repo) -> Config:
    loaded, findings = load_config(repo.root)
    assert loaded is not None and not findings
    return loaded


def customer_comments(standin: StandIn, number: int, count: int = CUSTOMERS, *, issue: bool = False) -> None:
    for index in range(count):
        login, body, at = (
            f"customer-{index % 7}",
            f"Me too ({index}).",
            f"2026-11-20T{10 + index // 60:02d}:{index % 60:02d}:00Z",
        )
        if issue:
            standin.comments[number].append(
                {"id": 90_000 + index, "body": body, "created_at": at, "updated_at": at, "author_association": "NONE",
                 "user": {"login": login, "id": 7000 + index % 7, "type": "User"}}
            )  # fmt: skip
        else:
            standin.discussions[number]["comments"]["nodes"].append(
                {"id": f"DC_{number}_{index}", "url": f"https://github.com/{REPO}/discussions/{number}#c{index}",
                 "upvoteCount": 0, "body": body, "createdAt": at, "authorAssociation": "NONE",
                 "author": {"__typename": "User", "login": login, "databaseId": 7000 + index % 7}}
            )  # fmt: skip


def bot_comments(standin: StandIn, ref: ThreadRef, marker: str) -> list[str]:
    if ref.channel is Channel.ISSUE:
        found = [(c["user"]["login"], c["body"]) for c in standin.comments[ref.number]]
    else:
        found = [(c["author"]["login"], c["body"]) for c in standin.discussions[ref.number]["comments"]["nodes"]]
    return [body for login, body in found if marker in body and login.startswith("github-actions")]


@pytest.mark.parametrize("channel", [Channel.ISSUE, Channel.DISCUSSION])
def test_three_intake_runs_post_one_reply_after_120_comments(
    standin: StandIn, config: Config, channel: Channel
) -> None:
    ref = ThreadRef(channel, 7)
    if channel is Channel.ISSUE:
        standin.add_issue(7)
    else:
        standin.add_discussion(7)
    customer_comments(standin, 7, issue=channel is Channel.ISSUE)
    for _ in range(3):
        github = run(standin)
        thread = github.get_thread(ref)
        assert thread is not None and len(thread.replies) >= CUSTOMERS
        take_in(thread, config, github)
    assert len(bot_comments(standin, ref, MARKER)) == 1
    assert ACTIONS_BOT["login"] == "github-actions[bot]"
    if channel is Channel.ISSUE:  # the comments were read to the end, page by page, 100 at a time
        pages = [r for r in standin.log if r.path.endswith("/issues/7/comments") and r.method == "GET"]
        assert pages and all(r.query.get("per_page") == ["100"] for r in pages)
        assert max(int(r.query.get("page", ["1"])[0]) for r in pages) == 2


def test_a_sweep_of_long_discussions_sees_the_bots_reply_on_the_second_page(standin: StandIn, config: Config) -> None:
    standin.add_discussion(7)
    customer_comments(standin, 7)
    github = run(standin)
    (thread,) = list(github.threads_updated_since(None))
    take_in(thread, config, github)
    (again,) = list(run(standin).threads_updated_since(None))
    assert len(again.replies) == CUSTOMERS + 1 and MARKER in again.replies[-1].body
    assert take_in(again, config, run(standin)).action == "unchanged"


def test_three_respond_runs_acknowledge_once_after_120_comments_by_the_asker(standin: StandIn, config: Config) -> None:
    standin.add_issue(7, login="customer-0", created="2026-11-19T09:00:00Z", updated="2026-11-20T09:00:00Z")
    standin.issues[7]["user"]["id"] = 7000
    customer_comments(standin, 7, issue=True)
    for comment in standin.comments[7]:  # all by the asker: nobody has answered yet
        comment["user"] = {"login": "customer-0", "id": 7000, "type": "User"}
    now = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
    rules: list[list[str]] = [[], [], []]
    for index in range(3):
        github = run(standin)
        (outcome,) = respond_all(github.threads_updated_since(None), config, github, now, Rotation(config))
        rules[index] = [a.rule for a in outcome.actions if a.done]
    assert rules[0] and "acknowledge" in rules[0]
    assert len(bot_comments(standin, ThreadRef(Channel.ISSUE, 7), "crowdcare:respond:acknowledge")) == 1


def tally_once(standin: StandIn, repo: Repo, config: Config) -> list[tuple[str, str]]:
    github = run(standin)
    content = load_content(repo.root)
    tallier = Tallier(
        config=config,
        content=content,
        read_text=lambda path: (repo.root / path).read_text("utf-8"),
        github=github,
        repo=LiveRepository(github, "main"),
        now=dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC),
        history=[],
    )
    result = tally(list(github.idea_threads(config.intake.idea)), tallier, lambda outcome: None)
    for path, text in result.files.items():
        (repo.root / path).write_text(text, encoding="utf-8")
    return [(o.action, o.why) for o in result.outcomes]


def an_idea(standin: StandIn, repo: Repo, number: int, labels: tuple[str, ...] = ()) -> None:
    standin.add_idea(number, [], labels=labels)
    repo.write(
        f"ideas/idea-{number}.md",
        idea_text(title=f"Idea {number}", source=f"https://github.com/{REPO}/discussions/{number}"),
    )


def test_a_staff_command_at_comment_140_is_applied_once(standin: StandIn, repo: Repo, config: Config) -> None:
    an_idea(standin, repo, 5)
    customer_comments(standin, 5, 139)
    standin.discussions[5]["comments"]["nodes"].append(
        {"id": "DC_5_cmd", "url": f"https://github.com/{REPO}/discussions/5#cmd", "upvoteCount": 0,
         "body": "/status planned We start on it in January.", "createdAt": "2026-11-21T09:00:00Z",
         "authorAssociation": "MEMBER", "author": STAFF}
    )  # fmt: skip
    first = tally_once(standin, repo, config)
    assert any(action == "status" for action, _ in first), first
    assert "status: planned" in (repo.root / "ideas/idea-5.md").read_text()
    tally_once(standin, repo, config)
    tally_once(standin, repo, config)
    announcements = [b for b in bot_comments(standin, ThreadRef(Channel.DISCUSSION, 5), "crowdcare") if "planned" in b]
    assert len(announcements) == 1, announcements


def test_a_reason_is_requested_once_after_120_comments(standin: StandIn, repo: Repo, config: Config) -> None:
    an_idea(standin, repo, 6, labels=("declined",))
    customer_comments(standin, 6)
    for _ in range(3):
        tally_once(standin, repo, config)
    asks = [b for b in bot_comments(standin, ThreadRef(Channel.DISCUSSION, 6), "crowdcare") if "needs a reason" in b]
    assert len(asks) == 1, asks


def test_an_idea_listing_reads_every_comment(standin: StandIn, repo: Repo, config: Config) -> None:
    an_idea(standin, repo, 8)
    customer_comments(standin, 8, 250)
    (thread,) = list(run(standin).idea_threads(IntakeRule(discussion_categories=("Ideas",))))
    assert len(thread.replies) == 250


def test_a_connection_asked_for_more_than_100_is_refused_as_github_does(standin: StandIn) -> None:
    import json
    import urllib.request

    standin.add_discussion(7)
    query = 'query { repository(owner: "o", name: "r") { discussion(number: 7) { comments(first: 101) { nodes { id } } } } }'
    request = urllib.request.Request(  # noqa: S310 (the stand-in on 127.0.0.1)
        f"{standin.url}/graphql", data=json.dumps({"query": query}).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (the stand-in on 127.0.0.1)
        data: dict[str, Any] = json.loads(answer.read())
    assert "exceeds the `first` limit of 100" in data["errors"][0]["message"]
    standin.invalid.clear()


def test_the_configured_login_is_not_trusted_and_a_mismatch_is_reported(
    standin: StandIn, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from crowdcare.cli.main import cli

    assert run(standin).viewer_login() == "github-actions[bot]"
    standin.add_issue(7)
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("GITHUB_API_URL", standin.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
    for _ in range(2):
        result = CliRunner().invoke(cli, ["--root", str(repo.root), "intake", "--since", "2026-11-01T00:00:00Z"])
        assert result.exit_code == 0, result.output
    assert "GitHub says this token writes as 'github-actions[bot]'" in result.stderr
    assert "intake.bot_login: 'tallybook-bot'" in result.stderr
    assert len(bot_comments(standin, ThreadRef(Channel.ISSUE, 7), MARKER)) == 1


def test_the_stand_in_pages_as_githubs_rest_description_says() -> None:
    """REST lists: 30 by default, at most 100 (the OpenAPI description's per_page parameter)."""
    from tests.adapters.standin import spec

    per_page = spec()["components"]["parameters"]["per-page"]
    assert per_page["schema"]["default"] == 30 and "(max 100)" in per_page["description"]
    with StandIn() as standin:
        standin.add_issue(7)
        customer_comments(standin, 7, 250, issue=True)
        for query, sizes in ({}, [30] * 8 + [10]), ({"per_page": ["500"]}, [100, 100, 50]):
            got, page = [], 1
            while True:
                _, items, headers = standin._page(standin.comments[7], {**query, "page": [str(page)]}, "/x")
                got.append(len(items))
                if "Link" not in headers:
                    break
                assert 'rel="next"' in headers["Link"]
                page += 1
            assert got == sizes


def test_concurrent_clients_see_one_consistent_state(standin: StandIn) -> None:
    from concurrent.futures import ThreadPoolExecutor

    standin.add_issue(7)
    github = run(standin)

    def post(index: int) -> str:
        return github.post_comment(ThreadRef(Channel.ISSUE, 7), f"comment {index}").id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(post, range(40)))
    assert len(set(ids)) == 40 and len(standin.comments[7]) == 40
    thread = run(standin).get_thread(ThreadRef(Channel.ISSUE, 7))
    assert thread is not None and len(thread.replies) == 40


def test_three_respond_runs_remind_once_after_120_community_replies(standin: StandIn, config: Config) -> None:
    """Replies but nothing accepted for reminder_days: one reminder, however long the thread and however many runs."""
    standin.add_issue(7, login="asker", created="2026-11-01T09:00:00Z", updated="2026-11-02T09:00:00Z")
    customer_comments(standin, 7, issue=True)  # helpers' replies on 2026-11-20
    for comment in standin.comments[7]:
        comment["created_at"] = comment["updated_at"] = "2026-11-02T09:00:00Z"
    now = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    done: list[list[str]] = []
    for _ in range(3):
        github = run(standin)
        (outcome,) = respond_all(github.threads_updated_since(None), config, github, now, Rotation(config))
        done.append([a.rule for a in outcome.actions if a.done])
    assert "remind" in done[0] and all("remind" not in rules for rules in done[1:])
    assert len(bot_comments(standin, ThreadRef(Channel.ISSUE, 7), "crowdcare:respond:remind")) == 1


def test_a_status_label_moves_an_idea_only_when_governance_admits_who_applied_it(
    standin: StandIn, repo: Repo, config: Config
) -> None:
    """An issue's timeline names who applied the label: a customer with triage access cannot decide an idea."""
    standin.add_idea(7, [], issue=True, labels=("planned",))
    standin.add_issue(7, labels=("idea", "planned"))
    repo.write("ideas/idea-7.md", idea_text(title="Idea 7", source=f"https://github.com/{REPO}/issues/7"))
    standin.issue_events[7] = [{"label": "planned", "login": "mallory", "id": 666}]
    for _ in range(2):
        outcomes = tally_once(standin, repo, config)
    assert "status: open" in (repo.root / "ideas/idea-7.md").read_text()
    refusals = [c["body"] for c in standin.comments[7] if "only" in c["body"] and "planned" in c["body"]]
    assert len(refusals) == 1 and "@mallory" in refusals[0]
    standin.issue_events[7].append({"label": "planned", "login": "staffer", "id": 100})  # staff label it again
    outcomes = tally_once(standin, repo, config)
    assert any(action == "status" for action, _ in outcomes)
    assert "status: planned" in (repo.root / "ideas/idea-7.md").read_text()
