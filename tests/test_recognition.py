"""Recognition from the record: points per event with dates, badges awarded once and dated, staff apart or left
out, the rolling window, git history credited only to GitHub accounts, and the leaderboard and profile pages."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from crowdcare.adapters.githistory import edits, person_of
from crowdcare.content.config import load_config
from crowdcare.content.store import load_content
from crowdcare.core.model import PersonRef, ResponseLedger, ResponseRecord, ResponseStatus
from crowdcare.core.settings import Badge
from crowdcare.people.recognition import Edit, awards_of, events_of, standings
from crowdcare.site.leaderboard import LEADERBOARD
from crowdcare.site.pages import render_pages
from tests.builders import CONFIG, Repo, idea_text, solution_text

TODAY = dt.date(2026, 11, 30)


def community(repo: Repo) -> Repo:
    repo.write("kb/sync/files-do-not-sync.md", solution_text(contributors=[
        {"login": "asker1", "id": 1, "role": "asker"},
        {"login": "helper", "id": 7, "role": "answerer"},
        {"login": "asker1", "id": 1, "role": "accepter"},
        {"login": "finder9", "id": 9, "role": "finder"},
        {"login": "editor5", "id": 5, "role": "editor"},
    ], created="2026-01-02", updated="2026-06-01"))  # fmt: skip
    repo.write("kb/sync/second.md", solution_text(
        title="Second", status="community", created="2025-06-01", updated="2025-06-02",
        source="https://github.com/acme/community/discussions/3",
        contributors=[{"login": "helper", "id": 7, "role": "answerer"}, {"login": "staffer", "id": 100, "role": "asker"}],
    ))  # fmt: skip
    repo.write("kb/sync/old.md", solution_text(
        title="Old", status="superseded", superseded_by="sync/files-do-not-sync",
        source="https://github.com/acme/community/discussions/4",
        contributors=[{"login": "ghost", "id": 44, "role": "answerer"}],
    ))  # fmt: skip
    repo.write("ideas/offline.md", idea_text(
        title="Offline mode", status="shipped", shipped_in="2.0", author={"login": "helper", "id": 7},
        source="https://github.com/acme/community/discussions/51", created="2026-02-01",
        decision={"by": "staffer", "on": "2026-03-01", "reason": "Shipped in 2.0 for everyone."},
    ))  # fmt: skip
    return repo


def kinds(events: list, login: str) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return sorted((e.kind, e.on.isoformat()) for e in events if e.person.login == login)


def test_events_come_from_front_matter_the_ledger_and_git(repo: Repo) -> None:
    content = load_content(community(repo).root)
    ledger = ResponseLedger("2026-11-20T00:00:00Z", records=(
        ResponseRecord("discussion #8", "https://github.com/acme/community/discussions/8", "Help", "2026-11-01T00:00:00Z",
                       ResponseStatus.ANSWERED, first_response_at="2026-11-02T10:00:00Z", first_response_by="community",
                       first_responder="newcomer"),
        ResponseRecord("discussion #9", "https://github.com/acme/community/discussions/9", "Help", "2026-11-01T00:00:00Z",
                       ResponseStatus.ANSWERED, first_response_at="2026-11-02T10:00:00Z", first_response_by="community",
                       first_responder="some-app[bot]"),
    ))  # fmt: skip
    content = replace(content, ledger=ledger)
    git_edits = [
        Edit(PersonRef("editor5", 5), dt.date(2026, 5, 5), "kb/sync/files-do-not-sync.md", "a" * 40),
        Edit(PersonRef("acme-bot"), dt.date(2026, 5, 6), "kb/sync/files-do-not-sync.md", "b" * 40),
        Edit(PersonRef("helper", 7), dt.date(2026, 5, 7), "kb/nowhere.md", "c" * 40),  # not a file we have
    ]
    events = events_of(content, git_edits, bot="acme-bot")
    assert kinds(events, "helper") == [
        ("answer_accepted", "2026-01-02"), ("answer_published", "2025-06-01"), ("answer_published", "2026-01-02"),
        ("idea_proposed", "2026-02-01"), ("idea_shipped", "2026-03-01"),
    ]  # fmt: skip
    assert kinds(events, "asker1") == [("question_published", "2026-01-02")]
    assert kinds(events, "finder9") == [("duplicate_found", "2026-06-01")]
    # The editor's front-matter credit is dated by git, once: not counted twice.
    assert kinds(events, "editor5") == [("edit_merged", "2026-05-05")]
    assert kinds(events, "newcomer") == [("first_response", "2026-11-02")]
    assert not kinds(events, "acme-bot") and not kinds(events, "some-app[bot]"), "bots earn nothing"
    assert not kinds(events, "ghost"), "a superseded solution's contributors were merged into the canonical one"


def test_badges_are_awarded_once_and_dated_the_day_the_last_condition_was_met(repo: Repo) -> None:
    content = load_content(community(repo).root)
    events = events_of(content, [])
    helper = [e for e in events if e.person.login == "helper"]
    badges = [
        Badge("Two answers", (("answer_published", 2),)),
        Badge("Answer and idea", (("answer_accepted", 1), ("idea_shipped", 1))),
        Badge("Three answers", (("answer_published", 3),)),
    ]
    awards = awards_of(helper, badges)
    assert [(a.badge.name, a.on.isoformat()) for a in awards] == [
        ("Two answers", "2026-01-02"), ("Answer and idea", "2026-03-01")]  # fmt: skip
    assert awards_of(helper + helper, badges[:1])[0].on == dt.date(2025, 6, 1), "each badge once"


def test_points_follow_the_config_and_the_rolling_window(repo: Repo) -> None:
    community(repo).config(recognition={"points": {"answer_published": 100, "idea_shipped": 0}, "window_days": 180})
    content = load_content(repo.root)
    assert content.config is not None
    ranks = {s.person.login: s for s in standings(content, content.config, [], TODAY)}
    helper = ranks["helper"]
    # 2 published (200) + 1 accepted (default 15) + idea proposed (default 1) + shipped (0 here)
    assert helper.points == 216 and helper.person.id == 7
    assert helper.recent_points == 0, "nothing in the last 180 days"
    assert ranks["staffer"].staff and not ranks["helper"].staff


@pytest.mark.parametrize("mode", ["apart", "exclude", "include"])
def test_staff_are_shown_apart_excluded_or_ranked(repo: Repo, mode: str) -> None:
    community(repo).config(recognition={"staff": mode})
    content = load_content(repo.root)
    assert content.config is not None
    page = render_pages(content, (), TODAY)[LEADERBOARD]
    ranked_staff = "@staffer" in page.split("## Staff, all time")[0].split("## How points")[0]
    assert ("## Staff, all time" in page) is (mode == "apart")
    assert ranked_staff is (mode == "include")


def test_the_leaderboard_and_profiles_show_points_badges_and_history(repo: Repo) -> None:
    community(repo).config(recognition={"badges": [
        {"name": "<img src=x onerror=alert(1)> Helper", "description": "**bold** [x](javascript:alert(1))",
         "when": {"answer_published": 1}},
    ]})  # fmt: skip
    content = load_content(repo.root)
    ledger = ResponseLedger("2026-11-20T00:00:00Z", records=(
        ResponseRecord("discussion #8", "https://github.com/acme/community/discussions/8", "Help <b>me</b>",
                       "2026-11-01T00:00:00Z", ResponseStatus.ANSWERED, first_response_at="2026-11-02T10:00:00Z",
                       first_response_by="community", first_responder="newcomer"),
    ))  # fmt: skip
    pages = render_pages(replace(content, ledger=ledger), (), TODAY)
    board = pages[LEADERBOARD]
    assert board.index("@helper") < board.index("@asker1"), "most points first"
    assert "<img" not in board and "](javascript:" not in board
    profile = pages["people/helper.md"]
    assert "## Badges (1)" in profile and "2025-06-01" in profile and "## History (5)" in profile
    assert "idea shipped: [Offline mode](../ideas/offline.md) · +20" in profile
    # Someone known only from the ledger gets a profile page, so the leaderboard's link is not broken.
    newcomer = pages["people/newcomer.md"]
    assert "first reply to a customer" in newcomer and "<b>" not in newcomer


def test_an_unknown_event_in_a_badge_rule_is_refused_by_line(repo: Repo) -> None:
    repo.write("crowdcare.yml", json.dumps({**CONFIG, "recognition": {"badges": [
        {"name": "Lurker", "when": {"page_views": 100}}]}}, indent=1))  # fmt: skip
    config, findings = load_config(repo.root)
    assert config is None and findings and "page_views" in str(findings[0])


# --- git history -------------------------------------------------------------------------------------------------


def _git(root: Path, *args: str, name: str = "t", email: str = "t@example.invalid") -> None:
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": "c",
           "GIT_COMMITTER_EMAIL": "c@example.invalid", "GIT_AUTHOR_DATE": "2026-05-05T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-05-05T12:00:00Z", "PATH": "/usr/bin:/bin"}  # fmt: skip
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_git_history_credits_github_accounts_by_their_no_reply_address(repo: Repo) -> None:
    root = community(repo).root
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base", email="maintainer@example.com")  # not a GitHub account: no credit
    (root / "kb/sync/second.md").write_text((root / "kb/sync/second.md").read_text() + "\nMore.\n")
    (root / "README.md").write_text("not content\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Tip\n\nCo-authored-by: Pair <77+pair-dev@users.noreply.github.com>",
         name="Helper", email="7+helper@users.noreply.github.com")  # fmt: skip
    _git(root, "checkout", "-q", "-b", "side")
    (root / "ideas/offline.md").write_text((root / "ideas/offline.md").read_text() + "\nMore.\n")
    _git(root, "commit", "-q", "-a", "-m", "old-style address", email="oldtimer@users.noreply.github.com")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "-m", "merge", "side", email="8+merger@users.noreply.github.com")
    found = sorted((e.person.login, e.person.id, e.path, e.on.isoformat()) for e in edits(root))
    assert found == [
        ("helper", 7, "kb/sync/second.md", "2026-05-05"),
        ("oldtimer", None, "ideas/offline.md", "2026-05-05"),
        ("pair-dev", 77, "kb/sync/second.md", "2026-05-05"),
    ], "merge commits and non-GitHub addresses earn nothing; files outside kb/ and ideas/ do not count"
    assert edits(root.parent / "not-a-repository") == []


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("41898282+github-actions[bot]@users.noreply.github.com", None),
        ("12+a-b@users.noreply.github.com", PersonRef("a-b", 12)),
        ("someone@users.noreply.github.com.evil.example", None),
        ("x@example.com", None),
    ],
)
def test_only_no_reply_addresses_name_an_account(email: str, expected: PersonRef | None) -> None:
    assert person_of(email) == expected
