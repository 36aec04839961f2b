"""crowdcare validate: one failing fixture per rule, hostile files, narrowing to paths, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crowdcare.cli.main import cli
from crowdcare.content.rules import RULES
from crowdcare.content.validate import validate_repository
from tests.builders import CONFIG, Repo, idea_text, solution_text

SOL = "kb/sync/files-do-not-sync.md"
IDEA = "ideas/dark-mode.md"


def _write(rel: str, text: str | bytes) -> Callable[[Repo], None]:
    def write(repo: Repo) -> None:
        repo.write(rel, text)

    return write


def _symlink(repo: Repo) -> None:
    target = repo.write("secret.txt", "not content")
    (repo.root / "kb/sync").mkdir(parents=True)
    (repo.root / SOL).symlink_to(target)


def _two(first: tuple[str, str], second: tuple[str, str]) -> Callable[[Repo], None]:
    def make(repo: Repo) -> None:
        repo.write(*first)
        repo.write(*second)

    return make


def _two_steps(*steps: Callable[[Repo], None]) -> Callable[[Repo], None]:
    def make(repo: Repo) -> None:
        for step in steps:
            step(repo)

    return make


def _config(**changes: object) -> Callable[[Repo], None]:
    return lambda repo: repo.config(**changes)


OTHER_SOURCE = "https://github.com/acme/community/discussions/99"

# code -> (how to make the failing repository, the file the finding names, text on the line it names or,
# for findings about the whole file, line 1)
FIXTURES: dict[str, tuple[Callable[[Repo], None], str, str | int]] = {
    "CC101": (_write(SOL, b"---\ntitle: caf\xe9\n---\n"), SOL, 2),
    "CC102": (_write(SOL, ""), SOL, 1),
    "CC103": (_symlink, SOL, 1),
    "CC104": (_write(SOL, solution_text(body="x" * 60_000)), SOL, "xxxxxxxx"),
    "CC105": (_write("kb/notes.txt", "hello"), "kb/notes.txt", 1),
    "CC106": (_write("kb/sync/Files Do Not Sync.md", solution_text()), "kb/sync/Files Do Not Sync.md", 1),
    "CC107": (_write(SOL, "---\ntitle: x\n"), SOL, 1),
    "CC108": (_write(SOL, "---\ntitle: [unclosed\nstatus: x\n---\nbody\n"), SOL, "status: x"),
    "CC109": (_write(SOL, "---\ntitle: !!python/object/apply:os.system ['id']\n---\nbody\n"), SOL, "!!python"),
    "CC110": (_write(SOL, "---\ntitle: a\ntitle: b\n---\nbody\n"), SOL, "title: b"),
    "CC111": (_write(SOL, "---\n- a list\n- not a mapping\n---\nbody\n"), SOL, "- a list"),
    "CC112": (_write(SOL, solution_text(colour="blue")), SOL, "colour: blue"),
    "CC113": (_write(SOL, solution_text(source=None)), SOL, 1),
    "CC114": (_write(SOL, solution_text(title="no").replace("title: 'no'", "title: no")), SOL, "title: no"),
    "CC115": (_write(SOL, solution_text(status="done")), SOL, "status: done"),
    "CC116": (_write(SOL, solution_text(created="2026-13-45")), SOL, "2026-13-45"),
    "CC117": (_write(SOL, solution_text().replace("id: 1\n", "id: " + "9" * 5000 + "\n")), SOL, "id: 9999"),
    "CC118": (_write(SOL, solution_text(title="Files X do not sync").replace("X", "\u202e")), SOL, "title: Files"),
    "CC119": (_write(SOL, solution_text(body="\n\n")), SOL, "---"),
    "CC120": (_write(SOL, solution_text(body="[" * 600 + "\n")), SOL, "[[[["),
    "CC121": (_write(SOL, solution_text(topic="billing")), SOL, "topic: billing"),
    "CC122": (_write(SOL, solution_text(superseded_by="sync/other")), SOL, "status: accepted"),
    "CC201": (
        _two((SOL, solution_text()), ("kb/sync/again.md", solution_text(source=OTHER_SOURCE))),
        SOL,
        "title: Files do not sync",
    ),
    "CC202": (
        _write(
            IDEA,
            idea_text(
                status="duplicate",
                duplicate_of="no-such-idea",
                decision={"by": "staffer", "on": "2026-03-01", "reason": "Same as another."},
            ),
        ),
        IDEA,
        "duplicate_of: no-such-idea",
    ),
    "CC203": (_write(SOL, solution_text(related=["sync/missing"])), SOL, "related:"),
    "CC204": (
        _two((SOL, solution_text()), ("kb/sync/other.md", solution_text(title="Another title"))),
        "kb/sync/other.md",
        "source: https://github.com/acme/community/discussions/1",
    ),
    "CC205": (_write("kb/printing/jam.md", solution_text(topic="printing")), "kb/printing/jam.md", "topic: printing"),
    "CC206": (_two((SOL, solution_text()), (IDEA, idea_text(author={"login": "renamed", "id": 1}))), IDEA, "author:"),
    "CC207": (
        _write(SOL, solution_text(status="superseded", superseded_by="sync/gone")),
        SOL,
        "superseded_by: sync/gone",
    ),
    "CC208": (
        _two_steps(
            _config(product={"current_version": "4.12", "stale_after_releases": 3}),
            _write(SOL, solution_text(verified_with="4.9")),
        ),
        SOL,
        "verified_with:",
    ),
    "CC301": (_write(IDEA, idea_text(status="declined")), IDEA, "status: declined"),
    "CC302": (_write(IDEA, idea_text(duplicate_of="offline")), IDEA, "duplicate_of: offline"),
    "CC303": (
        _write(
            IDEA, idea_text(status="shipped", decision={"by": "staffer", "on": "2026-03-01", "reason": "It shipped."})
        ),
        IDEA,
        "status: shipped",
    ),
    "CC304": (_write(IDEA, idea_text(votes={"up": 3, "down": 1, "score": 5})), IDEA, "votes:"),
    "CC305": (
        _write(
            IDEA,
            idea_text(status="declined", decision={"by": "asker1", "on": "2026-03-01", "reason": "I changed my mind."}),
        ),
        IDEA,
        "decision:",
    ),
    "CC401": (lambda repo: (repo.root / "crowdcare.yml").unlink(), "crowdcare.yml", 1),
    "CC402": (_config(staff=[{"login": "staffer"}, {"login": "Staffer"}]), "crowdcare.yml", "login: Staffer"),
    "CC403": (
        _config(topics=[{"slug": "sync", "title": "Sync"}, {"slug": "sync", "title": "Again"}]),
        "crowdcare.yml",
        "slug: sync",
    ),
    "CC405": (_config(promotion={"default_topic": "printing"}), "crowdcare.yml", "default_topic: printing"),
    "CC406": (_config(staff=[{"login": "staffer", "topics": ["sync", "printing"]}]), "crowdcare.yml", "- printing"),
    "CC501": (
        _write("metrics/responses.json", '{"format": 1, "updated_at": "yesterday", "records": []}'),
        "metrics/responses.json",
        1,
    ),
    "CC502": (
        _write("metrics/votes.jsonl", '{"at": "2026-11-22T10:00:00Z", "v": {"dark-mode": [1, 0]}}\n'),
        "metrics/votes.jsonl",
        1,
    ),
    "CC404": (
        _config(responses={"business_hours": {"timezone": "Mars/Olympus_Mons", "start": "09:00", "end": "17:00"}}),
        "crowdcare.yml",
        "timezone: Mars/Olympus_Mons",
    ),
}


def test_every_rule_has_a_failing_fixture() -> None:
    """The rule table and the fixtures list the same codes: a new rule needs a fixture."""
    assert set(FIXTURES) == set(RULES)


@pytest.mark.parametrize("code", sorted(FIXTURES))
def test_rule_fixture_fails_with_its_code_at_the_right_line(repo: Repo, code: str) -> None:
    """Each fixture produces its rule's code on the expected file and line, and the file is left untouched."""
    make, path, line = FIXTURES[code]
    make(repo)
    before = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and not p.is_symlink()}
    findings = validate_repository(repo.root)
    matching = [f for f in findings if f.code == code]
    assert matching, f"expected {code}, got {[str(f) for f in findings]}"
    found = matching[0]
    assert found.path == path, str(found)
    if isinstance(line, int):
        assert found.line == line, str(found)
    else:
        text = (repo.root / path).read_bytes().decode("utf-8", "replace").splitlines()[found.line - 1]
        assert line in text, f"{found} points at {text[:80]!r}"
    assert {p: p.read_bytes() for p in before} == before, "validate must never rewrite files"


