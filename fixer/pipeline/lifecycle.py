"""The rest of a fix's life: ``restore`` undoes it, ``enable`` finishes comment mode.

Restore undoes everything ``fix --write`` recorded in a module: comment-mode
regions (:mod:`fixer.fixes.comment`), the records of fixes to active blocks
(:mod:`fixer.fixes.undo`), the ``backend_override.tf`` override mode wrote
(recognised by its exact text; a person's override file is never touched) and
the README section (:mod:`fixer.fixes.readme`). It refuses, naming the lines,
whatever a person edited since, unless told to discard the edits. Enable turns
a commented block, as a person filled it in, into the active backend, and
checks the result with every init-breaking rule. Both go through the same
nets as a fix. :func:`next_steps` says which ``init`` a changed backend needs.
Pure: the runner reads before and writes after.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from fixer.edits import Edit, apply_edits
from fixer.fixes.comment import scan_regions
from fixer.fixes.completion import PLACEHOLDER
from fixer.fixes.plan import OVERRIDE_NAME, README_NAME, override_origin
from fixer.fixes.readme import readme_edit, readme_section, remove_section
from fixer.fixes.render import line_end, line_start
from fixer.fixes.undo import has_marks, undo_block, undoable
from fixer.pipeline.load import JSON_SUFFIXES, Loaded, load, view_of
from fixer.pipeline.outcome import FileResult, ModuleResult, NextStep, Problem
from fixer.pipeline.request import (
    EnableRequest,
    FixRequest,
    Judgement,
    ModuleFacts,
    ModuleInput,
    RestoreRequest,
)
from fixer.pipeline.safety import Span, check_native_change
from fixer.rules.base import Category, Finding, Mode, Severity
from fixer.rules.catalog import selected_rules
from fixer.rules.check import check_module
from fixer.syntax import Block, ConfigFile, backend_blocks, cloud_blocks, parse
from fixer.terraform import (
    LOCAL_BACKEND,
    BackendBlock,
    ModuleView,
    Role,
    required_arguments,
    role_argument,
)

__all__ = ["Restored", "enable_module", "next_steps", "restore_module", "view_after"]

_NATIVE_SUFFIXES = (".tf", ".tofu")


@dataclass(frozen=True, slots=True)
class Restored:
    """A restore's outcome, and the parsed trees of the files it changed (for ``--set``)."""

    result: ModuleResult
    trees: Mapping[str, ConfigFile] = field(default_factory=dict)


def _findings(module: ModuleInput, view: ModuleView, judgement: Judgement) -> list[Finding]:
    rules = selected_rules(judgement.select, judgement.ignore)
    skipped = module.facts.context_only
    return [f for f in check_module(view, rules) if f.location.path not in skipped]


def _loaded_for_view(module: ModuleInput, loaded: Loaded | None, judgement: Judgement) -> Loaded:
    """``loaded``, or the module parsed as a fix would, when the pre-filter skipped it."""
    if loaded is not None:
        return loaded
    return load(module, FixRequest(judgement)) or Loaded()


def view_after(
    module: ModuleInput,
    loaded: Loaded,
    files: Sequence[FileResult],
    judgement: Judgement,
    trees: Mapping[str, ConfigFile] | None = None,
    json_texts: Mapping[str, str] | None = None,
) -> ModuleView:
    """The module view as ``files`` leave it (``trees``: those already parsed;
    ``json_texts``: the JSON files' new texts, for their spans)."""
    new_trees = dict(loaded.trees)
    docs: dict[str, Any] = dict(loaded.json_docs)
    for file in files:
        if file.new_text is None:
            new_trees.pop(file.path, None)
            docs.pop(file.path, None)
        elif trees is not None and file.path in trees:
            new_trees[file.path] = trees[file.path]
        elif file.path.endswith(_NATIVE_SUFFIXES) and (
            file.path in loaded.trees or file.old_text is None
        ):
            new_trees[file.path] = parse(file.new_text, file.path)
        elif file.path.endswith(JSON_SUFFIXES) and file.path in loaded.json_docs:
            docs[file.path] = json.loads(file.new_text)
    return view_of(module, loaded, judgement, new_trees, docs, json_texts)


# -- restore ----------------------------------------------------------------------------------


def _damaged(path: str, line: int, verb: str) -> Problem:
    return Problem(
        path,
        f"{verb} refused: the backend-fixer region that begins here has no end marker or no "
        "block after it, so it cannot be undone; take the file from version control",
        line,
    )


