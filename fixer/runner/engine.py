"""Running checks and fixes over a tree of files, module by module.

The engine discovers candidate files, groups them into modules, and for each
module reads the bytes, skips it at once when no file can hold a backend or
cloud block, parses what matters, builds the module view, runs the rules and,
when fixing, plans the edits and puts every change through the safety nets of
DESIGN.md (exact round trip, output parses, second run changes nothing, edits
inside the declared blocks, encoding kept) before writing atomically. Modules
are processed in worker processes when there are many; results stream back in
order and carry file texts only for files that change.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from fixer.edits import Edit, apply_edits, changes_confined
from fixer.rules.base import FileChange, Finding
from fixer.rules.registry import check_module, selected_rules
from fixer.runner.discovery import (
    DiscoveredFile,
    discover,
    find_work_tree,
    git_ignores,
    is_candidate,
)
from fixer.runner.files import (
    FileSnapshot,
    ReadError,
    WriteError,
    create_file,
    display_path,
    read_file,
    write_atomic,
)
from fixer.syntax import ConfigFile, ParseError, decode, parse
from fixer.terraform import ModuleFiles, ModuleView, build_module_view, group_into_modules

if TYPE_CHECKING:
    from fixer.fixes.plan import FixOptions, ModuleContext, SkippedFix

# The fix layer, pathspec and process pools load on first use: a check of a
# small tree should not pay their import time (about 70 ms of a 0.2 s start).

_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_JSON_KEY_END = re.compile(rb'"\s*:')


class _WordHint:
    r"""Does a file hold one of some words as a block (``word`` then what follows) or a JSON key?

    It answers as the regex ``\bWORD FOLLOWS|"WORD"\s*:`` would, but ten times
    faster: ``bytes.find`` jumps to each occurrence of the word and a short
    match checks what follows, where the regex, starting with ``\b``, tried
    every byte of every file (1.7 s of a 7.5 s check on 20,000 files).
    """

    def __init__(self, *pairs: tuple[bytes, bytes]) -> None:
        self._pairs = tuple((word, re.compile(follows)) for word, follows in pairs)

    def search(self, data: bytes) -> bool:
        for word, follows in self._pairs:
            find = data.find
            index = find(word)
            while index >= 0:
                end = index + len(word)
                if index == 0 or data[index - 1] not in _WORD_BYTES:
                    if follows.match(data, end):
                        return True
                    # 0x22 is '"': a JSON key.
                    if index and data[index - 1] == 0x22 and _JSON_KEY_END.match(data, end):
                        return True
                index = find(word, index + 1)
        return False


# Bytes that can start a backend or cloud block (native syntax or JSON). Files
# of a module without any are never parsed.
_BACKEND_HINT = _WordHint((b"backend", rb'\s*"'), (b"cloud", rb"\s*\{"))
# Bytes of what the module view reads besides backends: terraform blocks
# (required_version, encryption), AWS providers, variables. Other files of a
# candidate module (resources, outputs) are not parsed either.
_VIEW_HINT = _WordHint(
    (b"terraform", rb"\s*\{"), (b"provider", rb'\s*"aws"'), (b"variable", rb'\s*"')
)
# A check only needs the region variables (for its notes); fixing needs every
# variable default a backend expression may use.
_CHECK_VIEW_HINT = _WordHint(
    (b"terraform", rb"\s*\{"), (b"provider", rb'\s*"aws"'), (b"variable", rb'\s*"(?:aws_)?region"')
)
# When every backend of the module names its region, a check needs no provider
# or variable at all: only the terraform blocks (required_version, encryption).
_TERRAFORM_HINT = _WordHint((b"terraform", rb"\s*\{"))
# A backend reading a local (allowed by OpenTofu 1.8) makes BF002 follow the
# locals, so their files are read too.
_LOCALS_HINT = _WordHint((b"locals", rb"\s*\{"))
_RESTORE_HINT = re.compile(rb"backend-fixer:begin local-state")

# The parser holds tens of bytes per byte of source and reads one or two MB a
# second: a hand-written file is kilobytes, one of many megabytes is generated,
# and parsing a 50 MB one took 40 s and 2.4 GB. Such a file, when it would have
# to be parsed, is reported instead; files without a backend are never parsed.
PARSE_SIZE_LIMIT = 8 * 1024 * 1024

_NATIVE_SUFFIXES = (".tf", ".tofu")
_JSON_SUFFIXES = (".tf.json", ".tofu.json")


@dataclass(frozen=True, slots=True)
class RunOptions:
    """What to run: paths, rule selection, dialect overrides and, when fixing, how."""

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
    # Let an unexpected exception out of process_module (for --debug) instead of
    # turning it into a problem of its module.
    raise_internal_errors: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """A file (or module) that could not be handled: ``path: message`` on one line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    @classmethod
    def of(cls, text: str) -> Problem:
        """Split a one-line ``path: message`` (as file and parse errors format them)."""
        path, _, message = text.partition(": ")
        return cls(path, message) if message else cls("", text)


