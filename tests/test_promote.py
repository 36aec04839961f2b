"""Promotion: each trigger proposes once through a pull request (a branch and commit in a real local git
repository, as offline), governance refusals name their rule and are said once, reruns add nothing, and the
thread is told where the page is once the pull request is merged."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from crowdcare.adapters.gitrepo import LocalRepository
from crowdcare.adapters.snapshot import SnapshotGitHub
from crowdcare.content.store import load_content
from crowdcare.core.errors import BranchMovedError
from crowdcare.core.model import Channel, PersonRef, ThreadRef
from crowdcare.promote.promoter import Outcome, Promoter
from crowdcare.promote.triggers import promote_all
from tests.builders import copy_community, git, init_git, solution_text

BOT = "tallybook-bot"
ASKER = ("carla-customer", 501)
HELPER = ("hugo-helper", 502)
OTHER = ("olga-other", 503)
STAFF = ("maya-okafor", 58102231)  # on the sample roster
URL = "https://github.com/acme/help/discussions"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return init_git(copy_community(tmp_path / "repo"))


@pytest.fixture
def snap(tmp_path: Path) -> SnapshotGitHub:
    return SnapshotGitHub.open(tmp_path / "snap", create=True, repository="acme/help", viewer=BOT)


def comment(number: int, index: int, person: tuple[str, int], body: str, votes: int = 0) -> dict[str, Any]:
    return {
        "id": f"DC_{number}_{index}",
        "url": f"{URL}/{number}#discussioncomment-{number * 100 + index}",
        "upvoteCount": votes,
        "body": body,
        "createdAt": f"2026-11-1{index}T10:00:00Z",
        "authorAssociation": "MEMBER" if person == STAFF else "NONE",
        "author": {"__typename": "User", "login": person[0], "databaseId": person[1]},
    }


def discussion(
    snap: SnapshotGitHub,
    number: int,
    comments: list[dict[str, Any]],
    *,
    answer: int | None = None,
    chosen_by: tuple[str, int] | None = ASKER,
    chosen_at: str = "2026-11-18T10:00:00Z",
    title: str = "Invoices export to Excel loses the VAT column",
    body: str = "When I export invoices to Excel the VAT column is empty.",
    labels: tuple[str, ...] = (),
) -> ThreadRef:
    node = {
        "id": f"D_{number}",
        "number": number,
        "title": title,
        "body": body,
        "url": f"{URL}/{number}",
        "createdAt": "2026-11-10T09:00:00Z",
        "updatedAt": "2026-11-18T10:00:00Z",
        "closed": False,
        "closedAt": None,
        "locked": False,
        "authorAssociation": "NONE",
        "author": {"__typename": "User", "login": ASKER[0], "databaseId": ASKER[1]},
        "category": {"name": "Q&A"},
        "labels": {"nodes": [{"name": n} for n in labels]},
        "comments": {"nodes": comments},
        "answer": comments[answer] if answer is not None else None,
        "answerChosenAt": chosen_at if answer is not None else None,
        "answerChosenBy": (
            {"__typename": "User", "login": chosen_by[0], "databaseId": chosen_by[1]}
            if answer is not None and chosen_by
            else None
        ),
    }
    snap.record_discussion(node)
    return ThreadRef(Channel.DISCUSSION, number)


def sweep(root: Path, snap: SnapshotGitHub, repo: Any = None, **extra: Any) -> list[Outcome]:
    content = load_content(root)
    assert content.config is not None
    promoter = Promoter(
        config=content.config,
        content=content,
        github=snap,
        repo=repo or LocalRepository(root, snap, "main"),
        today=__import__("datetime").date(2026, 11, 22),
        similar=lambda thread: [],
        bucket_of=lambda thread: (f"{URL}/999",),
        **extra,
    )
    return promote_all(list(snap.threads_updated_since(None)), promoter, lambda outcome: None)


def bot_comments(snap: SnapshotGitHub, ref: ThreadRef) -> list[str]:
    thread = snap.get_thread(ref)
    assert thread is not None
    return [r.body for r in thread.replies if r.author.login == BOT]


def answered(snap: SnapshotGitHub, number: int = 40, **extra: Any) -> ThreadRef:
    return discussion(
        snap,
        number,
        [
            comment(number, 1, HELPER, "Tick *Include tax columns* under Export → Options.", votes=3),
            comment(number, 2, ASKER, "That was it, thanks!"),
        ],
        answer=0,
        **extra,
    )


def test_a_marked_answer_is_proposed_once_as_a_valid_solution(root: Path, snap: SnapshotGitHub) -> None:
    ref = answered(snap)
    outcomes = sweep(root, snap)
    assert [(o.action, o.path) for o in outcomes] == [
        ("opened", "kb/getting-started/invoices-export-to-excel-loses-the-vat-column.md")
    ]
    branch = "crowdcare/promote/discussion-40"
    text = git(root, "show", f"{branch}:kb/getting-started/invoices-export-to-excel-loses-the-vat-column.md")
    assert "status: accepted" in text  # the asker accepted a community answer
    assert "role: asker" in text and "role: answerer" in text and "role: accepter" in text
    assert f"also_asked:\n- {URL}/999" in text
    assert "Tick *Include tax columns*" in text
    pull = json.loads((snap.root / "pulls" / "1.json").read_text())
    assert pull["head"]["ref"] == branch and "Please check" in pull["body"]
    [said] = bot_comments(snap, ref)
    assert "https://github.com/acme/help/pull/1" in said and "promotion.on_answer" in said
    # The working tree and the checked-out branch are untouched.
    assert git(root, "status", "--porcelain") == "" and git(root, "branch", "--show-current").strip() == "main"

    head = git(root, "rev-parse", branch)
    again = sweep(root, snap)
    assert [o.action for o in again] == ["unchanged"]
    assert git(root, "rev-parse", branch) == head
    assert len(bot_comments(snap, ref)) == 1
    assert not (snap.root / "pulls" / "2.json").exists()


def test_an_edited_question_updates_the_same_pull_request(root: Path, snap: SnapshotGitHub) -> None:
    """The question is the asker's to clarify; the approved answer is not (see the test after approval below)."""
    answered(snap)
    sweep(root, snap)
    node = json.loads((snap.root / "discussions" / "40.json").read_text())
    node["body"] = "When I export invoices to Excel the VAT column is empty, in every export since 4.12."
    snap.record_discussion(node)
    assert [o.action for o in sweep(root, snap)] == ["updated"]
    log = git(root, "log", "--format=%s", "main..crowdcare/promote/discussion-40").splitlines()
    assert len(log) == 2  # a second commit on top: a fast-forward, nothing forced
    assert not (snap.root / "pulls" / "2.json").exists()


