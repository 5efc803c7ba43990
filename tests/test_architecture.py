"""The layers of DESIGN.md, held by tests: imports point downward, no cycles, no I/O below the runner.

Every module of ``fixer/`` is read with ``ast`` (imports inside functions and
under ``TYPE_CHECKING`` count too). Each belongs to one layer; an import of a
module in a higher layer fails, and so does any cycle among modules, found as a
strongly connected component of the import graph. The pure layers (syntax up to
the pipeline) may not open files, print or start processes. Rules, fixes,
runner and pipeline may not name a backend type or argument as a string
constant: that knowledge is the backend table's.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import fixer
from fixer.terraform.backends import ARGUMENTS, BACKEND_TYPES

PACKAGE = Path(fixer.__file__).parent

# Lower rank imports nothing of a higher rank. Runner and output are peers
# (neither imports the other); the bot sits on both.
LAYERS: dict[str, int] = {
    "fixer": 0,
    "fixer.syntax": 1,
    "fixer.edits": 2,
    "fixer.terraform": 3,
    "fixer.rules": 4,
    "fixer.fixes": 5,
    "fixer.pipeline": 6,
    "fixer.runner": 7,
    "fixer.output": 7,
    "fixer.bot": 8,
    "fixer.cli": 9,
    "fixer.__main__": 10,
}

PURE_LAYERS = (
    "fixer.syntax",
    "fixer.edits",
    "fixer.terraform",
    "fixer.rules",
    "fixer.fixes",
    "fixer.pipeline",
)
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval"}
FORBIDDEN_MODULES = {"subprocess", "shutil", "socket", "urllib", "http", "tempfile"}
FORBIDDEN_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir"}
# The one file access below the runner, and why: the parser keeps its LALR
# tables in a cache file keyed by the grammar's hash (a cold start loads them
# instead of building them), and reads the grammar it is built from.
IO_EXCEPTIONS = {"fixer.syntax.parser": {"tempfile", "read_text", "mkdir"}}
KNOWLEDGE_FREE = ("fixer.rules", "fixer.fixes", "fixer.runner", "fixer.pipeline")


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> str:
    best = ""
    for layer in LAYERS:
        if (name == layer or name.startswith(layer + ".")) and len(layer) > len(best):
            best = layer
    assert best, f"{name} belongs to no layer: add it to LAYERS"
    return best


def _resolve(name: str) -> str | None:
    """The project module ``name`` refers to (a module or package), or None outside ``fixer``."""
    if name != "fixer" and not name.startswith("fixer."):
        return None
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(name: str) -> Iterator[str]:
    """Every project module ``name`` imports, explicitly, anywhere in its body."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found = _resolve(alias.name)
                if found:
                    yield found
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from fixer.rules import credentials` imports a submodule.
                found = (
                    _resolve(f"{base}.{alias.name}") if f"{base}.{alias.name}" in MODULES else None
                )
                found = found or _resolve(base)
                if found:
                    yield found


GRAPH: dict[str, set[str]] = {name: set(imports(name)) - {name} for name in MODULES}


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_downward(name: str) -> None:
    rank = LAYERS[layer_of(name)]
    for target in GRAPH[name]:
        if target == "fixer":
            continue
        target_layer = layer_of(target)
        assert LAYERS[target_layer] < rank or target_layer == layer_of(name), (
            f"{name} ({layer_of(name)}) imports {target} ({target_layer}), a layer at or above it"
        )


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The check above must be able to fail.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_layer_check_catches_an_upward_import() -> None:
    assert LAYERS[layer_of("fixer.cli")] > LAYERS[layer_of("fixer.rules.base")]
    assert layer_of("fixer.pipeline.process") == "fixer.pipeline"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer_of(n) in PURE_LAYERS), ids=str)
def test_pure_layers_do_no_io(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    allowed = IO_EXCEPTIONS.get(name, set())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for imported in names:
                top = imported.split(".")[0]
                assert top not in FORBIDDEN_MODULES or top in allowed, f"{name} imports {imported}"
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in allowed:
                continue
            assert called not in FORBIDDEN_CALLS, f"{name} calls {called}"
            assert called not in FORBIDDEN_METHODS, f"{name} calls {called}"


def _table_names() -> frozenset[str]:
    names = {t.name for t in BACKEND_TYPES}
    for row in ARGUMENTS:
        names.add(row.name)
        names.update(a.name for a in row.attributes)
        for source in row.inferred_from:
            if source.provider:
                names.add(source.provider)
            if source.argument:
                names.add(source.argument)
            names.update(source.variables)
    return frozenset(names)


def _string_constants(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_backend_type_or_argument_named_outside_the_knowledge_layer() -> None:
    names = _table_names()
    assert {"s3", "gcs", "azurerm", "cos", "aws", "region", "bucket", "key"} <= names
    found = [
        f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {value!r}"
        for name in sorted(MODULES)
        if layer_of(name) in KNOWLEDGE_FREE
        for line, value in _string_constants(MODULES[name])
        if value in names
    ]
    assert found == []
