"""Promotion figures: requests per promotion (stand-in log), time to promote one thread offline, render probe.

    .venv/bin/python bench/promote.py [--json]

- requests: one discussion with a marked answer promoted against the stand-in built from GitHub's REST OpenAPI
  description (crowdcare's REST calls through PyGithub's requester, GraphQL against GitHub's schema), then a
  rerun (nothing to do) and an update after the answer was edited.
- offline: `promote_thread` on one answered discussion with the snapshot adapter and a real local git repository
  (the sample knowledge base, 42 solutions), median of 5 fresh runs; the similarity index is left out (it is
  built once per sweep, see bench/dedup_scale.py).
- render probe: the worst fixtures a thread can produce (a 65,536-character answer, 65,536 '[' characters, the
  hostile payloads of tests/site/hostile.py), drafted and rendered as the site renders them.
Figures only: no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.adapters.standin import StandIn
from tests.builders import copy_community, init_git
from tests.site.hostile import BODY

from crowdcare.adapters.gitrepo import LocalRepository
from crowdcare.adapters.live import LiveGitHub
from crowdcare.adapters.pulls import LiveRepository
from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.content.documents import solution_document
from crowdcare.content.store import load_content
from crowdcare.core.model import Channel, PersonRef, Reply, Thread, ThreadRef
from crowdcare.promote.draft import draft_solution
from crowdcare.promote.promoter import Promoter
from crowdcare.promote.triggers import promote_thread
from crowdcare.site.probe import probe_solution

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)


def requests_per_promotion() -> dict[str, dict[str, int]]:
    content = load_content(ROOT)
    assert content.config is not None
    figures = {}
    with StandIn() as standin:
        standin.add_answered_discussion(9)
        node = standin.discussions[9]
        github = LiveGitHub("token", "octo-org/octo-repo", base_url=standin.url)
        promoter = Promoter(content.config, content, github, LiveRepository(github, "main"), TODAY,
                            similar=lambda t: [], bucket_of=lambda t: ())  # fmt: skip
        for name in ("first promotion", "rerun (nothing to do)", "update after the question was edited"):
            if name.startswith("update"):
                node["body"] += " It started in 4.12."  # an answer edited after approval waits for a new one
            standin.log.clear()
            thread = github.get_thread(ThreadRef(Channel.DISCUSSION, 9))
            assert thread is not None
            promote_thread(thread, promoter)
            log = list(standin.log)
            figures[name] = {
                "requests": len(log),
                "rest": sum(r.path != "/graphql" for r in log),
                "graphql": sum(r.path == "/graphql" for r in log),
                "writes": sum(r.method in ("POST", "PATCH", "PUT", "DELETE") and r.path != "/graphql" for r in log)
                + sum(r.path == "/graphql" and "mutation" in str((r.body or {}).get("query", "")) for r in log),
            }
    return figures


def offline_seconds(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp())
        root = init_git(copy_community(folder / "repo"))
        snap = SnapshotGitHub.open(folder / "snap", create=True, repository="acme/help", viewer="tallybook-bot")
        shutil.copy(ROOT / "samples/snapshot/discussions/343.json", folder / "snap" / "343.json")
        (folder / "snap" / "discussions").mkdir()
        shutil.move(folder / "snap" / "343.json", folder / "snap" / "discussions" / "343.json")
        start = time.perf_counter()
        content = load_content(root)
        assert content.config is not None
        promoter = Promoter(content.config, content, snap, LocalRepository(root, snap, "main"), TODAY,
                            similar=lambda t: [], bucket_of=lambda t: ())  # fmt: skip
        thread = snap.get_thread(ThreadRef(Channel.DISCUSSION, 343))
        assert thread is not None
        outcomes = promote_thread(thread, promoter)
        times.append(time.perf_counter() - start)
        assert [o.action for o in outcomes] == ["opened"], outcomes
        shutil.rmtree(folder)
    return statistics.median(times)


def probe_worst() -> dict[str, float]:
    content = load_content(ROOT)
    assert content.config is not None
    fixtures = {
        "65,536-character answer": ("lorem ipsum dolor " * 3641)[:65_536],
        "65,536 '[' characters": "[" * 65_536,
        "hostile payloads": BODY,
        "65,536 characters of '[a](b)' links": ("[a](https://x.example/b) " * 2700)[:65_536],
    }
    figures = {}
    for name, body in fixtures.items():
        reply = Reply("DC_1", PersonRef("hugo-helper", 502), body, "2026-11-11T10:00:00Z")
        thread = Thread(ThreadRef(Channel.DISCUSSION, 7), "Worst case", body, PersonRef("carla", 501),
                        "https://github.com/acme/help/discussions/7", "2026-11-10T09:00:00Z",
                        "2026-11-11T10:00:00Z", replies=(reply,))  # fmt: skip
        draft = draft_solution(thread, reply, None, content.config, content, similar=[], also_asked=(), today=TODAY)
        assert solution_document(draft.solution)
        figures[name] = max(probe_solution(draft.solution, content.config, content) for _ in range(3)) * 1000
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "requests": requests_per_promotion(),
        "offline_seconds_median": offline_seconds(),
        "render_probe_ms": probe_worst(),
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print("Requests per promotion (stand-in):")
    for name, row in result["requests"].items():
        print(f"  {name:<38} {row['requests']:>3} requests ({row['rest']} REST, {row['graphql']} GraphQL), "
              f"{row['writes']} writes")  # fmt: skip
    print(f"Promote one thread offline (snapshot + local git, median of 5): {result['offline_seconds_median']:.3f} s")
    print("Render probe, worst of 3 (ms):")
    for name, ms in result["render_probe_ms"].items():
        print(f"  {name:<38} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
