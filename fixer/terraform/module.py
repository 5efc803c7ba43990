"""The module view: one directory's configuration as Terraform or OpenTofu loads it.

:func:`group_into_modules` sorts file paths into modules (one per directory) and
finds the backend configuration files beside them. :func:`build_module_view`
then takes already-parsed files and answers what rules ask: every ``terraform``
block, every ``backend`` and ``cloud`` block, the backend that wins after
override files, the ``required_version`` range, the dialect, the provider
arguments and variable defaults that may supply backend values, and which ``*.tfbackend`` files supply which arguments. Nothing
here touches the file system.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from fixer.syntax import Attribute, Block, ConfigFile, Literal, terraform_blocks
from fixer.terraform.backends import BackendArgument, inference_providers
from fixer.terraform.dialect import (
    Dialect,
    DialectChoice,
    apply_version_override,
    detect_dialect,
)
from fixer.terraform.json_places import JsonScanError, TextSpan, json_backend_places
from fixer.terraform.versions import ConstraintSet, VersionRange, combine, parse_constraints

if TYPE_CHECKING:
    # Only a type here: importing the init_context package would import this module back.
    from fixer.terraform.init_context.model import ModuleInits

__all__ = [
    "BACKEND_CONFIG_PATTERNS",
    "SKIPPED_DIRECTORIES",
    "ArgumentValue",
    "BackendBlock",
    "BackendConfigFile",
    "JsonFile",
    "LocatedValue",
    "ModuleFiles",
    "ModuleView",
    "RequiredVersion",
    "SourceFile",
    "backend_config_constants",
    "build_module_view",
    "group_into_modules",
    "is_backend_config_file",
    "is_config_file",
    "is_override_file",
]

CONFIG_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
"""File endings Terraform (.tf, .tf.json) and OpenTofu (all four) load as configuration."""

SKIPPED_DIRECTORIES = frozenset({".terraform", ".git"})
"""Directories whose contents are never part of a module: init's cache and git's store."""

BACKEND_CONFIG_PATTERNS = (
    "*.tfbackend",
    "backend.hcl",
    "*.backend.hcl",
    "backend.*.hcl",
    "backend-*.hcl",
    "backend_*.hcl",
)
"""Names of files meant for ``terraform init -backend-config=FILE``.

