"""The code stays readable: no module in tools/ over about 400 lines (420 is the line) and no function over 60, so
a capability's package shows its parts and each part fits on a screen. The guard is itself shown to catch both."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tools" / "crowdcare"
MAX_MODULE = 420
MAX_FUNCTION = 60


def too_long(source: str) -> list[str]:
    """What is over the limits in one module's source."""
    found = []
    lines = len(source.splitlines())
    if lines > MAX_MODULE:
        found.append(f"the module has {lines} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION:
                found.append(f"{node.name} has {length} lines")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_or_function_is_too_long(path: Path) -> None:
    assert too_long(path.read_text("utf-8")) == []


def test_the_guard_catches_a_long_function_and_a_long_module() -> None:
    long_function = "def f():\n" + "    x = 1\n" * MAX_FUNCTION
    assert too_long(long_function) == [f"f has {MAX_FUNCTION + 1} lines"]
    assert too_long("x = 1\n" * (MAX_MODULE + 1)) == [f"the module has {MAX_MODULE + 1} lines"]
    assert too_long("def f():\n    return 1\n") == []
