"""The response guarantee: each rule fires once when due and never early, cites itself, reconciles on reruns,
and a human reply in between cancels. Threads go through the snapshot adapter in GitHub's GraphQL/REST shapes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.content.config import load_config
from crowdcare.core import clock
from crowdcare.core.errors import AmbiguousWriteError, TransientError
from crowdcare.core.model import Channel, Reply, ResponseStatus, Thread, ThreadRef
from crowdcare.core.settings import BusinessHours, Config
from crowdcare.respond.facts import thread_topic
from crowdcare.respond.guarantee import Rotation, respond, respond_all
from tests.conftest import COMMUNITY

ASKED = "2026-11-16T09:00:00Z"  # a Monday
ASKER = ("carla-customer", 501)
HELPER = ("hugo-helper", 502)
STAFF = ("maya-okafor", 58102231)  # first on the sample roster
BOT = "tallybook-bot"


def at(hours: float) -> dt.datetime:
    return dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC) + dt.timedelta(hours=hours)


def iso(hours: float) -> str:
    return at(hours).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def config() -> Config:
    loaded, findings = load_config(COMMUNITY)
    assert loaded is not None and not findings
    # Wall-clock windows unless a test sets business hours: 24 h community, 48 h staff.
    return replace(loaded, responses=replace(loaded.responses, business_hours=None, staff_window_hours=48))


@pytest.fixture
def snap(tmp_path: Path) -> SnapshotGitHub:
    return SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)


def comment(person: tuple[str, int], body: str, hours: float, bot: bool = False) -> dict[str, Any]:
    return {
        "id": f"DC_{person[0]}_{hours}",
        "body": body,
        "createdAt": iso(hours),
        "authorAssociation": "MEMBER" if person == STAFF else "NONE",
        "author": {"__typename": "Bot" if bot else "User", "login": person[0], "databaseId": person[1]},
    }


def discussion(snap: SnapshotGitHub, number: int, *comments: dict[str, Any], **extra: Any) -> ThreadRef:
    node = {
        "id": f"D_{number}",
        "number": number,
        "title": f"Question {number}",
        "body": "How do I export invoices?",
        "url": f"https://github.com/acme/help/discussions/{number}",
        "createdAt": ASKED,
        "updatedAt": ASKED,
        "closed": False,
        "closedAt": None,
        "locked": False,
        "authorAssociation": "NONE",
        "author": {"__typename": "User", "login": ASKER[0], "databaseId": ASKER[1]},
        "category": {"name": "Q&A"},
        "labels": {"nodes": [{"name": n} for n in extra.pop("labels", ())]},
        "comments": {"nodes": list(comments)},
        "answer": None,
        **extra,
    }
    snap.record_discussion(node)
    return ThreadRef(Channel.DISCUSSION, number)


def sweep(snap: SnapshotGitHub, config: Config, hours: float, rotation: Rotation | None = None, **kw: Any) -> list[Any]:
    snap.clock = clock.fixed(at(hours))  # the stand-in stamps its writes at the sweep's time, as GitHub would
    return respond_all(snap.threads_updated_since(None), config, snap, at(hours), rotation or Rotation(config), **kw)


def outbox(snap: SnapshotGitHub) -> list[dict[str, Any]]:
    path = snap.root / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def thread(snap: SnapshotGitHub, ref: ThreadRef) -> Thread:
    found = snap.get_thread(ref)
    assert found is not None
    return found


def test_nothing_happens_inside_the_community_window(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1)
    (outcome,) = sweep(snap, config, 23.9)
    assert outcome.actions == () and outcome.record.status is ResponseStatus.NEW
    assert outbox(snap) == []


def test_an_unanswered_question_is_acknowledged_labelled_and_handed_to_the_next_staff_member(
    snap: SnapshotGitHub, config: Config
) -> None:
    ref = discussion(snap, 1)
    (outcome,) = sweep(snap, config, 25)
    assert [a.rule for a in outcome.actions] == ["acknowledge"]
    assert outcome.record.status is ResponseStatus.NEEDS_STAFF and outcome.record.holder == "maya-okafor"
    current = thread(snap, ref)
    assert "needs-staff" in current.labels
    (ack,) = [r for r in current.replies if "crowdcare:respond:acknowledge" in r.body]
    assert "@maya-okafor" in ack.body and "`responses.acknowledge`" in ack.body  # it cites the rule
    assert "community window: 24" in ack.body


def test_the_rotation_is_round_robin_and_skips_staff_marked_away(snap: SnapshotGitHub, config: Config) -> None:
    for number in range(1, 6):
        discussion(snap, number)
    rotation = Rotation(config)
    outcomes = sweep(snap, config, 25, rotation)
    # Roster: maya, tomas, priya, devon (away).
    assert [o.record.holder for o in outcomes] == [
        "maya-okafor",
        "tomas-lindqvist",
        "priya-raman",
        "maya-okafor",
        "tomas-lindqvist",
    ]
    assert rotation.last == "tomas-lindqvist"


def issue(snap: SnapshotGitHub, number: int = 7) -> ThreadRef:
    """An open question asked as an issue by the asker, in REST's shape."""
    snap.record_issue(
        {
            "number": number,
            "title": "Help",
            "body": "It broke",
            "html_url": f"https://github.com/acme/help/issues/{number}",
            "created_at": ASKED,
            "updated_at": ASKED,
            "state": "open",
            "labels": [{"name": "question"}],
            "assignees": [],
            "user": {"login": ASKER[0], "id": ASKER[1], "type": "User"},
        }
    )
    return ThreadRef(Channel.ISSUE, number)


