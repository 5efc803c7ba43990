"""Reading a repository's init context: the files that run ``terraform init``, and what they pass.

The knowledge layer (:mod:`fixer.terraform.init_context`) understands CI
pipelines, Makefiles, scripts, Terragrunt and Atlantis from their texts; this
module finds and reads those texts. A module's pipelines live at its *init
root*: the nearest directory at or above the module, up to its git work tree,
that holds a CI pipeline of its own (``.github/workflows/``, ``.gitlab-ci.yml``,
``Jenkinsfile``...), or else the work tree's root (outside git, the path the
user named). A repository copy inside a repository (a sample, a vendored
project) is thus its own root, and its files are left out of the outer root's
context. Each work tree is walked once, honouring ``.gitignore``; files the
context names but the walk did not read (a backend configuration file with an
unusual name, a Terragrunt parent) are read and the context built again, once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fixer.pipeline import Problem
from fixer.runner.discovery import DiscoveredFile, discover
from fixer.runner.files import ReadError, read_file
from fixer.terraform.init_context import (
    DeclaredInit,
    InitContext,
    ModuleInits,
    build_init_context,
    is_init_context_file,
    might_be_init_context,
)

__all__ = ["ROOT_FILES", "ContextIndex", "pipeline_root", "read_init_context"]

ROOT_FILES = (
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    "azure-pipelines.yaml",
    "bitbucket-pipelines.yml",
    "Jenkinsfile",
    "atlantis.yaml",
    "atlantis.yml",
)
"""Files whose presence makes their directory the root of its own pipelines
(besides ``.github/workflows/*.yml`` and ``.circleci/config.yml``)."""

# A CI file of megabytes is generated; it is left out rather than read whole.
_SIZE_LIMIT = 1024 * 1024


def pipeline_root(relative: str) -> str | None:
    """The directory a file makes a pipeline root (``""`` for the top), or None.

    ``sub/.github/workflows/ci.yml`` makes ``sub``; ``.gitlab-ci.yml`` the top.
    """
    parts = relative.split("/")
    name = parts[-1]
    if name in ROOT_FILES:
        return "/".join(parts[:-1])
    if len(parts) >= 3 and parts[-3:-1] == [".github", "workflows"]:
        return "/".join(parts[:-3])
    if len(parts) >= 2 and parts[-2] == ".circleci" and name in ("config.yml", "config.yaml"):
        return "/".join(parts[:-2])
    return None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _relative(path: str, root: str) -> str:
    absolute = os.path.abspath(path)
    if absolute == root:
        return "."
    prefix = root.rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        # Most paths lie under their root: slicing is much cheaper than relpath.
        return absolute[len(prefix) :].replace(os.sep, "/")
    relative = os.path.relpath(absolute, root).replace(os.sep, "/")
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


def _build(
    root: str, files: Sequence[tuple[str, str]], declared: Sequence[DeclaredInit]
) -> tuple[InitContext, list[Problem]]:
    """Read ``files`` ((relative, absolute) pairs under ``root``) and build the context."""
    warnings: list[Problem] = []
    texts = _read_texts(files, warnings)
    context = build_init_context(texts, declared)
    missing = [
        (name, os.path.join(root, name))
        for name in context.requested
        if name not in texts and os.path.isfile(os.path.join(root, name))
    ]
    if missing:
        texts.update(_read_texts(missing, warnings))
        context = build_init_context(texts, declared)
    warnings.extend(_context_problem(problem, root) for problem in context.problems)
    return context, warnings


@dataclass
class _Walked:
    """One walk of a bound (work tree or named path): candidate files and pipeline roots."""

    files: list[str]  # paths relative to the bound, POSIX
    roots: frozenset[str]  # pipeline roots relative to the bound ("" for the bound itself)


def _walk(bound: str, honour_gitignore: bool) -> _Walked:
    accept = lambda name, path: might_be_init_context(name)  # noqa: E731
    found = discover([bound], honour_gitignore=honour_gitignore, accept=accept)
    return _walked(bound, (str(i.path) for i in found if isinstance(i, DiscoveredFile)))


def _walked(bound: str, paths: Iterable[str]) -> _Walked:
    files: list[str] = []
    roots = set()
    for path in paths:
        relative = _relative(path, bound)
        files.append(relative)
        root = pipeline_root(relative)
        if root is not None:
            roots.add(root)
    return _Walked(files, frozenset(roots))


def _owner(relative: str, roots: frozenset[str]) -> str:
    """The deepest pipeline root holding ``relative`` ("" when none but the bound)."""
    parts = relative.split("/")
    for depth in range(len(parts) - 1, 0, -1):
        directory = "/".join(parts[:depth])
        if directory in roots:
            return directory
    return ""


def read_init_context(
    root: str, declared: Sequence[DeclaredInit] = (), *, honour_gitignore: bool = True
) -> tuple[InitContext, tuple[Problem, ...]]:
    """Walk ``root`` for init-context files, read them and build its context.

    Files inside a nested pipeline root (a directory below ``root`` with a
    pipeline of its own) belong to that root and are left out. Returns the
    context and one-line warnings (unreadable files, pipeline files that do not
    parse): they never stop a run, since the module is judged without what they
    would have said.
    """
    walked = _walk(root, honour_gitignore)
    files = [
        (relative, os.path.join(root, relative))
        for relative in walked.files
        if _owner(relative, walked.roots) == "" and is_init_context_file(relative)
    ]
    context, warnings = _build(root, files, declared)
    return context, tuple(warnings)


@dataclass
class ContextIndex:
    """The init context of every root a run touches, read on first need, and module lookups.

    ``tops`` are the real paths the user named: outside a git work tree they
    bound the search for a root. Each bound is walked once; a root's context is
    built the first time a module under it asks. Used in the parent process only.
    """

    tops: Sequence[str] = ()
    declared: Sequence[DeclaredInit] = ()
    honour_gitignore: bool = True
    contexts: dict[str, InitContext] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    _roots: dict[str, str] = field(default_factory=dict)
    _walks: dict[str, _Walked] = field(default_factory=dict)
    _trees: dict[str, str | None] = field(default_factory=dict)

    def walked(self, top: str, paths: Iterable[str]) -> None:
        """Take the files a walk of ``top`` already found, so its bound is not walked again.

        Only a walk of the whole bound counts: ``top`` must be the work tree (or,
        outside git, the named directory) that modules under it are bounded by.
        """
        absolute = os.path.abspath(top)
        bound = self._work_tree(absolute) or absolute
        if bound == absolute and bound not in self._walks:
            self._walks[bound] = _walked(bound, paths)

    def root_of(self, directory: str) -> str:
        """The init root of the module in ``directory`` (absolute); its context is built then."""
        absolute = os.path.abspath(directory)
        cached = self._roots.get(absolute)
        if cached is not None:
            return cached
        bound = self._work_tree(absolute)
        if bound is None:
            bound = next(
                (
                    t if os.path.isdir(t) else os.path.dirname(t)
                    for t in self.tops
                    if _inside(absolute, t)
                ),
                absolute,
            )
        walked = self._walks.get(bound)
        if walked is None:
            walked = self._walks[bound] = _walk(bound, self.honour_gitignore)
        relative = _relative(absolute, bound)
        owner = "" if relative == "." else _owner(relative + "/x", walked.roots)
        root = os.path.join(bound, owner) if owner else bound
        self._roots[absolute] = root
        if root not in self.contexts:
            files = [
                (rel[len(owner) + 1 :] if owner else rel, os.path.join(bound, rel))
                for rel in walked.files
                if _owner(rel, walked.roots) == owner
            ]
            files = [(rel, path) for rel, path in files if is_init_context_file(rel)]
            context, warnings = _build(root, files, self.declared)
            self.contexts[root] = context
            self.warnings.extend(warnings)
        return root

    def _work_tree(self, directory: str) -> str | None:
        """The git work tree holding ``directory``, remembered for every directory on the way up."""
        seen: list[str] = []
        current = directory
        found: str | None = None
        while True:
            if current in self._trees:
                found = self._trees[current]
                break
            seen.append(current)
            if os.path.lexists(os.path.join(current, ".git")):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for path in seen:
            self._trees[path] = found
        return found

    def for_module(self, directory: str) -> ModuleInits:
        """The inits that reach the module in ``directory``."""
        root = self.root_of(directory)
        return self.contexts[root].for_module(_relative(directory, root))
