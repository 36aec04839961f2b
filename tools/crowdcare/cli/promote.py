"""`crowdcare promote` and `crowdcare merge`, as thin click commands (registered by cli/main.py)."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from crowdcare.cli.search import kb_index
from crowdcare.cli.setup import Context, github_for, read_event, repository_for, snapshot_option
from crowdcare.core.model import Solution, Thread
from crowdcare.core.repository import Content
from crowdcare.promote.promoter import Outcome


@click.command()
@click.option("--event", "event_path", type=click.Path(path_type=Path), help="An Actions event payload to act on.")
@click.option("--event-name", help="The event's name (default: $GITHUB_EVENT_NAME).")
@snapshot_option(
    "Work offline on a snapshot folder: pull requests become branches and commits in this git repository, "
    "recorded in the snapshot's pulls/ and outbox."
)
@click.option("--dry-run", is_flag=True, help="Say what would be proposed; write nothing anywhere.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per outcome on stdout.")
@click.pass_obj
def promote(
    obj: Context,
    event_path: Path | None,
    event_name: str | None,
    snapshot_dir: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Promote accepted answers into kb/ through pull requests that maintainers review.

    A thread is promoted when its answer is marked (by someone governance.accept_answers admits), when staff
    comment `/promote` (optionally with the link of the reply to use) or apply the promotion label. `/merge
    TARGET` folds the thread, and its solution if it has one, into a canonical solution. Each proposal is
    checked with the rules of `crowdcare validate` and a render probe before its pull request is opened on a
    deterministic branch; reruns update it and never open a second one. The bot replies on the thread with the
    pull request, and with the page once it is published. Without --event every thread is swept.
    Exits 0 when done, 1 on a transient GitHub failure (run again), 2 on bad input.

    Example: crowdcare promote --snapshot samples/snapshot --dry-run
    """
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core import clock
    from crowdcare.promote.promoter import Promoter
    from crowdcare.promote.triggers import promote_all

    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)
    github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
    sender = None
    if event_path is not None:
        threads, sender = read_event(event_path, event_name, github)
        everyone: list[Thread] = []
    else:
        threads = everyone = list(github.threads_updated_since(None))
    promoter = Promoter(config=config, content=content, github=github, repo=repository_for(obj.root, github, config),
                        today=clock.now().date(), similar=_similar_solutions(obj.root),
                        bucket_of=_open_buckets(content, everyone), sender=sender, dry_run=dry_run)  # fmt: skip
    outcomes = promote_all(threads, promoter, functools.partial(_print_outcome, as_json=as_json))
    invalid = sum(o.action == "invalid" for o in outcomes)
    refused = sum(o.action == "refused" for o in outcomes)
    click.echo(
        f"crowdcare promote: {len(outcomes)} outcome(s); {refused} refused by governance; "
        f"{invalid} proposal(s) failed the checks" + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )


def _similar_solutions(root: Path) -> Callable[[Thread], list[tuple[Solution, float]]]:
    """The solutions most like a thread, from the index intake keeps (built once, on first use)."""
    from crowdcare.similarity.dedup import per_solution

    built: list[Any] = []

    def similar(thread: Thread) -> list[tuple[Solution, float]]:
        if not built:
            built.append(kb_index(root))
        index, kb, _ = built[0]
        by_path = {s.path: s for s in kb.solutions}
        hits = index.similar(thread.title, thread.body, limit=20)  # open questions share the index
        return [(solution, hit.score) for hit, solution in per_solution(hits, by_path) if solution is not None][:5]

    return similar


def _open_buckets(content: Content, everyone: list[Thread]) -> Callable[[Thread], tuple[str, ...]]:
    """The open questions a promoted thread's solution should list in also_asked: its pending bucket, formed at
    the bar of a duplicate claim (not the triage page's), once, on first use."""
    from crowdcare.respond.guarantee import is_question
    from crowdcare.similarity.buckets import background_texts, pending_buckets
    from crowdcare.similarity.dedup import fold_threshold

    config = content.config
    assert config is not None
    known = {s.source for s in content.solutions} | {url for s in content.solutions for url in s.also_asked}
    open_questions = [t for t in everyone if t.state == "open" and is_question(t, config) and t.url not in known]
    groups: dict[str, tuple[str, ...]] = {}

    def bucket_of(thread: Thread) -> tuple[str, ...]:
        if not groups and open_questions:
            candidates = [t for t in open_questions if t.ref != thread.ref] + [thread]
            for group in pending_buckets(
                candidates, fold_threshold(config), background_texts(content, everyone, candidates)
            ):
                urls = tuple(t.url for t in group)
                groups.update({t.url: urls for t in group})
        return tuple(url for url in groups.get(thread.url, ()) if url != thread.url)

    return bucket_of


def _print_outcome(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(outcome)))
        return
    where = f" {outcome.pull_request}" if outcome.pull_request else ""
    click.echo(f"{outcome.ref}: {outcome.action}{where} ({outcome.why})", err=True)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--finder", help="Who found the duplicate, LOGIN or LOGIN:ID; credited as 'finder'.")
