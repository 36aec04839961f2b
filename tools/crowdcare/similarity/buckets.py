"""Conversation buckets: every solution is a bucket (its source thread and `also_asked`), and open questions
without an accepted answer cluster into pending buckets (answer once, serve many).

Pending buckets are made online (Buckets, the rule the benchmark measures): questions in the order they were
asked, each joining the bucket whose members together it resembles at `duplicates.bucket_threshold`.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from crowdcare.core.model import IndexEntry, Thread
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.intake.take_in import normalize
from crowdcare.similarity.dedup import semantic_enabled
from crowdcare.similarity.search_index import stems_of


class Bucketer(Protocol):
    """Online bucketing (Buckets, or the semantic extra's SemanticBuckets)."""

    def learn(self, title: str, body: str) -> None: ...

    def add_all(self, texts: Sequence[tuple[str, str]], tick: Callable[[int], None] = ...) -> list[int]: ...


BUCKET_POSTINGS = 20_000  # bucket entries read per item, rarest terms first (see Buckets.join)
BOILERPLATE_WORDS = 3  # a body's sentence this long that an earlier text had word for word is left out (Buckets.add)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


class Buckets:
    """Online bucketing: each text joins the bucket whose members, taken together, it resembles most, when that
    similarity passes ``threshold``; else it opens a bucket.

    A text is a unit TF-IDF vector (log term frequency, IDF over the texts seen so far, the text included); a
    bucket is the sum of its members' vectors, and "resembles" is the cosine between the text and that sum. Every
    bucket sharing a term is a candidate, found through an inverted index of bucket vectors, and the sums' norms
    are kept up to date as members join, so a text costs one pass over the buckets of its terms. Summing unit
    vectors gives a long report no more say than a one-line question.

    Measured with the bench (file order, threshold 0.2): pair F1 0.29 on Banking77 and 0.47 on CLINC150, against
    0.12 and 0.20 for the earlier scheme (buckets of a text's ten nearest earlier texts, raw term counts summed,
    whoosh searches), and in a second instead of a minute. Terms are read rarest first; a common term is skipped
    once BUCKET_POSTINGS bucket entries have been read, and the best candidates' scores are then completed.
    """

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self._sentences: set[str] = set()
        self._seen = 0
        self._df: Counter[str] = Counter()
        self._postings: dict[str, dict[int, float]] = {}
        self._squares: list[float] = []  # each bucket vector's squared norm

    def __len__(self) -> int:
        return len(self._squares)

    def learn(self, title: str, body: str) -> None:
        """Count a text in the IDF without bucketing it: a knowledge base's solutions teach a few dozen open
        questions which words are common in this community and which are telling."""
        self._count(stems_of(IndexEntry("", title, body)))

    def _count(self, stems: Counter[str]) -> None:
        self._seen += 1
        self._df.update(stems.keys())

    def _vector(self, stems: Counter[str]) -> dict[str, float]:
        self._count(stems)
        seen, df = self._seen, self._df
        vector = {term: (1 + math.log(n)) * math.log(1 + (seen + 1) / (df[term] + 1)) for term, n in stems.items()}
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {term: w / norm for term, w in vector.items()}

    def add_all(self, texts: Sequence[tuple[str, str]], tick: Callable[[int], None] = lambda done: None) -> list[int]:
        """Each (title, body)'s bucket, in order (see add)."""
        found = []
        for done, (title, body) in enumerate(texts, 1):
            found.append(self.add(title, body))
            tick(done)
        return found

    def add(self, title: str, body: str) -> int:
        """The bucket a thread joins. Sentences of its body that an earlier thread had word for word (three words
        or more: "I've looked in the help centre but couldn't find it.", an issue form's headings) are left out:
        boilerplate that many askers share would otherwise pull unrelated questions into one bucket. The title
        always counts, so a question asked again word for word still joins its twin."""
        sentences = [" ".join(part.lower().split()) for part in _SENTENCES.split(body)]
        fresh = [s for s in sentences if len(s.split()) < BOILERPLATE_WORDS or s not in self._sentences]
        self._sentences.update(s for s in sentences if len(s.split()) >= BOILERPLATE_WORDS)
        return self.join(stems_of(IndexEntry("", title, "\n".join(fresh))))

    def join(self, stems: Counter[str]) -> int:
        """The bucket (0, 1, 2, ... in order of opening) a text with these stem counts joins."""
        vector = self._vector(stems)
        postings = self._postings
        dots: dict[int, float] = {}
        get = dots.get
        budget = BUCKET_POSTINGS
        skipped: list[str] = []
        read = 0
        for term in sorted(vector, key=lambda t: (self._df[t], t)):
            entries = postings.get(term)
            if not entries:
                continue
            if read >= 2 and len(entries) > budget:  # the two rarest terms in any bucket are always read
                skipped.append(term)
                continue
            read += 1
            budget -= len(entries)
            weight = vector[term]
            for bucket, value in entries.items():
                dots[bucket] = get(bucket, 0.0) + weight * value
        if skipped and dots:
            for bucket in heapq.nlargest(50, dots, key=lambda b: dots[b] / math.sqrt(self._squares[b])):
                dots[bucket] += sum(vector[t] * postings[t].get(bucket, 0.0) for t in skipped)
        best, score = -1, -1.0
        for bucket, dot in dots.items():
            similarity = dot / math.sqrt(self._squares[bucket])
            if similarity > score or (similarity == score and bucket < best):
                best, score = bucket, similarity
        if best < 0 or score < self.threshold:
            best = len(self._squares)
            self._squares.append(0.0)
        self._squares[best] += 2 * dots.get(best, 0.0) + 1.0  # |b + v|^2 = |b|^2 + 2 b.v + |v|^2, |v| = 1
        for term, weight in vector.items():
            entries = postings.setdefault(term, {})
            entries[best] = entries.get(best, 0.0) + weight
        return best


@dataclass(frozen=True)
class Bucket:
    kind: str  # solution | pending
    title: str  # the solution's title, or the first question's
    key: str  # kb path, or the first question's thread ("discussion #12")
    size: int
    threads: tuple[str, ...]  # URLs
    shared: tuple[str, ...] = ()  # a pending bucket's telling words (stems) that most of its questions use


def shared_words(group: list[Thread], df: Counter[str], texts: int, limit: int = 5) -> tuple[str, ...]:
    """What a pending bucket is about, for the maintainer who reads the list: the stems at least half of its
    questions (and two) use, rarest first by ``df`` (how many of ``texts`` texts use each stem)."""
    counts = Counter(term for t in group for term in stems_of(IndexEntry("", t.title, t.body)))
    need = max(2, (len(group) + 1) // 2)
    weight = {term: n * math.log(1 + texts / (df[term] + 1)) for term, n in counts.items() if n >= need}
    return tuple(sorted(weight, key=lambda term: (-weight[term], term))[:limit])


def bucketer_for(config: Config) -> Callable[[float], Bucketer]:
    """Lexical buckets, or embedding buckets when semantic matching is on (the model loads on first use)."""
    if not semantic_enabled(config):
        return Buckets
    from crowdcare.similarity.semantic import Embedder, SemanticBuckets

    return lambda threshold: SemanticBuckets(threshold, Embedder())


def pending_buckets(
    questions: list[Thread],
    threshold: float,
    background: Iterable[tuple[str, str]] = (),
    bucketer: Callable[[float], Bucketer] = Buckets,
) -> list[list[Thread]]:
    """Open questions grouped by similarity, oldest question first in each group. ``background`` texts (title,
    body: the knowledge base, the other threads listed) count in the word statistics but are not bucketed: a few
    dozen open questions alone cannot tell a community's everyday words from telling ones."""
    ordered = sorted(questions, key=lambda t: (t.created_at, str(t.ref)))
    if not ordered:
        return []
    buckets = bucketer(threshold)
    for title, body in background:
        buckets.learn(title, body)
    groups: dict[int, list[Thread]] = defaultdict(list)
    for thread, bucket in zip(ordered, buckets.add_all([(t.title, t.body) for t in ordered]), strict=True):
        groups[bucket].append(thread)
    return list(groups.values())


def background_texts(
    content: Content, threads: Iterable[Thread], leave_out: Iterable[Thread] = ()
) -> list[tuple[str, str]]:
    """The word statistics' background for pending_buckets: the knowledge base's solutions and the threads listed,
    but for those being bucketed (``leave_out``)."""
    bucketed = {t.ref for t in leave_out}
    solutions = [(s.title, f"{s.question}\n{s.body}") for s in content.solutions]
    return solutions + [(t.title, t.body) for t in threads if t.ref not in bucketed]


def all_buckets(
    content: Content,
    questions: list[Thread],
    threshold: float,
    others: Iterable[Thread] = (),
    bucketer: Callable[[float], Bucketer] = Buckets,
) -> list[Bucket]:
    """Solutions and pending buckets, largest first. ``others``: the rest of the threads listed, for the word
    statistics (see pending_buckets)."""
    background = background_texts(content, others)
    texts = background + [(t.title, t.body) for t in questions]
    df = Counter(term for title, body in texts for term in stems_of(IndexEntry("", title, body)))
    found = [
        Bucket("solution", s.title, s.path, s.times_asked, tuple(sorted({s.source, *s.also_asked})))
        for s in content.solutions
        if s.superseded_by is None  # a merged solution's threads are listed by its canonical solution
    ]
    found += [
        # Thread titles are user text: cleaned (no control or bidi characters) before anyone prints them.
        Bucket(
            "pending",
            normalize(group[0].title, 200),
            str(group[0].ref),
            len(group),
            tuple(t.url for t in group),
            shared_words(group, df, len(texts)) if len(group) > 1 else (),
        )
        for group in pending_buckets(questions, threshold, background, bucketer)
    ]
    return sorted(found, key=lambda b: (-b.size, b.kind != "pending", b.key))