``*.tfbackend`` is the name Terraform's documentation recommends (e.g.
``config.s3.tfbackend``); ``backend.hcl`` and its per-environment variants are
the older convention still common in repositories.
"""

# -- file names ---------------------------------------------------------------------


def _name(path: str | PurePath) -> str:
    # String operations, not PurePath: this runs for every file of a large tree.
    text = os.fspath(path)
    return text[max(text.rfind("/"), text.rfind(os.sep)) + 1 :]


def _stem(name: str) -> str:
    for suffix in (".tofu.json", ".tf.json", ".tofu", ".tf"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _is_ignored_name(name: str) -> bool:
    # Terraform skips hidden files and editor backups/swap files.
    return (
        name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
    )


def is_config_file(path: str | PurePath) -> bool:
    """True for ``.tf``, ``.tf.json``, ``.tofu`` and ``.tofu.json`` files Terraform would load."""
    name = _name(path)
    return name.endswith(CONFIG_SUFFIXES) and not _is_ignored_name(name)


def is_override_file(path: str | PurePath) -> bool:
    """True for ``override.tf``, ``*_override.tf`` and their ``.tf.json``/``.tofu`` forms."""
    name = _name(path)
    if not is_config_file(name):
        return False
    stem = _stem(name)
    return stem == "override" or stem.endswith("_override")


def is_backend_config_file(path: str | PurePath) -> bool:
    """True for files named like ``-backend-config`` files (see BACKEND_CONFIG_PATTERNS)."""
    name = _name(path)
    return not _is_ignored_name(name) and any(
        fnmatch.fnmatchcase(name, pattern) for pattern in BACKEND_CONFIG_PATTERNS
    )


def _is_tofu(name: str) -> bool:
    return name.endswith((".tofu", ".tofu.json"))


def _tf_twin(name: str) -> str:
    """``main.tofu`` -> ``main.tf``; ``main.tofu.json`` -> ``main.tf.json``."""
    if name.endswith(".tofu.json"):
        return name[: -len(".tofu.json")] + ".tf.json"
    return name[: -len(".tofu")] + ".tf"


def _skipped(path: PurePath) -> bool:
    return any(part in SKIPPED_DIRECTORIES for part in path.parts[:-1])


# -- grouping --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModuleFiles:
    """The files of one module directory, each list sorted by file name.

    ``config_files`` and ``override_files`` hold every dialect's files; use
    :meth:`load_order` for the ones a given dialect reads.
    """

    directory: str
    config_files: tuple[str, ...] = ()
    override_files: tuple[str, ...] = ()
    backend_config_files: tuple[str, ...] = ()

    @property
    def all_config_files(self) -> tuple[str, ...]:
        return self.config_files + self.override_files

    def shadowed_by_tofu(self) -> tuple[tuple[str, str], ...]:
        """Pairs ``(tf_path, tofu_path)`` where OpenTofu reads the ``.tofu`` file only."""
        by_name = {_name(p): p for p in self.all_config_files}
        return tuple(
            (by_name[_tf_twin(name)], path)
            for name, path in sorted(by_name.items())
            if _is_tofu(name) and _tf_twin(name) in by_name
        )

    def load_order(self, dialect: Dialect) -> tuple[str, ...]:
        """The files ``dialect`` loads, primary files first, then overrides."""
        return tuple(p for p in self.all_config_files if _loads(_name(p), self._names(), dialect))

    def _names(self) -> frozenset[str]:
        return frozenset(_name(p) for p in self.all_config_files)


def _loads(name: str, names: frozenset[str], dialect: Dialect) -> bool:
    if dialect is Dialect.TERRAFORM:
        return not _is_tofu(name)
    if name.endswith(".tf.json"):
        return name[: -len(".tf.json")] + ".tofu.json" not in names
    if name.endswith(".tf"):
        return name[: -len(".tf")] + ".tofu" not in names
    return True


def group_into_modules(paths: Iterable[str | PurePath]) -> tuple[ModuleFiles, ...]:
    """Group file paths into modules, one per directory, sorted by directory.

    Paths under ``.terraform/`` or ``.git/``, hidden files and editor backups are
    skipped, and so are files that are neither configuration nor backend
    configuration. A directory with backend configuration files but no
    configuration is not a module and is left out. Paths are only compared,
    never opened; duplicates are kept once.
    """
    groups: dict[str, dict[str, set[str]]] = {}
    for raw in paths:
        text = os.fspath(raw)
        name = _name(text)
        if is_config_file(name):
            kind = "override" if is_override_file(name) else "config"
        elif is_backend_config_file(name):
            kind = "backend"
        else:
            continue
        # The parent as PurePath spells it ("." for a bare name); built only for
        # candidate files, and without PurePath, which dominates large trees.
        parent = os.path.dirname(text) or "."
        if parent not in groups and _skipped(PurePath(text)):
            continue
        slots = groups.setdefault(parent, {"config": set(), "override": set(), "backend": set()})
        slots[kind].add(text)
    modules = []
    for directory in sorted(groups):
        slots = groups[directory]
        if not slots["config"] and not slots["override"]:
            continue

        def ordered(items: set[str]) -> tuple[str, ...]:
            return tuple(sorted(items, key=lambda p: (_name(p), p)))

        modules.append(
            ModuleFiles(
                directory,
                ordered(slots["config"]),
                ordered(slots["override"]),
                ordered(slots["backend"]),
            )
        )
    return tuple(modules)


# -- the view's values -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A parsed native-syntax file of the module."""

    path: str
    config: ConfigFile

    @property
    def is_override(self) -> bool:
        return is_override_file(self.path)


@dataclass(frozen=True, slots=True)
class JsonFile:
    """A ``.tf.json`` file as the object ``json.loads`` returned, and its text when known.

    Only the parts that matter for backends are read (``terraform``,
    ``provider``, ``variable``); values found here carry no syntax nodes, but
    with ``text`` their backend blocks and arguments carry spans.
    """

    path: str
    document: Mapping[str, Any]
    text: str | None = None

    @property
    def is_override(self) -> bool:
        return is_override_file(self.path)