def test_issues_get_an_assignee(snap: SnapshotGitHub, config: Config) -> None:
    issue(snap)
    (outcome,) = sweep(snap, config, 30)
    assert outcome.record.holder == "maya-okafor"
    assert [a.login for a in thread(snap, ThreadRef(Channel.ISSUE, 7)).assignees] == ["maya-okafor"]


def test_a_community_reply_means_no_acknowledgement(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1, comment(HELPER, "Try Reports → Export.", 3))
    (outcome,) = sweep(snap, config, 30)
    assert outcome.actions == () and outcome.record.status is ResponseStatus.ANSWERED
    assert outcome.record.first_response_by == "community"


def test_the_askers_own_replies_do_not_count_as_a_response(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1, comment(ASKER, "Anyone?", 10))
    (outcome,) = sweep(snap, config, 30)
    assert [a.rule for a in outcome.actions] == ["acknowledge"]


def test_reruns_add_nothing(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1)
    discussion(snap, 2, comment(HELPER, "Try this.", 1))
    sweep(snap, config, 200)
    written = len(outbox(snap))
    assert written > 0
    for later in (200, 201, 300):
        assert all(o.actions == () for o in sweep(snap, config, later))
    assert len(outbox(snap)) == written


def test_a_marker_pasted_by_a_customer_is_not_the_bots(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1, comment(ASKER, "<!-- crowdcare:respond:acknowledge -->", 1))
    (outcome,) = sweep(snap, config, 30)
    assert [a.rule for a in outcome.actions] == ["acknowledge"]


def test_a_reply_that_arrives_before_the_write_cancels_the_pending_action(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1)
    listed = thread(snap, ref)  # what the sweep listed: no replies yet
    node = json.loads((snap.root / "discussions" / "1.json").read_text())
    node["comments"]["nodes"].append(comment(HELPER, "Reports → Export.", 24.5))
    snap.record_discussion(node)  # ...and a helper answers while the sweep runs
    outcome = respond(listed, config, snap, at(25), Rotation(config))
    assert outcome.actions == () and outbox(snap) == []


def test_escalation_after_the_staff_window_mentions_the_team_once(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1, comment(HELPER, "No idea, sorry.", 2))
    assert sweep(snap, config, 47)[0].actions == ()
    (outcome,) = sweep(snap, config, 49)
    assert [a.rule for a in outcome.actions] == ["escalate"]
    assert outcome.record.status is ResponseStatus.ESCALATED
    current = thread(snap, ref)
    assert "escalated" in current.labels
    assert any("@fernhill-sample/support-leads" in r.body and "staff window: 48" in r.body for r in current.replies)
    assert sweep(snap, config, 60)[0].actions == ()


def test_the_staff_window_counts_business_hours_only(snap: SnapshotGitHub, config: Config) -> None:
    business = BusinessHours("Europe/London", (1, 2, 3, 4, 5), "09:00", "17:00", ("2026-11-18",))
    config = replace(config, responses=replace(config.responses, business_hours=business, staff_window_hours=16))
    discussion(snap, 1, comment(HELPER, "Hmm.", 1))  # asked Monday 09:00 London (UTC in November)
    # Mon 8 h + Tue 8 h = 16 business hours at Tuesday 17:00; Wednesday is a holiday.
    assert sweep(snap, config, 31.9)[0].actions == ()  # Tuesday 16:54
    assert [a.rule for a in sweep(snap, config, 32)[0].actions] == ["escalate"]


