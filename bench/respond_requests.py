"""Requests per `crowdcare respond` sweep of 200 open questions, counted in the stand-in server's log (real
PyGithub against GitHub's REST OpenAPI description; GraphQL validated against GitHub's schema).

    .venv/bin/python bench/respond_requests.py [--json]

The 200 threads: 100 issues and 100 discussions. A quarter each were asked 2 hours ago (nothing due), 30 hours
ago (acknowledge: comment, label, assignee), 4 days ago (acknowledge and escalate), and 30 hours ago with a
community reply (nothing due). The first sweep acts; the second (an hour later, as the schedule runs it) finds
nothing to do and shows the steady-state cost. Figures only: no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.adapters.standin import StandIn

from crowdcare.adapters.live import LiveGitHub
from crowdcare.model import Config
from crowdcare.respond import Rotation, is_question, respond_all
from intake_requests import REPO, config, summarize

NOW = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def ago(hours: float) -> str:
    return (NOW - dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def populate(standin: StandIn) -> None:
    ages = [2, 30, 96, 30]
    for n in range(200):
        age = ages[n % 4]
        if n < 100:
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


def run_sweep(github: LiveGitHub, cfg: Config, now: dt.datetime, rotation: Rotation) -> tuple[int, float]:
    started = time.perf_counter()
    threads = [t for t in github.threads_updated_since(None) if is_question(t, cfg)]
    outcomes = respond_all(threads, cfg, github, now, rotation)
    return sum(len(o.actions) for o in outcomes), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cfg = config()
    figures = {}
    with StandIn() as standin:
        populate(standin)
        github = LiveGitHub("t", REPO, base_url=standin.url)
        rotation = Rotation(cfg)
        actions, seconds = run_sweep(github, cfg, NOW, rotation)
        figures["first_sweep"] = {**summarize(standin), "actions": actions, "seconds": round(seconds, 2)}
        standin.log.clear()
        actions, seconds = run_sweep(github, cfg, NOW + dt.timedelta(hours=1), rotation)
        figures["rerun_sweep"] = {**summarize(standin), "actions": actions, "seconds": round(seconds, 2)}
        assert standin.invalid == [], standin.invalid
    if args.json:
        print(json.dumps(figures))
        return
    for name, f in figures.items():
        print(
            f"{name:12} {f['requests']:4} requests ({f['rest']} REST, {f['graphql']} GraphQL; {f['writes']} writes) "
            f"for {f['actions']} actions in {f['seconds']} s"
        )


if __name__ == "__main__":
    main()
