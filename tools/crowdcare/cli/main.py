"""The ``crowdcare`` command line: thin click commands over the library.

Exit codes: 0 done, 1 failure or findings, 2 bad input or usage. Machine output (``--json``) goes to stdout;
progress and errors go to stderr.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from crowdcare import __version__
from crowdcare.content.store import load_content
from crowdcare.content.validate import validate_repository
from crowdcare.core.errors import BadInputError, CrowdcareError
from crowdcare.core.model import Config
from crowdcare.core.text import one_line

PAGES_MARKER = ".crowdcare-pages"
F = TypeVar("F", bound=Callable[..., Any])


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding crowdcare.yml; ``start`` itself if none does."""
    for folder in (start, *start.parents):
        if (folder / "crowdcare.yml").is_file():
            return folder
    return start


def iso_time(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option that takes a time: ISO 8601, given back as GitHub writes it (UTC, ``Z``); anything else is a usage
    error (``--since yesterday`` used to sweep nothing and exit 0)."""
    from crowdcare.core.times import format_time, parse_time

    if value is None:
        return None
    try:
        return format_time(parse_time(value))
    except BadInputError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time (for example 2026-11-01T00:00:00Z)") from None


class Context:
    def __init__(self, root: Path) -> None:
        self.root = root


def snapshot_option(help: str) -> Callable[[F], F]:
    """``--snapshot DIR``: work on a folder of JSON in GitHub's shapes instead of live GitHub (every command)."""
    return click.option("--snapshot", "snapshot_dir", type=click.Path(file_okay=False, path_type=Path), help=help)


class CrowdcareGroup(click.Group):
    """One place maps errors to exit codes: any crowdcare error a command lets through is one line on stderr and
    its exit code (1 run again, 2 bad input), never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrowdcareError as exc:
            click.echo(f"crowdcare: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=CrowdcareGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="crowdcare")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Repository holding crowdcare.yml, kb/ and ideas/. Default: the nearest folder upwards with crowdcare.yml.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """crowdcare: social customer care run from a Git repository.

    Solutions live in kb/<topic>/<slug>.md, ideas in ideas/<slug>.md, governance in crowdcare.yml.

    Example: crowdcare validate
    """
    resolved = (root or find_root(Path.cwd())).resolve()
    if root is not None and not resolved.is_dir():
        raise click.BadParameter(f"{root}: no such folder", param_hint="--root")
    ctx.obj = Context(resolved)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list on stdout.")
@click.pass_obj
def validate(obj: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Check solutions, ideas and crowdcare.yml against every rule.

    With PATHS, report only findings in those files or folders (rules across files still see everything).
    Each finding reads `path:line: CODE message (how to fix)`; the codes are listed in CONTRIBUTING.md.
    Warnings (CC208: an answer verified with a release far behind product.current_version) are printed but do not
    fail. Exits 0 when clean or warnings only, 1 on findings, 2 on usage errors. Files are never rewritten.

    Example: crowdcare validate kb/sync/ --json
    """
    findings = _run(lambda: validate_repository(obj.root, paths))
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in findings], indent=2))
    else:
        for f in findings:
            click.echo(str(f))
        errors = sum(f.severity != "warning" for f in findings)
        warnings = len(findings) - errors
        summary = f"{errors} finding(s)" if errors else "no findings"
        summary += f" and {warnings} warning(s)" if warnings else ""
        click.echo(f"crowdcare validate: {summary} in {obj.root}", err=True)
    sys.exit(1 if any(f.severity != "warning" for f in findings) else 0)


@cli.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write the pages into; replaced whole, and only if crowdcare wrote it before.",
)
@click.option("--dry-run", is_flag=True, help="List the pages that would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the written paths as a JSON list on stdout.")
@click.pass_obj
def pages(obj: Context, out: Path, dry_run: bool, as_json: bool) -> None:
    """Write the generated site pages as plain Markdown files.

    The same pages the MkDocs plugin adds (solutions, idea board, roadmap, contributors, tags), for any
    static site generator. The folder is written in full beside OUT and swapped in, so a failure leaves the
    previous pages intact.

    Example: crowdcare pages --out build/pages
    """
    from crowdcare.adapters.githistory import edits
    from crowdcare.core import clock
    from crowdcare.site.pages import render_pages

    rendered = _run(lambda: render_pages(load_content(obj.root), edits(obj.root), clock.now().date()))
    if not dry_run:
        _run(lambda: _write_pages(out, rendered))
    if as_json:
        click.echo(json.dumps(sorted(rendered), indent=2))
    else:
        for path in rendered:
            click.echo(path)
    verb = "would write" if dry_run else "wrote"
    click.echo(f"crowdcare pages: {verb} {len(rendered)} pages to {out}", err=True)