@dataclass(frozen=True, slots=True)
class ArgumentValue:
    """One argument as written in a backend block or a backend configuration file.

    ``value`` is the literal value, or None when the expression is not a literal
    (a variable, a call, an object). ``block`` is set when the argument was
    written as a nested block (``assume_role { ... }``) rather than an attribute.
    ``span`` is where a ``.tf.json`` member is written (JSON has no nodes).
    """

    name: str
    path: str
    attribute: Attribute | None = None
    block: Block | None = None
    value: Literal | None = None
    span: TextSpan | None = None
    # A .tf.json value of any shape (lists and objects too); None for native syntax.
    json: Literal | None = None

    @property
    def is_literal(self) -> bool:
        return self.value is not None

    @property
    def is_null(self) -> bool:
        """True for ``x = null``, which Terraform treats exactly like leaving ``x`` out."""
        return self.value is not None and self.value.value is None

    def constant(self) -> Literal | None:
        """The value when it is a constant (literals, and lists and objects of them), else None.

        A nested block has no constant; a value with references or calls has none.
        """
        if self.attribute is not None:
            return self.attribute.expr.constant()
        if self.json is not None:
            return self.json
        return self.value

    @property
    def written_as_block(self) -> bool:
        return self.block is not None

    @property
    def node(self) -> Attribute | Block | None:
        return self.attribute if self.attribute is not None else self.block


@dataclass(frozen=True, slots=True)
class BackendBlock:
    """A ``backend "<type>"`` block, or a ``cloud`` block (``type == "cloud"``).

    ``block`` is None for blocks read from ``.tf.json``; for those ``span`` (the
    ``"s3": {...}`` member) and ``label_span`` (its key) say where they are
    written, when the file's text was given. ``arguments`` maps each argument
    name to its value, nested blocks included.
    """

    path: str
    type: str
    block: Block | None
    terraform_block: Block | None
    is_override: bool
    arguments: Mapping[str, ArgumentValue] = field(default_factory=lambda: MappingProxyType({}))
    is_cloud: bool = False
    span: TextSpan | None = None
    label_span: TextSpan | None = None
    # Arguments written again after their first occurrence, in source order.
    repeated: tuple[ArgumentValue, ...] = ()

    def argument(self, name: str) -> ArgumentValue | None:
        return self.arguments.get(name)


@dataclass(frozen=True, slots=True)
class RequiredVersion:
    """One ``required_version`` argument and what it parsed to.

    ``text`` is None when the value is not a literal string; then ``error`` says
    so, as it does for a malformed constraint.
    """

    path: str
    attribute: Attribute | None
    text: str | None
    constraints: ConstraintSet
    is_override: bool

    @property
    def error(self) -> str | None:
        return self.constraints.error


@dataclass(frozen=True, slots=True)
class LocatedValue:
    """A literal string found in the module, and where.

    ``label`` says what holds it (``provider "aws"``, ``provider "aws" (alias
    west)``, ``variable "region"``); ``via`` names the variable a provider
    argument was read through (``var.region``), if any. ``provider`` and
    ``argument`` name the provider type and its argument for provider values.
    """

    path: str
    label: str
    value: str
    node: Attribute | None = None
    via: str | None = None
    provider: str | None = None
    argument: str | None = None


@dataclass(frozen=True, slots=True)
class BackendConfigFile:
    """A ``-backend-config`` file: attributes only, read for their literal values.

    ``problems`` lists what Terraform would reject (nested blocks).
    """

    path: str
    values: Mapping[str, ArgumentValue]
    problems: tuple[str, ...] = ()

    def supplies(self, name: str) -> bool:
        return name in self.values


