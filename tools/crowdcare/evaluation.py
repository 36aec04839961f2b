"""`crowdcare bench dedup`: the duplicate-detection benchmark protocol of shared/data/dedup/README.md, on any
JSON-lines file of {"id", "title", "body", "group"} (group null: no counterpart in the file).

1. Retrieval, leave-one-out: every item is indexed; each item that has a partner is a query over all others.
2. Duplicate claims: each item claims its top hit when the hit's score passes the production threshold.
3. Bucketing, online: items arrive in file order, each joins the earlier bucket it resembles most when that
   passes the bucket threshold, or opens a new bucket (see buckets.Buckets).
4. Cost: indexing rate, query latency, peak memory.
"""

from __future__ import annotations

import json
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crowdcare.buckets import Bucketer, Buckets
from crowdcare.errors import BadInputError
from crowdcare.model import IndexEntry
from crowdcare.search_index import SearchIndex

KEYS = (
    "recall_at_1",
    "recall_at_5",
    "mrr_at_10",
    "claim_precision",
    "claim_coverage",
    "pair_precision",
    "pair_recall",
    "pair_f1",
    "ari",
    "buckets_per_group",
    "index_items_per_s",
    "query_ms_p50",
    "query_ms_p95",
    "peak_rss_mb",
)


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    body: str
    group: str | None


def read_items(path: Path) -> list[Item]:
    """Items from a JSON-lines file; a bad line is a BadInputError naming the file and line."""
    items = []
    seen: set[str] = set()
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read ({exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise BadInputError(
                f'{path}:{number}: expected an object {{"id": str, "title": str, "body": str, "group": str|null}}'
            )
        for field in ("id", "title"):
            if not isinstance(row.get(field), str):
                raise BadInputError(f"{path}:{number}: {field} must be text ({_shown(row.get(field))})")
        body, group = row.get("body"), row.get("group")
        if body is not None and not isinstance(body, str):
            raise BadInputError(f"{path}:{number}: body must be text or absent ({_shown(body)})")
        if group is not None and not isinstance(group, str):
            raise BadInputError(f"{path}:{number}: group must be text or null ({_shown(group)})")
        if row["id"] in seen:
            raise BadInputError(f"{path}:{number}: id {row['id']!r} appears twice")
        seen.add(row["id"])
        items.append(Item(row["id"], row["title"], body or "", group))
    if not items:
        raise BadInputError(f"{path}: no items")
    return items


def _shown(value: Any) -> str:
    return "missing" if value is None else f"found {type(value).__name__}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pair_scores(buckets: list[int], groups: list[str]) -> dict[str, float]:
    """Pair precision, recall, F1 of "same bucket" against "same group", and the adjusted Rand index."""
    cells = Counter(zip(buckets, groups, strict=True))
    together = sum(_pairs(n) for n in cells.values())
    same_bucket = sum(_pairs(n) for n in Counter(buckets).values())
    same_group = sum(_pairs(n) for n in Counter(groups).values())
    precision = together / same_bucket if same_bucket else 1.0
    recall = together / same_group if same_group else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = _pairs(len(buckets))
    expected = same_bucket * same_group / total if total else 0.0
    maximum = (same_bucket + same_group) / 2
    ari = (together - expected) / (maximum - expected) if maximum != expected else 1.0
    return {"pair_precision": precision, "pair_recall": recall, "pair_f1": f1, "ari": ari}


def run_benchmark(
    items: list[Item],
    duplicate_threshold: float,
    progress: Callable[[str, int, int], None] | None = None,
    bucket_threshold: float | None = None,
    index_factory: Callable[[], Any] = SearchIndex,
    bucketer: Callable[[float], Bucketer] | None = None,
) -> dict[str, float]:
    """The protocol's figures. ``index_factory`` makes the retrieval index (lexical by default, or the semantic
    extra's HybridIndex); ``bucketer`` the online bucketing (Buckets: TF-IDF centroids, or SemanticBuckets)."""

    def tick(stage: str, done: int) -> None:
        if progress is not None and (done % 250 == 0 or done == len(items)):
            progress(stage, done, len(items))

    groups = Counter(item.group for item in items if item.group is not None)
    has_partner = [item.group is not None and groups[item.group] > 1 for item in items]

    index = index_factory()
    start = time.perf_counter()
    index.add(IndexEntry(item.id, item.title, item.body) for item in items)
    index_rate = len(items) / (time.perf_counter() - start)
    group_of = {item.id: item.group for item in items}

    hit1 = hit5 = 0
    reciprocal = 0.0
    claims = correct_claims = 0
    timings: list[float] = []
    for done, (item, partnered) in enumerate(zip(items, has_partner, strict=True), 1):
        began = time.perf_counter()
        hits = index.similar(item.title, item.body, limit=10, exclude=item.id)
        timings.append((time.perf_counter() - began) * 1000)
        matches = [item.group is not None and group_of[h.id] == item.group for h in hits]
        if partnered:
            hit1 += any(matches[:1])
            hit5 += any(matches[:5])
            reciprocal += next((1 / rank for rank, ok in enumerate(matches, 1) if ok), 0.0)
        if hits and hits[0].score >= duplicate_threshold:
            claims += 1
            correct_claims += matches[0]
        tick("retrieval and claims", done)
    index.close()

    join = bucket_threshold if bucket_threshold is not None else duplicate_threshold
    buckets = online_buckets(items, join, lambda done: tick("online bucketing", done), bucketer or Buckets)
    truth = [item.group if item.group is not None else f"\0single:{item.id}" for item in items]
    partnered_count = sum(has_partner)
    result = {
        "recall_at_1": hit1 / partnered_count if partnered_count else 0.0,
        "recall_at_5": hit5 / partnered_count if partnered_count else 0.0,
        "mrr_at_10": reciprocal / partnered_count if partnered_count else 0.0,
        "claim_precision": correct_claims / claims if claims else 1.0,
        "claim_coverage": correct_claims / partnered_count if partnered_count else 0.0,
        **pair_scores(buckets, truth),
        "buckets_per_group": len(set(buckets)) / len(set(truth)),
        "index_items_per_s": index_rate,
        "query_ms_p50": statistics.median(timings),
        "query_ms_p95": _percentile(timings, 0.95),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    return {key: round(result[key], 4) for key in KEYS}


def online_buckets(
    items: list[Item],
    threshold: float,
    tick: Callable[[int], None],
    bucketer: Callable[[float], Bucketer] = Buckets,
) -> list[int]:
    """Each item's bucket, items taken in order (see buckets.Buckets): only earlier items count."""
    return bucketer(threshold).add_all([(item.title, item.body) for item in items], tick)


def format_report(name: str, figures: dict[str, Any]) -> str:
    width = max(len(k) for k in figures)
    rows = [f"{name}"] + [
        f"  {k:<{width}}  {v:g}" if isinstance(v, float) else f"  {k:<{width}}  {v}" for k, v in figures.items()
    ]
    return "\n".join(rows)