@cli.command()
@click.option(
    "--event",
    "event_path",
    type=click.Path(path_type=Path),
    help="An Actions event payload (default: $GITHUB_EVENT_PATH when --since is not given).",
)
@click.option(
    "--event-name",
    help="The event's name: issues, issue_comment, discussion or discussion_comment (default: $GITHUB_EVENT_NAME).",
)
@click.option(
    "--since",
    callback=iso_time,
    help="Sweep every thread updated at or after this ISO 8601 time (e.g. 2026-11-01T00:00:00Z).",
)
@click.option("--all", "sweep_all", is_flag=True, help="Sweep every thread (snapshots only).")
@snapshot_option("Read and write this snapshot folder (created if missing) instead of GitHub.")
@click.option("--dry-run", is_flag=True, help="Say what would be posted and labelled; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per thread on stdout.")
@click.pass_obj
def intake(
    obj: Context,
    event_path: Path | None,
    event_name: str | None,
    since: str | None,
    sweep_all: bool,
    snapshot_dir: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Take in new questions and ideas: classify, label, and reply once with a marked comment.

    From an event (--event, as in the intake workflow), or a sweep of threads updated since a time (--since)
    or of all threads in a snapshot (--all). Reruns never post twice: the bot's comment is found by its
    hidden marker and its author, and edited only when its text changed. Exits 0 when done, 1 on a
    transient GitHub failure (run again), 2 on bad input.

    Example: crowdcare intake --snapshot samples/snapshot --all
    """
    from crowdcare.content.store import load_config_or_fail
    from crowdcare.intake.take_in import take_in_all

    config = _run(lambda: load_config_or_fail(obj.root))
    if event_path is None and since is None and not sweep_all:
        env_path = os.environ.get("GITHUB_EVENT_PATH")
        if not env_path:
            raise click.UsageError("say what to take in: --event PATH, --since TIME or --all")
        event_path = Path(env_path)
    if event_path is not None and (since or sweep_all):
        raise click.UsageError("--event cannot be combined with --since or --all")
    github = _run(lambda: _github(snapshot_dir, config.intake.bot_login, config.repo))
    if event_path is not None:
        threads = _run(lambda: _read_event(event_path, event_name, github))[0]
    else:
        threads = github.threads_updated_since(since)

    def report(outcome: Any) -> None:
        if as_json:
            click.echo(json.dumps(outcome.__dict__, default=str))
        else:
            labels = f"; labels +{', '.join(outcome.labels_added)}" if outcome.labels_added else ""
            click.echo(f"{outcome.ref}: {outcome.kind.value}, {outcome.action} ({outcome.reason}){labels}", err=True)

    from crowdcare.core.model import ThreadRef
    from crowdcare.similarity.dedup import thread_suggestions

    built: list[tuple[Any, Any, Any]] = []
    checked: dict[str, bool] = {}

    def still_open(earlier: Any) -> bool:
        # The catalog may be behind (a live listing of issues since a time shows open ones only): an earlier
        # thread is read once before it is offered.
        if earlier.url not in checked:
            current = github.get_thread(ThreadRef.parse(earlier.ref))
            checked[earlier.url] = current is not None and current.state == "open"
        return checked[earlier.url]

    def suggest(thread: Any) -> str:
        # The index is brought up to date only once a question needs suggestions: a skipped event or a run of
        # ideas does no such work.
        if not built:
            built.append(_kb_index(obj.root, github))
        index, content, catalog = built[0]
        return thread_suggestions(index, thread, content, catalog, still_open)

    outcomes = _run(
        lambda: take_in_all(
            threads,
            config,
            github,
            dry_run=dry_run,
            on_progress=report,
            suggest=suggest,
        )
    )
    click.echo(f"crowdcare intake: {len(outcomes)} thread(s) taken in", err=True)


@cli.command()
@click.option("--repo", "repository", required=True, help="The repository, OWNER/NAME.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The snapshot folder to write (created if missing; existing threads are overwritten).",
)
@click.option("--since", callback=iso_time, help="Only threads updated at or after this ISO 8601 time.")
@click.pass_obj
def export(obj: Context, repository: str, out: Path, since: str | None) -> None:
    """Write a snapshot of a repository's issues (open and closed) and discussions from live GitHub.

    The snapshot is a folder of JSON in GitHub's own shapes that `crowdcare intake --snapshot` and the tests
    read offline. Needs GITHUB_TOKEN. Progress goes to stderr.

    Example: crowdcare export --repo acme/community --out build/snapshot --since 2026-11-01T00:00:00Z
    """
    from crowdcare.adapters.snapshot import SnapshotGitHub

    live = _run(lambda: _live_github(repository, "export reads live GitHub: set GITHUB_TOKEN"))
    snapshot = _run(lambda: SnapshotGitHub.open(out.absolute(), create=True, repository=repository))

    def copy() -> tuple[int, int]:
        issues = discussions = 0
        for issue, comments in live.issue_records(since, state="all"):  # a closed thread is history too
            snapshot.record_issue(issue)
            snapshot.record_issue_comments(int(issue["number"]), comments)
            issues += 1
            click.echo(f"\rissues: {issues}", err=True, nl=False)
        for node in live.discussion_nodes(since):
            snapshot.record_discussion(node)
            discussions += 1
            click.echo(f"\rissues: {issues}, discussions: {discussions}", err=True, nl=False)
        return issues, discussions

    issues, discussions = _run(copy)
    click.echo(f"\ncrowdcare export: {issues} issue(s) and {discussions} discussion(s) written to {out}", err=True)


def _kb_index(root: Path, github: Any = None) -> tuple[Any, Any, Any]:
    """(index, content, catalog): the knowledge base and the open questions, kept in the cache and brought up to
    date incrementally; with ``github`` (a port), the open questions are refreshed from it first."""
    from crowdcare.similarity.index_cache import open_index

    locked_cache(root)
    updated = github.threads_updated_since if github is not None else None
    return open_index(root, updated, lambda message: click.echo(message, err=True))


def _print_hits(hits: list[Any], content: Any, catalog: Any, limit: int, as_json: bool) -> None:
    """The best ``limit`` hits in the order of the score shown, a solution or idea once (its own entry or the best
    of the ways it was asked: asked_as, merged duplicates)."""
    from crowdcare.similarity.dedup import idea_status_words, idea_url, solution_path, solution_url

    solutions = {s.path: s for s in content.solutions}
    ideas = {i.path: i for i in content.ideas}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for hit in hits:
        if len(rows) == limit:
            break
        path = solution_path(hit.id)
        if path in seen:
            continue
        seen.add(path)
        thread = catalog.threads.get(hit.id)
        if path in solutions:
            kind, title, url = "solution", solutions[path].title, solution_url(solutions[path], content.config)
        elif path in ideas:
            idea = ideas[path]
            kind, title, url = "idea", f"{idea.title} (idea, {idea_status_words(idea)})", idea_url(idea, content.config)
        elif thread is not None:
            kind, title, url = "thread", f"{one_line(thread.title)} ({thread.ref}, open)", thread.url
        else:
            kind, title, url = hit.kind, hit.id, None
        rows.append(
            {"id": path, "kind": kind, "title": title, "score": hit.score, "url": url, "terms": list(hit.terms)}
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no matches", err=True)
    for row in rows:
        click.echo(f"{row['score']:.2f}  {row['title']}\n      {row['id']}  (matched: {', '.join(row['terms'][:6])})")


def refresh_options(func: F) -> F:
    """``--refresh`` / ``--snapshot DIR``: bring the index's open questions up to date before answering."""
    func = snapshot_option("Refresh the open questions from this snapshot folder (offline) first.")(func)
    return click.option(
        "--refresh",
        is_flag=True,
        help="Refresh the open questions from live GitHub first (GITHUB_TOKEN; only threads changed since the "
        "last refresh are read). Without it or --snapshot, the open questions are those the last run saw.",
    )(func)


def _indexed(obj: Context, refresh: bool, snapshot_dir: Path | None) -> tuple[Any, Any, Any]:
    def build() -> tuple[Any, Any, Any]:
        github = None
        if refresh or snapshot_dir is not None:
            from crowdcare.content.store import load_config_or_fail

            config = load_config_or_fail(obj.root)
            github = _github(snapshot_dir, config.intake.bot_login, config.repo)
        return _kb_index(obj.root, github)

    return _run(build)  # type: ignore[no-any-return]


@cli.command()
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="How many results.")
@refresh_options
@click.option("--json", "as_json", is_flag=True, help="Print the results as a JSON list.")
@click.pass_obj
def search(obj: Context, query: str, limit: int, refresh: bool, snapshot_dir: Path | None, as_json: bool) -> None:
    """Search the knowledge base, the ideas and the open questions: solutions (title, question, tags, the ways
    they were asked), ideas (title, text, tags; "kind": "idea" in --json) and open customer questions that match
    QUERY, best first by the score shown.

    Scores are similarities from 0 to 1. The index lives in .cache/crowdcare (or $CROWDCARE_CACHE_DIR) and is
    updated with what changed in kb/ since the last run; open questions come from the last `crowdcare intake`
    run, or from GitHub with --refresh, or a snapshot with --snapshot.

    Example: crowdcare search "bank feed not updating"
    """
    _need_words(query, "QUERY", "query")
    index, content, catalog = _indexed(obj, refresh, snapshot_dir)
    _print_hits(index.similar(query, limit=limit * 3), content, catalog, limit, as_json)


