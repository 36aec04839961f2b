"""GitHub's published contracts, read from the pinned @octokit npm packages (installed by `npm ci`)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import REPO_ROOT

OCTOKIT = REPO_ROOT / "node_modules" / "@octokit"
WEBHOOK_EXAMPLES = OCTOKIT / "webhooks-examples" / "api.github.com" / "index.json"
WEBHOOK_SCHEMAS = OCTOKIT / "openapi-webhooks" / "generated" / "api.github.com.json"
GRAPHQL_SCHEMA = OCTOKIT / "graphql-schema" / "schema.json"
REST_SPEC = OCTOKIT / "openapi" / "generated" / "api.github.com.json"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm ci` (make test does it)")
    return path


@cache
def _json(path: Path) -> Any:
    return json.loads(require(path).read_text("utf-8"))


def webhook_examples(*names: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(event name, action, payload) for every example of the named events."""
    found = []
    for entry in _json(WEBHOOK_EXAMPLES):
        if entry["name"] in names:
            for example in entry["examples"]:
                found.append((entry["name"], str(example.get("action", "")), example))
    return found


def webhook_schema_name(event: str, action: str) -> str:
    return f"webhook-{event.replace('_', '-')}-{action.replace('_', '-')}"


@cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = _json(WEBHOOK_SCHEMAS)
    return spec


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = {**_spec()["components"]["schemas"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else ({kind} if kind else set())


def synthesize(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts: null where allowed, else an empty value of the type."""
    schema = _resolve(schema)
    if schema.get("nullable") or "null" in _types(schema):
        return None
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return synthesize(schema[key][0])
    kinds = _types(schema)
    if "object" in kinds or "properties" in schema:
        return {name: synthesize(schema["properties"].get(name, {})) for name in schema.get("required", [])}
    if "array" in kinds:
        return []
    if "boolean" in kinds:
        return False
    if kinds & {"integer", "number"}:
        return schema.get("minimum", 0)
    return ""


def patch(instance: Any, schema: dict[str, Any]) -> Any:
    """Add what the current schema requires and a 2024 example lacks; never change what the example has."""
    schema = _resolve(schema)
    for key in ("allOf",):
        for part in schema.get(key, []):
            instance = patch(instance, part)
    for key in ("anyOf", "oneOf"):
        if key in schema and isinstance(instance, dict):
            branches = [_resolve(b) for b in schema[key]]
            objects = [b for b in branches if "object" in _types(b) or "properties" in b]
            if objects:
                instance = patch(instance, objects[0])
    if isinstance(instance, dict) and ("properties" in schema or "required" in schema):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in instance:
                instance[name] = synthesize(props.get(name, {}))
        for name, value in list(instance.items()):
            if name in props and value is not None:
                instance[name] = patch(value, props[name])
    elif isinstance(instance, list) and "items" in schema:
        instance = [patch(item, schema["items"]) for item in instance]
    return instance


def patched_and_validated(event: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The example, patched to the current schema and validated against it (errors fail the test)."""
    name = webhook_schema_name(event, action)
    schema = {"$ref": f"#/components/schemas/{name}", "components": _spec()["components"]}
    fixed = patch(copy.deepcopy(payload), schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(fixed), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message[:120]}" for e in errors[:5])
    assert isinstance(fixed, dict)
    return fixed