def test_reviewer_edits_on_the_branch_are_kept(root: Path, snap: SnapshotGitHub) -> None:
    answered(snap)
    [outcome] = sweep(root, snap)
    assert outcome.path is not None
    repo = LocalRepository(root, snap, "main")
    branch = "crowdcare/promote/discussion-40"
    edited = (repo.read_file(outcome.path, branch) or "").replace("Tick", "Please tick")
    repo.commit_files(branch, {outcome.path: edited}, "reviewer edit", repo.branch_head(branch))
    node = json.loads((snap.root / "discussions" / "40.json").read_text())
    node["body"] = "Something else entirely."  # the asker rewrites the question
    snap.record_discussion(node)
    assert [o.action for o in sweep(root, snap)] == ["kept-edits"]
    assert "Please tick" in (repo.read_file(outcome.path, branch) or "")


def test_a_branch_crowdcare_did_not_make_is_left_alone(root: Path, snap: SnapshotGitHub) -> None:
    answered(snap)
    git(root, "branch", "crowdcare/promote/discussion-40")  # someone's branch, same name, other content
    assert [o.action for o in sweep(root, snap)] == ["foreign-branch"]
    assert not (snap.root / "pulls").exists()
    assert bot_comments(snap, ThreadRef(Channel.DISCUSSION, 40)) == []


