"""Hand-built findings and rules for the output tests, over two small files.

The values are written out in full (no rules engine involved) so that the
renderers are tested against exactly the data the rules layer promises.
"""

from __future__ import annotations

import pytest

from fixer.edits import Edit
from fixer.rules.base import (
    MODE_FIX,
    Applicability,
    Category,
    FileChange,
    Finding,
    Fix,
    Location,
    RuleDoc,
    RuleInfo,
    Severity,
    targeted_fix,
)

PROVIDER = 'terraform {\n  backend "s3" {}\n}\n'
BACKEND = (
    'terraform {\n  backend "s3" {\n    bucket     = "state"\n    access_key = "AKIA"\n  }\n}\n'
)


def _span(text: str, needle: str, path: str) -> Location:
    """A Location covering ``needle`` in ``text``, lines and columns computed by hand."""
    start = text.index(needle)
    end = start + len(needle)

    def position(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    (line, column), (end_line, end_column) = position(start), position(end)
    return Location(path, line, column, end_line, end_column, start, end)


PARTIAL = RuleInfo(
    code="BF001",
    name="partial-backend",
    severity=Severity.ERROR,
    summary="Backend block misses required arguments",
    doc=RuleDoc(
        what="A backend block without the arguments that `terraform init` needs.",
        why="With `-input=false` init stops with Missing Required Value.",
        example='terraform {\n  backend "s3" {}\n}\n',
        fix="Comments the block out under a header so the module uses local state.",
        versions="All Terraform and OpenTofu versions.",
        sources=(
            "https://developer.hashicorp.com/terraform/language/backend#partial-configuration",
        ),
    ),
    category=Category.INIT_BREAKING,
    fix=MODE_FIX,
)
CREDENTIALS = RuleInfo(
    code="BF003",
    name="hardcoded-credentials",
    severity=Severity.ERROR,
    summary="Credentials written into the backend block",
    doc=RuleDoc(
        what="`access_key`, `secret_key` or `token` given as literals.",
        why="They are copied to `.terraform/` and into plan files.",
        example='backend "s3" {\n  access_key = "AKIA..."\n}\n',
        fix="Removes the argument (unsafe: init then needs credentials from elsewhere).",
        versions="All versions.",
        sources=("https://developer.hashicorp.com/terraform/language/backend/s3",),
    ),
    category=Category.SECURITY,
    fix=targeted_fix(Applicability.UNSAFE),
)
LOCKING = RuleInfo(
    code="BF005",
    name="no-state-locking",
    severity=Severity.WARNING,
    summary="S3 backend without state locking",
    doc=RuleDoc(
        what="Neither `use_lockfile` nor `dynamodb_table`.",
        why="Two runs can write the state at once.",
        example='backend "s3" {\n  bucket = "b"\n}\n',
        fix="None.",
        versions="use_lockfile: Terraform 1.10+.",
    ),
    category=Category.SECURITY,
)
UNUSED = RuleInfo(
    code="BF009",
    name="removed-backend",
    severity=Severity.ERROR,
    summary="Backend type removed in Terraform 1.3",
    doc=RuleDoc(what="x", why="y", example="", fix="", versions="1.3"),
    category=Category.INIT_BREAKING,
)


@pytest.fixture
def sources() -> dict[str, str]:
    return {"envs/dev/provider.tf": PROVIDER, "envs/prod/backend.tf": BACKEND}


@pytest.fixture
def rules() -> list[RuleInfo]:
    return [PARTIAL, CREDENTIALS, LOCKING, UNUSED]


@pytest.fixture
def findings() -> list[Finding]:
    partial_loc = _span(PROVIDER, 'backend "s3" {}', "envs/dev/provider.tf")
    comment = Fix(
        description="Comment out the backend block; local state is used",
        changes=(
            FileChange(
                "envs/dev/provider.tf",
                (Edit(partial_loc.start, partial_loc.start, "# "),),
            ),
        ),
        mode="comment",
    )
    override = Fix(
        description="Write backend_override.tf with a local backend",
        changes=(
            FileChange(
                "envs/dev/backend_override.tf",
                (Edit(0, 0, 'terraform {\n  backend "local" {}\n}\n'),),
                creates=True,
            ),
        ),
        mode="override",
    )
    key_loc = _span(BACKEND, 'access_key = "AKIA"', "envs/prod/backend.tf")
    remove_key = Fix(
        description="Remove access_key; use AWS_ACCESS_KEY_ID or a profile",
        changes=(
            FileChange(
                "envs/prod/backend.tf",
                (Edit(key_loc.start - 4, key_loc.end + 1, ""),),
            ),
        ),
        applicability=Applicability.UNSAFE,
    )
    return [
        # Deliberately out of order: renderers sort by path, line, column.
        Finding(
            code="BF005",
            name="no-state-locking",
            severity=Severity.WARNING,
            message='backend "s3" has no state locking: add use_lockfile = true (Terraform >= 1.10)',
            location=_span(BACKEND, 'backend "s3" {', "envs/prod/backend.tf"),
        ),
        Finding(
            code="BF003",
            name="hardcoded-credentials",
            severity=Severity.ERROR,
            message="access_key is a literal: it ends up in .terraform/ and plan files",
            location=key_loc,
            fixes=(remove_key,),
        ),
        Finding(
            code="BF001",
            name="partial-backend",
            severity=Severity.ERROR,
            message='backend "s3" misses bucket, key, region; terraform init -input=false fails',
            location=partial_loc,
            fixes=(comment, override),
            notes=("no *.s3.tfbackend file beside it supplies them",),
        ),
    ]
