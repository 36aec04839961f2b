"""Buckets: solutions count their threads, open questions cluster into pending buckets, largest first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from crowdcare.buckets import pending_buckets
from crowdcare.cli import cli
from crowdcare.model import Channel, PersonRef, Thread, ThreadRef
from tests.conftest import REPO_ROOT


def question(n: int, title: str, body: str = "") -> Thread:
    return Thread(ThreadRef(Channel.DISCUSSION, n), title, body, PersonRef(f"p{n}"), f"https://github.com/a/b/discussions/{n}",
                  f"2026-11-{n:02d}T00:00:00Z", f"2026-11-{n:02d}T00:00:00Z", category="Q&A")  # fmt: skip


def test_the_same_question_asked_three_ways_is_one_pending_bucket() -> None:
    threads = [
        question(1, "Bank feed stopped importing transactions", "My bank feed stopped importing transactions."),
        question(2, "How do I change my invoice logo?", "Where do I upload a new logo for invoices?"),
        question(3, "Bank feed stopped importing", "The bank feed stopped importing transactions yesterday."),
        question(4, "bank feed not importing transactions", "bank feed stopped importing transactions"),
    ]
    groups = pending_buckets(threads, 0.4)
    assert sorted(sorted(t.ref.number for t in g) for g in groups) == [[1, 3, 4], [2]]


def test_a_shared_boilerplate_sentence_does_not_make_a_bucket() -> None:
    signoff = "I've looked in the help centre but couldn't find it. Thanks for any pointers."
    threads = [
        question(1, "Webhook signatures fail after rotating the secret", signoff),
        question(2, "Can I cancel my plan and keep read-only access?", signoff),
        question(3, "Quotes expire too early", signoff),
        question(4, "Webhook signature check fails since I rotated the secret", signoff),
    ]
    groups = pending_buckets(threads, 0.2)
    assert sorted(sorted(t.ref.number for t in g) for g in groups) == [[1, 4], [2], [3]]


def test_background_texts_teach_which_words_are_everyday() -> None:
    """Alone, two questions sharing "how do I ... my account" look alike; a community where every other thread
    says so knows those words tell nothing."""
    threads = [
        question(1, "How do I add a second bank account?"),
        question(2, "How do I close my account?"),
    ]
    assert len(pending_buckets(threads, 0.2)) == 1
    everyday = [(f"How do I {verb} my account?", "") for verb in ("rename", "export", "share", "back up", "audit")]
    assert len(pending_buckets(threads, 0.2, background=everyday * 4)) == 2


def test_the_command_lists_solutions_and_pending_buckets_largest_first(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "samples" / "snapshot", tmp_path / "snap")
    result = CliRunner().invoke(
        cli, ["--root", str(REPO_ROOT), "buckets", "--snapshot", str(tmp_path / "snap"), "--json", "--limit", "0"]
    )
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [b["size"] for b in found] == sorted((b["size"] for b in found), reverse=True)
    kinds = {b["kind"] for b in found}
    assert kinds == {"solution", "pending"}
    assert sum(b["kind"] == "solution" for b in found) == len(list((REPO_ROOT / "kb").rglob("*.md")))
    pending = [b for b in found if b["kind"] == "pending"]
    assert all(b["threads"] and b["key"].startswith(("issue #", "discussion #")) for b in pending)
    # The sample's three webhook questions, worded differently, are one bucket; the questions that share only
    # "I've looked in the help centre" stay apart.
    [largest] = [b for b in pending if b["size"] > 1]
    assert sorted(largest["threads"]) == [
        f"https://github.com/fernhill-sample/tallybook-community/discussions/{n}" for n in (345, 357, 358)
    ]
    assert not (tmp_path / "snap" / "outbox.jsonl").exists()  # it only reads
