"""The search index: finds what is alike, scores in [0, 1], updates and removes by id, persists in a folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crowdcare.core.model import IndexEntry
from crowdcare.similarity.search_index import SearchIndex

DOCS = [
    IndexEntry("a", "Bank feed stopped updating", "Transactions have not come through for a week."),
    IndexEntry("b", "Invoice numbering starts at 1", "I want my invoice numbers to continue from my old system."),
    IndexEntry("c", "Refund part of an invoice", "A customer returned two items.", kind="solution"),
]


def test_finds_the_most_similar_and_says_which_terms_matched() -> None:
    index = SearchIndex()
    index.add(DOCS)
    [best, *_] = index.similar("my bank feed is not updating any more")
    assert best.id == "a" and 0 < best.score <= 1
    assert "feed" in best.terms and "bank" in best.terms


def test_matched_terms_are_those_that_carry_the_score_not_every_shared_word() -> None:
    index = SearchIndex()
    index.add(
        [IndexEntry("pw", "How do I give my accountant access without sharing my password?", "")]
        + [IndexEntry(f"x{n}", f"How do I {verb} my {thing}?", "") for n, (verb, thing) in enumerate(PAIRS)]
    )
    [best, *_] = index.similar("How do I reset my password?")
    assert best.id == "pw"
    assert best.terms[0] == "password"
    assert not {"how", "do", "my"} & set(best.terms)  # in every document: too little weight to have mattered


PAIRS = [
    (verb, thing)
    for verb in ("close", "print", "add", "change", "delete")
    for thing in ("account", "invoices", "users", "currency")
]


def test_identical_text_scores_one_and_exclude_leaves_the_item_out() -> None:
    index = SearchIndex()
    index.add(DOCS)
    assert index.similar(DOCS[0].title, DOCS[0].body)[0].score == 1.0
    assert all(h.id != "a" for h in index.similar(DOCS[0].title, DOCS[0].body, exclude="a"))


def test_update_replaces_by_id_and_remove_deletes(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.add(DOCS)
    index.add([IndexEntry("a", "Password reset link expired", "")])
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


def test_in_memory_indexes_in_parallel_processes_do_not_collide(tmp_path: Path) -> None:
    """whoosh routes in-memory segments through a temp folder named after the index; with one shared name,
    parallel processes (pytest -n 2, a bench beside a sweep) deleted each other's files."""
    import subprocess
    import sys

    script = (
        "from crowdcare.core.model import IndexEntry\n"
        "from crowdcare.similarity.search_index import SearchIndex\n"
        "for n in range(15):\n"
        "    ix = SearchIndex()\n"
        "    ix.add(IndexEntry(f'{n}-{i}', f'title {i} words', 'body text ' * 20) for i in range(200))\n"
        "    ix.close()\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors


def test_scores_after_incremental_updates_equal_a_fresh_build(tmp_path: Path) -> None:
    """Replaced documents must not linger in the term statistics."""
    cached = SearchIndex(tmp_path / "ix")
    cached.sync([IndexEntry(d.id, d.title + " with an old longer text about feeds and banks", d.body) for d in DOCS])
    cached.sync(DOCS)
    fresh = SearchIndex()
    fresh.add(DOCS)
    query = "bank feed not updating"
    assert [(h.id, h.score) for h in cached.similar(query)] == [(h.id, h.score) for h in fresh.similar(query)]


def test_words_two_texts_share_outweigh_one_rare_word() -> None:
    """The score damps IDF: "virtual card has not arrived" is nearer a card that has not arrived than a virtual
    statement. With the full IDF the one rare shared word ("virtual") won."""
    index = SearchIndex()
    index.add(
        IndexEntry(
            f"f{n}", f"question {n}: my card has not arrived" if n < 10 else f"question {n}: where's my statement"
        )
        for n in range(40)
    )
    index.add(
        [IndexEntry("rare", "Virtual statement export"), IndexEntry("shared", "The card I ordered has not arrived")]
    )
    scores = {h.id: h.score for h in index.similar("Virtual card has not arrived", limit=50)}
    assert scores["shared"] > scores["rare"]


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncate", "its files are not those the last write left"),
        ("commit without manifest", "its files are not those the last write left"),
        ("manifest", "its manifest is not JSON"),
        ("no manifest", "no manifest beside it"),
        ("old manifest", "written by another version of crowdcare"),
    ],
)
def test_a_damaged_folder_index_starts_afresh_and_says_why(tmp_path: Path, damage: str, reason: str) -> None:
    folder = tmp_path / "ix"
    index = SearchIndex(folder)
    index.sync(DOCS)
    index.close()
    (folder / "notes.txt").write_text("a user's file in the cache folder")
    manifest = folder / "crowdcare-manifest.json"
    if damage == "truncate":
        for segment in folder.glob("*.seg"):
            segment.write_bytes(segment.read_bytes()[:50])
    elif damage == "commit without manifest":  # a crash after whoosh's commit, before the manifest is renewed
        from whoosh import index as whoosh_index

        with whoosh_index.open_dir(str(folder)).writer() as writer:
            writer.delete_by_term("id", "a")
    elif damage == "manifest":
        manifest.write_text('{"version": 2, "documents"')
    elif damage == "no manifest":
        manifest.unlink()
    else:
        manifest.write_text(json.dumps({doc.id: "0" * 64 for doc in DOCS}))  # crowdcare 0.1's manifest
    reopened = SearchIndex(folder)
    assert reopened.damage is not None and reason in reopened.damage
    assert len(reopened) == 0, "a damaged cache is never searched"
    assert reopened.sync(DOCS) == (3, 0)
    fresh = SearchIndex()
    fresh.add(DOCS)
    assert [(h.id, h.score) for h in reopened.similar("bank feed")] == [
        (h.id, h.score) for h in fresh.similar("bank feed")
    ]
    assert (folder / "notes.txt").read_text() == "a user's file in the cache folder", "only whoosh's files go"
    reopened.close()
    healthy = SearchIndex(folder)
    assert healthy.damage is None and len(healthy) == 3 and healthy.sync(DOCS) == (0, 0)


def test_postings_read_by_block_are_whooshs_own() -> None:
    """The first stage reads postings a block at a time from whoosh's arrays: over several segments (and blocks of
    more than one posting) they are exactly what whoosh's own matchers yield, and the lengths read at once are
    whoosh's own, document by document."""
    from crowdcare.core.model import IndexEntry
    from crowdcare.similarity.postings import field_lengths, postings
    from crowdcare.similarity.search_index import SearchIndex

    index = SearchIndex()
    for batch in range(3):  # three writes: three segments
        index.add(
            [
                IndexEntry(f"d{batch}-{n}", f"bank feed {n % 7} export", "invoice " * (n % 3) + f"word{n % 11}")
                for n in range(300)
            ]
        )
    reader = index._searcher.reader()
    assert len(reader.leaf_readers()) > 1
    for stem in ("bank", "feed", "invoic", "word3", "export", "absent"):
        expected = sorted(
            (d, float(f)) for d, f in (reader.postings("text", stem).items_as("frequency") if stem != "absent" else ())
        )
        read = [(int(d), float(f)) for ids, fs in postings(reader, stem) for d, f in zip(ids, fs, strict=True)]
        assert sorted(read) == expected, stem
    lengths = field_lengths(reader, "text")
    assert list(lengths) == [reader.doc_field_length(n, "text", 0) or 0 for n in range(reader.doc_count_all())]
