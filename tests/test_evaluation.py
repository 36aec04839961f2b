"""The duplicate-detection benchmark: its metrics are right on cases worked by hand, and it reads any file."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.core.errors import BadInputError
from crowdcare.similarity.benchmark import (
    BUCKET_SWEEP,
    KEYS,
    Item,
    online_buckets,
    pair_scores,
    read_items,
    run_benchmark,
    sweep,
)
from crowdcare.similarity.dedup import BUCKET_THRESHOLD, DUPLICATE_THRESHOLD


def test_perfect_bucketing_scores_one() -> None:
    scores = pair_scores([0, 0, 1, 1, 2], ["a", "a", "b", "b", "c"])
    assert scores == {"pair_precision": 1.0, "pair_recall": 1.0, "pair_f1": 1.0, "ari": 1.0}


def test_pair_scores_worked_by_hand() -> None:
    # buckets {1,2,3} {4,5}; groups {1,2} {3,4,5}: same-bucket pairs 3+1=4, same-group pairs 1+3=4,
    # pairs in both: (1,2) and (4,5) = 2 -> precision 2/4, recall 2/4.
    scores = pair_scores([0, 0, 0, 1, 1], ["x", "x", "y", "y", "y"])
    assert scores["pair_precision"] == 0.5 and scores["pair_recall"] == 0.5 and scores["pair_f1"] == 0.5
    # ARI: index 2, expected 4*4/10 = 1.6, max 4 -> (2 - 1.6) / (4 - 1.6) = 1/6.
    assert scores["ari"] == pytest.approx(1 / 6)


def test_everything_in_one_bucket_has_full_recall_and_low_precision() -> None:
    scores = pair_scores([0, 0, 0, 0], ["a", "a", "b", "b"])
    assert scores["pair_recall"] == 1.0 and scores["pair_precision"] == pytest.approx(2 / 6)


def items_from(rows: list[tuple[str, str | None]]) -> list[Item]:
    return [Item(f"i{n}", title, "", group) for n, (title, group) in enumerate(rows)]


SMALL = items_from(
    [
        ("card has not arrived yet", "card"),
        ("my new card still has not arrived", "card"),
        ("when will my card arrive", "card"),
        ("how do I reset my password", "password"),
        ("forgot my password, how to reset it", "password"),
        ("what is the exchange rate for euros", None),
    ]
)


def test_online_buckets_only_look_back() -> None:
    buckets = online_buckets(SMALL, 0.3, lambda done: None)
    assert buckets[0] == 0  # the first item always opens a bucket
    assert buckets[1] == buckets[0] and buckets[4] == buckets[3] != buckets[0]
    assert buckets[5] not in buckets[:5]


def test_benchmark_reports_exactly_the_protocol_keys() -> None:
    figures = run_benchmark(SMALL, 0.3)
    assert tuple(figures) == KEYS
    assert figures["recall_at_1"] == 1.0
    assert 0 < figures["claim_coverage"] <= 1


def test_a_sweep_agrees_with_the_benchmark_at_each_threshold() -> None:
    rows = sweep(SMALL, duplicate_thresholds=(0.2, 0.5, 0.9), bucket_thresholds=(0.1, 0.3, 0.9))
    assert [r["threshold"] for r in rows["claims"]] == [0.2, 0.5, 0.9]
    counts = [r["claims"] for r in rows["claims"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1], "a higher bar claims less"
    for claim_row, bucket_row in zip(rows["claims"], rows["buckets"], strict=True):
        figures = run_benchmark(SMALL, claim_row["threshold"], bucket_threshold=bucket_row["threshold"])
        assert claim_row["claim_precision"] == figures["claim_precision"]
        assert claim_row["claim_coverage"] == figures["claim_coverage"]
        assert bucket_row["pair_f1"] == figures["pair_f1"] and bucket_row["ari"] == figures["ari"]
        assert bucket_row["buckets_per_group"] == figures["buckets_per_group"]
    assert rows["buckets"][0]["pair_f1"] != rows["buckets"][-1]["pair_f1"]


def test_cli_sweep_marks_the_thresholds_in_use(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(dataclasses.asdict(i)) for i in SMALL))
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "bench", "dedup", str(path), "--sweep"])
    assert result.exit_code == 0, result.output
    marked = [line.split()[0] for line in result.stdout.splitlines() if line.endswith("<- in use")]
    assert marked == [f"{DUPLICATE_THRESHOLD:.2f}", f"{BUCKET_THRESHOLD:.2f}"]
    as_json = CliRunner().invoke(cli, ["--root", str(tmp_path), "bench", "dedup", str(path), "--sweep", "--json"])
    rows = json.loads(as_json.stdout)
    assert set(rows) == {"claims", "buckets"} and len(rows["buckets"]) == len(BUCKET_SWEEP)


def test_cli_prints_one_json_object(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": i.id, "title": i.title, "body": i.body, "group": i.group}) for i in SMALL)
    )
    result = CliRunner().invoke(cli, ["bench", "dedup", str(path), "--threshold", "0.3", "--json"])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)) == [*KEYS, "baseline_recall_at_1", "baseline_recall_at_5"]


def test_cli_runs_outside_a_crowdcare_repository_on_the_default_thresholds(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(dataclasses.asdict(i)) for i in SMALL))
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "bench", "dedup", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert f"default thresholds (duplicate {DUPLICATE_THRESHOLD}, bucket {BUCKET_THRESHOLD}" in result.stderr
    assert list(json.loads(result.stdout)) == [*KEYS, "baseline_recall_at_1", "baseline_recall_at_5"]
    (tmp_path / "crowdcare.yml").write_text("duplicates: [\n")  # there, but broken: stop and say so
    broken = CliRunner().invoke(cli, ["--root", str(tmp_path), "bench", "dedup", str(path), "--json"])
    assert broken.exit_code != 0 and "crowdcare.yml:" in broken.stderr and not broken.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json}\n", ":1: not JSON"),
        ('{"id": "a", "title": "t", "body": "", "group": 3}\n', "group must be text or null"),
        ('{"id": "a", "title": "t"}\n{"id": "a", "title": "u"}\n', "appears twice"),
        ("[1]\n", "expected an object"),
        ('{"id": "a", "title": 5}\n', ":1: title must be text \\(found int\\)"),
        ('{"title": "t"}\n', ":1: id must be text \\(missing\\)"),
        ('{"id": "a", "title": "t"}\n{"id": "b", "title": "t", "body": ["x"]}\n', ":2: body must be text"),
        ("\n", "no items"),
    ],
)
def test_bad_files_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(BadInputError, match=message):
        read_items(path)


def test_halves_split_by_group_never_share_an_enquiry() -> None:
    from crowdcare.similarity.benchmark import Item, half_of

    items = [Item(f"i{n}", f"question {n}", "", f"g{n % 40}" if n % 7 else None) for n in range(400)]
    tune, report = half_of(items, "tune"), half_of(items, "report")
    assert len(tune) + len(report) == len(items) and tune and report
    assert not {i.group for i in tune if i.group} & {i.group for i in report if i.group}
    assert half_of(items, "tune") == tune, "the same split every run"
    assert half_of(items, "all") == items


def test_the_baseline_is_plain_bm25_over_the_same_items() -> None:
    from crowdcare.similarity.benchmark import Item, baseline

    items = [
        Item("a1", "card not arrived yet", "", "arrival"),
        Item("a2", "my card has not arrived", "", "arrival"),
        Item("b1", "exchange rate for euros", "", "rate"),
        Item("b2", "what exchange rate do you use", "", "rate"),
        Item("c1", "card payment declined", "", None),
    ]
    figures = baseline(items)
    assert set(figures) == {"baseline_recall_at_1", "baseline_recall_at_5"}
    assert figures["baseline_recall_at_5"] == 1.0 and 0 < figures["baseline_recall_at_1"] <= 1.0
