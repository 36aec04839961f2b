"""Intake: classification, normalisation, people, and one reply per thread however often it runs."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.content.config import load_config
from crowdcare.core.errors import AmbiguousWriteError, TransientError
from crowdcare.core.markers import INTAKE as MARKER
from crowdcare.core.model import Channel, PersonKind, Reply, ThreadKind, ThreadRef
from crowdcare.core.settings import Config
from crowdcare.intake.take_in import normalize, redact, take_in, take_in_all
from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT

SAMPLE = COMMUNITY_SNAPSHOT


@pytest.fixture
def config() -> Config:
    loaded, findings = load_config(COMMUNITY)
    assert loaded is not None and not findings
    return loaded


@pytest.fixture
def snap(tmp_path: Path) -> SnapshotGitHub:
    shutil.copytree(SAMPLE, tmp_path / "snap")
    return SnapshotGitHub.open(tmp_path / "snap")


def thread(snap: SnapshotGitHub, channel: Channel, number: int):  # type: ignore[no-untyped-def]
    found = snap.get_thread(ThreadRef(channel, number))
    assert found is not None
    return found


def bot_comments(snap: SnapshotGitHub, channel: Channel, number: int) -> list[Reply]:
    return [r for r in thread(snap, channel, number).replies if MARKER in r.body]


def test_questions_and_ideas_are_classified_from_category_and_labels(snap: SnapshotGitHub, config: Config) -> None:
    outcomes = take_in_all(snap.threads_updated_since(None), config, snap, dry_run=True)
    kinds = {o.ref: o.kind for o in outcomes if 200 < int(o.ref.split("#")[1]) < 310}  # the hand-written threads
    assert {o.kind for o in outcomes if int(o.ref.split("#")[1]) >= 320} == {ThreadKind.QUESTION}  # the history
    assert {o.kind for o in outcomes if int(o.ref.split("#")[1]) < 200} == {ThreadKind.IDEA}  # behind ideas/
    assert kinds == {
        "discussion #301": ThreadKind.QUESTION,  # category Q&A
        "discussion #302": ThreadKind.IDEA,  # category Ideas
        "discussion #303": ThreadKind.QUESTION,
        "discussion #304": ThreadKind.OTHER,  # category General
        "issue #201": ThreadKind.QUESTION,  # label question
        "issue #202": ThreadKind.IDEA,  # label idea
        "issue #203": ThreadKind.OTHER,  # no label
    }


def test_one_reply_and_the_labels_however_often_it_runs(snap: SnapshotGitHub, config: Config) -> None:
    first = take_in(thread(snap, Channel.DISCUSSION, 301), config, snap)
    assert first.action == "posted" and first.labels_added == ("question",)
    for _ in range(3):
        again = take_in(thread(snap, Channel.DISCUSSION, 301), config, snap)
        assert again.action == "unchanged" and again.labels_added == ()
    assert len(bot_comments(snap, Channel.DISCUSSION, 301)) == 1
    assert thread(snap, Channel.DISCUSSION, 301).labels == ("question",)


def test_the_reply_is_edited_only_when_its_text_changes(snap: SnapshotGitHub, config: Config) -> None:
    take_in(thread(snap, Channel.ISSUE, 201), config, snap)
    changed = replace(config, responses=replace(config.responses, community_window_hours=12))
    result = take_in(thread(snap, Channel.ISSUE, 201), changed, snap)
    assert result.action == "edited"
    [comment] = bot_comments(snap, Channel.ISSUE, 201)
    assert "within 12 hours" in comment.body


def test_a_marker_pasted_by_someone_else_is_not_our_comment(snap: SnapshotGitHub, config: Config) -> None:
    """Anyone can paste the marker; only the bot's own marked comment counts."""
    impostor = SnapshotGitHub(snap.root, {**snap.meta, "viewer": {"login": "mallory", "id": 666}})
    impostor.post_comment(ThreadRef(Channel.ISSUE, 201), f"fake {MARKER}")
    result = take_in(thread(snap, Channel.ISSUE, 201), config, snap)
    assert result.action == "posted"
    authors = [r.author.login for r in bot_comments(snap, Channel.ISSUE, 201)]
    assert authors == ["mallory", "tallybook-bot"]