def test_clean_repository_has_no_findings(sample_repo: Repo) -> None:
    assert validate_repository(sample_repo.root) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("---\na: &x [1]\nb: *x\n---\nbody\n", "CC109"),  # alias
        ("---\n" + "a: &a [x,x,x]\n" + "b: &b [*a,*a,*a]\n" * 3 + "---\nbody\n", "CC109"),  # alias bomb
        ("---\ntitle: 12:30:00\n---\nbody\n", "CC114"),  # sexagesimal integer
        ("---\njust a string\n---\nbody\n", "CC111"),
        ("---\n---\nbody\n", "CC111"),
        ("\x00\x01\x02binary", "CC101"),
        ("---\ntitle: \x07bell\n---\nbody\n", "CC118"),
        ("---\n" + "a:\n " * 50 + "b\n---\nbody\n", "CC108"),  # deep nesting
        ("---\nno: true\n---\nbody\n", "CC114"),  # key that YAML reads as a boolean
        ("no front-matter at all\n", "CC107"),
    ],
)
def test_hostile_files_get_a_finding_not_a_traceback(repo: Repo, text: str, code: str) -> None:
    repo.write(SOL, text)
    codes = {f.code for f in validate_repository(repo.root) if f.path == SOL}
    assert code in codes


def test_wrong_types_name_the_field_and_the_fix(repo: Repo) -> None:
    repo.write(SOL, solution_text().replace("title: Files do not sync", "title: 12:30:00"))
    [found] = [f for f in validate_repository(repo.root) if f.code == "CC114"]
    assert str(found).startswith(f"{SOL}:2: CC114 'title' should be text, not a number (45000")
    assert "quote" in found.hint


