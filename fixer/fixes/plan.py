"""Planning a module's fixes: the chosen mode for blocking findings, targeted fixes for the rest.

Each rule declares its fix (:class:`~fixer.rules.base.FixDeclaration`); the
planner reads those declarations and nothing else about rules. Findings of
rules whose fix is the ``mode`` (a partial backend, variables in it, empty
placeholders, a removed backend type) are resolved by the mode the user chose:
``comment`` (local state, commented block and header), ``complete`` (fill in the
values) or ``override`` (a ``backend_override.tf`` switching to local state,
tracked files untouched). Findings whose targeted fix is declared ``in_mode``
are rewritten by the mode fix too, so the block it leaves initialises. Other
findings get their targeted fix when one exists and its applicability allows.
Every fix is also attached to its finding, so reports can show it. The edits
applied to an active block carry a record of what they wrote
(:mod:`fixer.fixes.undo`), so ``restore`` can undo them. Pure: no I/O.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from fixer.edits import Edit, apply_edits, line_ending, sort_and_check
from fixer.fixes import json_edit
from fixer.fixes.block_edit import BlockEditor
from fixer.fixes.comment import comment_out_edit, header_lines
from fixer.fixes.completion import (
    Completion,
    lock_flag_everywhere,
    plan_completion,
    unaccepted_keys,
)
from fixer.fixes.readme import BEGIN_PREFIX as README_BEGIN
from fixer.fixes.readme import readme_edit, readme_section
from fixer.fixes.render import hcl_value
from fixer.fixes.targeted import BUILDERS, FixContext
from fixer.fixes.undo import recorded_block_edit
from fixer.fixes.values import ValueSources, resolve
from fixer.rules.base import (
    Applicability,
    FileChange,
    Finding,
    Fix,
    FixDeclaration,
    FixKind,
    Mode,
)
from fixer.rules.catalog import RULES
from fixer.rules.locations import backend_of
from fixer.rules.state import NoStateLocking, UnencryptedState
from fixer.terraform import (
    BackendArgument,
    BackendBlock,
    Coverage,
    ModuleView,
    Role,
    Syntax,
    argument,
    backend_type,
    coverage,
    credential_arguments,
    releases,
    required_arguments,
    role_argument,
)
from fixer.terraform.evaluation import EARLY_EVALUATION
from fixer.terraform.init_context import is_terragrunt_generated

_DECLARATIONS: dict[str, FixDeclaration] = {rule.info.code: rule.info.fix for rule in RULES}


def _declaration(finding: Finding) -> FixDeclaration:
    return _DECLARATIONS.get(finding.code, FixDeclaration())


def _is_blocker(finding: Finding) -> bool:
    """Is ``finding`` resolved by the mode fix (its rule declares ``mode``)?"""
    return _declaration(finding).kind is FixKind.MODE


OVERRIDE_NAME = "backend_override.tf"
README_NAME = "README.md"
OVERRIDE_HEADER = "# Written by backend-fixer:"
OVERRIDE_TEXT = (
    "# Written by backend-fixer: local state, so this module can be deployed for\n"
    "# testing without backend values. Delete this file (`backend-fixer restore\n"
    "# --write` does) to use the configured backend again; keep it out of\n"
    "# version control.\n"
    "terraform {\n"
    '  backend "local" {}\n'
    "}\n"
)
# What earlier versions wrote: restore recognises those files as its own too.
_EARLIER_OVERRIDE_TEXTS = (
    "# Written by backend-fixer: local state, so this module can be deployed for\n"
    "# testing without backend values. Delete this file to use the configured\n"
    "# backend again; keep it out of version control.\n"
    "terraform {\n"
    '  backend "local" {}\n'
    "}\n",
)


def override_origin(text: str) -> str:
    """Who wrote a ``backend_override.tf``: ``ours``, ``ours-edited`` or ``theirs``.

    Ours is exactly what override mode writes (any version, LF or CRLF);
    ours-edited starts with our header but was changed since; anything else
    is a person's file, which restore never touches.
    """
    plain = text.replace("\r\n", "\n")
    if plain == OVERRIDE_TEXT or plain in _EARLIER_OVERRIDE_TEXTS:
        return "ours"
    return "ours-edited" if plain.startswith(OVERRIDE_HEADER) else "theirs"


@dataclass(frozen=True, slots=True)
class FixOptions:
    """How to fix: the mode for blocking findings and which fixes may be applied.

    ``mode`` may be given as text; an unknown one raises ValueError.
    ``keep_dynamodb_table`` keeps a lock table beside the native lock it adds.
    """

    mode: Mode = Mode.COMMENT
    unsafe: bool = False
    keep_dynamodb_table: bool = False
    readme: bool = False
    # Record edits of active blocks in the block itself, so restore can undo
    # them (off when restore completes a block with --set: that is no fix).
    record: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.mode, Mode):
            try:
                object.__setattr__(self, "mode", Mode(self.mode))
            except ValueError:
                choices = ", ".join(m.value for m in Mode)
                raise ValueError(f"unknown mode {self.mode!r}; choose {choices}") from None


@dataclass(frozen=True, slots=True)
class ModuleContext:
    """Facts about the module that only the runner can read from disk.

    ``override_ignored``: whether ``.gitignore`` ignores ``backend_override.tf``
    (None outside a git work tree); ``existing_override``: the text of an existing
    ``backend_override.tf``, if any; ``readme_text``: the module's README.md.
    """

    sources: ValueSources = field(default_factory=ValueSources)
    override_ignored: bool | None = None
    existing_override: str | None = None
    # The module's README.md text (None when there is none), for --readme.
    readme_text: str | None = None
    # The text of each .tf.json file, by path: complete mode edits it in place.
    json_texts: Mapping[str, str] = field(default_factory=dict)
    # The codes of the rules the run judges by (--select/--ignore; None: all):
    # complete mode adds no protection whose rule the user switched off.
    selected: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class SkippedFix:
    """A finding whose fix was not applied, and why."""

    finding: Finding
    reason: str


@dataclass(frozen=True, slots=True)
class ModulePlan:
    """The outcome of planning one module."""

    directory: str
    findings: tuple[Finding, ...]
    changes: tuple[FileChange, ...]
    applied: tuple[Finding, ...]
    skipped: tuple[SkippedFix, ...]
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def _key(finding: Finding) -> tuple[str, int, str]:
    return (finding.location.path, finding.location.start, finding.code)


class _Planner:
    def __init__(
        self,
        view: ModuleView,
        options: FixOptions,
        context: ModuleContext,
        describe_only: bool = False,
    ) -> None:
        self.view = view
        self.options = options
        self.context = context
        self.describe_only = describe_only
        self.texts = {s.path: s.config.text for s in view.files}
        self.editors: dict[tuple[str, int], tuple[BackendBlock, BlockEditor]] = {}
        self.edits: dict[str, list[Edit]] = {}
        self.created: dict[str, str] = {}
        self.commented: set[tuple[str, int]] = set()
        # Findings the mode fix resolves besides the blockers (keys from _key).
        self.by_mode: set[tuple[str, int, str]] = set()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        # Why the mode leaves the whole module alone (not an error), if it does.
        self.declined: str | None = None

    def editor(self, backend: BackendBlock) -> BlockEditor:
        assert backend.block is not None
        key = (backend.path, backend.block.start)
        if key not in self.editors:
            self.editors[key] = (backend, BlockEditor(self.texts[backend.path], backend.block))
        return self.editors[key][1]

    # -- the chosen mode ---------------------------------------------------------------

    def mode_fix(self, findings: Sequence[Finding]) -> Fix | None:
        mode = self.options.mode
        if mode is Mode.OVERRIDE:
            return self._override()
        effective = self.view.effective_backend
        if effective is None:
            return None
        if mode is Mode.COMMENT:
            return self._comment(findings)
        return self._complete(effective, findings)

    def _init_breaking(self, backend: BackendBlock, findings: Sequence[Finding]) -> list[Finding]:
        """Findings in ``backend`` whose targeted fix the mode fix must apply (declared ``in_mode``)."""
        return [
            f for f in findings if _declaration(f).in_mode and backend_of(self.view, f) is backend
        ]

    def _context(self, backend: BackendBlock) -> FixContext:
        return FixContext(
            self.view,
            backend,
            self.context.sources,
            keep_lock_table=self.options.keep_dynamodb_table,
        )

    def _comment(self, findings: Sequence[Finding]) -> Fix | None:
        changes: list[FileChange] = []
        targets = list(self.view.backends)
        if any(b.block is None for b in targets):
            # Not an error of the run: the module is left alone, each finding saying why,
            # so one JSON module does not fail a fix of a whole repository.
            json_paths = sorted({PurePath(b.path).name for b in targets if b.block is None})
            self.declined = (
                f"comment mode cannot comment out the backend in {', '.join(json_paths)} "
                "(JSON has no comments); use --mode override or --mode complete"
            )
            return None
        for backend in targets:
            block = backend.block
            assert block is not None
            config = next(s.config for s in self.view.files if s.path == backend.path)
            editor = None
            placeholders = False
            if backend is self.view.effective_backend:
                try:
                    completion = plan_completion(
                        backend, self.view, self.context.sources, placeholders=True
                    )
                except ValueError as error:
                    self.errors.append(str(error))
                    return None
                placeholders = any(
                    a.source == "placeholder"
                    for a in (*completion.additions, *(r.value for r in completion.replacements))
                )
                # The commented block must be one Terraform accepts once uncommented.
                editor = BlockEditor(self.texts[backend.path], block)
                _apply_completion(editor, completion)
                for finding in self._init_breaking(backend, findings):
                    with contextlib.suppress(ValueError):
                        BUILDERS[finding.code](finding, self._context(backend), editor)
                    self.by_mode.add(_key(finding))
            self.commented.add((backend.path, block.start))
            if self.describe_only:
                # Counted and described, never applied: the header and the commented
                # text are the costly part of the plan and change neither.
                changes.append(FileChange(backend.path, ()))
                continue
            header = header_lines(
                backend.type,
                backend_files=self._backend_file_names(backend.type),
                placeholders=placeholders,
                is_cloud=backend.is_cloud,
                dialect=self.view.dialect.dialect,
                early_evaluation=self._early_evaluation(),
            )
            edit = comment_out_edit(config, block, editor, header)
            self.edits.setdefault(backend.path, []).append(edit)
            changes.append(FileChange(backend.path, (edit,)))
        if not changes:
            return None
        return Fix(
            "comment out the backend: local state, with a header on how to enable it again",
            tuple(changes),
            Applicability.SAFE,
            Mode.COMMENT,
        )

    def _early_evaluation(self) -> Coverage:
        """How many of the admitted versions evaluate variables and locals in a backend."""
        dialect = self.view.dialect.dialect
        return coverage(
            releases(dialect, self.view.version_range),
            EARLY_EVALUATION.lifecycle(dialect).available(),
        )

    def _backend_file_names(self, backend_type: str) -> list[str]:
        names = [PurePath(f.path).name for f in self.view.backend_config_files]
        own = [n for n in names if n.endswith(f".{backend_type}.tfbackend")]
        return own or names

    def _protect(self) -> frozenset[Role] | None:
        """The roles complete mode may add protection for, from the rules the run judges by."""
        selected = self.context.selected
        if selected is None:
            return None
        roles: set[Role] = set()
        if NoStateLocking.info.code in selected:
            roles |= {Role.LOCK_FLAG, Role.LOCK_TABLE}
        if UnencryptedState.info.code in selected:
            roles.add(Role.ENCRYPT)
        return frozenset(roles)

    def _not_completable(self, backend: BackendBlock) -> str | None:
        """Why complete mode must not touch ``backend`` (a type it cannot fill in), or None."""
        dialect = self.view.dialect.dialect
        known = backend_type(backend.type)
        if known is None or known.is_cloud_block != backend.is_cloud:
            return (
                f'cannot complete backend "{backend.type}": it is no backend type '
                f"{dialect.display_name} knows; use --mode comment or override"
            )
        if known.status(dialect, self.view.version_range).removed is not Coverage.NONE:
            return (
                f'cannot complete backend "{backend.type}": admitted versions removed it; '
                "use --mode comment or override, then move the state to a supported backend"
            )
        return None

    def _complete(self, backend: BackendBlock, findings: Sequence[Finding]) -> Fix | None:
        refusal = self._not_completable(backend)
        if refusal is not None:
            self.errors.append(refusal)
            return None
        if backend.block is None:
            return self._complete_json(backend)
        try:
            completion = plan_completion(
                backend, self.view, self.context.sources, protect=self._protect()
            )
        except ValueError as error:
            self.errors.append(str(error))
            return None
        if completion.missing:
            self.errors.append(_missing_message(completion, self.view))
            return None
        single = BlockEditor(self.texts[backend.path], backend.block)
        _apply_completion(single, completion)
        # A complete block must init: arguments init rejects are rewritten too, or nothing is.
        for finding in self._init_breaking(backend, findings):
            try:
                outcome = BUILDERS[finding.code](finding, self._context(backend), single)
            except ValueError:
                outcome = None
            if outcome is None:
                self.errors.append(
                    f"cannot complete the {backend.type} backend: {finding.subject} ({finding.code}) "
                    "has no mechanical fix here; " + finding.message
                )
                return None
            applicability, description = outcome
            if applicability is Applicability.UNSAFE and not self.options.unsafe:
                self.errors.append(
                    f"cannot complete the {backend.type} backend without --unsafe: {description} "
                    f"({finding.code}); " + finding.message
                )
                return None
            self.by_mode.add(_key(finding))
        self.warnings.extend(completion.notes)
        self.editors[(backend.path, backend.block.start)] = (backend, single)
        edits = tuple(single.edits())
        if not edits:
            return None
        sources = ", ".join(
            f"{a.name} from {a.source}"
            for a in (*completion.additions, *(r.value for r in completion.replacements))
        )
        return Fix(
            f"complete the backend ({sources})" if sources else "complete the backend",
            (FileChange(backend.path, edits),),
            Applicability.SAFE,
            Mode.COMPLETE,
        )

    def _complete_json(self, backend: BackendBlock) -> Fix | None:
        """Complete mode for a backend in a ``.tf.json`` file: new members, empty ones filled."""
        name = PurePath(backend.path).name
        text = self.context.json_texts.get(backend.path)
        try:
            completion = plan_completion(
                backend, self.view, self.context.sources, protect=self._protect()
            )
            # plan_completion replaces empty strings through syntax nodes, which
            # JSON has none of: the empty required members are resolved here.
            required = {
                row.name
                for row in required_arguments(
                    backend.type, self.view.dialect.dialect, self.view.version_range
                )
            }
            empty = [
                argument.name
                for argument in backend.arguments.values()
                if argument.name in required
                and argument.value is not None
                and argument.value.value == ""
            ]
            filled = {n: resolve(n, backend, self.view, self.context.sources) for n in empty}
        except ValueError as error:
            self.errors.append(str(error))
            return None
        missing = [*completion.missing, *(n for n, value in filled.items() if value is None)]
        if missing:
            self.errors.append(
                _missing_message(
                    replace(completion, missing=tuple(dict.fromkeys(missing))), self.view
                )
            )
            return None
        if text is None:
            self.errors.append(f"complete mode cannot read the JSON text of {name}")
            return None
        try:
            targets = json_edit.backend_objects(text, backend.type)
        except json_edit.JsonScanError as error:
            self.errors.append(f"complete mode cannot edit {name}: {error}")
            return None
        if len(targets) != 1:
            self.errors.append(
                f"complete mode cannot edit {name}: it holds {len(targets)} "
                f"{backend.type!r} backend objects; complete them by hand or use --mode override"
            )
            return None
        replacements = {n: value.value for n, value in filled.items() if value is not None}
        edits = json_edit.completion_edits(
            text, targets[0], [(a.name, a.value) for a in completion.additions], replacements
        )
        if not edits:
            return None
        self.warnings.extend(completion.notes)
        if self.options.record:
            self.warnings.append(
                f"{backend.path}: `backend-fixer restore` cannot undo this change (JSON has no "
                "comments to record it in): take the file from version control to undo it"
            )
        self.edits.setdefault(backend.path, []).extend(edits)
        sources = ", ".join(
            [f"{a.name} from {a.source}" for a in completion.additions]
            + [f"{n} from {value.source}" for n, value in filled.items() if value is not None]
        )
        return Fix(
            f"complete the backend ({sources})",
            (FileChange(backend.path, tuple(edits)),),
            Applicability.SAFE,
            Mode.COMPLETE,
        )

    def _override(self) -> Fix | None:
        path = str(PurePath(self.view.directory) / OVERRIDE_NAME)
        # The new file follows the module's newline style.
        newline = line_ending(self.view.files[0].config.text) if self.view.files else "\n"
        text = OVERRIDE_TEXT.replace("\n", newline)
        existing = self.context.existing_override
        if existing is not None:
            if existing == text:
                return None
            self.errors.append(
                f"{path} already exists with other content; remove it or use another mode"
            )
            return None
        if self.context.override_ignored is False:
            self.warnings.append(
                f"{path} is not ignored by .gitignore: add `*_override.tf` there so the "
                "local-state override is never committed"
            )
        self.created[path] = text
        return Fix(
            f"write {OVERRIDE_NAME} switching the module to local state (tracked files untouched)",
            (FileChange(path, (Edit(0, 0, text),), creates=True),),
            Applicability.SAFE,
            Mode.OVERRIDE,
        )

    # -- targeted fixes ------------------------------------------------------------------

    def targeted(self, finding: Finding) -> tuple[Fix | None, str | None]:
        """The finding's own fix, and (when not applied) why not."""
        builder = BUILDERS.get(finding.code)
        backend = backend_of(self.view, finding)
        if builder is None or backend is None or backend.block is None:
            return None, None
        context = self._context(backend)
        alone = BlockEditor(self.texts[backend.path], backend.block)
        try:
            outcome = builder(finding, context, alone)
        except ValueError:
            return None, None
        if outcome is None or alone.is_empty:
            return None, None
        applicability, description = outcome
        fix = Fix(description, (FileChange(backend.path, tuple(alone.edits())),), applicability)
        key = (backend.path, backend.block.start)
        if key in self.commented:
            return fix, "the block is commented out by comment mode"
        if self.options.mode is Mode.OVERRIDE and self.created:
            return fix, "override mode leaves tracked files untouched"
        if applicability is Applicability.UNSAFE and not self.options.unsafe:
            return fix, "needs --unsafe"
        try:
            if builder(finding, context, self.editor(backend)) is None:
                return fix, "another fix already covers it"
        except ValueError:
            return fix, "conflicts with another fix of the same argument"
        return fix, None

    # -- the README section ---------------------------------------------------------------

    def readme(self, mode_fix: Fix | None) -> None:
        """With --readme, describe the backend as ``mode_fix`` leaves it in README.md."""
        backend = self.view.effective_backend
        if mode_fix is None or backend is None:
            return
        # The README names where the state lives: the backend's required arguments.
        shown = {
            row.name
            for row in required_arguments(
                backend.type, self.view.dialect.dialect, self.view.version_range
            )
        }
        values: dict[str, object] = {
            name: arg.value.value
            for name, arg in backend.arguments.items()
            if name in shown and arg.value is not None
        }
        if mode_fix.mode is Mode.COMPLETE:
            completion = plan_completion(backend, self.view, self.context.sources)
            values.update((a.name, a.value) for a in completion.additions if a.name in shown)
            values.update(
                (r.value.name, r.value.value)
                for r in completion.replacements
                if r.value.name in shown
            )
        section = readme_section(
            mode_fix.mode or Mode.COMMENT,
            backend,
            PurePath(backend.path).name,
            values,
            self.view.dialect.dialect.command,
        )
        outcome = readme_edit(self.context.readme_text, section)
        if outcome is None:
            return
        edit, creates = outcome
        placed = apply_edits(self.context.readme_text or "", [edit])
        if placed.count(README_BEGIN) != 1:
            # --readme never makes a fix fail: the fix goes on without the section.
            self.warnings.append(
                f"{self.view.directory}: README.md holds more than one backend-fixer section; "
                "README not updated"
            )
            return
        path = str(PurePath(self.view.directory) / README_NAME)
        if creates:
            self.created[path] = edit.new_text
        else:
            self.edits.setdefault(path, []).append(edit)

    # -- result ----------------------------------------------------------------------------

    def changes(self) -> tuple[FileChange, ...]:
        for (path, _), (backend, editor) in self.editors.items():
            edits = editor.edits()
            if self.options.record and edits and backend.block is not None:
                # One edit over the block's lines, with the marker restore reads.
                secrets = {row.name for row in credential_arguments(backend.type)}
                edits = [
                    recorded_block_edit(self.texts[path], backend.block, edits, secrets=secrets)
                ]
            self.edits.setdefault(path, []).extend(edits)
        changes = []
        for path in sorted(self.edits):
            edits = sort_and_check(self.edits[path])
            if edits:
                changes.append(FileChange(path, tuple(edits)))
        for path, text in sorted(self.created.items()):
            changes.append(FileChange(path, (Edit(0, 0, text),), creates=True))
        return tuple(changes)


