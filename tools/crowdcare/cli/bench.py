"""`crowdcare bench`: benchmarks that print figures (they never assert timings)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from crowdcare.cli.setup import Context
from crowdcare.core.settings import Config


@click.group()
def bench() -> None:
    """Benchmarks that print figures (they never assert timings).

    Example: crowdcare bench dedup labelled.jsonl --half report --json
    """


@bench.command("dedup")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Duplicate threshold, also used for buckets (default: duplicates.duplicate_threshold and "
    "duplicates.bucket_threshold from crowdcare.yml).",
)
@click.option(
    "--semantic",
    is_flag=True,
    help="Retrieve and claim with the semantic extra (embeddings combined with the lexical score), bucket on "
    "embeddings, with its thresholds (duplicates.semantic); needs pip install 'crowdcare[semantic]'.",
)
@click.option(
    "--sweep",
    is_flag=True,
    help="Instead of the protocol's figures, claims at duplicate thresholds 0.5-0.95 and buckets at bucket "
    "thresholds 0.1-0.6 (0.4-0.9 with --semantic), the ones in use marked: to choose a repository's own thresholds "
    "from labelled threads of its own.",
)
@click.option(
    "--half",
    type=click.Choice(["all", "tune", "report"]),
    default="all",
    show_default=True,
    help="Measure one half of the file, split by group: choose thresholds on 'tune', report figures on 'report' "
    "(never a figure measured on the data it was tuned on).",
)
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Also measure plain BM25 (whoosh's BM25F over the same texts): baseline_recall_at_1 and _at_5.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object with the protocol's keys and the baseline's (with --sweep: "
    '{"claims": [...], "buckets": [...]}, a row per threshold).',
)
@click.pass_obj
def bench_dedup(
    obj: Context,
    file: Path,
    threshold: float | None,
    semantic: bool,
    sweep: bool,
    half: str,
    baseline: bool,
    as_json: bool,
) -> None:
    """Measure duplicate detection on a labelled JSON-lines file (the protocol in bench/README.md).

    Each line is {"id", "title", "body", "group"}; items sharing a group are the same enquiry. Reports
    leave-one-out recall@1/@5 and MRR@10, claim precision and coverage at the production threshold, online
    bucketing in file order (pair precision, recall, F1, ARI, buckets per group) and cost. Progress on stderr.
    With --sweep, how claims and buckets change with their thresholds. Beside them, plain BM25's recall on the same
    items (the baseline). --half tune / report measure one half of the file, split by group: tune on one, report
    on the other.

    Example: crowdcare bench dedup labelled.jsonl --half report --json
    """
    from crowdcare.similarity.benchmark import (
        BUCKET_SWEEP,
        SEMANTIC_BUCKET_SWEEP,
        format_report,
        format_sweep,
        half_of,
        read_items,
        run_benchmark,
    )
    from crowdcare.similarity.benchmark import sweep as sweep_thresholds
    from crowdcare.similarity.dedup import bucket_threshold as bucket_threshold_of
    from crowdcare.similarity.dedup import thresholds

    config = _bench_config(obj.root)
    if threshold is None:
        if semantic:
            on = dataclasses.replace(config.duplicates.semantic, enabled=True)
            config = dataclasses.replace(config, duplicates=dataclasses.replace(config.duplicates, semantic=on))
        threshold, join = thresholds(config)[1], bucket_threshold_of(config)
    else:
        join = threshold  # --threshold serves buckets too
    items = half_of(read_items(file), half)
    index_factory, bucketer = _matchers(config, semantic, remember=sweep)
    if sweep:
        joins = SEMANTIC_BUCKET_SWEEP if semantic else BUCKET_SWEEP
        rows = sweep_thresholds(items, _progress, index_factory, bucketer, bucket_thresholds=joins)
        click.echo(json.dumps(rows) if as_json else format_sweep(file.name, rows, threshold, join))
        return
    figures = run_benchmark(items, threshold, _progress, join, index_factory, bucketer, with_baseline=baseline)
    part = "" if half == "all" else f", {half} half: {len(items):,} items"
    title = f"{file.name} (duplicate threshold {threshold:g}, bucket threshold {join:g}{part})"
    click.echo(json.dumps(figures) if as_json else format_report(title, figures))


def _progress(stage: str, done: int, total: int) -> None:
    click.echo(f"\r{stage}: {done:,}/{total:,}", err=True, nl=done == total)


def _matchers(config: Config, semantic: bool, *, remember: bool) -> tuple[Any, Any]:
    """(how to make an index, how to make a bucketer): whoosh's, or the semantic extra's on its embeddings."""
    from crowdcare.similarity.buckets import Buckets
    from crowdcare.similarity.search_index import SearchIndex

    if not semantic:
        return SearchIndex, Buckets
    from crowdcare.similarity.semantic import Embedder, HybridIndex, SemanticBuckets, weight_of

    embedder = Embedder(remember=remember)
    weight = weight_of(config.duplicates.semantic)
    return (lambda: HybridIndex(SearchIndex(), embedder, weight)), (lambda join: SemanticBuckets(join, embedder))


def _bench_config(root: Path) -> Config:
    """crowdcare.yml's thresholds for the bench; outside a crowdcare repository, the defaults (said on stderr), so
    the bench runs on a data file anywhere. A crowdcare.yml that is there but broken still stops it."""
    from crowdcare.content.config import load_config
    from crowdcare.content.store import load_config_or_fail
    from crowdcare.similarity.dedup import BUCKET_THRESHOLD, DUPLICATE_THRESHOLD

    config, findings = load_config(root)
    if config is None and [f.code for f in findings] == ["CC401"]:
        click.echo(
            f"crowdcare: no crowdcare.yml in {root}: default thresholds (duplicate {DUPLICATE_THRESHOLD}, "
            f"bucket {BUCKET_THRESHOLD}; semantic ones with --semantic)",
            err=True,
        )
        return Config(name="bench", repo="bench/bench", ask_url="", topics=())
    found: Config = load_config_or_fail(root)
    return found


COMMANDS = (bench,)
