"""Inline suppression as the rules meet it: ``# backend-fixer: ignore[CODE]``.

A comment naming a code (or a rule name, or no code at all) silences findings on
its own line, on the first line of the backend block, or among the comments
directly above that block. Other codes, and comments elsewhere, do not.
"""

from __future__ import annotations

import pytest
from rules_support import findings, view_of

VERSIONS = 'terraform {\n  required_version = ">= 1.11"\n}\n'
SECRET_BACKEND = (
    'terraform {{\n{above}  backend "s3" {{{on_block}\n'
    '    bucket       = "acme-state"\n'
    '    key          = "app/terraform.tfstate"\n'
    '    region       = "us-east-1"\n'
    "    use_lockfile = true\n"
    "    encrypt      = true\n"
    '    access_key   = "AKIAIOSFODNN7EXAMPLE"{on_line}\n'
    "  }}\n}}\n"
)


def codes(main: str) -> list[str]:
    return [f.code for f in findings(view_of({"versions.tf": VERSIONS, "main.tf": main}))]


def secret(above: str = "", on_block: str = "", on_line: str = "") -> list[str]:
    return codes(SECRET_BACKEND.format(above=above, on_block=on_block, on_line=on_line))


def test_unsuppressed_finding() -> None:
    assert secret() == ["BF003"]


@pytest.mark.parametrize(
    "placement",
    [
        {"on_line": "  # backend-fixer: ignore[BF003]"},
        {"on_block": " # backend-fixer: ignore[BF003]"},
        {"above": "  # backend-fixer: ignore[BF003]\n"},
        {"above": "  # a throwaway key for localstack\n  # backend-fixer: ignore[BF003]\n"},
        {"on_line": "  # backend-fixer: ignore[hardcoded-credentials]"},
        {"on_line": "  # backend-fixer: ignore[BF001, BF003]"},
        {"on_line": "  # backend-fixer: ignore"},
        {"on_line": "  // backend-fixer: ignore[bf003]"},
    ],
    ids=lambda p: f"{next(iter(p))}:{next(iter(p.values())).strip()}",
)
def test_suppressed(placement: dict[str, str]) -> None:
    assert secret(**placement) == []


@pytest.mark.parametrize(
    "placement",
    [
        {"on_line": "  # backend-fixer: ignore[BF001]"},
        {"above": "  # backend-fixer: ignore[BF003]\n\n"},
        {"on_line": "  # backend-fixer ignore[BF003]"},
    ],
    ids=["other-code", "blank-line-between", "not-a-directive"],
)
def test_not_suppressed(placement: dict[str, str]) -> None:
    assert secret(**placement) == ["BF003"]


def test_suppression_above_the_block_covers_every_finding_in_it() -> None:
    main = (
        "terraform {\n"
        "  # backend-fixer: ignore[BF006, BF008]\n"
        '  backend "s3" {\n'
        '    bucket = "acme-state"\n'
        '    key    = "app/terraform.tfstate"\n'
        '    region = "us-east-1"\n'
        "  }\n"
        "}\n"
    )
    assert codes(main) == []
    assert codes(main.replace("BF006, BF008", "BF006")) == ["BF008"]


def test_suppression_of_one_backend_does_not_reach_another_file() -> None:
    view = view_of(
        {
            "versions.tf": VERSIONS,
            "backend.tf": 'terraform {\n  # backend-fixer: ignore[BF011]\n  backend "local" {}\n}\n',
            "main.tf": 'terraform {\n  backend "local" {}\n}\n',
        }
    )
    assert [(f.code, f.location.path) for f in findings(view)] == [("BF011", "module/main.tf")]
