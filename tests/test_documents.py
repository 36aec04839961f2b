"""Solutions written back to text: the same bytes as the file they were read from, so a merge's diff shows only
what the merge changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crowdcare.content.documents import solution_document, write_atomically
from crowdcare.content.store import load_content
from tests.conftest import COMMUNITY


def test_the_sample_knowledge_base_round_trips_byte_for_byte() -> None:
    content = load_content(COMMUNITY)
    assert content.solutions
    for solution in content.solutions:
        assert solution_document(solution) == (COMMUNITY / solution.path).read_text("utf-8"), solution.path


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    write_atomically(path, "old")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "half \ud800 written")  # a lone surrogate cannot be encoded: the write fails midway
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["kept.json"]
