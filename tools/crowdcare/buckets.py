"""Conversation buckets: every solution is a bucket (its source thread and `also_asked`), and open questions
without an accepted answer cluster into pending buckets (answer once, serve many).

Pending buckets use the benchmark's online bucketing (evaluation.Buckets): questions in the order they were
asked, each joining the bucket whose members together it resembles at `duplicates.bucket_threshold`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crowdcare.dedup import semantic_enabled
from crowdcare.evaluation import Bucketer, Buckets
from crowdcare.intake import normalize
from crowdcare.model import Config, Content, Thread


@dataclass(frozen=True)
class Bucket:
    kind: str  # solution | pending
    title: str  # the solution's title, or the first question's
    key: str  # kb path, or the first question's thread ("discussion #12")
    size: int
    threads: tuple[str, ...]  # URLs


def bucketer_for(config: Config) -> Callable[[float], Bucketer]:
    """Lexical buckets, or embedding buckets when semantic matching is on (the model loads on first use)."""
    if not semantic_enabled(config):
        return Buckets
    from crowdcare.semantic import Embedder, SemanticBuckets

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


def solution_texts(content: Content) -> list[tuple[str, str]]:
    """The knowledge base as background for pending_buckets."""
    return [(s.title, f"{s.question}\n{s.body}") for s in content.solutions]


def all_buckets(
    content: Content,
    questions: list[Thread],
    threshold: float,
    others: Iterable[Thread] = (),
    bucketer: Callable[[float], Bucketer] = Buckets,
) -> list[Bucket]:
    """Solutions and pending buckets, largest first. ``others``: the rest of the threads listed, for the word
    statistics (see pending_buckets)."""
    background = solution_texts(content) + [(t.title, t.body) for t in others]
    found = [
        Bucket("solution", s.title, s.path, s.times_asked, tuple(sorted({s.source, *s.also_asked})))
        for s in content.solutions
        if s.superseded_by is None  # a merged solution's threads are listed by its canonical solution
    ]
    found += [
        # Thread titles are user text: cleaned (no control or bidi characters) before anyone prints them.
        Bucket("pending", normalize(group[0].title, 200), str(group[0].ref), len(group), tuple(t.url for t in group))
        for group in pending_buckets(questions, threshold, background, bucketer)
    ]
    return sorted(found, key=lambda b: (-b.size, b.kind != "pending", b.key))
