"""Duplicate-detection cost at scale: index N items (default 100,000) and time queries against it.

    .venv/bin/python bench/dedup_scale.py --data FOLDER [--n 100000] [--queries 500]

FOLDER holds labelled JSON-lines files (one {"id", "title", "body", "group"} per line, the format of
`crowdcare bench dedup`); the figures in bench/README.md used Banking77, CLINC150 and SeaMonkey.

Items are the labelled enquiries of every file in --data, repeated with a few words swapped in from the same
vocabulary until there are N distinct texts, so the index has the term statistics of real enquiries. Prints
indexing rate, query latency p50/p95 and peak memory, retrieval at that scale (recall@1/@5 of labelled
enquiries from Banking77 and CLINC150 among the N items, the synthetic copies of the query itself left out)
and online bucketing's rate and p95 per item. Figures only: no assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

from crowdcare.core.model import IndexEntry
from crowdcare.similarity.buckets import Buckets
from crowdcare.similarity.dedup import BUCKET_THRESHOLD
from crowdcare.similarity.search_index import SearchIndex


def texts(folder: Path) -> list[tuple[str, str]]:
    return [(title, body) for title, body, _ in labelled(folder)]


def labelled(folder: Path) -> list[tuple[str, str, str | None]]:
    """(title, body, "file:group" or None) for every item of every file."""
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            group = f"{path.stem}:{row['group']}" if row.get("group") is not None else None
            found.append((row["title"], row.get("body") or "", group))
    return found


def recall_at_scale(index: SearchIndex, entries: list[IndexEntry], folder: Path, queries: int) -> dict[str, float]:
    """Recall of short labelled enquiries at full scale. Item n is a copy of base item n % len(base) (two words
    swapped): copies of the query itself are left out of its hits, copies of its group-mates count."""
    base = labelled(folder)
    short = [n for n, (_, body, group) in enumerate(base) if group is not None and not body]
    rng = random.Random(5)
    hit1 = hit5 = 0
    chosen = rng.sample(short, min(queries, len(short)))
    if not chosen:
        return {"recall_at_1": float("nan"), "recall_at_5": float("nan")}  # no short labelled enquiries
    for n in chosen:
        hits = index.similar(entries[n].title, entries[n].body, limit=40, exclude=entries[n].id)
        others = [int(h.id.removeprefix("item-")) % len(base) for h in hits]
        same = [base[m][2] == base[n][2] for m in others if m != n][:5]
        hit1 += any(same[:1])
        hit5 += any(same)
    return {"recall_at_1": round(hit1 / len(chosen), 4), "recall_at_5": round(hit5 / len(chosen), 4)}


def bucketing_cost(entries: list[IndexEntry]) -> dict[str, float]:
    """Online bucketing (crowdcare buckets, the triage page) of all N items at the default threshold."""
    buckets = Buckets(BUCKET_THRESHOLD)
    timings = []
    start = time.perf_counter()
    for entry in entries:
        began = time.perf_counter()
        buckets.add(entry.title, entry.body)
        timings.append((time.perf_counter() - began) * 1000)
    rate = len(entries) / (time.perf_counter() - start)
    timings.sort()
    return {
        "bucket_items_per_s": round(rate),
        "bucket_ms_p95": round(timings[int(0.95 * len(timings))], 1),
        "buckets": len(buckets),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--data", type=Path, required=True, help="a folder of labelled JSON-lines files")
    args = parser.parse_args()
    if not args.data.is_dir() or not any(args.data.glob("*.jsonl")):
        parser.error(f"--data {args.data}: no *.jsonl files there (labelled items: id, title, body, group)")
    rng = random.Random(11)
    base = texts(args.data)
    vocabulary = sorted({word for title, _ in base for word in title.split()})
    entries = []
    for n in range(args.n):
        title, body = base[n % len(base)]
        if n >= len(base):
            words = title.split()
            for _ in range(2):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            title = " ".join(words)
        entries.append(IndexEntry(f"item-{n}", title, body[:2000]))
    index = SearchIndex()
    start = time.perf_counter()
    for i in range(0, len(entries), 10_000):
        index.add(entries[i : i + 10_000])
    rate = len(entries) / (time.perf_counter() - start)
    timings = []
    for entry in rng.sample(entries, args.queries):
        began = time.perf_counter()
        index.similar(entry.title, entry.body, limit=10, exclude=entry.id)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    bucketing = bucketing_cost(entries)
    figures = {
        "items": len(index),
        "index_items_per_s": round(rate),
        "query_ms_p50": round(statistics.median(timings), 1),
        "query_ms_p95": round(timings[int(0.95 * len(timings))], 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **recall_at_scale(index, entries, args.data, args.queries),
        **bucketing,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
