"""Merging duplicates into a canonical solution without losing anything.

A thread, or a whole solution, folds into a canonical solution: its threads join the canonical ``also_asked``,
its contributors join the canonical contributors (the person who found the duplicate credited as ``finder``),
and a merged solution keeps its file, answer included, as ``status: superseded`` with ``superseded_by``: the
site shows a short tombstone there that sends readers on to the canonical page, so old links keep working.
Both files are rewritten whole from validated models; a merge is one commit, reverted with ``git revert``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from crowdcare.content.documents import solution_document
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import Contributor, PersonRef, Role, Solution, SolutionStatus
from crowdcare.core.repository import Content

MAX_ALSO_ASKED = 1000
MAX_PHRASING = 200  # characters of a title kept in asked_as (the schema's limit)
_KEY = re.compile(r"(?:^|/)(?:kb/)?([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md|/)?$")


def find_solution(content: Content, reference: str) -> Solution | None:
    """A solution named by ``topic/slug``, its path ``kb/topic/slug.md``, its page URL, or its source thread's URL."""
    reference = reference.strip().strip("<>")
    by_source = next((s for s in content.solutions if s.source == reference), None)
    if by_source is not None:
        return by_source
    match = _KEY.search(reference.split("#", 1)[0].split("?", 1)[0])
    if match is None:
        return None
    key = f"{match.group(1)}/{match.group(2)}"
    return next((s for s in content.solutions if s.key == key), None)


def _check_merge(target: Solution, source: Solution | None, thread_url: str | None) -> None:
    """The rules a merge must keep; the first it breaks is the error (BadInputError)."""
    rules = (
        (source is None and thread_url is None, "name a solution or a thread to merge"),
        (
            target.status is SolutionStatus.SUPERSEDED,
            f"{target.key} is itself superseded by {target.superseded_by}; merge into that one",
        ),
        (source is not None and source.key == target.key, f"{target.key} cannot be merged into itself"),
        (
            source is not None and source.status is SolutionStatus.SUPERSEDED,
            f"{source.key if source else ''} was already merged into {source.superseded_by if source else ''}",
        ),
    )
    broken = next((why for breaks, why in rules if breaks), None)
    if broken is not None:
        raise BadInputError(broken)


def _asked_as(target: Solution, source: Solution | None, thread_title: str | None) -> list[str]:
    """Every way the merged question was asked, each once, the newest kept when the list outgrows its limit."""
    phrasings = [*target.asked_as]
    if source is not None:
        phrasings += [source.title, *source.asked_as]
    if thread_title:
        phrasings.append(" ".join(thread_title.split())[:MAX_PHRASING].strip())
    seen = {target.title.casefold()}
    asked_as: list[str] = []
    for phrasing in phrasings:
        if phrasing and phrasing.casefold() not in seen:
            seen.add(phrasing.casefold())
            asked_as.append(phrasing)
    return asked_as[-MAX_ALSO_ASKED:]


def merge_into(
    target: Solution,
    *,
    source: Solution | None = None,
    thread_url: str | None = None,
    thread_title: str | None = None,
    finder: PersonRef | None = None,
    today: dt.date,
) -> dict[str, str]:
    """The new text of every file the merge changes: the canonical solution and, when a solution is merged,
    the superseded one. ``thread_title`` (the folded thread's, cleaned by the caller) joins ``asked_as``, as a
    merged solution's title and phrasings do: duplicate detection then finds the solution by every way it was
    asked. Raises BadInputError for a merge that makes no sense."""
    _check_merge(target, source, thread_url)
    threads = [*target.also_asked]
    if source is not None:
        threads += [source.source, *source.also_asked]
    if thread_url is not None:
        threads.append(thread_url)
    also_asked = tuple(url for url in dict.fromkeys(threads) if url != target.source)
    if len(also_asked) > MAX_ALSO_ASKED:
        raise BadInputError(f"{target.key} would list {len(also_asked)} threads; the limit is {MAX_ALSO_ASKED}")
    asked_as = _asked_as(target, source, thread_title)
    contributors = list(target.contributors)

    def credit(contributor: Contributor) -> None:
        if not any(c.role is contributor.role and c.person.is_same_account(contributor.person) for c in contributors):
            contributors.append(contributor)

    for contributor in source.contributors if source is not None else ():
        credit(contributor)
    if finder is not None:
        credit(Contributor(finder, Role.FINDER))
    unchanged = also_asked == target.also_asked and tuple(asked_as) == target.asked_as
    if unchanged and len(contributors) == len(target.contributors) and source is None:
        return {}  # the thread is already in the bucket: nothing to change
    merged = dataclasses.replace(
        target, also_asked=also_asked, asked_as=tuple(asked_as), contributors=tuple(contributors), updated=today
    )
    files = {target.path: solution_document(merged)}
    if source is not None:
        superseded = dataclasses.replace(
            source, status=SolutionStatus.SUPERSEDED, superseded_by=target.key, updated=today
        )
        files[source.path] = solution_document(superseded)
    return files