@click.option("--dry-run", is_flag=True, help="Print the files the merge would write; write nothing.")
@click.pass_obj
def merge(obj: Context, source: str, target: str, finder: str | None, dry_run: bool) -> None:
    """Merge a duplicate SOURCE into the canonical solution TARGET, in the working tree.

    SOURCE is a solution (topic/slug, kb/topic/slug.md or its page URL) or a thread's URL; TARGET is a solution.
    The canonical solution gains the threads (also_asked) and contributors of SOURCE; a merged solution keeps its
    file and answer as status superseded, and its page becomes a tombstone that sends readers to TARGET. The
    result is validated before anything is written; commit it, and `git revert` undoes it.

    Example: crowdcare merge billing/cancel-plan billing/cancel-subscription --finder maya-okafor
    """
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core import clock
    from crowdcare.core.model import PersonRef
    from crowdcare.promote.merge import find_solution, merge_into
    from crowdcare.promote.preflight import check_proposal

    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)
    canonical = find_solution(content, target)
    if canonical is None:
        raise click.BadParameter(f"{target!r} names no solution in {obj.root / 'kb'}", param_hint="TARGET")
    duplicate = find_solution(content, source)
    thread_url = None
    if duplicate is None:
        if not source.startswith("https://"):
            raise click.BadParameter(f"{source!r} names no solution and is not a thread URL", param_hint="SOURCE")
        thread_url = source
    person = None
    if finder:
        login, _, number = finder.partition(":")
        if number and not number.isdigit():
            raise click.BadParameter("use LOGIN or LOGIN:ID (a numeric user id)", param_hint="--finder")
        person = PersonRef(login, int(number) if number else None)
    today = clock.now().date()
    files = merge_into(canonical, source=duplicate, thread_url=thread_url, finder=person, today=today)
    if not files:
        click.echo(f"crowdcare merge: {source} is already in {canonical.key}; nothing to do", err=True)
        return
    _write_checked(obj.root, "merge", files, check_proposal(content, config, files)[0], dry_run)
    verb = "would change" if dry_run else "changed"
    click.echo(f"crowdcare merge: {verb} {len(files)} file(s); review with `git diff`, then commit", err=True)


@click.command()
@click.argument("person")
@click.option("--as", "pseudonym", help="The name to put in their place (default: former-member- and random hex).")
@click.option("--dry-run", is_flag=True, help="Print the files that would change; write nothing.")
@click.pass_obj
def forget(obj: Context, person: str, pseudonym: str | None, dry_run: bool) -> None:
    """Forget PERSON (LOGIN or LOGIN:ID) across kb/, ideas/ and the response ledger, in the working tree.

    Every place that names them (a solution's contributors, an idea's author, status history and decision, the
    ledger's holders and first responders, @mentions in what is published) gets one pseudonym made for the
    occasion, and their numeric id is dropped. The result is validated before anything is written; open a pull
    request with it so maintainers review the erasure. Not reached by a pull request: earlier versions in git
    history (rewrite it if the law requires), a staff roster entry in crowdcare.yml (remove it by hand), the
    threads on GitHub.

    Example: crowdcare forget carla-customer:501 --dry-run
    """
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.core.model import PersonRef
    from crowdcare.people.erasure import forget as forget_person
    from crowdcare.people.erasure import new_pseudonym
    from crowdcare.promote.preflight import check_proposal

    login, _, number = person.partition(":")
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", login) or (number and not number.isdigit()):
        raise click.BadParameter("use LOGIN or LOGIN:ID (a GitHub login, a numeric user id)", param_hint="PERSON")
    name = pseudonym or new_pseudonym()
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", name):
        raise click.BadParameter("a pseudonym is written like a GitHub login", param_hint="--as")
    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)

    def read(path: str) -> str | None:
        file = obj.root / path
        return file.read_text("utf-8") if file.is_file() else None

    erased = forget_person(content, PersonRef(login, int(number) if number else None), read, name)
    if not erased.files:
        click.echo(f"crowdcare forget: nothing in {obj.root} names @{login}; nothing to do", err=True)
        return
    published = {path: text for path, text in erased.files.items() if path.endswith(".md")}
    _write_checked(obj.root, "forget", erased.files, check_proposal(content, config, published)[0], dry_run)
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"crowdcare forget: @{login} is {name} in {erased.mentions} place(s); {verb} {len(erased.files)} file(s). "
        "Open a pull request for review; earlier versions stay in git history until it is rewritten.",
        err=True,
    )


def _write_checked(root: Path, command: str, files: dict[str, str], problems: list[str], dry_run: bool) -> None:
    """Write ``files`` into the working tree, or print them on a dry run; nothing when the checks found problems
    (exit 1) or a path leads out of the repository (every path is checked before the first write)."""
    from crowdcare.content.documents import inside, write_inside

    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"crowdcare {command}: the changed files would not validate; nothing written", err=True)
        sys.exit(1)
    for path in files:
        inside(root, path)
    for path, text in files.items():
        if dry_run:
            click.echo(f"--- {path}\n{text}")
        else:
            write_inside(root, path, text)
            click.echo(path)


COMMANDS = (
    promote,
    merge,
    forget,
)
