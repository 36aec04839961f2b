"""The architecture, enforced: a module imports only from its own layer or below, and the layers below the
adapters import no GitHub, CLI, MkDocs, search or embedding library (ARCHITECTURE.md, "Layers").

Every import form counts: ``import crowdcare.x``, ``from crowdcare import x``, ``from crowdcare.site import x``,
relative imports, and imports inside functions. The checker is itself tested on modules that break each rule."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tools" / "crowdcare"

LAYERS = {
    # The domain: frozen dataclasses, errors, text and time arithmetic, the one clock, the message catalogs.
    "core": {
        "core",
        "core.errors",
        "core.model",
        "core.text",
        "core.times",
        "core.clock",
        "core.redact",
        "core.i18n",
        "core.markers",
        "core.settings",
        "core.repository",
    },
    # Content on disk and the ports (Protocols) the steps are given.
    "content": {
        "content",
        "content.rules",
        "content.frontmatter",
        "content.schema",
        "content.config",
        "content.store",
        "content.ports",
        "content.ledger",
        "content.documents",
        "content.fields",
    },
    # What crowdcare does, by capability, as pure functions over the ports, and the pages it generates.
    "steps": {
        "content.validate",
        "intake",
        "intake.take_in",
        "respond",
        "respond.guarantee",
        "respond.facts",
        "respond.rules",
        "respond.sweep",
        "respond.proposals",
        "respond.metrics",
        "fold",
        "fold.questions",
        "fold.ideas",
        "fold.run",
        "fold.consent",
        "promote",
        "promote.triggers",
        "promote.promoter",
        "promote.commands",
        "promote.notices",
        "promote.draft",
        "promote.merge",
        "promote.preflight",
        "promote.changes",
        "promote.freshness",
        "tally",
        "tally.ideas",
        "tally.votes",
        "tally.run",
        "tally.tallier",
        "tally.statuses",
        "people",
        "people.recognition",
        "people.erasure",
        "similarity",
        "similarity.dedup",
        "adopt",
        "adopt.doctor",
        "adopt.scaffold",
        "site",
        "site.probe",
        "site.community",
        "site.charts",
        "site.pages",
        "site.sanitize",
        "site.blocks",
        "site.markup",
        "site.solutions",
        "site.ideas",
        "site.people",
        "site.leaderboard",
        "site.structured",
        "site.feeds",
    },
    # Implementations of the ports on real libraries: GitHub (PyGithub, GraphQL), git, the snapshot folder, and
    # similarity on whoosh's postings and stemmer or sentence embeddings (buckets stem with whoosh's analyser).
    "adapters": {
        "adapters",
        "adapters.gitrepo",
        "adapters.pulls",
        "adapters.convert",
        "adapters.event",
        "adapters.snapshot",
        "adapters.live",
        "adapters.transport",
        "adapters.queries",
        "adapters.lock",
        "adapters.setup",
        "adapters.githistory",
        "adapters.reaction_cache",
        "adapters.etag_cache",
        "adapters.json_cache",
        "similarity.search_index",
        "similarity.postings",
        "similarity.index_cache",
        "similarity.semantic",
        "similarity.buckets",
    },
    # Entry points: the command line, the MkDocs plugin, and the benchmark harness the CLI runs.
    "edges": {
        "cli",
        "cli.main",
        "cli.respond",
        "cli.buckets",
        "cli.promote",
        "cli.tally",
        "cli.fold",
        "cli.adopt",
        "cli.reference",
        "cli.setup",
        "cli.content",
        "cli.intake",
        "cli.search",
        "cli.bench",
        "site.plugin",
        "site.pagefind",
        "site.block_workers",
        "site.content_workers",
        "site.helpers",
        "similarity.benchmark",
        "__main__",
        "__init__",
    },
}
ORDER = ["core", "content", "steps", "adapters", "edges"]
# Third-party packages and the lowest layer that may import each.
LIBRARIES = {
    "click": "edges",
    "mkdocs": "edges",
    "github": "adapters",
    "whoosh": "adapters",
    "onnxruntime": "adapters",
    "tokenizers": "adapters",
    "sentence_transformers": "adapters",
    "torch": "adapters",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        if rel.endswith(".__init__"):
            rel = rel.removesuffix(".__init__")
        found[rel] = path
    return found


MODULES = _modules()


def layer_of(module: str) -> str:
    for layer, members in LAYERS.items():
        if module in members:
            return layer
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def imported(module: str, source: str) -> set[str]:
    """Every name ``module`` imports, absolute (``crowdcare.adapters.live``, ``click``), wherever the import is."""
    package = module.rsplit(".", 1)[0] if "." in module else ""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from .adapters import live
                parts = ["crowdcare", *package.split(".")] if package else ["crowdcare"]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            names.add(base)
            # from crowdcare import cli / from crowdcare.site import plugin: the names may be modules themselves.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def violations(module: str, source: str) -> list[str]:
    """What is wrong with ``module``'s imports, given its source text."""
    layer = ORDER.index(layer_of(module))
    found = []
    for name in sorted(imported(module, source)):
        if name == "crowdcare" or name.startswith("crowdcare."):
            target = name.removeprefix("crowdcare").removeprefix(".")
            if target not in MODULES:
                continue  # a name from a module (from crowdcare.core.model import Thread), not a module
            if ORDER.index(layer_of(target)) > layer:
                found.append(f"{module} ({ORDER[layer]}) imports {target} ({layer_of(target)})")
        else:
            lowest = LIBRARIES.get(name.split(".")[0])
            if lowest is not None and layer < ORDER.index(lowest):
                found.append(f"{module} ({ORDER[layer]}) imports {name}: only {lowest} and above may")
    return found


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_or_sideways(module: str) -> None:
    assert violations(module, MODULES[module].read_text("utf-8")) == []


