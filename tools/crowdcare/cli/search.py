"""`crowdcare search` and `crowdcare similar`: what the knowledge base, the ideas and the open questions hold that
resembles a query or a new thread, from the index intake keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from crowdcare.cli.setup import Context, F, github_for, locked_cache, snapshot_option
from crowdcare.core.text import one_line


def kb_index(root: Path, github: Any = None) -> tuple[Any, Any, Any]:
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
            github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
        return kb_index(obj.root, github)

    return build()


@click.command()
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


@click.command()
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


COMMANDS = (
    search,
    similar,
)
