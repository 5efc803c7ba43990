"""Taskfiles (go-task): tasks, their ``cmds``, ``dir``, ``vars``, ``env`` and templates.

Each command of a task runs in its own shell in the task's ``dir`` (relative
to the Taskfile's directory, which is the default) with the global and task
``env``. Go templates are replaced first: ``{{.VAR}}`` from the caller's
``VAR=value``, then the task's ``vars``, the global ``vars`` and the
environment; ``{{.VAR | default "x"}}`` and ``{{default "x" .VAR}}`` fall back
to their literal default (a parameter); ``{{.ROOT_DIR}}``,
``{{.TASKFILE_DIR}}``, ``{{.USER_WORKING_DIR}}`` and ``{{.TASK}}`` are known.
``deps`` and ``task:`` commands run the named tasks first. Dynamic ``sh:``
variables are opaque.
"""

from __future__ import annotations

import re

import yaml

from fixer.terraform.init_context.model import Mechanism
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellCall, ShellState
from fixer.terraform.init_context.source import substitute
from fixer.terraform.init_context.values import (
    ROOT,
    join_path,
    opaque,
    parameter,
    plain,
)
from fixer.terraform.init_context.yaml_nodes import YamlFile, mapping, scalar, sequence

__all__ = ["follow", "standalone"]

_TEMPLATE_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_DEFAULT_RE = re.compile(
    r"""^\s*\.(\w+)\s*\|\s*default\s+("[^"]*"|'[^']*'|`[^`]*`)\s*$|^\s*default\s+("[^"]*"|'[^']*'|`[^`]*`)\s+\.(\w+)\s*$"""
)
_INIT_HINTS = ("init", "terragrunt", "gitlab-terraform", "make", ".sh", "just", "task", "tofu")


def _directory_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."


class _Templates:
    def __init__(self, path: str, variables: dict[str, str], task: str, invocation: str) -> None:
        self.path = path
        self.variables = variables
        self.task = task
        self.invocation = invocation

    def value(self, expression: str, written: str, line: int) -> str:
        expression = expression.strip().lstrip("-").rstrip("-").strip()
        match = _DEFAULT_RE.match(expression)
        if match:
            name = match.group(1) or match.group(4)
            default = (match.group(2) or match.group(3))[1:-1]
            if name in self.variables:
                return self.variables[name]
            return parameter(name, default, f"{self.path}:{line}")
        special = {
            "ROOT_DIR": ROOT,
            "TASKFILE_DIR": ROOT + _directory_of(self.path),
            "USER_WORKING_DIR": ROOT + self.invocation,
            "TASK": self.task,
        }
        simple = re.fullmatch(r"\.(\w+)", expression)
        if simple:
            name = simple.group(1)
            if name in special:
                return special[name]
            if name in self.variables:
                return self.variables[name]
        return opaque(written)

    def expand(self, text: str, line: int) -> str:
        return substitute(
            text, _TEMPLATE_RE, lambda m: self.value(m.group(1), m.group(0), line)
        ).text


def _variables(document: YamlFile, node: yaml.Node | None, templates: _Templates) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in mapping(node).items():
        text = scalar(value)
        if text is None:
            found[name] = opaque(f"{{{{.{name}}}}}")  # `sh:` and `ref:` are computed
            continue
        found[name] = templates.expand(text, document.line(value))
        templates.variables.setdefault(name, found[name])
    return found


