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

import difflib
import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from fixer.fixes.plan import OVERRIDE_NAME, README_NAME, FixOptions, SkippedFix
from fixer.pipeline import (
    BackendValues,
    CheckRequest,
    EnableRequest,
    FileResult,
    FixRequest,
    Judgement,
    ModuleFacts,
    ModuleInput,
    ModuleResult,
    NextStep,
    Problem,
    Request,
    RestoreRequest,
    process_module,
)
from fixer.rules.base import Finding, Mode, Source
from fixer.rules.catalog import selected_rules
from fixer.runner.context import ContextIndex
from fixer.runner.discovery import (
    DiscoveredFile,
    Exclusion,
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
    delete_file,
    read_file,
    write_atomic,
)
from fixer.syntax import ParseError, decode, parse_bytes
from fixer.terraform import (
    ModuleFiles,
    argument_names,
    backend_config_constants,
    group_into_modules,
    parse_constraints,
    parse_dialect,
)
from fixer.terraform.init_context import DeclaredInit, ModuleInits, might_be_init_context
from fixer.terraform.module import is_backend_config_file, is_config_file

__all__ = [
    "FileResult",
    "ModuleResult",
    "PerFileIgnore",
    "Problem",
    "RunOptions",
    "RunTally",
    "Runner",
    "check_options",
    "read_backend_config",
    "run_module",
]