def test_unknown_nested_key_points_at_its_own_line(repo: Repo) -> None:
    text = solution_text(contributors=[{"login": "a", "role": "asker", "email": "a@example.com"}])
    repo.write(SOL, text)
    [found] = [f for f in validate_repository(repo.root) if f.code == "CC112"]
    assert found.message == "unknown key 'contributors[0].email'"
    assert text.splitlines()[found.line - 1].strip().startswith("email:")


def test_files_outside_kb_and_ideas_named_on_the_command_line(sample_repo: Repo) -> None:
    other = sample_repo.write("docs/page.md", "# hi\n")
    findings = validate_repository(sample_repo.root, [other])
    assert [(f.path, f.code) for f in findings] == [("docs/page.md", "CC105")]


def test_narrowing_to_a_path_keeps_cross_file_findings_for_it(repo: Repo) -> None:
    repo.write(SOL, solution_text())
    repo.write("kb/sync/again.md", solution_text(source=OTHER_SOURCE))
    repo.write(IDEA, idea_text(votes={"up": 1, "down": 0, "score": 9}))
    narrowed = validate_repository(repo.root, [repo.root / "kb/sync/again.md"])
    assert {(f.path, f.code) for f in narrowed} == set()  # the duplicate title is reported on the first file
    narrowed = validate_repository(repo.root, [repo.root / SOL])
    assert {(f.path, f.code) for f in narrowed} == {(SOL, "CC201")}
    assert {f.code for f in validate_repository(repo.root, [repo.root / "ideas"])} == {"CC304"}