def _apply_completion(editor: BlockEditor, completion: Completion) -> None:
    for replacement in completion.replacements:
        editor.set_value(
            replacement.attribute, hcl_value(replacement.value.value, editor.inner, editor.unit)
        )
    for addition in completion.additions:
        row = argument(completion.backend.type, addition.name)
        if row is not None and row.syntax is Syntax.BLOCK:
            # A block argument (the cloud block's workspaces): the value goes into
            # the nested attribute that names the state.
            if isinstance(addition.value, dict):
                # From a backend configuration file, where the block is written as a block.
                editor.add_block(addition.name, addition.value)
                continue
            key = next((a for a in row.attributes if Role.STATE_KEY in a.roles), None)
            if key is not None:
                editor.add_block(addition.name, {key.name: addition.value})
                continue
        editor.add(
            addition.name, hcl_value(addition.value, editor.inner, editor.unit, editor.newline)
        )


def _hint(name: str, row: BackendArgument | None) -> str:
    """How to pass a value for ``name``: ``--set key=PATH/terraform.tfstate (or ...)``."""
    if row is None:
        return f"--set {name}=VALUE"
    if row.suggested is not None:
        example = row.suggested.replace("{module_path}", "PATH")
        return f"--set {name}={example} (or a `{name}` template in the config file)"
    providers = [s.provider for s in row.inferred_from if s.provider is not None]
    if providers:
        return f'--set {name}={name.upper()} (or a literal {name} in provider "{providers[0]}")'
    return f"--set {name}=VALUE"


