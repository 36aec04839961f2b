"""`crowdcare intake --event` on every issues, issue_comment, discussion and discussion_comment example payload
that GitHub publishes (@octokit/webhooks-examples), patched to and validated against the current webhook
schemas (@octokit/openapi-webhooks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli.main import cli
from crowdcare.core.markers import INTAKE as MARKER
from tests.adapters.contracts import patched_and_validated, webhook_examples
from tests.builders import CONFIG, Repo

EVENTS = ("issues", "issue_comment", "discussion", "discussion_comment")
EXAMPLES = webhook_examples(*EVENTS)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A community whose rules make GitHub's examples questions, and where associations do not mean staff."""
    made = Repo(tmp_path / "repo")
    config = {
        **CONFIG,
        "intake": {
            "bot_login": "crowdcare-bot",
            "staff_associations": [],
            "question": {
                "discussion_categories": ["General", "Q&A"],
                "issue_labels": ["bug", "question"],
                "labels": ["question"],
            },
            "idea": {"discussion_categories": ["Ideas"], "issue_labels": ["enhancement"], "labels": ["idea"]},
        },
    }
    made.write("crowdcare.yml", yaml.safe_dump(config))
    return made


def take_in_event(repo: Repo, path: Path, event: str, snapshot: Path) -> Result:
    """`crowdcare intake --event PATH --event-name EVENT --snapshot SNAPSHOT` on ``repo``."""
    args = [
        "--root",
        str(repo.root),
        "intake",
        "--event",
        str(path),
        "--event-name",
        event,
        "--snapshot",
        str(snapshot),
    ]
    return CliRunner().invoke(cli, args)


def test_the_examples_cover_every_event_we_handle() -> None:
    assert {event for event, _, _ in EXAMPLES} == set(EVENTS)
    assert len(EXAMPLES) >= 50


@pytest.mark.parametrize(
    ("event", "action", "payload"), EXAMPLES, ids=[f"{e}.{a}.{i}" for i, (e, a, _) in enumerate(EXAMPLES)]
)
def test_intake_takes_every_example_event(repo: Repo, tmp_path: Path, event: str, action: str, payload: dict) -> None:  # type: ignore[type-arg]
    fixed = patched_and_validated(event, action, payload)
    path = tmp_path / "event.json"
    path.write_text(json.dumps(fixed))
    snapshot = tmp_path / "snap"
    result = take_in_event(repo, path, event, snapshot)
    assert result.exit_code == 0, result.output
    subject = fixed.get("issue") or fixed.get("discussion")
    assert isinstance(subject, dict)
    if "skipped" not in result.stderr:
        assert "posted" in result.stderr or "unchanged" in result.stderr
        # A second delivery of the same event changes nothing.
        again = take_in_event(repo, path, event, snapshot)
        assert again.exit_code == 0 and ("unchanged" in again.stderr or "skipped" in again.stderr), again.stderr
    if subject.get("state") == "open" and action in ("opened", "created") and event in ("issues", "discussion"):
        assert "posted" in result.stderr, result.stderr


