"""The output layer imports only result values (findings, edits, inits) and the standard library."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import fixer.output

# The init report renders the init context's frozen values, as reports render findings.
ALLOWED_PROJECT_MODULES = {"fixer.rules.base", "fixer.edits", "fixer.terraform.init_context.model"}
OUTPUT_DIR = Path(fixer.output.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_output_modules_import_only_what_the_layering_allows() -> None:
    modules = sorted(OUTPUT_DIR.glob("*.py"))
    assert modules
    for module in modules:
        for name in _imports(module):
            top = name.split(".")[0]
            if name.startswith("fixer.output") or name in ALLOWED_PROJECT_MODULES:
                continue
            assert top in sys.stdlib_module_names or top == "__future__", (
                f"{module.name} imports {name}"
            )


def test_schema_ships_inside_the_package() -> None:
    assert (OUTPUT_DIR / "report.schema.json").is_file()
