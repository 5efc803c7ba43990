"""The values that rules produce and every later layer consumes.

A rule looks at a module's backend and yields :class:`Finding` values; a finding
may carry :class:`Fix` values, each a set of :class:`FileChange` edits with an
applicability. Output, runner, bot and CLI only ever see these frozen values,
never syntax trees, so results can cross process boundaries and be streamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from fixer.edits import Edit


class Severity(StrEnum):
    """How bad a finding is. ``error``: init or apply fails or secrets leak."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def sarif_level(self) -> str:
        return {"error": "error", "warning": "warning", "info": "note"}[self.value]


class Applicability(StrEnum):
    """Whether a fix is applied by default (``safe``) or only with ``--unsafe``."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's documentation, with fixed headings (used by --help, README, SARIF, PRs)."""

    what: str  # what it finds
    why: str  # why it matters
    example: str  # a small HCL example that triggers it
    fix: str  # what the fix does (or why there is none)
    versions: str  # the Terraform / OpenTofu versions the fact holds for
    sources: tuple[str, ...] = ()  # where the fact comes from (documentation URLs)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's identity: a stable code, a kebab-case name, default severity and docs."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: RuleDoc
    fixable: bool = False


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: 1-based lines and columns plus character offsets."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class FileChange:
    """Edits to one file. ``creates`` marks a new file (one insertion at offset 0)."""

    path: str
    edits: tuple[Edit, ...]
    creates: bool = False


@dataclass(frozen=True, slots=True)
class Fix:
    """A way to resolve a finding.

    ``mode`` is ``comment``, ``complete`` or ``override`` for the backend-wide
    fixes chosen with ``--mode``, and None for a rule's own targeted fix.
    """

    description: str
    changes: tuple[FileChange, ...]
    applicability: Applicability = Applicability.SAFE
    mode: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one rule at one place."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    fixes: tuple[Fix, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # What the finding is about, for fixers and reports: an argument name
    # ("dynamodb_table"), a backend type ("s3") or a block ("cloud").
    subject: str | None = None
    # The module directory the finding belongs to.
    module: str | None = None

    def fix_for(self, mode: str | None) -> Fix | None:
        """The fix for ``mode`` (None: the rule's own targeted fix), if any."""
        for fix in self.fixes:
            if fix.mode == mode:
                return fix
        return None
