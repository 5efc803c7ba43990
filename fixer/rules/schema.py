"""Rules read from the backend schema: unknown arguments, types, values, duplicates, combinations.

Each rule asks the backend table (:mod:`fixer.terraform.backends` and
:mod:`fixer.terraform.schema`) what Terraform checks and names no argument
itself. A finding quotes the headline Terraform prints and says which admitted
versions print it: one admitted version that rejects the configuration is
enough, as for the lifecycle rules. All of them judge the effective backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fixer.rules.base import (
    MODE_FIX,
    Category,
    Finding,
    RuleDoc,
    RuleInfo,
    Severity,
)
from fixer.rules.common import backend_title, finding, join_words, needs_init_values
from fixer.rules.locations import backend_location
from fixer.rules.structure import closest_name
from fixer.rules.tables import sources_of
from fixer.rules.written import (
    NOT_CONSTANT,
    Written,
    schema_of,
    switched_on,
    versions_words,
    written_arguments,
)
from fixer.terraform import (
    ARGUMENT_SETS,
    ARGUMENTS,
    ArgumentSet,
    BackendArgument,
    BackendBlock,
    Check,
    CheckKind,
    Coverage,
    Diagnostic,
    Dialect,
    ModuleView,
    Rejection,
    Relation,
    Role,
    Syntax,
    VersionRange,
    argument_sets,
    arguments,
    check_rejections,
    releases,
    type_problem,
)

_EMPTY_KINDS = (CheckKind.NOT_EMPTY, CheckKind.NOT_BLANK)
_MODES_SHORT = (
    "Backend-wide, chosen with `--mode`: comment mode comments the block out (local "
    "state, `restore` undoes it) and override mode writes `backend_override.tf`; "
    "complete mode cannot guess the intended value and refuses, naming what is left."
)


def _judged(view: ModuleView) -> BackendBlock | None:
    """The effective backend when the table can judge its arguments, else None.

    A type the table lists no arguments for, or one that an admitted version
    removed (BF013 reports it), is not judged argument by argument.
    """
    backend = view.effective_backend
    known = schema_of(backend) if backend is not None else None
    if backend is None or known is None or not arguments(backend.type):
        return None
    if known.status(view.dialect.dialect, view.version_range).removed is not Coverage.NONE:
        return None
    return backend


def _quote(diagnostic: Diagnostic, value: Any = None) -> str:
    """``"Invalid Value: The value must not ..."`` as Terraform prints it."""
    detail = diagnostic.detail
    if "{value}" in detail or "{length}" in detail:
        text = value if isinstance(value, str) else str(value)
        detail = detail.replace("{value}", text).replace("{length}", str(len(text)))
    headline = diagnostic.headline.replace("{value}", str(value))
    return f'"{headline}: {detail}"' if detail else f'"{headline}"'


def _rejection_words(view: ModuleView, rejections: Sequence[Rejection], value: Any) -> str:
    parts = [
        f"{versions_words(view, r.versions, r.diagnostic.dialect)} fails init with "
        f"{_quote(r.diagnostic, value)}"
        for r in rejections
    ]
    return "; ".join(parts)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is True or value is False:
        return "true" if value else "false"
    return repr(value)


def _admitted(view: ModuleView) -> VersionRange:
    return releases(view.dialect.dialect, view.version_range)


# -- docs drawn from the table --------------------------------------------------------------


def _diagnostic_lines(diagnostics: Iterable[Diagnostic]) -> str:
    parts = []
    for d in diagnostics:
        parts.append(f'{d.dialect.display_name} {d.versions.describe()}: "{d.headline}"')
    return "; ".join(parts)


def _check_lines(predicate: Any) -> str:
    lines = []
    for row in ARGUMENTS:
        for nested in (row, *row.attributes):
            name = row.qualified_name if nested is row else f"{row.qualified_name}.{nested.name}"
            lines.extend(
                f"- {name} {check.words}: {_diagnostic_lines(check.diagnostics)}"
                for check in nested.checks
                if predicate(check)
            )
    return "\n".join(dict.fromkeys(lines))


def _set_lines() -> str:
    lines = []
    for rule in ARGUMENT_SETS:
        words = _RELATION_WORDS[rule.relation].format(
            names=join_words(rule.names, "or" if rule.relation is not Relation.TOGETHER else "and"),
            first=rule.names[0],
            rest=join_words(rule.names[1:]),
        )
        lines.append(f"- {rule.backend}: {words}: {_diagnostic_lines(rule.diagnostics)}")
    return "\n".join(lines)


def _check_sources(predicate: Any) -> tuple[str, ...]:
    return sources_of(
        *(
            check.sources
            for row in ARGUMENTS
            for nested in (row, *row.attributes)
            for check in nested.checks
            if predicate(check)
        )
    )


# -- BF017 ----------------------------------------------------------------------------------


class UnsupportedArgument:
    info = RuleInfo(
        code="BF017",
        name="unsupported-argument",
        severity=Severity.ERROR,
        summary='Not an argument of the backend: "Unsupported argument" (TF 1.5+, OpenTofu 1.6+)',
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "An argument of the effective backend that its type does not have (`encrypted "
                "= true`, a `cloud` block's `bucket`), one that some admitted version does not "
                "have yet (`assume_role` under `>= 1.5`), a nested block the backend does not "
                "define, an argument inside a nested block that is not one of its attributes "
                "(`workspaces { prefix = ... }` in a cloud block) and a nested block type "
                "written as an attribute (`workspaces = { ... }`). Removed arguments are BF005's, "
                "`use_lockfile` BF007's and object arguments written as blocks BF009's."
            ),
            why=(
                "Terraform decodes the block against the backend's schema first: \"Unsupported "
                'argument: An argument named "encrypted" is not expected here." or "Unsupported '
                'block type: Blocks of type "x" are not expected here." Init stops before it '
                "touches the state."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                "    encrypted    = true\n"
                "  }\n"
                "}\n"
            ),
            fix=_MODES_SHORT + " The message names the closest argument the backend has.",
            versions=(
                "Every Terraform and OpenTofu version: the arguments of each backend type "
                "and the versions that have them are the table's rows (`backend-fixer rules "
                "BF005` lists removals)."
            ),
            sources=("https://developer.hashicorp.com/terraform/language/backend",),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged(view)
        if backend is None:
            return
        dialect = view.dialect.dialect
        known = [r.name for r in _rows(backend)]
        for written in written_arguments(backend):
            if written.repeat or written.in_object:
                continue
            message = self._problem(view, backend, written, known, dialect)
            if message is not None:
                yield finding(self.info, message, written.location, subject=written.name)

    @staticmethod
    def _problem(
        view: ModuleView,
        backend: BackendBlock,
        written: Written,
        known: list[str],
        dialect: Dialect,
    ) -> str | None:
        title = backend_title(backend)
        kind = "a nested block type" if written.is_block else "an argument"
        where = (
            f"in {title}"
            if written.parent is None
            else f"in {written.name.rpartition('.')[0]} of {title}"
        )
        row = written.row
        if row is None:
            if written.parent is not None:
                candidates = [a.name for a in written.parent.attributes]
            else:
                candidates = known
            close = closest_name(written.leaf, candidates)
            hint = f' Did you mean "{close}"?' if close else ""
            quoted = (
                f'"Unsupported block type: Blocks of type "{written.leaf}" are not expected here."'
                if written.is_block
                else f'"Unsupported argument: An argument named "{written.leaf}" is not expected here."'
            )
            return (
                f"{written.leaf} {where} is not {kind} this backend has: init fails with "
                f"{quoted}{hint}"
            )
        if written.parent is None and row.syntax is Syntax.BLOCK and not written.is_block:
            if backend.block is None:
                return None  # JSON writes blocks as objects
            return (
                f"{row.name} {where} is a nested block, written as an attribute: write "
                f'{row.name} {{ ... }} without "=". Init fails with "Unsupported argument: An '
                f'argument named "{row.name}" is not expected here. Did you mean to define a block '
                f'of type "{row.name}"?"'
            )
        if written.is_block and row.syntax is Syntax.ATTRIBUTE:
            return (
                f"{row.name} {where} is an argument, written as a block: init fails with "
                f'"Unsupported block type: Blocks of type "{row.name}" are not expected here."'
            )
        if written.parent is not None:
            return None
        status = row.status(dialect, view.version_range)
        if status.removed is not Coverage.NONE or Role.LOCK_FLAG in row.roles:
            return None  # BF005 and BF007 judge these
        if status.available is Coverage.ALL:
            return None
        added = row.lifecycle(dialect).added
        if added is None:
            return None
        lacking = _admitted(view).intersect(VersionRange.below(added))
        if lacking.is_empty():
            return None
        return (
            f"{row.name} {where} came with {dialect.display_name} {added}, but the module admits "
            f"{versions_words(view, view.version_range)}: {versions_words(view, lacking)} fails init "
            f'with "Unsupported argument: An argument named "{row.name}" is not expected here." '
            f'Require ">= {added}" in required_version, or remove it.'
        )


def _rows(backend: BackendBlock) -> tuple[BackendArgument, ...]:
    return arguments(backend.type)


# -- BF018 ----------------------------------------------------------------------------------


def _object_attributes(row: BackendArgument) -> dict[str, tuple[str, bool]]:
    return {a.name: (a.type.value, a.required) for a in row.attributes}


def type_findings(written: Written) -> str | None:
    """Terraform's words for why ``written`` has the wrong type, or None (also for unknown values)."""
    row = written.row
    if row is None or written.is_block or written.value is NOT_CONSTANT:
        return None
    if row.syntax is Syntax.BLOCK:
        return None
    attributes = _object_attributes(row) if row.syntax is Syntax.OBJECT else None
    return type_problem(row.type.value, written.value, attributes)