@dataclass(frozen=True, slots=True)
class ModuleView:
    """One module as its dialect loads it. Build it with :func:`build_module_view`."""

    directory: str
    dialect: DialectChoice
    files: tuple[SourceFile, ...]
    json_files: tuple[JsonFile, ...]
    ignored_files: tuple[str, ...]
    terraform_blocks: tuple[tuple[str, Block], ...]
    backends: tuple[BackendBlock, ...]
    effective_backend: BackendBlock | None
    required_versions: tuple[RequiredVersion, ...]
    replaced_required_versions: tuple[RequiredVersion, ...]
    declared_range: VersionRange
    version_range: VersionRange
    version_errors: tuple[str, ...]
    provider_values: tuple[LocatedValue, ...]
    variable_defaults: Mapping[str, LocatedValue]
    backend_config_files: tuple[BackendConfigFile, ...]
    notes: tuple[str, ...]
    # Where the repository runs init for this module and what each passes; None
    # when the init context was not read (then the block is judged alone).
    inits: ModuleInits | None = None

    @property
    def backend_blocks(self) -> tuple[BackendBlock, ...]:
        """Every ``backend`` block the dialect loads, override files included."""
        return tuple(b for b in self.backends if not b.is_cloud)

    @property
    def cloud_blocks(self) -> tuple[BackendBlock, ...]:
        return tuple(b for b in self.backends if b.is_cloud)

    @property
    def base_backends(self) -> tuple[BackendBlock, ...]:
        """Backend and cloud blocks outside override files (Terraform allows one)."""
        return tuple(b for b in self.backends if not b.is_override)

    def supplied_by(self, name: str) -> tuple[str, ...]:
        """Paths of the backend configuration files that set argument ``name``."""
        return tuple(f.path for f in self.backend_config_files if f.supplies(name))

    def inferred(self, row: BackendArgument) -> tuple[LocatedValue, ...]:
        """The literal values the code offers for ``row``, in the order of its inference sources.

        Provider arguments come first (in file order, aliases included), then
        variable defaults; () when the row names no inference source.
        """
        found: list[LocatedValue] = []
        for source in row.inferred_from:
            if source.provider is not None:
                found.extend(
                    v
                    for v in self.provider_values
                    if v.provider == source.provider and v.argument == source.argument
                )
            found.extend(
                self.variable_defaults[name]
                for name in source.variables
                if name in self.variable_defaults
            )
        return tuple(found)


# -- building the view -----------------------------------------------------------------


def _argument_values(
    path: str, block: Block
) -> tuple[dict[str, ArgumentValue], tuple[ArgumentValue, ...]]:
    """The first occurrence of each argument (or nested block) of ``block``, and the repeats."""
    values: dict[str, ArgumentValue] = {}
    repeated: list[ArgumentValue] = []
    for item in block.body.items:
        if isinstance(item, Attribute):
            found = ArgumentValue(item.name, path, attribute=item, value=item.expr.literal())
        else:
            found = ArgumentValue(item.type, path, block=item)
        if found.name in values:
            repeated.append(found)
        else:
            values[found.name] = found
    return values, tuple(repeated)


def _json_literal(value: object) -> Literal | None:
    if value is None or isinstance(value, str | int | float | bool):
        return Literal(value)
    return None


def _json_objects(value: object) -> list[Mapping[str, Any]]:
    """JSON syntax allows a block body as an object or a list of objects."""
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, Mapping)]
    return []


def _json_labelled(value: object) -> list[tuple[str, Mapping[str, Any]]]:
    """``{"s3": {...}}`` (or a list of such) as (label, body) pairs."""
    pairs = []
    for obj in _json_objects(value):
        for label, body in obj.items():
            pairs.extend((label, b) for b in _json_objects(body))
    return pairs


def _json_backends(json_file: JsonFile) -> list[BackendBlock]:
    found = _json_backends_unplaced(json_file)
    if json_file.text is None:
        return found
    try:
        places = json_backend_places(json_file.text, json_file.document)
    except JsonScanError:
        return found
    if [(p.type, p.is_cloud) for p in places] != [(b.type, b.is_cloud) for b in found]:
        return found  # the text is not the document's: no place rather than a wrong one
    placed = []
    for backend, place in zip(found, places, strict=True):
        arguments = {
            name: replace(value, span=place.arguments.get(name))
            for name, value in backend.arguments.items()
        }
        placed.append(
            replace(
                backend,
                arguments=MappingProxyType(arguments),
                span=place.span,
                label_span=place.label,
            )
        )
    return placed


