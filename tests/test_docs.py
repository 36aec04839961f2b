"""The docs keep up with the code: every rule code and every command is documented."""

from __future__ import annotations

import re

from crowdcare.cli.main import cli
from crowdcare.content.rules import RULES
from tests.conftest import REPO_ROOT


def test_contributing_lists_exactly_the_rule_codes() -> None:
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text("utf-8")
    documented = set(re.findall(r"^\| (CC\d{3}) \|", text, re.MULTILINE))
    assert documented == set(RULES)
    for code, rule in RULES.items():
        assert f"| {code} | {rule.summary} |" in text, f"CONTRIBUTING.md row for {code} differs from the rule table"


def test_readme_covers_every_command_and_the_two_make_targets() -> None:
    text = (REPO_ROOT / "README.md").read_text("utf-8")
    for name, command in cli.commands.items():
        assert command.hidden or f"crowdcare {name}" in text, name
    assert "make demo" in text and "make test" in text


def test_changelog_has_an_entry_for_the_current_version() -> None:
    from crowdcare import __version__

    assert f"## {__version__}" in (REPO_ROOT / "CHANGELOG.md").read_text("utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (REPO_ROOT / ".ci/run").read_text("utf-8")


def test_the_command_reference_is_what_the_commands_say() -> None:
    """docs/commands.md is written from every command's --help (`make docs`): it may not drift from the code."""
    from crowdcare.cli.reference import reference

    written = (REPO_ROOT / "docs" / "commands.md").read_text("utf-8")
    assert written == reference(cli), "docs/commands.md is out of date: run `make docs` and commit it"
    for name, command in cli.commands.items():
        assert command.hidden or f"## crowdcare {name}\n" in written, name