class WrongType:
    info = RuleInfo(
        code="BF018",
        name="wrong-type",
        severity=Severity.ERROR,
        summary='A value of the wrong type: "Incorrect attribute value type" (TF 1.5+, OpenTofu 1.6+)',
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "A constant value that Terraform's type conversion rejects for the argument: "
                '`encrypt = "yes"` or `1` (a bool takes true, false, "true", "false", "1" or '
                '"0"), `max_retries = "five"`, `bucket = ["x"]`, a single string for a list or '
                'set, `endpoints = "http://..."` for an object, and an object that lacks a '
                'required attribute (`assume_role = {}` needs `role_arn`). `encrypt = "true"` '
                'and `max_retries = "5"` convert and are fine.'
            ),
            why=(
                'Init fails while decoding the block: "Incorrect attribute value type: '
                'Inappropriate value for attribute "encrypt": a bool is required."'
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                '    encrypt      = "yes"\n'
                "  }\n"
                "}\n"
            ),
            fix=_MODES_SHORT,
            versions=(
                "Every Terraform and OpenTofu version (cty's conversions); the type of each "
                "argument is its row's. The cloud block's `tags` takes a map from Terraform 1.10."
            ),
            sources=(
                "https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-primitive-types",
            ),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged(view)
        if backend is None:
            return
        title = backend_title(backend)
        for written in written_arguments(backend):
            problem = type_findings(written)
            if problem is None:
                continue
            row = written.row
            assert row is not None
            scope = ""
            if row.map_since is not None and isinstance(written.value, dict):
                lacking = _admitted(view).intersect(VersionRange.below(row.map_since))
                if lacking.is_empty():
                    continue
                scope = (
                    f" ({versions_words(view, lacking)}; a map is accepted from {row.map_since})"
                )
            yield finding(
                self.info,
                f"{written.name} in {title} is {_shown(written.value)}: init fails with "
                f'"Incorrect attribute value type: Inappropriate value for attribute '
                f'"{written.leaf}": {problem}."{scope}',
                written.location,
                subject=written.name,
            )


