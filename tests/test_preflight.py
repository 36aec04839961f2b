"""A proposal is refused before review when `crowdcare validate` would refuse it, naming the rule and file."""

from __future__ import annotations

from crowdcare.content.store import load_content
from crowdcare.promote.preflight import check_proposal
from tests.builders import Repo, solution_text


def test_a_valid_proposal_passes_and_reports_its_render_time(sample_repo: Repo) -> None:
    content = load_content(sample_repo.root)
    assert content.config is not None
    text = solution_text(title="Another problem", source="https://github.com/acme/community/discussions/30")
    problems, seconds = check_proposal(content, content.config, {"kb/sync/another.md": text})
    assert problems == [] and seconds > 0


def test_file_and_cross_file_rules_are_applied(sample_repo: Repo) -> None:
    content = load_content(sample_repo.root)
    assert content.config is not None
    broken, _ = check_proposal(content, content.config, {"kb/sync/x.md": solution_text(status="done")})
    assert broken and broken[0].startswith("kb/sync/x.md:") and "CC115" in broken[0]
    same_source, _ = check_proposal(content, content.config, {"kb/sync/y.md": solution_text(title="Other title")})
    assert any("CC204" in problem for problem in same_source)  # the thread already has a solution