@dataclass(frozen=True, slots=True)
class PerFileIgnore:
    """Rules switched off for the files a pattern matches (the config file's ``per-file-ignores``).

    ``pattern`` is gitignore-style, relative to ``base`` (the config file's
    directory); ``rules`` are codes, names or code prefixes, as ``--ignore`` takes.
    """

    base: str
    pattern: str
    rules: tuple[str, ...]

    def codes(self) -> frozenset[str]:
        """The codes ``rules`` name. Raises ValueError for a key that names no rule."""
        return frozenset(rule.info.code for rule in selected_rules(self.rules))

    def matches(self, path: str) -> bool:
        """Whether ``path`` (absolute, or relative to the current directory) is one it names."""
        return Exclusion(self.base, (self.pattern,)).excludes(path)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What to run over which paths: rule selection, dialect overrides and, when fixing, how.

    ``fix`` set means fixing (``write`` applies); ``restore`` undoes what
    fixes wrote (``discard_edits`` even over a person's edits); ``enable``
    turns comment mode's block on; none of them means checking
    (``attach_fixes`` attaches the fixes a fix would plan, for reports).
    :meth:`request` is what the pipeline gets.
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
    # False: the attached fixes are only counted or described (see CheckRequest).
    exact_fixes: bool = True
    restore: bool = False
    discard_edits: bool = False
    enable: bool = False
    sets: Mapping[str, str] = field(default_factory=dict)
    backend_config: Mapping[str, Any] = field(default_factory=dict)
    backend_config_name: str = "--backend-config"
    templates: Mapping[str, str] = field(default_factory=dict)
    # Files read only to complete the module of a named file: never reported or changed.
    context_only: frozenset[str] = frozenset()
    # Named files stand for their whole modules: the other files of their
    # directories are reported and fixed too (pre-commit names the staged files).
    whole_module: bool = False
    # The text of the one file to check, read from standard input by the CLI (an
    # editor's buffer), and the path it stands for: its module is the files beside
    # that path on disk, when the directory exists. Nothing is written for it.
    stdin: bytes | None = None
    stdin_filename: str | None = None
    # Paths not walked (the config file's exclude, --exclude); named files too with
    # force_exclude. Rules switched off per file (per-file-ignores).
    exclude: tuple[Exclusion, ...] = ()
    force_exclude: bool = False
    per_file_ignores: tuple[PerFileIgnore, ...] = ()

    @property
    def stdin_path(self) -> str | None:
        """The path the standard-input text is checked as (``stdin.tf`` without a name)."""
        if self.stdin is None:
            return None
        return os.path.normpath(self.stdin_filename) if self.stdin_filename else STDIN_NAME

    # Let an unexpected exception out of the pipeline (for --debug) instead of
    # turning it into a problem of its module.
    raise_internal_errors: bool = False
    # Read how the repository runs init (pipelines, Makefiles...) and judge each
    # backend with it; off, every block is judged alone.
    init_context: bool = True
    declared_inits: tuple[DeclaredInit, ...] = ()

    def request(self) -> Request:
        """The pipeline request these options describe."""
        judgement = Judgement(self.select, self.ignore, self.dialect, self.terraform_version)
        values = BackendValues(
            self.sets, self.backend_config, self.backend_config_name, self.templates
        )
        if self.restore:
            return RestoreRequest(judgement, values, self.discard_edits)
        if self.enable:
            return EnableRequest(judgement)
        if self.fix is not None:
            return FixRequest(judgement, self.fix, values)
        return CheckRequest(
            judgement, self.attach_fixes, FixOptions(), values, exact_fixes=self.exact_fixes
        )


# The name standard input is checked under when no --stdin-filename is given: a
# .tf name, so the text is read as native syntax; no file of that name is read.
STDIN_NAME = "stdin.tf"


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


def check_options(options: RunOptions) -> None:
    """Refuse option values that would otherwise be ignored or misread.

    Raises ValueError (one line) for an unknown rule in ``select``/``ignore``,
    an unknown dialect, a ``terraform_version`` that is neither a version nor a
    constraint, and a ``--set`` or config ``[values]`` key that no backend type
    has (naming the one meant when it is close to one: a typo).
    """
    selected_rules(options.select, options.ignore)
    for entry in options.per_file_ignores:
        try:
            entry.codes()
        except ValueError as error:
            raise ValueError(f"per-file-ignores {entry.pattern!r}: {error}") from None
    if options.stdin is not None and options.write:
        raise ValueError("text read from standard input is never written back to a file")
    if options.dialect is not None and parse_dialect(options.dialect) is None:
        raise ValueError(
            f"unknown dialect {options.dialect!r}: expected terraform (tf) or opentofu (tofu)"
        )
    if options.terraform_version is not None:
        error = parse_constraints(options.terraform_version).error
        if error is not None:
            raise ValueError(
                f"invalid --terraform-version {options.terraform_version!r}: {error}; "
                "give a version (1.9.5) or a constraint (>= 1.10)"
            )
    known = sorted(argument_names())
    named = [(f"--set {key}", key) for key in options.sets]
    named += [(f"[values] {key} in the config file", key) for key in options.templates]
    for where, key in named:
        if key in known:
            continue
        # Written as given, it would be the "Unsupported argument" init stops on.
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
        meant = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{where}: no backend type has an argument {key!r}{meant}")


# -- the run --------------------------------------------------------------------------------


class Runner:
    """One run over ``options.paths``. Discovery happens on construction.

    ``modules`` lists the modules found (for progress bars); ``problems`` the
    discovery problems; ``warnings`` one-line notes on the run itself;
    :meth:`results` streams one :class:`ModuleResult` per module, in
    directory order. Raises ValueError for option values
    :func:`check_options` refuses.
    """

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        check_options(options)
        self._warnings: list[str] = []
        paths: list[str] = []
        explicit_dirs: set[str] = set()
        self.problems: list[Problem] = []
        reads_context = options.init_context and not (options.restore or options.enable)
        context_files: list[str] = []
        stdin_path = options.stdin_path
        if stdin_path is not None:
            # The one file is standard input; only a named file has a module on disk.
            paths.append(stdin_path)
            if options.stdin_filename and os.path.isdir(os.path.dirname(stdin_path) or "."):
                explicit_dirs.add(os.path.dirname(stdin_path))
        else:
            # One walk finds the Terraform files and, when the init context is read,
            # the pipeline files beside them.
            accept = (
                (lambda name, path: is_candidate(name) or might_be_init_context(name))
                if reads_context
                else None
            )
            found = discover(
                options.paths,
                honour_gitignore=options.honour_gitignore,
                accept=accept,
                exclude=options.exclude,
                force_exclude=options.force_exclude,
            )
            for item in found:
                if isinstance(item, DiscoveredFile):
                    name = item.path.name
                    if reads_context and might_be_init_context(name) and not item.explicit:
                        context_files.append(str(item.path))
                    if not is_candidate(name) and not item.explicit:
                        continue
                    paths.append(str(item.path))
                    if item.explicit:
                        explicit_dirs.add(str(item.path.parent))
                else:
                    self.problems.append(_file_problem(item))
            self._warnings.extend(_empty_paths(options.paths, paths, self.problems))
        context = _module_siblings(explicit_dirs, set(paths))
        if options.exclude:
            # An excluded file is left out, as a walk over its directory leaves it out.
            context = [p for p in context if not any(e.excludes(p) for e in options.exclude)]
        if context and options.whole_module:
            paths.extend(context)
            context = []
        if context:
            # Named files (pre-commit passes the staged ones) are judged with
            # their whole module, but only they are reported and fixed.
            self.options = options = replace(options, context_only=frozenset(context))
        self.modules: tuple[ModuleFiles, ...] = group_into_modules([*paths, *context])
        self.roots = tuple(os.path.realpath(p) for p in options.paths)
        self.contexts = ContextIndex(self.roots, options.declared_inits, options.honour_gitignore)
        self.reads_context = reads_context
        if reads_context and len(options.paths) == 1 and os.path.isdir(options.paths[0]):
            self.contexts.walked(options.paths[0], context_files)

    @property
    def warnings(self) -> list[str]:
        """One-line warnings known once the run is set up: option values, paths
        without Terraform files."""
        return list(self._warnings)

    @property
    def context_warnings(self) -> list[str]:
        """Pipeline files the init context could not read: known once the modules
        under them were processed."""
        return [str(w) for w in self.contexts.warnings]

    def inits_for(self, module: ModuleFiles) -> ModuleInits | None:
        """The inits that reach ``module`` (None when the init context is not read)."""
        if not self.reads_context:
            return None
        return self.contexts.for_module(module.directory)

    def results(self) -> Iterator[ModuleResult]:
        jobs = max(1, self.options.jobs)
        # Worker processes cost an interpreter start each: only worth it for many modules.
        chunk = 32
        if jobs == 1 or len(self.modules) < chunk * 2:
            for module in self.modules:
                yield self._shown(
                    run_module(module, self.options, self.roots, self.inits_for(module))
                )
            return
        work = [(module, self.inits_for(module)) for module in self.modules]
        chunks = [work[i : i + chunk] for i in range(0, len(work), chunk)]
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for batch in pool.map(
                _run_chunk, chunks, [self.options] * len(chunks), [self.roots] * len(chunks)
            ):
                yield from (self._shown(result) for result in batch)

    def _shown(self, result: ModuleResult) -> ModuleResult:
        """``result`` with the paths of its findings' sources as the user's paths are shown.

        The init context names files relative to the repository root; findings
        name theirs as the walk found them (relative to where the user ran).
        """
        if not self.reads_context or not any(f.sources for f in result.findings):
            return result
        root = self.contexts.root_of(result.directory)

        def shown(source: Source) -> Source:
            if source.line < 1:
                return source  # a declared init: its path is a label
            return replace(source, path=os.path.relpath(os.path.join(root, source.path)))

        return replace(
            result,
            findings=tuple(
                replace(f, sources=tuple(shown(s) for s in f.sources)) if f.sources else f
                for f in result.findings
            ),
        )


def _empty_paths(
    named: Sequence[str], found: Sequence[str], problems: Sequence[Problem]
) -> list[str]:
    """Warnings for named paths under which no Terraform configuration file was found.

    A path that does not exist is a problem already; a directory without any
    (or whose every one is ignored or excluded) and a named file that is not one
    get a warning, so that an empty or mistyped path does not read as clean.
    """
    configs = {path for path in found if is_config_file(path) or is_backend_config_file(path)}
    missing = {problem.path for problem in problems}
    warnings = []
    for name in named:
        if name in missing or not os.path.exists(name):
            continue
        if os.path.isdir(name):
            # Discovered paths went through Path, which drops "./" and doubled separators.
            top = os.path.normpath(name)
            inside = (
                (lambda path: not path.startswith(".." + os.sep) and not os.path.isabs(path))
                if top == "."
                else (lambda path, prefix=top + os.sep: path.startswith(prefix))
            )
            if not any(inside(os.path.normpath(path)) for path in configs):
                warnings.append(f"no Terraform files found under {name}")
        elif str(Path(name)) not in configs:
            warnings.append(
                f"{name} is not a Terraform configuration file (.tf, .tf.json, .tofu, .tofu.json)"
            )
    return warnings


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
    work: Sequence[tuple[ModuleFiles, ModuleInits | None]],
    options: RunOptions,
    roots: tuple[str, ...],
) -> list[ModuleResult]:
    return [run_module(module, options, roots, inits) for module, inits in work]


