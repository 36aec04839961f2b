"""Tally figures: 1,000 ideas with 50,000 reactions read and counted against the stand-in.

    .venv/bin/python bench/tally.py [--ideas 1000] [--reactions 50000] [--json]

The stand-in serves GitHub's GraphQL schema (documents validated, executed over its state) and charges each
query GitHub's published rate-limit cost; real PyGithub talks to it over HTTP on 127.0.0.1. Ideas are 90 %
discussions and 10 % issues; reactions follow a long tail (a few ideas hold thousands, most a few dozen), as on
real idea boards. Each idea has its file in ideas/, so the run is a full `crowdcare tally`: list, page, count,
patch each file's vote fields, append the history. Then the ideas are read again with the reaction cache the first
run left (`points_rerun`: nothing changed in between). Figures: GraphQL queries and points (the workflow token gets
1,000 points an hour), wall time, peak memory (Python allocations during the tally, and the process's RSS).
Figures only: no assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from tests.adapters.standin import StandIn
from tests.builders import CONFIG

from crowdcare.adapters.live import LiveGitHub
from crowdcare.adapters.pulls import LiveRepository
from crowdcare.adapters.reaction_cache import ReactionCache
from crowdcare.content.documents import idea_document
from crowdcare.content.store import load_content
from crowdcare.core.model import Idea as IdeaModel
from crowdcare.core.model import IdeaStatus, PersonRef, Votes
from crowdcare.tally.ideas import tally
from crowdcare.tally.tallier import Tallier

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
REPO = "octo-org/octo-repo"


def long_tail(ideas: int, reactions: int, rng: random.Random) -> list[int]:
    weights = [1 / (rank + 1) ** 0.8 for rank in range(ideas)]
    scale = reactions / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    counts[0] += reactions - sum(counts)
    rng.shuffle(counts)
    return counts


def build(standin: StandIn, root: Path, ideas: int, reactions: int) -> None:
    rng = random.Random(6)
    voters = 20_000
    (root / "ideas").mkdir(parents=True)
    (root / "kb").mkdir()
    (root / "crowdcare.yml").write_text(
        yaml.safe_dump({**CONFIG, "intake": {"idea": {"discussion_categories": ["Ideas"], "issue_labels": ["idea"]}}})
    )
    for index, count in enumerate(long_tail(ideas, reactions, rng)):
        number = index + 1
        nodes = []
        for voter in rng.sample(range(voters), k=min(count, voters)):
            at = NOW - dt.timedelta(days=rng.uniform(0, 300))
            since = at - dt.timedelta(days=rng.uniform(1, 3000))
            nodes.append(
                {
                    "content": "THUMBS_UP" if rng.random() < 0.95 else "THUMBS_DOWN",
                    "createdAt": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "user": {
                        "login": f"v{voter}",
                        "databaseId": 1_000_000 + voter,
                        "createdAt": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    },
                }
            )
        nodes.sort(key=lambda n: str(n["createdAt"]))
        issue = index % 10 == 9
        standin.add_idea(number, nodes, issue=issue, upvotes=rng.randint(0, count // 4) if not issue else 0)
        channel = "issues" if issue else "discussions"
        idea = IdeaModel(
            path=f"ideas/idea-{number}.md",
            slug=f"idea-{number}",
            title=f"Idea {number}",
            status=IdeaStatus.OPEN,
            author=PersonRef("idea-author", 2000 + number if not issue else 3000 + number),
            source=f"https://github.com/{REPO}/{channel}/{number}",
            votes=Votes(),
            created=dt.date(2026, 1, 1),
            body="It would help.",
        )
        (root / idea.path).write_text(idea_document(idea))


def run(ideas: int, reactions: int) -> dict[str, float | int]:
    with StandIn() as standin, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build(standin, root, ideas, reactions)
        content = load_content(root)
        assert content.config is not None and not content.findings, content.findings[:3]
        standin.log.clear()
        standin.graphql_points = 0
        github = LiveGitHub("bench-token", REPO, base_url=standin.url)
        github.reaction_cache = ReactionCache()  # empty: the first run reads everything
        tracemalloc.start()
        started = time.perf_counter()
        threads = list(github.idea_threads(content.config.intake.idea))
        read = time.perf_counter() - started
        tallier = Tallier(
            config=content.config,
            content=content,
            read_text=lambda path: (root / path).read_text(),
            github=github,
            repo=LiveRepository(github, "main"),
            now=NOW,
            history=[],
        )
        result = tally(threads, tallier, lambda outcome: None)
        wall = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        queries = [r for r in standin.log if r.path == "/graphql"]
        # A rerun with nothing changed: the reaction cache the first run filled (written and read back, as the
        # workflow keeps it between runs) spares the follow-up pages of every idea whose votes did not change.
        rest = len(standin.log) - len(queries)
        cache_file = root / "reactions.json"
        assert github.reaction_cache is not None
        github.reaction_cache.save(cache_file)
        again = LiveGitHub("bench-token", REPO, base_url=standin.url)
        again.reaction_cache = ReactionCache.load(cache_file)
        before = len(standin.log)
        rerun_threads = list(again.idea_threads(content.config.intake.idea))
        rerun_queries = [r for r in standin.log[before:] if r.path == "/graphql"]
        assert sum(len(t.reactions) for t in rerun_threads) == sum(len(t.reactions) for t in threads)
        return {
            "ideas": len(threads),
            "reactions": sum(len(t.reactions) for t in threads),
            "graphql_queries": len(queries),
            "follow_up_queries": sum("MoreReactions" in r.body["query"] for r in queries),
            "rest_requests": rest,
            "graphql_points": github.graphql_points,
            "points_first": github.graphql_points,
            "points_rerun": again.graphql_points,
            "rerun_queries": len(rerun_queries),
            "rerun_follow_up_queries": sum("MoreReactions" in r.body["query"] for r in rerun_queries),
            "cache_bytes": cache_file.stat().st_size,
            "read_s": round(read, 1),
            "wall_s": round(wall, 1),
            "files_changed": len(result.files),
            "peak_alloc_mb": round(peak / 2**20),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--reactions", type=int, default=50_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args.ideas, args.reactions)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>18}: {value:,}" if isinstance(value, int) else f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