# -- BF019 ----------------------------------------------------------------------------------


def _value_check(check: Check) -> bool:
    return check.kind not in _EMPTY_KINDS


def value_rejections(
    view: ModuleView, backend: BackendBlock, written: Written, kinds: Any = _value_check
) -> list[tuple[Check, tuple[Rejection, ...]]]:
    """The checks of ``written``'s row that reject its value in some admitted version."""
    row = written.row
    if row is None or written.repeat or written.value is NOT_CONSTANT:
        return []
    if type_findings(written) is not None:
        return []
    dialect = view.dialect.dialect
    found = []
    for check in row.checks:
        if not kinds(check):
            continue
        if check.kind is CheckKind.UNUSABLE:
            rejections = check_rejections(check, True, dialect, view.version_range)
        elif written.is_block:
            continue
        else:
            rejections = check_rejections(
                check,
                written.value,
                dialect,
                view.version_range,
                switched_off=lambda name: switched_on(backend, name),
            )
        if rejections:
            found.append((check, rejections))
    return found


class InvalidValue:
    info = RuleInfo(
        code="BF019",
        name="invalid-value",
        severity=Severity.ERROR,
        summary='A value the backend rejects: "Invalid Value", "Invalid region value"... (TF 1.5+)',
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "A constant value that fails a check the backend applies before it reaches its "
                "service: a `key` that starts or ends with `/` or contains `//`, a region the "
                "release does not know (case-sensitive; newer regions are rejected by older "
                "releases), a `kms_key_id` that is neither a key ID nor an ARN, `retry_mode` "
                "outside its enumeration, an `assume_role` whose `role_arn` is not a role ARN, "
                "a duration without a unit, an http backend address that is not http(s)... "
                "Each check and the versions that apply it are listed below."
            ),
            why=(
                "Init stops with the backend's own diagnostic, before any state is read; the "
                "message quotes it."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-99"\n'
                "    use_lockfile = true\n"
                "    encrypt      = true\n"
                "  }\n"
                "}\n"
            ),
            fix=_MODES_SHORT,
            versions="Checks (argument, rule: program and versions: headline):\n"
            + _check_lines(_value_check),
            sources=_check_sources(_value_check),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged(view)
        if backend is None:
            return
        title = backend_title(backend)
        for written in written_arguments(backend):
            for check, rejections in value_rejections(view, backend, written):
                shown = "" if written.is_block else f" is {_shown(written.value)}"
                yield finding(
                    self.info,
                    f"{written.name} in {title}{shown} ({check.words}): "
                    + _rejection_words(view, rejections, written.value)
                    + ".",
                    written.location,
                    subject=written.name,
                )


