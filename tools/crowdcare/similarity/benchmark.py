"""`crowdcare bench dedup`: the duplicate-detection benchmark protocol (bench/README.md), on any
JSON-lines file of {"id", "title", "body", "group"} (group null: no counterpart in the file).

1. Retrieval, leave-one-out: every item is indexed; each item that has a partner is a query over all others.
2. Duplicate claims: each item claims its top hit when the hit's score passes the production threshold.
3. Bucketing, online: items arrive in file order, each joins the earlier bucket it resembles most when that
   passes the bucket threshold, or opens a new bucket (see buckets.Buckets).
4. Cost: indexing rate, query latency, peak memory.
"""

from __future__ import annotations

import hashlib
import json
import resource
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crowdcare.core.errors import BadInputError
from crowdcare.core.model import IndexEntry
from crowdcare.similarity.buckets import Bucketer, Buckets
from crowdcare.similarity.search_index import SearchIndex

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


HALVES = ("all", "tune", "report")


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


def half_of(items: list[Item], half: str) -> list[Item]:
    """One half of a labelled file, split by group so no enquiry is on both sides (an item without a group by its
    id): thresholds and scoring choices are tuned on ``tune`` and figures reported on ``report``. The split is a
    hash, the same on every machine and run; ``all`` is every item."""
    if half == "all":
        return list(items)
    if half not in HALVES:
        raise BadInputError(f"half must be one of {', '.join(HALVES)}, not {half!r}")

    def side(item: Item) -> str:
        key = item.group if item.group is not None else "\0" + item.id
        return "tune" if int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "report"

    return [item for item in items if side(item) == half]


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


@dataclass(frozen=True)
class Retrieval:
    """Leave-one-out retrieval over every item: the figures of step 1, and each item's top hit for step 2."""

    figures: dict[str, float]  # recall_at_1, recall_at_5, mrr_at_10
    top: list[tuple[float, bool] | None]  # each item's best hit: (score, shares the item's group); None: no hit
    partnered: int  # items whose group has another member
    index_items_per_s: float
    timings_ms: list[float]


def retrieve(
    items: list[Item], index_factory: Callable[[], Any] = SearchIndex, tick: Callable[[int], None] = lambda done: None
) -> Retrieval:
    groups = Counter(item.group for item in items if item.group is not None)
    has_partner = [item.group is not None and groups[item.group] > 1 for item in items]
    index = index_factory()
    start = time.perf_counter()
    index.add(IndexEntry(item.id, item.title, item.body) for item in items)
    index_rate = len(items) / (time.perf_counter() - start)
    group_of = {item.id: item.group for item in items}
    hit1 = hit5 = 0
    reciprocal = 0.0
    top: list[tuple[float, bool] | None] = []
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
        top.append((hits[0].score, matches[0]) if hits else None)
        tick(done)
    index.close()
    partnered_count = sum(has_partner)
    share = (lambda n: n / partnered_count) if partnered_count else (lambda n: 0.0)
    figures = {"recall_at_1": share(hit1), "recall_at_5": share(hit5), "mrr_at_10": share(reciprocal)}
    return Retrieval(figures, top, partnered_count, index_rate, timings)


def baseline(items: list[Item], tick: Callable[[int], None] = lambda done: None) -> dict[str, float]:
    """Leave-one-out recall of plain BM25 (whoosh's BM25F over the same indexed texts, see
    SearchIndex.plain_bm25): the figure crowdcare's ranking must beat on every file."""
    groups = Counter(item.group for item in items if item.group is not None)
    index = SearchIndex()
    index.add(IndexEntry(item.id, item.title, item.body) for item in items)
    group_of = {item.id: item.group for item in items}
    hit1 = hit5 = partnered = 0
    for done, item in enumerate(items, 1):
        if item.group is not None and groups[item.group] > 1:
            partnered += 1
            found = index.plain_bm25(item.title, item.body, limit=5, exclude=item.id)
            matches = [group_of[i] == item.group for i in found]
            hit1 += any(matches[:1])
            hit5 += any(matches[:5])
        tick(done)
    index.close()
    return {
        "baseline_recall_at_1": hit1 / partnered if partnered else 0.0,
        "baseline_recall_at_5": hit5 / partnered if partnered else 0.0,
    }


def claims(retrieval: Retrieval, threshold: float) -> dict[str, float]:
    """Step 2 at one threshold: every item claims its top hit when the hit's score passes it."""
    made = [found[1] for found in retrieval.top if found is not None and found[0] >= threshold]
    correct = sum(made)
    return {
        "claim_precision": correct / len(made) if made else 1.0,
        "claim_coverage": correct / retrieval.partnered if retrieval.partnered else 0.0,
        "claims": len(made),
    }


def bucketing(
    items: list[Item],
    threshold: float,
    tick: Callable[[int], None] = lambda done: None,
    bucketer: Callable[[float], Bucketer] = Buckets,
) -> dict[str, float]:
    """Step 3 at one threshold: online buckets in file order against the groups (a null group is its own)."""
    buckets = online_buckets(items, threshold, tick, bucketer)
    truth = [item.group if item.group is not None else f"\0single:{item.id}" for item in items]
    return {**pair_scores(buckets, truth), "buckets_per_group": len(set(buckets)) / len(set(truth))}


