"""One module from bytes and facts to an outcome: check, fix or restore.

:func:`process_module` is the whole pipeline for one module: the pre-filter and
parsing (:mod:`~fixer.pipeline.load`), the module view, the rules, fix
planning, applying the edits in memory and every safety net
(:mod:`~fixer.pipeline.safety`), then a second run on the new texts that must
find nothing left to change. It opens no file and prints nothing; the runner
reads the bytes before and writes the texts after. A mode that cannot finish
changes nothing in the module (all or nothing), and so does any failed net.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from fixer.edits import Edit, apply_edits, changes_confined
from fixer.fixes.comment import find_commented_regions, restore_edits
from fixer.fixes.json_edit import verify_completion
from fixer.fixes.plan import (
    OVERRIDE_NAME,
    README_NAME,
    FixOptions,
    ModuleContext,
    plan_fixes,
)
from fixer.fixes.readme import BEGIN as README_BEGIN
from fixer.fixes.render import line_end, line_start
from fixer.pipeline.load import JSON_SUFFIXES, Loaded, load, view_of
from fixer.pipeline.outcome import FileResult, ModuleResult, Problem
from fixer.pipeline.request import (
    BackendValues,
    CheckRequest,
    FixRequest,
    Judgement,
    ModuleInput,
    Request,
    RestoreRequest,
)
from fixer.pipeline.safety import Span, check_native_change
from fixer.rules.base import Category, FileChange, Finding, Mode, Severity
from fixer.rules.catalog import selected_rules
from fixer.rules.check import check_module
from fixer.syntax import ConfigFile, ParseError, parse
from fixer.terraform import ModuleView

__all__ = ["process_module"]

_NATIVE_SUFFIXES = (".tf", ".tofu")


def process_module(
    module: ModuleInput, request: Request, *, raise_internal_errors: bool = False
) -> ModuleResult:
    """Check, fix or restore one module. Never raises for bad input.

    Nor for a bug: an unexpected exception becomes a one-line problem of this
    module (and the run goes on with the others), unless
    ``raise_internal_errors`` asks for the exception itself (``--debug``).
    """
    try:
        return _process(module, request)
    except Exception as error:
        if raise_internal_errors:
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


def _process(module: ModuleInput, request: Request) -> ModuleResult:
    directory = module.directory
    loaded = load(module, request)
    if loaded is None:
        return ModuleResult(directory)
    if not loaded.trees and not loaded.json_docs:
        return ModuleResult(directory, problems=tuple(loaded.problems))
    try:
        view = view_of(module, loaded, request.judgement)
    except ValueError as error:
        return ModuleResult(directory, problems=(*loaded.problems, Problem(directory, str(error))))
    if isinstance(request, RestoreRequest):
        return _restore(module, view, loaded, request)
    findings = _findings(module, view, request.judgement)
    base = ModuleResult(
        directory,
        findings=tuple(findings),
        problems=tuple(loaded.problems),
        parsed=len(loaded.trees),
    )
    if isinstance(request, CheckRequest):
        if not request.attach_fixes or not findings:
            return base
        # Fixes are attached for reports only: what cannot be planned is not a
        # problem of a check, so its outcome never depends on the report format.
        context = _context(module, loaded, view, request.values, request.fix, request.judgement)
        plan = plan_fixes(view, findings, request.fix, context)
        return replace(base, findings=plan.findings)
    if loaded.problems and findings:
        # The view lacks what the unread files say (a required_version, a second
        # backend, an override), so a fix planned from it could be wrong.
        count = len(loaded.problems)
        return replace(
            base,
            problems=(
                *base.problems,
                Problem(
                    directory,
                    f"not fixed: {count} of its files could not be read or parsed"
                    if count > 1
                    else "not fixed: one of its files could not be read or parsed",
                ),
            ),
        )
    context = _context(module, loaded, view, request.values, request.fix, request.judgement)
    plan = plan_fixes(view, findings, request.fix, context)
    result = replace(
        base,
        findings=plan.findings,
        problems=(*base.problems, *(Problem(directory, e) for e in plan.errors)),
        warnings=plan.warnings,
    )
    if plan.errors:
        # A mode that cannot finish changes nothing in the module, not even the
        # targeted fixes around it: half a fix is harder to review than none.
        return result
    files, problems = _apply(module, view, loaded, plan.changes, context)
    if not problems and files:
        problems = _second_fix_run(module, loaded, files, request, context)
    if problems:
        return replace(result, problems=(*result.problems, *problems))
    return replace(result, files=files, applied=plan.applied, skipped=plan.skipped)


def _findings(module: ModuleInput, view: ModuleView, judgement: Judgement) -> list[Finding]:
    rules = selected_rules(judgement.select, judgement.ignore)
    skipped = module.facts.context_only
    return [f for f in check_module(view, rules) if f.location.path not in skipped]


def _existing_override(module: ModuleInput) -> str | None:
    """The text of the module's ``backend_override.tf``, whether the walk listed it or not."""
    path = str(PurePath(module.directory) / OVERRIDE_NAME)
    data = module.contents.get(path)
    if data is not None:
        return data.decode("utf-8", "replace")
    return module.facts.existing_override


