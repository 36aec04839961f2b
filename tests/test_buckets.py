"""Buckets: the online rule (against its definition computed the slow way), solutions count their threads, open
questions cluster into pending buckets, largest first."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.core.model import Channel, IndexEntry, PersonRef, Thread, ThreadRef
from crowdcare.similarity import buckets as buckets_module
from crowdcare.similarity.buckets import Buckets, pending_buckets, shared_words
from crowdcare.similarity.search_index import stems_of
from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT


def brute_force_buckets(texts: list[Counter[str]], threshold: float) -> list[int]:
    """Buckets' definition computed the slow way: every bucket's summed unit vectors, compared with every text."""
    df: Counter[str] = Counter()
    sums: list[Counter[str]] = []
    found = []
    for seen, stems in enumerate(texts, 1):
        df.update(stems.keys())
        vector = {t: (1 + math.log(n)) * math.log(1 + (seen + 1) / (df[t] + 1)) for t, n in stems.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        vector = {t: w / norm for t, w in vector.items()}

        def cosine(total: Counter[str], vector: dict[str, float] = vector) -> float:
            dot = sum(w * total[t] for t, w in vector.items())
            return dot / math.sqrt(sum(w * w for w in total.values()))

        scored = [(cosine(total), -b) for b, total in enumerate(sums)]
        best = max(scored, default=(0.0, 0))
        bucket = -best[1] if scored and best[0] >= threshold else len(sums)
        if bucket == len(sums):
            sums.append(Counter())
        sums[bucket].update(vector)
        found.append(bucket)
    return found


MANY = [
    stems_of(IndexEntry(str(n), title))
    for n, title in enumerate(
        f"{a} {b} {c}"
        for a in ("card", "my card", "new card", "the virtual card")
        for b in ("has not arrived", "was declined", "is blocked", "shows a pending payment")
        for c in ("", "since Friday", "at the shop", "please help, this is urgent")
    )
]


@pytest.mark.parametrize("threshold", [0.2, 0.4, 0.6])
def test_buckets_equal_the_slow_computation_of_their_definition(threshold: float) -> None:
    buckets = Buckets(threshold)
    assert [buckets.join(stems) for stems in MANY] == brute_force_buckets(MANY, threshold)
    assert 1 < len(buckets) < len(MANY)


def test_buckets_skip_common_terms_past_the_budget_and_still_find_the_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no budget only a text's two rarest terms in any bucket find candidates; the best candidates' scores
    are completed with the skipped terms, so the buckets come out as with the whole computation."""
    texts = [
        stems_of(IndexEntry(str(n), t))
        for n, t in enumerate(
            ["virtual card arrived"] * 3 + ["card declined at the shop"] * 3 + ["virtual card arrived at the shop"]
        )
    ]
    whole = Buckets(0.4)
    expected = [whole.join(stems) for stems in texts]
    assert expected == [0, 0, 0, 1, 1, 1, 0]
    monkeypatch.setattr(buckets_module, "BUCKET_POSTINGS", 0)
    budgeted = Buckets(0.4)
    assert [budgeted.join(stems) for stems in texts] == expected


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


def test_a_bucket_says_which_telling_words_its_questions_share() -> None:
    group = [
        question(1, "Bank feed stopped importing", "Since Monday."),
        question(2, "My bank feed is not importing", "Please help."),
        question(3, "Feed import broken", "Since Monday."),
    ]
    everyday = [Counter({"bank": 1, "my": 1, "pleas": 1, "help": 1}) for _ in range(20)]
    corpus = everyday + [stems_of(IndexEntry("", t.title, t.body)) for t in group]
    shared = shared_words(group, Counter(term for stems in corpus for term in stems), len(corpus))
    assert shared[0] == "feed"  # all three, and rare in the corpus
    assert "import" in shared and "mondai" in shared and "bank" in shared  # stems, as `similar` shows them
    assert shared.index("bank") > shared.index("mondai"), "everyday words rank after telling ones"
    assert "pleas" not in shared and "broken" not in shared, "one question's words are not the bucket's"


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
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    result = CliRunner().invoke(
        cli, ["--root", str(COMMUNITY), "buckets", "--snapshot", str(tmp_path / "snap"), "--json", "--limit", "0"]
    )
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [b["size"] for b in found] == sorted((b["size"] for b in found), reverse=True)
    kinds = {b["kind"] for b in found}
    assert kinds == {"solution", "pending"}
    assert sum(b["kind"] == "solution" for b in found) == len(list((COMMUNITY / "kb").rglob("*.md")))
    pending = [b for b in found if b["kind"] == "pending"]
    assert all(b["threads"] and b["key"].startswith(("issue #", "discussion #")) for b in pending)
    # The sample's three webhook questions, worded differently, are one bucket; the questions that share only
    # "I've looked in the help centre" stay apart.
    [largest] = [b for b in pending if b["size"] > 1]
    assert {"webhook", "secret"} <= set(largest["shared"]) and all(b["shared"] == [] for b in pending if b["size"] == 1)
    assert sorted(largest["threads"]) == [
        f"https://github.com/fernhill-sample/tallybook-community/discussions/{n}" for n in (345, 357, 358)
    ]
    assert not (tmp_path / "snap" / "outbox.jsonl").exists()  # it only reads
