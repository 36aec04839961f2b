"""Content loaded on two cores is the content loaded on one: the same solutions, ideas, findings and lines, in the
same order; a second process that fails costs time, never a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crowdcare.content.store import content_files, load_content, load_files
from crowdcare.site.content_workers import load_in_parallel
from tests.builders import Repo, idea_text, solution_text


def _community(root: Path) -> Repo:
    repo = Repo(root)
    for n in range(12):
        repo.write(f"kb/sync/files-{n:02d}.md", solution_text(title=f"Files do not sync {n}"))
    repo.write("kb/sync/bad-date.md", solution_text(created="2026-02-30"))
    repo.write("kb/sync/bad-yaml.md", "---\ntitle: [unclosed\n---\n\nbody\n")
    repo.write("kb/billing/wrong-topic.md", solution_text())
    repo.write("kb/sync/Not_A_Slug.md", solution_text())
    repo.write("kb/stray.md", solution_text())
    for n in range(5):
        repo.write(f"ideas/idea-{n}.md", idea_text(title=f"Idea {n}"))
    repo.write("ideas/no-votes.md", idea_text(votes=None))
    return repo


def _rels(root: Path) -> list[str]:
    return [rel for rel, _ in content_files(root, [])]


@pytest.mark.parametrize("min_files", [1, 2, 10_000])
def test_two_cores_load_what_one_loads(tmp_path: Path, min_files: int) -> None:
    _community(tmp_path)
    rels = _rels(tmp_path)
    alone = load_files(tmp_path, rels)
    assert len(alone.solutions) == 12 and len(alone.ideas) == 5 and len(alone.rejected) == 5
    assert load_in_parallel(tmp_path, rels, min_files=min_files) == alone


def test_the_content_is_the_same_whichever_loads_it(tmp_path: Path) -> None:
    _community(tmp_path)
    one = load_content(tmp_path)
    two = load_content(tmp_path, lambda root, rels: load_in_parallel(root, rels, min_files=1))
    assert one == two
    assert {f.code for f in one.findings} >= {"CC105", "CC106", "CC108", "CC113", "CC116", "CC121"}


@pytest.mark.parametrize("executable", ["/bin/false", "/bin/true", "/nonexistent/python"])
def test_a_second_process_that_fails_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executable: str
) -> None:
    """It exits with an error, answers nothing, or cannot start: the plugin loads that half itself."""
    _community(tmp_path)
    rels = _rels(tmp_path)
    monkeypatch.setattr("sys.executable", executable)
    assert load_in_parallel(tmp_path, rels, min_files=1) == load_files(tmp_path, rels)