def _context(
    module: ModuleInput,
    loaded: Loaded,
    view: ModuleView,
    values: BackendValues,
    options: FixOptions,
    judgement: Judgement | None = None,
) -> ModuleContext:
    judgement = judgement or Judgement()
    return ModuleContext(
        sources=values.sources(module.facts.module_path),
        override_ignored=module.facts.override_ignored if options.mode is Mode.OVERRIDE else None,
        existing_override=_existing_override(module),
        readme_text=module.facts.readme if options.readme else None,
        json_texts=loaded.json_texts,
        selected=frozenset(r.info.code for r in selected_rules(judgement.select, judgement.ignore)),
    )


# -- applying and the safety nets ------------------------------------------------------------


def _block_spans(view: ModuleView, path: str, text: str) -> list[Span]:
    """The spans a fix may touch in ``path``: the whole lines of its backend and cloud blocks."""
    return [
        (line_start(text, backend.block.start), line_end(text, backend.block.end))
        for backend in view.backends
        if backend.path == path and backend.block is not None
    ]


def _verify_json_change(
    path: str, old: str, new: str, edits: Sequence[Edit], view: ModuleView
) -> str | None:
    """The safety nets for an edited ``.tf.json``: confined, loads, only the backend completed."""
    if not changes_confined(old, new, edits):
        return "the change reaches outside the edits the fix declared"
    types = {b.type for b in view.backends if b.path == path and b.block is None}
    if len(types) != 1:
        return "the backend it edits cannot be told apart"
    return verify_completion(old, new, types.pop())


def _apply(
    module: ModuleInput,
    view: ModuleView,
    loaded: Loaded,
    changes: Sequence[FileChange],
    context: ModuleContext,
) -> tuple[tuple[FileResult, ...], tuple[Problem, ...]]:
    """Apply ``changes`` in memory and run the nets on each file. All or nothing per module."""
    results: list[FileResult] = []
    problems: list[Problem] = []
    for change in changes:
        if change.creates:
            text = apply_edits("", change.edits)
            if change.path.endswith(_NATIVE_SUFFIXES):
                try:
                    parse(text, change.path)
                except ParseError as error:
                    problems.append(
                        Problem(
                            change.path,
                            f"generated file does not parse: {error.message}; not written",
                        )
                    )
            results.append(FileResult(change.path, None, text))
            continue
        if change.path.endswith(README_NAME) and change.path not in loaded.trees:
            old = context.readme_text or ""
            new = apply_edits(old, change.edits)
            if not changes_confined(old, new, change.edits) or new.count(README_BEGIN) != 1:
                problems.append(
                    Problem(change.path, "the README section could not be placed; not written")
                )
            else:
                results.append(FileResult(change.path, old, new))
            continue
        if change.path in loaded.json_texts:
            old = loaded.json_texts[change.path]
            new = apply_edits(old, change.edits)
            failure = _verify_json_change(change.path, old, new, change.edits, view)
            if failure is not None:
                problems.append(Problem(change.path, f"{failure}; not written"))
                continue
            results.append(FileResult(change.path, old, new))
            continue
        tree = loaded.trees[change.path]
        new = apply_edits(tree.text, change.edits)
        spans = _block_spans(view, change.path, tree.text)
        failure, _ = check_native_change(tree, new, change.edits, spans)
        if failure is not None:
            problems.append(Problem(change.path, f"{failure}; not written"))
            continue
        results.append(FileResult(change.path, tree.text, new))
    if problems:
        return (), tuple(problems)
    return tuple(results), ()


def _changed_trees(
    loaded: Loaded, files: Sequence[FileResult]
) -> tuple[dict[str, ConfigFile], dict[str, Any]]:
    """The module's trees and JSON documents as the changed files leave them."""
    trees = dict(loaded.trees)
    docs = dict(loaded.json_docs)
    for file in files:
        if file.new_text is None:
            trees.pop(file.path, None)
            docs.pop(file.path, None)
        elif file.path.endswith(_NATIVE_SUFFIXES) and (
            file.path in loaded.trees or file.old_text is None
        ):
            trees[file.path] = parse(file.new_text, file.path)
        elif file.path.endswith(JSON_SUFFIXES) and file.path in loaded.json_docs:
            docs[file.path] = json.loads(file.new_text)
    return trees, docs


