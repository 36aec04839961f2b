"""The compiled schema check (fastjsonschema) never accepts what jsonschema refuses: on hostile values at every
place of valid documents, and a schema it would read differently gets no compiled check at all."""

from __future__ import annotations

import copy
from typing import Any

import fastjsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crowdcare.content.frontmatter import parse_document
from crowdcare.content.schema import SchemaName, check_document, compiled_check, fast_check, validator
from tests.builders import CONFIG, idea_text, solution_text

VALID: dict[SchemaName, dict[str, Any]] = {
    "solution": parse_document(solution_text(also_asked=["https://github.com/acme/community/discussions/9"])).meta,
    "idea": parse_document(idea_text()).meta,
    "config": copy.deepcopy(CONFIG),
}
# Values near the schemas' edges: dates that are no dates, text ending in a newline (Python's "$" matches before
# it), numbers written as floats, logins of the wrong shape, and so on.
EDGES: st.SearchStrategy[Any] = st.sampled_from(
    ["", " ", "2026-02-30", "2026-1-1", "2026-01-02\n", "2026-13-01", "x\n", "a,b", "-a", "a--b", "user[bot]",
     "https://github.com/acme/community/discussions/1\n", "javascript:alert(1)", "accepted", "open", "sync", "#1",
     "12:30", "24:00", "issue #12", "a" * 300, 0, -1, 1.0, 1.5, 10**12, True, False, None, [], {}]
)  # fmt: skip
LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | EDGES
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


def _mutated(meta: dict[str, Any], path: tuple[Any, ...], action: str, value: Any, key: str) -> dict[str, Any]:
    data = copy.deepcopy(meta)
    if not path:
        data[key] = value
        return data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if action == "replace":
        parent[path[-1]] = value
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][key] = value
    elif isinstance(parent[path[-1]], list):
        parent[path[-1]].append(value)
    return data


def _fast_accepts(name: SchemaName, data: Any) -> bool:
    check = fast_check(name)
    assert check is not None
    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@pytest.mark.parametrize("name", ["solution", "idea", "config", "responses"])
def test_every_published_schema_has_a_compiled_check(name: SchemaName) -> None:
    assert fast_check(name) is not None


@pytest.mark.parametrize("name", ["solution", "idea", "config"])
def test_the_valid_documents_pass_both(name: SchemaName) -> None:
    assert not list(validator(name).iter_errors(VALID[name]))
    assert _fast_accepts(name, VALID[name])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["solution", "idea", "config"]),
    data=st.data(),
    action=st.sampled_from(["replace", "replace", "remove", "add"]),
    value=VALUES,
    key=st.sampled_from(["title", "tags", "extra", "login", "id", "status"]) | st.text(max_size=6),
)
def test_the_compiled_check_never_accepts_what_jsonschema_refuses(
    name: SchemaName, data: st.DataObject, action: str, value: Any, key: str
) -> None:
    path = data.draw(st.sampled_from(_places(VALID[name])))
    mutated = _mutated(VALID[name], path, action, value, key)
    refused = bool(list(validator(name).iter_errors(mutated)))
    if refused:
        assert not _fast_accepts(name, mutated), (path, action, value)


def test_a_refused_document_still_gets_jsonschemas_findings_with_lines() -> None:
    doc = parse_document(solution_text(created="2026-02-30", status="maybe"))
    findings = check_document(doc, "solution", "kb/sync/x.md")
    assert [(f.code, f.line) for f in findings] == [("CC115", 4), ("CC116", 16)]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "array", "prefixItems": [{"type": "string"}]},  # 2020-12 only: draft 7 would ignore it
        {"type": "object", "properties": {"a": {"dependentRequired": {"a": ["b"]}}}},
        {"type": "object", "additionalProperties": {"unevaluatedProperties": False}},
        {"anyOf": [{"type": "string"}, {"contains": {"type": "string"}}]},
    ],
)
def test_a_schema_with_keywords_outside_the_shared_set_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compiled_check(schema) is None


def test_a_schema_of_shared_keywords_is_compiled_with_jsonschemas_format_checks() -> None:
    check = compiled_check({"type": "object", "properties": {"on": {"type": "string", "format": "date"}}})
    assert check is not None
    check({"on": "2026-02-28"})
    with pytest.raises(fastjsonschema.JsonSchemaException):
        check({"on": "2026-02-30"})  # fastjsonschema's own "date" is a pattern that takes this
