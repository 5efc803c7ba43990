"""What the tool understood of a repository's inits: per module, each init and what it passes.

``backend-fixer inits`` prints this, as text for people or JSON for tools. It
renders the init context's values (:class:`~fixer.terraform.init_context.ModuleInits`)
and nothing else; the runner finds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fixer.terraform.init_context.model import InitPath, InitSite, ModuleInits, TerragruntUnit

__all__ = ["inits_json", "render_inits_text"]

ModuleEntry = tuple[str, ModuleInits | None]
"""A module's directory as shown, and its inits (None: the init context was not read)."""


def _site_text(site: InitSite) -> str:
    where = site.location if site.line else f"{site.path} (declared in the config file)"
    job = f", {site.job}" if site.job and site.job != site.path else ""
    return f"{where}  {site.command}  [{site.mechanism.value}{job}]"


def _path_lines(path: InitPath) -> list[str]:
    label = f" ({path.label})" if path.label else ""
    lines = [f"  {_site_text(path.site)}{label}"]
    if not path.initializes_backend:
        lines.append("      -backend=false: initialises no backend, needs no values")
    for value in path.supplied:
        shown = f'"{value.value}"' if value.value is not None else "(not visible)"
        lines.append(f"      {value.name} = {shown}  from {value.origin}")
    if path.environment:
        lines.append(f"      environment: {', '.join(sorted(path.environment))}")
    for reason in path.opaque:
        lines.append(f"      cannot follow: {reason}")
    for parameter in path.parameters:
        lines.append(f"      parameter: {parameter}")
    for caller in path.site.via:
        lines.append(f"      called from {caller}")
    return lines


def _unit_text(unit: TerragruntUnit) -> str:
    where = f"{unit.remote_state}:{unit.line}" if unit.remote_state and unit.line else unit.config
    how = "generates the backend block" if unit.generates_backend else "passes -backend-config"
    keys = f", keys {', '.join(unit.keys)}" if unit.keys else ""
    backend = f"{unit.backend} " if unit.backend else ""
    return f"  Terragrunt: {unit.config} (remote_state {backend}at {where}; {how}{keys})"


def render_inits_text(modules: Iterable[ModuleEntry]) -> str:
    """One paragraph per module: its inits, what each passes, and what might reach it.

    A module nothing is known to initialise says so. Ends with a newline; ""
    for no modules.
    """
    blocks = []
    for directory, inits in modules:
        lines = [directory]
        if inits is None:
            lines.append("  (the init context was not read)")
        elif inits.is_empty:
            lines.append("  no init found: nothing in the repository runs init here")
        else:
            for path in inits.paths:
                lines.extend(_path_lines(path))
            for site in inits.unresolved:
                lines.append(f"  might reach it (directory set at run time): {_site_text(site)}")
            for unit in inits.terragrunt_units:
                lines.append(_unit_text(unit))
        blocks.append("\n".join(lines))
    return "".join(block + "\n\n" for block in blocks).removesuffix("\n")


def _site_json(site: InitSite) -> dict[str, Any]:
    return {
        "path": site.path,
        "line": site.line,
        "command": site.command,
        "mechanism": site.mechanism.value,
        "program": site.program,
        "job": site.job,
        "via": list(site.via),
    }


def _path_json(path: InitPath) -> dict[str, Any]:
    return {
        "site": _site_json(path.site),
        "label": path.label,
        "initializes_backend": path.initializes_backend,
        "supplied": [
            {"name": v.name, "value": v.value, "origin": v.origin, "file": v.file}
            for v in path.supplied
        ],
        "environment": sorted(path.environment),
        "opaque": list(path.opaque),
        "parameters": [
            {"name": p.name, "default": p.default, "declared_at": p.declared_at}
            for p in path.parameters
        ],
    }


def inits_json(modules: Sequence[ModuleEntry]) -> list[dict[str, Any]]:
    """The same as :func:`render_inits_text`, as JSON-ready data: one object per module."""
    result = []
    for directory, inits in modules:
        entry: dict[str, Any] = {"module": directory, "read": inits is not None}
        if inits is not None:
            entry["inits"] = [_path_json(p) for p in inits.paths]
            entry["unresolved"] = [_site_json(s) for s in inits.unresolved]
            entry["terragrunt"] = [
                {
                    "config": u.config,
                    "remote_state": u.remote_state,
                    "line": u.line,
                    "backend": u.backend,
                    "keys": list(u.keys),
                    "generates_backend": u.generates_backend,
                    "generated_file": u.generated_file,
                    "source": u.source,
                }
                for u in inits.terragrunt_units
            ]
        result.append(entry)
    return result
