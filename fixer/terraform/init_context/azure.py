"""Azure Pipelines: stages, jobs, steps, variables, templates and the Terraform task.

``script`` / ``bash`` / ``pwsh`` / ``powershell`` steps (and the inline
scripts of ``Bash@3``, ``CmdLine@2``, ``PowerShell@2``, ``AzureCLI@2``) are read
by the shell parser in ``workingDirectory`` (relative to the sources
directory, the repository root), after ``$(variable)`` macros and
``${{ parameters.x }}`` / ``${{ variables.x }}`` template expressions are
replaced; variables also reach scripts as environment variables (upper case,
``.`` as ``_``). The Terraform task (``TerraformTaskV1``..``V5``,
``TerraformTask@5``, ``TerraformCLI@N``) with ``command: init`` (the task's
default) passes its backend inputs (see ``conventions``) and
``commandOptions``. ``- template:`` files in the repository are followed with
their ``parameters``; a literal ``strategy: matrix`` runs once per entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from fixer.terraform.init_context.conventions import AZURE_TASK_INPUTS, AZURE_TASK_SERVICE_VALUES
from fixer.terraform.init_context.model import (
    BackendConfigArgument,
    Mechanism,
    Reach,
    SuppliedValue,
)
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import (
    ShellCall,
    ShellState,
    parse_init_arguments,
    split_words,
)
from fixer.terraform.init_context.source import Expanded, substitute
from fixer.terraform.init_context.values import (
    ROOT,
    Parameter,
    display,
    is_literal,
    join_path,
    opaque,
    parameter,
    parameters,
    pattern,
    plain,
)
from fixer.terraform.init_context.yaml_nodes import YamlFile, key_node, mapping, scalar, sequence

__all__ = ["read_all"]

_MACRO_RE = re.compile(
    r"\$\((?P<name>[A-Za-z0-9_.]+)\)|\$\{\{(?P<expr>.*?)\}\}|\$\[(?P<runtime>.*?)\]", re.DOTALL
)
_SOURCES = frozenset(
    {
        "system.defaultworkingdirectory",
        "build.sourcesdirectory",
        "build.repository.localpath",
        "agent.builddirectory",
    }
)
_TASK_RE = re.compile(r"^(TerraformTask(V\d+)?|TerraformCLI)@\d+$")
_SCRIPT_TASKS = {
    "bash": "script",
    "cmdline": "script",
    "powershell": "script",
    "azurecli": "inlineScript",
}
_STEP_KEYS = ("script", "bash", "pwsh", "powershell")


@dataclass(slots=True)
class _Scope:
    variables: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    label: str = ""

    def child(self, **changes: object) -> _Scope:
        scope = _Scope(dict(self.variables), dict(self.parameters), self.label)
        for key, value in changes.items():
            setattr(scope, key, value)
        return scope

    def environment(self) -> dict[str, str]:
        return {name.upper().replace(".", "_"): value for name, value in self.variables.items()}


def _macro(match: re.Match[str], scope: _Scope) -> str:
    if match.group("name"):
        name = match.group("name")
        if name.lower() in _SOURCES:
            return ROOT
        for key, value in scope.variables.items():
            if key.lower() == name.lower():
                return value
        return opaque(match.group(0))
    if match.group("expr") is not None:
        expression = match.group("expr").strip()
        found = re.fullmatch(r"(parameters|variables)(?:\.([\w.-]+)|\['([^']+)'\])", expression)
        if found:
            name = found.group(2) or found.group(3)
            table = scope.parameters if found.group(1) == "parameters" else scope.variables
            if name in table:
                return table[name]
        return opaque(match.group(0))
    return opaque(match.group(0))


def _expand(text: str, scope: _Scope) -> Expanded:
    return substitute(text, _MACRO_RE, lambda m: _macro(m, scope))


def _variables(node: yaml.Node | None, scope: _Scope, scan: Scan, base: str) -> None:
    """``variables:`` as a mapping or a list of ``name``/``value`` (groups are opaque)."""
    items = mapping(node)
    if items:
        for name, value in items.items():
            scope.variables[name] = _expand(scalar(value) or "", scope).text
        return
    for item in sequence(node):
        entry = mapping(item)
        if "name" in entry:
            name = scalar(entry["name"]) or ""
            scope.variables[name] = _expand(scalar(entry.get("value")) or "", scope).text
        elif "template" in entry:
            target = join_path(base, scalar(entry["template"]) or "")
            document = scan.yaml(target) if target and target in scan.files else None
            if document is not None:
                scan.reached.add(target)  # type: ignore[arg-type]
                _variables(mapping(document.root).get("variables"), scope, scan, base)


def _parameters(node: yaml.Node | None, given: dict[str, str] | None, where: str) -> dict[str, str]:
    found: dict[str, str] = {}
    items = mapping(node)
    if items:  # the old form: `parameters: {name: default}`
        for name, value in items.items():
            default = scalar(value)
            if default is not None:
                found[name] = parameter(name, default, where)
    for item in sequence(node):
        entry = mapping(item)
        name = scalar(entry.get("name"))
        default = scalar(entry.get("default"))
        if name and default is not None:
            found[name] = parameter(name, default, where)
    found.update(given or {})
    return found


def read_all(scan: Scan, paths: list[str]) -> None:
    """Read every pipeline file that no other one uses as a template.

    A file read on its own before a pipeline turned out to use it as a
    template loses what that reading found (``Scan.sites`` drops it).
    """
    # Pipelines named azure-pipelines* first: they reach the templates.
    for path in sorted(
        paths, key=lambda p: (not p.rsplit("/", 1)[-1].startswith("azure-pipelines"), p)
    ):
        if path not in scan.reached:
            pipeline = path.rsplit("/", 1)[-1].startswith("azure-pipelines")
            scan.root = None if pipeline else path
            read_pipeline(scan, path, None, (), _Scope())
    scan.root = None


def read_pipeline(
    scan: Scan, path: str, given: dict[str, str] | None, via: tuple[str, ...], outer: _Scope
) -> None:
    document = scan.yaml(path)
    if document is None:
        return
    root = mapping(document.root)
    base = path.rsplit("/", 1)[0] if "/" in path else "."
    declared = key_node(document.root, "parameters")
    scope = outer.child(
        parameters=_parameters(
            root.get("parameters"), given, f"{path}:{document.line(declared) if declared else 1}"
        )
    )
    _variables(root.get("variables"), scope, scan, base)
    extends = mapping(root.get("extends"))
    if "template" in extends:
        _template(scan, document, extends, scope, base, via, "pipeline")
    for stage in sequence(root.get("stages")):
        _stage(scan, document, stage, scope, base, via)
    _jobs(scan, document, sequence(root.get("jobs")), scope, base, via)
    _steps(scan, document, sequence(root.get("steps")), scope, base, via, "")


def _template(
    scan: Scan,
    document: YamlFile,
    entry: dict[str, yaml.Node],
    scope: _Scope,
    base: str,
    via: tuple[str, ...],
    job: str,
) -> None:
    reference = _expand(scalar(entry.get("template")) or "", scope).text
    if "@" in reference or not is_literal(reference):
        return  # a template in another repository
    target = join_path(base, plain(reference) or "")
    if target is None or target not in scan.files or any(v.startswith(f"{target}:") for v in via):
        if target is not None and target not in scan.files:
            scan.requested.add(target)
        return
    scan.reached.add(target)
    given = {
        k: _expand(scalar(v) or "", scope).text for k, v in mapping(entry.get("parameters")).items()
    }
    line = document.line(entry["template"])
    read_pipeline(
        scan, target, given, (*via, f"{document.path}:{line}"), scope.child(parameters={})
    )


def _stage(
    scan: Scan, document: YamlFile, node: yaml.Node, scope: _Scope, base: str, via: tuple[str, ...]
) -> None:
    stage = mapping(node)
    if "template" in stage:
        _template(scan, document, stage, scope, base, via, "")
        return
    inner = scope.child()
    _variables(stage.get("variables"), inner, scan, base)
    _jobs(scan, document, sequence(stage.get("jobs")), inner, base, via)


def _matrix(node: yaml.Node | None) -> list[tuple[str, dict[str, str]]]:
    entries = mapping(mapping(node).get("matrix"))
    if not entries:
        return [("", {})]
    return [
        (name, {k: scalar(v) or "" for k, v in mapping(values).items()})
        for name, values in entries.items()
    ]


def _jobs(
    scan: Scan,
    document: YamlFile,
    jobs: list[yaml.Node],
    scope: _Scope,
    base: str,
    via: tuple[str, ...],
) -> None:
    for node in jobs:
        job = mapping(node)
        if "template" in job:
            _template(scan, document, job, scope, base, via, "")
            continue
        name = scalar(job.get("job")) or scalar(job.get("deployment")) or ""
        strategy = job.get("strategy")
        for entry, values in _matrix(strategy):
            inner = scope.child(label=f"matrix {entry}" if entry else scope.label)
            _variables(job.get("variables"), inner, scan, base)
            inner.variables.update(values)
            _steps(scan, document, sequence(job.get("steps")), inner, base, via, name)
            # Deployment jobs keep their steps under strategy.<kind>.<hook>.steps.
            for kind in mapping(strategy).values():
                for hook in mapping(kind).values():
                    for hook_part in [hook, *mapping(hook).values()]:
                        _steps(
                            scan,
                            document,
                            sequence(mapping(hook_part).get("steps")),
                            inner,
                            base,
                            via,
                            name,
                        )


def _steps(
    scan: Scan,
    document: YamlFile,
    steps: list[yaml.Node],
    scope: _Scope,
    base: str,
    via: tuple[str, ...],
    job: str,
) -> None:
    for node in steps:
        step = mapping(node)
        if len(step) == 1 and next(iter(step)).startswith("${{"):
            _steps(scan, document, sequence(next(iter(step.values()))), scope, base, via, job)
            continue
        if "template" in step:
            _template(scan, document, step, scope, base, via, job)
            continue
        env = scope.environment()
        for name, value in mapping(step.get("env")).items():
            env[name] = _expand(scalar(value) or "", scope).text
        directory = _directory(step.get("workingDirectory"), scope)
        script_key = next((k for k in _STEP_KEYS if k in step), None)
        if script_key is not None:
            _run(scan, document, step[script_key], scope, directory, env, via, job)
            continue
        task = scalar(step.get("task")) or ""
        inputs = mapping(step.get("inputs"))
        if _TASK_RE.match(task):
            _terraform_task(scan, document, node, task, inputs, scope, env, via, job)
            continue
        kind = task.split("@", 1)[0].lower()
        if kind in _SCRIPT_TASKS:
            directory = _directory(inputs.get("workingDirectory"), scope)
            script = inputs.get(_SCRIPT_TASKS[kind]) or inputs.get("script")
            if script is not None:
                _run(scan, document, script, scope, directory, env, via, job)
            target = scalar(inputs.get("filePath")) or scalar(inputs.get("scriptPath"))
            if target:
                path = join_path(".", _expand(target, scope).text)
                if path is not None:
                    call = ShellCall(
                        "script",
                        path,
                        (),
                        tuple(split_words(scalar(inputs.get("arguments")) or "")),
                        directory,
                        env,
                        document.line(node),
                        f"task: {task}",
                    )
                    scan.follow(call, (*via, f"{document.path}:{document.line(node)}"))


def _directory(node: yaml.Node | None, scope: _Scope) -> str:
    text = scalar(node)
    if text is None:
        return "."
    expanded = _expand(text, scope).text
    return join_path(".", expanded) or opaque(display(expanded))


def _run(
    scan: Scan,
    document: YamlFile,
    node: yaml.Node,
    scope: _Scope,
    directory: str,
    env: dict[str, str],
    via: tuple[str, ...],
    job: str,
) -> None:
    text = scalar(node)
    if text is None:
        return
    state = ShellState(cwd=directory, env=dict(env), exported=set(env))
    state.export("SYSTEM_DEFAULTWORKINGDIRECTORY", ROOT)
    state.export("BUILD_SOURCESDIRECTORY", ROOT)
    scan.run(
        document.script(node, _expand(text, scope)),
        state,
        mechanism=Mechanism.AZURE_PIPELINES,
        job=job,
        via=via,
        label=scope.label,
    )


def _terraform_task(
    scan: Scan,
    document: YamlFile,
    node: yaml.Node,
    task: str,
    inputs: dict[str, yaml.Node],
    scope: _Scope,
    env: dict[str, str],
    via: tuple[str, ...],
    job: str,
) -> None:
    def value(name: str) -> str | None:
        for key, item in inputs.items():
            if key.lower() == name.lower():
                text = scalar(item)
                return _expand(text, scope).text if text is not None else None
        return None

    command = plain(value("command") or "init")
    if command != "init":
        return
    cli = task.startswith("TerraformCLI")
    provider = plain(value("backendType") if cli else value("provider") or "azurerm") or ""
    directory = _directory(
        next((v for k, v in inputs.items() if k.lower() == "workingdirectory"), None), scope
    )
    supplied: list[SuppliedValue] = []
    origin_task = task.split("@", 1)[0]
    reasons: list[str] = []
    table = AZURE_TASK_INPUTS.get(provider, {})
    found: list[Parameter] = []
    for input_name, argument in table.items():
        given = value(input_name)
        if given is not None:
            supplied.append(
                SuppliedValue(argument, plain(given), f"{input_name} input of {origin_task}")
            )
            found.extend(parameters(given))
    service, arguments = AZURE_TASK_SERVICE_VALUES.get(provider, ("", ()))
    if service and value(service) is not None:
        supplied.extend(
            SuppliedValue(a, None, f"{service} service connection of {origin_task}")
            for a in arguments
        )
    if cli and provider not in ("", "azurerm", "self-configured", "local"):
        reasons.append(f"{origin_task} backendType {provider}: its inputs are not read")
    options = value("commandOptions") or ""
    configs, backend, unknown = parse_init_arguments(split_words(options))
    reasons.extend(f"commandOptions {u} is not known here" for u in unknown)
    config_arguments = tuple(
        BackendConfigArgument(t, w, w, directory if is_literal(directory) else None)
        for t, w in configs
    )
    environment = frozenset(env)
    if is_literal(directory):
        reach = Reach(
            plain(directory),
            None,
            config_arguments,
            tuple(supplied),
            environment,
            tuple(reasons),
            tuple(found),
            label=scope.label,
        )
    else:
        reasons.append(f"its working directory {display(directory)} is computed")
        reach = Reach(
            None,
            pattern(directory),
            config_arguments,
            tuple(supplied),
            environment,
            tuple(reasons),
            tuple(found),
            label=scope.label,
        )
    anchor = next(
        (k for k in (key_node(mapping(node).get("inputs"), "command"),) if k is not None), None
    )
    line = document.line(anchor) if anchor is not None else document.line(mapping(node)["task"])
    scan.add_reach(
        Mechanism.AZURE_PIPELINES,
        document.path,
        line,
        f"task: {task} (command: init)",
        "azure-task",
        reach,
        backend,
        job,
        via,
    )