class RacingRepository(LocalRepository):
    """Someone pushes to the branch between crowdcare's read and its push (the non-fast-forward case)."""

    raced = False

    def commit_files(self, branch: str, files: dict[str, str], message: str, parent: str | None) -> str:
        if parent is not None and not self.raced:
            self.raced = True
            path = next(iter(files))
            theirs = (self.read_file(path, branch) or "").replace("Tick", "Do tick")
            super().commit_files(branch, {path: theirs}, "a maintainer's push", parent)
        return super().commit_files(branch, files, message, parent)


def test_a_push_refused_as_not_a_fast_forward_is_read_again_and_loses_nothing(root: Path, snap: SnapshotGitHub) -> None:
    answered(snap)
    sweep(root, snap)
    node = json.loads((snap.root / "discussions" / "40.json").read_text())
    node["body"] += " (edited)"
    snap.record_discussion(node)
    racing = RacingRepository(root, snap, "main")
    stale = git(root, "rev-parse", "main").strip()  # not what the branch points at any more
    with pytest.raises(BranchMovedError):  # the port never moves a branch that moved
        LocalRepository(root, snap, "main").commit_files("crowdcare/promote/discussion-40", {"a.md": "x"}, "m", stale)
    [outcome] = sweep(root, snap, repo=racing)
    assert racing.raced and outcome.action == "kept-edits"  # their push is on the branch, and stays there
    assert "Do tick" in git(root, "show", f"crowdcare/promote/discussion-40:{outcome.path}")


def test_an_answer_marked_by_someone_governance_does_not_admit_is_refused_once(
    root: Path, snap: SnapshotGitHub
) -> None:
    ref = answered(snap, chosen_by=OTHER)
    assert [o.action for o in sweep(root, snap)] == ["refused"]
    [said] = bot_comments(snap, ref)
    assert said.startswith("Sorry @olga-other") and "governance.accept_answers" in said
    assert [o.action for o in sweep(root, snap)] == []
    assert not (snap.root / "pulls").exists()


def test_answers_marked_before_answers_since_are_left_alone(root: Path, snap: SnapshotGitHub) -> None:
    answered(snap, chosen_at="2026-10-01T10:00:00Z")  # crowdcare.yml: answers_since 2026-11-01
    assert sweep(root, snap) == []


def test_promote_command_from_a_customer_is_refused_and_from_staff_is_official(
    root: Path, snap: SnapshotGitHub
) -> None:
    ref = discussion(
        snap,
        41,
        [
            comment(41, 1, HELPER, "Use the CSV export instead.", votes=1),
            comment(41, 2, OTHER, "/promote"),
            comment(41, 3, STAFF, "/promote"),
        ],
    )
    outcomes = sweep(root, snap)
    assert [o.action for o in outcomes] == ["refused", "opened"]
    said = bot_comments(snap, ref)
    assert "governance.promote" in said[0] and said[0].startswith("Sorry @olga-other")
    assert "Thanks, @maya-okafor" in said[1]
    text = git(root, "show", f"crowdcare/promote/discussion-41:{outcomes[1].path}")
    assert "status: official" in text  # staff endorsed it
    assert "Use the CSV export instead." in text
    assert [o.action for o in sweep(root, snap)] == ["unchanged"]
    assert len(bot_comments(snap, ref)) == 2


def test_promote_naming_a_deleted_reply_gets_a_clear_refusal(root: Path, snap: SnapshotGitHub) -> None:
    ref = discussion(snap, 42, [comment(42, 1, STAFF, f"/promote {URL}/42#discussioncomment-4299")])
    assert [o.action for o in sweep(root, snap)] == ["refused"]
    assert "is not on this thread" in bot_comments(snap, ref)[0]