# -- BF010 (the empty and null values) -----------------------------------------------------


def _empty_check(check: Check) -> bool:
    return check.kind in _EMPTY_KINDS


def empty_findings(view: ModuleView, backend: BackendBlock) -> Iterator[tuple[Written, str]]:
    """Empty or blank values a check rejects, and ``null`` for required arguments, with the message."""
    title = backend_title(backend)
    dialect = view.dialect.dialect
    for written in written_arguments(backend):
        if written.row is None or written.repeat:
            continue
        row = written.row
        if written.value is None and not written.is_block:
            if written.parent is not None and written.in_object:
                required = row.required
                window = _admitted(view) if required else VersionRange.nothing()
            else:
                window = _admitted(view).intersect(row.required_in(dialect))
                window = window.intersect(row.lifecycle(dialect).available())
            if window.is_empty() or not row.required:
                continue
            said = [d for d in row.missing if d.dialect is dialect] or None
            quoted = (
                _rejection_words(
                    view,
                    [
                        Rejection(d, window.intersect(d.versions))
                        for d in said
                        if not window.intersect(d.versions).is_empty()
                    ],
                    None,
                )
                if said
                else f"{versions_words(view, window)} fails init: it is required"
            )
            yield (
                written,
                f"{written.name} in {title} is null, which is the same as leaving it out, and it "
                f"is required: {quoted}. Write the value, or remove the line and pass it with "
                "-backend-config.",
            )
            continue
        found = [
            r
            for _, rejections in value_rejections(view, backend, written, _empty_check)
            for r in rejections
        ]
        if found:
            shown = '""' if written.value == "" else "all blank"
            yield (
                written,
                f"{written.name} in {title} is {shown}: an empty value is not a placeholder, "
                + _rejection_words(view, found, written.value)
                + f". Write the real value, or remove {written.leaf} and pass it with -backend-config.",
            )


# -- BF020 ----------------------------------------------------------------------------------


class DuplicateArgument:
    info = RuleInfo(
        code="BF020",
        name="duplicate-argument",
        severity=Severity.ERROR,
        summary='An argument written twice: "Attribute redefined" (TF 1.5+, OpenTofu 1.6+)',
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "An argument written a second time in the effective backend or in one of its "
                "nested blocks, and a second nested block of a type that allows one "
                "(`workspaces`). The finding points at the repeat."
            ),
            why=(
                'HCL allows each argument once per body: "Attribute redefined: The argument '
                '"bucket" was already set at main.tf:3,5-11. Each argument may be set only '
                'once." A second `workspaces` block is "Duplicate workspaces block". Which '
                "value was meant is a person's decision."
            ),
            example=(
                "terraform {\n"
                '  backend "s3" {\n'
                '    bucket = "acme-state"\n'
                '    bucket = "acme-state-2"\n'
                '    key    = "app/terraform.tfstate"\n'
                '    region = "us-east-1"\n'
                "  }\n"
                "}\n"
            ),
            fix=_MODES_SHORT,
            versions="Every Terraform and OpenTofu version (the HCL decoder).",
            sources=("https://developer.hashicorp.com/terraform/language/syntax/configuration",),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged(view)
        if backend is None or backend.block is None:
            return
        title = backend_title(backend)
        for written in written_arguments(backend):
            if not written.repeat:
                continue
            row = written.row
            if written.is_block:
                if row is None or row.syntax is not Syntax.BLOCK:
                    continue  # an unsupported block: BF017 or BF009 say so
                quoted = f'"Duplicate {written.leaf} block: Only one block of type "{written.leaf}" is allowed."'
            else:
                quoted = (
                    f'"Attribute redefined: The argument "{written.leaf}" was already set. Each '
                    'argument may be set only once."'
                )
            yield finding(
                self.info,
                f"{written.name} appears again in {title}: init fails with {quoted} Keep one.",
                written.location,
                subject=written.name,
            )