def test_all_examples_in_any_order_give_at_most_one_reply_per_thread(repo: Repo, tmp_path: Path) -> None:
    """Events arrive out of order and twice; each thread still gets one bot comment at most."""
    snapshot = tmp_path / "snap"
    for index, (event, action, payload) in enumerate([*reversed(EXAMPLES), *EXAMPLES]):
        path = tmp_path / f"event-{index}.json"
        path.write_text(json.dumps(patched_and_validated(event, action, payload)))
        result = take_in_event(repo, path, event, snapshot)
        assert result.exit_code == 0, result.output
    github = SnapshotGitHub.open(snapshot)
    for thread in github.threads_updated_since(None):
        assert sum(MARKER in reply.body for reply in thread.replies) <= 1, thread.ref


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("{not json", "issues", "not a JSON event payload"),
        ("[1, 2]", "issues", "an event payload is a JSON object"),
        ('{"action": "opened"}', "issues", "needs a 'issue' object with a number"),
        ('{"action": "opened", "issue": {"number": 1}}', "push", "not one intake handles"),
    ],
)
def test_bad_events_exit_2_with_a_clear_message(
    repo: Repo, tmp_path: Path, content: str, name: str, message: str
) -> None:
    path = tmp_path / "event.json"
    path.write_text(content)
    result = take_in_event(repo, path, name, tmp_path / "snap")
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_event_file_and_a_missing_event_name_are_usage_errors(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    base = ["--root", str(repo.root), "intake", "--snapshot", str(tmp_path / "snap")]
    assert (
        CliRunner().invoke(cli, [*base, "--event", str(tmp_path / "nope.json"), "--event-name", "issues"]).exit_code
        == 2
    )
    (tmp_path / "e.json").write_text("{}")
    result = CliRunner().invoke(cli, [*base, "--event", str(tmp_path / "e.json")])
    assert result.exit_code == 2 and "GITHUB_EVENT_NAME" in result.stderr


def test_validation_against_the_schema_can_fail() -> None:
    """The patch adds missing fields; it never makes a wrong value right."""
    event, action, payload = next(e for e in EXAMPLES if e[0] == "issues")
    broken = json.loads(json.dumps(payload))
    broken["issue"]["number"] = "twelve"
    with pytest.raises(AssertionError, match="webhook-issues"):
        patched_and_validated(event, action, broken)


def test_live_intake_without_a_token_exits_2_naming_it(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "intake", "--since", "2026-11-01T00:00:00Z"])
    assert result.exit_code == 2
    assert "GITHUB_TOKEN" in result.stderr and "--snapshot" in result.stderr


def test_nothing_to_take_in_is_a_usage_error(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    result = CliRunner().invoke(cli, ["--root", str(repo.root), "intake"])
    assert result.exit_code == 2 and "--event PATH, --since TIME or --all" in result.output


def test_a_minimal_event_never_erases_what_it_does_not_carry(tmp_path: Path) -> None:
    from crowdcare.adapters.snapshot import SnapshotGitHub
    from crowdcare.core.model import Channel, ThreadRef

    snap = SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help")
    answer = {"id": "DC_1", "url": "https://github.com/acme/help/discussions/5#c1", "upvoteCount": 1, "body": "Do X.",
              "createdAt": "2026-11-02T00:00:00Z", "authorAssociation": "NONE",
              "author": {"__typename": "User", "login": "helper", "databaseId": 2}}  # fmt: skip
    snap.record_discussion(
        {"id": "D_5", "number": 5, "title": "How do I export?", "body": "Please help.",
         "url": "https://github.com/acme/help/discussions/5", "createdAt": "2026-11-01T00:00:00Z",
         "updatedAt": "2026-11-02T00:00:00Z", "closed": False, "closedAt": None, "locked": False,
         "authorAssociation": "NONE", "author": {"__typename": "User", "login": "asker", "databaseId": 1},
         "category": {"name": "Q&A"}, "labels": {"nodes": [{"name": "question"}]},
         "comments": {"nodes": [answer]}, "answer": answer}
    )  # fmt: skip
    snap.record_discussion_event({"number": 5, "updated_at": "2026-11-03T00:00:00Z"})
    thread = snap.get_thread(ThreadRef(Channel.DISCUSSION, 5))
    assert thread is not None and thread.title == "How do I export?" and thread.author.login == "asker"
    assert thread.answer is not None and thread.answer.body == "Do X." and thread.labels == ("question",)
    assert thread.updated_at == "2026-11-03T00:00:00Z"
    snap.record_discussion_event({"number": 5, "title": "How do I export to PDF?", "state": "closed", "labels": []})
    thread = snap.get_thread(ThreadRef(Channel.DISCUSSION, 5))
    assert thread is not None and thread.title == "How do I export to PDF?" and thread.state == "closed"
    assert thread.labels == () and thread.answer is not None

    snap.record_issue({"number": 7, "title": "Sync fails", "state": "open", "labels": [{"name": "question"}],
                       "user": {"login": "asker", "id": 1, "type": "User"}, "body": "x",
                       "html_url": "https://github.com/acme/help/issues/7", "created_at": "2026-11-01T00:00:00Z",
                       "updated_at": "2026-11-01T00:00:00Z", "comments": 0})  # fmt: skip
    snap.record_issue({"number": 7, "updated_at": "2026-11-04T00:00:00Z"})
    issue = snap.get_thread(ThreadRef(Channel.ISSUE, 7))
    assert issue is not None and issue.title == "Sync fails" and issue.labels == ("question",)