def test_a_promoted_reply_deleted_before_the_rerun_leaves_the_pull_request_alone(
    root: Path, snap: SnapshotGitHub
) -> None:
    answered(snap)
    sweep(root, snap)
    head = git(root, "rev-parse", "crowdcare/promote/discussion-40")
    node = json.loads((snap.root / "discussions" / "40.json").read_text())
    node["comments"]["nodes"].pop(0)
    node["answer"] = None
    snap.record_discussion(node)
    assert [o.action for o in sweep(root, snap)] == ["reply-gone"]
    assert git(root, "rev-parse", "crowdcare/promote/discussion-40") == head


def test_the_label_promotes_and_a_labeller_outside_governance_is_refused(root: Path, snap: SnapshotGitHub) -> None:
    discussion(snap, 43, [comment(43, 1, HELPER, "Restart the app.", votes=2)], labels=("promote",))
    refused = sweep(root, snap, sender=PersonRef(*OTHER))
    assert [o.action for o in refused] == ["refused"]
    ours = sweep(root, snap, sender=PersonRef(*STAFF))
    assert ours == []  # the refusal for this label stands until staff use /promote


def test_the_label_applied_by_staff_opens_a_pull_request(root: Path, snap: SnapshotGitHub) -> None:
    discussion(snap, 44, [comment(44, 1, HELPER, "Restart the app.", votes=2)], labels=("promote",))
    assert [o.action for o in sweep(root, snap, sender=PersonRef(*STAFF))] == ["opened"]


def test_once_merged_the_thread_is_told_where_the_page_is_once(root: Path, snap: SnapshotGitHub) -> None:
    ref = answered(snap)
    sweep(root, snap)
    git(root, "merge", "-q", "--no-ff", "-m", "reviewed", "crowdcare/promote/discussion-40")
    outcomes = sweep(root, snap)
    assert [o.action for o in outcomes] == ["published"]
    assert outcomes[0].why.endswith("/kb/getting-started/invoices-export-to-excel-loses-the-vat-column/")
    assert [o.action for o in sweep(root, snap)] == []
    assert len(bot_comments(snap, ref)) == 2
    notice = bot_comments(snap, ref)[-1]
    assert f"Thank you @{HELPER[0]} for the answer" in notice and f"@{ASKER[0]} for asking" in notice


def test_merge_command_folds_the_thread_into_a_solution(root: Path, snap: SnapshotGitHub) -> None:
    ref = discussion(
        snap,
        45,
        [comment(45, 1, STAFF, "/merge bank-feeds/undo-reconciliation"), comment(45, 2, STAFF, "/merge no/such")],
    )
    outcomes = sweep(root, snap)
    assert [o.action for o in outcomes] == ["opened", "refused"]
    text = git(root, "show", "crowdcare/merge/discussion-45:kb/bank-feeds/undo-reconciliation.md")
    assert f"- {URL}/45" in text and "role: finder" in text
    said = bot_comments(snap, ref)
    assert "merge into bank-feeds/undo-reconciliation is proposed" in said[0]
    assert "could not find the solution `no/such`" in said[1]
    git(root, "merge", "-q", "--no-ff", "-m", "reviewed", "crowdcare/merge/discussion-45")
    assert [o.action for o in sweep(root, snap)] == ["published"]


def test_a_forged_marker_from_someone_else_does_not_count(root: Path, snap: SnapshotGitHub) -> None:
    forged = comment(46, 2, OTHER, "<!-- crowdcare:promote:refused answer=DC_46_1 -->")
    discussion(snap, 46, [comment(46, 1, HELPER, "Restart.", votes=2), forged], answer=0)
    assert [o.action for o in sweep(root, snap)] == ["opened"]


def test_a_command_argument_is_echoed_inertly(root: Path, snap: SnapshotGitHub) -> None:
    ref = discussion(snap, 47, [comment(47, 1, STAFF, "/merge @everyone <img src=x onerror=alert(1)> `x`")])
    assert [o.action for o in sweep(root, snap)] == ["refused"]
    [said] = bot_comments(snap, ref)
    assert "`@everyone <img src=x onerror=alert(1)> 'x'`" in said


