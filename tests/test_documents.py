"""Solutions written back to text: the same bytes as the file they were read from, so a merge's diff shows only
what the merge changed."""

from __future__ import annotations

from crowdcare.documents import solution_document
from crowdcare.store import load_content
from tests.conftest import REPO_ROOT


def test_the_sample_knowledge_base_round_trips_byte_for_byte() -> None:
    content = load_content(REPO_ROOT)
    assert content.solutions
    for solution in content.solutions:
        assert solution_document(solution) == (REPO_ROOT / solution.path).read_text("utf-8"), solution.path
