"""A backend judged with its init context: served (BF015), or served by what cannot be followed (BF016).

A partial backend is Terraform's documented way to keep per-environment values
out of code; it breaks only where something runs init without them. The view
carries every init the repository runs for the module (pipelines, Makefiles,
scripts, Terragrunt, Atlantis, docs, declared ones); :func:`judge_inits` sorts
them by what they pass for the values the block needs. BF001 and BF010 report
an init that lacks them at its own line; BF015 says a backend is served and by
whom; BF016 warns when the only inits are ones the tool cannot follow.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from fixer.rules.base import (
    Applicability,
    Category,
    Finding,
    FixDeclaration,
    FixKind,
    RuleDoc,
    RuleInfo,
    Severity,
    Source,
)
from fixer.rules.common import backend_title, finding, join_words, missing_arguments
from fixer.rules.locations import backend_location
from fixer.rules.memo import remember_last
from fixer.terraform import BackendBlock, ModuleView, argument
from fixer.terraform.init_context import InitPath, InitSite, ModuleInits, SuppliedValue

__all__ = [
    "InitVerdict",
    "ServedBackend",
    "UnfollowedInit",
    "init_sources",
    "judge_inits",
    "needed_from_init",
    "served",
    "supplied_for",
]

_PARTIAL_DOCS = "https://developer.hashicorp.com/terraform/language/backend#partial-configuration"
_CLI_ARGS = "https://developer.hashicorp.com/terraform/cli/config/environment-variables#tf_cli_args-and-tf_cli_args_name"

# A served backend commented out or overridden makes its pipelines use local
# state: the mode fix exists, but only with --unsafe.
SERVED_MODE_FIX = FixDeclaration(
    FixKind.MODE,
    frozenset({Applicability.UNSAFE}),
    unsafe_when="always: the pipelines that serve the backend would start from empty local state",
)


def needed_from_init(view: ModuleView, backend: BackendBlock) -> tuple[str, ...]:
    """The arguments ``backend`` needs from init: required ones it lacks, and empty placeholders.

    An empty string (``bucket = ""``) counts: a ``-backend-config`` value replaces it.
    """
    names = [m.name for m in missing_arguments(view, backend)]
    for name, value in backend.arguments.items():
        row = argument(backend.type, name)
        if row is None or not row.rejects_empty or value.value is None:
            continue
        text = value.value.value
        if isinstance(text, str) and not text.strip() and name not in names:
            names.append(name)
    return tuple(names)


@dataclass(frozen=True, slots=True)
class InitVerdict:
    """The inits that reach a module, sorted by what they pass for ``needed``.

    ``serving`` supply every needed value; ``lacking`` miss some (with the
    names) and pass nothing the tool cannot see; ``uncertain`` miss some but
    pass something opaque that may hold them; ``unresolved`` are inits whose
    directory is computed and might be this module. ``terragrunt`` names the
    Terragrunt configuration managing the module, if any.
    """

    needed: tuple[str, ...]
    serving: tuple[InitPath, ...]
    lacking: tuple[tuple[InitPath, tuple[str, ...]], ...]
    uncertain: tuple[tuple[InitPath, tuple[str, ...]], ...]
    unresolved: tuple[InitSite, ...]
    terragrunt: str | None

    @property
    def served(self) -> bool:
        """Every init that reaches the module supplies every needed value (and one does)."""
        return bool(self.serving) and not self.lacking and not self.uncertain

    @property
    def found_nothing(self) -> bool:
        return not (self.serving or self.lacking or self.uncertain or self.unresolved)


def judge_inits(
    view: ModuleView, backend: BackendBlock, needed: Sequence[str] | None = None
) -> InitVerdict | None:
    """Sort the inits reaching ``view``'s module by what they pass for ``backend``.

    ``needed`` defaults to :func:`needed_from_init`. None when the init context
    was not read (the block is then judged alone). An init with
    ``-backend=false`` needs no backend values and is left out.
    """
    inits = view.inits
    if inits is None:
        return None
    return _judge(view, backend, inits, tuple(needed) if needed is not None else None)


@remember_last  # BF001, BF010, BF015 and BF016 judge the same module one after the other
def _judge(
    view: ModuleView, backend: BackendBlock, inits: ModuleInits, needed: tuple[str, ...] | None
) -> InitVerdict:
    wanted = needed if needed is not None else needed_from_init(view, backend)
    serving: list[InitPath] = []
    lacking: list[tuple[InitPath, tuple[str, ...]]] = []
    uncertain: list[tuple[InitPath, tuple[str, ...]]] = []
    for path in inits.paths:
        if not path.initializes_backend:
            continue
        absent = tuple(n for n in wanted if path.provides(backend.type, n) is None)
        if not absent:
            serving.append(path)
        elif path.opaque:
            uncertain.append((path, absent))
        else:
            lacking.append((path, absent))
    unit = inits.terragrunt
    return InitVerdict(
        wanted,
        tuple(serving),
        tuple(lacking),
        tuple(uncertain),
        inits.unresolved,
        unit.config if unit is not None else None,
    )


def served(view: ModuleView, backend: BackendBlock) -> bool:
    """True when every init reaching the module supplies what ``backend`` lacks (and one does)."""
    verdict = judge_inits(view, backend)
    return verdict is not None and verdict.served


def supplied_for(view: ModuleView, backend: BackendBlock, name: str) -> bool:
    """Is argument ``name`` set outside the block: by a backend config file beside the
    module, or by every init that reaches it (at least one)?"""
    if view.supplied_by(name):
        return True
    inits = view.inits
    if inits is None:
        return False
    paths = [p for p in inits.paths if p.initializes_backend]
    return bool(paths) and all(p.provides(backend.type, name) is not None for p in paths)


def _origins(values: Sequence[SuppliedValue]) -> str:
    """``-backend-config=envs/prod.s3.tfbackend; AWS_REGION in the environment``."""
    return "; ".join(dict.fromkeys(v.origin for v in values))


def describe_path(path: InitPath, backend: BackendBlock, names: Sequence[str]) -> str:
    """``bucket, key, region from .github/workflows/deploy.yml:42 (-backend-config=...)``."""
    values = [v for n in names if (v := path.provides(backend.type, n)) is not None]
    return f"{join_words(names)} from {where_of(path)} ({_origins(values)})"


def where_of(path: InitPath) -> str:
    """``.github/workflows/deploy.yml:42, matrix env=prod``; a declared init by its label."""
    site = path.site
    where = site.location if site.line else f"{site.path} (declared in the config file)"
    if path.label and path.label != site.path:
        where += f", {path.label}"
    return where


def init_sources(verdict: InitVerdict, backend: BackendBlock) -> tuple[Source, ...]:
    """Every init of the verdict as a report source: where, what it runs, what it supplies or lacks."""
    sources: list[Source] = []
    for path in verdict.serving:
        sources.append(_source(path, backend, verdict.needed, ()))
    for path, absent in (*verdict.lacking, *verdict.uncertain):
        sources.append(_source(path, backend, verdict.needed, absent))
    for site in verdict.unresolved:
        sources.append(
            Source(site.path, site.line, site.command, (), verdict.needed, site.mechanism.value)
        )
    return tuple(sources)


def _source(
    path: InitPath, backend: BackendBlock, needed: Sequence[str], absent: Sequence[str]
) -> Source:
    supplied = tuple(n for n in needed if n not in absent)
    return Source(
        path.site.path,
        path.site.line,
        path.site.command,
        supplied,
        tuple(absent),
        path.site.mechanism.value,
    )


def _parameter_notes(paths: Sequence[InitPath]) -> list[str]:
    notes = []
    for path in paths:
        for parameter in path.parameters:
            notes.append(
                f"{path.site.location} uses {parameter}: whoever runs it may pass another value."
            )
    return notes


class ServedBackend:
    info = RuleInfo(
        code="BF015",
        name="served-backend",
        severity=Severity.INFO,
        summary="A partial backend whose values every init of the repository supplies",
        category=Category.CONTEXT,
        fix=SERVED_MODE_FIX,
        doc=RuleDoc(
            what=(
                "A backend block that lacks required values (or holds empty placeholders) "
                "while every init the repository runs for the module supplies them: a CI "
                "pipeline, a Makefile, a script, Terragrunt's `remote_state`, Atlantis, a "
                "command the docs show, or an init declared in the config file. The "
                "finding names each source with its line and what it supplies."
            ),
            why=(
                "Partial configuration is Terraform's documented way to keep "
                "per-environment values out of code. The pipeline that passes them "
                "initialises the backend; commenting the block out would make that "
                "pipeline's `terraform init -backend-config=...` succeed with local "
                "state, so every run would start from an empty state."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                "  # bucket, key and region come from the pipeline:\n"
                "  # terraform init -backend-config=envs/prod.s3.tfbackend\n"
                '  backend "s3" {}\n'
                "}\n"
            ),
            fix=(
                "None by default: a served backend is left alone. With `--unsafe`, "
                "comment and override mode switch it to local state anyway and name "
                "the pipelines that would lose their state; complete mode writes the "
                "served values into the block when every init agrees on them."
            ),
            versions="Every Terraform and OpenTofu version.",
            sources=(_PARTIAL_DOCS, _CLI_ARGS),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None or backend.is_cloud:
            return
        verdict = judge_inits(view, backend)
        if verdict is None or not verdict.needed or not verdict.served:
            return
        parts = [describe_path(p, backend, verdict.needed) for p in verdict.serving]
        notes = _parameter_notes(verdict.serving)
        if verdict.unresolved:
            notes.append(
                "Other inits might reach this module too; their directory is computed: "
                + ", ".join(s.location for s in verdict.unresolved)
                + "."
            )
        result = finding(
            self.info,
            f"{backend_title(backend)} is served: {'; '.join(parts)}.",
            backend_location(backend),
            subject=backend.type,
            notes=notes,
        )
        yield _with_sources(result, init_sources(verdict, backend))


class UnfollowedInit:
    info = RuleInfo(
        code="BF016",
        name="unfollowed-init",
        severity=Severity.WARNING,
        summary="A partial backend whose values may come from an init the tool cannot follow",
        category=Category.CONTEXT,
        doc=RuleDoc(
            what=(
                "A backend block that lacks required values, where the inits that reach "
                "the module pass something the tool cannot read (a reusable workflow "
                "outside the repository, a `-backend-config` file named by a secret, a "
                "computed working directory) and none is known to lack the values."
            ),
            why=(
                "The backend may well be served, or the job may fail at init: the tool "
                "cannot tell, so it warns instead of reporting an error or fixing it. "
                "Declaring the init in the config file (`[[init]]`) settles it."
            ),
            example=(
                "terraform {\n"
                "  # initialised by a reusable workflow in another repository\n"
                '  backend "s3" {}\n'
                "}\n"
            ),
            fix=(
                "No automatic fix. Declare how the module is initialised in "
                "`.backend-fixer.toml` (`[[init]]` with `modules` and `backend-config`), "
                "or pass the values where the tool can see them."
            ),
            versions="Every Terraform and OpenTofu version.",
            sources=(_PARTIAL_DOCS,),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None or backend.is_cloud:
            return
        verdict = judge_inits(view, backend)
        if verdict is None or not verdict.needed or verdict.lacking or verdict.served:
            return
        if not verdict.uncertain and (verdict.serving or not verdict.unresolved):
            return
        reasons = [
            f"{where_of(path)} passes {'; '.join(path.opaque)}" for path, _ in verdict.uncertain
        ]
        reasons.extend(
            f"{site.location} runs `{site.command}` in a directory computed at run time"
            for site in verdict.unresolved
            if not verdict.uncertain
        )
        names = join_words(verdict.needed)
        result = finding(
            self.info,
            f"{backend_title(backend)} needs {names} from init, and the tool cannot see "
            f"whether they are passed: {'; '.join(reasons)}.",
            backend_location(backend),
            subject=backend.type,
            notes=[
                "Declare the init in .backend-fixer.toml ([[init]] with modules and "
                "backend-config) so the tool can judge it."
            ],
        )
        yield _with_sources(result, init_sources(verdict, backend))


def _with_sources(result: Finding, sources: tuple[Source, ...]) -> Finding:
    return replace(result, sources=sources)


def lacking_message(verdict: InitVerdict, backend: BackendBlock) -> str:
    """`` .gitlab-ci.yml:12 runs `terraform init -input=false` here without bucket: that init fails.``"""
    path, absent = verdict.lacking[0]
    text = (
        f" {where_of(path)} runs `{path.site.command}` here without {join_words(absent)}: "
        "that init fails."
    )
    if len(verdict.lacking) > 1:
        others = ", ".join(where_of(p) for p, _ in verdict.lacking[1:])
        text += f" So do {others}."
    return text


def context_notes(verdict: InitVerdict, backend: BackendBlock) -> list[str]:
    """Notes for BF001/BF010 when inits are known: who serves the values, or how to declare them."""
    notes = [f"Served by {describe_path(p, backend, verdict.needed)}." for p in verdict.serving]
    if verdict.found_nothing:
        notes.append(
            "Nothing in the repository runs init for this module with these values; if a "
            "pipeline the tool cannot read does, declare it in .backend-fixer.toml "
            "([[init]] with modules and backend-config)."
        )
    return notes
