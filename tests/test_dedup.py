"""Answer at once: suggestions from the knowledge base in the intake reply, precision first."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from crowdcare.core.markers import SUGGESTIONS_END, SUGGESTIONS_START
from crowdcare.core.model import Channel, SearchHit, ThreadRef
from crowdcare.core.repository import Content
from crowdcare.core.settings import DuplicatesConfig, SemanticConfig
from crowdcare.similarity.dedup import (
    DUPLICATE_THRESHOLD,
    RELATED_THRESHOLD,
    SEMANTIC_DUPLICATE_THRESHOLD,
    SEMANTIC_RELATED_THRESHOLD,
    Catalog,
    Suggestion,
    kb_entries,
    refresh_catalog,
    render_suggestions,
    suggest,
    thread_entries,
    thresholds,
)
from crowdcare.similarity.search_index import SearchIndex
from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT
from tests.test_respond import BOT, discussion, iso


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(COMMUNITY)


@pytest.fixture(scope="module")
def index(content: Content) -> SearchIndex:
    built = SearchIndex()
    built.add(kb_entries(content))
    return built


def test_a_reworded_question_finds_its_solution_first(index: SearchIndex, content: Content) -> None:
    found = suggest(
        index, "How do I get a refund for part of an invoice?", "the customer sent back some items", content
    )
    assert found and found[0].title == "Refunding part of an invoice"
    assert found[0].url.endswith("/kb/invoicing/credit-note-refund/")


def test_an_unrelated_question_gets_no_suggestion(index: SearchIndex, content: Content) -> None:
    assert suggest(index, "Do you sponsor the local football team?", "Asking for our club's newsletter.", content) == []


def test_at_most_three_and_only_above_the_related_threshold(index: SearchIndex, content: Content) -> None:
    found = suggest(index, "bank feed bank account bank transactions", "", content)
    assert len(found) <= 3
    related = content.config.duplicates.related_threshold  # type: ignore[union-attr]
    assert all(s.hit.score >= related for s in found)


def test_only_a_match_above_the_duplicate_threshold_says_this_looks_like(index: SearchIndex, content: Content) -> None:
    exact = suggest(
        index,
        "My bank feed stopped updating",
        "Transactions from my business account haven't come through for a week.",
        content,
    )
    assert exact[0].is_duplicate
    assert render_suggestions(exact).startswith("**This looks like [My bank feed stopped updating]")
    assert re.search(
        r"crowdcare rule `duplicates.duplicate_threshold`: the match scored [01]\.\d\d;", render_suggestions(exact)
    )
    vague = [s for s in suggest(index, "transactions twice", "", content) if not s.is_duplicate]
    assert all("This looks like" not in render_suggestions([s]) for s in vague)


def test_the_intake_reply_carries_the_suggestions(tmp_path: Path) -> None:
    snapshot = tmp_path / "snap"
    shutil.copytree(COMMUNITY_SNAPSHOT, snapshot)
    result = CliRunner().invoke(cli, ["--root", str(COMMUNITY), "intake", "--snapshot", str(snapshot), "--all"])
    assert result.exit_code == 0, result.output
    thread = SnapshotGitHub.open(snapshot).get_thread(ThreadRef(Channel.DISCUSSION, 303))
    assert thread is not None
    [reply] = [r for r in thread.replies if SUGGESTIONS_START in r.body]
    section = reply.body.split(SUGGESTIONS_START)[1].split(SUGGESTIONS_END)[0]
    assert "Transactions appear twice after importing a statement" in section


def test_search_and_similar_commands(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--root", str(COMMUNITY), "similar", "--title", "My bank feed stopped updating", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "kb/bank-feeds/bank-feed-stopped-updating.md" and rows[0]["score"] > 0.5
    assert "bank" in rows[0]["terms"]
    result = CliRunner().invoke(cli, ["--root", str(COMMUNITY), "search", "receipts phone", "--limit", "3"])
    assert result.exit_code == 0 and "Snapping receipts with my phone" in result.stdout


# --- open questions: the catalog the index holds beside the knowledge base ---------------------------------------

BILLING = "Can I change the currency on an invoice I already sent to a client abroad?"


def _open(snap: SnapshotGitHub, number: int, title: str, hours: float, **extra: Any) -> None:
    times = {"createdAt": iso(hours), "updatedAt": iso(hours), **extra}
    discussion(snap, number, title=title, body="The client pays in euros.", **times)


def test_the_catalog_keeps_open_questions_and_drops_closed_ones(tmp_path: Path, content: Content) -> None:
    assert content.config is not None
    snap = SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)
    _open(snap, 1, BILLING, 1)
    _open(snap, 2, "Dark mode for the dashboard", 2, category={"name": "Ideas"})  # an idea: not a question
    _open(snap, 3, "Where is the VAT report?", 3)
    catalog = refresh_catalog(Catalog({}), snap.threads_updated_since(None), content.config)
    assert sorted(t.ref for t in catalog.threads.values()) == ["discussion #1", "discussion #3"]
    assert catalog.synced_at == iso(3)
    # Later: #3 is closed, #4 asked. Only threads updated since the last refresh are read.
    _open(snap, 3, "Where is the VAT report?", 3, closed=True, updatedAt=iso(5))
    _open(snap, 4, "Invoice currency for a foreign client", 6)
    updated = list(snap.threads_updated_since(catalog.synced_at))
    assert {str(t.ref) for t in updated} == {"discussion #3", "discussion #4"}
    catalog = refresh_catalog(catalog, updated, content.config)
    assert sorted(t.ref for t in catalog.threads.values()) == ["discussion #1", "discussion #4"]
    assert catalog.synced_at == iso(6)
    assert {e.kind for e in thread_entries(catalog)} == {"thread"}


def test_an_earlier_open_question_is_suggested_but_never_claimed_for_a_fold(tmp_path: Path, content: Content) -> None:
    assert content.config is not None
    snap = SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)
    _open(snap, 1, BILLING, 1)
    _open(snap, 2, BILLING, 2)  # the same question, asked again later
    catalog = refresh_catalog(Catalog({}), snap.threads_updated_since(None), content.config)
    index = SearchIndex()
    index.add(kb_entries(content) + thread_entries(catalog))
    first, second = (snap.get_thread(ThreadRef(Channel.DISCUSSION, n)) for n in (1, 2))
    assert first is not None and second is not None
    [found] = suggest(index, second.title, second.body, content, catalog=catalog, asking=second)
    assert found.url == first.url and found.is_duplicate and found.key == ""
    text = render_suggestions([found])
    assert text.startswith("**This looks like the same question as [") and "crowdcare:claim" not in text
    # The earlier question never gets the later one (nor itself) as a match.
    assert suggest(index, first.title, first.body, content, catalog=catalog, asking=first) == []
    # A match GitHub says is closed now is not offered.
    closed = suggest(index, second.title, second.body, content, catalog=catalog, asking=second,
                     still_open=lambda t: False)  # fmt: skip
    assert closed == []


def test_answers_and_earlier_questions_are_listed_apart() -> None:
    answer = Suggestion(SearchHit("kb/a/b.md", "solution", 0.5, 1.0, ()), "Fix it", "https://x/a", False, "a/b")
    thread = Suggestion(SearchHit("https://g/1", "thread", 0.5, 1.0, ()), "Same <b>", "https://g/1", False)
    text = render_suggestions([answer, thread])
    assert text.index("knowledge base may help") < text.index("- [Fix it]") < text.index("Others asked")
    assert "<b>" not in text and "crowdcare:claim" not in text


def test_a_solution_is_found_by_every_way_it_was_asked_and_offered_once(content: Content) -> None:
    """asked_as: the titles of threads folded into a solution's bucket, each indexed as a wording of its own."""
    wording = "Reconcile button greyed out after the statement upload"
    target = next(s for s in content.solutions if s.key == "bank-feeds/bank-feed-stopped-updating")
    plain = SearchIndex()
    plain.add(kb_entries(content))
    assert all(s.key != target.key for s in suggest(plain, wording, "", content))
    taught = dataclasses.replace(content, solutions=tuple(
        dataclasses.replace(s, asked_as=(wording, wording + " again")) if s.key == target.key else s
        for s in content.solutions
    ))  # fmt: skip
    index = SearchIndex()
    index.add(kb_entries(taught))
    found = suggest(index, wording, "", taught)
    assert found[0].key == target.key and found[0].is_duplicate and found[0].title == target.title
    assert [s.key for s in found].count(target.key) == 1


def test_semantic_matching_without_thresholds_of_its_own_uses_the_semantic_defaults(content: Content) -> None:
    """Its combined score runs higher: the lexical 0.25 would list noise in every reply."""
    config = content.config
    assert config is not None
    on = dataclasses.replace(config, duplicates=DuplicatesConfig(semantic=SemanticConfig(enabled=True)))
    assert thresholds(on) == (SEMANTIC_RELATED_THRESHOLD, SEMANTIC_DUPLICATE_THRESHOLD)
    assert thresholds(dataclasses.replace(config, duplicates=DuplicatesConfig())) == (
        RELATED_THRESHOLD,
        DUPLICATE_THRESHOLD,
    )
    assert SEMANTIC_RELATED_THRESHOLD > RELATED_THRESHOLD
