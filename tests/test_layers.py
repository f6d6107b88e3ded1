"""The import graph of src/tokvec: no circles, and each layer imports only the layers below it.

The graph is read with :mod:`ast` (nothing is imported): every ``import`` and ``from ... import`` of a tokvec
module counts, at module level, under ``if TYPE_CHECKING:`` and inside functions alike, since a circle held
together by a deferred import is still a circle in the design. Relative imports are resolved;
``from pkg import name`` is an edge to ``pkg.name`` when that is a module, else to ``pkg``. Importing
``a.b.c`` is an edge to ``a.b.c`` only (not to the packages ``a`` and ``a.b`` that Python also runs).

The layers, top to bottom (a component is a subpackage or a top-level module of tokvec). A module may import
its own component and the layers below its own; the components of one layer are independent (they do not
import each other)::

    __main__                                   python -m tokvec
    cli                                        the tokvec command
    __init__                                   the public API (tokvec/__init__.py), re-exports only
    serve | cluster                            the HTTP API; the Dask jobs
    analysis | recommend | tasks | search | tiktoken   what is built on tokens and vectors
    embed                                      encoders: transformer, static tables, pooling
    vectors                                    KeyedVectors, word2vec, GloVe, word-vector formats
    tokens                                     the tokenizer pipeline
    kernels | reference                        numba kernels; their pure-Python twins (independent)
    _io | _checks | _progress | _startup | _table | _grammars | _hugepages | data   small helpers and specs
    errors                                     every error class
"""

from __future__ import annotations

import ast
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "tokvec"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),
    ("cli",),
    ("__init__",),
    ("serve", "cluster"),
    ("analysis", "recommend", "tasks", "search", "tiktoken"),
    ("embed",),
    ("vectors",),
    ("tokens",),
    ("kernels", "reference"),
    ("_io", "_checks", "_progress", "_startup", "_table", "_grammars", "_hugepages", "data"),
    ("errors",),
)


@dataclass(frozen=True)
class Edge:
    """One import statement: ``source`` imports ``target`` at ``path:line`` (``kind`` says where it sits)."""

    source: str
    target: str
    path: str
    line: int
    kind: str  # "module", "TYPE_CHECKING" or "function"

    def where(self) -> str:
        return f"{self.path}:{self.line}" + ("" if self.kind == "module" else f" ({self.kind})")


def find_modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Map each dotted module name under the package folder ``root`` to (its file, whether it is a package)."""
    modules: dict[str, tuple[Path, bool]] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        modules[".".join(parts)] = (path, is_package)
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import statement in ``tree`` with where it sits: module level, TYPE_CHECKING or a function."""
    found: list[tuple[ast.Import | ast.ImportFrom, str]] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, kind))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, "function")
            elif isinstance(child, ast.If) and _is_type_checking(child.test) and kind == "module":
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), "TYPE_CHECKING")
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), kind)
            else:
                visit(child, kind)

    visit(tree, "module")
    return found


def import_graph(root: Path) -> tuple[dict[str, tuple[Path, bool]], list[Edge]]:
    """The modules of the package folder ``root`` and every import among them (see the module docstring)."""
    modules = find_modules(root)
    package = root.name

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    edges: list[Edge] = []
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        here = name.split(".") if is_package else name.split(".")[:-1]
        shown = str(path.relative_to(root.parent))
        for node, kind in _imports(tree):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [resolve(a.name) for a in node.names if a.name.split(".")[0] == package]
            else:
                if node.level:
                    base = here[: len(here) - (node.level - 1)]
                    full = ".".join(base + ([node.module] if node.module else []))
                else:
                    full = node.module or ""
                if full.split(".")[0] != package:
                    continue
                for alias in node.names:
                    sub = f"{full}.{alias.name}"
                    targets.append(sub if sub in modules else resolve(full))
            for target in targets:
                if target is not None and target != name:
                    edges.append(Edge(name, target, shown, node.lineno, kind))
    return modules, edges


def _components(graph: dict[str, list[Edge]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for edge in children:
                child = edge.target
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, []))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    if len(members) > 1:
                        out.append(sorted(members))
    return out


def _shortest_cycle(start: str, members: set[str], graph: dict[str, list[Edge]]) -> list[Edge]:
    """The shortest chain of imports from ``start`` back to ``start`` inside one component (breadth first)."""
    came: dict[str, Edge] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for edge in sorted(graph.get(node, []), key=lambda e: (e.target, e.line)):
            if edge.target not in members:
                continue
            if edge.target == start:
                chain = [edge]
                while chain[0].source != start:
                    chain.insert(0, came[chain[0].source])
                return chain
            if edge.target not in seen:
                seen.add(edge.target)
                came[edge.target] = edge
                queue.append(edge.target)
    raise AssertionError(f"{start} is in a component but on no cycle")  # pragma: no cover


def find_circles(edges: list[Edge]) -> list[str]:
    """Each import circle as readable chains: per component, the shortest circle through each of its modules."""
    graph: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        graph[edge.source].append(edge)
    reports = []
    for members in _components(graph):
        chains: list[str] = []
        for start in members:
            cycle = _shortest_cycle(start, set(members), graph)
            names = [e.source for e in cycle]
            first = names.index(min(names))  # one spelling per circle: start at its smallest name
            cycle = cycle[first:] + cycle[:first]
            text = " -> ".join(f"{e.source} ({e.where()})" for e in cycle) + f" -> {cycle[0].source}"
            if text not in chains:
                chains.append(text)
        reports.append(f"circle of {len(members)} modules {members}:\n    " + "\n    ".join(chains))
    return reports