def run_benchmark(
    items: list[Item],
    duplicate_threshold: float,
    progress: Callable[[str, int, int], None] | None = None,
    bucket_threshold: float | None = None,
    index_factory: Callable[[], Any] = SearchIndex,
    bucketer: Callable[[float], Bucketer] = Buckets,
    with_baseline: bool = False,
) -> dict[str, float]:
    """The protocol's figures. ``index_factory`` makes the retrieval index (lexical by default, or the semantic
    extra's HybridIndex); ``bucketer`` the online bucketing (Buckets: TF-IDF centroids, or SemanticBuckets)."""
    retrieval = retrieve(items, index_factory, _ticker(progress, "retrieval and claims", len(items)))
    join = bucket_threshold if bucket_threshold is not None else duplicate_threshold
    buckets = bucketing(items, join, _ticker(progress, "online bucketing", len(items)), bucketer)
    result = {
        **retrieval.figures,
        **claims(retrieval, duplicate_threshold),
        **buckets,
        "index_items_per_s": retrieval.index_items_per_s,
        "query_ms_p50": statistics.median(retrieval.timings_ms),
        "query_ms_p95": _percentile(retrieval.timings_ms, 0.95),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if with_baseline:
        result.update(baseline(items, _ticker(progress, "plain BM25 baseline", len(items))))
    return {key: round(value, 4) for key, value in result.items() if key in KEYS or key.startswith("baseline_")}


DUPLICATE_SWEEP = tuple(round(0.5 + 0.05 * n, 2) for n in range(10))  # 0.5 .. 0.95
BUCKET_SWEEP = tuple(round(0.1 + 0.05 * n, 2) for n in range(11))  # 0.1 .. 0.6
SEMANTIC_BUCKET_SWEEP = tuple(round(0.4 + 0.05 * n, 2) for n in range(11))  # 0.4 .. 0.9: embedding cosines run higher


def sweep(
    items: list[Item],
    progress: Callable[[str, int, int], None] | None = None,
    index_factory: Callable[[], Any] = SearchIndex,
    bucketer: Callable[[float], Bucketer] = Buckets,
    duplicate_thresholds: tuple[float, ...] = DUPLICATE_SWEEP,
    bucket_thresholds: tuple[float, ...] = BUCKET_SWEEP,
) -> dict[str, list[dict[str, float]]]:
    """Claims and buckets at a range of thresholds, to choose a repository's own: one retrieval pass (the claims at
    every threshold come from each item's top hit), one bucketing pass per bucket threshold."""
    retrieval = retrieve(items, index_factory, _ticker(progress, "retrieval and claims", len(items)))
    buckets = [
        {"threshold": t, **bucketing(items, t, _ticker(progress, f"online bucketing at {t:g}", len(items)), bucketer)}
        for t in bucket_thresholds
    ]
    return {
        "claims": [_rounded({"threshold": t, **claims(retrieval, t)}) for t in duplicate_thresholds],
        "buckets": [_rounded(row) for row in buckets],
    }


def _rounded(row: dict[str, float]) -> dict[str, float]:
    return {key: round(value, 4) for key, value in row.items()}


def _ticker(progress: Callable[[str, int, int], None] | None, stage: str, total: int) -> Callable[[int], None]:
    def tick(done: int) -> None:
        if progress is not None and (done % 250 == 0 or done == total):
            progress(stage, done, total)

    return tick


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


def format_sweep(name: str, rows: dict[str, list[dict[str, float]]], duplicate: float, bucket: float) -> str:
    """The sweep as two tables, the thresholds in use marked."""

    def mark(threshold: float, chosen: float) -> str:
        return "  <- in use" if abs(threshold - chosen) < 1e-9 else ""

    lines = [f'{name}: duplicate claims ("this looks like X") by duplicate threshold']
    lines.append(f"  {'threshold':>9}  {'claims':>7}  {'precision':>9}  {'coverage':>8}")
    for row in rows["claims"]:
        lines.append(
            f"  {row['threshold']:>9.2f}  {int(row['claims']):>7,}  {row['claim_precision']:>9.4f}"
            f"  {row['claim_coverage']:>8.4f}{mark(row['threshold'], duplicate)}"
        )
    lines.append("online buckets by bucket threshold")
    lines.append(f"  {'threshold':>9}  {'buckets/group':>13}  {'pair P':>7}  {'pair R':>7}  {'pair F1':>7}  {'ARI':>7}")
    for row in rows["buckets"]:
        lines.append(
            f"  {row['threshold']:>9.2f}  {row['buckets_per_group']:>13.2f}  {row['pair_precision']:>7.4f}"
            f"  {row['pair_recall']:>7.4f}  {row['pair_f1']:>7.4f}  {row['ari']:>7.4f}{mark(row['threshold'], bucket)}"
        )
    return "\n".join(lines)