# -- one module: read, gather facts, process, write --------------------------------------------


def run_module(
    module: ModuleFiles,
    options: RunOptions,
    roots: Sequence[str] = (),
    inits: ModuleInits | None = None,
) -> ModuleResult:
    """Read one module, run the pipeline on it and, with ``options.write``, write its changes.

    ``inits`` is the module's init context, read by the :class:`Runner` once for
    the whole run. Never raises for bad input; see
    :func:`fixer.pipeline.process_module`.
    """
    snapshots: dict[str, FileSnapshot] = {}
    unreadable: list[Problem] = []
    for path in (*module.all_config_files, *module.backend_config_files):
        if options.stdin is not None and path == options.stdin_path:
            snapshots[path] = _stdin_snapshot(path, options.stdin)
            continue
        try:
            snapshots[path] = read_file(path)
        except ReadError as error:
            unreadable.append(_file_problem(error.problem))
    request = options.request()
    warnings: list[str] = []
    facts = replace(_facts(module, options, request, snapshots, unreadable, warnings), inits=inits)
    if warnings and isinstance(request, FixRequest) and request.fix.readme:
        # The README exists but cannot be read (the only warning _facts gives):
        # the fix goes on without its section rather than write a new README.
        request = replace(request, fix=replace(request.fix, readme=False))
    contents = {path: snapshot.data for path, snapshot in snapshots.items()}
    result = process_module(
        ModuleInput(module, contents, facts),
        request,
        raise_internal_errors=options.raise_internal_errors,
    )
    if warnings:
        result = replace(result, warnings=(*warnings, *result.warnings))
    if not options.write or not result.files:
        return result
    written, problems = _write(result.files, snapshots, roots)
    return replace(result, files=written, problems=(*result.problems, *problems))


