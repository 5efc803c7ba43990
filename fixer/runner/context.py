"""Reading a repository's init context: the files that run ``terraform init``, and what they pass.

The knowledge layer (:mod:`fixer.terraform.init_context`) understands CI
pipelines, Makefiles, scripts, Terragrunt and Atlantis from their texts; this
module finds and reads those texts. A module's pipelines live at its *init
root*: the nearest directory at or above the module, up to its git work tree,
that holds a CI configuration of its own (``.github``, ``.gitlab-ci.yml``...), or
else the work tree's root (outside git, the path the user named). A repository
copy inside a repository (a sample, a vendored project) is thus its own root,
and its files are left out of the outer root's context. Each root is walked
once, honouring ``.gitignore``; files the context names but the walk did not
read (a backend configuration file with an unusual name, a Terragrunt parent)
are read and the context built again, once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fixer.pipeline import Problem
from fixer.runner.discovery import DiscoveredFile, discover, find_work_tree
from fixer.runner.files import ReadError, read_file
from fixer.terraform.init_context import (
    DeclaredInit,
    InitContext,
    ModuleInits,
    build_init_context,
    is_init_context_file,
    might_be_init_context,
)

__all__ = ["CI_ROOT_MARKERS", "ContextIndex", "read_init_context"]

CI_ROOT_MARKERS = (
    ".github",
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    ".circleci",
    "bitbucket-pipelines.yml",
    "Jenkinsfile",
    "atlantis.yaml",
    "atlantis.yml",
)
"""Names whose presence makes a directory the root of its own pipelines."""

# A CI file of megabytes is generated; it is left out rather than read whole.
_SIZE_LIMIT = 1024 * 1024


def _has_marker(directory: str) -> bool:
    return any(os.path.lexists(os.path.join(directory, marker)) for marker in CI_ROOT_MARKERS)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _relative(path: str, root: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    return "." if relative in ("", ".") else relative


def _read_texts(paths: Iterable[tuple[str, str]], warnings: list[Problem]) -> dict[str, str]:
    """Read (relative, absolute) pairs as UTF-8 text; unreadable ones become warnings."""
    texts: dict[str, str] = {}
    for relative, absolute in paths:
        try:
            snapshot = read_file(absolute, size_limit=_SIZE_LIMIT)
        except ReadError as error:
            if error.problem.kind != "binary":
                warnings.append(
                    Problem(
                        str(error.problem.path),
                        f"{error.problem.message} (not read for the init context)",
                        error.problem.line,
                        error.problem.column,
                    )
                )
            continue
        texts[relative] = snapshot.data.decode("utf-8", "replace")
    return texts


def _nested_root(relative: str, root: str, cache: dict[str, bool]) -> bool:
    """Does a directory between ``root`` and the file ``relative`` hold its own CI configuration?"""
    parts = relative.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        directory = "/".join(parts[:depth])
        if parts[depth - 1] in CI_ROOT_MARKERS:
            return False  # .github of this very root, or below a nested one already counted
        if directory not in cache:
            cache[directory] = _has_marker(os.path.join(root, directory))
        if cache[directory]:
            return True
    return False


def read_init_context(
    root: str, declared: Sequence[DeclaredInit] = (), *, honour_gitignore: bool = True
) -> tuple[InitContext, tuple[Problem, ...]]:
    """Walk ``root`` for init-context files, read them and build the context.

    Files inside a nested init root (a directory below ``root`` with a CI
    configuration of its own) belong to that root and are left out. Returns
    the context and one-line warnings (unreadable files, pipeline files that
    do not parse): they never stop a run, since the module is judged without
    what they would have said.
    """
    prefix = root.rstrip(os.sep) + os.sep

    def accept(name: str, path: str) -> bool:
        if not might_be_init_context(name):
            return False
        absolute = os.path.abspath(path)
        relative = absolute[len(prefix) :] if absolute.startswith(prefix) else path
        return is_init_context_file(relative.replace(os.sep, "/"))

    warnings: list[Problem] = []
    found: list[tuple[str, str]] = []
    nested: dict[str, bool] = {}
    for item in discover([root], honour_gitignore=honour_gitignore, accept=accept):
        if isinstance(item, DiscoveredFile):
            relative = _relative(str(item.path), root)
            if not _nested_root(relative, root, nested):
                found.append((relative, str(item.path)))
    texts = _read_texts(found, warnings)
    context = build_init_context(texts, declared)
    missing = [
        (name, os.path.join(root, name))
        for name in context.requested
        if name not in texts and os.path.isfile(os.path.join(root, name))
    ]
    if missing:
        texts.update(_read_texts(missing, warnings))
        context = build_init_context(texts, declared)
    for problem in context.problems:
        warnings.append(_context_problem(problem, root))
    return context, tuple(warnings)


def _context_problem(text: str, root: str) -> Problem:
    """A knowledge-layer ``path:line:col: message`` as a Problem with the path under ``root``."""
    head, _, message = text.partition(": ")
    parts = head.split(":")
    line = column = None
    if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
        head, line, column = ":".join(parts[:-2]), int(parts[-2]), int(parts[-1])
    elif len(parts) >= 2 and parts[-1].isdigit():
        head, line = ":".join(parts[:-1]), int(parts[-1])
    shown = os.path.relpath(os.path.join(root, head)) if not os.path.isabs(head) else head
    return Problem(shown, f"{message or text} (not read for the init context)", line, column)


@dataclass
class ContextIndex:
    """The init context of every root a run touches, read on first need, and module lookups.

    ``tops`` are the real paths the user named: outside a git work tree they
    bound the search for a root. Used in the parent process only.
    """

    tops: Sequence[str] = ()
    declared: Sequence[DeclaredInit] = ()
    honour_gitignore: bool = True
    contexts: dict[str, InitContext] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    _roots: dict[str, str] = field(default_factory=dict)

    def root_of(self, directory: str) -> str:
        """The init root of the module in ``directory`` (absolute), read when first asked for."""
        absolute = os.path.abspath(directory)
        cached = self._roots.get(absolute)
        if cached is not None:
            return cached
        bound = find_work_tree(absolute)
        if bound is None:
            bound = next(
                (
                    t if os.path.isdir(t) else os.path.dirname(t)
                    for t in self.tops
                    if _inside(absolute, t)
                ),
                absolute,
            )
        root = bound
        current = absolute
        while _inside(current, bound):
            if _has_marker(current):
                root = current
                break
            if current == bound:
                break
            current = os.path.dirname(current)
        self._roots[absolute] = root
        if root not in self.contexts:
            context, warnings = read_init_context(
                root, self.declared, honour_gitignore=self.honour_gitignore
            )
            self.contexts[root] = context
            self.warnings.extend(warnings)
        return root

    def for_module(self, directory: str) -> ModuleInits:
        """The inits that reach the module in ``directory``."""
        root = self.root_of(directory)
        return self.contexts[root].for_module(_relative(directory, root))
