"""Minimal-diff front-matter edits (crowdcare.content.fields): property-based, over hand-edited idea files written in
many styles (comments anywhere, any key order, quoting, block or flow votes, CRLF, any body)."""

from __future__ import annotations

import difflib

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crowdcare.content.fields import patch_front_matter
from crowdcare.content.store import idea_from_text
from crowdcare.core.errors import BadInputError

VOTE_KEYS = ("up", "down", "score", "verified")
counts = st.integers(min_value=0, max_value=10**6)
comment = st.sampled_from(["", "  # kept", "   # from the tally, do not edit", "    #no space after the hash"])
body_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=200).map(
    lambda s: "I would like " + s + "\n"
)


@st.composite
def idea_files(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """An idea file as a person might have written it, and its vote values."""
    votes = {"up": draw(counts), "down": draw(counts)}
    votes["score"] = votes["up"] - votes["down"]
    if draw(st.booleans()):
        votes["verified"] = draw(st.integers(min_value=-1000, max_value=1000))
    order = draw(st.permutations(list(votes)))
    indent = " " * draw(st.sampled_from([2, 4]))
    if draw(st.booleans()):
        vote_text = (
            "votes:" + draw(comment) + "\n" + "".join(f"{indent}{k}: {votes[k]}{draw(comment)}\n" for k in order)
        )
    else:
        vote_text = "votes: {" + ", ".join(f"{k}: {votes[k]}" for k in order) + "}" + draw(comment) + "\n"
    title = draw(st.sampled_from(["Dark mode please", "'Dark mode: please'", '"Dark mode — please"']))
    fields = [
        f"title: {title}{draw(comment)}\n",
        "status: open\n",
        f"author:\n{indent}login: kenji-watanabe\n{indent}id: 91827364\n",
        "source: https://github.com/o/r/discussions/101\n",
        vote_text,
        "created: " + draw(st.sampled_from(["'2026-02-01'", '"2026-02-01"'])) + "\n",
        "tags:\n- accessibility\n" if draw(st.booleans()) else "tags: [accessibility, ui]\n",
    ]
    fields = draw(st.permutations(fields))
    lines = ["---\n"]
    for text in fields:
        if draw(st.booleans()):
            lines.append("# a note for reviewers\n")
        lines.append(text)
    if draw(st.booleans()):
        lines.append("# the end of the front-matter\n")
    lines.append("---\n")
    text = "".join(lines) + "\n" + draw(body_text)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, votes


def _meta(text: str) -> dict[str, object]:
    head = text.replace("\r\n", "\n").split("---\n", 2)[1]
    meta = yaml.safe_load(head)
    assert isinstance(meta, dict)
    return meta


@settings(max_examples=300, deadline=None)
@given(idea_files())
def test_setting_the_same_votes_changes_nothing(case: tuple[str, dict[str, int]]) -> None:
    text, votes = case
    assert patch_front_matter(text, {"votes": votes}) == text


@settings(max_examples=300, deadline=None)
@given(idea_files(), counts, counts, st.integers(min_value=-1000, max_value=1000))
def test_only_the_vote_values_change(case: tuple[str, dict[str, int]], up: int, down: int, verified: int) -> None:
    text, votes = case
    new = {"up": up, "down": down, "score": up - down, "verified": verified}
    patched = patch_front_matter(text, {"votes": new})
    assert _meta(patched)["votes"] == new
    before, after = _meta(text), _meta(patched)
    before.pop("votes"), after.pop("votes")
    assert after == before  # every other field, in the same order
    assert list(after) == list(before)
    assert patched.split("---", 2)[2] == text.split("---", 2)[2]  # the body, byte for byte
    changed = [
        line
        for line in difflib.ndiff(text.splitlines(keepends=True), patched.splitlines(keepends=True))
        if line.startswith(("- ", "+ "))
    ]
    assert all(any(f"{k}:" in line for k in (*VOTE_KEYS, "votes")) for line in changed), changed
    if "verified" in votes:  # every key was there: going back restores the original bytes
        assert patch_front_matter(patched, {"votes": votes}) == text


@settings(max_examples=100, deadline=None)
@given(idea_files())
def test_the_patched_file_is_still_a_valid_idea(case: tuple[str, dict[str, int]]) -> None:
    text, _ = case
    assume(idea_from_text("ideas/dark-mode.md", text)[1] == [])  # bodies hypothesis makes may break other rules
    patched = patch_front_matter(text, {"votes": {"up": 5, "down": 1, "score": 4, "verified": 3}})
    idea, findings = idea_from_text("ideas/dark-mode.md", patched)
    assert findings == [] and idea is not None
    assert (idea.votes.up, idea.votes.score, idea.votes.verified) == (5, 4, 3)


def test_a_grown_history_is_appended_below_the_old_entries() -> None:
    text = "---\ntitle: T\nhistory:\n  # by hand\n  - status: open\n    'on': '2026-01-01'  # day one\n---\nbody\n"
    patched = patch_front_matter(
        text,
        {
            "history": [
                {"status": "open", "on": "2026-01-01"},
                {"status": "planned", "on": "2026-02-01", "by": "maya-okafor", "reason": "Top: 200 votes"},
            ]
        },
    )
    assert patched.startswith(text.split("---\nbody")[0])  # old lines untouched, comment included
    assert "  - status: planned\n    'on': '2026-02-01'\n    by: maya-okafor\n    reason: 'Top: 200 votes'\n" in patched


def test_a_missing_key_is_added_and_none_removes_one() -> None:
    text = "---\ntitle: T  # why\ndecision: {by: a, 'on': '2026-01-01', reason: old}\nstatus: open\n---\nB\n"
    patched = patch_front_matter(text, {"status": "planned", "decision": None, "updated": "2026-11-22"})
    assert patched == "---\ntitle: T  # why\nstatus: planned\nupdated: '2026-11-22'\n---\nB\n"


@pytest.mark.parametrize("text", ["no front-matter\n", "---\n- a list\n---\nbody\n", "---\ntitle: [\n---\nb\n"])
def test_files_it_cannot_patch_are_refused(text: str) -> None:
    with pytest.raises(BadInputError):
        patch_front_matter(text, {"votes": {"up": 1}})
