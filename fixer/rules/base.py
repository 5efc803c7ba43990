"""The rule contract and the values that rules produce and every later layer consumes.

A rule (:class:`Rule`) looks at a module's backend and yields :class:`Finding`
values; its :class:`RuleInfo` declares, in one place, its category and how it
is fixed (:class:`FixDeclaration`), which the planner, the reports and the docs
all read. A finding may carry :class:`Fix` values, each a set of
:class:`FileChange` edits with an applicability. Output, runner, bot and CLI
only ever see these frozen values, never syntax trees, so results can cross
process boundaries and be streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from fixer.edits import Edit

if TYPE_CHECKING:
    from fixer.terraform import ModuleView


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


class Mode(StrEnum):
    """The backend-wide fix for findings that stop ``terraform init``, chosen with ``--mode``."""

    COMMENT = "comment"  # comment the block out under a header: local state
    COMPLETE = "complete"  # fill in the missing values
    OVERRIDE = "override"  # a backend_override.tf with a local backend; tracked files untouched


class Category(StrEnum):
    """What a finding threatens. Only ``init-breaking`` findings claim that init fails."""

    INIT_BREAKING = "init-breaking"  # terraform init (or every run after it) fails
    SECURITY = "security"  # secrets, encryption, concurrent writes to the state
    HYGIENE = "hygiene"  # deprecations and other debts that break later
    CONTEXT = "context"  # information about how the backend is served


class FixKind(StrEnum):
    """How a rule's findings are fixed."""

    NONE = "none"  # a person decides; the message says how
    MODE = "mode"  # the backend-wide fix chosen with --mode resolves it
    TARGETED = "targeted"  # an edit of its own in the block


@dataclass(frozen=True, slots=True)
class FixDeclaration:
    """A rule's fix, declared once: its kind and the applicabilities its fixes can have.

    ``applicabilities`` is empty for ``NONE``; a targeted fix that is safe in
    one case and unsafe in another (``encrypt = false`` to true) lists both,
    and ``unsafe_when`` says when it is unsafe. ``in_mode`` marks a targeted
    fix that a backend-wide fix must apply too: the argument it rewrites makes
    init fail, so a completed (or uncommented) block must not keep it.
    """

    kind: FixKind = FixKind.NONE
    applicabilities: frozenset[Applicability] = frozenset()
    unsafe_when: str = ""
    in_mode: bool = False

    def __post_init__(self) -> None:
        if (self.kind is FixKind.NONE) != (not self.applicabilities):
            raise ValueError("a fix declaration has applicabilities exactly when it has a fix")

    @property
    def fixable(self) -> bool:
        return self.kind is not FixKind.NONE

    def describe(self) -> str:
        """The ``fix`` column of the rule list: ``no``, ``--mode``, ``safe``, ``unsafe``, ``safe/unsafe``."""
        if self.kind is FixKind.NONE:
            return "no"
        if self.kind is FixKind.MODE:
            return "--mode"
        return "/".join(a.value for a in Applicability if a in self.applicabilities)


NO_FIX = FixDeclaration()
MODE_FIX = FixDeclaration(FixKind.MODE, frozenset({Applicability.SAFE}))


def targeted_fix(
    *applicabilities: Applicability, unsafe_when: str = "", in_mode: bool = False
) -> FixDeclaration:
    """A targeted fix declaration with these applicabilities (at least one)."""
    return FixDeclaration(FixKind.TARGETED, frozenset(applicabilities), unsafe_when, in_mode)


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
    """A rule's identity: a stable code, a kebab-case name, default severity, category, fix and docs."""

    code: str
    name: str
    severity: Severity
    summary: str
    doc: RuleDoc
    category: Category
    fix: FixDeclaration = NO_FIX

    @property
    def fixable(self) -> bool:
        return self.fix.fixable


class Rule(Protocol):
    """What every rule provides: its info, and a check of one module that never does I/O."""

    info: RuleInfo

    def check(self, view: ModuleView) -> Iterator[Finding]:
        """Yield this rule's findings for one module (nothing when it does not apply)."""
        ...


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

    ``mode`` is the backend-wide fix chosen with ``--mode``, and None for a
    rule's own targeted fix.
    """

    description: str
    changes: tuple[FileChange, ...]
    applicability: Applicability = Applicability.SAFE
    mode: Mode | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A place outside the backend block that decides a finding: an init in a pipeline, a Makefile...

    ``what`` is the command as written; ``supplies`` the backend arguments it
    passes, ``lacks`` the needed ones it does not; ``mechanism`` says what runs
    it (``github-actions``, ``makefile``, ``terragrunt``...). ``line`` is 1-based
    (0 for an init declared in the config file, which has no line).
    """

    path: str
    line: int
    what: str
    supplies: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    mechanism: str = ""


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
    category: Category = Category.INIT_BREAKING
    # The offending source text, whitespace runs collapsed: reports fingerprint it.
    excerpt: str | None = None
    # The inits (pipelines, Makefiles...) that decide the finding, for reports.
    sources: tuple[Source, ...] = ()

    def fix_for(self, mode: Mode | None) -> Fix | None:
        """The fix for ``mode`` (None: the rule's own targeted fix), if any."""
        for fix in self.fixes:
            if fix.mode == mode:
                return fix
        return None