def _stdin_snapshot(path: str, data: bytes) -> FileSnapshot:
    """Standard input as a snapshot of ``path``: never written back, so no identity on disk."""
    return FileSnapshot(
        Path(path), data, len(data), 0, hashlib.sha256(data).hexdigest(), 0o100644, 0, 0, 0, 0
    )


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


# Where init keeps a working directory's settings, and where local state lives:
# the facts that decide which init a changed backend needs next.
_WORKING_DIRECTORY = ".terraform"
_LOCAL_STATE = "terraform.tfstate"


def _facts(
    module: ModuleFiles,
    options: RunOptions,
    request: Request,
    snapshots: dict[str, FileSnapshot],
    unreadable: list[Problem],
    warnings: list[str],
) -> ModuleFacts:
    fixing = not isinstance(request, CheckRequest) or (request.attach_fixes and request.exact_fixes)
    ignored_codes = _ignored_codes(module, options)
    if not fixing:
        return ModuleFacts(
            context_only=options.context_only,
            unreadable=tuple(unreadable),
            ignored_codes=ignored_codes,
        )
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
    # Restore takes the README section out again, enable rewrites it.
    wants_readme = (fix is not None and fix.readme) or isinstance(
        request, RestoreRequest | EnableRequest
    )
    if wants_readme:
        readme_path = str(Path(module.directory) / README_NAME)
        if os.path.lexists(readme_path):
            try:
                snapshot = read_file(readme_path)
                readme = decode(snapshot.data, readme_path)
                snapshots[readme_path] = snapshot
            except (ReadError, ParseError) as error:
                if fix is not None:
                    # --readme never makes a fix fail: the fix goes on without the section.
                    warnings.append(f"{error}; README not updated")
                else:
                    unreadable.append(Problem(readme_path, f"{error}; README not changed"))
    directory = Path(module.directory)
    return ModuleFacts(
        module_path=module_path(module.directory),
        existing_override=existing,
        override_ignored=ignored,
        readme=readme,
        context_only=options.context_only,
        unreadable=tuple(unreadable),
        initialised=(directory / _WORKING_DIRECTORY).is_dir(),
        local_state=(directory / _LOCAL_STATE).is_file(),
        ignored_codes=ignored_codes,
    )


def _ignored_codes(module: ModuleFiles, options: RunOptions) -> dict[str, frozenset[str]]:
    """Per file of ``module``, the rule codes ``per-file-ignores`` switch off there."""
    if not options.per_file_ignores:
        return {}
    ignored: dict[str, frozenset[str]] = {}
    for path in module.all_config_files:
        codes = frozenset().union(
            *(entry.codes() for entry in options.per_file_ignores if entry.matches(path))
        )
        if codes:
            ignored[path] = codes
    return ignored


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
                delete_file(snapshots[result.path], root=_root_for(result.path, roots))
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
    next_steps: list[NextStep] = field(default_factory=list)
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
        self.next_steps.extend(result.next_steps)
        self.findings.extend(result.findings)
        self.applied.extend(result.applied)
        self.skipped.extend(result.skipped)
        self.files.extend(result.files)
        if result.files:
            self.changed_modules.append(result.directory)
        return result