def _json_backends_unplaced(json_file: JsonFile) -> list[BackendBlock]:
    found = []
    for terraform in _json_objects(json_file.document.get("terraform")):
        for label, body in _json_labelled(terraform.get("backend")):
            args = {
                k: ArgumentValue(k, json_file.path, value=_json_literal(v), json=Literal(v))
                for k, v in body.items()
                if not k.startswith("//")
            }
            found.append(
                BackendBlock(
                    json_file.path, label, None, None, json_file.is_override, MappingProxyType(args)
                )
            )
        for body in _json_objects(terraform.get("cloud")):
            args = {
                k: ArgumentValue(k, json_file.path, value=_json_literal(v)) for k, v in body.items()
            }
            found.append(
                BackendBlock(
                    json_file.path,
                    "cloud",
                    None,
                    None,
                    json_file.is_override,
                    MappingProxyType(args),
                    is_cloud=True,
                )
            )
    return found


def _json_required_versions(json_file: JsonFile) -> list[RequiredVersion]:
    found = []
    for terraform in _json_objects(json_file.document.get("terraform")):
        if "required_version" in terraform:
            found.append(
                _required_version(
                    json_file.path, None, terraform["required_version"], json_file.is_override
                )
            )
    return found


def _required_version(
    path: str, attribute: Attribute | None, value: object, is_override: bool
) -> RequiredVersion:
    if isinstance(value, str):
        return RequiredVersion(path, attribute, value, parse_constraints(value), is_override)
    shown = attribute.expr.text if attribute is not None else repr(value)
    error = f"required_version must be a literal string, not {shown}"
    return RequiredVersion(path, attribute, None, ConstraintSet(shown, (), error), is_override)


def _hcl_backends(source: SourceFile) -> list[BackendBlock]:
    found = []
    for terraform in terraform_blocks(source.config):
        for item in terraform.body.items:
            if not isinstance(item, Block):
                continue
            if item.type == "backend" and item.label_values:
                kind = item.label_values[0]
            elif item.type == "cloud":
                kind = "cloud"
            else:
                continue
            values, repeated = _argument_values(source.path, item)
            found.append(
                BackendBlock(
                    source.path,
                    kind,
                    item,
                    terraform,
                    source.is_override,
                    MappingProxyType(values),
                    is_cloud=item.type == "cloud",
                    repeated=repeated,
                )
            )
    return found


def _hcl_required_versions(source: SourceFile) -> list[RequiredVersion]:
    found = []
    for terraform in terraform_blocks(source.config):
        attribute = terraform.body.attribute("required_version")
        if attribute is None:
            continue
        literal = attribute.expr.literal()
        value = literal.value if literal is not None else None
        found.append(_required_version(source.path, attribute, value, source.is_override))
    return found


def _effective_backend(backends: Sequence[BackendBlock]) -> BackendBlock | None:
    # Terraform keeps the base file's backend (duplicates are an error reported
    # by rules), then each override file's backend or cloud block replaces
    # whatever is there, a backend and a cloud block alike.
    effective = next((b for b in backends if not b.is_override), None)
    for backend in backends:
        if backend.is_override:
            effective = backend
    return effective


def _effective_required_versions(
    found: Sequence[RequiredVersion],
) -> tuple[tuple[RequiredVersion, ...], tuple[RequiredVersion, ...]]:
    # All base constraints apply together; an override file that sets
    # required_version replaces every constraint before it.
    effective = [r for r in found if not r.is_override]
    replaced: list[RequiredVersion] = []
    overrides: dict[str, list[RequiredVersion]] = {}
    for r in found:
        if r.is_override:
            overrides.setdefault(r.path, []).append(r)
    for path in overrides:  # dicts keep load order
        replaced.extend(effective)
        effective = overrides[path]
    return tuple(effective), tuple(replaced)


def _variable_defaults(source: SourceFile) -> dict[str, LocatedValue]:
    defaults = {}
    for block in source.config.body.blocks("variable"):
        if not block.label_values:
            continue
        attribute = block.body.attribute("default")
        if attribute is None:
            continue
        literal = attribute.expr.literal()
        if literal is not None and isinstance(literal.value, str):
            name = block.label_values[0]
            defaults[name] = LocatedValue(
                source.path, f'variable "{name}"', literal.value, attribute
            )
    return defaults


