"""`crowdcare tally` on the sample community (samples/make_history.py scripts one case of each rule): votes into
the vote fields only, statuses with who/when/why announced once, refusals, requests for a reason, the freeze
label, the burst flag, new ideas through pull requests, and a rerun that changes nothing."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.store import load_content
from tests.builders import copy_community, git, init_git
from tests.conftest import COMMUNITY_SNAPSHOT

NOW = "2026-11-22T12:00:00Z"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(COMMUNITY_SNAPSHOT, tmp_path / "snap")
    return init_git(copy_community(tmp_path / "repo"))


def tally(root: Path, *args: str, now: str = NOW) -> tuple[int, list[dict[str, str]], str]:
    result = CliRunner().invoke(
        cli,
        ["--root", str(root), "tally", "--snapshot", str(root.parent / "snap"), "--json", *args],
        env={"CROWDCARE_NOW": now},
    )
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def outbox(root: Path) -> list[dict[str, object]]:
    path = root.parent / "snap" / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def actions(outcomes: list[dict[str, str]], path: str) -> set[str]:
    return {o["action"] for o in outcomes if o["ref"] == path}


def test_a_dry_run_reports_and_writes_nothing(root: Path) -> None:
    code, outcomes, err = tally(root, "--dry-run")
    assert code == 0, err
    assert "counted" in {o["action"] for o in outcomes} and "dry run: nothing written" in err
    assert git(root, "status", "--porcelain") == "" and outbox(root) == []


def test_only_vote_fields_change_in_a_file_without_a_status_change(root: Path) -> None:
    before = (root / "ideas/dark-mode.md").read_text()
    code, _, err = tally(root)
    assert code == 0, err
    after = (root / "ideas/dark-mode.md").read_text()
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    changed = [line for line in diff if line[:2] in ("- ", "+ ")]
    assert changed and all(line[2:].lstrip().split(":")[0] in ("up", "score", "verified") for line in changed)
    idea = next(i for i in load_content(root).ideas if i.slug == "dark-mode")
    assert idea.votes.up > 214  # the duplicate idea's voters are added, each once


def test_statuses_are_decided_recorded_and_announced_once(root: Path) -> None:
    code, _, err = tally(root)
    assert code == 0, err
    ideas = {i.slug: i for i in load_content(root).ideas}
    planned = ideas["credit-union-feeds"]
    assert planned.status.value == "planned"
    change = planned.history[-1]
    assert (change.by, change.on.isoformat()) == ("priya-raman", "2026-11-18") and "aggregators" in (
        change.reason or ""
    )
    assert change.via.startswith("https://github.com/") and "#discussioncomment-" in change.via
    assert ideas["recurring-invoice-variable-amounts"].status.value == "under-review"
    assert "acceptance rule" in (ideas["recurring-invoice-variable-amounts"].history[-1].reason or "")
    assert ideas["xero-migration-tool"].status.value == "in-progress"  # its in-progress label
    assert ideas["xero-migration-tool"].history[-1].via == "label"
    assert ideas["whatsapp-invoice-sending"].status.value == "under-review"  # declined needs a reason first
    assert ideas["two-factor-sms-backup"].status.value == "under-review"  # a customer's /status is refused
    writes = outbox(root)
    comments = [w for w in writes if w["op"] == "create_comment"]
    said = {(w["thread"], str(w["body"]).split("<!-- crowdcare:idea:")[1].split(" ")[0]) for w in comments}
    assert {
        ("discussion #108", "announced"),
        ("discussion #107", "announced"),
        ("discussion #103", "announced"),
        ("discussion #104", "reason-needed"),
        ("discussion #113", "refused"),
    } <= said
    bodies = [str(w["body"]) for w in comments]
    deciding = [b for b in bodies if "crowdcare:idea:refused" in b or "crowdcare:idea:reason-needed" in b]
    assert deciding and all("crowdcare rule `governance.change_idea_status`" in b for b in deciding)
    labels = [(w["thread"], w["op"], w["labels"]) for w in writes if "labels" in w]
    assert ("discussion #108", "add_labels", ["planned"]) in labels
    assert ("discussion #103", "remove_labels", ["planned"]) in labels  # one status label, the current one
    assert ("discussion #115", "add_labels", ["votes-flagged"]) in labels  # the burst of young accounts

    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "tally")
    code, again, err = tally(root)
    assert code == 0, err
    assert outbox(root)[len(writes) :] == []  # nothing said or labelled twice
    assert git(root, "status", "--porcelain") == ""  # no file changes, and no new history line
    assert {o["action"] for o in again} <= {"frozen", "flagged", "missing", "idea-unchanged"}


def test_a_frozen_idea_keeps_its_count_and_a_flagged_one_is_reported(root: Path) -> None:
    before = (root / "ideas/crypto-payments.md").read_text()
    code, outcomes, err = tally(root)
    assert code == 0, err
    assert (root / "ideas/crypto-payments.md").read_text() == before
    assert "frozen" in actions(outcomes, "ideas/crypto-payments.md")
    assert "flagged" in actions(outcomes, "ideas/api-webhooks-for-payments.md")
    assert "Flagged for maintainers" in err and "api-webhooks-for-payments" in err


def test_new_idea_threads_get_files_through_pull_requests(root: Path) -> None:
    code, outcomes, err = tally(root)
    assert code == 0, err
    opened = [o for o in outcomes if o["action"] == "idea-opened"]
    assert {o["ref"] for o in opened} == {"discussion #302", "issue #202"}
    branch = "crowdcare/idea/discussion-302"
    text = git(root, "show", f"{branch}:ideas/bulk-delete-draft-invoices.md")
    assert "status: open" in text and "source: https://github.com/" in text and "votes:" in text
    assert not (root / "ideas/bulk-delete-draft-invoices.md").exists()  # only on its branch, for review


def test_the_history_gets_a_line_per_tally_that_changed_something(root: Path) -> None:
    assert tally(root, now="2026-11-01T12:00:00Z")[0] == 0
    assert tally(root)[0] == 0
    lines = (root / "metrics/votes.jsonl").read_text().splitlines()
    assert [json.loads(line)["at"] for line in lines] == ["2026-11-01T12:00:00Z", NOW]
    first, second = (json.loads(line)["v"] for line in lines)
    assert second["recurring-invoice-variable-amounts"][0] > first["recurring-invoice-variable-amounts"][0]
    assert "crypto-payments" not in second  # frozen: unchanged


def test_a_broken_idea_file_stops_the_tally_with_its_name(root: Path) -> None:
    (root / "ideas/dark-mode.md").write_text("---\ntitle: [\n---\nbody\n")
    code, _, err = tally(root)
    assert code == 2 and "ideas/dark-mode.md" in err


def staff_says(root: Path, number: int, body: str, at: str, index: int) -> None:
    path = root.parent / "snap" / "discussions" / f"{number}.json"
    node = json.loads(path.read_text())
    node["comments"]["nodes"].append(
        {"id": f"DC_test{number}_{index}", "url": f"{node['url']}#discussioncomment-9{index}", "upvoteCount": 0,
         "body": body, "createdAt": at, "authorAssociation": "MEMBER",
         "author": {"__typename": "User", "login": "priya-raman", "databaseId": 66309125}}
    )  # fmt: skip
    node["updatedAt"] = at
    path.write_text(json.dumps(node))


def test_shipped_takes_its_release_and_every_file_written_validates(root: Path) -> None:
    from crowdcare.content.validate import validate_repository

    staff_says(root, 108, "/status shipped It is out for everyone", "2026-11-19T12:00:00Z", 1)
    code, outcomes, err = tally(root)
    assert code == 0, err
    idea = {i.slug: i for i in load_content(root).ideas}["credit-union-feeds"]
    assert idea.status.value == "planned" and idea.shipped_in is None  # no release: asked, not written
    asks = [w for w in outbox(root) if w["op"] == "create_comment" and "/status shipped 4.13 WHY" in str(w["body"])]
    assert len(asks) == 1 and ("ideas/credit-union-feeds.md", "asked-reason") in {
        (o["ref"], o["action"]) for o in outcomes
    }
    assert validate_repository(root) == []

    staff_says(root, 108, "/status shipped v4.13 Credit-union feeds are live for everyone", "2026-11-20T12:00:00Z", 2)
    code, _, err = tally(root)
    assert code == 0, err
    idea = {i.slug: i for i in load_content(root).ideas}["credit-union-feeds"]
    assert (idea.status.value, idea.shipped_in) == ("shipped", "4.13")
    assert idea.decision is not None and idea.decision.reason == "Credit-union feeds are live for everyone"
    assert validate_repository(root) == []

    staff_says(root, 108, "/status in-progress Rolled back for a bug", "2026-11-21T12:00:00Z", 3)
    code, _, err = tally(root)
    assert code == 0, err
    idea = {i.slug: i for i in load_content(root).ideas}["credit-union-feeds"]
    assert (idea.status.value, idea.shipped_in) == ("in-progress", None)
    assert validate_repository(root) == []


def test_the_threads_of_merged_duplicates_are_told_of_a_status_change_once(root: Path) -> None:
    """dark-theme-please (#110) was merged into dark-mode (#101): when dark-mode is planned, #110 hears of it too."""
    path = root.parent / "snap" / "discussions" / "101.json"
    node = json.loads(path.read_text())
    node["labels"] = {"nodes": [{"name": "planned"}]}
    path.write_text(json.dumps(node))
    code, outcomes, err = tally(root)
    assert code == 0, err
    told = [w for w in outbox(root) if w["op"] == "create_comment" and w["thread"] == "discussion #110"]
    assert (
        len(told) == 1 and "is now **planned**" in str(told[0]["body"]) and "votes.duplicates" in str(told[0]["body"])
    )
    assert "told" in actions(outcomes, "ideas/dark-mode.md")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "tally")
    before = len(outbox(root))
    assert tally(root)[0] == 0
    assert [w for w in outbox(root)[before:] if w["thread"] == "discussion #110"] == [], "once per change"


def test_a_vote_budget_leaves_out_each_persons_later_votes_on_open_ideas(root: Path, tmp_path: Path) -> None:
    """The same community tallied without a budget and with one of a single open idea per person: no idea gains,
    and some lose the votes of people who voted on an earlier open idea first."""
    plain = tmp_path / "plain" / "repo"
    shutil.copytree(root, plain)
    shutil.copytree(root.parent / "snap", plain.parent / "snap")
    config = root / "crowdcare.yml"
    config.write_text(config.read_text().replace("votes:\n", "votes:\n  budget:\n    open_ideas: 1\n", 1))
    assert tally(root)[0] == 0 and tally(plain)[0] == 0
    budgeted = {i.slug: i.votes.up for i in load_content(root).ideas}
    free = {i.slug: i.votes.up for i in load_content(plain).ideas}
    assert all(budgeted[slug] <= free[slug] for slug in free)
    assert sum(budgeted.values()) < sum(free.values())
