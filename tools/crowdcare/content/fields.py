"""Minimal-diff edits to a content file's front-matter, for files people also edit by hand.

`crowdcare tally` rewrites an idea's vote fields every hour. Dumping the whole front-matter again would drop
comments, reorder keys, change quoting and churn every file in every diff; instead the YAML is composed (not
constructed) so each value's exact place in the text is known, and only the characters of the values that
changed are replaced. A value that is already equal is not touched, so a patch that changes nothing returns the
very same text. Missing keys are added after their siblings with the siblings' indentation; block lists that
only grew get their new items appended below the old ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crowdcare.core.errors import BadInputError

_OPEN = re.compile(r"\A(\ufeff?---[ \t]*\r?\n)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)

Edit = tuple[int, int, str]  # start, end (offsets into the front-matter text), replacement


def patch_front_matter(text: str, changes: Mapping[str, Any]) -> str:
    """``text`` with each top-level key of ``changes`` set to its value (None removes the key). Nested
    mappings are patched key by key; everything else in the file stays byte for byte the same."""
    opening = _OPEN.match(text)
    closing = _CLOSE.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        raise BadInputError("no front-matter between '---' lines to update")
    start, end = opening.end(), closing.start()
    head = text[start:end]
    try:
        root = yaml.compose(head, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise BadInputError(f"front-matter is not valid YAML: {exc}") from None
    if not isinstance(root, MappingNode):
        raise BadInputError("front-matter is not a mapping of keys to values")
    newline = "\r\n" if "\r\n" in text[: end + 2] else "\n"
    edits = _patch_mapping(head, root, dict(changes), newline, top=True)
    for edit_start, edit_end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        head = head[:edit_start] + replacement + head[edit_end:]
    return text[:start] + head + text[end:]


def _patch_mapping(head: str, node: MappingNode, changes: dict[str, Any], nl: str, *, top: bool) -> list[Edit]:
    edits: list[Edit] = []
    pairs = {key.value: (key, value) for key, value in node.value if isinstance(key, ScalarNode)}
    missing: dict[str, Any] = {}
    for key, wanted in changes.items():
        if key not in pairs:
            if wanted is not None:
                missing[key] = wanted
            continue
        key_node, value_node = pairs[key]
        if wanted is None:
            edits.append((_line_start(head, key_node.start_mark.index), _line_end(head, _leaf_end(value_node)), ""))
        elif _constructed(value_node) == wanted:
            continue
        elif isinstance(wanted, dict) and isinstance(value_node, MappingNode) and _simple(wanted):
            edits += _patch_mapping(head, value_node, wanted, nl, top=False)
        elif isinstance(wanted, list) and isinstance(value_node, SequenceNode) and not value_node.flow_style:
            edits.append(_extend_sequence(head, value_node, wanted, key_node, key, nl))
        elif isinstance(value_node, ScalarNode) and _is_scalar(wanted):
            edits.append((value_node.start_mark.index, value_node.end_mark.index, _scalar(wanted)))
        else:
            edits.append(_replace_pair(head, key_node, value_node, key, wanted, nl))
    if missing:
        edits.append(_append_keys(head, node, missing, nl, top=top))
    return edits


def _append_keys(head: str, node: MappingNode, missing: dict[str, Any], nl: str, *, top: bool) -> Edit:
    if node.flow_style:
        close = node.end_mark.index - 1  # the '}'
        items = ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in missing.items())
        return (close, close, (", " if node.value else "") + items)
    if top:
        at = len(head)
        prefix = "" if not head or head.endswith("\n") else nl
        return (at, at, prefix + _block({k: v for k, v in missing.items()}, 0, nl))
    indent = node.value[0][0].start_mark.column if node.value else node.start_mark.column
    at = _line_end(head, _leaf_end(node))
    return (at, at, _block(missing, indent, nl))


def _extend_sequence(head: str, node: SequenceNode, wanted: list[Any], key_node: Node, key: str, nl: str) -> Edit:
    have = _constructed(node)
    if not isinstance(have, list) or wanted[: len(have)] != have or not node.value:
        return _replace_pair(head, key_node, node, key, wanted, nl)
    indent = node.start_mark.column
    at = _line_end(head, _leaf_end(node))
    return (at, at, _block(wanted[len(have) :], indent, nl))


def _replace_pair(head: str, key_node: Node, value_node: Node, key: str, wanted: Any, nl: str) -> Edit:
    start = _line_start(head, key_node.start_mark.index)
    indent = key_node.start_mark.column
    return (start, _line_end(head, _leaf_end(value_node)), _block({key: wanted}, indent, nl))


def _block(data: Any, indent: int, nl: str) -> str:
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
    pad = " " * indent
    return "".join(pad + line + nl for line in dumped.splitlines())


def _scalar(value: Any) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**6, default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _simple(value: dict[str, Any]) -> bool:
    return all(_is_scalar(v) for v in value.values())


def _constructed(node: Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _leaf_end(node: Node) -> int:
    """Where the last character of ``node``'s own text is (block collections' end marks reach the next key,
    past any comment lines between, so they are found through their last leaf instead)."""
    while isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return int(node.end_mark.index)


def _line_start(head: str, index: int) -> int:
    return head.rfind("\n", 0, index) + 1


def _line_end(head: str, index: int) -> int:
    """Just past the newline that ends the line holding ``index - 1`` (its trailing comment included)."""
    if index > 0 and head[index - 1] == "\n":
        return index
    newline = head.find("\n", index)
    return len(head) if newline < 0 else newline + 1
