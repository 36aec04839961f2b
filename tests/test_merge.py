"""Merging duplicates loses nothing: threads and contributors are united, the finder is credited, the merged
solution keeps its file and answer as superseded, the result validates, and nonsense merges are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from crowdcare.content.frontmatter import parse_document
from crowdcare.content.store import load_content
from crowdcare.content.validate import validate_repository
from crowdcare.core.errors import BadInputError
from crowdcare.core.model import PersonRef, Role, SolutionStatus
from crowdcare.promote.merge import find_solution, merge_into
from tests.builders import Repo

TODAY = dt.date(2026, 11, 22)
REFUND = "https://github.com/acme/community/discussions/2"


def test_a_solution_merged_into_another_keeps_everything(sample_repo: Repo) -> None:
    content = load_content(sample_repo.root)
    source = find_solution(content, "sync/files-do-not-sync")
    target = find_solution(content, "kb/billing/refund.md")
    assert source is not None and target is not None
    files = merge_into(target, source=source, finder=PersonRef("finder1", 77), today=TODAY)
    for path, text in files.items():
        sample_repo.write(path, text)
    assert validate_repository(sample_repo.root, ()) == []
    after = load_content(sample_repo.root)
    canonical = find_solution(after, "billing/refund")
    merged = find_solution(after, "sync/files-do-not-sync")
    assert canonical is not None and merged is not None
    assert set(canonical.also_asked) == {*target.also_asked, source.source}
    assert canonical.times_asked == target.times_asked + 1
    assert {(c.person.login, c.role) for c in canonical.contributors} >= {
        (c.person.login, c.role) for c in source.contributors
    } | {("finder1", Role.FINDER)}
    assert merged.status is SolutionStatus.SUPERSEDED and merged.superseded_by == "billing/refund"
    assert merged.body == source.body and merged.question == source.question  # the answer is kept
    assert canonical.asked_as[0] == source.title  # found by the merged solution's wording too


def test_a_thread_is_folded_once(sample_repo: Repo) -> None:
    target = find_solution(load_content(sample_repo.root), REFUND)  # found by its source thread's URL
    assert target is not None
    thread = "https://github.com/acme/community/discussions/99"
    files = merge_into(target, thread_url=thread, today=TODAY)
    sample_repo.write(target.path, files[target.path])
    again = find_solution(load_content(sample_repo.root), "billing/refund")
    assert again is not None and thread in again.also_asked
    assert merge_into(again, thread_url=thread, today=TODAY) == {}


def test_a_folded_threads_title_joins_the_ways_it_was_asked(sample_repo: Repo) -> None:
    target = find_solution(load_content(sample_repo.root), "billing/refund")
    assert target is not None
    first = merge_into(target, thread_url=REFUND + "9", thread_title="  Money back\nfor a  yearly plan? ", today=TODAY)
    sample_repo.write(target.path, first[target.path])
    after = find_solution(load_content(sample_repo.root), "billing/refund")
    assert after is not None and after.asked_as == ("Money back for a yearly plan?",)
    assert validate_repository(sample_repo.root, ()) == []
    # The solution's own title, or a phrasing it has (in any case), is not listed again.
    for title in (target.title.upper(), "money back for a yearly plan?"):
        files = merge_into(after, thread_url=REFUND + "8", thread_title=title, today=TODAY)
        assert parse_document(files[target.path]).meta["asked_as"] == ["Money back for a yearly plan?"]
    long = merge_into(after, thread_url=REFUND + "7", thread_title="x" * 500, today=TODAY)
    assert parse_document(long[target.path]).meta["asked_as"][-1] == "x" * 200


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("billing/refund", "billing/refund", "into itself"),
    ],
)
def test_nonsense_merges_are_refused(sample_repo: Repo, source: str, target: str, message: str) -> None:
    content = load_content(sample_repo.root)
    with pytest.raises(BadInputError, match=message):
        merge_into(find_solution(content, target), source=find_solution(content, source), today=TODAY)  # type: ignore[arg-type]


def test_nothing_merges_into_a_superseded_solution(sample_repo: Repo) -> None:
    content = load_content(sample_repo.root)
    source, target = find_solution(content, "sync/files-do-not-sync"), find_solution(content, "billing/refund")
    assert source is not None and target is not None
    files = merge_into(target, source=source, today=TODAY)
    sample_repo.write(source.path, files[source.path])
    superseded = find_solution(load_content(sample_repo.root), "sync/files-do-not-sync")
    assert superseded is not None
    with pytest.raises(BadInputError, match="superseded"):
        merge_into(superseded, thread_url="https://github.com/acme/community/discussions/5", today=TODAY)
    with pytest.raises(BadInputError, match="already merged"):
        merge_into(target, source=superseded, today=TODAY)
