"""The grammar is built once and then loaded from a cache; --version never builds it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lark.lark
import pytest

from fixer.syntax import parse, parser


def _run(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )


def test_version_does_not_import_or_build_the_parser(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from fixer.cli import main\n"
        "sys.argv = ['backend-fixer', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('lark' in sys.modules, 'fixer.syntax.parser' in sys.modules)\n"
    )
    result = _run(code, tmp_path)
    version_line, modules_line = result.stdout.strip().splitlines()
    assert version_line.startswith("backend-fixer ")
    assert modules_line == "False False"
    assert not any(tmp_path.rglob("*")), "nothing may be cached by --version"


def test_second_process_loads_the_tables_from_the_cache(tmp_path: Path) -> None:
    _run("from fixer.syntax import parse; parse('a = 1')", tmp_path)
    cached = list((tmp_path / "backend-fixer").glob("parser-*.lark"))
    assert len(cached) == 1
    # A process that may not build a grammar still parses: it loads the cache.
    code = (
        "import lark.lark\n"
        "def refuse(*a, **k): raise AssertionError('grammar rebuilt')\n"
        "lark.lark.load_grammar = refuse\n"
        "from fixer.syntax import parse\n"
        "print(parse('a = 1').body.items[0].name)\n"
    )
    assert _run(code, tmp_path).stdout.strip() == "a"


def test_cache_is_keyed_by_grammar(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A changed grammar never loads a stale cache: it has another file name."""
    grammar = tmp_path / "hcl2.lark"
    grammar.write_text(parser.grammar_path().read_text() + "\n// changed\n")
    monkeypatch.setattr(parser, "grammar_path", lambda: grammar)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built: list[object] = []
    original = lark.lark.load_grammar
    monkeypatch.setattr(
        lark.lark, "load_grammar", lambda *a, **k: built.append(1) or original(*a, **k)
    )
    parser._tables.cache_clear()
    try:
        assert parse("a = 1").body.items[0].name == "a"
    finally:
        parser._tables.cache_clear()
    assert built, "the changed grammar must be built, not loaded"
    assert len(list((tmp_path / "cache" / "backend-fixer").glob("parser-*.lark"))) == 1
