"""The repository itself: its sample community is valid and as large as promised."""

from __future__ import annotations

from crowdcare.model import IdeaStatus, PersonRef
from crowdcare.store import load_content
from crowdcare.validate import validate_repository
from tests.conftest import REPO_ROOT


def test_the_repository_validates_clean() -> None:
    assert [str(f) for f in validate_repository(REPO_ROOT)] == []


def test_the_sample_community_is_large_enough_to_be_believed() -> None:
    content = load_content(REPO_ROOT)
    assert content.config is not None
    assert len(content.solutions) >= 40
    assert len({s.topic for s in content.solutions}) >= 5
    assert len(content.ideas) >= 15
    assert {i.status for i in content.ideas} == set(IdeaStatus)
    people = {c.person.id for s in content.solutions for c in s.contributors} | {i.author.id for i in content.ideas}
    assert len(people) >= 20
    assert sum(content.config.is_staff(PersonRef("", pid)) for pid in people) >= 3


def test_the_sample_says_it_is_fictional() -> None:
    assert "fictional" in (REPO_ROOT / "mkdocs.yml").read_text("utf-8").lower()
    assert "fictional" in (REPO_ROOT / "crowdcare.yml").read_text("utf-8").lower()
