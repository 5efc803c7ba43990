"""The init context's values: where init runs, what it reaches, what it passes.

An :class:`InitSite` is one place in the repository that runs ``terraform init``
(or ``tofu init``, Terragrunt, a CI task that does); each of its
:class:`Reach` es is one working directory it runs in with the arguments and
environment it has there (a literal matrix gives several). The resolver turns a
reach of one module into an :class:`InitPath` whose ``-backend-config`` files are
read into :class:`SuppliedValue` s, and :class:`ModuleInits` gathers every path
to one module. Nothing here reads files; every value is frozen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from fixer.terraform.backends import argument
from fixer.terraform.init_context.values import Parameter

__all__ = [
    "BackendConfigArgument",
    "DeclaredInit",
    "InitPath",
    "InitSite",
    "Mechanism",
    "ModuleInits",
    "Reach",
    "SuppliedValue",
    "TerragruntUnit",
]


class Mechanism(StrEnum):
    """What runs an init: a CI system, a task runner, a script, Terragrunt, docs."""

    GITHUB_ACTIONS = "github-actions"
    GITLAB_CI = "gitlab-ci"
    AZURE_PIPELINES = "azure-pipelines"
    CIRCLECI = "circleci"
    BITBUCKET = "bitbucket"
    JENKINS = "jenkins"
    MAKEFILE = "makefile"
    JUSTFILE = "justfile"
    TASKFILE = "taskfile"
    SCRIPT = "script"
    TERRAGRUNT = "terragrunt"
    ATLANTIS = "atlantis"
    DOCS = "docs"
    DECLARED = "declared"


@dataclass(frozen=True, slots=True)
class DeclaredInit:
    """An init the config file declares, for pipelines the tool cannot read.

    ``modules`` are ``fnmatch`` patterns of repo-relative module paths
    (``envs/*``); ``backend_config`` are ``-backend-config`` values, ``key=value``
    pairs or repo-relative file paths, in which ``{module_path}`` and
    ``{module_name}`` are replaced per module; ``label`` says where it runs.
    """

    modules: tuple[str, ...]
    backend_config: tuple[str, ...] = ()
    label: str = "declared init"


@dataclass(frozen=True, slots=True)
class SuppliedValue:
    """One backend argument an init supplies.

    ``value`` is the literal value when it is visible, None when the argument
    is known to be supplied but its value is not (a secret, an environment
    variable, a function call). ``origin`` says how, for messages; ``file`` is
    the backend configuration file it came from, if any.
    """

    name: str
    value: str | None
    origin: str
    file: str | None = None


@dataclass(frozen=True, slots=True)
class BackendConfigArgument:
    """One ``-backend-config`` value as an init passes it.

    ``text`` is the expanded value (it may hold markers, see ``values``);
    ``written`` is the flag as written, for messages; ``origin`` is
    ``written`` or the environment variable that carried it
    (``TF_CLI_ARGS_init``); relative file paths resolve against ``base``, the
    init's working directory (None when that is not known).
    """

    text: str
    written: str
    origin: str
    base: str | None


@dataclass(frozen=True, slots=True)
class Reach:
    """One working directory an init runs in, with what it passes there.

    ``directory`` is repo-relative (``"."`` for the root), or None when it is
    computed; then ``pattern`` (``fnmatch``, None for "anywhere") says which
    module paths it might be. ``arguments`` are its ``-backend-config`` values
    in order, ``supplied`` the values it passes some other way (a CI task's
    inputs, a wrapper's convention, Terragrunt's ``remote_state``),
    ``environment`` the names of the environment variables set for it,
    ``opaque`` what it passes that cannot be followed, ``parameters`` the
    defaults it relied on, ``label`` what tells it apart from its siblings
    (``matrix env=prod``).
    """

    directory: str | None
    pattern: str | None = None
    arguments: tuple[BackendConfigArgument, ...] = ()
    supplied: tuple[SuppliedValue, ...] = ()
    environment: frozenset[str] = frozenset()
    opaque: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    label: str = ""


@dataclass(frozen=True, slots=True)
class InitSite:
    """One place that runs init.

    ``path`` and ``line`` (1-based) locate the init command itself, inside a
    multi-line ``run: |`` block too; ``command`` is that command as written, on
    one line. ``program`` is ``terraform``, ``tofu``, ``terragrunt``,
    ``gitlab-terraform``, ``atlantis``, ``azure-task``... ``initializes_backend``
    is False for ``-backend=false``. ``via`` lists the callers that lead here
    (``.github/workflows/ci.yml:20``) when a pipeline runs a Makefile target or
    a script; ``job`` names the job, target or recipe.
    """

    mechanism: Mechanism
    path: str
    line: int
    command: str
    program: str
    reaches: tuple[Reach, ...]
    initializes_backend: bool = True
    via: tuple[str, ...] = ()
    job: str = ""

    @property
    def directories(self) -> tuple[str, ...]:
        """The module directories it reaches, each once; () when none is known."""
        seen: dict[str, None] = {}
        for reach in self.reaches:
            if reach.directory is not None:
                seen.setdefault(reach.directory, None)
        return tuple(seen)

    @property
    def unresolved(self) -> bool:
        """True when some reach's directory is computed and cannot be known."""
        return any(r.directory is None for r in self.reaches)

    @property
    def environment(self) -> frozenset[str]:
        """Every environment variable name set for it, over all its reaches."""
        return frozenset().union(*(r.environment for r in self.reaches))

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class InitPath:
    """One init reaching one module, its ``-backend-config`` files read.

    ``supplied`` lists every backend argument it supplies in the order
    Terraform applies them (a later value replaces an earlier one);
    ``environment`` the environment variable names set for it; ``opaque`` what
    it passes that cannot be followed, in words; ``initializes_backend`` is
    False for ``-backend=false``, which needs no backend values.
    """

    site: InitSite
    module_path: str
    supplied: tuple[SuppliedValue, ...] = ()
    environment: frozenset[str] = frozenset()
    opaque: tuple[str, ...] = ()
    initializes_backend: bool = True
    parameters: tuple[Parameter, ...] = ()
    label: str = ""

    def supplies(self, name: str) -> SuppliedValue | None:
        """The value this init gives argument ``name`` (the last one wins), or None."""
        for value in reversed(self.supplied):
            if value.name == name:
                return value
        return None

    def provides(self, backend: str, name: str) -> SuppliedValue | None:
        """Like :meth:`supplies`, and also through an environment variable the
        backend table lists for the argument (``AWS_REGION`` for s3 ``region``).

        The environment's value is never visible here, so it comes back as None.
        """
        found = self.supplies(name)
        if found is not None:
            return found
        row = argument(backend, name)
        if row is None:
            return None
        for variable in row.env_vars:
            if variable in self.environment:
                return SuppliedValue(name, None, f"{variable} in the environment")
        return None


@dataclass(frozen=True, slots=True)
class TerragruntUnit:
    """A Terragrunt configuration that manages a module (which must never be commented out).

    ``config`` is the unit's ``terragrunt.hcl``; ``remote_state`` the file whose
    ``remote_state`` block applies (the unit or a parent it includes) and
    ``line`` that block's line; ``backend`` and ``keys`` its backend type and
    ``config`` keys; ``generates_backend`` is True when Terragrunt writes the
    backend block itself (``generate = {...}`` or a ``generate`` block whose
    contents hold one), ``generated_file`` the file it writes. ``source`` is
    ``terraform.source`` as written, None when the unit runs its own directory.
    """

    config: str
    module_path: str | None
    remote_state: str | None = None
    line: int | None = None
    backend: str | None = None
    keys: tuple[str, ...] = ()
    generates_backend: bool = False
    generated_file: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ModuleInits:
    """Every init that reaches one module.

    ``paths`` reach it for sure; ``unresolved`` are inits whose directory is
    computed and might be this module; ``terragrunt_units`` the Terragrunt
    configurations that manage it (``terragrunt`` is the first, or None).
    """

    module_path: str
    paths: tuple[InitPath, ...] = ()
    unresolved: tuple[InitSite, ...] = ()
    terragrunt_units: tuple[TerragruntUnit, ...] = ()

    @property
    def terragrunt(self) -> TerragruntUnit | None:
        return self.terragrunt_units[0] if self.terragrunt_units else None

    @property
    def is_empty(self) -> bool:
        """True when nothing in the repository is known to run init here."""
        return not (self.paths or self.unresolved or self.terragrunt_units)

    @property
    def initialising(self) -> tuple[InitPath, ...]:
        """The paths that initialise the backend (``-backend=false`` ones left out)."""
        return tuple(p for p in self.paths if p.initializes_backend)

    def serving(self, backend: str) -> tuple[InitPath, ...]:
        """The paths that hand ``backend`` values of their own (``-backend-config``, task inputs...).

        Such a pipeline loses its state if the block is commented out or overridden.
        """
        return tuple(p for p in self.initialising if p.supplied)

    def agreed_values(self, backend: str) -> dict[str, tuple[str, str]]:
        """The literal values every initialising path gives ``backend``, where they all agree.

        Maps argument name to (value, where it comes from); an argument some
        path does not supply, supplies invisibly or supplies differently is left
        out. {} when no path initialises the backend.
        """
        paths = self.initialising
        if not paths:
            return {}
        agreed: dict[str, tuple[str, str]] = {}
        names = {v.name for v in paths[0].supplied}
        for name in sorted(names):
            found = [p.supplies(name) for p in paths]
            values = {v.value for v in found if v is not None}
            if any(v is None for v in found) or len(values) != 1 or None in values:
                continue
            first = found[0]
            assert first is not None and first.value is not None
            agreed[name] = (first.value, f"{paths[0].site.location} ({first.origin})")
        return agreed
