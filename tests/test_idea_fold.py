"""Duplicate ideas merge with consent, as questions fold: the author's yes or 👍, or silence after the bot's own
claim; a participant's /duplicate-of needs the author or staff; the merge is a reviewed pull request marking the
idea a duplicate (its votes then count on the canonical idea); the thread stays open; reruns do nothing twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crowdcare.adapters.gitrepo import LocalRepository
from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.content.frontmatter import parse_document
from crowdcare.content.store import load_content
from crowdcare.core.markers import FINDER, IDEA_FOLDED, idea_claim_marker
from crowdcare.core.markers import INTAKE as MARKER
from crowdcare.core.model import Channel, ThreadRef
from crowdcare.fold.ideas import fold_ideas
from crowdcare.people.recognition import events_of
from tests.builders import copy_community, git, idea_text, init_git
from tests.test_respond import ASKER, BOT, HELPER, at, comment, discussion, iso, outbox, thread

URL = "https://github.com/acme/help/discussions/{}"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    repo = copy_community(tmp_path / "repo")
    for n, slug in ((1, "night-theme"), (2, "dark-screens")):
        (repo / "ideas" / f"{slug}.md").write_text(idea_text(
            title=f"Idea {n}", source=URL.format(n), author={"login": ASKER[0], "id": ASKER[1]}, created="2026-11-16",
        ))  # fmt: skip
    return init_git(repo)


@pytest.fixture
def snap(tmp_path: Path) -> SnapshotGitHub:
    return SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)


def idea_thread(snap: SnapshotGitHub, number: int, *comments: dict[str, Any]) -> ThreadRef:
    return discussion(snap, number, *comments, category={"name": "Ideas"}, title=f"Idea {number}")


def claim(slug: str = "dark-mode") -> dict[str, Any]:
    return comment((BOT, 1), f"Thanks for the idea.\n{idea_claim_marker(slug)}\n{MARKER}", 1.0, bot=True)


def sweep(snap: SnapshotGitHub, root: Path, hours: float) -> list[str]:
    content = load_content(root)
    outcomes = fold_ideas(snap.threads_updated_since(None), content, snap, LocalRepository(root, snap, "main"),
                          at(hours), lambda i: f"https://help.example/ideas/{i.slug}/")  # fmt: skip
    return [f"{o.ref}:{o.decision}" for o in outcomes]


def merged_meta(root: Path, slug: str = "night-theme") -> dict[str, Any]:
    return parse_document(git(root, "show", f"crowdcare/fold/idea-{slug}:ideas/{slug}.md")).meta


def test_the_authors_yes_merges_the_idea_through_a_pull_request_and_keeps_the_thread_open(
    snap: SnapshotGitHub, root: Path
) -> None:
    ref = idea_thread(snap, 1, claim(), comment(ASKER, "Yes, same thing", 2))
    assert sweep(snap, root, 3) == ["discussion #1:fold"]
    meta = merged_meta(root)
    assert meta["status"] == "duplicate" and meta["duplicate_of"] == "dark-mode"
    assert meta["history"][-1]["status"] == "duplicate" and "the asker agreed" in meta["history"][-1]["reason"]
    current = thread(snap, ref)
    assert current.state == "open", "its votes keep counting on the canonical idea"
    assert IDEA_FOLDED.search(current.replies[-1].body) and "count there" in current.replies[-1].body
    assert "main" not in git(root, "branch", "--contains", "crowdcare/fold/idea-night-theme"), "reviewed first"
    before = len(outbox(snap))
    assert sweep(snap, root, 4) == ["discussion #1:done"] and len(outbox(snap)) == before


def test_silence_merges_after_the_window_and_a_no_keeps_it_apart(snap: SnapshotGitHub, root: Path) -> None:
    idea_thread(snap, 1, claim())
    idea_thread(snap, 2, claim(), comment(ASKER, "No, mine is about the mobile app", 2))
    assert sweep(snap, root, 5) == ["discussion #1:wait", "discussion #2:objected"]
    assert sweep(snap, root, 24 * 30) == ["discussion #1:fold", "discussion #2:objected"]


def test_a_participants_find_waits_for_the_author_and_credits_the_finder(snap: SnapshotGitHub, root: Path) -> None:
    ref = idea_thread(snap, 1, comment(HELPER, "/duplicate-of ideas/dark-mode", 2))
    assert sweep(snap, root, 3) == ["discussion #1:proposed"]
    assert sweep(snap, root, 24 * 60) == ["discussion #1:wait"], "silence never merges a participant's find"
    posted = next(r for r in thread(snap, ref).replies if FINDER.search(r.body))
    path = snap.root / "discussions" / "1.comment-reactions.json"
    node = {"content": "THUMBS_UP", "createdAt": iso(3), "user": {"login": ASKER[0], "databaseId": ASKER[1]}}
    path.write_text(json.dumps({posted.id: {"nodes": [node]}}))
    assert sweep(snap, root, 24 * 61) == ["discussion #1:fold"]
    assert merged_meta(root)["history"][-1]["by"] == "hugo-helper"
    git(root, "merge", "-q", "crowdcare/fold/idea-night-theme")
    found = [e for e in events_of(load_content(root), []) if e.kind == "duplicate_found"]
    assert [(e.person.login, e.where) for e in found if e.where == "ideas/night-theme.md"] == [
        ("hugo-helper", "ideas/night-theme.md")]  # fmt: skip


def test_an_idea_without_its_file_yet_waits_and_a_solution_is_refused(snap: SnapshotGitHub, root: Path) -> None:
    idea_thread(snap, 7, claim(), comment(ASKER, "yes", 2))  # no ideas/ file for #7: the tally proposes it first
    idea_thread(snap, 2, comment(HELPER, "/duplicate-of bank-feeds/bank-feed-stopped-updating", 2))
    assert sorted(sweep(snap, root, 3)) == ["discussion #2:refused", "discussion #7:wait"]
    assert git(root, "branch", "--list", "crowdcare/fold/*") == ""
    refusal = thread(snap, ThreadRef(Channel.DISCUSSION, 2)).replies[-1].body
    assert "not an idea on the board" in refusal


def test_the_reply_to_a_new_idea_asks_for_consent_unless_the_match_was_declined(root: Path) -> None:
    from crowdcare.core.model import SearchHit
    from crowdcare.similarity.dedup import IdeaMatch, render_idea_suggestions

    content = load_content(root)
    assert content.config is not None
    by_slug = {i.slug: i for i in content.ideas}
    hit = SearchHit("ideas/x.md", "idea", 0.9, 1.0, ())
    open_idea = render_idea_suggestions([IdeaMatch(hit, by_slug["dark-mode"], True)], content.config)
    assert idea_claim_marker("dark-mode") in open_idea and "reply *yes* or react 👍" in open_idea
    declined = render_idea_suggestions([IdeaMatch(hit, by_slug["crypto-payments"], True)], content.config)
    assert "crowdcare:claim" not in declined and "declined" in declined
