"""The terraform knowledge layer imports only the syntax layer and the standard library.

The init context (``fixer/terraform/init_context/``) also composes YAML with
PyYAML; nothing in the layer opens files or prints.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "fixer" / "terraform"
THIRD_PARTY = {"init_context": {"yaml"}}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_imports_point_downward_only() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        allowed = THIRD_PARTY.get(path.parent.name, set())
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top == "fixer":
                assert module.startswith(("fixer.syntax", "fixer.terraform")), (path.name, module)
            else:
                assert top in sys.stdlib_module_names or top in allowed or top == "__future__", (
                    path.name,
                    module,
                )


def test_no_io_or_printing() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for banned in ("print(", "open(", ".read_text(", ".read_bytes(", "os.walk", "glob("):
            assert banned not in text, (path.name, banned)
