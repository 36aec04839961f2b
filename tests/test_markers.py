"""The bot's markers live in one module: what it builds, it reads back, and no other module spells a marker out
(a second spelling is how two steps came to disagree on what a marker may hold)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crowdcare.core.markers import CLAIM, FINDER, data_of, finder_marker, step_marker, step_pattern

PACKAGE = Path(__file__).resolve().parent.parent / "tools" / "crowdcare"


def spelled_out(source: str) -> list[int]:
    """Lines of string literals (docstrings aside) that spell out a crowdcare marker."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and ("<!-- crowdcare:" in node.value or "<!-- /crowdcare:" in node.value)
    ]


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p.name != "markers.py"), ids=str)
def test_no_other_module_spells_out_a_marker(path: Path) -> None:
    assert spelled_out(path.read_text("utf-8")) == [], path


def test_the_guard_catches_a_marker_spelled_out_elsewhere() -> None:
    assert spelled_out('X = "<!-- crowdcare:respond:acknowledge -->"\n') == [1]
    assert spelled_out('def f():\n    """<!-- crowdcare:doc -->"""\n    return f"<!-- crowdcare:x {1} -->"\n') == [3]


def test_what_is_built_is_read_back() -> None:
    text = step_marker("respond", "confirm-answer", reply="DC_kwDO=_1", by="carla", skipped=None)
    match = step_pattern("respond").search(f"Marked.\n{text}")
    assert match is not None and match.group(1) == "confirm-answer"
    assert data_of(match.group(2)) == {"reply": "DC_kwDO=_1", "by": "carla"}
    assert step_pattern("promote").search(text) is None  # another step's marker is not this step's
    finder = FINDER.search(finder_marker("hugo", None, "IC_1"))
    assert finder is not None and finder.groups() == ("hugo", "-", "IC_1")
    assert CLAIM.search("<!-- crowdcare:claim solution=billing/refund -->") is not None
