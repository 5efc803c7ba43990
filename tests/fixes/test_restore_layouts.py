"""Comment mode then restore gives back the exact bytes, whatever the block's layout.

The golden samples cover the common layouts; these are the odd ones a restore
could trip on: blank lines next to the braces, an empty multi-line body,
comments after the closing brace, a nested block, values that are rewritten
inside the commented block, and whitespace-only lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixer.fixes.plan import FixOptions
from fixer.runner.engine import Runner, RunOptions
from fixer.syntax import parse

LAYOUTS = {
    "blank-before-brace": 'terraform {\n  backend "s3" {\n    key = "x"\n\n  }\n}\n',
    "blank-after-brace": 'terraform {\n  backend "s3" {\n\n    key = "x"\n  }\n}\n',
    "empty-multi-line": 'terraform {\n  backend "s3" {\n  }\n}\n',
    "empty-with-blank": 'terraform {\n  backend "s3" {\n\n  }\n}\n',
    "comment-after-brace": 'terraform {\n  backend "s3" {\n    key = "x"\n  } # done\n}\n',
    "one-line-with-attribute": 'terraform {\n  backend "s3" { key = "x" } # note\n}\n',
    "nested-block-rewritten": (
        'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n    key = "x"\n\n'
        '    assume_role {\n      role_arn = "arn:aws:iam::1:role/r"\n    }\n  }\n}\n'
    ),
    "variable-rewritten": (
        'terraform {\n  backend "s3" {\n    bucket = "s-${var.env}" # per env\n    key    = ""\n  }\n}\n'
        'variable "env" {\n  default = "dev"\n}\n'
    ),
    "last-line-without-newline": 'terraform {\n  backend "s3" {\n    key = "x"\n  }\n}',
    "crlf-and-tabs": 'terraform {\r\n\tbackend "s3" {\r\n\t\tkey = "x"\r\n\t}\r\n}\r\n',
}


def _run(directory: Path, **options: object) -> None:
    results = list(Runner(RunOptions(paths=(str(directory),), write=True, **options)).results())  # type: ignore[arg-type]
    assert not [p for r in results for p in r.problems]


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_comment_then_restore_is_exact(name: str, tmp_path: Path) -> None:
    original = LAYOUTS[name].encode()
    main = tmp_path / "main.tf"
    main.write_bytes(original)
    _run(tmp_path, fix=FixOptions(mode="comment"))
    commented = main.read_bytes()
    assert b"backend-fixer:begin local-state" in commented
    parse(commented.decode())
    _run(tmp_path, restore=True)
    assert main.read_bytes() == original
