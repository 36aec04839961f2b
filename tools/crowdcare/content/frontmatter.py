"""Reading content files safely: bytes to text, text to front-matter and body, YAML to plain data with lines.

Every refusal is a ``FileProblem`` carrying a rule code and a line; nothing here raises anything else on
hostile input. We do not use python-frontmatter: it returns ``{}`` for list front-matter, gives no line
numbers and cannot refuse aliases or duplicate keys (ARCHITECTURE.md, Facts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crowdcare.core.text import find_bad_char

MAX_FILE_BYTES = 256 * 1024
MAX_FRONT_MATTER_CHARS = 32 * 1024
MAX_DEPTH = 20
MAX_NUMBER = 10**15

YamlPath = tuple[str | int, ...]


class FileProblem(Exception):
    """A file we refuse to read, with the rule it breaks and where."""

    def __init__(self, code: str, line: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Document:
    meta: dict[str, Any]
    body: str
    body_line: int  # the file line the body starts on
    lines: dict[YamlPath, int]  # where each key's value sits in the file

    def line_of(self, path: YamlPath) -> int:
        """The file line of ``path``, or of its nearest parent we know, or 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def read_text(path: Path) -> str:
    """The text of a content file. Refuses links, oversized, empty, binary and non-UTF-8 files."""
    if path.is_symlink():
        raise FileProblem("CC103", 1, f"is a symbolic link to {str(path.readlink())!r}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileProblem("CC104", 1, f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    data = path.read_bytes()
    if not data.strip():
        raise FileProblem("CC102", 1, "has no content")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise FileProblem("CC101", line, "contains NUL bytes (binary file)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem("CC101", line, f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8") from None
    return text.removeprefix("\ufeff")


_FENCE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def parse_document(text: str) -> Document:
    """Split ``text`` into YAML front-matter (a mapping) and a Markdown body."""
    bad = find_bad_char(text)
    if bad is not None:
        line, column, name = bad
        raise FileProblem("CC118", line, f"column {column}: {name}")
    if not _FENCE.match(text):
        raise FileProblem("CC107", 1, "does not start with a '---' line")
    start = text.index("\n") + 1 if "\n" in text else len(text)
    end = _END.search(text, start)
    if end is None:
        raise FileProblem("CC107", 1, "front-matter opened on line 1 is never closed with '---'")
    yaml_text = text[start : end.start()]
    if len(yaml_text) > MAX_FRONT_MATTER_CHARS:
        raise FileProblem(
            "CC104", 2, f"front-matter is {len(yaml_text):,} characters; the limit is {MAX_FRONT_MATTER_CHARS:,}"
        )
    meta, lines = load_yaml(yaml_text, first_line=2)
    if not isinstance(meta, dict):
        kind = "empty" if meta is None else f"a {_yaml_kind(meta)}"
        raise FileProblem("CC111", 2, f"front-matter is {kind}, not a mapping of keys to values")
    body_start = end.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    return Document(meta=meta, body=text[body_start:], body_line=body_line, lines=lines)


def load_yaml(text: str, *, first_line: int = 1) -> tuple[Any, dict[YamlPath, int]]:
    """Parse one YAML document into plain data, with the file line of every mapping value.

    Refuses anchors, aliases and explicit tags (CC109), duplicate keys (CC110), very deep nesting and huge
    numbers (CC117). Dates stay strings, so the schema checks their format instead of PyYAML guessing.
    Parsing and composing run in libyaml when PyYAML has it (10 times faster than pure Python).
    """
    try:
        _refuse_anchors_and_tags(text)
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, {}
            lines: dict[YamlPath, int] = {}
            _index_lines(node, (), lines, first_line - 1, depth=0)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except FileProblem as problem:
        problem.line += first_line - 1
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        raise FileProblem("CC108", line, f"{exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise FileProblem("CC108", first_line, str(exc)) from None
    except (ValueError, OverflowError):
        # int("9" * 5000) raises ValueError (the int max str digits limit), not YAMLError.
        raise FileProblem("CC117", first_line, "a number has too many digits") from None
    except RecursionError:
        raise FileProblem("CC108", first_line, f"nesting deeper than {MAX_DEPTH} levels") from None
    return data, lines


def _refuse_anchors_and_tags(text: str) -> None:
    """One pass over the parser's events: anchors, aliases and explicit tags are refused before composing,
    so an alias bomb is never expanded and no tag ever reaches a constructor. Text without '&', '*' and '!' can
    hold none of them (they are the only indicators that start one), and skips the pass."""
    if "&" not in text and "*" not in text and "!" not in text:
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
            raise FileProblem("CC109", line, "anchors and aliases ('&name', '*name') are not allowed")
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag not in (None, "!"):
            raise FileProblem("CC109", line, f"explicit YAML tag {event.tag!r} is not allowed")


def _yaml_kind(value: object) -> str:
    return "list" if isinstance(value, list) else "single value"


def _index_lines(node: Node, path: YamlPath, lines: dict[YamlPath, int], offset: int, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FileProblem("CC108", node.start_mark.line + 1, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(node, MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if not isinstance(key_node.value, list) else repr(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise FileProblem("CC110", line, f"key {key!r} appears twice (first on line {seen[key] + offset})")
            seen[key] = line
            lines[(*path, key)] = line + offset
            _index_lines(value_node, (*path, key), lines, offset, depth + 1)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1 + offset
            _index_lines(item, (*path, index), lines, offset, depth + 1)


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loading that also refuses huge numbers and unknown tags, and keeps dates as text."""

    def construct_yaml_int(self, node: ScalarNode) -> int:
        if isinstance(node.value, str) and len(node.value) > 32:
            raise FileProblem("CC117", node.start_mark.line + 1, f"number with {len(node.value)} characters")
        value: int = super().construct_yaml_int(node)
        return value

    def construct_undefined(self, node: Node) -> NoReturn:
        raise ConstructorError(None, None, f"unknown tag {node.tag!r}", node.start_mark)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
# Without the timestamp resolver, 2026-01-02 stays the string "2026-01-02" and the schema checks its format.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
