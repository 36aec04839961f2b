"""The idea board publishes its voting rules: the vote budget and the acceptance rule, when crowdcare.yml sets them."""

from __future__ import annotations

import datetime as dt

from crowdcare.content.store import load_content
from crowdcare.site.pages import render_pages
from tests.builders import Repo, idea_text


def board(repo: Repo, votes: dict[str, object] | None) -> str:
    if votes is not None:
        repo.config(votes=votes)
    repo.write("ideas/dark-mode.md", idea_text())
    return render_pages(load_content(repo.root), [], dt.date(2026, 11, 2))["board/index.md"]


def test_the_board_states_the_budget_and_the_acceptance_rule(repo: Repo) -> None:
    text = board(repo, {"budget": {"open_ideas": 5}, "acceptance": {"verified_votes": 50, "window_days": 30}})
    assert "votes count on at most 5 ideas still open for votes at once" in text
    assert "An open idea with 50 verified votes within 30 days moves to under review." in text


def test_without_rules_the_board_says_none(repo: Repo) -> None:
    text = board(repo, None)
    assert "at most" not in text and "verified votes within" not in text


def test_the_board_states_weights_by_role_and_the_idea_page_says_its_count_is_weighted(repo: Repo) -> None:
    text = board(repo, {"weights": {"staff": 0}, "acceptance": {"verified_votes": 50}})
    assert "Verified votes are weighted by role: a staff member's counts 0, a customer's 1" in text
    repo.write("ideas/dark-mode.md", idea_text(votes={"up": 3, "down": 1, "score": 2, "verified": 1}))
    pages = render_pages(load_content(repo.root), [], dt.date(2026, 11, 2))
    assert "verified (weighted by role)" in pages["ideas/dark-mode.md"]
    assert "weighted" not in board(repo, {"weights": {"staff": 1, "customer": 1}})
