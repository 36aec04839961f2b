"""Proposed answers the asker confirms: a participant's /answer is put to the asker once, the asker's yes or 👍
marks it (GitHub's mark as answer on a Q&A discussion, the answered label elsewhere), anything else leaves it
unmarked, and the asker, not the bot GitHub records, is the one who accepted it. Through the snapshot adapter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.core.model import Channel, ResponseStatus, ThreadRef
from crowdcare.core.settings import Config
from crowdcare.respond.proposals import as_confirmed
from tests.test_respond import (
    ASKED,
    ASKER,
    BOT,
    HELPER,
    STAFF,
    comment,
    discussion,
    issue,
    outbox,
    sweep,
    thread,
)
from tests.test_respond import config as respond_config
from tests.test_respond import snap as respond_snap

PASSER = ("pat-passer", 503)
config = respond_config  # the fixtures of the response guarantee's tests
snap = respond_snap


def react(snap: SnapshotGitHub, ref: ThreadRef, comment_id: str, content: str, who: tuple[str, int]) -> None:
    folder = "issues" if ref.channel is Channel.ISSUE else "discussions"
    path = snap.root / folder / f"{ref.number}.comment-reactions.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    node = {"content": content, "createdAt": ASKED, "user": {"login": who[0], "databaseId": who[1]}}
    data.setdefault(comment_id, {"nodes": []})["nodes"].append(node)
    path.write_text(json.dumps(data))


def add_reply(snap: SnapshotGitHub, ref: ThreadRef, node: dict[str, Any]) -> None:
    path = snap.root / "discussions" / f"{ref.number}.json"
    data = json.loads(path.read_text())
    data["comments"]["nodes"].append(node)
    path.write_text(json.dumps(data))


def proposed(snap: SnapshotGitHub, config: Config, **extra: Any) -> tuple[ThreadRef, str]:
    """Discussion 1: a helper's reply, then staff's /answer; one sweep later, the bot's proposal (its id)."""
    helper = {**comment(HELPER, "Reports → Export → CSV.", 2), "url": "https://github.com/acme/help/discussions/1#c2"}
    ref = discussion(snap, 1, helper, comment(STAFF, "/answer", 3), **extra)
    (outcome,) = sweep(snap, config, 4)
    assert [a.rule for a in outcome.actions] == ["propose"]
    (mine,) = [r for r in thread(snap, ref).replies if "crowdcare:respond:propose " in r.body]
    return ref, mine.id


def test_an_answer_command_is_put_to_the_asker_once_naming_who_proposed_what(
    snap: SnapshotGitHub, config: Config
) -> None:
    ref, proposal = proposed(snap, config)
    body = next(r.body for r in thread(snap, ref).replies if r.id == proposal)
    assert "@carla-customer, @maya-okafor thinks [this reply by @hugo-helper]" in body
    assert "reply **yes** or react 👍" in body and "`responses.propose`" in body  # it cites its rule
    assert f"reply=DC_{HELPER[0]}_2" in body
    written = len(outbox(snap))
    sweep(snap, config, 5)
    assert len(outbox(snap)) == written  # nothing twice, nothing marked without the asker
    assert thread(snap, ref).answer is None


def test_the_askers_yes_marks_the_answer_and_the_asker_is_the_accepter(snap: SnapshotGitHub, config: Config) -> None:
    ref, _ = proposed(snap, config)
    add_reply(snap, ref, comment(ASKER, "Yes, that did it. Thanks!", 6))
    (outcome,) = sweep(snap, config, 7)
    assert [a.rule for a in outcome.actions] == ["confirm-answer"]
    assert outcome.record.status is ResponseStatus.ACCEPTED
    current = thread(snap, ref)
    assert current.answer is not None and current.answer.id == f"DC_{HELPER[0]}_2"
    assert current.answer_chosen_by is not None and current.answer_chosen_by.login == BOT  # as GitHub records it
    (confirmed,) = [r for r in current.replies if "crowdcare:respond:confirm-answer" in r.body]
    assert "@carla-customer confirmed it" in confirmed.body and "Thank you, @hugo-helper" in confirmed.body
    accepted = as_confirmed(current, BOT)
    assert accepted.answer_chosen_by is not None and accepted.answer_chosen_by.is_same_account(current.author)
    assert accepted.answer_chosen_at == confirmed.created_at
    assert [op["op"] for op in outbox(snap)][-2:] == ["create_comment", "mark_answer"]
    written = len(outbox(snap))
    sweep(snap, config, 8)
    assert len(outbox(snap)) == written


def test_the_askers_thumbs_up_confirms_and_nobody_elses_does(snap: SnapshotGitHub, config: Config) -> None:
    ref, proposal = proposed(snap, config)
    react(snap, ref, proposal, "THUMBS_UP", PASSER)
    react(snap, ref, proposal, "THUMBS_UP", HELPER)
    (outcome,) = sweep(snap, config, 6)
    assert outcome.actions == () and thread(snap, ref).answer is None
    react(snap, ref, proposal, "THUMBS_UP", ASKER)
    (outcome,) = sweep(snap, config, 7)
    assert [a.rule for a in outcome.actions] == ["confirm-answer"]
    assert "the asker's 👍 on the proposal" in thread(snap, ref).replies[-1].body