def _provider_values(
    source: SourceFile, variables: Mapping[str, LocatedValue]
) -> list[LocatedValue]:
    """The literal string arguments of the providers that may supply backend values.

    An argument written as ``var.NAME`` counts when the variable's default is a
    literal string (``via`` records it).
    """
    found = []
    wanted = inference_providers()
    for block in source.config.body.blocks("provider"):
        if not block.label_values or block.label_values[0] not in wanted:
            continue
        provider = block.label_values[0]
        alias = block.body.attribute("alias")
        alias_literal = alias.expr.literal() if alias is not None else None
        label = f'provider "{provider}"'
        if alias_literal is not None:
            label += f" (alias {alias_literal.value})"
        for attribute in block.body.attributes():
            if attribute.name == "alias":
                continue
            literal = attribute.expr.literal()
            if literal is not None and isinstance(literal.value, str):
                found.append(
                    LocatedValue(
                        source.path,
                        label,
                        literal.value,
                        attribute,
                        provider=provider,
                        argument=attribute.name,
                    )
                )
                continue
            steps = attribute.expr.traversal()
            if steps and len(steps) == 2 and steps[0] == "var" and steps[1] in variables:
                found.append(
                    LocatedValue(
                        source.path,
                        label,
                        variables[steps[1]].value,
                        attribute,
                        via=f"var.{steps[1]}",
                        provider=provider,
                        argument=attribute.name,
                    )
                )
    return found


def _json_values(json_file: JsonFile) -> tuple[list[LocatedValue], dict[str, LocatedValue]]:
    values = []
    wanted = inference_providers()
    for provider, body in _json_labelled(json_file.document.get("provider")):
        if provider not in wanted:
            continue
        for name, value in body.items():
            if isinstance(value, str) and name != "alias":
                values.append(
                    LocatedValue(
                        json_file.path,
                        f'provider "{provider}"',
                        value,
                        provider=provider,
                        argument=name,
                    )
                )
    defaults = {}
    for name, body in _json_labelled(json_file.document.get("variable")):
        if isinstance(body.get("default"), str):
            defaults[name] = LocatedValue(json_file.path, f'variable "{name}"', body["default"])
    return values, defaults


def _backend_config_file(path: str, config: ConfigFile) -> BackendConfigFile:
    # A backend's nested block type (the remote backend's workspaces) is written
    # as a block here too, as init reads these files with the backend's schema;
    # whether a name is one is the backend table's to say, not this reader's.
    values: dict[str, ArgumentValue] = {}
    for item in config.body.items:
        if isinstance(item, Attribute):
            values.setdefault(
                item.name, ArgumentValue(item.name, path, attribute=item, value=item.expr.literal())
            )
        else:
            values.setdefault(item.type, ArgumentValue(item.type, path, block=item))
    return BackendConfigFile(path, MappingProxyType(values), ())


def backend_config_constants(path: str, config: ConfigFile) -> dict[str, Any]:
    """The constant values of a ``-backend-config`` file, as ``terraform init`` reads it.

    Raises ValueError with ``path:line:col: message`` for a value that is not a
    constant (variables and calls are not evaluated there) or a nested block.
    """
    values: dict[str, Any] = {}
    for item in config.body.items:
        if not isinstance(item, Attribute):
            raise ValueError(
                f"{path}:{item.line}:{item.column}: backend config files hold attributes only"
            )
        constant = item.expr.constant()
        if constant is None:
            raise ValueError(
                f"{path}:{item.line}:{item.column}: {item.name} must be a constant "
                "(no variables or function calls)"
            )
        values[item.name] = constant.value
    return values