def test_an_answer_chosen_by_a_deleted_account_is_not_promoted_as_accepted(root: Path, snap: SnapshotGitHub) -> None:
    ref = answered(snap, chosen_by=None)  # GitHub: answerChosenBy null
    [outcome] = sweep(root, snap)
    assert outcome.action == "refused" and "no longer exists" in outcome.why
    assert any("no longer exists" in body for body in bot_comments(snap, ref))


def test_the_askers_own_reply_marked_by_the_asker_is_not_an_accepted_answer(root: Path, snap: SnapshotGitHub) -> None:
    discussion(snap, 41, [comment(41, 1, ASKER, "Found it myself: restart the export.")], answer=0, chosen_by=ASKER)
    [outcome] = sweep(root, snap)
    assert outcome.action == "refused" and "own reply" in outcome.why


def test_governance_follows_ids_not_logins(root: Path) -> None:
    """A staff login reused by someone else after the account was deleted gains nothing."""
    from crowdcare.content.store import load_content
    from crowdcare.core.model import PersonRef

    config = load_content(root).config
    assert config is not None
    entries = ("maya-okafor",)
    assert config.is_allowed(entries, PersonRef("maya-okafor", STAFF[1]))
    assert not config.is_allowed(entries, PersonRef("maya-okafor", 999_999))  # the same login, another account
    assert not config.is_allowed(("staff",), PersonRef("maya-okafor", 999_999))
    assert config.is_allowed(("someone-off-roster",), PersonRef("Someone-Off-Roster", 5))  # no id known: by login


def test_an_edit_after_approval_is_shown_in_the_pull_request_and_waits_for_a_new_approval(
    root: Path, snap: SnapshotGitHub
) -> None:
    branch = "crowdcare/promote/discussion-40"
    ref = answered(snap)
    [first] = sweep(root, snap)
    assert first.action == "opened"
    approved = git(root, "show", f"{branch}:{first.path}")
    # The answer's author edits it after approval: a malware link.
    node = json.loads((snap.root / "discussions" / "40.json").read_text())
    node["comments"]["nodes"][0]["body"] = "Download the fix from https://evil.example/fix.exe and run it."
    node["answer"] = node["comments"]["nodes"][0]
    snap.record_discussion(node)
    [changed] = sweep(root, snap)
    assert changed.action == "changed-after-approval"
    assert git(root, "show", f"{branch}:{first.path}") == approved, "the edit must not ride into the reviewed text"
    pull = LocalRepository(root, snap, "main").find_pull_request(branch)
    assert pull is not None and "Changed after approval" in pull.body and "+Download the fix from" in pull.body
    [again] = sweep(root, snap)
    assert again.action == "changed-after-approval"
    pull_again = LocalRepository(root, snap, "main").find_pull_request(branch)
    assert pull_again is not None and pull_again.body.count("Changed after approval") == 1  # said once

    # A staff member approves the new text with /promote: now it is carried, and the warning is gone.
    node["comments"]["nodes"].append(comment(40, 3, STAFF, "/promote"))
    snap.record_discussion(node)
    outcomes = sweep(root, snap)
    assert [o.action for o in outcomes] == ["updated"]
    assert "evil.example" in git(root, "show", f"{branch}:{first.path}")
    pull_new = LocalRepository(root, snap, "main").find_pull_request(branch)
    assert pull_new is not None and "Changed after approval" not in pull_new.body
    assert ref is not None