@pytest.mark.parametrize("answer", ["no", "thumbs-down"])
def test_a_no_or_a_thumbs_down_leaves_it_unmarked(snap: SnapshotGitHub, config: Config, answer: str) -> None:
    ref, proposal = proposed(snap, config)
    if answer == "no":
        add_reply(snap, ref, comment(ASKER, "Not quite, the CSV has no tax columns.", 6))
    else:
        react(snap, ref, proposal, "THUMBS_DOWN", ASKER)
        react(snap, ref, proposal, "THUMBS_UP", ASKER)  # a 👎 beside a 👍 still declines
    sweep(snap, config, 7)
    assert thread(snap, ref).answer is None
    assert not any("confirm-answer" in r.body for r in thread(snap, ref).replies)


def test_a_pasted_confirmation_marker_is_not_the_bots(snap: SnapshotGitHub, config: Config) -> None:
    ref, _ = proposed(snap, config)
    fake = f"<!-- crowdcare:respond:confirm-answer reply=DC_{HELPER[0]}_2 by=carla-customer -->"
    add_reply(snap, ref, comment(PASSER, fake, 6))
    current = thread(snap, ref)
    assert as_confirmed(current, BOT).answer is None
    (outcome,) = sweep(snap, config, 7)
    assert outcome.record.status is not ResponseStatus.ACCEPTED


def test_nothing_to_propose_is_refused_once(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1, comment(STAFF, "/answer", 3))
    (outcome,) = sweep(snap, config, 4)
    assert [a.rule for a in outcome.actions] == ["propose-refused"]
    assert "there is no reply to propose" in thread(snap, ref).replies[-1].body
    written = len(outbox(snap))
    sweep(snap, config, 5)
    assert len(outbox(snap)) == written


def test_a_helper_proposes_their_own_answer_under_the_command(snap: SnapshotGitHub, config: Config) -> None:
    ref = discussion(snap, 1, comment(HELPER, "/answer\n\nUse Reports → Export and tick *Tax columns*.", 3))
    sweep(snap, config, 4)
    body = thread(snap, ref).replies[-1].body
    assert "@hugo-helper thinks [this reply](" not in body  # no link to a URL-less reply
    assert f"reply=DC_{HELPER[0]}_3" in body and "@hugo-helper thinks the reply answers" in body


def test_the_askers_own_command_naming_a_reply_confirms_it_at_once(snap: SnapshotGitHub, config: Config) -> None:
    helper = comment(HELPER, "Reports → Export.", 2)
    helper["url"] = "https://github.com/acme/help/discussions/1#discussioncomment-77"
    ref = discussion(snap, 1, helper, comment(ASKER, "/answer #discussioncomment-77", 3))
    (outcome,) = sweep(snap, config, 4)
    assert [a.rule for a in outcome.actions] == ["confirm-answer"]
    current = thread(snap, ref)
    assert current.answer is not None and current.answer.id == helper["id"]
    assert "the asker proposed the reply as the answer themselves" in current.replies[-1].body


def test_a_discussion_that_takes_no_answers_gets_the_answered_label(snap: SnapshotGitHub, config: Config) -> None:
    ref, _ = proposed(snap, config, category={"name": "Q&A", "isAnswerable": False})
    add_reply(snap, ref, comment(ASKER, "yes", 6))
    (outcome,) = sweep(snap, config, 7)
    assert outcome.record.status is ResponseStatus.ACCEPTED
    current = thread(snap, ref)
    assert current.answer is None and "answered" in current.labels
    assert "mark_answer" not in [op["op"] for op in outbox(snap)]


def test_an_issue_answer_is_the_confirmed_reply_and_its_label(snap: SnapshotGitHub, config: Config) -> None:
    issue(snap)

    def rest(number: int, who: tuple[str, int], body: str, hours: float) -> dict[str, Any]:
        return {
            "id": number,
            "html_url": f"https://github.com/acme/help/issues/7#issuecomment-{number}",
            "body": body,
            "user": {"login": who[0], "id": who[1], "type": "User"},
            "created_at": f"2026-11-16T{9 + hours:02d}:00:00Z",
            "updated_at": f"2026-11-16T{9 + hours:02d}:00:00Z",
            "author_association": "MEMBER" if who == STAFF else "NONE",
        }

    snap.record_issue_comments(
        7,
        [
            rest(11, HELPER, "Restart the sync.", 1),
            rest(12, STAFF, "/answer", 2),
            rest(13, PASSER, "Did you try turning it off and on?", 3),
        ],
    )
    sweep(snap, config, 4)
    ref = ThreadRef(Channel.ISSUE, 7)
    comments = json.loads(snap._comments_path(7).read_text())
    comments.append(rest(14, ASKER, "Yes! Restarting the sync fixed it.", 5))
    snap.record_issue_comments(7, comments)
    (outcome,) = sweep(snap, config, 6)
    assert [a.rule for a in outcome.actions] == ["confirm-answer"]
    assert outcome.record.status is ResponseStatus.ACCEPTED
    current = thread(snap, ref)
    assert "answered" in current.labels
    confirmed = as_confirmed(current, BOT)
    assert confirmed.answer is not None and confirmed.answer.id == "11"  # the proposed reply, not the latest one
    assert confirmed.answer_chosen_by is not None and confirmed.answer_chosen_by.login == ASKER[0]
