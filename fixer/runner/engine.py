"""Running the pipeline over a tree of files, module by module: reading, facts, writing.

The runner discovers candidate files, groups them into modules, reads each
module's bytes and gathers the facts the pipeline cannot see (the module's path
in the repository, an override file git ignores, the README, whether
``.gitignore`` covers the override), hands them to
:func:`fixer.pipeline.process_module`, and writes the changes that passed every
safety net atomically. Modules are processed in worker processes when there
are many; results stream back in order and carry file texts only for files
that change. :class:`RunTally` sums a run up the same way for the CLI and the
bot.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from fixer.fixes.plan import OVERRIDE_NAME, README_NAME, FixOptions, SkippedFix
from fixer.pipeline import (
    BackendValues,
    CheckRequest,
    FileResult,
    FixRequest,
    Judgement,
    ModuleFacts,
    ModuleInput,
    ModuleResult,
    Problem,
    Request,
    RestoreRequest,
    process_module,
)
from fixer.rules.base import Finding, Mode
from fixer.rules.catalog import selected_rules
from fixer.runner.discovery import (
    DiscoveredFile,
    discover,
    find_work_tree,
    git_ignores,
    is_candidate,
)
from fixer.runner.files import (
    FileProblem,
    FileSnapshot,
    ReadError,
    WriteError,
    create_file,
    read_file,
    write_atomic,
)
from fixer.syntax import ParseError, decode, parse_bytes
from fixer.terraform import ModuleFiles, backend_config_constants, group_into_modules

__all__ = [
    "FileResult",
    "ModuleResult",
    "Problem",
    "RunOptions",
    "RunTally",
    "Runner",
    "read_backend_config",
    "run_module",
]


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What to run over which paths: rule selection, dialect overrides and, when fixing, how.

    ``fix`` set means fixing (``write`` applies); ``restore`` undoes comment
    mode; neither means checking (``attach_fixes`` attaches the fixes a fix
    would plan, for reports). :meth:`request` is what the pipeline gets.
    """

    paths: tuple[str, ...] = (".",)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    dialect: str | None = None
    terraform_version: str | None = None
    honour_gitignore: bool = True
    jobs: int = 1
    fix: FixOptions | None = None
    write: bool = False
    attach_fixes: bool = False
    restore: bool = False
    sets: Mapping[str, str] = field(default_factory=dict)
    backend_config: Mapping[str, Any] = field(default_factory=dict)
    backend_config_name: str = "--backend-config"
    templates: Mapping[str, str] = field(default_factory=dict)
    # Files read only to complete the module of a named file: never reported or changed.
    context_only: frozenset[str] = frozenset()
    # Let an unexpected exception out of the pipeline (for --debug) instead of
    # turning it into a problem of its module.
    raise_internal_errors: bool = False

    def request(self) -> Request:
        """The pipeline request these options describe."""
        judgement = Judgement(self.select, self.ignore, self.dialect, self.terraform_version)
        values = BackendValues(
            self.sets, self.backend_config, self.backend_config_name, self.templates
        )
        if self.restore:
            return RestoreRequest(judgement, values)
        if self.fix is not None:
            return FixRequest(judgement, self.fix, values)
        return CheckRequest(judgement, self.attach_fixes, FixOptions(), values)


def read_backend_config(path: str | os.PathLike[str]) -> tuple[dict[str, Any], str]:
    """The constant values of a ``--backend-config`` file and its name, as init reads it.

    Raises ValueError with a one-line ``path[:line:col]: message`` for a file
    that cannot be read or parsed, or holds something init would not take.
    """
    try:
        tree = parse_bytes(read_file(path).data, str(path))
    except ReadError as error:
        raise ValueError(str(error)) from None
    except ParseError as error:
        raise ValueError(str(error)) from None
    return backend_config_constants(str(path), tree), Path(path).name


# -- the run --------------------------------------------------------------------------------