def _restore_tree(
    path: str, tree: ConfigFile, discard_edits: bool
) -> tuple[FileResult | None, ConfigFile | None, list[Problem], list[str]]:
    """Undo every record in one file: (result, its new tree, problems, warnings)."""
    text = tree.text
    scan = scan_regions(text)
    problems = [_damaged(path, line, "restore") for line in scan.damaged]
    warnings: list[str] = []
    edits: list[Edit] = []
    spans: list[Span] = []
    for region in scan.regions:
        undo = region.restore(discard_edits=discard_edits)
        if undo.text is None:
            problems.append(Problem(path, undo.problem or "restore refused", undo.line))
            continue
        edits.append(Edit(region.start, region.end, undo.text))
        spans.append((region.start, region.end))
    for block in _marked_blocks(tree):
        undone = undo_block(text, block, discard_edits=discard_edits)
        problems.extend(Problem(path, message, line) for line, message in undone.problems)
        warnings.extend(f"{path}:{line}: {message}" for line, message in undone.notes)
        if undone.edit is not None:
            edits.append(undone.edit)
            spans.append((line_start(text, block.start), line_end(text, block.end)))
    if problems or not edits:
        return None, None, problems, warnings
    new = apply_edits(text, edits)
    failure, new_tree = check_native_change(tree, new, edits, spans)
    if new_tree is None:
        return None, None, [Problem(path, f"restore refused: {failure}; not written")], warnings
    # A second restore finds nothing left of what this one undid. (A block that
    # comes back from a region may carry the record of an earlier fix: an older
    # layer, which the next restore peels off.)
    region_starts = {region.start for region in scan.regions}
    if scan_regions(new).regions or any(
        undoable(edit.new_text) for edit in edits if edit.start not in region_starts
    ):
        return (
            None,
            None,
            [Problem(path, "restore refused: a second restore would change it again; not written")],
            warnings,
        )
    return FileResult(path, text, new), new_tree, [], warnings


def _marked_blocks(tree: ConfigFile) -> list[Block]:
    return [b for b in (*backend_blocks(tree), *cloud_blocks(tree)) if has_marks(tree.text, b)]


def _existing_override(module: ModuleInput) -> tuple[str, str] | None:
    path = str(PurePath(module.directory) / OVERRIDE_NAME)
    data = module.contents.get(path)
    if data is not None:
        return path, data.decode("utf-8", "replace")
    if module.facts.existing_override is not None:
        return path, module.facts.existing_override
    return None


def restore_module(module: ModuleInput, loaded: Loaded | None, request: RestoreRequest) -> Restored:
    """Undo every fix recorded in ``module``; all or nothing (see the module docstring)."""
    directory = module.directory
    discard = request.discard_edits
    problems: list[Problem] = list(loaded.problems) if loaded is not None else []
    warnings: list[str] = []
    results: list[FileResult] = []
    restored: dict[str, ConfigFile] = {}
    # Files named on the command line (pre-commit passes the staged ones) are
    # undone alone: their siblings, the override file and the README are not.
    named_only = bool(module.facts.context_only)
    for path, tree in (loaded.trees if loaded is not None else {}).items():
        if path in module.facts.context_only:
            continue
        result, new_tree, failures, notes = _restore_tree(path, tree, discard)
        problems.extend(failures)
        warnings.extend(notes)
        if result is not None and new_tree is not None:
            results.append(result)
            restored[path] = new_tree
    override = None if named_only else _existing_override(module)
    if override is not None:
        path, text = override
        origin = override_origin(text)
        if origin == "ours" or (origin == "ours-edited" and discard):
            results.append(FileResult(path, text, None))
        elif origin == "ours-edited":
            problems.append(
                Problem(
                    path,
                    "restore refused: backend-fixer wrote this file but it was edited since; "
                    "`backend-fixer restore --discard-edits` deletes it anyway",
                )
            )
    readme = None if named_only else module.facts.readme
    if readme is not None:
        path = str(PurePath(directory) / README_NAME)
        removal = remove_section(readme, discard_edits=discard)
        if removal is not None and removal.problem is not None:
            problems.append(Problem(path, removal.problem, removal.line))
        elif removal is not None:
            results.append(FileResult(path, readme, None if removal.delete else removal.new_text))
    if problems:
        return Restored(ModuleResult(directory, problems=tuple(problems), warnings=tuple(warnings)))
    if not results:
        return Restored(ModuleResult(directory, warnings=tuple(warnings)))
    base = _loaded_for_view(module, loaded, request.judgement)
    steps: tuple[NextStep, ...] = ()
    try:
        before = view_of(module, base, request.judgement)
        after = view_after(module, base, results, request.judgement, restored)
        steps = next_steps(directory, before, after, module.facts)
    except ValueError:
        pass  # an unknown --dialect: reported by the check of the same run
    return Restored(
        ModuleResult(directory, files=tuple(results), warnings=tuple(warnings), next_steps=steps),
        restored,
    )


