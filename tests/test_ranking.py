"""One score ranks and is shown; ideas are in the similarity index; the reply offers the best matches, solutions
before open questions at near-equal scores, and a new idea hears of the ideas it resembles, with their status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from crowdcare.core.model import Channel, SearchHit, ThreadRef
from crowdcare.core.repository import Content
from crowdcare.similarity.dedup import (
    NEAR,
    Catalog,
    OpenThread,
    idea_status_words,
    kb_entries,
    refresh_catalog,
    similar_ideas,
    suggest,
    thread_entries,
    thread_suggestions,
)
from crowdcare.similarity.search_index import SearchIndex
from tests.builders import copy_community
from tests.test_respond import BOT, discussion, iso

CHATTER = "I've looked in the help centre but couldn't find it. Thanks for any pointers."


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Content:
    return load_content(copy_community(tmp_path_factory.mktemp("c") / "repo"))


@pytest.fixture(scope="module")
def index(content: Content) -> SearchIndex:
    built = SearchIndex()
    built.add(kb_entries(content))
    return built


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("How do I undo a reconciliation?", ""),
        ("Bank feed stopped", "Nothing imported since Monday, the bank changed its app. " + CHATTER),
        ("dark mode", ""),
        ("invoice", "currency euros client abroad refund credit note " * 5),
    ],
)
def test_every_list_is_in_the_order_of_the_score_it_shows(index: SearchIndex, title: str, body: str) -> None:
    hits = index.similar(title, body, limit=20)
    assert hits and all(0 <= h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_the_cli_lists_ideas_and_solutions_by_the_score_shown(tmp_path: Path) -> None:
    root = copy_community(tmp_path / "repo")
    result = CliRunner().invoke(
        cli, ["--root", str(root), "similar", "--title", "Dark mode for the web app please", "--json", "--limit", "8"],
        env={"CROWDCARE_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["kind"] == "idea" and rows[0]["id"] == "ideas/dark-mode.md" and "in progress" in rows[0]["title"]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert len({r["id"] for r in rows}) == len(rows), "an idea and its merged duplicate are one row"
    found = CliRunner().invoke(cli, ["--root", str(root), "search", "please add a dark theme", "--json"],
                               env={"CROWDCARE_CACHE_DIR": str(tmp_path / "cache")})  # fmt: skip
    first = json.loads(found.stdout)[0]
    assert first["id"] == "ideas/dark-mode.md", "a merged duplicate's wording finds the idea it was merged into"


def test_a_questions_chatter_does_not_hide_the_solution(tmp_path: Path, content: Content) -> None:
    """#330 in the sample: open questions sharing a sign-off outscored the solution the question is about."""
    assert content.config is not None
    snap = SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)
    others = ["How do I send a reminder for an overdue invoice?", "How do I add a second bank account?",
              "How do I record a refund to a customer?", "How do I give my accountant read-only access?"]  # fmt: skip
    for number, title in enumerate(others, 1):
        discussion(snap, number, title=title, body=f"{title} {CHATTER}", createdAt=iso(number), updatedAt=iso(number))
    asked = "How do I undo a reconciliation?"
    discussion(snap, 9, title=asked, body=f"{asked} {CHATTER}", createdAt=iso(9), updatedAt=iso(9))
    catalog = refresh_catalog(Catalog({}), snap.threads_updated_since(None), content.config)
    index = SearchIndex()
    index.add(kb_entries(content) + thread_entries(catalog))
    thread = snap.get_thread(ThreadRef(Channel.DISCUSSION, 9))
    assert thread is not None
    found = suggest(index, thread.title, thread.body, content, catalog=catalog, asking=thread)
    assert found and found[0].key == "bank-feeds/undo-reconciliation"


class FixedIndex:
    """A similarity index that returns the hits it was given (the ordering rule is the suggest step's)."""

    def __init__(self, hits: list[SearchHit]) -> None:
        self.hits = hits

    def similar(self, title: str, body: str = "", *, limit: int = 10, exclude: str | None = None) -> list[SearchHit]:
        return self.hits[:limit]


