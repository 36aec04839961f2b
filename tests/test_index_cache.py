"""The index kept between runs: the open-question catalog survives, refreshes incrementally, and a damaged cache
costs one full listing, never a failure or a half-written file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.cli.main import cli
from crowdcare.core.model import Thread
from crowdcare.similarity.dedup import Catalog, OpenThread
from crowdcare.similarity.index_cache import cache_dir, load_catalog, open_index, save_catalog
from tests.conftest import COMMUNITY, COMMUNITY_SNAPSHOT

SAMPLE = COMMUNITY_SNAPSHOT
TWICE = "https://github.com/fernhill-sample/tallybook-community/discussions/303"


def test_the_catalog_round_trips_and_a_damaged_one_means_a_full_listing(tmp_path: Path) -> None:
    path = tmp_path / "open-threads.json"
    record = OpenThread(
        "https://g/1", "discussion #1", "Title ‮", "Body", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"
    )
    save_catalog(path, Catalog({record.url: record}, "2026-01-02T00:00:00Z"))
    assert load_catalog(path) == Catalog({record.url: record}, "2026-01-02T00:00:00Z")
    assert [p.name for p in tmp_path.iterdir()] == ["open-threads.json"], "no temporary file left behind"
    warnings: list[str] = []
    for damaged in ("{not json", '{"version": 99, "threads": {}, "synced_at": null}', '{"version": 1}', "[]"):
        path.write_text(damaged)
        assert load_catalog(path, warnings.append) == Catalog({})
    assert len(warnings) == 4 and all(str(path) in w for w in warnings)


def test_a_refresh_reads_only_threads_changed_since_the_last_one(tmp_path: Path) -> None:
    snap = SnapshotGitHub.open(tmp_path / "snap", create=True)
    shutil.copytree(SAMPLE, snap.root, dirs_exist_ok=True)
    asked: list[str | None] = []

    def updated(since: str | None) -> Iterator[Thread]:
        asked.append(since)
        return snap.threads_updated_since(since)

    root = COMMUNITY  # the cache goes to $CROWDCARE_CACHE_DIR, a folder of the test's own (conftest.py)
    index, _, catalog = open_index(root, updated)
    assert TWICE in catalog.threads and catalog.synced_at is not None
    assert index.similar("Bank feed shows transactions twice since Friday")[0].id == TWICE
    _, _, again = open_index(root, updated)
    assert asked == [None, catalog.synced_at] and again == catalog
    # Offline (no GitHub): the catalog of the last refresh.
    _, _, offline = open_index(root)
    assert offline == catalog and len(asked) == 2
    stored = json.loads((cache_dir(root) / "open-threads.json").read_text())
    assert stored["synced_at"] == catalog.synced_at and TWICE in stored["threads"]


def test_similar_lists_open_questions_from_a_snapshot_then_from_the_cache(tmp_path: Path) -> None:
    args = ["--root", str(COMMUNITY), "similar", "--title", "Bank feed shows transactions twice since Friday"]
    snapshot = shutil.copytree(SAMPLE, tmp_path / "snap")  # a run locks its snapshot folder: never the fixture
    result = CliRunner().invoke(cli, [*args, "--snapshot", str(snapshot), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == TWICE and rows[0]["kind"] == "thread" and rows[0]["url"] == TWICE
    assert "discussion #303, open" in rows[0]["title"]
    cached = CliRunner().invoke(cli, [*args, "--json"])
    assert cached.exit_code == 0 and json.loads(cached.stdout)[0]["id"] == TWICE


def test_refresh_without_a_token_says_how_to_work_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["--root", str(COMMUNITY), "search", "invoice", "--refresh"])
    assert result.exit_code == 2 and "GITHUB_TOKEN" in result.output and "--snapshot" in result.output


def test_a_damaged_search_index_is_rebuilt_with_a_word_on_stderr_and_answers_as_before() -> None:
    args = ["--root", str(COMMUNITY), "similar", "--title", "My bank feed stopped updating", "--json"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    for segment in (cache_dir(COMMUNITY) / "index").glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])  # a cache restored half-copied
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "unusable (its files are not those the last write left); rebuilding it" in again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
