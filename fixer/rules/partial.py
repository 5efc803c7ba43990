"""Backends that cannot initialise unattended because values are missing or blank.

BF001 finds a partial backend: required arguments that neither the block nor
the environment supplies, so ``terraform init -input=false`` stops. BF010 finds
empty-string placeholders, which init rejects outright instead of prompting.
Both judge the effective backend: the block init will configure after override
files have had their say.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath

from fixer.rules.base import MODE_FIX, Category, Finding, RuleDoc, RuleInfo, Severity, Source
from fixer.rules.common import (
    Missing,
    backend_title,
    engine,
    finding,
    join_words,
    missing_arguments,
    versions_phrase,
)
from fixer.rules.inits import (
    InitVerdict,
    context_notes,
    init_sources,
    judge_inits,
    lacking_message,
)
from fixer.rules.locations import backend_location
from fixer.rules.schema import empty_findings
from fixer.rules.tables import required_lines, rows_where, sources_of
from fixer.rules.written import schema_of
from fixer.terraform import CheckKind, ModuleView

_MODES = (
    "Backend-wide, chosen with `--mode`:\n"
    "- comment: comments the block out under a header that says how to enable it "
    "again, so the module uses local state; `restore` undoes it exactly.\n"
    "- complete: fills in the missing values from `--set`, a `--backend-config` file, "
    "the module's own `*.tfbackend`, the config file's templates or the code "
    '(the `provider "aws"` region, variable defaults).\n'
    "- override: leaves tracked files alone and writes `backend_override.tf` with a "
    "local backend."
)


def _names(missing: list[Missing]) -> str:
    return join_words(m.name for m in missing)


def _message(view: ModuleView, title: str, missing: tuple[Missing, ...]) -> str:
    prompted = [m for m in missing if m.argument.prompts]
    from_env = [m for m in missing if not m.argument.prompts and m.argument.env_vars]
    silent = [m for m in missing if not m.argument.prompts and not m.argument.env_vars]
    verb, pronoun = ("is", "it") if len(missing) == 1 else ("are", "them")
    parts = [
        f"{title} is partial: {_names(list(missing))} {verb} missing, and "
        f"{versions_phrase(view)} requires {pronoun}."
    ]
    if prompted:
        parts.append(
            f"{engine(view)} would prompt for {_names(prompted)}; with -input=false "
            'init stops with "Missing Required Value".'
        )
    for m in from_env:
        env = join_words(m.argument.env_vars, "or")
        parts.append(f"{m.name} is never prompted for: init fails unless it or {env} is set.")
    if silent:
        verb, pronoun = ("is", "it") if len(silent) == 1 else ("are", "them")
        parts.append(f"{_names(silent)} {verb} never prompted for: init fails without {pronoun}.")
    return " ".join(parts)


def _notes(view: ModuleView, missing: tuple[Missing, ...]) -> list[str]:
    notes = []
    by_file: dict[str, list[str]] = {}
    for m in missing:
        for path in m.supplied_by:
            by_file.setdefault(path, []).append(m.name)
    for path, names in by_file.items():
        name = PurePath(path).name
        notes.append(
            f"{name} beside the module sets {join_words(names)}, but init reads it only "
            f"when passed as -backend-config={name}."
        )
    for m in missing:
        if m.argument.env_vars and m.argument.prompts:
            env = join_words(m.argument.env_vars, "or")
            notes.append(f"{m.name} can also come from {env} in the environment.")
    for m in missing:
        for found in view.inferred(m.argument):
            notes.append(
                f'{found.label} in {PurePath(found.path).name} uses {m.name} "{found.value}".'
            )
    return notes


def _breaks(verdict: InitVerdict) -> bool:
    """Does some init fail for want of values, or does nothing at all supply them?"""
    if verdict.lacking:
        return True
    return verdict.found_nothing


def _empty_lines() -> str:
    lines = []
    for row in rows_where(lambda r: r.rejects_empty):
        for check in row.checks:
            if check.kind in (CheckKind.NOT_EMPTY, CheckKind.NOT_BLANK):
                said = "; ".join(
                    f'{d.dialect.display_name} {d.versions.describe()}: "{d.headline}"'
                    for d in check.diagnostics
                )
                lines.append(f"- {row.qualified_name} ({check.words}): {said}")
    return "\n".join(lines)


class PartialBackend:
    info = RuleInfo(
        code="BF001",
        name="partial-backend",
        severity=Severity.ERROR,
        summary="Required backend arguments are missing, so unattended init fails",
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "A `backend` or `cloud` block that lacks arguments its backend type "
                "requires (for s3: `bucket`, `key` and `region`), judged on the block that "
                "wins after override files. The message says which ones a `*.tfbackend` "
                "or `backend.hcl` file beside the module sets, and which ones an "
                "environment variable could supply."
            ),
            why=(
                "A partial configuration expects the rest at `terraform init "
                "-backend-config=...`. In CI nobody passes it: Terraform would prompt, "
                "and with `-input=false` init stops with `Missing Required Value` (for "
                "s3 `region`, which is never prompted for, with `Missing region value` "
                "unless `AWS_REGION` or `AWS_DEFAULT_REGION` is set). Nothing can be "
                "planned, applied or tested until someone intervenes. A backend "
                "configuration file beside the module helps only if the pipeline "
                "passes it."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.5.0"\n'
                "\n"
                "  # Partial backend config: values are injected at `terraform init` time\n"
                '  backend "s3" {}\n'
                "}\n"
            ),
            fix=_MODES,
            versions=(
                "Every Terraform and OpenTofu version. Required arguments per backend "
                "type (`cloud` is the cloud block):\n" + required_lines()
            ),
            sources=sources_of(
                [
                    "https://developer.hashicorp.com/terraform/language/backend#partial-configuration"
                ],
                (r.source for r in rows_where(lambda r: r.required)),
            ),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None:
            return
        missing = missing_arguments(view, backend)
        if not missing:
            return
        verdict = judge_inits(view, backend)
        if verdict is not None and not _breaks(verdict):
            return  # served (BF015), or served by what cannot be followed (BF016)
        message = _message(view, backend_title(backend), missing)
        notes = _notes(view, missing)
        sources: tuple[Source, ...] = ()
        if verdict is not None:
            if verdict.lacking:
                message += lacking_message(verdict, backend)
            notes = [*context_notes(verdict, backend), *notes]
            sources = init_sources(verdict, backend)
        result = finding(
            self.info, message, backend_location(backend), subject=backend.type, notes=notes
        )
        yield replace(result, sources=sources)


class EmptyValue:
    info = RuleInfo(
        code="BF010",
        name="empty-value",
        severity=Severity.ERROR,
        summary='An empty or null value init rejects: `bucket = ""` is "Invalid Value"',
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "An argument of the effective backend set to an empty or all-blank string "
                "where the backend checks for one (s3 `bucket` and `key`, `local` `path`, the "
                'http `address`; s3 `region = ""` counts as missing), and a required '
                "argument set to `null`, which Terraform treats as absent. Where a backend "
                'accepts `""` (consul `path`, gcs `bucket` before the network) it is no finding.'
            ),
            why=(
                'An empty string is not a placeholder: `bucket = ""` is not "ask me '
                'later" but a value, and init fails with "Invalid Value: The value '
                'cannot be empty or all whitespace" instead of prompting. A value '
                "passed with `-backend-config` replaces it, so the module works only "
                "where someone remembers to pass one."
            ),
            example=(
                "terraform {\n"
                '  backend "s3" {\n'
                '    bucket = ""\n'
                '    key    = "app/terraform.tfstate"\n'
                '    region = "us-east-1"\n'
                "  }\n"
                "}\n"
            ),
            fix=_MODES.replace(
                "fills in the missing values",
                "replaces the placeholders and fills in missing values",
            ),
            versions=(
                "Arguments whose empty value init rejects, and what it prints:\n" + _empty_lines()
            ),
            sources=sources_of(r.source for r in rows_where(lambda r: r.rejects_empty)),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None or schema_of(backend) is None:
            return
        for written, message in empty_findings(view, backend):
            verdict = judge_inits(view, backend, (written.name,))
            if verdict is not None and not _breaks(verdict):
                continue  # every init passes a value, which replaces the placeholder
            notes = [
                f"{PurePath(path).name} sets {written.name}, but only when passed as -backend-config."
                for path in view.supplied_by(written.name)
            ]
            sources: tuple[Source, ...] = ()
            if verdict is not None:
                if verdict.lacking:
                    message += lacking_message(verdict, backend)
                notes = [*context_notes(verdict, backend), *notes]
                sources = init_sources(verdict, backend)
            result = finding(
                self.info, message, written.location, subject=written.name, notes=notes
            )
            yield replace(result, sources=sources)