@dataclass(frozen=True, slots=True)
class FileResult:
    """A file a fix changes (or would change): its path and both texts.

    ``old_text`` is None for a created file. ``written`` says whether it is on disk.
    """

    path: str
    old_text: str | None
    new_text: str
    written: bool = False


@dataclass(frozen=True, slots=True)
class ModuleResult:
    """Everything one module produced. ``problems`` are one-line errors (exit code 2)."""

    directory: str
    findings: tuple[Finding, ...] = ()
    files: tuple[FileResult, ...] = ()
    applied: tuple[Finding, ...] = ()
    skipped: tuple[SkippedFix, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    parsed: int = 0


# -- the run --------------------------------------------------------------------------------


class Runner:
    """One run over ``options.paths``. Discovery happens on construction.

    ``modules`` lists the modules found (for progress bars); ``problems`` the
    discovery problems; :meth:`results` streams one :class:`ModuleResult` per
    module, in directory order.
    """

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        # Validates --select/--ignore before any work (raises ValueError).
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
                self.problems.append(Problem.of(str(item)))
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
                yield process_module(module, self.options, self.roots)
            return
        chunks = [self.modules[i : i + chunk] for i in range(0, len(self.modules), chunk)]
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for batch in pool.map(
                _process_chunk, chunks, [self.options] * len(chunks), [self.roots] * len(chunks)
            ):
                yield from batch


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


def _problems(lines: Sequence[str]) -> tuple[Problem, ...]:
    return tuple(Problem.of(line) for line in lines)


def _process_chunk(
    modules: Sequence[ModuleFiles], options: RunOptions, roots: tuple[str, ...]
) -> list[ModuleResult]:
    return [process_module(module, options, roots) for module in modules]


# -- one module -----------------------------------------------------------------------------


@dataclass
class _Loaded:
    snapshots: dict[str, FileSnapshot] = field(default_factory=dict)
    trees: dict[str, ConfigFile] = field(default_factory=dict)
    json_docs: dict[str, Any] = field(default_factory=dict)
    # The texts of the JSON files in json_docs: complete mode edits them.
    json_texts: dict[str, str] = field(default_factory=dict)
    backend_configs: list[tuple[str, ConfigFile]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _read(path: str, loaded: _Loaded) -> FileSnapshot | None:
    try:
        snapshot = read_file(path)
    except ReadError as error:
        loaded.problems.append(str(error.problem))
        return None
    loaded.snapshots[path] = snapshot
    return snapshot


def _parse(path: str, snapshot: FileSnapshot, loaded: _Loaded) -> ConfigFile | None:
    if snapshot.size > PARSE_SIZE_LIMIT:
        loaded.problems.append(
            f"{display_path(path)}: too large to parse ({_mib(snapshot.size)}, "
            f"limit {_mib(PARSE_SIZE_LIMIT)}), skipped"
        )
        return None
    try:
        return parse(decode(snapshot.data, path), path)
    except ParseError as error:
        loaded.problems.append(str(error.with_path(path)))
        return None


def _parse_json(path: str, snapshot: FileSnapshot, loaded: _Loaded) -> None:
    """Read a ``.tf.json`` file into ``loaded.json_docs``, or say in one line why not."""
    shown = display_path(path)
    try:
        text = decode(snapshot.data, path)
        document = json.loads(text)
    except ParseError as error:
        loaded.problems.append(str(error))
        return
    except json.JSONDecodeError as error:
        loaded.problems.append(f"{shown}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}")
        return
    except RecursionError:
        # The C decoder stops at the interpreter's recursion limit (about 1,000 levels).
        loaded.problems.append(f"{shown}: JSON nested too deeply to read, skipped")
        return
    if not isinstance(document, dict):
        # Terraform says the same: the root of a JSON configuration is an object.
        loaded.problems.append(f"{shown}:1:1: the root of a JSON configuration must be an object")
        return
    loaded.json_docs[path] = document
    loaded.json_texts[path] = text


def _load(module: ModuleFiles, options: RunOptions) -> _Loaded | None:
    """Read the module; parse what the view needs. None when it holds no backend at all."""
    loaded = _Loaded()
    hint = _RESTORE_HINT if options.restore else _BACKEND_HINT
    data: dict[str, FileSnapshot] = {}
    for path in module.all_config_files:
        snapshot = _read(path, loaded)
        if snapshot is not None:
            data[path] = snapshot
    if not any(hint.search(s.data) for s in data.values()):
        return loaded if loaded.problems else None
    fixing = options.fix is not None or options.attach_fixes or options.restore
    if fixing:
        view_hint = _VIEW_HINT
    elif all(b"region" in d for d in (s.data for s in data.values()) if _BACKEND_HINT.search(d)):
        # Regions only feed BF001's notes on a missing region: none can be missing.
        view_hint = _TERRAFORM_HINT
    else:
        view_hint = _CHECK_VIEW_HINT
    backend_files = [s.data for s in data.values() if _BACKEND_HINT.search(s.data)]
    follow_locals = any(b"local." in d for d in backend_files)
    for path, snapshot in data.items():
        wanted = _BACKEND_HINT.search(snapshot.data) or view_hint.search(snapshot.data)
        if follow_locals and not wanted:
            wanted = _LOCALS_HINT.search(snapshot.data)
        if options.restore:
            wanted = wanted or _RESTORE_HINT.search(snapshot.data)
        if not wanted:
            continue
        if path.endswith(_JSON_SUFFIXES):
            _parse_json(path, snapshot, loaded)
        else:
            tree = _parse(path, snapshot, loaded)
            if tree is not None:
                loaded.trees[path] = tree
    for path in module.backend_config_files:
        snapshot = _read(path, loaded)
        if snapshot is not None:
            tree = _parse(path, snapshot, loaded)
            if tree is not None:
                loaded.backend_configs.append((path, tree))
    return loaded


def _view(
    module: ModuleFiles,
    loaded: _Loaded,
    options: RunOptions,
    trees: Mapping[str, ConfigFile] | None = None,
    json_docs: Mapping[str, Any] | None = None,
) -> ModuleView:
    return build_module_view(
        list((trees or loaded.trees).items()),
        directory=module.directory,
        backend_configs=loaded.backend_configs,
        json_files=list((json_docs or loaded.json_docs).items()),
        dialect=options.dialect,
        terraform_version=options.terraform_version,
    )


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def process_module(
    module: ModuleFiles, options: RunOptions, roots: Sequence[str] = ()
) -> ModuleResult:
    """Check (and, with ``options.fix``, fix) one module. Never raises for bad input.

    Nor for a bug: an unexpected exception becomes a one-line problem of this
    module and the run goes on with the others, unless
    ``options.raise_internal_errors`` asks for the exception itself.
    """
    try:
        return _process_module(module, options, roots)
    except Exception as error:
        if options.raise_internal_errors:
            raise
        detail = " ".join(str(error).split()) or "no details"
        return ModuleResult(
            module.directory,
            problems=(
                Problem(
                    module.directory,
                    f"internal error: {type(error).__name__}: {detail} (please report this)",
                ),
            ),
        )


def _process_module(
    module: ModuleFiles, options: RunOptions, roots: Sequence[str] = ()
) -> ModuleResult:
    loaded = _load(module, options)
    if loaded is None:
        return ModuleResult(module.directory)
    if not loaded.trees and not loaded.json_docs:
        return ModuleResult(module.directory, problems=_problems(loaded.problems))
    try:
        view = _view(module, loaded, options)
    except ValueError as error:
        return ModuleResult(
            module.directory,
            problems=(*_problems(loaded.problems), Problem(module.directory, str(error))),
        )
    if options.restore:
        return _restore(module, view, loaded, options, roots)
    rules = selected_rules(options.select, options.ignore)
    findings = [f for f in check_module(view, rules) if f.location.path not in options.context_only]
    base = ModuleResult(
        module.directory,
        findings=tuple(findings),
        problems=_problems(loaded.problems),
        parsed=len(loaded.trees),
    )
    if options.fix is None and not options.attach_fixes:
        return base
    if options.fix is not None and loaded.problems and findings:
        # The view lacks what the unread files say (a required_version, a second
        # backend, an override), so a fix planned from it could be wrong.
        count = len(loaded.problems)
        return replace(
            base,
            problems=(
                *base.problems,
                Problem(
                    module.directory,
                    f"not fixed: {count} of its files could not be read or parsed"
                    if count > 1
                    else "not fixed: one of its files could not be read or parsed",
                ),
            ),
        )
    from fixer.fixes.plan import FixOptions, plan_fixes

    fix_options = options.fix or FixOptions()
    context = _module_context(module, loaded, options, view)
    plan = plan_fixes(view, findings, fix_options, context)
    result = replace(
        base,
        findings=plan.findings,
        problems=(*base.problems, *(Problem(module.directory, e) for e in plan.errors)),
        warnings=plan.warnings,
    )
    if options.fix is None or plan.errors:
        # A mode that cannot finish changes nothing in the module, not even the
        # targeted fixes around it: half a fix is harder to review than none.
        return result
    files, problems = _finish(module, view, loaded, plan.changes, options, context, roots)
    if problems:
        return replace(result, problems=(*result.problems, *_problems(problems)))
    return replace(result, files=files, applied=plan.applied, skipped=plan.skipped)


def _module_path(directory: str) -> str:
    """The module's directory relative to its git work tree (or the current directory), POSIX style.

    A module at that root is named by its directory instead of ``.``, so a
    state key made from it still says which module it belongs to.
    """
    absolute = Path(directory).resolve()
    work_tree = find_work_tree(str(absolute))
    base = Path(work_tree) if work_tree is not None else Path.cwd().resolve()
    try:
        relative = PurePosixPath(absolute.relative_to(base).as_posix())
    except ValueError:
        return absolute.name
    return absolute.name if str(relative) == "." else str(relative)


def _module_context(
    module: ModuleFiles, loaded: _Loaded, options: RunOptions, view: ModuleView
) -> ModuleContext:
    from fixer.fixes.plan import OVERRIDE_NAME, README_NAME, ModuleContext
    from fixer.fixes.values import ValueSources

    override_path = str(Path(module.directory) / OVERRIDE_NAME)
    existing = None
    if os.path.exists(override_path):
        snapshot = loaded.snapshots.get(override_path)
        if snapshot is None:
            try:
                snapshot = read_file(override_path)
            except ReadError:
                snapshot = None
        existing = snapshot.data.decode("utf-8", "replace") if snapshot is not None else ""
    sources = ValueSources(
        sets=options.sets,
        backend_config=options.backend_config,
        backend_config_name=options.backend_config_name,
        templates=options.templates,
        module_path=_module_path(module.directory),
    )
    ignored = (
        git_ignores(Path(module.directory) / OVERRIDE_NAME)
        if options.fix and options.fix.mode == "override"
        else None
    )
    readme = None
    if options.fix is not None and options.fix.readme:
        readme_path = str(Path(module.directory) / README_NAME)
        if os.path.lexists(readme_path):
            try:
                snapshot = read_file(readme_path)
                readme = decode(snapshot.data, readme_path)
                loaded.snapshots[readme_path] = snapshot
            except (ReadError, ParseError) as error:
                loaded.problems.append(f"{readme_path}: {error}; README not updated")
    return ModuleContext(
        sources=sources,
        override_ignored=ignored,
        existing_override=existing,
        readme_text=readme,
        json_texts=loaded.json_texts,
    )


# -- applying and verifying -------------------------------------------------------------------


def _allowed_regions(view: ModuleView, path: str, text: str) -> list[tuple[int, int]]:
    """The spans a fix may touch in ``path``: the whole lines of its backend and cloud blocks."""
    from fixer.fixes.render import line_end, line_start

    regions = []
    for backend in view.backends:
        if backend.path == path and backend.block is not None:
            regions.append(
                (line_start(text, backend.block.start), line_end(text, backend.block.end))
            )
    return regions


def _verify_change(
    tree: ConfigFile, new: str, edits: Sequence[Edit], view: ModuleView
) -> tuple[str | None, ConfigFile | None]:
    """Run the safety nets on ``new``, the fixed text of ``tree``'s file.

    Returns (the first net it fails as a message, None) or (None, the parsed new text).
    """
    path, old = tree.path or "", tree.text
    position = 0
    for token in tree.tokens():
        if token.start < position or old[token.start : token.end] != token.value:
            return "the original does not round-trip exactly", None
        position = token.end
    if not changes_confined(old, new, edits):
        return "the change reaches outside the edits the fix declared", None
    regions = _allowed_regions(view, path, old)
    for edit in edits:
        if not any(start <= edit.start and edit.end <= end for start, end in regions):
            return f"an edit at offset {edit.start} lies outside the backend block", None
    if old.startswith("\ufeff") != new.startswith("\ufeff"):
        return "the byte order mark would change", None
    try:
        return None, parse(new, path)
    except ParseError as error:
        return f"the fixed text does not parse ({error.line}:{error.column}: {error.message})", None


def _verify_json_change(
    path: str, old: str, new: str, edits: Sequence[Edit], view: ModuleView
) -> str | None:
    """The safety nets for an edited ``.tf.json``: confined, loads, only the backend completed."""
    from fixer.fixes.json_edit import verify_completion

    if not changes_confined(old, new, edits):
        return "the change reaches outside the edits the fix declared"
    types = {b.type for b in view.backends if b.path == path and b.block is None}
    if len(types) != 1:
        return "the backend it edits cannot be told apart"
    return verify_completion(old, new, types.pop())


def _finish(
    module: ModuleFiles,
    view: ModuleView,
    loaded: _Loaded,
    changes: Sequence[FileChange],
    options: RunOptions,
    context: ModuleContext,
    roots: Sequence[str],
) -> tuple[tuple[FileResult, ...], tuple[str, ...]]:
    """Apply ``changes`` in memory, run the safety nets, then write (with ``options.write``).

    All or nothing per module: if any file fails a check, nothing is written
    and the problems say why.
    """
    from fixer.fixes.plan import README_NAME
    from fixer.fixes.readme import BEGIN as README_BEGIN

    results: list[FileResult] = []
    problems: list[str] = []
    new_trees = dict(loaded.trees)
    new_docs = dict(loaded.json_docs)
    for change in changes:
        if change.creates:
            text = apply_edits("", change.edits)
            try:
                parse(text, change.path)
            except ParseError as error:
                problems.append(
                    f"{change.path}: generated file does not parse: {error.message}; not written"
                )
            results.append(FileResult(change.path, None, text))
            continue
        if change.path.endswith(README_NAME) and change.path not in loaded.trees:
            old = context.readme_text or ""
            new = apply_edits(old, change.edits)
            if not changes_confined(old, new, change.edits) or new.count(README_BEGIN) != 1:
                problems.append(
                    f"{change.path}: the README section could not be placed; not written"
                )
            else:
                results.append(FileResult(change.path, old, new))
            continue
        if change.path in loaded.json_texts:
            old = loaded.json_texts[change.path]
            new = apply_edits(old, change.edits)
            failure = _verify_json_change(change.path, old, new, change.edits, view)
            if failure is not None:
                problems.append(f"{change.path}: {failure}; not written")
                continue
            new_docs[change.path] = json.loads(new)
            results.append(FileResult(change.path, old, new))
            continue
        tree = loaded.trees[change.path]
        new = apply_edits(tree.text, change.edits)
        failure, new_tree = _verify_change(tree, new, change.edits, view)
        if new_tree is None:
            problems.append(f"{change.path}: {failure}; not written")
            continue
        new_trees[change.path] = new_tree
        results.append(FileResult(change.path, tree.text, new))
    if problems:
        return (), tuple(problems)
    if results and options.fix is not None:
        problem = _second_run_changes(
            module, loaded, new_trees, options, context, results, new_docs
        )
        if problem:
            return (), (problem,)
    if options.write:
        return _write(results, loaded, roots)
    return tuple(results), ()


def _second_run_changes(
    module: ModuleFiles,
    loaded: _Loaded,
    trees: Mapping[str, ConfigFile],
    options: RunOptions,
    context: ModuleContext,
    results: Sequence[FileResult],
    json_docs: Mapping[str, Any] | None = None,
) -> str | None:
    """Run rules and planner again on the fixed texts: they must find nothing to change."""
    from fixer.fixes.plan import OVERRIDE_NAME, plan_fixes

    assert options.fix is not None
    created = {r.path: r.new_text for r in results if r.old_text is None}
    trees = dict(trees)
    for path, text in created.items():
        if path.endswith(_NATIVE_SUFFIXES):
            trees[path] = parse(text, path)
    view = _view(module, loaded, options, trees, json_docs)
    findings = check_module(view, selected_rules(options.select, options.ignore))
    texts = {r.path: r.new_text for r in results if r.path in loaded.json_texts}
    again = plan_fixes(
        view,
        findings,
        options.fix,
        replace(
            context,
            existing_override=created.get(
                str(Path(module.directory) / OVERRIDE_NAME), context.existing_override
            ),
            json_texts={**loaded.json_texts, **texts},
        ),
    )
    if again.changes:
        paths = ", ".join(sorted({c.path for c in again.changes}))
        return f"{module.directory}: a second run would change {paths} again; nothing was written"
    return None


def _root_for(path: str, roots: Sequence[str]) -> str:
    real = os.path.realpath(path)
    for root in roots:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return root if os.path.isdir(root) else os.path.dirname(root)
    return os.path.dirname(real)


def _write(
    results: Sequence[FileResult], loaded: _Loaded, roots: Sequence[str]
) -> tuple[tuple[FileResult, ...], tuple[str, ...]]:
    written: list[FileResult] = []
    problems: list[str] = []
    for result in results:
        try:
            if result.old_text is None:
                create_file(
                    result.path,
                    result.new_text.encode("utf-8"),
                    root=_root_for(os.path.dirname(result.path) or ".", roots),
                )
            else:
                snapshot = loaded.snapshots[result.path]
                write_atomic(
                    snapshot, result.new_text.encode("utf-8"), root=_root_for(result.path, roots)
                )
        except WriteError as error:
            problems.append(str(error))
            continue
        written.append(replace(result, written=True))
    return tuple(written), tuple(problems)


# -- restore -------------------------------------------------------------------------------------


def _restore(
    module: ModuleFiles,
    view: ModuleView,
    loaded: _Loaded,
    options: RunOptions,
    roots: Sequence[str],
) -> ModuleResult:
    """Undo comment mode in every file of the module; with ``sets``, complete the result."""
    from fixer.fixes.comment import find_commented_regions, restored_text
    from fixer.fixes.plan import FixOptions, plan_fixes

    results: list[FileResult] = []
    problems = list(loaded.problems)
    trees = dict(loaded.trees)
    for path, tree in loaded.trees.items():
        if not find_commented_regions(tree.text):
            continue
        try:
            new = restored_text(tree.text)
        except ParseError as error:
            problems.append(
                f"{path}: the restored block does not parse ({error.line}:{error.column}: {error.message}); not written"
            )
            continue
        if new is not None:
            trees[path] = parse(new, path)
            results.append(FileResult(path, tree.text, new))
    if results and options.sets:
        restored_view = _view(module, loaded, options, trees)
        findings = check_module(restored_view, selected_rules(options.select, options.ignore))
        context = _module_context(module, loaded, options, restored_view)
        plan = plan_fixes(restored_view, findings, FixOptions(mode="complete"), context)
        problems.extend(f"{module.directory}: {e}" for e in plan.errors)
        by_path = {r.path: r for r in results}
        for change in plan.changes:
            if change.creates or change.path not in by_path:
                continue
            current = by_path[change.path]
            by_path[change.path] = replace(
                current, new_text=apply_edits(current.new_text, change.edits)
            )
        results = list(by_path.values())
    if problems:
        return ModuleResult(module.directory, problems=_problems(problems))
    if options.write:
        written, write_problems = _write(results, loaded, roots)
        return ModuleResult(module.directory, files=written, problems=_problems(write_problems))
    return ModuleResult(module.directory, files=tuple(results))
