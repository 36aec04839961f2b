"""Guided intake: issue forms and discussion category forms, checked against the schemas check-jsonschema ships,
and consistent with how intake classifies threads."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, validators

from crowdcare.content.config import load_config
from tests.conftest import REPO_ROOT

ISSUE_FORMS = sorted((REPO_ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
DISCUSSION_FORMS = sorted((REPO_ROOT / ".github" / "DISCUSSION_TEMPLATE").glob("*.yml"))


def vendored(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files("check_jsonschema.builtin_schemas.vendor").joinpath(f"{name}.json").read_text("utf-8")
    )
    return schema


def check(path: Path, schema_name: str) -> None:
    schema = vendored(schema_name)
    validator = validators.validator_for(schema, default=Draft7Validator)(schema)
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(yaml.safe_load(path.read_text("utf-8")))
    ]
    assert errors == [], f"{path.name}: {errors}"


def test_there_are_forms_for_a_question_a_problem_and_an_idea() -> None:
    assert {p.stem for p in ISSUE_FORMS} >= {"question", "problem", "idea", "config"}
    assert {p.stem for p in DISCUSSION_FORMS} == {"q-a", "ideas"}


@pytest.mark.parametrize("path", [p for p in ISSUE_FORMS if p.stem != "config"], ids=lambda p: p.name)
def test_issue_forms_match_github_schema(path: Path) -> None:
    check(path, "github-issue-forms")


def test_issue_template_config_matches_github_schema() -> None:
    check(REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml", "github-issue-config")


@pytest.mark.parametrize("path", DISCUSSION_FORMS, ids=lambda p: p.name)
def test_discussion_forms_match_github_schema(path: Path) -> None:
    check(path, "github-discussion")


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\nbody:\n  - type: textarea\n")  # no description, no attributes
    with pytest.raises(AssertionError):
        check(bad, "github-issue-forms")


def test_form_labels_classify_as_intake_expects() -> None:
    """A question or problem form labels the thread so intake sees a question; the idea form, an idea."""
    config, _ = load_config(REPO_ROOT)
    assert config is not None
    forms = {p.stem: set(yaml.safe_load(p.read_text())["labels"]) for p in ISSUE_FORMS if p.stem != "config"}
    assert forms["question"] & set(config.intake.question.issue_labels)
    assert forms["problem"] & set(config.intake.question.issue_labels)
    assert forms["idea"] & set(config.intake.idea.issue_labels)
    categories = {c.lower().replace("&", "-") for c in config.intake.question.discussion_categories}
    assert "q-a" in categories  # GitHub names the form after the category's slug: Q&A -> q-a
