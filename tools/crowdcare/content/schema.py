"""Front-matter and config checked against the published JSON Schemas in ``crowdcare/schemas/``.

jsonschema's errors are turned into findings with our rule codes and the file line of the offending value.
A document is first checked by fastjsonschema's compiled form of the same schema (yes or no, five times faster: at
10,000 solutions jsonschema alone took 3.4 s of the site build); only a document it refuses is read by jsonschema
for its findings. The compiled check is used only for schemas written in keywords both libraries read alike, with
jsonschema's own format checks: it never accepts what jsonschema refuses (a test compares them on hostile values).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, partial
from importlib import resources
from typing import Any, Literal

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from crowdcare.content.frontmatter import Document, YamlPath
from crowdcare.content.rules import finding
from crowdcare.core.model import Finding
from crowdcare.core.text import find_bad_char

SchemaName = Literal["solution", "idea", "config", "responses"]

_CODE_BY_KEYWORD = {
    "type": "CC114",
    "enum": "CC115",
    "const": "CC115",
    "anyOf": "CC115",
}


@cache
def load_schema(name: SchemaName) -> dict[str, Any]:
    """The published JSON Schema for a content type."""
    text = resources.files("crowdcare").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def validator(name: SchemaName) -> Draft202012Validator:
    """The checked, cached validator for a published schema."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    # Same schema with its local "#/$defs/..." references written out: resolving them on every validation
    # was most of the cost of loading 1,000 files.
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})), format_checker=FormatChecker())


# Keywords fastjsonschema (drafts 4-7) and jsonschema (2020-12) read the same way; "format" with jsonschema's own
# checkers. A schema using any other keyword is checked by jsonschema alone.
SHARED_KEYWORDS = frozenset(
    {"type", "properties", "additionalProperties", "required", "items", "enum", "const", "anyOf", "pattern",
     "format", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
     "exclusiveMinimum", "exclusiveMaximum", "minProperties", "maxProperties", "propertyNames"}
)  # fmt: skip
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "default", "examples"})


@cache
def fast_check(name: SchemaName) -> Callable[[Any], object] | None:
    """fastjsonschema's compiled check of a published schema (raises on the first problem), or None when the
    schema uses a keyword outside SHARED_KEYWORDS."""
    return compiled_check(load_schema(name))


def compiled_check(schema: dict[str, Any]) -> Callable[[Any], object] | None:
    inlined = _inline_refs(schema, schema.get("$defs", {}))
    if not _only_shared_keywords(inlined):
        return None
    formats = FormatChecker()
    inlined = {**inlined, "$schema": "http://json-schema.org/draft-07/schema#"}
    check: Callable[[Any], object] = fastjsonschema.compile(
        inlined, formats={name: partial(formats.conforms, format=name) for name in formats.checkers}
    )
    return check


def _only_shared_keywords(node: Any) -> bool:
    if not isinstance(node, dict):
        return True
    for key, value in node.items():
        if key == "properties":
            if not isinstance(value, dict) or not all(_only_shared_keywords(v) for v in value.values()):
                return False
        elif key in ("items", "additionalProperties", "propertyNames"):
            if not (isinstance(value, bool) or _only_shared_keywords(value)):
                return False
        elif key == "anyOf":
            if not isinstance(value, list) or not all(_only_shared_keywords(v) for v in value):
                return False
        elif key not in SHARED_KEYWORDS and key not in _ANNOTATIONS:
            return False
    return True


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
            return {**target, **{k: _inline_refs(v, defs) for k, v in node.items() if k != "$ref"}}
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def check_document(doc: Document, name: SchemaName, path: str) -> list[Finding]:
    """Every schema finding for ``doc.meta``, in file order."""
    findings = _check_keys_are_text(doc, path)
    if findings:
        return findings
    fast = fast_check(name)
    if fast is not None:
        try:
            fast(doc.meta)
            return []
        except (fastjsonschema.JsonSchemaException, TypeError, ValueError, RecursionError):
            pass  # a refusal (or a value it cannot read): jsonschema names every problem, and where
    for error in validator(name).iter_errors(doc.meta):
        findings.extend(_findings_from_error(error, doc, path))
    return sorted(findings, key=lambda f: (f.line, f.code))


def _check_keys_are_text(doc: Document, path: str) -> list[Finding]:
    """Keys must be text, and no value may hide a control or bidi character behind a YAML escape ("\u202e")."""
    found: list[Finding] = []

    def walk(value: object, where: YamlPath) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    found.append(
                        finding(
                            "CC114",
                            path,
                            doc.line_of(where),
                            f"key {key!r} in {_label(where)!r} is not text (YAML reads yes/no/on/off as true/false)",
                            "quote the key or fix its spelling",
                        )
                    )
                    continue
                walk(key, where)
                walk(item, (*where, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*where, index))
        elif isinstance(value, str):
            bad = find_bad_char(value)
            if bad is not None:
                found.append(finding("CC118", path, doc.line_of(where), f"{_label(where)!r} contains {bad[2]}"))

    walk(doc.meta, ())
    return found


def _label(path: YamlPath) -> str:
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "front-matter"


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()}; YAML reads yes/no/on/off that way)"
    if isinstance(value, int | float):
        return f"a number ({_show(value)}; YAML reads 12:30:00 as 45000)"
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text ({_show(value)})"


def _findings_from_error(error: ValidationError, doc: Document, path: str) -> list[Finding]:
    where: YamlPath = tuple(error.absolute_path)
    line = doc.line_of(where)
    name = _label(where)
    keyword = str(error.validator)
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        return [
            finding("CC112", path, doc.line_of((*where, key)), f"unknown key {_label((*where, key))!r}")
            for key in error.instance
            if key not in known
        ]
    if keyword == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else str(error.message)
        return [
            finding(
                "CC113", path, line, f"{name!r} lacks required key {missing!r}" if where else f"missing key {missing!r}"
            )
        ]
    if keyword == "type":
        expected = error.validator_value
        return [
            finding("CC114", path, line, f"{name!r} should be {_expected(expected)}, not {_describe(error.instance)}")
        ]
    if keyword in _CODE_BY_KEYWORD:
        allowed = error.validator_value if keyword == "enum" else None
        listed = f"; allowed: {', '.join(map(str, allowed))}" if isinstance(allowed, list) else ""
        return [finding(_CODE_BY_KEYWORD[keyword], path, line, f"{name!r} is {_show(error.instance)}{listed}")]
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    detail = _format_detail(keyword, error)
    return [finding("CC116", path, line, f"{name!r} {detail}", description)]


def _expected(expected: object) -> str:
    words = {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "array": "a list",
        "object": "a mapping",
    }
    if isinstance(expected, list):
        return " or ".join(words.get(str(e), str(e)) for e in expected)
    return words.get(str(expected), str(expected))


def _format_detail(keyword: str, error: ValidationError) -> str:
    value = error.validator_value
    instance = error.instance
    match keyword:
        case "pattern" | "format":
            return f"is {_show(instance)}, which is not in the expected format"
        case "minLength":
            return f"is shorter than {value} characters"
        case "maxLength":
            return f"is longer than {value} characters ({len(instance)})"
        case "minItems":
            return f"needs at least {value} entries"
        case "maxItems":
            return f"has more than {value} entries"
        case "uniqueItems":
            return "lists the same entry twice"
        case "minimum" | "maximum":
            return f"is {_show(instance)}; the {keyword} is {value}"
        case _:
            return str(error.message)[:200]
