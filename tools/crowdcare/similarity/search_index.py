"""The full-text index, behind one module so whoosh can be swapped (ARCHITECTURE.md, Facts: Whoosh-Reloaded
2.7.5, pinned).

Retrieval is two-stage. First, BM25 over the query's rarest terms, read straight from whoosh's postings within a
budget of postings (whoosh's own OR query scored each posting through a tree of matchers: p95 146 ms at 100,000
documents; reading them and capping the common terms: 29 ms, recall unchanged on the bench files). Then the 50
candidates get one score, in [0, 1] so thresholds mean the same for every query, which both ranks them and is shown:

    score = w x cosine(TF-IDF) + (1 - w) x BM25(query, document) / BM25(query, query)      (capped at 1)

BM25 over all the query's terms, divided by what the query scores against itself, ranks short enquiries best;
the cosine's length normalisation ranks long reports best. ``w`` follows the query's length: COSINE_FLOOR for an
enquiry of up to 15 distinct stems, rising to 1 at 30 (see ``_cosine_share``). The floor was chosen on the tuning
half of the bench files (bench/README.md: tune on one half, report on the other).
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
import uuid
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from crowdcare.content.documents import write_atomically
from crowdcare.core.model import IndexEntry, SearchHit
from crowdcare.similarity.postings import best, codec, field_lengths, postings

ANALYZER = StemmingAnalyzer()
MAX_QUERY_TERMS = 8  # the rarest terms of a query; the rest add cost, not precision
MIN_QUERY_TERMS = 3
COMMON_SHARE = 0.10
CANDIDATES = 50
K1 = 1.2
B = 0.75
MAX_POSTINGS = 8_000  # postings the first stage reads at most (about 15 ms); the rarest terms come first
MIN_BUDGET_TERMS = 2  # ... but always the two rarest, whatever they cost


def analyze(text: str) -> list[str]:
    return [token.text for token in ANALYZER(text)]


def _stem_list(title: str, body: str) -> list[str]:
    """The stems of a title and body; the title counts twice, as in the indexed text."""
    return analyze(title) * 2 + analyze(body)


def stems_of(doc: IndexEntry) -> Counter[str]:
    """A document's stem counts, as ``similar`` compares them."""
    return Counter(_stem_list(doc.title, doc.body))


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        text=TEXT(analyzer=ANALYZER),  # the title twice, then the body: one field keeps queries short
        stems=STORED(),
    )


MANIFEST = "crowdcare-manifest.json"
MANIFEST_VERSION = 2
# What reading a damaged whoosh folder raised when we broke one on purpose (truncated or overwritten files).
_DAMAGE = (OSError, EOFError, ValueError, KeyError, IndexError, struct.error, zlib.error, whoosh_index.IndexError)


def _fingerprint(doc: IndexEntry) -> str:
    return hashlib.sha256(f"{doc.kind}\0{doc.title}\0{doc.body}".encode()).hexdigest()