def _missing_message(completion: Completion, view: ModuleView) -> str:
    backend = completion.backend.type
    names = list(completion.missing)
    hints = [_hint(name, argument(backend, name)) for name in names]
    message = (
        f"cannot complete the {backend} backend: "
        f"no value for {', '.join(names)}; pass {'; '.join(hints)}, or a --backend-config FILE"
    )
    flag = role_argument(backend, Role.LOCK_FLAG)
    table = role_argument(backend, Role.LOCK_TABLE)
    if (
        flag is not None
        and table is not None
        and table.name in names
        and not lock_flag_everywhere(backend, view)
    ):
        message += (
            f" (required_version {view.version_range.describe()} admits versions without "
            f"{flag.name}, so locking needs {table.name})"
        )
    return message


def _generated_backend(view: ModuleView) -> str | None:
    """The path of a backend file that carries Terragrunt's generated-file signature, or None."""
    for backend in view.backends:
        source = next((f for f in view.files if f.path == backend.path), None)
        if source is not None and is_terragrunt_generated(source.config.text):
            return backend.path
    return None


def _mode_hold(view: ModuleView, options: FixOptions) -> tuple[str | None, list[str]]:
    """Whether the mode fix must be held back, and what it would take from pipelines.

    Returns (the reason it is not applied, or None; one warning per init that
    initialises the backend with values of its own and would get local state).
    Terragrunt-managed modules are never commented out or overridden; a backend
    some pipeline serves is only with ``--unsafe``. Complete mode takes nothing away.
    """
    inits = view.inits
    backend = view.effective_backend
    if inits is None or backend is None or options.mode is Mode.COMPLETE:
        return None, []
    unit = inits.terragrunt
    if unit is not None:
        return (
            f"Terragrunt manages this module ({unit.config}); configure its backend in "
            "remote_state there, never by commenting the block out",
            [],
        )
    losing = [
        f"{path.site.location}: `{path.site.command}` initialises this {backend.type} backend "
        f"with its own values; after {options.mode} mode it initialises local state instead, "
        "and every run of it starts from an empty state"
        for path in inits.serving(backend.type)
    ]
    if losing and not options.unsafe:
        where = ", ".join(path.site.location for path in inits.serving(backend.type))
        return f"needs --unsafe: {where} would lose its remote state", losing
    return None, losing


