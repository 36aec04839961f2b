"""The architecture, enforced: a module imports only from its own layer or below (DESIGN.md §3), and the
core, content and steps layers import no GitHub, CLI, MkDocs or search library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tools" / "crowdcare"

LAYERS = {
    "core": {"errors", "model", "text", "hours", "redact"},
    "content": {"rules", "frontmatter", "schema", "config", "store", "ports", "ledger", "documents", "patch"},
    "steps": {
        "respond",
        "votes",
        "tally",
        "draft",
        "pulls",
        "merge",
        "promote",
        "preflight",
        "site.probe",
        "metrics",
        "site.community",
        "site.charts",
        "validate",
        "intake",
        "dedup",
        "fold",
        "site.pages",
        "site.sanitize",
        "site.markup",
        "site.solutions",
        "site.ideas",
        "site.people",
    },
    "edges": {
        "cli",
        "cli_respond",
        "cli_buckets",
        "cli_promote",
        "cli_tally",
        "cli_fold",
        "adapters.gitrepo",
        "adapters.pulls",
        "buckets",
        "site.plugin",
        "__main__",
        "__init__",
        "adapters.convert",
        "adapters.event",
        "adapters.snapshot",
        "adapters.live",
        "adapters.queries",
        "search_index",
        "index_cache",
        "semantic",
        "evaluation",
    },
}
ORDER = ["core", "content", "steps", "edges"]
EDGE_ONLY = {"github", "click", "mkdocs", "whoosh"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        if rel.endswith(".__init__") or rel == "site":
            continue
        found[rel] = path
    return found


def _layer(module: str) -> str:
    for layer, members in LAYERS.items():
        if module in members:
            return layer
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_has_a_layer() -> None:
    for module in _modules():
        _layer(module)


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_point_down_or_sideways(module: str) -> None:
    layer = ORDER.index(_layer(module))
    for name in _imports(_modules()[module]):
        if name.startswith("crowdcare."):
            target = name.removeprefix("crowdcare.")
            if target in ("site", "adapters"):
                continue
            assert ORDER.index(_layer(target)) <= layer, f"{module} ({ORDER[layer]}) imports {target}"
        elif name.split(".")[0] in EDGE_ONLY:
            assert ORDER[layer] == "edges", f"{module} ({ORDER[layer]}) imports {name}: only edges may"