def _whoosh_files(folder: Path) -> list[Path]:
    """whoosh's own files in a folder index (it names them after the index, "MAIN"); nothing else is touched."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(("MAIN_", "_MAIN_")))


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in _whoosh_files(folder) if p.name != "MAIN_WRITELOCK"
    }


class SearchIndex:
    """A whoosh index in a folder (kept between runs) or in memory.

    A folder index is a cache: beside whoosh's files a manifest records each document's fingerprint (so ``sync``
    writes only what changed) and a digest of every file whoosh wrote, renewed after each write. Files that do not
    match their digests (a crash between whoosh's commit and the manifest, a truncated copy, a cache restored from
    elsewhere) mean the index starts afresh, and ``damage`` says why: a damaged cache is rebuilt, never searched.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self.damage: str | None = None
        self._known: dict[str, str] = {}  # id -> fingerprint of what a folder index holds
        if folder is None:
            # A name of its own: whoosh writes an in-memory index's segments through a temp folder named after
            # the index ("/tmp/MAIN.tmp"), and two processes sharing it deleted each other's files.
            self._ix = RamStorage().create_index(_schema(), indexname=f"ram{uuid.uuid4().hex}")
        else:
            self._ix = self._open_folder(folder)
        self._searcher = self._ix.searcher()
        self._idf_cache: dict[str, float] = {}
        self._df_cache: dict[str, int] = {}
        self._avg_length: float | None = None
        self._norms: np.ndarray | None = None  # see _length_norms

    def _open_folder(self, folder: Path) -> Any:
        folder.mkdir(parents=True, exist_ok=True)
        if not _whoosh_files(folder):
            return self._create(folder)
        try:
            if not (folder / MANIFEST).is_file():
                raise ValueError("no manifest beside it")
            try:
                manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"its manifest is not JSON ({exc.msg})") from None
            if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
                raise ValueError("written by another version of crowdcare")
            documents, files = manifest.get("documents"), manifest.get("files")
            if not isinstance(documents, dict) or not all(isinstance(v, str) for v in documents.values()):
                raise ValueError("its manifest lists no documents")
            if files != _digests(folder):
                raise ValueError("its files are not those the last write left")
            ix = whoosh_index.open_dir(str(folder))
            ix.searcher().close()
        except _DAMAGE as exc:
            self.damage = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            for path in _whoosh_files(folder):
                path.unlink()
            return self._create(folder)
        self._known = documents
        return ix

    def _create(self, folder: Path) -> Any:
        ix = whoosh_index.create_in(str(folder), _schema())
        self._record(folder)
        return ix

    def _record(self, folder: Path) -> None:
        """Renew the manifest after a write: a crash leaves the old one, whose digests then fail to match."""
        manifest = {"version": MANIFEST_VERSION, "documents": self._known, "files": _digests(folder)}
        write_atomically(folder / MANIFEST, json.dumps(manifest))

    def close(self) -> None:
        self._searcher.close()

    def add(self, docs: Iterable[IndexEntry]) -> int:
        """Add or replace documents (by id). Returns how many were written."""
        count = self._write(docs)
        self._reopen()
        return count

    def remove(self, ids: Sequence[str]) -> None:
        self._delete(ids)
        self._reopen()

    def _write(self, docs: Iterable[IndexEntry]) -> int:
        count = 0
        with self._ix.writer(limitmb=256, codec=codec()) as writer:
            for doc in docs:
                stems = _stem_list(doc.title, doc.body)
                writer.update_document(
                    id=doc.id, kind=doc.kind, text=f"{doc.title}\n{doc.title}\n{doc.body}", stems=stems
                )
                if self._folder is not None:
                    self._known[doc.id] = _fingerprint(doc)
                count += 1
        return count

    def _delete(self, ids: Sequence[str]) -> None:
        with self._ix.writer(codec=codec()) as writer:
            for doc_id in ids:
                writer.delete_by_term("id", doc_id)
                self._known.pop(doc_id, None)

    def _reopen(self) -> None:
        """After writes: the manifest renewed (a folder index) and a searcher on what was written."""
        if self._folder is not None:
            self._record(self._folder)
        # Searcher.refresh() fails when the searcher was opened on an empty index (Whoosh-Reloaded 2.7.5).
        self._searcher.close()
        self._searcher = self._ix.searcher()
        self._idf_cache = {}
        self._df_cache = {}
        self._avg_length = None
        self._norms = None

    def sync(self, entries: Sequence[IndexEntry]) -> tuple[int, int]:
        """Make the index hold exactly ``entries``, writing only what changed since the last sync (a manifest
        of content fingerprints is kept beside a folder index). Returns (written, removed)."""
        known = dict(self._known)
        wanted = {e.id: _fingerprint(e) for e in entries}
        changed = [e for e in entries if known.get(e.id) != wanted[e.id]]
        gone = [doc_id for doc_id in known if doc_id not in wanted]
        if changed:
            self._write(changed)
        if gone:
            self._delete(gone)
        # Replaced and removed documents stay in whoosh's term statistics until segments merge, which moved
        # scores (0.30 became 0.21 after one update): merge them away so scores do not drift.
        unmerged = self._ix.doc_count_all() != self._ix.doc_count()
        if unmerged:
            self._ix.optimize(codec=codec())
        if changed or gone or unmerged:
            self._reopen()  # once, whatever was written: the manifest's digests are read from every file
        return len(changed), len(gone)

    def __len__(self) -> int:
        return int(self._searcher.doc_count())

    def _df(self, stem: str) -> int:
        cached = self._df_cache.get(stem)
        if cached is None:
            cached = self._df_cache[stem] = int(self._searcher.doc_frequency("text", stem))
        return cached

    def _idf(self, stem: str) -> float:
        cached = self._idf_cache.get(stem)
        if cached is None:
            cached = self._idf_cache[stem] = math.log(1 + (self._searcher.doc_count() + 1) / (self._df(stem) + 1))
        return cached

    def _average_length(self) -> float:
        if self._avg_length is None:
            count = self._searcher.doc_count() or 1
            self._avg_length = max(1.0, self._searcher.reader().field_length("text") / count)
        return self._avg_length

    def _candidates(self, stems: list[str], weights: dict[str, float], limit: int) -> list[dict[str, Any]]:
        """The first stage: the ``limit`` documents with the highest BM25 over ``stems`` (k1 1.2, b 0.75), read
        straight from the postings within MAX_POSTINGS and summed a block at a time in NumPy. whoosh's own OR query
        scored each posting through a tree of matchers, about 25 µs each: p95 146 ms at 100,000 documents."""
        reader = self._searcher.reader()
        norms = self._length_norms()
        scores = np.zeros(len(norms))
        budget = MAX_POSTINGS
        for n, stem in enumerate(stems):
            df = self._df(stem)
            if n >= MIN_BUDGET_TERMS and df > budget:
                continue  # too common to read within the budget: it tells documents apart least
            budget -= df
            weight = weights[stem] * (K1 + 1)
            for docnums, frequencies in postings(reader, stem):
                scores[docnums] += weight * frequencies / (frequencies + norms[docnums])
        deleted = reader.has_deletions()
        found = []
        for docnum in best(scores, limit + 8 if deleted else limit):
            if deleted and reader.is_deleted(docnum):
                continue
            found.append(reader.stored_fields(docnum))
        return found[:limit]

    def _length_norms(self) -> np.ndarray:
        """BM25's length normalisation of every document, K1 × (1 − B + B × length / average), read once per
        searcher."""
        if self._norms is None:
            lengths = field_lengths(self._searcher.reader(), "text")
            self._norms = K1 * (1 - B) + K1 * B / self._average_length() * lengths
        return self._norms

    def cosine(self, a: Counter[str], b: Counter[str]) -> float:
        """The score ``similar`` gives, for two documents' stem counts (see ``stems_of``) compared directly."""
        idf = {stem: self._idf(stem) for stem in set(a) | set(b)}
        return _cosine(_tfidf(a, idf), _tfidf(b, idf))

    def similar(self, title: str, body: str = "", *, limit: int = 10, exclude: str | None = None) -> list[SearchHit]:
        """The documents most like a title and body, best first by the score (see the module's docstring). A
        document scores what the whole text gives it or what the title alone gives it, whichever is more: the
        title says what an enquiry is about, while a body's chatter ("I've looked in the help centre... thanks
        for any pointers") is shared by many threads and outweighed the two words that mattered."""
        stems = _stem_list(title, body)
        hits = self._similar(stems, limit, exclude)
        # Enquiries only: a long report's title is a summary its body details (SeaMonkey's tuning half found its
        # duplicate first 28 times in 35 on the whole text, 26 taking the title's score too).
        if analyze(body) and analyze(title) and _cosine_share(len(set(stems))) < 1:
            best = {hit.id: hit for hit in hits}
            for hit in self._similar(_stem_list(title, ""), limit, exclude):
                if hit.id not in best or hit.score > best[hit.id].score:
                    best[hit.id] = hit
            hits = sorted(best.values(), key=lambda h: (-h.score, h.id))[:limit]
        return hits

    def _similar(self, stems: list[str], limit: int, exclude: str | None) -> list[SearchHit]:
        if not stems:
            return []
        weights = {stem: self._idf(stem) for stem in set(stems)}
        # A term no other document has cannot find a candidate: the rarest terms of a new question are often
        # of that kind (a phone number, a name), and in leave-one-out the item's own unique words are too.
        least = 2 if exclude is not None else 1
        usable = [stem for stem in weights if self._df(stem) >= least]
        counts = Counter(stems)
        # The query's own weight orders its terms (how often it uses a word, the title counting twice, times its
        # rarity): by rarity alone, the words of a question's chatter ("pointers", "centre") pushed out the two it
        # is about ("undo", "reconciliation") and the solution was never a candidate.
        by_rarity = sorted(usable, key=lambda s: (-(1 + math.log(counts[s])) * weights[s], s))
        rarest = by_rarity[: max(MAX_QUERY_TERMS, len(weights) // 3)]
        # Terms in more than COMMON_SHARE of all documents cost the most postings and discriminate least.
        floor = math.log(1 + 1 / COMMON_SHARE)
        rarest = [stem for stem in rarest if weights[stem] >= floor] or rarest[:MIN_QUERY_TERMS]
        if len(rarest) < MIN_QUERY_TERMS:
            rarest = by_rarity[:MIN_QUERY_TERMS]
        if not rarest:
            return []
        results = self._candidates(rarest, weights, CANDIDATES + (1 if exclude else 0))
        query_counts = Counter(stems)
        query_vector = _tfidf(query_counts, weights)
        average_length = self._average_length()
        ranking_idf = {stem: self._bm25_idf(stem) for stem in query_counts}
        itself = _bm25(query_counts, query_counts, ranking_idf, len(stems), average_length) or 1.0
        share = _cosine_share(len(weights))
        hits = []
        for result in results:
            if result["id"] == exclude:
                continue
            doc_counts = Counter(result["stems"])
            doc_weights = {stem: weights.get(stem) or self._idf(stem) for stem in doc_counts}
            doc_vector = _tfidf(doc_counts, doc_weights)
            cosine = _cosine(query_vector, doc_vector)
            shared = _carrying_terms(query_vector, doc_vector)
            # Second stage: BM25 over *all* query terms (the first stage searched only the rarest ones).
            full = _bm25(query_counts, doc_counts, ranking_idf, sum(doc_counts.values()), average_length)
            score = share * cosine + (1 - share) * min(1.0, full / itself)
            hits.append(SearchHit(result["id"], result["kind"], round(score, 4), round(full, 3), shared))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]

    def plain_bm25(self, title: str, body: str = "", *, limit: int = 10, exclude: str | None = None) -> list[str]:
        """The baseline the benchmark compares against: whoosh's own BM25F (its defaults) over the same indexed
        text, an OR of every stem of the query, no candidate budget and no re-scoring. Ids, best first."""
        from whoosh.query import Or, Term

        stems = sorted(set(_stem_list(title, body)))
        if not stems:
            return []
        found = self._searcher.search(Or([Term("text", stem) for stem in stems]), limit=limit + 1)
        return [hit["id"] for hit in found if hit["id"] != exclude][:limit]

    def _bm25_idf(self, stem: str) -> float:
        """The ranking's IDF, as plain BM25 (whoosh's BM25F) weighs a term: log(N / (df + 1)) + 1. With the
        cosine's smoother IDF the ranking found fewer duplicates first (Banking77 tuning half: R@1 0.879 / 0.884)."""
        return math.log(max(1, self._searcher.doc_count()) / (self._df(stem) + 1)) + 1


COSINE_FLOOR = 0.2  # the cosine's least share of the score (chosen on the tuning halves among 0, 0.1, 0.2, 0.35)


def _cosine_share(unique_stems: int) -> float:
    """The cosine's share of the score: COSINE_FLOOR for a short enquiry (up to 15 distinct stems), all of it for a
    long report (30 or more). BM25 ranks short texts best; cosine's length normalisation, long ones."""
    return min(1.0, max(COSINE_FLOOR, (unique_stems - 15) / 15))


def _bm25(
    query: Counter[str],
    doc: Counter[str],
    idf: dict[str, float],
    length: int,
    average: float,
    k1: float = 1.2,
    b: float = 0.75,
) -> float:
    norm = k1 * (1 - b + b * length / average)
    return sum(idf[t] * doc[t] * (k1 + 1) / (doc[t] + norm) for t in query if t in doc)


IDF_POWER = 0.75  # the score's IDF damping (see _tfidf)


def _tfidf(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """The vector the score's cosine compares: log term frequency times IDF to the power 0.75. Full IDF let one
    rare word decide (a "virtual card" matched a "card" question on "virtual"); damped, the words two enquiries
    share count for more. Measured with the bench at the 0.75 threshold: claim precision / coverage on Banking77
    0.894 / 0.414 with full IDF, 0.903 / 0.424 at 0.75, 0.906 / 0.433 at 0.5 (square root); but on SeaMonkey's
    templated bug reports the square root doubled the wrong claims (34, against 14 with full IDF and 15 at 0.75),
    the words of a template outweighing the site each report is about. The ranking (BM25) uses the full IDF."""
    return {term: (1 + math.log(n)) * idf[term] ** IDF_POWER for term, n in counts.items()}


MATCHED_SHARE = 0.3  # a term named as matched carries at least this share of the largest shared term's part


def _carrying_terms(query: dict[str, float], doc: dict[str, float]) -> tuple[str, ...]:
    """The shared terms that carry a match, largest part of the cosine first: "password", not also "how", "do" and
    "my", whose weight is too small to have mattered."""
    parts = {term: weight * doc[term] for term, weight in query.items() if term in doc}
    top = max(parts.values(), default=0.0)
    return tuple(sorted((t for t, part in parts.items() if part >= top * MATCHED_SHARE), key=lambda t: (-parts[t], t)))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0