class Runner:
    """One run over ``options.paths``. Discovery happens on construction.

    ``modules`` lists the modules found (for progress bars); ``problems`` the
    discovery problems; :meth:`results` streams one :class:`ModuleResult` per
    module, in directory order. Raises ValueError for an unknown rule in
    ``--select``/``--ignore``.
    """

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        selected_rules(options.select, options.ignore)
        paths: list[str] = []
        explicit_dirs: set[str] = set()
        self.problems: list[Problem] = []
        for item in discover(options.paths, honour_gitignore=options.honour_gitignore):
            if isinstance(item, DiscoveredFile):
                paths.append(str(item.path))
                if item.explicit:
                    explicit_dirs.add(str(item.path.parent))
            else:
                self.problems.append(_file_problem(item))
        context = _module_siblings(explicit_dirs, set(paths))
        if context:
            # Named files (pre-commit passes the staged ones) are judged with
            # their whole module, but only they are reported and fixed.
            self.options = options = replace(options, context_only=frozenset(context))
        self.modules: tuple[ModuleFiles, ...] = group_into_modules([*paths, *context])
        self.roots = tuple(os.path.realpath(p) for p in options.paths)

    def results(self) -> Iterator[ModuleResult]:
        jobs = max(1, self.options.jobs)
        # Worker processes cost an interpreter start each: only worth it for many modules.
        chunk = 32
        if jobs == 1 or len(self.modules) < chunk * 2:
            for module in self.modules:
                yield run_module(module, self.options, self.roots)
            return
        chunks = [self.modules[i : i + chunk] for i in range(0, len(self.modules), chunk)]
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for batch in pool.map(
                _run_chunk, chunks, [self.options] * len(chunks), [self.roots] * len(chunks)
            ):
                yield from batch


def _file_problem(problem: FileProblem) -> Problem:
    return Problem(str(problem.path), problem.message, problem.line, problem.column)


def _module_siblings(directories: set[str], known: set[str]) -> list[str]:
    """The other candidate files in the directories of explicitly named files."""
    siblings = []
    for directory in sorted(directories):
        try:
            names = sorted(os.listdir(directory or "."))
        except OSError:
            continue
        for name in names:
            path = str(Path(directory) / name)
            if path not in known and is_candidate(name) and os.path.isfile(path):
                siblings.append(path)
    return siblings


def _run_chunk(
    modules: Sequence[ModuleFiles], options: RunOptions, roots: tuple[str, ...]
) -> list[ModuleResult]:
    return [run_module(module, options, roots) for module in modules]


# -- one module: read, gather facts, process, write --------------------------------------------


def run_module(module: ModuleFiles, options: RunOptions, roots: Sequence[str] = ()) -> ModuleResult:
    """Read one module, run the pipeline on it and, with ``options.write``, write its changes.

    Never raises for bad input; see :func:`fixer.pipeline.process_module`.
    """
    snapshots: dict[str, FileSnapshot] = {}
    unreadable: list[Problem] = []
    for path in (*module.all_config_files, *module.backend_config_files):
        try:
            snapshots[path] = read_file(path)
        except ReadError as error:
            unreadable.append(_file_problem(error.problem))
    request = options.request()
    facts = _facts(module, options, request, snapshots, unreadable)
    contents = {path: snapshot.data for path, snapshot in snapshots.items()}
    result = process_module(
        ModuleInput(module, contents, facts),
        request,
        raise_internal_errors=options.raise_internal_errors,
    )
    if not options.write or not result.files:
        return result
    written, problems = _write(result.files, snapshots, roots)
    return replace(result, files=written, problems=(*result.problems, *problems))


def module_path(directory: str) -> str:
    """The module's directory relative to its git work tree (or the current directory), POSIX style.

    A module at that root is ``.``: its path in the repository, never the name
    of the folder the repository happens to be checked out in (a temporary
    worktree, ``checkout``), which would put the state key somewhere else on
    every run. A directory outside both is named by its own name.
    """
    absolute = Path(directory).resolve()
    work_tree = find_work_tree(str(absolute))
    base = Path(work_tree) if work_tree is not None else Path.cwd().resolve()
    try:
        relative = PurePosixPath(absolute.relative_to(base).as_posix())
    except ValueError:
        return absolute.name
    return str(relative)