def init_breaking_left(findings: Sequence[Finding]) -> str | None:
    """The refusal when fixed texts still hold an init-breaking error, else None.

    What the tool writes must be a module its own check calls clean in the
    init-breaking category: a fix that leaves init failing is not written.
    """
    left = [
        f for f in findings if f.category is Category.INIT_BREAKING and f.severity is Severity.ERROR
    ]
    if not left:
        return None
    shown = "; ".join(
        f"{f.code} {f.subject or f.name} at {PurePath(f.location.path).name}:{f.location.line}"
        for f in left[:3]
    )
    more = f" and {len(left) - 3} more" if len(left) > 3 else ""
    return (
        f"not fixed: after the fix init would still fail ({shown}{more}); "
        f"nothing was written. First: {left[0].message}"
    )


def _second_fix_run(
    module: ModuleInput,
    loaded: Loaded,
    files: Sequence[FileResult],
    request: FixRequest,
    context: ModuleContext,
) -> tuple[Problem, ...]:
    """Run rules and planner again on the fixed texts: they must find nothing to change."""
    trees, docs = _changed_trees(loaded, files)
    view = view_of(module, loaded, request.judgement, trees, docs)
    findings = _findings(module, view, request.judgement)
    left = init_breaking_left(findings)
    if left is not None:
        return (Problem(module.directory, left),)
    created = {f.path: f.new_text for f in files if f.old_text is None}
    override_path = str(PurePath(module.directory) / OVERRIDE_NAME)
    json_texts = {
        **loaded.json_texts,
        **{f.path: f.new_text for f in files if f.path in loaded.json_texts and f.new_text},
    }
    again = plan_fixes(
        view,
        findings,
        request.fix,
        replace(
            context,
            existing_override=created.get(override_path, context.existing_override),
            json_texts=json_texts,
        ),
    )
    if again.changes:
        paths = ", ".join(sorted({c.path for c in again.changes}))
        return (
            Problem(
                module.directory,
                f"a second run would change {paths} again; nothing was written",
            ),
        )
    return ()


# -- restore ------------------------------------------------------------------------------------


def _restore(
    module: ModuleInput, view: ModuleView, loaded: Loaded, request: RestoreRequest
) -> ModuleResult:
    """Undo comment mode in every file of the module; with ``values.sets``, complete the result.

    Restoring goes through the same nets as a fix: each edit must lie inside
    the region comment mode marked, the result must parse and keep the BOM and
    newline style, and restoring the result again must change nothing.
    """
    directory = module.directory
    results: list[FileResult] = []
    problems = list(loaded.problems)
    restored: dict[str, ConfigFile] = {}
    for path, tree in loaded.trees.items():
        regions = find_commented_regions(tree.text)
        if not regions:
            continue
        edits = restore_edits(tree.text)
        new = apply_edits(tree.text, edits)
        failure, new_tree = check_native_change(
            tree, new, edits, [(r.start, r.end) for r in regions]
        )
        if new_tree is None:
            problems.append(Problem(path, f"restore refused: {failure}; not written"))
            continue
        if restore_edits(new):
            problems.append(
                Problem(
                    path, "restore refused: a second restore would change it again; not written"
                )
            )
            continue
        restored[path] = new_tree
        results.append(FileResult(path, tree.text, new))
    if problems:
        return ModuleResult(directory, problems=tuple(problems))
    if results and request.values.sets:
        completed, failures = _complete_restored(module, loaded, restored, request)
        if failures:
            return ModuleResult(directory, problems=failures)
        results = [
            replace(r, new_text=completed[r.path]) if r.path in completed else r for r in results
        ]
    return ModuleResult(directory, files=tuple(results))


def _complete_restored(
    module: ModuleInput,
    loaded: Loaded,
    restored: Mapping[str, ConfigFile],
    request: RestoreRequest,
) -> tuple[dict[str, str], tuple[Problem, ...]]:
    """Complete the restored backends with ``--set`` values, through the fix nets.

    Returns the completed texts by path, or the problems that stop it.
    """
    trees = {**loaded.trees, **restored}
    view = view_of(module, loaded, request.judgement, trees)
    fix_request = FixRequest(request.judgement, FixOptions(mode=Mode.COMPLETE), request.values)
    findings = _findings(module, view, request.judgement)
    restored_loaded = replace(loaded, trees=trees)
    context = _context(
        module, restored_loaded, view, request.values, fix_request.fix, request.judgement
    )
    plan = plan_fixes(view, findings, fix_request.fix, context)
    if plan.errors:
        return {}, tuple(Problem(module.directory, e) for e in plan.errors)
    # Only the restored files are completed; nothing else of the module changes here.
    changes = [c for c in plan.changes if c.path in restored and not c.creates]
    files, problems = _apply(module, view, restored_loaded, changes, context)
    if problems:
        return {}, problems
    completed = {f.path: f.new_text for f in files if f.new_text is not None}
    # The completed module is re-checked like any fix: no init-breaking error may be left.
    final = {**trees, **{path: parse(text, path) for path, text in completed.items()}}
    left = init_breaking_left(
        _findings(module, view_of(module, loaded, request.judgement, final), request.judgement)
    )
    if left is not None:
        return {}, (Problem(module.directory, left),)
    return completed, ()