def test_a_solution_comes_before_an_open_question_at_near_equal_scores(content: Content) -> None:
    solution = next(s for s in content.solutions if s.key == "bank-feeds/undo-reconciliation")
    other = next(s for s in content.solutions if s.key != solution.key and s.superseded_by is None)
    threads = {
        url: OpenThread(url, f"discussion #{n}", f"Q{n}", "", iso(0), iso(0))
        for n, url in ((1, "https://github.com/a/b/discussions/1"), (2, "https://github.com/a/b/discussions/2"))
    }
    catalog = Catalog(threads)
    near = [
        SearchHit("https://github.com/a/b/discussions/1", "thread", 0.80, 1.0, ()),
        SearchHit(solution.path, "solution", 0.80 - NEAR + 0.01, 1.0, ()),
        SearchHit("https://github.com/a/b/discussions/2", "thread", 0.60, 1.0, ()),
    ]
    found = suggest(FixedIndex(near), "q", "", content, catalog=catalog)
    assert [f.key or f.url for f in found] == [solution.key, *list(threads)[:2]]
    apart = [SearchHit("https://github.com/a/b/discussions/1", "thread", 0.90, 1.0, ()),
             SearchHit(other.path, "solution", 0.80, 1.0, ())]  # fmt: skip
    assert [f.key or "thread" for f in suggest(FixedIndex(apart), "q", "", content, catalog=catalog)] == [
        "thread", other.key]  # fmt: skip


def test_a_new_idea_hears_of_the_ideas_it_resembles_with_their_status(tmp_path: Path, content: Content) -> None:
    snap = SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)
    discussion(snap, 1, title="Dark mode for the web app please", body="My eyes hurt at night.",
               category={"name": "Ideas"})  # fmt: skip
    discussion(snap, 2, title="Pay invoices in bitcoin or other cryptocurrency", body="", category={"name": "Ideas"})
    index = SearchIndex()
    index.add(kb_entries(content))
    dark, crypto = (snap.get_thread(ThreadRef(Channel.DISCUSSION, n)) for n in (1, 2))
    assert dark is not None and crypto is not None
    matches = similar_ideas(index, dark, content)
    assert matches[0].idea.slug == "dark-mode" and matches[0].is_duplicate
    reply = thread_suggestions(index, dark, content)
    assert reply.startswith("**This looks like [Dark mode for the web app](") and "vote there" in reply
    assert "in progress" in reply and "<!-- crowdcare:claim idea=dark-mode -->" in reply
    assert "crowdcare rule `duplicates.duplicate_threshold`" in reply  # a claim says which rule made it
    declined = thread_suggestions(index, crypto, content)
    assert "Accept cryptocurrency payments on invoices" in declined and "declined: " in declined
    # Questions are not offered ideas.
    question = suggest(index, "Dark mode for the web app", "", content)
    assert all(s.hit.kind != "idea" for s in question)


def test_status_in_words(content: Content) -> None:
    by_slug = {i.slug: i for i in content.ideas}
    assert idea_status_words(by_slug["split-payments-between-invoices"]) == "shipped in 4.11"
    assert idea_status_words(by_slug["crypto-payments"]).startswith("declined: ")
    assert idea_status_words(by_slug["api-webhooks-for-payments"]) == "open for votes"
    assert idea_status_words(by_slug["customer-portal"]) == "planned"


def test_the_sample_snapshot_question_330_is_offered_its_solution_first(tmp_path: Path) -> None:
    """The sample community as shipped (skipped once a team replaces it with its own)."""
    from tests.conftest import REPO_ROOT

    sample = REPO_ROOT / "samples" / "snapshot" / "discussions" / "330.json"
    if not sample.exists() or not (REPO_ROOT / "kb" / "bank-feeds" / "undo-reconciliation.md").exists():
        pytest.skip("the shipped sample community was replaced")
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("crowdcare.yml", "kb", "ideas"):
        source = REPO_ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    shutil.copytree(REPO_ROOT / "samples" / "snapshot", tmp_path / "snap")
    content = load_content(root)
    snap = SnapshotGitHub.open(tmp_path / "snap", viewer="tallybook-bot")
    assert content.config is not None
    catalog = refresh_catalog(Catalog({}), snap.threads_updated_since(None), content.config)
    index = SearchIndex()
    index.add(kb_entries(content) + thread_entries(catalog))
    thread = snap.get_thread(ThreadRef(Channel.DISCUSSION, 330))
    assert thread is not None
    found = suggest(index, thread.title, thread.body, content, catalog=catalog, asking=thread)
    assert found[0].key == "bank-feeds/undo-reconciliation"
