"""Reading a term's postings from whoosh fast: the first stage of duplicate detection (search_index.py) reads a few
thousand postings per query, and whoosh's matchers yield them one at a time through a wrapper per segment, about
10 µs each. Here a segment's postings are read a block at a time, from the arrays whoosh 3's leaf matcher decodes
(Whoosh-Reloaded is pinned; a test compares this with whoosh's own reading), and any other matcher the plain way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound


def postings(reader: Any, stem: str) -> Iterator[tuple[int, float]]:
    """(document number, term frequency) of every posting of ``stem`` in the text field, in any order; the
    frequencies are the postings' weights."""
    for segment, offset in reader.leaf_readers():
        try:
            matcher = segment.postings("text", stem)
        except TermNotFound:
            continue
        if not isinstance(matcher, W3LeafMatcher):
            yield from ((offset + docnum, float(f)) for docnum, f in matcher.items_as("frequency"))
            continue
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            yield from zip([offset + docnum for docnum in matcher._ids], matcher._weights, strict=True)
            matcher._next_block()