@pytest.mark.parametrize(
    "line",
    [
        "import crowdcare.adapters.live",
        "from crowdcare import adapters",
        "from crowdcare.adapters import snapshot",
        "from crowdcare import cli",
        "import crowdcare.cli.respond",
        "from crowdcare.site import plugin",
        "from crowdcare import site",
        "from crowdcare.site.pages import render_pages",
        "from crowdcare.similarity import search_index",
        "from ..adapters import live",
        "from .. import cli",
        "import click",
        "from github import Github",
        "import mkdocs.plugins",
        "from whoosh import index",
        "def f():\n    from crowdcare.adapters.event import thread_from_event",
    ],
)
def test_the_checker_catches_a_core_module_importing_upwards(line: str) -> None:
    """Append a forbidden import to the real model.py: the checker must name it."""
    bad = MODULES["core.model"].read_text("utf-8") + "\n" + line + "\n"
    assert violations("core.model", bad) != [], line


def test_the_checker_catches_a_step_importing_an_adapter_or_an_edge() -> None:
    for line in (
        "from crowdcare.similarity.buckets import Buckets",
        "import whoosh",
        "from crowdcare.site.plugin import X",
    ):
        source = MODULES["respond.guarantee"].read_text("utf-8")
        assert violations("respond.guarantee", source + "\n" + line + "\n") != [], line
    # and the same lines are allowed where they belong
    assert violations("cli.buckets", "from crowdcare.similarity.buckets import Buckets\nimport click\n") == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or around a ring (Tarjan's strongly connected
    components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        names = imported(module, path.read_text("utf-8"))
        targets = {n.removeprefix("crowdcare.") for n in names if n.startswith("crowdcare.")}
        graph[module] = {t for t in targets if t in MODULES and t != module}
    return graph


def test_no_modules_import_each_other() -> None:
    """No import circle, whatever the import form (the command modules once took helpers back from cli.py)."""
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_ring() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
