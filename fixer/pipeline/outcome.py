"""What the pipeline hands back for one module: findings, planned file changes, problems.

:class:`ModuleResult` is the one outcome value the CLI and the bot render. A
:class:`FileResult` holds both texts of a file a fix changes (``old_text`` None
for a created file, ``new_text`` None for a deleted one); the runner sets
``written`` once it is on disk. A :class:`Problem` is one line: a path, an
optional line and column, and a message.
"""

from __future__ import annotations

from dataclasses import dataclass

from fixer.fixes.plan import SkippedFix
from fixer.rules.base import Finding

__all__ = ["FileResult", "ModuleResult", "NextStep", "Problem", "printable"]


def printable(path: str) -> str:
    """``path`` safe for a one-line message: control characters are escaped.

    A file name may legally contain a newline; printing it raw would break the
    promise that every message is one line.
    """
    if path.isprintable():
        return path
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)


@dataclass(frozen=True, slots=True)
class Problem:
    """A file (or module) that could not be handled: ``path:line:col: message`` on one line.

    ``line`` and ``column`` (1-based) are set when the problem has a position,
    such as a parse error; the path itself never carries them.
    """

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = printable(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True, slots=True)
class FileResult:
    """A file a fix changes (or would change): its path and both texts.

    ``old_text`` is None for a created file and ``new_text`` None for a deleted
    one. ``written`` says whether the change is on disk.
    """

    path: str
    old_text: str | None
    new_text: str | None
    written: bool = False

    @property
    def created(self) -> bool:
        return self.old_text is None

    @property
    def deleted(self) -> bool:
        return self.new_text is None


@dataclass(frozen=True, slots=True)
class NextStep:
    """What a person must run after a change of a module's backend, and why, in one line.

    ``command`` is the init to run (``terraform init -reconfigure``);
    ``initialised`` says the module's working directory is initialised, so
    Terraform refuses to plan until then.
    """

    directory: str
    command: str
    why: str
    initialised: bool = False

    def __str__(self) -> str:
        where = printable(self.directory) or "."
        return f"{where}: run `{self.command}`: {self.why}"


@dataclass(frozen=True, slots=True)
class ModuleResult:
    """Everything one module produced. ``problems`` are one-line errors (exit code 2).

    ``applied`` are the findings the planned changes fix, ``skipped`` the fixes
    left out and why; ``warnings`` are one-line notes for the user; ``parsed``
    counts the files that were parsed (the pre-filter skips the others);
    ``next_steps`` say which init the changed backend needs next.
    ``remaining`` holds the findings the module still has once ``files`` are
    applied (the second run's, located in the new texts); None when no file
    changes, and then every finding remains.
    """

    directory: str
    findings: tuple[Finding, ...] = ()
    files: tuple[FileResult, ...] = ()
    applied: tuple[Finding, ...] = ()
    skipped: tuple[SkippedFix, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    parsed: int = 0
    next_steps: tuple[NextStep, ...] = ()
    remaining: tuple[Finding, ...] | None = None