def test_symlinked_folder_is_reported_and_not_followed(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.md").write_text(solution_text())
    (repo.root / "kb").mkdir()
    (repo.root / "kb" / "sync").symlink_to(outside)
    findings = validate_repository(repo.root)
    assert [(f.path, f.code) for f in findings] == [("kb/sync", "CC103")]


class TestCli:
    def test_exit_0_when_clean(self, sample_repo: Repo) -> None:
        result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate"])
        assert result.exit_code == 0, result.output
        assert "no findings" in result.stderr

    def test_exit_1_and_one_line_per_finding(self, sample_repo: Repo) -> None:
        sample_repo.write("ideas/dark-mode.md", idea_text(votes={"up": 1, "down": 1, "score": 3}))
        result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate"])
        assert result.exit_code == 1
        assert result.stdout.splitlines() == [
            "ideas/dark-mode.md:8: CC304 score is 3 but up - down is 0 (set score to up - down (the tally does this for you))"
        ]

    def test_json_output_lists_findings(self, sample_repo: Repo) -> None:
        sample_repo.write(SOL, solution_text(status="done"))
        result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate", "--json"])
        assert result.exit_code == 1
        [item] = json.loads(result.stdout)
        assert item["code"] == "CC115" and item["path"] == SOL and item["line"] == 4

    def test_exit_2_for_a_missing_path(self, sample_repo: Repo) -> None:
        result = CliRunner().invoke(
            cli, ["--root", str(sample_repo.root), "validate", str(sample_repo.root / "nope.md")]
        )
        assert result.exit_code == 2
        assert "no such file or folder" in result.stderr

    def test_exit_2_for_a_path_outside_the_repository(self, sample_repo: Repo, tmp_path: Path) -> None:
        elsewhere = tmp_path / "elsewhere.md"
        elsewhere.write_text("x")
        result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate", str(elsewhere)])
        assert result.exit_code == 2
        assert "not inside the repository" in result.stderr

    def test_a_relative_path_is_read_from_the_root_given_when_run_from_outside_it(
        self, sample_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sample_repo.write(SOL, solution_text(status="done"))
        outside = tmp_path / "elsewhere"
        outside.mkdir()
        monkeypatch.chdir(outside)
        result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate", SOL, "--json"])
        assert result.exit_code == 1, result.output
        assert [f["code"] for f in json.loads(result.stdout)] == ["CC115"]
        monkeypatch.chdir(sample_repo.root / "kb")  # inside the repository: relative to where you are
        here = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate", "sync/", "--json"])
        assert here.exit_code == 1 and [f["path"] for f in json.loads(here.stdout)] == [SOL]

    def test_exit_2_for_an_unknown_option(self, sample_repo: Repo) -> None:
        result = CliRunner().invoke(cli, ["--root", str(sample_repo.root), "validate", "--nope"])
        assert result.exit_code == 2


def test_config_is_validated_with_the_same_rules(repo: Repo) -> None:
    data = {**CONFIG, "site": {"page_size": "many"}, "colour": "red"}
    repo.write("crowdcare.yml", yaml.safe_dump(data))
    codes = {(f.path, f.code) for f in validate_repository(repo.root)}
    assert codes == {("crowdcare.yml", "CC112"), ("crowdcare.yml", "CC114")}


def test_only_a_duplicate_may_be_decided_by_the_bot_applying_the_consent_rule(repo: Repo) -> None:
    """crowdcare fold merges a duplicate idea under the consent rule: the bot decides it; nothing else may."""
    repo.write(
        "ideas/offline.md", idea_text(title="Offline", source="https://github.com/acme/community/discussions/51")
    )
    merged = {"by": "github-actions[bot]", "on": "2026-03-01", "reason": "The same idea as Offline: the author agreed."}
    repo.write(IDEA, idea_text(status="duplicate", duplicate_of="offline", decision=merged))
    assert [f.code for f in validate_repository(repo.root)] == []
    repo.write(IDEA, idea_text(status="declined", decision=merged))
    assert [f.code for f in validate_repository(repo.root)] == ["CC305"]
