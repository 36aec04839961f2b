"""Optional semantic matching: `pip install 'crowdcare[semantic]'`.

Sentence embeddings from all-MiniLM-L6-v2, run by ONNX Runtime on the CPU from an int8 export shipped inside
crowdcare (crowdcare/similarity/models; nothing is downloaded at run time, and no PyTorch is needed).
The index keeps the lexical one beside it; a query's candidates are the
lexical index's best plus the nearest embeddings, each scored

    score = weight x cosine(embeddings) + (1 - weight) x lexical cosine       (0 when the lexical stage missed it)

so scores stay in [0, 1] and the thresholds in crowdcare.yml (`duplicates.semantic`) mean the same for every query.
Without the extra installed, crowdcare stays lexical and light; `available()` says which.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from crowdcare.core.errors import BadInputError
from crowdcare.core.model import IndexEntry, SearchHit
from crowdcare.core.settings import SemanticConfig
from crowdcare.similarity.search_index import SearchIndex

DIMENSIONS = 384
DEFAULT_WEIGHT = 0.8
CANDIDATES = 50
MAX_CHARS = 1000  # the model reads 256 word pieces; a long bug report's first 1,000 characters carry its gist


def available() -> bool:
    """Whether the semantic extra is installed (ONNX Runtime and the tokenizers library; the model ships inside
    crowdcare)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "tokenizers", "numpy"))


def weight_of(settings: SemanticConfig) -> float:
    """The embedding cosine's share of the combined score, from ``duplicates.semantic``."""
    return settings.weight if settings.weight is not None else DEFAULT_WEIGHT


def _text(title: str, body: str) -> str:
    return f"{title}\n{body}"[:MAX_CHARS]


MODEL_DIR = Path(__file__).parent / "models" / "all-minilm-l6-v2-int8"
MODEL_SHA256 = {  # what bench/export_minilm.py made; a changed file is refused, never run
    "model.onnx": "527b2590d37fed6300a7ca6552e4816e6a86a299d87227840e31ee7351feb41d",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
BATCH = 64


class Embedder:
    """all-MiniLM-L6-v2 on the CPU, unit-length vectors, run by ONNX Runtime from the int8 export shipped in
    crowdcare/similarity/models (bench/export_minilm.py made it once from the published weights; no PyTorch at
    run time).
    Texts are batched by length, so short enquiries are not padded to the longest report. With ``remember``, each
    distinct text is embedded once per process (the bench's --sweep buckets the same texts eleven times)."""

    def __init__(self, remember: bool = False) -> None:
        if not available():
            raise BadInputError(
                "semantic matching needs the extra: pip install 'crowdcare[semantic]' (or set duplicates.semantic."
                "enabled: false in crowdcare.yml)"
            )
        import numpy
        import onnxruntime  # type: ignore[import-untyped]
        from tokenizers import Tokenizer

        self._np = numpy
        for name, digest in MODEL_SHA256.items():
            if hashlib.sha256((MODEL_DIR / name).read_bytes()).hexdigest() != digest:
                raise BadInputError(f"{MODEL_DIR / name}: not the model crowdcare shipped (reinstall crowdcare)")
        self._tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (a token, not a password)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(MODEL_DIR / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._remembered: dict[str, Any] | None = {} if remember else None

    def encode(self, texts: Sequence[str]) -> Any:
        if self._remembered is None:
            return self._encode(texts)
        remembered = self._remembered
        missing = [text for text in dict.fromkeys(texts) if text not in remembered]
        if missing:
            remembered.update(zip(missing, self._encode(missing), strict=True))
        import numpy

        return numpy.stack([remembered[text] for text in texts]) if texts else self._encode([])

    def _encode(self, texts: Sequence[str]) -> Any:
        np = self._np
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            out[rows] = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


class HybridIndex:
    """The lexical index plus an embedding per document; ``similar`` as SearchIndex.similar, scores combined."""

    def __init__(self, lexical: SearchIndex, embedder: Embedder, weight: float = DEFAULT_WEIGHT) -> None:
        import numpy

        self._np = numpy
        self.lexical = lexical
        self._embedder = embedder
        self._weight = weight
        self._ids: list[str] = []
        self._kinds: list[str] = []
        self._position: dict[str, int] = {}
        self._row_of_text: dict[str, int] = {}  # a query whose text is indexed already reuses its vector
        self._matrix = numpy.zeros((0, DIMENSIONS), dtype=numpy.float32)

    def close(self) -> None:
        self.lexical.close()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, docs: Iterable[IndexEntry]) -> int:
        batch = list(docs)
        self.lexical.add(batch)
        self._embed(batch)
        return len(batch)

    def sync(self, entries: Sequence[IndexEntry]) -> tuple[int, int]:
        """The lexical index is brought up to date incrementally; embeddings are recomputed in memory (a knowledge
        base of 1,000 solutions takes about 3 s on 2 cores)."""
        changed = self.lexical.sync(entries)
        self._ids, self._kinds, self._position, self._row_of_text = [], [], {}, {}
        self._matrix = self._np.zeros((0, DIMENSIONS), dtype=self._np.float32)
        self._embed(list(entries))
        return changed

    def _embed(self, batch: list[IndexEntry]) -> None:
        fresh = [doc for doc in batch if doc.id not in self._position]
        for doc in batch:
            if doc.id in self._position:  # replaced: its vector is recomputed in place
                row = self._position[doc.id]
                self._row_of_text = {text: r for text, r in self._row_of_text.items() if r != row}
                self._matrix[row] = self._embedder.encode([_text(doc.title, doc.body)])[0]
                self._row_of_text[_text(doc.title, doc.body)] = row
        if not fresh:
            return
        vectors = self._embedder.encode([_text(doc.title, doc.body) for doc in fresh])
        for doc in fresh:
            self._position[doc.id] = len(self._ids)
            self._row_of_text.setdefault(_text(doc.title, doc.body), len(self._ids))
            self._ids.append(doc.id)
            self._kinds.append(doc.kind)
        self._matrix = self._np.vstack([self._matrix, vectors.astype(self._np.float32)])

    def similar(self, title: str, body: str = "", *, limit: int = 10, exclude: str | None = None) -> list[SearchHit]:
        if not self._ids:
            return []
        text = _text(title, body)
        known = self._row_of_text.get(text)
        query = self._matrix[known] if known is not None else self._embedder.encode([text])[0]
        cosines = self._matrix @ query
        take = min(CANDIDATES + 1, len(self._ids))
        nearest = self._np.argpartition(-cosines, take - 1)[:take]
        lexical = {h.id: h for h in self.lexical.similar(title, body, limit=CANDIDATES, exclude=exclude)}
        candidates = {self._ids[i] for i in nearest} | set(lexical)
        candidates.discard(exclude or "")
        hits = []
        for doc_id in candidates:
            row = self._position.get(doc_id)
            if row is None:
                continue
            semantic = max(0.0, float(cosines[row]))
            found = lexical.get(doc_id)
            score = self._weight * semantic + (1 - self._weight) * (found.score if found else 0.0)
            hits.append(
                SearchHit(
                    doc_id,
                    self._kinds[row],
                    round(score, 4),
                    found.bm25 if found else 0.0,
                    found.terms if found else (),
                )
            )
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]