def _facts(
    module: ModuleFiles,
    options: RunOptions,
    request: Request,
    snapshots: dict[str, FileSnapshot],
    unreadable: list[Problem],
) -> ModuleFacts:
    fixing = not isinstance(request, CheckRequest) or request.attach_fixes
    if not fixing:
        return ModuleFacts(context_only=options.context_only, unreadable=tuple(unreadable))
    override_path = str(Path(module.directory) / OVERRIDE_NAME)
    existing = None
    if override_path not in snapshots and os.path.lexists(override_path):
        # Git ignores it, so the walk did not list it; the mode must still see it.
        try:
            snapshots[override_path] = read_file(override_path)
            existing = snapshots[override_path].data.decode("utf-8", "replace")
        except ReadError:
            existing = ""
    fix = options.fix
    ignored = (
        git_ignores(Path(module.directory) / OVERRIDE_NAME)
        if fix is not None and fix.mode is Mode.OVERRIDE
        else None
    )
    readme = None
    if fix is not None and fix.readme:
        readme_path = str(Path(module.directory) / README_NAME)
        if os.path.lexists(readme_path):
            try:
                snapshot = read_file(readme_path)
                readme = decode(snapshot.data, readme_path)
                snapshots[readme_path] = snapshot
            except (ReadError, ParseError) as error:
                unreadable.append(Problem(readme_path, f"{error}; README not updated"))
    return ModuleFacts(
        module_path=module_path(module.directory),
        existing_override=existing,
        override_ignored=ignored,
        readme=readme,
        context_only=options.context_only,
        unreadable=tuple(unreadable),
    )


def _root_for(path: str, roots: Sequence[str]) -> str:
    real = os.path.realpath(path)
    for root in roots:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return root if os.path.isdir(root) else os.path.dirname(root)
    return os.path.dirname(real)


def _write(
    results: Sequence[FileResult], snapshots: Mapping[str, FileSnapshot], roots: Sequence[str]
) -> tuple[tuple[FileResult, ...], tuple[Problem, ...]]:
    written: list[FileResult] = []
    problems: list[Problem] = []
    for result in results:
        try:
            if result.old_text is None:
                assert result.new_text is not None
                create_file(
                    result.path,
                    result.new_text.encode("utf-8"),
                    root=_root_for(os.path.dirname(result.path) or ".", roots),
                )
            elif result.new_text is not None:
                write_atomic(
                    snapshots[result.path],
                    result.new_text.encode("utf-8"),
                    root=_root_for(result.path, roots),
                )
            else:
                raise WriteError(result.path, "deleting files is not supported")
        except WriteError as error:
            problems.append(Problem(str(error.path), error.reason))
            continue
        written.append(replace(result, written=True))
    return tuple(written), tuple(problems)


# -- summing a run up ---------------------------------------------------------------------------


@dataclass
class RunTally:
    """What a run did, summed over its modules: for the CLI's summary and the bot's outcome.

    Feed it every :class:`ModuleResult` with :meth:`add`; it keeps problems,
    warnings, findings, applied and skipped fixes, changed files and the
    directories of changed modules, in run order.
    """

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    applied: list[Finding] = field(default_factory=list)
    skipped: list[SkippedFix] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    changed_modules: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, runner: Runner) -> RunTally:
        """A tally that starts with ``runner``'s discovery problems."""
        return cls(problems=list(runner.problems))

    def add(self, result: ModuleResult) -> ModuleResult:
        """Count ``result`` in; returns it, so a loop can render it on the way."""
        self.problems.extend(result.problems)
        self.warnings.extend(result.warnings)
        self.findings.extend(result.findings)
        self.applied.extend(result.applied)
        self.skipped.extend(result.skipped)
        self.files.extend(result.files)
        if result.files:
            self.changed_modules.append(result.directory)
        return result
