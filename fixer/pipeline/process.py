"""One module from bytes and facts to an outcome: check, fix, restore or enable.

:func:`process_module` is the whole pipeline for one module: the pre-filter and
parsing (:mod:`~fixer.pipeline.load`), the module view, the rules, fix
planning, applying the edits in memory and every safety net
(:mod:`~fixer.pipeline.safety`), then a second run on the new texts that must
find nothing left to change. It opens no file and prints nothing; the runner
reads the bytes before and writes the texts after. A mode that cannot finish
changes nothing in the module (all or nothing), and so does any failed net.
Restore and enable live in :mod:`~fixer.pipeline.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import PurePath

from fixer.edits import Edit, apply_edits, changes_confined
from fixer.fixes.json_edit import verify_completion
from fixer.fixes.plan import (
    OVERRIDE_NAME,
    README_NAME,
    FixOptions,
    ModuleContext,
    plan_fixes,
)
from fixer.fixes.readme import BEGIN_PREFIX as README_BEGIN
from fixer.fixes.render import line_end, line_start
from fixer.pipeline.lifecycle import enable_module, next_steps, restore_module, view_after
from fixer.pipeline.load import Loaded, load, view_of
from fixer.pipeline.outcome import FileResult, ModuleResult, Problem
from fixer.pipeline.request import (
    BackendValues,
    CheckRequest,
    EnableRequest,
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
from fixer.terraform.init_context import is_terragrunt_generated

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
    if isinstance(request, RestoreRequest):
        return _restore(module, loaded, request)
    if isinstance(request, EnableRequest):
        return enable_module(module, loaded, request)
    if loaded is None:
        return ModuleResult(directory)
    if not loaded.trees and not loaded.json_docs:
        return ModuleResult(directory, problems=tuple(loaded.problems))
    try:
        view = view_of(module, loaded, request.judgement)
    except ValueError as error:
        return ModuleResult(directory, problems=(*loaded.problems, Problem(directory, str(error))))
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
        plan = plan_fixes(
            view, findings, request.fix, context, describe_only=not request.exact_fixes
        )
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
    files, problems, parsed = _apply(module, view, loaded, plan.changes, context)
    after = view
    remaining = None
    if not problems and files:
        problems, after, remaining = _second_fix_run(
            module, loaded, files, parsed, request, context
        )
    if problems:
        return replace(result, problems=(*result.problems, *problems))
    steps = next_steps(directory, view, after, module.facts)
    return replace(
        result,
        files=files,
        applied=plan.applied,
        skipped=plan.skipped,
        next_steps=steps,
        remaining=remaining,
    )


def _findings(module: ModuleInput, view: ModuleView, judgement: Judgement) -> list[Finding]:
    rules = selected_rules(judgement.select, judgement.ignore)
    skipped = module.facts.context_only
    ignored = module.facts.ignored_codes
    return [
        f
        for f in check_module(view, rules)
        if f.location.path not in skipped and f.code not in ignored.get(f.location.path, ())
    ]


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
    sources = values.sources(module.facts.module_path)
    backend = view.effective_backend
    if view.inits is not None and backend is not None:
        sources = replace(sources, served=view.inits.agreed_values(backend.type))
    return ModuleContext(
        sources=sources,
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
) -> tuple[tuple[FileResult, ...], tuple[Problem, ...], dict[str, ConfigFile]]:
    """Apply ``changes`` in memory and run the nets on each file. All or nothing per module.

    Returns the changed files, the problems (then no file), and the new trees the
    nets parsed, by path, for the second run to reuse.
    """
    results: list[FileResult] = []
    problems: list[Problem] = []
    parsed: dict[str, ConfigFile] = {}
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
        if is_terragrunt_generated(tree.text):
            # Terragrunt writes this file again on its next run: an edit here is lost.
            problems.append(
                Problem(
                    change.path,
                    "generated by Terragrunt (its signature is on the first line): change "
                    "the terragrunt.hcl that generates it; not written",
                )
            )
            continue
        new = apply_edits(tree.text, change.edits)
        spans = _block_spans(view, change.path, tree.text)
        failure, new_tree = check_native_change(tree, new, change.edits, spans)
        if new_tree is None:
            problems.append(Problem(change.path, f"{failure}; not written"))
            continue
        parsed[change.path] = new_tree
        results.append(FileResult(change.path, tree.text, new))
    if problems:
        return (), tuple(problems), {}
    return tuple(results), (), parsed


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
    parsed: Mapping[str, ConfigFile],
    request: FixRequest,
    context: ModuleContext,
) -> tuple[tuple[Problem, ...], ModuleView, tuple[Finding, ...]]:
    """Run rules and planner again on the fixed texts: they must find nothing to change,
    and no init-breaking error may be left.

    Returns the problems (a second run that would change something again, or
    an init-breaking error the fix leaves), the module view the fix leaves, and
    the findings the fixed module still has, which the exit code is made of.
    """
    json_texts = {
        **loaded.json_texts,
        **{f.path: f.new_text for f in files if f.path in loaded.json_texts and f.new_text},
    }
    view = view_after(module, loaded, files, request.judgement, parsed, json_texts)
    findings = _findings(module, view, request.judgement)
    left = init_breaking_left(findings)
    if left is not None:
        return (Problem(module.directory, left),), view, tuple(findings)
    created = {f.path: f.new_text for f in files if f.old_text is None}
    override_path = str(PurePath(module.directory) / OVERRIDE_NAME)
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
        problem = Problem(
            module.directory, f"a second run would change {paths} again; nothing was written"
        )
        return (problem,), view, tuple(findings)
    return (), view, tuple(findings)


# -- restore ------------------------------------------------------------------------------------


def _restore(module: ModuleInput, loaded: Loaded | None, request: RestoreRequest) -> ModuleResult:
    """Undo what fixes recorded (see :func:`~fixer.pipeline.lifecycle.restore_module`); with
    ``values.sets``, complete the restored backends through the fix nets."""
    restored = restore_module(module, loaded, request)
    result = restored.result
    if loaded is None or result.problems or not restored.trees or not request.values.sets:
        return result
    completed, failures = _complete_restored(module, loaded, restored.trees, request)
    if failures:
        return ModuleResult(module.directory, problems=failures)
    files = [
        replace(r, new_text=completed[r.path]) if r.path in completed else r for r in result.files
    ]
    return replace(result, files=tuple(files))


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
    fix_request = FixRequest(
        request.judgement, FixOptions(mode=Mode.COMPLETE, record=False), request.values
    )
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
    files, problems, _ = _apply(module, view, restored_loaded, changes, context)
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