def test_a_staff_reply_settles_the_labels(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1)
    sweep(snap, config, 25)
    node = json.loads((snap.root / "discussions" / "1.json").read_text())
    node["comments"]["nodes"].append(comment(STAFF, "Here is how.", 26))
    snap.record_discussion(node)
    (outcome,) = sweep(snap, config, 27)
    assert [a.rule for a in outcome.actions] == ["settle"]
    assert "needs-staff" not in thread(snap, ref).labels
    assert outcome.record.first_response_by == "staff"
    assert sweep(snap, config, 200)[0].actions[0].rule == "remind"  # answered, never accepted


def test_an_accepted_answer_needs_no_reminder(snap: SnapshotGitHub, config: Config) -> None:
    answer = comment(HELPER, "Reports → Export.", 2)
    discussion(snap, 1, answer, answer=answer)
    (outcome,) = sweep(snap, config, 24 * 30)
    assert outcome.actions == () and outcome.record.status is ResponseStatus.ACCEPTED
    assert outcome.record.answered_by == "community" and outcome.record.answered_at == iso(2)


def test_one_reminder_to_mark_the_answer(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1, comment(STAFF, "Reports → Export.", 2))
    assert sweep(snap, config, 2 + 24 * 5 - 1)[0].actions == ()
    assert [a.rule for a in sweep(snap, config, 2 + 24 * 5)[0].actions] == ["remind"]
    assert sweep(snap, config, 24 * 20)[0].actions == ()
    reminders = [r for r in thread(snap, ref).replies if "crowdcare:respond:remind" in r.body]
    assert len(reminders) == 1 and "mark it as the answer" in reminders[0].body


def test_waiting_for_the_author_closes_kindly_and_the_authors_reply_reopens(
    snap: SnapshotGitHub, config: Config
) -> None:
    ref = discussion(snap, 1, comment(STAFF, "Which browser?", 2), labels=("waiting-for-author",))
    assert sweep(snap, config, 2 + 24 * 7 - 1)[0].actions == ()
    (closing,) = sweep(snap, config, 2 + 24 * 7)
    assert [a.rule for a in closing.actions] == ["close-waiting"]
    assert thread(snap, ref).state == "closed" and closing.record.status is ResponseStatus.CLOSED
    assert sweep(snap, config, 24 * 9)[0].actions == ()  # closed, nobody replied: nothing more

    node = json.loads((snap.root / "discussions" / "1.json").read_text())
    node["comments"]["nodes"].append(comment(ASKER, "Firefox, sorry for the wait.", 24 * 10))
    snap.record_discussion(node)
    (reopening,) = sweep(snap, config, 24 * 10 + 1)
    assert [a.rule for a in reopening.actions] == ["reopen"]
    current = thread(snap, ref)
    assert current.state == "open" and "waiting-for-author" not in current.labels
    assert all(o.actions == () for o in sweep(snap, config, 24 * 10 + 2))


def test_a_thread_a_person_closed_after_the_authors_reply_stays_closed(snap: SnapshotGitHub, config: Config) -> None:
    ours = comment(("tallybook-bot", 9), "closing <!-- crowdcare:respond:close-waiting -->", 200, bot=True)
    discussion(
        snap,
        1,
        comment(STAFF, "Which browser?", 2),
        ours,
        comment(ASKER, "Never mind, solved it myself.", 210),
        labels=("waiting-for-author",),
        closed=True,
        closedAt=iso(211),  # closed again by a person after the asker's reply
    )
    assert sweep(snap, config, 220)[0].actions == ()


def test_an_ambiguous_failure_reads_back_and_never_posts_twice(snap: SnapshotGitHub, config: Config) -> None:
    class Flaky(SnapshotGitHub):
        def post_comment(self, ref: ThreadRef, body: str) -> Reply:
            raise AmbiguousWriteError("502 after the write was sent")

    ref = discussion(snap, 1)
    flaky = Flaky(snap.root, snap.meta)
    with pytest.raises(TransientError):
        respond_all([thread(snap, ref)], config, flaky, at(25), Rotation(config))
    sweep(snap, config, 26)  # the next run posts it, once
    sweep(snap, config, 27)
    assert len([r for r in thread(snap, ref).replies if "respond:acknowledge" in r.body]) == 1