class SemanticBuckets:
    """Online bucketing on sentence embeddings, the rule of buckets.Buckets: each text joins the bucket whose
    members' summed unit vectors it resembles most (cosine), when that passes ``threshold``; else it opens one.
    Buckets are compared all at once (one matrix product per text); ties go to the earliest bucket.

    Measured with the bench (file order), at 0.6 (duplicates.semantic.bucket_threshold): pair F1 0.454 on
    Banking77 (lexical 0.287) and 0.511 on CLINC150 (lexical 0.471). On SeaMonkey's long templated bug reports it
    gathers even more than the lexical rule (F1 0.002): a bug tracker is better served lexically.
    """

    def __init__(self, threshold: float, embedder: Embedder) -> None:
        import numpy as np

        self.threshold = threshold
        self._embedder = embedder
        self._np = np
        self._sums: Any = None  # one row per bucket, grown by doubling
        self._squares: Any = None  # each row's squared norm
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def learn(self, title: str, body: str) -> None:
        """Nothing to learn: embeddings carry no corpus statistics (kept for buckets.Bucketer)."""

    def add_all(self, texts: Sequence[tuple[str, str]], tick: Callable[[int], None] = lambda done: None) -> list[int]:
        """Each (title, body)'s bucket, in order; the texts are embedded in one batch."""
        if not texts:
            return []
        vectors = self._embedder.encode([_text(title, body) for title, body in texts])
        found = []
        for done, vector in enumerate(vectors, 1):
            found.append(self._join(vector))
            tick(done)
        return found

    def _join(self, vector: Any) -> int:
        np = self._np
        if self._sums is None:
            self._sums = np.zeros((64, len(vector)), dtype=np.float32)
            self._squares = np.zeros(64, dtype=np.float64)
        n = self._count
        best = n
        dots = None
        if n:
            dots = self._sums[:n] @ vector
            similarities = dots / np.sqrt(self._squares[:n])
            candidate = int(np.argmax(similarities))  # the first of equals: the earliest bucket
            if similarities[candidate] >= self.threshold:
                best = candidate
        if best == n:
            if n == len(self._sums):
                self._sums = np.concatenate([self._sums, np.zeros_like(self._sums)])
                self._squares = np.concatenate([self._squares, np.zeros_like(self._squares)])
            self._count += 1
        dot = float(dots[best]) if dots is not None and best < n else 0.0
        self._sums[best] += vector
        self._squares[best] += 2 * dot + float(vector @ vector)
        return best
