"""The search index: finds what is alike, scores in [0, 1], updates and removes by id, persists in a folder."""

from __future__ import annotations

from pathlib import Path

from crowdcare.search_index import IndexedDoc, SearchIndex

DOCS = [
    IndexedDoc("a", "Bank feed stopped updating", "Transactions have not come through for a week."),
    IndexedDoc("b", "Invoice numbering starts at 1", "I want my invoice numbers to continue from my old system."),
    IndexedDoc("c", "Refund part of an invoice", "A customer returned two items.", kind="solution"),
]


def test_finds_the_most_similar_and_says_which_terms_matched() -> None:
    index = SearchIndex()
    index.add(DOCS)
    [best, *_] = index.similar("my bank feed is not updating any more")
    assert best.id == "a" and 0 < best.score <= 1
    assert "feed" in best.terms and "bank" in best.terms


def test_identical_text_scores_one_and_exclude_leaves_the_item_out() -> None:
    index = SearchIndex()
    index.add(DOCS)
    assert index.similar(DOCS[0].title, DOCS[0].body)[0].score == 1.0
    assert all(h.id != "a" for h in index.similar(DOCS[0].title, DOCS[0].body, exclude="a"))


def test_update_replaces_by_id_and_remove_deletes(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.add(DOCS)
    index.add([IndexedDoc("a", "Password reset link expired", "")])
    assert len(index) == 3
    assert index.similar("bank feed stopped") == [] or index.similar("bank feed stopped")[0].id != "a"
    index.remove(["b"])
    assert len(index) == 2
    index.close()
    reopened = SearchIndex(tmp_path / "ix")
    assert len(reopened) == 2 and reopened.similar("password reset")[0].id == "a"


def test_empty_queries_find_nothing() -> None:
    index = SearchIndex()
    index.add(DOCS)
    assert index.similar("the and of") == []