# -- enable --------------------------------------------------------------------------------------


def enable_module(
    module: ModuleInput, loaded: Loaded | None, request: EnableRequest
) -> ModuleResult:
    """Turn every commented block of ``module`` into its active backend, or say what is left.

    Refuses while a ``REPLACE_ME`` placeholder is left (naming each), when the
    result fails a net, or when any init-breaking rule finds the result
    wanting (naming the line as the file reads now). Never raises for bad input.
    """
    directory = module.directory
    if loaded is None:
        return ModuleResult(directory)
    problems: list[Problem] = list(loaded.problems)
    results: list[FileResult] = []
    new_trees: dict[str, ConfigFile] = {}
    line_maps: dict[str, list[tuple[int, int]]] = {}
    for path, tree in loaded.trees.items():
        if path in module.facts.context_only:
            continue
        text = tree.text
        scan = scan_regions(text)
        problems.extend(_damaged(path, line, "enable") for line in scan.damaged)
        if not scan.regions:
            continue
        edits: list[Edit] = []
        sources: list[tuple[int, int]] = []  # per new line: (line now, column shift)
        position, line = 0, 1
        for region in scan.regions:
            enabled = region.enable()
            for placeholder in enabled.placeholders:
                problems.append(
                    Problem(
                        path,
                        f"enable refused: `{placeholder.text}` still holds a {PLACEHOLDER} "
                        "placeholder; fill in the real value first",
                        placeholder.line,
                        placeholder.column,
                    )
                )
            # Lines before the region keep their numbers; the region's come from enable.
            count = text.count("\n", position, region.start)
            sources.extend((n, 0) for n in range(line, line + count))
            sources.extend(zip(enabled.sources, enabled.shifts, strict=True))
            line = region.first_line + len(region.lines)
            position = region.end
            edits.append(Edit(region.start, region.end, enabled.text))
        sources.extend((n, 0) for n in range(line, line + text.count("\n", position) + 1))
        new = apply_edits(text, edits)
        failure, new_tree = check_native_change(tree, new, edits, [(e.start, e.end) for e in edits])
        if new_tree is None:
            problems.append(Problem(path, f"enable refused: {failure}; not written"))
            continue
        results.append(FileResult(path, text, new))
        new_trees[path] = new_tree
        line_maps[path] = sources
    if problems or not results:
        return ModuleResult(directory, problems=tuple(problems))
    try:
        before = view_of(module, loaded, request.judgement)
        after = view_after(module, loaded, results, request.judgement, new_trees)
    except ValueError as error:
        return ModuleResult(directory, problems=(Problem(directory, str(error)),))
    findings = _findings(module, after, request.judgement)
    blocking = [
        f for f in findings if f.category is Category.INIT_BREAKING and f.severity is Severity.ERROR
    ]
    for finding in blocking:
        path = finding.location.path
        mapped = line_maps.get(path)
        line, column = finding.location.line, finding.location.column
        if mapped is not None and 0 < line <= len(mapped):
            line, shift = mapped[line - 1]
            column += shift
        problems.append(
            Problem(path, f"enable refused: {finding.code} {finding.message}", line, column)
        )
    if problems:
        return ModuleResult(directory, problems=tuple(problems))
    warnings = [
        f"{finding.location.path}: {finding.code} {finding.message} "
        "(`backend-fixer fix` shows what it can do about it)"
        for finding in findings
        if finding.severity is not Severity.INFO
    ]
    readme = None if module.facts.context_only else _enabled_readme(module, after)
    if readme is not None:
        results.append(readme)
    return ModuleResult(
        directory,
        findings=tuple(findings),
        files=tuple(results),
        warnings=tuple(warnings),
        next_steps=next_steps(directory, before, after, module.facts),
    )


