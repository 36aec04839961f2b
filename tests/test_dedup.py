"""Answer at once: suggestions from the knowledge base in the intake reply, precision first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli import cli
from crowdcare.dedup import kb_entries, render_suggestions, suggest
from crowdcare.intake import SUGGESTIONS_END, SUGGESTIONS_START
from crowdcare.model import Channel, Content, ThreadRef
from crowdcare.search_index import SearchIndex
from crowdcare.store import load_content
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO_ROOT)


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
    related = float(content.config.duplicates["related_threshold"])  # type: ignore[union-attr,arg-type]
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
    vague = [s for s in suggest(index, "transactions twice", "", content) if not s.is_duplicate]
    assert all("This looks like" not in render_suggestions([s]) for s in vague)


def test_the_intake_reply_carries_the_suggestions(tmp_path: Path) -> None:
    snapshot = tmp_path / "snap"
    shutil.copytree(REPO_ROOT / "samples" / "snapshot", snapshot)
    result = CliRunner().invoke(cli, ["--root", str(REPO_ROOT), "intake", "--snapshot", str(snapshot), "--all"])
    assert result.exit_code == 0, result.output
    thread = SnapshotGitHub.open(snapshot).get_thread(ThreadRef(Channel.DISCUSSION, 303))
    assert thread is not None
    [reply] = [r for r in thread.replies if SUGGESTIONS_START in r.body]
    section = reply.body.split(SUGGESTIONS_START)[1].split(SUGGESTIONS_END)[0]
    assert "Transactions appear twice after importing a statement" in section


def test_search_and_similar_commands(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--root", str(REPO_ROOT), "similar", "--title", "My bank feed stopped updating", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "kb/bank-feeds/bank-feed-stopped-updating.md" and rows[0]["score"] > 0.5
    assert "bank" in rows[0]["terms"]
    result = CliRunner().invoke(cli, ["--root", str(REPO_ROOT), "search", "receipts phone", "--limit", "3"])
    assert result.exit_code == 0 and "Snapping receipts with my phone" in result.stdout