def plan_fixes(
    view: ModuleView,
    findings: Sequence[Finding],
    options: FixOptions,
    context: ModuleContext | None = None,
    *,
    describe_only: bool = False,
) -> ModulePlan:
    """Plan the fixes for one module's findings (as :func:`~fixer.rules.check.check_module` gave them).

    Returns every finding with its fixes attached, the merged changes to apply,
    which findings they fix, which fixes were skipped and why, and errors (a
    mode that cannot be applied: values missing in complete mode). A module
    comment mode cannot handle (a backend in JSON) is not an error: nothing
    changes and every finding is skipped with the reason. Never raises for
    ordinary input. With ``describe_only`` (a text report counts and describes
    fixes) the same fixes are attached, but comment mode's are without edits:
    such a plan is never applied.
    """
    context = context or ModuleContext()
    planner = _Planner(view, options, context, describe_only)
    generated = _generated_backend(view)
    if generated is not None:
        # Terragrunt writes the file again on its next run: the fix belongs in its config.
        reason = (
            f"{PurePath(generated).name} is generated by Terragrunt: change the terragrunt.hcl "
            "that generates it"
        )
        skipped = tuple(SkippedFix(f, reason) for f in findings)
        return ModulePlan(view.directory, tuple(findings), (), (), skipped, (), ())
    blockers = [f for f in findings if _is_blocker(f)]
    effective = view.effective_backend
    if options.mode is Mode.COMPLETE and effective is not None:
        # Values meant for a backend this module does not have: say so even when
        # nothing needs completing, rather than ignore them quietly.
        offered = planner.context.sources
        refusal = unaccepted_keys(effective, [*offered.sets, *offered.backend_config])
        if refusal is not None:
            planner.errors.append(f"cannot complete the {effective.type} backend: {refusal}")
            blockers = []
    mode_fix: Fix | None = None
    shown_fix: Fix | None = None  # the mode fix a finding shows, applied or not
    held_back: str | None = None  # why the mode fix is not applied
    if blockers:
        held_back, takes_state = _mode_hold(view, options)
        if held_back is None:
            mode_fix = planner.mode_fix(findings)
            if mode_fix is not None and takes_state:
                mode_fix = replace(mode_fix, applicability=Applicability.UNSAFE)
                planner.warnings.extend(takes_state)
            shown_fix = mode_fix
        elif takes_state:
            # Planned apart and thrown away: reports still show what --unsafe would do.
            probe = _Planner(view, options, context, describe_only).mode_fix(findings)
            if probe is not None:
                shown_fix = replace(probe, applicability=Applicability.UNSAFE)
    if planner.declined is not None:
        # All or nothing: a module the mode cannot handle keeps every byte, and every finding.
        declined = tuple(SkippedFix(f, planner.declined) for f in findings)
        return ModulePlan(view.directory, tuple(findings), (), (), declined, (), ())
    if options.readme:
        planner.readme(mode_fix)
    result: list[Finding] = []
    applied: list[Finding] = []
    skipped: list[SkippedFix] = []
    for finding in findings:
        if _is_blocker(finding) or (mode_fix is not None and _key(finding) in planner.by_mode):
            if shown_fix is not None:
                finding = replace(finding, fixes=(shown_fix,))
            if mode_fix is not None:
                applied.append(finding)
            elif held_back is not None and _is_blocker(finding):
                skipped.append(SkippedFix(finding, held_back))
            result.append(finding)
            continue
        fix, reason = planner.targeted(finding)
        if fix is not None:
            finding = replace(finding, fixes=(fix,))
            if reason is None:
                applied.append(finding)
            else:
                skipped.append(SkippedFix(finding, reason))
        result.append(finding)
    try:
        changes = planner.changes()
    except ValueError as error:
        planner.errors.append(f"{view.directory}: fixes overlap ({error}); nothing was changed")
        changes = ()
        applied = []
    return ModulePlan(
        view.directory,
        tuple(result),
        changes,
        tuple(applied),
        tuple(skipped),
        tuple(planner.errors),
        tuple(planner.warnings),
    )