# -- BF021 ----------------------------------------------------------------------------------


def _counts_as_set(rule: ArgumentSet, name: str, value: Any) -> bool:
    if value is None:
        return False
    if name.rpartition(".")[2] in rule.true_only or name in rule.true_only:
        return value is True or value in ("true", "1")
    return not (rule.empty_is_unset and value == "")


# Relations no block can break without writing one of their names.
_NEEDS_ONE_WRITTEN = frozenset({Relation.CONFLICT, Relation.TOGETHER, Relation.REQUIRES})


def combination_violations(
    view: ModuleView, backend: BackendBlock
) -> Iterator[tuple[ArgumentSet, list[Written], tuple[Rejection, ...]]]:
    """The argument sets ``backend`` breaks, the arguments involved, and what init prints."""
    written = {w.name: w for w in written_arguments(backend) if not w.repeat}
    dialect = view.dialect.dialect
    partial = needs_init_values(view, backend)
    for rule in argument_sets(backend.type):
        if rule.relation in _NEEDS_ONE_WRITTEN and not any(n in written for n in rule.names):
            continue  # the common case, decided before anything else is looked at
        if partial and rule.relation is Relation.AT_LEAST_ONE:
            # The rest of a partial block arrives at init, with what satisfies the set.
            continue
        parent = rule.parent
        if parent is not None and (parent not in written or written[parent].value is None):
            continue
        if any(name in written and written[name].value is NOT_CONSTANT for name in rule.names):
            continue
        present = [
            name
            for name in rule.names
            if name in written and _counts_as_set(rule, name, written[name].value)
        ]
        if not rule.violated(present):
            continue
        rejections = tuple(
            Rejection(d, _admitted(view).intersect(d.versions))
            for d in rule.diagnostics
            if d.dialect is dialect and not _admitted(view).intersect(d.versions).is_empty()
        )
        if rejections:
            yield rule, [written[n] for n in present], rejections


_RELATION_WORDS = {
    Relation.CONFLICT: "only one of {names} may be set",
    Relation.EXACTLY_ONE: "exactly one of {names} must be set",
    Relation.AT_LEAST_ONE: "one of {names} must be set",
    Relation.TOGETHER: "{names} go together",
    Relation.REQUIRES: "{first} needs {rest}",
}


class ArgumentCombination:
    info = RuleInfo(
        code="BF021",
        name="argument-combination",
        severity=Severity.ERROR,
        summary='Conflicting or missing alternatives: "Invalid Attribute Combination" (TF 1.5+)',
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "Two arguments the backend does not allow together (`force_path_style` and "
                "`use_path_style`, `endpoint` and `endpoints.s3`, `kms_key_id` and "
                "`sse_customer_key`, the remote backend's workspace `name` and `prefix`), and "
                "a set of which the backend needs one (an azurerm authentication method from "
                "Terraform 1.11). Deprecated twins are not only a warning: together with their "
                "replacement they stop init."
            ),
            why="Init stops with the backend's diagnostic before any state is read.",
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket           = "acme-state"\n'
                '    key              = "app/terraform.tfstate"\n'
                '    region           = "us-east-1"\n'
                "    use_lockfile     = true\n"
                "    encrypt          = true\n"
                "    force_path_style = true\n"
                "    use_path_style   = true\n"
                "  }\n"
                "}\n"
            ),
            fix=_MODES_SHORT,
            versions="Rules over several arguments:\n" + _set_lines(),
            sources=sources_of(*(rule.sources for rule in ARGUMENT_SETS)),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged(view)
        if backend is None:
            return
        title = backend_title(backend)
        for rule, involved, rejections in combination_violations(view, backend):
            names = join_words(
                rule.names, "or" if rule.relation is not Relation.TOGETHER else "and"
            )
            words = _RELATION_WORDS[rule.relation].format(
                names=names, first=rule.names[0], rest=join_words(rule.names[1:])
            )
            location = involved[-1].location if involved else backend_location(backend)
            notes = []
            if rule.env_vars:
                notes.append(
                    f"{join_words(rule.env_vars, 'or')} in the environment satisfies it too, where "
                    "every run that inits the module sets it."
                )
            if rule.note:
                notes.append(rule.note)
            yield finding(
                self.info,
                f"{title}: {words}: " + _rejection_words(view, rejections, None) + ".",
                location,
                subject=involved[-1].name if involved else backend.type,
                notes=notes,
            )