def test_a_dry_run_changes_nothing_but_reports_what_is_due(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1)
    (outcome,) = sweep(snap, config, 100, dry_run=True)
    assert [(a.rule, a.done) for a in outcome.actions] == [("acknowledge", False), ("escalate", False)]
    assert outcome.record.holder == "maya-okafor" and outcome.record.status is ResponseStatus.ESCALATED
    assert outbox(snap) == []


def test_only_customer_questions_are_covered(snap: SnapshotGitHub, config: Config) -> None:
    discussion(snap, 1, category={"name": "Ideas"})
    discussion(snap, 2, author={"__typename": "User", "login": STAFF[0], "databaseId": STAFF[1]})
    assert sweep(snap, config, 500) == []


def test_a_sweep_acts_on_its_budget_of_threads_the_longest_waiting_first_and_the_next_run_on_the_rest(
    snap: SnapshotGitHub, config: Config
) -> None:
    """A first sweep of a busy repository must not post hundreds of comments at once (GitHub refuses content
    creation past about 500 requests an hour): the oldest questions first, the rest on the next run."""
    budget = replace(config, responses=replace(config.responses, max_actions_per_run=2))
    for number, asked in ((1, "2026-11-16T09:00:00Z"), (2, "2026-11-16T07:00:00Z"), (3, "2026-11-16T08:00:00Z")):
        discussion(snap, number, createdAt=asked)
    rotation = Rotation(budget)
    first = {o.ref: o for o in sweep(snap, budget, 25, rotation)}
    acted = {ref for ref, o in first.items() if o.actions and all(a.done for a in o.actions)}
    assert acted == {"discussion #2", "discussion #3"}  # asked at 07:00 and 08:00
    held = first["discussion #1"]
    assert [a.done for a in held.actions] == [False] and "max_actions_per_run: 2" in held.note
    assert held.record.holder is None and rotation.last == "tomas-lindqvist"  # nobody assigned to the held one
    assert len([e for e in outbox(snap) if e["op"] == "create_comment"]) == 2
    second = {o.ref: o for o in sweep(snap, budget, 26, rotation)}
    assert [a.done for a in second["discussion #1"].actions] == [True]
    assert second["discussion #1"].record.holder == "priya-raman"
    assert second["discussion #2"].actions == ()


def test_without_more_due_than_the_budget_every_thread_is_acted_on(snap: SnapshotGitHub, config: Config) -> None:
    budget = replace(config, responses=replace(config.responses, max_actions_per_run=3))
    for number in (1, 2, 3):
        discussion(snap, number)
    outcomes = sweep(snap, budget, 25)
    assert all(o.actions and o.actions[0].done and not o.note for o in outcomes)


def routed(config: Config) -> Config:
    """priya-raman owns billing; devon (away) owns mobile; billing escalates to its own team."""
    staff = tuple(
        replace(s, topics=("billing",)) if s.login == "priya-raman" else replace(s, topics=("mobile",))
        if s.away else s
        for s in config.staff
    )  # fmt: skip
    topics = tuple(
        replace(t, escalate_to="@fernhill-sample/billing") if t.slug == "billing" else t for t in config.topics
    )
    return replace(config, staff=staff, topics=topics)


def test_a_thread_on_a_topic_goes_to_the_staff_member_who_owns_it(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1, labels=("billing",))
    discussion(snap, 2)
    outcomes = {o.ref: o for o in sweep(snap, routed(config), 25)}
    assert outcomes["discussion #1"].record.holder == "priya-raman"  # the rotation would say maya-okafor
    assert outcomes["discussion #2"].record.holder == "maya-okafor"  # no topic: the rotation
    (ack,) = [r for r in thread(snap, ref).replies if "crowdcare:respond:acknowledge" in r.body]
    assert "the topic billing is theirs" in ack.body


def test_an_away_owner_falls_back_to_the_rotation_and_a_category_can_name_the_topic(
    snap: SnapshotGitHub, config: Config
) -> None:
    ref = discussion(snap, 1, labels=("mobile",))  # its owner is away: the rotation
    (outcome,) = sweep(snap, routed(config), 25)
    assert outcome.record.holder == "maya-okafor"
    asked_in = replace(thread(snap, ref), labels=(), category="Billing")  # a category titled like a topic
    assert (
        thread_topic(asked_in, config) == "billing" and thread_topic(replace(asked_in, category="Q&A"), config) is None
    )


def test_escalation_mentions_the_topics_own_team(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1, labels=("billing",))
    sweep(snap, routed(config), 60)
    (escalation,) = [r for r in thread(snap, ref).replies if "crowdcare:respond:escalate" in r.body]
    assert escalation.body.startswith("@fernhill-sample/billing, this question")
