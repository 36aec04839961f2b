"""The metrics and triage pages: charts are static, reproducible SVG with nothing that runs or fetches."""

from __future__ import annotations

import re
from dataclasses import replace

from crowdcare.content.store import load_content
from crowdcare.core.model import ResponseLedger, ResponseRecord, ResponseStatus
from crowdcare.core.repository import Content
from crowdcare.site.community import METRICS, TRIAGE, community_pages
from tests.builders import Repo


def _ledger() -> ResponseLedger:
    records = tuple(
        ResponseRecord(
            f"discussion #{n}",
            f"https://github.com/acme/c/discussions/{n}",
            f"Question {n}",
            f"2026-11-{n:02d}T10:00:00Z",
            ResponseStatus.ACCEPTED if n % 3 else ResponseStatus.NEEDS_STAFF,
            holder="staffer" if n % 3 == 0 else None,
            first_response_at=f"2026-11-{n:02d}T1{n % 10}:30:00Z",
            first_response_by="staff" if n % 2 else "community",
            answered_at=f"2026-11-{n:02d}T1{n % 10}:30:00Z" if n % 3 else None,
            answered_by=("staff" if n % 2 else "community") if n % 3 else None,
            bucket_size=1 + n % 2,
        )
        for n in range(1, 21)
    )
    return ResponseLedger("2026-11-21T00:00:00Z", records=records)


def _content(sample_repo: Repo) -> Content:
    return replace(load_content(sample_repo.root), ledger=_ledger())


def test_without_a_ledger_both_pages_say_how_to_get_one(sample_repo: Repo) -> None:
    content = load_content(sample_repo.root)
    assert content.config is not None
    pages = community_pages(content, content.config)
    assert set(pages) == {METRICS, TRIAGE}
    assert all("crowdcare respond" in text for text in pages.values())


def test_metrics_page_shows_the_figures_and_three_charts(sample_repo: Repo) -> None:
    content = _content(sample_repo)
    assert content.config is not None
    pages = community_pages(content, content.config)
    metrics = pages[METRICS]
    assert "| Time to first response: median |" in metrics and "| Time to accepted answer: median |" in metrics
    assert metrics.count("![") == 3 and "| Deflected |" in metrics and "Kaplan-Meier" in metrics
    charts = [path for path in pages if path.endswith(".svg")]
    assert len(charts) == 3
    for path in charts:
        svg = pages[path]
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        # Namespace URIs (w3.org, purl.org) are names, not fetches; nothing may load or run.
        assert not re.search(
            r"<script|\son\w+=|javascript:|href=\"https?:|url\(\s*['\"]?https?:|@import|<foreignObject", svg
        )


def test_charts_are_reproducible(sample_repo: Repo) -> None:
    content = _content(sample_repo)
    assert content.config is not None
    assert community_pages(content, content.config) == community_pages(content, content.config)


def test_triage_lists_who_waits_largest_bucket_then_oldest_with_the_holder(sample_repo: Repo) -> None:
    content = _content(sample_repo)
    assert content.config is not None
    triage = community_pages(content, content.config)[TRIAGE]
    rows = [line for line in triage.splitlines() if line.startswith("| [") and "discussions/" in line]
    numbers = [int(re.search(r"discussions/(\d+)", row).group(1)) for row in rows]  # type: ignore[union-attr]
    assert numbers == [3, 9, 15, 6, 12, 18]  # bucket 2 (odd numbers) first, each group oldest first
    load = triage.split("## Load", 1)[1]  # each staff member's share of the waiting
    assert re.search(r"\| \[@staffer\]\([^)]*\)[^|]* \| 6 \| ", load)  # holds all six
    assert "@staffer" in rows[0]
