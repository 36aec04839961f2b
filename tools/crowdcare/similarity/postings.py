"""Reading a term's postings from whoosh fast: the first stage of duplicate detection (search_index.py) reads a few
thousand postings per query. whoosh's matchers yield them one at a time through a wrapper per segment (about 10 µs
each) and its length lookup costs about 4 µs per document. Here a segment's postings are read a block at a time, as
NumPy arrays, from the tuples whoosh 3 stores for each block (Whoosh-Reloaded is pinned; tests compare both readings
with whoosh's own), and every document's field length is read at once from the segment's length column. Also
how postings are written (``codec``) and the best scores of a query (``best``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import _length_byte_cache

# whoosh stores a field's length as one byte per document; this maps the byte back to the length it stands for.
_LENGTH_OF_BYTE = np.asarray(_length_byte_cache, dtype=np.float64)


def postings(reader: Any, stem: str) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(document numbers, term frequencies) of every posting of ``stem`` in the text field, a block at a time: two
    arrays (int64, float64) of equal length; within a block the numbers are distinct."""
    for segment, offset in reader.leaf_readers():
        try:
            matcher = segment.postings("text", stem)
        except TermNotFound:
            continue
        if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
            items = list(matcher.items_as("frequency"))
            if items:
                pairs = np.asarray(items, dtype=np.float64)
                yield pairs[:, 0].astype(np.int64) + offset, pairs[:, 1]
            continue
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, weights = matcher._data[0], matcher._data[1]  # see W3LeafMatcher._read_ids / _read_weights
            ids = np.cumsum(np.asarray(deltas, dtype=np.int64)) + offset
            if weights is None or isinstance(weights, float):  # every posting weighs 1, or the same
                yield ids, np.full(len(ids), 1.0 if weights is None else weights)
            else:
                yield ids, np.asarray(weights, dtype=np.float64)
            matcher._next_block()


def field_lengths(reader: Any, field: str) -> np.ndarray:
    """The length whoosh recorded for ``field`` of every document (float64, indexed by document number), as
    ``reader.doc_field_length`` gives it one at a time."""
    parts = []
    for segment, _ in reader.leaf_readers():
        count = segment.doc_count_all()
        perdoc = getattr(segment, "_perdoc", None)
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN) if isinstance(perdoc, W3PerDocReader) else None
        if column is None:
            parts.append(np.asarray([segment.doc_field_length(n, field, 0) or 0 for n in range(count)], np.float64))
            continue
        stored = min(column._count, count)  # documents after the last one with a length have none (byte 0)
        lengths = np.zeros(count)
        if stored:
            raw = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
            lengths[:stored] = _LENGTH_OF_BYTE[raw]
        parts.append(lengths)
    return np.concatenate(parts) if parts else np.zeros(0)


def codec() -> W3Codec:
    """whoosh 3's codec with its postings blocks left uncompressed: decompressing every block a query reads was
    the largest part of its slowest queries (100,000 items: p95 20.4 ms compressed, 12.1 ms not; bench/README.md).
    Segments written compressed by an earlier version are still read (each block says how it was written)."""
    return W3Codec(compression=0)


def best(scores: np.ndarray, limit: int) -> list[int]:
    """The numbers of the ``limit`` documents with the highest positive scores, best first (ties: lower number)."""
    scored = np.flatnonzero(scores > 0)
    if len(scored) > limit:
        # Every document scoring at least the limit-th best: ties at the cut are all kept, then ordered.
        cut = np.partition(scores[scored], len(scored) - limit)[len(scored) - limit]
        scored = scored[scores[scored] >= cut]
    order = np.lexsort((scored, -scores[scored]))
    return [int(docnum) for docnum in scored[order][:limit]]