def test_staff_bots_closed_and_other_threads_get_no_reply(snap: SnapshotGitHub, config: Config) -> None:
    outcomes = {o.ref: o for o in take_in_all(snap.threads_updated_since(None), config, snap)}
    assert outcomes["issue #203"].action == "skipped"
    assert outcomes["discussion #304"].author_kind is PersonKind.STAFF
    staff_thread = thread(snap, Channel.DISCUSSION, 302)
    as_staff = replace(staff_thread, association="MEMBER")
    assert take_in(as_staff, config, snap).reason == "posted by staff, not a customer"
    closed = replace(staff_thread, state="closed")
    assert take_in(closed, config, snap).action == "skipped"


def test_personal_data_is_redacted_from_what_we_keep(snap: SnapshotGitHub, config: Config) -> None:
    result = take_in(thread(snap, Channel.DISCUSSION, 303), config, snap)
    assert "+44" not in result.excerpt and "pete@example.com" not in result.excerpt
    assert "[phone removed]" in result.excerpt and "[email removed]" in result.excerpt


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to a.b@example.org today", "write to [email removed] today"),
        ("call +1 (555) 123-4567", "call [phone removed]"),
        ("version 4.12.1, 2026-01-02, order 123456789", "version 4.12.1, 2026-01-02, order 123456789"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_normalize_strips_bidi_and_caps_length() -> None:
    out = normalize("a\u202eb" + "x" * 100, 20)
    assert out.startswith("abxxx") and "\u202e" not in out and out.endswith("(cut; the full text is on the thread)")


class FlakyPost(SnapshotGitHub):
    """A 502 after the write took effect, or before it: the two ambiguous cases."""

    landed = True

    def post_comment(self, ref: ThreadRef, body: str) -> Reply:
        if self.landed:
            super().post_comment(ref, body)
        raise AmbiguousWriteError("502 Bad Gateway")


def test_an_ambiguous_failure_after_the_write_landed_is_reconciled_not_reposted(
    snap: SnapshotGitHub, config: Config
) -> None:
    flaky = FlakyPost(snap.root, snap.meta)
    result = take_in(thread(snap, Channel.ISSUE, 201), config, flaky)
    assert result.action == "posted" and "confirmed by reading back" in result.reason
    assert len(bot_comments(snap, Channel.ISSUE, 201)) == 1


def test_an_ambiguous_failure_that_did_not_land_is_transient(snap: SnapshotGitHub, config: Config) -> None:
    flaky = FlakyPost(snap.root, snap.meta)
    flaky.landed = False
    with pytest.raises(TransientError):
        take_in(thread(snap, Channel.ISSUE, 201), config, flaky)
    assert bot_comments(snap, Channel.ISSUE, 201) == []
    assert take_in(thread(snap, Channel.ISSUE, 201), config, snap).action == "posted"  # the next run finishes


def test_a_thread_deleted_mid_run_is_skipped(snap: SnapshotGitHub, config: Config) -> None:
    stale = thread(snap, Channel.ISSUE, 202)
    (snap.root / "issues" / "202.json").unlink()
    [outcome] = take_in_all([stale], config, snap)
    assert outcome.action == "skipped" and "deleted" in outcome.reason


def test_the_reply_echoes_no_user_text(snap: SnapshotGitHub, config: Config) -> None:
    take_in(thread(snap, Channel.DISCUSSION, 303), config, snap)
    [comment] = bot_comments(snap, Channel.DISCUSSION, 303)
    assert "Bank feed" not in comment.body and "@pete-mcgrath" in comment.body