def component_of(module: str, package: str) -> str:
    """The layer component of a dotted module name: its first part below the package (``__init__`` for it)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def find_layer_violations(
    modules: dict[str, tuple[Path, bool]], edges: list[Edge], layers: tuple[tuple[str, ...], ...], package: str
) -> list[str]:
    """Imports of a layer above or beside one's own, and modules whose component is in no layer."""
    level = {component: i for i, layer in enumerate(layers) for component in layer}
    problems = [
        f"{name}: component {component_of(name, package)!r} is in no layer; add it to LAYERS in tests/test_layers.py"
        for name in modules
        if component_of(name, package) not in level
    ]
    seen: set[tuple[str, int, str]] = set()
    for edge in edges:
        source, target = component_of(edge.source, package), component_of(edge.target, package)
        if (
            source == target
            or source not in level
            or target not in level
            or (edge.path, edge.line, edge.target) in seen
        ):
            continue
        seen.add((edge.path, edge.line, edge.target))
        if level[target] < level[source]:
            problems.append(f"{edge.where()}: {edge.source} imports {edge.target}, a layer above ({target} > {source})")
        elif level[target] == level[source]:
            problems.append(
                f"{edge.where()}: {edge.source} imports {edge.target}, its sibling (siblings are independent)"
            )
    return problems


@pytest.fixture(scope="module")
def tokvec_graph() -> tuple[dict[str, tuple[Path, bool]], list[Edge]]:
    return import_graph(SRC)


def test_no_import_circles(tokvec_graph):
    _, edges = tokvec_graph
    circles = find_circles(edges)
    assert not circles, "import circles in src/tokvec:\n" + "\n".join(circles)


def test_layers(tokvec_graph):
    modules, edges = tokvec_graph
    problems = find_layer_violations(modules, edges, LAYERS, "tokvec")
    assert not problems, "layer violations (see the layers in tests/test_layers.py):\n" + "\n".join(problems)


def test_graph_sees_the_whole_package(tokvec_graph):
    modules, edges = tokvec_graph
    assert "tokvec.tokens.presets" in modules and "tokvec.errors" in modules
    assert any(e.source == "tokvec.__main__" and e.target == "tokvec.cli.main" for e in edges)
    assert {e.kind for e in edges} == {"module", "TYPE_CHECKING", "function"}


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "fake"


def test_a_circle_and_a_layer_violation_are_reported(tmp_path):
    """A fake package: a circle held by a TYPE_CHECKING and an in-function import, and a low layer importing up."""
    root = _write(
        tmp_path,
        {
            "fake/__init__.py": "",
            "fake/low/__init__.py": "",
            "fake/low/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n",
            "fake/low/b.py": "def f():\n    from . import c\n",
            "fake/low/c.py": "import fake.low.a\n",
            "fake/low/d.py": "from ..high import cli\n",
            "fake/high/__init__.py": "",
            "fake/high/cli.py": "from fake.low import d\nimport os\n",
            "fake/side/__init__.py": "from ..low import d\nfrom ..high import cli\n",
            "fake/stray.py": "",
        },
    )
    modules, edges = import_graph(root)
    circles = find_circles(edges)
    assert len(circles) == 2
    small = next(c for c in circles if "fake.low.b" in c)
    assert "fake.low.a (fake/low/a.py:3 (TYPE_CHECKING)) -> fake.low.b (fake/low/b.py:2 (function))" in small
    assert "-> fake.low.c (fake/low/c.py:1) -> fake.low.a" in small
    assert any("fake.high.cli" in c and "fake.low.d" in c for c in circles)

    layers = (("high",), ("side", "low"))
    problems = find_layer_violations(modules, edges, layers, "fake")
    assert any("fake/low/d.py:1: fake.low.d imports fake.high.cli, a layer above" in p for p in problems)
    assert any("fake/side/__init__.py:1: fake.side imports fake.low.d, its sibling (" in p for p in problems)
    assert any("fake/side/__init__.py:2: fake.side imports fake.high.cli, a layer above" in p for p in problems)
    assert any("fake.stray: component 'stray' is in no layer" in p for p in problems)
    assert any("fake: component '__init__' is in no layer" in p for p in problems)
    assert not any("fake/high/cli.py" in p for p in problems)  # high may import low


def test_a_clean_fake_package_passes(tmp_path):
    root = _write(
        tmp_path,
        {
            "fake/__init__.py": "from .high import cli\n",
            "fake/high/__init__.py": "",
            "fake/high/cli.py": "from ..low.a import x\nfrom fake.low import b\n",
            "fake/low/__init__.py": "",
            "fake/low/a.py": "from . import b\nx = 1\n",
            "fake/low/b.py": "import json\n",
        },
    )
    modules, edges = import_graph(root)
    assert find_circles(edges) == []
    assert find_layer_violations(modules, edges, (("__init__",), ("high",), ("low",)), "fake") == []
    assert {(e.source, e.target) for e in edges} == {
        ("fake", "fake.high.cli"),
        ("fake.high.cli", "fake.low.a"),
        ("fake.high.cli", "fake.low.b"),
        ("fake.low.a", "fake.low.b"),
    }
