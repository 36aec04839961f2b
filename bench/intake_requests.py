"""Requests per intake, counted in the stand-in server's log (real PyGithub, GitHub's REST OpenAPI description).

    .venv/bin/python bench/intake_requests.py [--json]

Scenarios: the intake of one new issue (as the intake workflow runs it for an `issues` event), of one new
discussion, a rerun of each (nothing to do), and an hourly sweep of 50 new threads (25 issues, 25 discussions).
Every request counts against the token's primary rate limit (1,000 per hour per repository for GITHUB_TOKEN);
POST/PATCH and GraphQL mutations also count against the secondary limit on content creation.
Figures only: no assertions.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from tests.adapters.standin import StandIn
from tests.builders import CONFIG, Repo

from crowdcare.adapters.live import LiveGitHub
from crowdcare.content.config import load_config
from crowdcare.core.model import Channel, ThreadRef
from crowdcare.core.settings import Config
from crowdcare.intake.take_in import take_in, take_in_all

REPO = "octo-org/octo-repo"


def config() -> Config:
    folder = Path(tempfile.mkdtemp())
    repo = Repo(folder)
    repo.write(
        "crowdcare.yml", yaml.safe_dump({**CONFIG, "intake": {"bot_login": "crowdcare-bot", "staff_associations": []}})
    )
    loaded, _ = load_config(folder)
    assert loaded is not None
    return loaded


def summarize(standin: StandIn) -> dict[str, int]:
    writes = sum(1 for r in standin.log if r.method in ("POST", "PATCH") and r.path != "/graphql")
    writes += sum(
        1
        for r in standin.log
        if r.path == "/graphql" and str((r.body or {}).get("query", "")).lstrip().startswith("mutation")
    )
    return {
        "requests": len(standin.log),
        "rest": sum(r.path != "/graphql" for r in standin.log),
        "graphql": sum(r.path == "/graphql" for r in standin.log),
        "writes": writes,
    }


def one(channel: Channel, cfg: Config) -> tuple[dict[str, int], dict[str, int]]:
    with StandIn() as standin:
        github = LiveGitHub("t", REPO, base_url=standin.url)
        if channel is Channel.ISSUE:
            standin.add_issue(7)
        else:
            standin.add_discussion(7)
        ref = ThreadRef(channel, 7)
        take_in(github.get_thread(ref), cfg, github)  # type: ignore[arg-type]
        first = summarize(standin)
        standin.log.clear()
        take_in(github.get_thread(ref), cfg, github)  # type: ignore[arg-type]
        return first, summarize(standin)


def sweep(cfg: Config) -> dict[str, int]:
    with StandIn() as standin:
        github = LiveGitHub("t", REPO, base_url=standin.url)
        for number in range(1, 26):
            standin.add_issue(number)
            standin.add_discussion(100 + number)
        outcomes = take_in_all(github.threads_updated_since("2026-11-01T00:00:00Z"), cfg, github)
        assert sum(o.action == "posted" for o in outcomes) == 50
        return summarize(standin)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cfg = config()
    issue, issue_again = one(Channel.ISSUE, cfg)
    discussion, discussion_again = one(Channel.DISCUSSION, cfg)
    swept = sweep(cfg)
    figures = {
        "issue": issue,
        "issue_rerun": issue_again,
        "discussion": discussion,
        "discussion_rerun": discussion_again,
        "sweep_50": swept,
    }
    if args.json:
        print(json.dumps(figures))
        return
    for name, f in figures.items():
        print(f"{name:17} {f['requests']:4} requests ({f['rest']} REST, {f['graphql']} GraphQL; {f['writes']} writes)")


if __name__ == "__main__":
    main()