def run_tasks(
    scan: Scan,
    path: str,
    names: list[str],
    arguments: dict[str, str],
    *,
    environment: dict[str, str],
    invocation: str,
    via: tuple[str, ...],
) -> None:
    document = scan.yaml(path)
    if document is None:
        return
    root = mapping(document.root)
    tasks = mapping(root.get("tasks"))
    done: set[str] = set()

    def run(name: str, given: dict[str, str], depth: int) -> None:
        node = tasks.get(name)
        if node is None or name in done or depth > 16:
            return
        done.add(name)
        task = mapping(node)
        variables = dict(environment)
        variables.update(given)
        templates = _Templates(path, variables, name, invocation)
        # Caller values win; task vars then global vars fill the rest.
        for source in (task.get("vars"), root.get("vars")):
            for key, value in _variables(
                document, source, _Templates(path, dict(variables), name, invocation)
            ).items():
                variables.setdefault(key, value)
        env = dict(environment)
        for source in (root.get("env"), task.get("env")):
            for key, value in mapping(source).items():
                text = scalar(value)
                env[key] = (
                    templates.expand(text, document.line(value))
                    if text is not None
                    else opaque(f"${key}")
                )
        directory = _directory_of(path)
        dir_node = task.get("dir")
        if scalar(dir_node) is not None:
            expanded = templates.expand(scalar(dir_node) or "", document.line(dir_node))  # type: ignore[arg-type]
            directory = join_path(directory, expanded) or opaque(expanded)
        for dependency in sequence(task.get("deps")):
            target = scalar(dependency) or scalar(mapping(dependency).get("task"))
            if target:
                run(target, _given(mapping(dependency).get("vars"), templates, document), depth + 1)
        commands = sequence(task.get("cmds")) or ([node] if scalar(node) else sequence(node))
        for command in commands:
            entry = mapping(command)
            if "task" in entry:
                target = scalar(entry["task"])
                if target:
                    run(target, _given(entry.get("vars"), templates, document), depth + 1)
                continue
            text_node = entry.get("cmd") if entry else command
            text = scalar(text_node)
            if text is None:
                continue
            expanded = substitute(
                text,
                _TEMPLATE_RE,
                lambda m, n=text_node: templates.value(m.group(1), m.group(0), document.line(n)),
            )
            state = ShellState(cwd=directory, env=dict(env), exported=set(env))
            scan.run(
                document.script(text_node, expanded),  # type: ignore[arg-type]
                state,
                mechanism=Mechanism.TASKFILE,
                job=name,
                via=via,
            )

    for name in names:
        run(name, dict(arguments), 0)


def _given(node: yaml.Node | None, templates: _Templates, document: YamlFile) -> dict[str, str]:
    return {
        key: templates.expand(scalar(value) or "", document.line(value))
        for key, value in mapping(node).items()
    }


# The names task looks for, in each directory from the caller's upward.
_TASKFILE_NAMES = (
    "Taskfile.yml",
    "taskfile.yml",
    "Taskfile.yaml",
    "taskfile.yaml",
    "Taskfile.dist.yml",
)


def follow(scan: Scan, call: ShellCall, via: tuple[str, ...]) -> bool:
    """Run ``task [tasks] VAR=value`` as a caller does (the Taskfile is searched upward)."""
    cwd = plain(call.cwd)
    if cwd is None:
        return False
    path = plain(call.target) if call.target is not None else scan.find_upward(cwd, _TASKFILE_NAMES)
    if path is None or path not in scan.files or any(v.startswith(f"{path}:") for v in via):
        return False
    scan.reached.add(path)
    arguments = {}
    for argument in call.arguments:
        name, _, value = argument.partition("=")
        arguments[plain(name) or name] = value
    run_tasks(
        scan,
        path,
        list(call.names) or ["default"],
        arguments,
        environment=dict(call.environment),
        invocation=cwd,
        via=via,
    )
    return True


def standalone(scan: Scan, path: str) -> None:
    """Run each task that may init, with its variables' defaults."""
    document = scan.yaml(path)
    if document is None:
        return
    text = scan.files[path]
    for name, node in mapping(mapping(document.root).get("tasks")).items():
        span = text[node.start_mark.index : node.end_mark.index]
        if any(hint in span for hint in _INIT_HINTS):
            run_tasks(
                scan, path, [name], {}, environment={}, invocation=_directory_of(path), via=()
            )