def test_the_promote_label_counts_only_from_someone_governance_admits(root: Path, snap: SnapshotGitHub) -> None:
    """The issue's timeline says who applied the label (a sweep has no event sender)."""
    snap.record_issue({
        "number": 60, "title": "Invoices export to Excel loses the VAT column", "body": "The VAT column is empty.",
        "state": "open", "labels": [{"name": "question"}, {"name": "promote"}], "comments": 1,
        "user": {"login": ASKER[0], "id": ASKER[1], "type": "User"}, "author_association": "NONE",
        "html_url": "https://github.com/acme/help/issues/60", "created_at": "2026-11-10T09:00:00Z",
        "updated_at": "2026-11-18T10:00:00Z", "closed_at": None,
    })  # fmt: skip
    snap.record_issue_comments(60, [{
        "id": 6001, "body": "Tick *Include tax columns* under Export → Options.", "created_at": "2026-11-11T10:00:00Z",
        "user": {"login": HELPER[0], "id": HELPER[1], "type": "User"}, "author_association": "NONE",
        "html_url": "https://github.com/acme/help/issues/60#issuecomment-6001", "reactions": {"total_count": 0},
    }])  # fmt: skip
    events = snap.root / "issues" / "60.events.json"
    labeled = {"event": "labeled", "label": {"name": "promote"}}
    events.write_text(json.dumps([{**labeled, "actor": {"login": OTHER[0], "id": OTHER[1]}}]))
    [refused] = sweep(root, snap)
    assert refused.action == "refused" and "governance.promote" in refused.why
    events.write_text(json.dumps([{**labeled, "actor": {"login": STAFF[0], "id": STAFF[1]}}]))
    snap.record_issue_comments(
        60, [c for c in json.loads((snap.root / "issues/60.comments.json").read_text()) if "crowdcare" not in c["body"]]
    )  # the refusal taken away: a fresh start
    [opened] = sweep(root, snap)
    assert opened.action == "opened", opened


def test_verified_records_the_release_an_answer_was_checked_with_through_a_pull_request(
    root: Path, snap: SnapshotGitHub
) -> None:
    """Staff `/verified 4.13` on a solution's thread proposes verified_with: "4.13"; anyone else, a thread with no
    solution or a word that is no release gets a refusal that says why."""
    path = "kb/bank-feeds/checked-answer.md"
    (root / path).write_text(
        solution_text(
            title="Checked answer", topic="bank-feeds", verified_with="4.9", source=f"{URL}/48",
            contributors=[{"login": ASKER[0], "id": ASKER[1], "role": "asker"},
                          {"login": STAFF[0], "id": STAFF[1], "role": "answerer"}],
        )
    )  # fmt: skip
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a solution")
    ref = discussion(
        snap,
        48,
        [comment(48, 1, OTHER, "/verified 4.13"), comment(48, 2, STAFF, "/verified four"),
         comment(48, 3, STAFF, "/verified 4.13")],
    )  # fmt: skip
    assert [o.action for o in sweep(root, snap)] == ["refused", "refused", "opened"]
    text = git(root, "show", f"crowdcare/verified-4.13/discussion-48:{path}")
    assert "verified_with: '4.13'" in text and "title: Checked answer" in text
    said = bot_comments(snap, ref)
    assert "may record which release" in said[0] and "`four` is not a release number" in said[1]
    assert "checked with 4.13 is proposed" in said[2] and "`promotion.verified`" in said[2]
    assert [o.action for o in sweep(root, snap)] == []  # each command is answered once


def test_a_promotion_credits_who_accepted_from_githubs_record_and_the_promoter_apart(
    root: Path, snap: SnapshotGitHub
) -> None:
    """The asker marked the answer; staff then commented /promote: the asker is the accepter (answerChosenBy), the
    staff member the promoter, not the other way round."""
    discussion(snap, 49, [comment(49, 1, HELPER, "Reinstall.", votes=1), comment(49, 2, STAFF, "/promote")], answer=0)
    assert [o.action for o in sweep(root, snap)] == ["opened"]
    text = git(
        root,
        "show",
        "crowdcare/promote/discussion-49:kb/getting-started/invoices-export-to-excel-loses-the-vat-column.md",
    )
    roles = set(re.findall(r"- login: ([\w-]+)\n(?:  id: \d+\n)?  role: (\w+)", text))
    assert roles == {(ASKER[0], "asker"), (ASKER[0], "accepter"), (HELPER[0], "answerer"), (STAFF[0], "promoter")}
