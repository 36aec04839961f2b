"""Site build cost: plain MkDocs-Material vs crowdcare's build of the same Markdown, for N synthetic solutions.

    .venv/bin/python bench/site.py --n 1000 --n 2000 [--repeat 3] [--people-ratio 0.25] [--json]

- plain: MkDocs-Material builds the pages that `crowdcare pages --out` writes for the N solutions (solution
  pages, topic listings, tags, board, roadmap, contributors, profiles) as ordinary docs files, no plugin.
- crowdcare: MkDocs-Material with the crowdcare plugin builds the same site from kb/: it loads and validates
  every file, generates the same pages in memory and sanitizes each one after rendering.
- bare (context only): MkDocs-Material on just the N solutions' title, question and body as docs pages.

The ratio crowdcare / plain is what the plugin costs. All builds use the same theme and Markdown extensions and
keep generated pages out of the navigation; plain and bare use Material's search plugin, crowdcare its own site
search (Pagefind, fed by the plugin as pages are built), so each ratio includes building the site's search index.
The builds take turns (plain, crowdcare, bare, then again), and the ratio is the median of each turn's
crowdcare / plain. Prints wall time (median of --repeat), CPU time (every process of the build: the plugin's
workers and Pagefind included), peak RSS (the largest single process) and page counts. Figures only: no
assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
TOPICS = ["accounts", "billing", "sync", "mobile", "api", "import", "reports", "security"]
WORDS = [
    "invoice",
    "payment",
    "bank",
    "feed",
    "sync",
    "error",
    "account",
    "customer",
    "export",
    "import",
    "report",
    "tax",
    "receipt",
    "mobile",
    "app",
    "login",
    "password",
    "team",
    "plan",
    "upgrade",
    "refund",
    "balance",
    "statement",
    "reconcile",
    "currency",
    "webhook",
    "token",
    "limit",
]

# A child process measures one build: wall, user+system CPU and peak RSS of the mkdocs process.
MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))
""")


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def body(rng: random.Random) -> str:
    steps = "\n".join(f"{i}. {sentence(rng, 10)} Choose *Settings → {rng.choice(WORDS).title()}*." for i in range(1, 5))
    return (
        f"{sentence(rng, 25)} {sentence(rng, 18)}\n\n{steps}\n\n**Note:** {sentence(rng, 20)}\n\n"
        f"```text\n{rng.choice(WORDS)}: {rng.randint(100, 999)} {sentence(rng, 5)}\n```\n\n{sentence(rng, 30)}\n"
    )


def make_content(n: int, people: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    logins = [f"user-{i:05d}" for i in range(people)]
    items = []
    for i in range(n):
        asker, answerer = rng.sample(logins, 2)
        items.append(
            {
                "topic": TOPICS[i % len(TOPICS)],
                "slug": f"problem-{i:05d}",
                "title": f"{sentence(rng, 6)[:-1]} ({i})",
                "question": sentence(rng, 30),
                "body": body(rng),
                "tags": rng.sample(WORDS[:20], 2),
                "contributors": [
                    {"login": asker, "id": 1000 + logins.index(asker), "role": "asker"},
                    {"login": answerer, "id": 1000 + logins.index(answerer), "role": "answerer"},
                ],
                "also_asked": rng.randint(0, 6),
            }
        )
    return items


def mkdocs_yml(extra: str) -> str:
    return textwrap.dedent(f"""\
        site_name: bench
        theme:
          name: material
        plugins:
          - search
        {extra}
        markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.details, pymdownx.superfences, pymdownx.highlight]
        not_in_nav: |
          /kb/
          /ideas/
          /people/
          /board/
          /solutions/
          /tags/
          /contributors/
        """)


def write_pregenerated(folder: Path, crowdcare_repo: Path) -> None:
    """The pages crowdcare generates, written by `crowdcare pages` and built without the plugin."""
    (folder / "mkdocs.yml").write_text(mkdocs_yml("").replace("        \n", ""))
    crowdcare = str(Path(sys.executable).parent / "crowdcare")
    subprocess.run(
        [crowdcare, "--root", str(crowdcare_repo), "pages", "--out", str(folder / "docs")],
        check=True,
        capture_output=True,
    )


def write_bare(folder: Path, items: list[dict[str, object]]) -> None:
    (folder / "mkdocs.yml").write_text(mkdocs_yml("").replace("        \n", ""))
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    for item in items:
        page = docs / "kb" / str(item["topic"]) / f"{item['slug']}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# {item['title']}\n\n> {item['question']}\n\n{item['body']}")