@cli.command()
@click.option("--title", required=True, help="The new thread's title.")
@click.option("--body", default="", help="The new thread's body.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="How many candidates.")
@refresh_options
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as a JSON list.")
@click.pass_obj
def similar(
    obj: Context, title: str, body: str, limit: int, refresh: bool, snapshot_dir: Path | None, as_json: bool
) -> None:
    """List the solutions, ideas and open questions a new thread most likely duplicates, best first by the score
    shown, with the terms that matched.

    Scores at or above duplicates.related_threshold in crowdcare.yml are suggested in the intake reply; at
    or above duplicates.duplicate_threshold the reply says "this looks like ...". Only a solution can be
    claimed for closing (crowdcare fold); an earlier open question is pointed to.

    Example: crowdcare similar --title "My bank transactions stopped importing" --body "Nothing since Monday"
    """
    _need_words(f"{title}\n{body}", "--title", "title and body")
    index, content, catalog = _indexed(obj, refresh, snapshot_dir)
    _print_hits(index.similar(title, body, limit=limit * 3), content, catalog, limit, as_json)


def _need_words(text: str, param: str, what: str) -> None:
    from crowdcare.similarity.search_index import analyze

    if not analyze(text):
        raise click.BadParameter(
            f"no words to search for in the {what} (common words such as 'the' and 'of' do not count)",
            param_hint=param,
        )


@cli.group()
def bench() -> None:
    """Benchmarks that print figures (they never assert timings).

    Example: crowdcare bench dedup labelled.jsonl --half report --json
    """


@bench.command("dedup")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Duplicate threshold, also used for buckets (default: duplicates.duplicate_threshold and "
    "duplicates.bucket_threshold from crowdcare.yml).",
)
@click.option(
    "--semantic",
    is_flag=True,
    help="Retrieve and claim with the semantic extra (embeddings combined with the lexical score), bucket on "
    "embeddings, with its thresholds (duplicates.semantic); needs pip install 'crowdcare[semantic]'.",
)
@click.option(
    "--sweep",
    is_flag=True,
    help="Instead of the protocol's figures, claims at duplicate thresholds 0.5-0.95 and buckets at bucket "
    "thresholds 0.1-0.6 (0.4-0.9 with --semantic), the ones in use marked: to choose a repository's own thresholds "
    "from labelled threads of its own.",
)
@click.option(
    "--half",
    type=click.Choice(["all", "tune", "report"]),
    default="all",
    show_default=True,
    help="Measure one half of the file, split by group: choose thresholds on 'tune', report figures on 'report' "
    "(never a figure measured on the data it was tuned on).",
)
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Also measure plain BM25 (whoosh's BM25F over the same texts): baseline_recall_at_1 and _at_5.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object with the protocol's keys and the baseline's (with --sweep: "
    '{"claims": [...], "buckets": [...]}, a row per threshold).',
)
@click.pass_obj
def bench_dedup(
    obj: Context,
    file: Path,
    threshold: float | None,
    semantic: bool,
    sweep: bool,
    half: str,
    baseline: bool,
    as_json: bool,
) -> None:
    """Measure duplicate detection on a labelled JSON-lines file (the protocol in bench/README.md).

    Each line is {"id", "title", "body", "group"}; items sharing a group are the same enquiry. Reports
    leave-one-out recall@1/@5 and MRR@10, claim precision and coverage at the production threshold, online
    bucketing in file order (pair precision, recall, F1, ARI, buckets per group) and cost. Progress on stderr.
    With --sweep, how claims and buckets change with their thresholds. Beside them, plain BM25's recall on the same
    items (the baseline). --half tune / report measure one half of the file, split by group: tune on one, report
    on the other.

    Example: crowdcare bench dedup labelled.jsonl --half report --json
    """
    from crowdcare.similarity.benchmark import (
        BUCKET_SWEEP,
        SEMANTIC_BUCKET_SWEEP,
        format_report,
        format_sweep,
        half_of,
        read_items,
        run_benchmark,
    )
    from crowdcare.similarity.benchmark import sweep as sweep_thresholds
    from crowdcare.similarity.buckets import Buckets
    from crowdcare.similarity.dedup import bucket_threshold as bucket_threshold_of
    from crowdcare.similarity.dedup import thresholds
    from crowdcare.similarity.search_index import SearchIndex

    config = _bench_config(obj.root)
    if threshold is None:
        if semantic:
            on = dataclasses.replace(config.duplicates.semantic, enabled=True)
            config = dataclasses.replace(config, duplicates=dataclasses.replace(config.duplicates, semantic=on))
        threshold, join = thresholds(config)[1], bucket_threshold_of(config)
    else:
        join = threshold  # --threshold serves buckets too
    items = half_of(_run(lambda: read_items(file)), half)
    index_factory: Any = SearchIndex
    bucketer: Any = Buckets
    if semantic:
        from crowdcare.similarity.semantic import Embedder, HybridIndex, SemanticBuckets, weight_of

        embedder = _run(lambda: Embedder(remember=sweep))
        weight = weight_of(config.duplicates.semantic)
        index_factory = lambda: HybridIndex(SearchIndex(), embedder, weight)  # noqa: E731
        bucketer = lambda join: SemanticBuckets(join, embedder)  # noqa: E731

    def progress(stage: str, done: int, total: int) -> None:
        click.echo(f"\r{stage}: {done:,}/{total:,}", err=True, nl=done == total)

    if sweep:
        joins = SEMANTIC_BUCKET_SWEEP if semantic else BUCKET_SWEEP
        rows = sweep_thresholds(items, progress, index_factory, bucketer, bucket_thresholds=joins)
        click.echo(json.dumps(rows) if as_json else format_sweep(file.name, rows, threshold, join))
        return
    figures = run_benchmark(items, threshold, progress, join, index_factory, bucketer, with_baseline=baseline)
    part = "" if half == "all" else f", {half} half: {len(items):,} items"
    title = f"{file.name} (duplicate threshold {threshold:g}, bucket threshold {join:g}{part})"
    click.echo(json.dumps(figures) if as_json else format_report(title, figures))


def _bench_config(root: Path) -> Config:
    """crowdcare.yml's thresholds for the bench; outside a crowdcare repository, the defaults (said on stderr), so
    the bench runs on a data file anywhere. A crowdcare.yml that is there but broken still stops it."""
    from crowdcare.content.config import load_config
    from crowdcare.content.store import load_config_or_fail
    from crowdcare.similarity.dedup import BUCKET_THRESHOLD, DUPLICATE_THRESHOLD

    config, findings = load_config(root)
    if config is None and [f.code for f in findings] == ["CC401"]:
        click.echo(
            f"crowdcare: no crowdcare.yml in {root}: default thresholds (duplicate {DUPLICATE_THRESHOLD}, "
            f"bucket {BUCKET_THRESHOLD}; semantic ones with --semantic)",
            err=True,
        )
        return Config(name="bench", repo="bench/bench", ask_url="", topics=())
    found: Config = _run(lambda: load_config_or_fail(root))
    return found


def _repository(root: Path, snapshot_dir: Path | None, github: Any, config: Any) -> Any:
    """Where pull requests go: branches and commits in the local git repository with a snapshot, else GitHub."""
    if snapshot_dir is not None:
        from crowdcare.adapters.gitrepo import LocalRepository

        return LocalRepository(root, github, config.promotion.base_branch)
    from crowdcare.adapters.pulls import LiveRepository

    return LiveRepository(github, config.promotion.base_branch)


def hold_lock(folder: Path) -> None:
    """This command's run holds ``folder``'s lock until it ends (a second run on it waits: adapters/lock.py)."""
    from crowdcare.adapters.lock import exclusive

    click.get_current_context().with_resource(exclusive(folder, lambda message: click.echo(message, err=True)))


def locked_cache(root: Path) -> Path:
    """The cache folder kept between workflow runs (the index, reactions, ETags), held by this run until it ends."""
    from crowdcare.similarity.index_cache import cache_dir

    folder = cache_dir(root)
    hold_lock(folder)
    return folder


def _github(snapshot_dir: Path | None, bot_login: str, repository: str) -> Any:
    if snapshot_dir is not None:
        from crowdcare.adapters.snapshot import SnapshotGitHub

        hold_lock(snapshot_dir.absolute())
        return SnapshotGitHub.open(snapshot_dir.absolute(), create=True, repository=repository, viewer=bot_login)
    github = _live_github(
        os.environ.get("GITHUB_REPOSITORY") or repository,
        "no GITHUB_TOKEN in the environment: set it, or pass --snapshot DIR to work offline",
    )
    report_identity(github.viewer_login(), bot_login)
    return github


def report_identity(actual: str, configured: str) -> None:
    """Say so when crowdcare.yml names another bot than the one GitHub says the token writes as: GitHub's word
    is used (the workflow token writes as github-actions[bot], a GitHub App's token as <app-slug>[bot])."""
    from crowdcare.intake.take_in import same_account

    if not same_account(actual, configured):
        click.echo(
            f"crowdcare: GitHub says this token writes as {actual!r}, but crowdcare.yml has intake.bot_login: "
            f"{configured!r}; using {actual!r}. Set intake.bot_login to {actual!r} to silence this.",
            err=True,
        )


def _live_github(repository: str, missing_token: str) -> Any:
    """Live GitHub with the token in GITHUB_TOKEN and the API at GITHUB_API_URL (as Actions sets them)."""
    from crowdcare.adapters.live import API, LiveGitHub

    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        raise BadInputError(missing_token)
    return LiveGitHub(token, repository, base_url=os.environ.get("GITHUB_API_URL", API))


def _read_event(event_path: Path, event_name: str | None, github: Any) -> tuple[list[Any], Any]:
    """(the thread the event is about, as it is now; who caused the event), read from the payload once."""
    from crowdcare.adapters.event import read_event
    from crowdcare.adapters.snapshot import SnapshotGitHub

    name = event_name or os.environ.get("GITHUB_EVENT_NAME")
    if not name:
        raise BadInputError("the event's name is unknown: pass --event-name or set GITHUB_EVENT_NAME")
    event = read_event(event_path, name)
    if event.skip_reason is not None:
        click.echo(f"{event.thread.ref}: skipped ({event.skip_reason})", err=True)
        return [], event.sender
    if isinstance(github, SnapshotGitHub):
        if event.name.startswith("issue"):
            github.record_issue(event.subject)
        else:
            github.record_discussion_event(event.subject)
    # Reconcile against the thread as it is now, not as the (possibly stale, out-of-order) event saw it.
    current = github.get_thread(event.thread.ref)
    return ([current] if current is not None else []), event.sender


def _write_pages(out: Path, rendered: dict[str, str]) -> None:
    out = out.absolute()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / PAGES_MARKER).exists())):
        raise BadInputError(f"{out}: exists and was not written by `crowdcare pages`; choose an empty or new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for rel, markdown in rendered.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        (staging / PAGES_MARKER).write_text("written by crowdcare pages; replaced whole on each run\n", "utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run(action: Any) -> Any:
    """Run ``action``, turning crowdcare errors into a message on stderr and the error's exit code."""
    try:
        return action()
    except CrowdcareError as exc:
        click.echo(f"crowdcare: error: {exc}", err=True)
        sys.exit(exc.exit_code)


def main() -> None:
    cli(prog_name="crowdcare")


# Commands in their own modules register themselves on the group when imported (after it exists).
from crowdcare.cli import adopt, buckets, fold, promote, reference, respond, tally  # noqa: E402,F401
