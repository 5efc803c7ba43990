"""The rule modules read the view and the tables only: no I/O, no printing, no fixes.

They may import the standard library, the syntax and terraform layers, and each
other; the fix engine, runner, output, bot and CLI sit above them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import fixer.rules

RULES_DIR = Path(fixer.rules.__file__).parent
ALLOWED_PREFIXES = ("fixer.rules", "fixer.syntax", "fixer.terraform", "fixer.edits")
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval"}
FORBIDDEN_MODULES = {"os", "subprocess", "pathlib.Path", "shutil", "socket", "urllib", "io"}


def _modules() -> list[Path]:
    found = sorted(RULES_DIR.glob("*.py"))
    assert len(found) >= 10
    return found


def test_rules_import_only_lower_layers() -> None:
    for module in _modules():
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if name.startswith(ALLOWED_PREFIXES):
                    continue
                assert top in sys.stdlib_module_names or top == "__future__", (
                    f"{module.name} imports {name}"
                )
                assert top not in FORBIDDEN_MODULES, f"{module.name} imports {name}"


def test_rules_do_no_io() -> None:
    for module in _modules():
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                assert name not in FORBIDDEN_CALLS, f"{module.name} calls {name}"
                assert name not in {"read_text", "read_bytes", "write_text", "write_bytes"}, (
                    f"{module.name} calls {name}"
                )
