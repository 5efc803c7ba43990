"""The resolver: from init sites to the inits that reach one module.

:class:`InitContext` holds every site found and the backend configuration
files read. :meth:`InitContext.for_module` answers for one module: each reach
whose directory is the module becomes an :class:`InitPath` with its
``-backend-config`` files read (a later value replaces an earlier one, as in
Terraform); reaches whose directory is computed and might be the module are
listed as unresolved; declared inits match by pattern; Terragrunt units that
manage the module are attached. Lookups are by directory, so asking for each
module of a large monorepo stays linear.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from fixer.terraform.init_context.backend_files import ConfigValues, resolve_argument
from fixer.terraform.init_context.model import (
    BackendConfigArgument,
    DeclaredInit,
    InitPath,
    InitSite,
    Mechanism,
    ModuleInits,
    Reach,
    TerragruntUnit,
)
from fixer.terraform.init_context.values import (
    Parameter,
    is_literal,
    join_path,
    parameters,
    plain,
    strip_parameters,
)

__all__ = ["InitContext"]


class InitContext:
    """Every init the repository runs, and what reaches each module.

    ``sites`` are in path and line order; ``problems`` are one-line
    ``path:line:col: message`` reports of files that could not be read;
    ``requested`` lists repo-relative files that inits name (backend
    configuration files, included Terragrunt configurations) but that were not
    given: a runner may read those that exist and build the context again.
    """

    __slots__ = (
        "_by_directory",
        "_cache",
        "_configs",
        "_declared",
        "_parametrised",
        "_units",
        "_unreadable",
        "_unresolved",
        "problems",
        "requested",
        "sites",
    )

    def __init__(
        self,
        sites: Sequence[InitSite],
        problems: Sequence[str] = (),
        *,
        configs: Mapping[str, ConfigValues] | None = None,
        unreadable: Mapping[str, str] | None = None,
        units: Sequence[TerragruntUnit] = (),
        declared: Sequence[tuple[InitSite, DeclaredInit]] = (),
        requested: Sequence[str] = (),
    ) -> None:
        self.sites: tuple[InitSite, ...] = tuple(
            sorted(sites, key=lambda s: (s.path, s.line, s.via, s.command))
        )
        self.problems: tuple[str, ...] = tuple(dict.fromkeys(problems))
        self.requested: tuple[str, ...] = tuple(sorted(set(requested)))
        self._configs = MappingProxyType(dict(configs or {}))
        self._unreadable = MappingProxyType(dict(unreadable or {}))
        self._declared = tuple(declared)
        self._by_directory: dict[str, list[tuple[InitSite, Reach]]] = {}
        self._unresolved: list[tuple[InitSite, Reach]] = []
        for site in self.sites:
            for reach in site.reaches:
                if reach.directory is not None:
                    self._by_directory.setdefault(reach.directory, []).append((site, reach))
                else:
                    self._unresolved.append((site, reach))
        self._parametrised = tuple(
            (site, reach, pattern)
            for site in self.sites
            for reach in site.reaches
            if (pattern := _parameter_pattern(reach)) is not None
        )
        self._units: dict[str, list[TerragruntUnit]] = {}
        for unit in units:
            if unit.module_path is not None:
                self._units.setdefault(unit.module_path, []).append(unit)
        self._cache: dict[str, ModuleInits] = {}

    def for_module(self, module_path: str) -> ModuleInits:
        """Every init that reaches ``module_path`` (repo-relative POSIX, ``"."`` for the root).

        Returns an empty :class:`ModuleInits` when nothing is known to run init there.
        """
        cached = self._cache.get(module_path)
        if cached is not None:
            return cached
        paths = [
            self._path(site, reach, module_path)
            for site, reach in self._by_directory.get(module_path, ())
        ]
        for site, declared in self._declared:
            if any(fnmatch.fnmatchcase(module_path, p) for p in declared.modules):
                paths.append(self._declared_path(site, declared, module_path))
        unresolved: dict[InitSite, None] = {}
        for site, reach in self._unresolved:
            if reach.pattern is not None and not fnmatch.fnmatchcase(module_path, reach.pattern):
                continue
            if self._names_missing_file(reach, module_path):
                continue
            unresolved.setdefault(site, None)
        for site, reach, pattern in self._parametrised:
            # `make init ENV=prod` reaches envs/prod when the default reaches envs/dev:
            # another value of the parameter might name this module.
            reached = any((p.site.path, p.site.line) == (site.path, site.line) for p in paths)
            if reached or not _segments_match(module_path, pattern):
                continue
            if self._names_missing_file(reach, module_path, parameters_free=True):
                continue
            unresolved.setdefault(site, None)
        result = ModuleInits(
            module_path,
            tuple(paths),
            tuple(unresolved),
            tuple(self._units.get(module_path, ())),
        )
        self._cache[module_path] = result
        return result

    def _names_missing_file(
        self, reach: Reach, module_path: str, *, parameters_free: bool = False
    ) -> bool:
        """Would a reach of unknown directory fail in ``module_path`` for want of a file it names?

        ``-backend-config=prod.tfbackend`` from a computed directory can only be
        that directory's file: a module without one is not what the init reaches
        (Terraform stops with "Failed to read file"). With ``parameters_free``, a
        file named through a parameter (``$(ENV).tfbackend``) is not judged: another
        value names another file.
        """
        for argument in reach.arguments:
            if parameters_free and parameters(argument.text):
                continue
            text = plain(strip_parameters(argument.text)) if parameters_free else None
            text = text if text is not None else plain(argument.text)
            known_base = (
                argument.base is not None
                and is_literal(argument.base)
                and not (parameters_free and parameters(argument.base))
            )
            if text is None or "=" in text or not text or known_base:
                continue
            path = join_path(module_path, text)
            if path is not None and path not in self._configs and path not in self._unreadable:
                return True
        return False

    def _path(self, site: InitSite, reach: Reach, module_path: str) -> InitPath:
        supplied = list(reach.supplied)
        opaque = list(reach.opaque)
        found: list[Parameter] = list(reach.parameters)
        for argument in reach.arguments:
            values, reasons, _ = resolve_argument(argument, self._configs, self._unreadable)
            supplied.extend(values)
            opaque.extend(reasons)
            found.extend(parameters(argument.text))
        return InitPath(
            site=site,
            module_path=module_path,
            supplied=tuple(supplied),
            environment=reach.environment,
            opaque=tuple(dict.fromkeys(opaque)),
            initializes_backend=site.initializes_backend,
            parameters=tuple(dict.fromkeys(found)),
            label=reach.label,
        )

    def _declared_path(self, site: InitSite, declared: DeclaredInit, module_path: str) -> InitPath:
        name = module_path.rsplit("/", 1)[-1] if module_path != "." else "."
        arguments = tuple(
            BackendConfigArgument(
                text, f"-backend-config={text}", f"-backend-config={text} ({declared.label})", "."
            )
            for text in (
                value.replace("{module_path}", module_path).replace("{module_name}", name)
                for value in declared.backend_config
            )
        )
        reach = Reach(module_path, arguments=arguments, label=declared.label)
        return self._path(site, reach, module_path)


def _segments_match(path: str, pattern: str) -> bool:
    """``fnmatch`` per path segment: ``envs/*`` matches ``envs/prod``, not ``envs/prod/eu``."""
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(
        fnmatch.fnmatchcase(part, want) for part, want in zip(parts, wanted, strict=True)
    )


def _parameter_pattern(reach: Reach) -> str | None:
    """The directories a reach could have with other parameter values, as an ``fnmatch`` pattern.

    ``envs/dev`` reached through ``ENV ?= dev`` gives ``envs/*``; None when the
    directory did not come from a parameter's default.
    """
    directory = reach.directory
    if directory is None or not reach.parameters:
        return None
    parts = directory.split("/")
    defaults = {p.default for p in reach.parameters if p.default}
    pattern = "/".join("*" if part in defaults else part for part in parts)
    return pattern if pattern != directory else None


def declared_site(declared: DeclaredInit) -> InitSite:
    """The site that stands for a declared init (it has no file; ``path`` is its label)."""
    flags = " ".join(f"-backend-config={v}" for v in declared.backend_config)
    return InitSite(
        mechanism=Mechanism.DECLARED,
        path=declared.label,
        line=0,
        command=f"terraform init {flags}".strip(),
        program="terraform",
        reaches=(),
        job=declared.label,
    )
