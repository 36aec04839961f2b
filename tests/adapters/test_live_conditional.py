"""Conditional requests: `crowdcare respond` reads every open issue's comments every hour; with the ETags of the
pages the last run read, GitHub answers an unchanged page 304 (free: it does not count against the rate limit).
The stand-in answers as GitHub does (an ETag on every GET, 304 for a matching If-None-Match); each test fails if
the adapter sends no ETag, or trusts a cached page after the thread changed."""

from __future__ import annotations

from pathlib import Path

from crowdcare.adapters.etag_cache import EtagCache
from crowdcare.adapters.live import LiveGitHub
from tests.adapters.conftest import REPO
from tests.adapters.standin import StandIn


def comment(standin: StandIn, number: int, n: int, body: str) -> None:
    at = f"2026-11-20T11:{n:02d}:00Z"
    standin.comments[number].append(
        {"id": 80_000 + n, "body": body, "created_at": at, "updated_at": at, "author_association": "NONE",
         "user": {"login": "customer", "id": 7001, "type": "User"}}
    )  # fmt: skip
    standin.issues[number]["comments"] = len(standin.comments[number])


def sweep(standin: StandIn, path: Path) -> dict[int, list[str]]:
    """One run, as a workflow run is: a new client, the cache loaded from and saved to ``path``."""
    github = LiveGitHub("test-token", REPO, base_url=standin.url)
    github.etag_cache = EtagCache.load(path)
    threads = {t.ref.number: [r.body for r in t.replies] for t in github.threads_updated_since(None)}
    github.etag_cache.save(path)
    return threads


def test_an_unchanged_sweep_costs_only_free_304s_and_a_changed_thread_is_read_again(
    standin: StandIn, tmp_path: Path
) -> None:
    for number in (1, 2, 3):
        standin.add_issue(number)
        comment(standin, number, number, f"More detail on {number}.")
    cache = tmp_path / "etags.json"
    first = sweep(standin, cache)
    assert first == {1: ["More detail on 1."], 2: ["More detail on 2."], 3: ["More detail on 3."]}
    assert {r.status for r in standin.requests("GET")} == {200}

    standin.log.clear()
    assert sweep(standin, cache) == first  # the same threads, from the cache
    gets = standin.requests("GET")
    assert len(gets) == 4 and {r.status for r in gets} == {304}  # the listing and three comment pages

    standin.log.clear()
    comment(standin, 2, 9, "Still broken today.")  # the listing changes too: its comment count moved
    again = sweep(standin, cache)
    assert again[2] == ["More detail on 2.", "Still broken today."] and again[1] == first[1]
    counted = [r.path for r in standin.requests("GET") if r.status == 200]
    assert sorted(counted) == [f"/repos/{REPO}/issues", f"/repos/{REPO}/issues/2/comments"]


def test_a_damaged_or_foreign_cache_is_empty_and_every_page_is_read(standin: StandIn, tmp_path: Path) -> None:
    standin.add_issue(1)
    comment(standin, 1, 1, "Hello.")
    cache = tmp_path / "etags.json"
    for text in ("{not json", '{"version": 99, "pages": {}}', '["a list"]'):
        cache.write_text(text)
        standin.log.clear()
        assert sweep(standin, cache) == {1: ["Hello."]}
        assert {r.status for r in standin.requests("GET")} == {200}, text
        cache.write_text(text)  # the next attempt starts damaged again


def test_without_the_cache_no_conditional_request_is_made(standin: StandIn) -> None:
    standin.add_issue(1)
    comment(standin, 1, 1, "Hello.")
    github = LiveGitHub("test-token", REPO, base_url=standin.url)
    list(github.threads_updated_since(None))
    list(github.threads_updated_since(None))
    assert {r.status for r in standin.requests("GET")} == {200}
