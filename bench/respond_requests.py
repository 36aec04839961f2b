"""Requests per `crowdcare respond` sweep of N open questions, counted in the stand-in server's log (real
PyGithub against GitHub's REST OpenAPI description; GraphQL validated against GitHub's schema and charged GitHub's
published cost).

    .venv/bin/python bench/respond_requests.py [--n 200 --n 2000] [--json]

The N threads: half issues, half discussions. A quarter each were asked 2 hours ago (nothing due), 30 hours ago
(acknowledge: comment, label, assignee), 4 days ago (acknowledge and escalate), and 30 hours ago with a community
reply (nothing due). Each sweep is a new client, as each workflow run is, with the ETag cache the workflow keeps
between runs (.cache/crowdcare/etags.json). The first sweep acts; the second, an hour later, reads again the
threads the first one wrote to; the third, an hour after that, is the steady state (nothing changed). `rest_counted`
is what counts against the token's 1,000 requests an hour: a 304 (an unchanged page) does not. Figures only: no
assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.adapters.standin import StandIn

from crowdcare.adapters.etag_cache import EtagCache
from crowdcare.adapters.live import LiveGitHub
from crowdcare.core.settings import Config
from crowdcare.respond.guarantee import Rotation, is_question, respond_all
from intake_requests import REPO, config, summarize

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def ago(hours: float) -> str:
    return (NOW - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def populate(standin: StandIn, total: int) -> None:
    ages = [2, 30, 96, 30]
    for n in range(total):
        age = ages[n % 4]
        if n < total // 2:
            standin.add_issue(n + 1, created=ago(age), updated=ago(age))
            if n % 4 == 3:
                reply = {"id": 70_000 + n, "body": "Try Reports → Export.", "created_at": ago(age - 1),
                         "author_association": "NONE", "user": {"login": "helper", "id": 9, "type": "User"}}  # fmt: skip
                standin.comments[n + 1].append(reply)
        else:
            standin.add_discussion(n + 1, updated=ago(age))
            if n % 4 == 3:
                standin.discussions[n + 1]["comments"]["nodes"].append(
                    {"id": f"DC_h{n}", "url": f"https://github.com/octo-org/octo-repo/discussions/{n + 1}#dc{n}",
                     "upvoteCount": 0, "body": "Try Reports → Export.", "createdAt": ago(age - 1),
                     "authorAssociation": "NONE", "author": {"__typename": "User", "login": "helper", "databaseId": 9}}
                )  # fmt: skip


def run_sweep(standin: StandIn, cfg: Config, now: dt.datetime, rotation: Rotation, cache: Path) -> dict[str, Any]:
    standin.log.clear()
    standin.graphql_points = 0
    github = LiveGitHub("t", REPO, base_url=standin.url)
    github.etag_cache = EtagCache.load(cache)
    started = time.perf_counter()
    threads = [t for t in github.threads_updated_since(None) if is_question(t, cfg)]
    outcomes = respond_all(threads, cfg, github, now, rotation)
    github.etag_cache.save(cache)
    seconds = time.perf_counter() - started
    rest_counted = sum(r.path != "/graphql" and r.status != 304 for r in standin.log)
    return {
        **summarize(standin),
        "rest_counted": rest_counted,
        "not_modified": sum(r.status == 304 for r in standin.log),
        "graphql_points": standin.graphql_points,
        "actions": sum(len(o.actions) for o in outcomes),
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, action="append", help="open questions (repeatable); default 200 and 2000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cfg = config()
    for total in args.n or [200, 2000]:
        figures: dict[str, Any] = {"n": total}
        with StandIn() as standin, tempfile.TemporaryDirectory() as tmp:
            populate(standin, total)
            rotation = Rotation(cfg)
            cache = Path(tmp) / "etags.json"
            for hour, name in enumerate(("first_sweep", "second_sweep", "steady_sweep")):
                figures[name] = run_sweep(standin, cfg, NOW + dt.timedelta(hours=hour), rotation, cache)
            assert standin.invalid == [], standin.invalid
        if args.json:
            print(json.dumps(figures))
            continue
        for name in ("first_sweep", "second_sweep", "steady_sweep"):
            f = figures[name]
            print(
                f"N={total:<5} {name:13} {f['requests']:5} requests: {f['rest']} REST ({f['rest_counted']} counted, "
                f"{f['not_modified']} free 304s), {f['graphql']} GraphQL ({f['graphql_points']} points); "
                f"{f['writes']} writes for {f['actions']} actions in {f['seconds']} s"
            )


if __name__ == "__main__":
    main()