def build_module_view(
    files: Sequence[tuple[str, ConfigFile]],
    *,
    directory: str | None = None,
    backend_configs: Sequence[tuple[str, ConfigFile]] = (),
    json_files: Sequence[tuple[str, Mapping[str, Any]]] = (),
    dialect: Dialect | str | None = None,
    terraform_version: str | None = None,
    inits: ModuleInits | None = None,
    json_texts: Mapping[str, str] | None = None,
) -> ModuleView:
    """Build the view of one module from its parsed files.

    ``files`` are the module's native-syntax files (``.tf`` and ``.tofu``, override
    files included) in any order; ``json_files`` its ``.tf.json`` documents as
    ``json.loads`` returned them; ``backend_configs`` its parsed backend
    configuration files. ``dialect`` and ``terraform_version`` are the
    ``--dialect`` and ``--terraform-version`` overrides; ``inits`` the init
    context of the module, when it was read. ``json_texts`` maps a JSON
    file's path to the text its document was loaded from, so its backends and
    arguments get spans. ``directory`` defaults to
    the parent of the first file. Never raises for odd input; raises ValueError
    only for an unknown ``dialect`` name.
    """
    sources = [SourceFile(path, config) for path, config in files]
    texts = json_texts or {}
    jsons = [JsonFile(path, doc, texts.get(path)) for path, doc in json_files]
    all_paths = [s.path for s in sources] + [j.path for j in jsons]
    if directory is None:
        directory = str(PurePath(all_paths[0]).parent) if all_paths else "."

    choice = detect_dialect(all_paths, [s.config for s in sources], dialect)
    layout = _layout(all_paths)
    loaded = set(layout.load_order(choice.dialect))
    notes = []
    if choice.dialect is Dialect.OPENTOFU:
        for tf_path, tofu_path in layout.shadowed_by_tofu():
            notes.append(
                f"{_name(tf_path)} is ignored by OpenTofu because {_name(tofu_path)} exists beside it"
            )
    elif any(_is_tofu(_name(p)) for p in all_paths):
        notes.append("Terraform ignores the .tofu files of this module")
    ignored = tuple(p for p in layout.all_config_files if p not in loaded)

    order = {path: i for i, path in enumerate(layout.load_order(choice.dialect))}
    sources = sorted((s for s in sources if s.path in loaded), key=lambda s: order[s.path])
    jsons = sorted((j for j in jsons if j.path in loaded), key=lambda j: order[j.path])
    # Native and JSON files interleave by name, exactly as the loader reads them.
    units: list[SourceFile | JsonFile] = sorted([*sources, *jsons], key=lambda f: order[f.path])

    backends: list[BackendBlock] = []
    required: list[RequiredVersion] = []
    variables: dict[str, LocatedValue] = {}
    json_provider_values: list[LocatedValue] = []
    blocks: list[tuple[str, Block]] = []
    for unit in units:
        if isinstance(unit, SourceFile):
            backends.extend(_hcl_backends(unit))
            required.extend(_hcl_required_versions(unit))
            variables.update(_variable_defaults(unit))
            blocks.extend((unit.path, b) for b in terraform_blocks(unit.config))
        else:
            backends.extend(_json_backends(unit))
            required.extend(_json_required_versions(unit))
            values, defaults = _json_values(unit)
            json_provider_values.extend(values)
            variables.update(defaults)

    provider_values = [v for s in sources for v in _provider_values(s, variables)]
    provider_values.extend(json_provider_values)

    effective_required, replaced = _effective_required_versions(required)
    declared = combine(r.constraints for r in effective_required)
    errors = [f"{_name(r.path)}: {r.error}" for r in effective_required if r.error]
    version_range, override_error = apply_version_override(declared, terraform_version)
    if override_error:
        errors.append(override_error)

    return ModuleView(
        directory=directory,
        dialect=choice,
        files=tuple(sources),
        json_files=tuple(jsons),
        ignored_files=ignored,
        terraform_blocks=tuple(blocks),
        backends=tuple(backends),
        effective_backend=_effective_backend(backends),
        required_versions=effective_required,
        replaced_required_versions=replaced,
        declared_range=declared,
        version_range=version_range,
        version_errors=tuple(errors),
        provider_values=tuple(provider_values),
        variable_defaults=MappingProxyType(variables),
        backend_config_files=tuple(_backend_config_file(p, c) for p, c in backend_configs),
        notes=tuple(notes),
        inits=inits,
    )


def _layout(paths: Sequence[str]) -> ModuleFiles:
    """Sort one module's paths into primary and override files, by file name."""
    config = sorted((p for p in paths if not is_override_file(p)), key=lambda p: (_name(p), p))
    overrides = sorted((p for p in paths if is_override_file(p)), key=lambda p: (_name(p), p))
    directory = str(PurePath(config[0] if config else overrides[0]).parent) if paths else "."
    return ModuleFiles(directory, tuple(config), tuple(overrides))