def _enabled_readme(module: ModuleInput, view: ModuleView) -> FileResult | None:
    """The README section rewritten for the active backend, when the module has one."""
    text = module.facts.readme
    backend = view.effective_backend
    if text is None or backend is None or remove_section(text, discard_edits=True) is None:
        return None
    shown = {
        row.name
        for row in required_arguments(backend.type, view.dialect.dialect, view.version_range)
    }
    values: dict[str, object] = {
        name: arg.value.value
        for name, arg in backend.arguments.items()
        if name in shown and arg.value is not None
    }
    section = readme_section(
        Mode.COMPLETE,
        backend,
        PurePath(backend.path).name,
        values,
        view.dialect.dialect.command,
    )
    outcome = readme_edit(text, section)
    if outcome is None:
        return None
    edit, _ = outcome
    return FileResult(
        str(PurePath(module.directory) / README_NAME), text, apply_edits(text, [edit])
    )


# -- what to run next ---------------------------------------------------------------------------


def _settings(backend: BackendBlock | None) -> tuple[str, dict[str, str]]:
    """A backend as init sees it: its type (local state when there is none) and argument texts."""
    if backend is None:
        return LOCAL_BACKEND, {}
    values: dict[str, str] = {}
    for name, argument in backend.arguments.items():
        if argument.value is not None:
            values[name] = repr(argument.value.value)
        elif argument.node is not None:
            values[name] = " ".join(argument.node.text.split())
        else:
            values[name] = "?"
    return backend.type, values


def _location_names(view: ModuleView, backend_type: str) -> set[str]:
    """The arguments that say where the state lives: the required ones and the state key."""
    names = {
        row.name
        for row in required_arguments(backend_type, view.dialect.dialect, view.version_range)
    }
    key = role_argument(backend_type, Role.STATE_KEY)
    if key is not None:
        names.add(key.name)
    return names


def next_steps(
    directory: str, before: ModuleView, after: ModuleView, facts: ModuleFacts
) -> tuple[NextStep, ...]:
    """The ``init`` the module needs after its backend went from ``before`` to ``after``, and why.

    () when the backend did not change. Switching to local state asks for
    ``-reconfigure`` (the remote state stays where it is); a backend switched
    on over local state for ``-migrate-state``; changed settings at the same
    place for ``-reconfigure``, a changed place for ``-migrate-state``.
    """
    old_type, old = _settings(before.effective_backend)
    new_type, new = _settings(after.effective_backend)
    if (old_type, old) == (new_type, new):
        return ()
    command = after.dialect.dialect.command
    flag: str
    if old_type != new_type:
        if new_type == LOCAL_BACKEND:
            flag = "-reconfigure"
            why = (
                f'the module keeps its state locally now instead of in the "{old_type}" backend; '
                "-reconfigure starts with local state and leaves the remote state where it is, "
                "-migrate-state would copy it here"
            )
        elif old_type == LOCAL_BACKEND and facts.local_state:
            flag = "-migrate-state"
            why = (
                f'the "{new_type}" backend is configured again: -migrate-state copies the local '
                "terraform.tfstate into it (answer yes when asked; never use -force-copy, "
                "which can overwrite the remote state)"
            )
        elif old_type == LOCAL_BACKEND:
            flag = "-reconfigure" if facts.initialised else ""
            why = (
                f'the "{new_type}" backend is configured again, and there is no local state to move'
            )
        else:
            flag = "-migrate-state"
            why = f'the backend changed from "{old_type}" to "{new_type}": -migrate-state moves the state'
    else:
        changed = sorted(name for name in {*old, *new} if old.get(name) != new.get(name))
        moved = [n for n in changed if n in _location_names(after, new_type) and n in old]
        if moved:
            flag = "-migrate-state"
            why = f"the state's location changed ({', '.join(moved)}): -migrate-state moves the state there"
        else:
            flag = "-reconfigure"
            why = (
                f"the backend's settings changed ({', '.join(changed)}): Terraform compares them "
                'with those saved at init and stops with "Backend configuration changed" until '
                "init accepts them; the state stays where it is"
            )
    # Only local state beside the module makes a step needed everywhere; the
    # others matter only where init ran with the old backend.
    over_local_state = old_type == LOCAL_BACKEND and facts.local_state
    if not facts.initialised and flag and not over_local_state:
        why += f" (in a working directory initialised before; a fresh checkout needs only `{command} init`)"
    step = NextStep(directory, f"{command} init {flag}".strip(), why, initialised=facts.initialised)
    return (step,)