def write_crowdcare(folder: Path, items: list[dict[str, object]]) -> None:
    # crowdcare's site search is Pagefind, fed by its plugin as pages are built, instead of Material's search plugin.
    (folder / "mkdocs.yml").write_text(mkdocs_yml("  - crowdcare").replace("  - search\n", "", 1))
    (folder / "docs").mkdir()
    config = {
        "community": {
            "name": "Bench",
            "repo": "bench/community",
            "ask_url": "https://github.com/bench/community/discussions/new",
        },
        "topics": [{"slug": t, "title": t.title()} for t in TOPICS],
        "staff": [{"login": "user-00000", "id": 1000}],
    }
    (folder / "crowdcare.yml").write_text(yaml.safe_dump(config))
    base = "https://github.com/bench/community/discussions"
    for thread, item in enumerate(items, 1):
        also = [f"{base}/{100000 + thread * 10 + k}" for k in range(int(item["also_asked"]))]  # type: ignore[call-overload]
        meta = {
            "title": item["title"],
            "question": item["question"],
            "status": "accepted",
            "topic": item["topic"],
            "tags": item["tags"],
            "contributors": item["contributors"],
            "source": f"{base}/{thread}",
            "created": "2026-01-01",
            "updated": "2026-01-02",
        }
        if also:
            meta["also_asked"] = also
        page = folder / "kb" / str(item["topic"]) / f"{item['slug']}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n" + str(item["body"]))


def build_once(folder: Path) -> dict[str, float]:
    shutil.rmtree(folder / "site", ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, MKDOCS, "build", "--strict", "--quiet"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
    )
    return dict(json.loads(out.stdout), pages=sum(1 for _ in (folder / "site").rglob("index.html")))


def measure(folders: list[Path], repeat: int) -> tuple[list[dict[str, float]], list[float]]:
    """Builds each folder ``repeat`` times, taking turns (plain, crowdcare, bare, plain, ...): the machine's speed
    drifts (a virtual machine shares its cores: the same build took 108 s and 137 s within the hour), and turns
    let each ratio compare builds made side by side. Returns per folder the median wall and CPU time, the peak RSS
    and the pages, and the ratio second / first of each turn."""
    runs: list[list[dict[str, float]]] = [[] for _ in folders]
    for _ in range(repeat):
        for folder, made in zip(folders, runs, strict=True):
            made.append(build_once(folder))
    figures = [
        {
            "wall": statistics.median(r["wall"] for r in made),
            "cpu": statistics.median(r["cpu"] for r in made),
            "rss_mb": max(r["rss_mb"] for r in made),
            "pages": made[-1]["pages"],
        }
        for made in runs
    ]
    ratios = [b["wall"] / a["wall"] for a, b in zip(runs[0], runs[1], strict=True)]
    return figures, ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--n", type=int, action="append", help="number of solutions (repeatable); default 1000 and 2000"
    )
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant; the median is reported")
    parser.add_argument("--people-ratio", type=float, default=0.25, help="distinct people per solution")
    parser.add_argument("--json", action="store_true", help="print one JSON object per N")
    args = parser.parse_args()
    for n in args.n or [1000, 2000]:
        items = make_content(n, max(10, int(n * args.people_ratio)))
        with tempfile.TemporaryDirectory() as tmp:
            plain, crowd, bare = Path(tmp) / "plain", Path(tmp) / "crowdcare", Path(tmp) / "bare"
            for folder in (plain, crowd, bare):
                folder.mkdir()
            write_crowdcare(crowd, items)
            write_pregenerated(plain, crowd)
            write_bare(bare, items)
            (a, b, c), ratios = measure([plain, crowd, bare], args.repeat)
        result = {
            "n": n,
            "plain_s": round(a["wall"], 2),
            "crowdcare_s": round(b["wall"], 2),
            "ratio": round(statistics.median(ratios), 3),
            "ratios": [round(r, 3) for r in ratios],
            "plain_cpu_s": round(a["cpu"], 2),
            "crowdcare_cpu_s": round(b["cpu"], 2),
            "plain_peak_mb": round(a["rss_mb"]),
            "crowdcare_peak_mb": round(b["rss_mb"]),
            "pages": b["pages"],
            "bare_s": round(c["wall"], 2),
            "bare_pages": c["pages"],
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"N={n:>5}  plain MkDocs-Material {a['wall']:6.2f} s ({a['pages']} pages, peak {a['rss_mb']:.0f} MB)   "
                f"crowdcare {b['wall']:6.2f} s ({b['pages']} pages, peak {b['rss_mb']:.0f} MB)   "
                f"ratio {result['ratio']:.3f} (median of {len(ratios)} turns)   [bare solutions only: {c['wall']:.2f} s, {c['pages']} pages]"
            )


if __name__ == "__main__":
    main()
