"""Consent-based duplicate closing: a claimed question folds only with its author's agreement or after the quiet
window; any reply or 👎 cancels for good; a related-only suggestion never folds; reruns do nothing twice; the fold
goes through a reviewed pull request that adds the thread to the solution's also_asked. Threads go through the
snapshot adapter in GitHub's GraphQL shapes; pull requests are branches of a local git repository."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from crowdcare.adapters.gitrepo import LocalRepository
from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.content.frontmatter import parse_document
from crowdcare.content.store import load_content
from crowdcare.core.markers import FOLDED, claim_marker
from crowdcare.core.markers import INTAKE as MARKER
from crowdcare.core.model import SearchHit
from crowdcare.core.repository import Content
from crowdcare.fold.consent import claim_of, consent_verdict
from crowdcare.fold.questions import fold_all
from crowdcare.similarity.dedup import Suggestion, render_suggestions
from tests.builders import copy_community, git, init_git
from tests.test_respond import ASKER, BOT, HELPER, at, comment, discussion, iso, outbox, thread

KEY = "bank-feeds/bank-feed-stopped-updating"
CLAIMED = 1.0  # hours after the question


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return init_git(copy_community(tmp_path / "repo"))


@pytest.fixture
def content(root: Path) -> Content:
    return load_content(root)


@pytest.fixture
def snap(tmp_path: Path) -> SnapshotGitHub:
    return SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)


def claim_comment(key: str = KEY, author: tuple[str, int] = (BOT, 1), bot: bool = True) -> dict[str, Any]:
    body = f"Thanks for your question.\n\n**This looks like it.**\n{claim_marker(key)}\n{MARKER}"
    return comment(author, body, CLAIMED, bot=bot)


def react(snap: SnapshotGitHub, number: int, content: str, who: tuple[str, int]) -> None:
    path = snap.root / "discussions" / f"{number}.comment-reactions.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    node = {"content": content, "createdAt": iso(2), "user": {"login": who[0], "databaseId": who[1]}}
    data.setdefault(claim_comment()["id"], {"nodes": []})["nodes"].append(node)
    path.write_text(json.dumps(data))


def sweep(snap: SnapshotGitHub, root: Path, hours: float, **kw: Any) -> list[str]:
    content = load_content(root)
    outcomes = fold_all(
        snap.threads_updated_since(None), content, snap, LocalRepository(root, snap, "main"), at(hours),
        lambda s: f"https://help.example/{s.key}/", **kw,
    )  # fmt: skip
    return [f"{o.ref}:{o.decision}" for o in outcomes]


def test_the_intake_reply_carries_a_claim_only_for_a_duplicate() -> None:
    hit = SearchHit("kb/a/b.md", "solution", 0.9, 1.0, ())
    claimed = render_suggestions([Suggestion(hit, "Fix it", "https://x/", True, "a/b")], close_after_days=5)
    related = render_suggestions([Suggestion(hit, "Fix it", "https://x/", False, "a/b")])
    assert claim_marker("a/b") in claimed and "reply *yes* or react 👍" in claimed and "5 days" in claimed
    assert "crowdcare:claim" not in related


def test_the_askers_thumbs_up_folds_through_a_pull_request_and_closes_as_duplicate(
    snap: SnapshotGitHub, root: Path
) -> None:
    ref = discussion(snap, 1, claim_comment())
    react(snap, 1, "THUMBS_UP", ASKER)
    assert sweep(snap, root, 3) == ["discussion #1:fold"]
    closed = thread(snap, ref)
    assert closed.state == "closed" and FOLDED.search(closed.replies[-1].body)
    assert "crowdcare rule `duplicates.close_after_days`" in closed.replies[-1].body, "the comment cites its rule"
    assert "the asker reacted" in closed.replies[-1].body, "... and why it applied"
    assert [(r["op"], r.get("reason")) for r in outbox(snap)][-1] == ("close", "duplicate")
    text = git(root, "show", f"crowdcare/fold/discussion-1:kb/{KEY}.md")
    assert closed.url in parse_document(text).meta["also_asked"]
    assert parse_document(text).meta["asked_as"] == [closed.title]  # found by this wording from now on
    assert git(root, "show", f"main:kb/{KEY}.md") != text, "nothing reaches main without review"
    # Rerun: the fold comment is the record; nothing is posted, closed or committed again.
    before = (len(outbox(snap)), git(root, "rev-parse", "crowdcare/fold/discussion-1"))
    assert sweep(snap, root, 4) == ["discussion #1:done"]
    assert (len(outbox(snap)), git(root, "rev-parse", "crowdcare/fold/discussion-1")) == before


def test_someone_elses_thumbs_up_is_not_consent(snap: SnapshotGitHub, root: Path) -> None:
    discussion(snap, 1, claim_comment())
    react(snap, 1, "THUMBS_UP", HELPER)
    assert sweep(snap, root, 3) == ["discussion #1:wait"]
    assert outbox(snap) == []


def test_a_yes_from_the_asker_folds_and_a_no_cancels(snap: SnapshotGitHub, root: Path) -> None:
    discussion(snap, 1, claim_comment(), comment(ASKER, "Yes! That fixed it, thanks.", 2))
    discussion(snap, 2, claim_comment(), comment(ASKER, "No, my feed is a different bank.", 2))
    assert sweep(snap, root, 3) == ["discussion #1:fold", "discussion #2:objected"]
    # The objection holds for good, even long after the quiet window.
    assert sweep(snap, root, 24 * 30) == ["discussion #1:done", "discussion #2:objected"]


def test_silence_folds_after_the_window_but_any_reply_or_thumbs_down_cancels(
    snap: SnapshotGitHub, root: Path, content: Content
) -> None:
    assert content.config is not None
    days = content.config.duplicates.close_after_days
    discussion(snap, 1, claim_comment())
    discussion(snap, 2, claim_comment(), comment(HELPER, "Same here, also on my bank.", 5))
    discussion(snap, 3, claim_comment())
    react(snap, 3, "THUMBS_DOWN", ASKER)
    discussion(snap, 4, claim_comment())
    react(snap, 4, "THUMBS_DOWN", HELPER)  # someone else's 👎 is not the asker's objection
    before = CLAIMED + 24 * days - 0.5
    assert sweep(snap, root, before) == [
        "discussion #1:wait", "discussion #2:objected", "discussion #3:objected", "discussion #4:wait"]  # fmt: skip
    assert outbox(snap) == []
    after = CLAIMED + 24 * days + 0.5
    assert sweep(snap, root, after) == [
        "discussion #1:fold", "discussion #2:objected", "discussion #3:objected", "discussion #4:fold"]  # fmt: skip


def test_a_reply_that_arrives_before_the_write_cancels(snap: SnapshotGitHub, root: Path) -> None:
    discussion(snap, 1, claim_comment())
    listed = list(snap.threads_updated_since(None))
    discussion(snap, 1, claim_comment(), comment(ASKER, "Hmm, not quite.", 30))  # lands after the listing
    content = load_content(root)
    outcomes = fold_all(listed, content, snap, LocalRepository(root, snap, "main"), at(24 * 30), lambda s: "u")
    assert [o.decision for o in outcomes] == ["objected"] and outbox(snap) == []


def test_a_claim_withdrawn_before_the_write_closes_nothing(snap: SnapshotGitHub, root: Path) -> None:
    """Intake may rewrite its reply between the listing and the write (a newer score fell below the duplicate
    threshold): the fresh read has no claim, so nothing is folded on the strength of the old one."""
    discussion(snap, 1, claim_comment())
    discussion(snap, 2, claim_comment())
    listed = list(snap.threads_updated_since(None))
    withdrawn = comment((BOT, 1), f"Thanks for your question.\n{MARKER}", CLAIMED, bot=True)
    changed = claim_comment(key="bank-feeds/some-other-solution")
    discussion(snap, 1, withdrawn)
    discussion(snap, 2, changed)
    content = load_content(root)
    outcomes = fold_all(listed, content, snap, LocalRepository(root, snap, "main"), at(24 * 30), lambda s: "u")
    assert [o.decision for o in outcomes] == ["withdrawn", "withdrawn"] and outbox(snap) == []
    assert git(root, "branch", "--list", "crowdcare/fold/*") == ""


def test_a_forged_claim_or_an_unknown_solution_closes_nothing(snap: SnapshotGitHub, root: Path) -> None:
    discussion(snap, 1, claim_comment(author=HELPER, bot=False))  # anyone can paste a marker
    discussion(snap, 2, claim_comment(key="nope/not-there"))
    assert sweep(snap, root, 24 * 30) == ["discussion #2:skipped"]
    assert outbox(snap) == []


def test_an_accepted_answer_of_its_own_is_left_alone(snap: SnapshotGitHub, root: Path) -> None:
    answer = comment(HELPER, "Reconnect the feed under Settings.", 2)
    discussion(snap, 1, claim_comment(), answer, answer=answer)
    assert sweep(snap, root, 24 * 30) == ["discussion #1:answered"]


def test_a_close_interrupted_after_the_fold_comment_is_finished(snap: SnapshotGitHub, root: Path) -> None:
    folded = comment((BOT, 1), f"Filed under it.\n\n<!-- crowdcare:fold solution={KEY} -->", 3, bot=True)
    ref = discussion(snap, 1, claim_comment(), folded)
    assert sweep(snap, root, 4) == ["discussion #1:finish-close"]
    assert thread(snap, ref).state == "closed"
    assert [r["op"] for r in outbox(snap)] == ["close"], "no second comment, no pull request"
    assert git(root, "branch", "--list", "crowdcare/fold/*") == ""


def test_judge_is_pure_and_reads_the_claim(snap: SnapshotGitHub, content: Content) -> None:
    assert content.config is not None
    ref = discussion(snap, 1, claim_comment())
    current = thread(snap, ref)
    found = claim_of(current, BOT)
    assert found is not None and found.key == KEY
    first = consent_verdict(current, found, (), content.config, at(5), BOT)
    assert first == consent_verdict(current, found, (), content.config, at(5), BOT) and first.decision == "wait"
    assert consent_verdict(current, found, (), content.config, at(5) + dt.timedelta(days=60), BOT).decision == "fold"


def test_the_fold_comment_escapes_a_hostile_title(content: Content, snap: SnapshotGitHub) -> None:
    import dataclasses

    from crowdcare.fold.questions import fold_comment

    ref = discussion(snap, 1, claim_comment())
    hostile = dataclasses.replace(content.solutions[0], title="Fix](javascript:alert(1)) <img src=x onerror=alert(1)>")
    text = fold_comment(thread(snap, ref), hostile, "https://help.example/x/")
    assert "](javascript:" not in text and "<img" not in text


# --- anyone can find a duplicate: /duplicate-of ----------------------------------------------------------------

STAFF = ("maya-okafor", 58102231)  # on the test community's roster


def react_to(snap: SnapshotGitHub, number: int, comment_id: str, content: str, who: tuple[str, int]) -> None:
    path = snap.root / "discussions" / f"{number}.comment-reactions.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    node = {"content": content, "createdAt": iso(2), "user": {"login": who[0], "databaseId": who[1]}}
    data.setdefault(comment_id, {"nodes": []})["nodes"].append(node)
    path.write_text(json.dumps(data))


def proposal_id(snap: SnapshotGitHub, number: int) -> str:
    from crowdcare.core.markers import FINDER
    from crowdcare.core.model import Channel, ThreadRef

    found = [r for r in thread(snap, ThreadRef(Channel.DISCUSSION, number)).replies if FINDER.search(r.body)]
    assert len(found) == 1, "exactly one claim on the finder's behalf"
    return found[0].id


def finders(root: Path, branch: str) -> list[str]:
    meta = parse_document(git(root, "show", f"{branch}:kb/{KEY}.md")).meta
    return [c["login"] for c in meta["contributors"] if c["role"] == "finder"]


def test_a_participants_find_waits_for_the_asker_and_credits_the_finder(snap: SnapshotGitHub, root: Path) -> None:
    ref = discussion(snap, 1, comment(HELPER, f"/duplicate-of {KEY}\n\nSame problem as this one.", 2))
    assert sweep(snap, root, 3) == ["discussion #1:proposed"]
    posted = thread(snap, ref).replies[-1]
    assert "@hugo-helper suggests" in posted.body and "@carla-customer" in posted.body
    assert "duplicates.duplicate_of" in posted.body, "the comment cites its rule"
    # Silence never folds a participant's find, however long.
    assert sweep(snap, root, 24 * 60) == ["discussion #1:wait"]
    assert len(outbox(snap)) == 1, "answered once"
    react_to(snap, 1, proposal_id(snap, 1), "THUMBS_UP", ASKER)
    assert sweep(snap, root, 24 * 61) == ["discussion #1:fold"]
    assert thread(snap, ref).state == "closed"
    assert finders(root, "crowdcare/fold/discussion-1") == ["hugo-helper"]


def test_staff_confirm_a_find_and_someone_elses_thumbs_up_does_not(snap: SnapshotGitHub, root: Path) -> None:
    discussion(snap, 1, comment(HELPER, f"/duplicate-of {KEY}", 2))
    discussion(snap, 2, comment(HELPER, f"/duplicate-of {KEY}", 2))
    assert sweep(snap, root, 3) == ["discussion #1:proposed", "discussion #2:proposed"]
    react_to(snap, 1, proposal_id(snap, 1), "THUMBS_UP", STAFF)
    react_to(snap, 2, proposal_id(snap, 2), "THUMBS_UP", ("passer-by", 777))
    assert sweep(snap, root, 4) == ["discussion #1:fold", "discussion #2:wait"]
    assert finders(root, "crowdcare/fold/discussion-1") == ["hugo-helper"]


def test_a_staff_or_askers_own_find_folds_at_once_and_a_no_cancels(snap: SnapshotGitHub, root: Path) -> None:
    discussion(snap, 1, comment(STAFF, f"/duplicate-of https://help.example/{KEY}/", 2))
    discussion(snap, 2, comment(ASKER, f"/duplicate-of kb/{KEY}.md", 2))
    discussion(snap, 3, comment(HELPER, f"/duplicate-of {KEY}", 2))
    assert sweep(snap, root, 3) == ["discussion #1:fold", "discussion #2:fold", "discussion #3:proposed"]
    assert finders(root, "crowdcare/fold/discussion-1") == ["maya-okafor"]
    posted = thread_comments(snap, 3)
    later = {**comment(ASKER, "No, mine is a different bank.", 5), "createdAt": posted[-1]["createdAt"][:-1] + ".5Z"}
    discussion(snap, 3, comment(HELPER, f"/duplicate-of {KEY}", 2), *posted, later)
    assert sweep(snap, root, 6) == ["discussion #1:done", "discussion #2:done", "discussion #3:objected"]


def thread_comments(snap: SnapshotGitHub, number: int) -> list[dict[str, Any]]:
    """The bot's comments the sweep posted, in the snapshot's shape (to rebuild a thread with a later reply)."""
    node = json.loads((snap.root / "discussions" / f"{number}.json").read_text())
    return [c for c in node["comments"]["nodes"] if c["author"]["login"] == BOT]


def test_an_unknown_or_hostile_reference_is_refused_once(snap: SnapshotGitHub, root: Path) -> None:
    ref = discussion(snap, 1, comment(HELPER, "/duplicate-of <img src=x onerror=alert(1)>", 2))
    discussion(snap, 2, comment(HELPER, "/duplicate-of nope/not-there", 2))
    assert sweep(snap, root, 3) == ["discussion #1:refused", "discussion #2:refused"]
    refusal = thread(snap, ref).replies[-1].body
    assert "<img" not in refusal and "not a solution" in refusal
    assert sweep(snap, root, 4) == [] and len(outbox(snap)) == 2, "refused once; no claim, nothing folds"


def test_a_find_of_a_merged_solution_names_the_one_it_was_merged_into(snap: SnapshotGitHub, root: Path) -> None:
    old = root / "kb/integrations/google-sheets-export-old.md"
    old.write_text(old.read_text().replace("status: superseded\n", f"status: superseded\nsuperseded_by: {KEY}\n"))
    discussion(snap, 1, comment(HELPER, "/duplicate-of integrations/google-sheets-export-old", 2))
    assert sweep(snap, root, 3) == ["discussion #1:proposed"]
    found = claim_of(thread(snap, discussion_ref(1)), BOT)
    assert found is not None and found.key == KEY and found.finder is not None


def discussion_ref(number: int) -> Any:
    from crowdcare.core.model import Channel, ThreadRef

    return ThreadRef(Channel.DISCUSSION, number)


def test_the_response_ledger_records_claims_and_their_outcome(snap: SnapshotGitHub, content: Content) -> None:
    from crowdcare.fold.consent import claim_state

    assert content.config is not None
    config = content.config
    discussion(snap, 1, claim_comment())
    discussion(snap, 2, claim_comment(), comment(ASKER, "yes, thanks", 2))
    discussion(snap, 3, claim_comment(), comment(HELPER, "Not the same thing", 2))
    discussion(snap, 4)
    states = [claim_state(thread(snap, discussion_ref(n)), BOT, config) for n in (1, 2, 3, 4)]
    assert states == [(KEY, "pending"), (KEY, "agreed"), (KEY, "objected"), None]
