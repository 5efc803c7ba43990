"""CircleCI: ``.circleci/config.yml`` jobs, reusable commands, parameters and matrices.

The jobs a workflow runs (every job when there is no workflow) are read with
the parameters the workflow gives (``<< parameters.x >>`` and
``<< pipeline.parameters.x >>`` replaced; defaults are parameters in the
messages' sense; a ``matrix`` runs once per combination). ``checkout`` puts
the repository in the job's ``working_directory``, so that is the root; a
``run`` step's ``working_directory`` is relative to it, ``environment`` of the
job and the step is exported. Reusable ``commands`` are followed; orb
commands that run Terraform are recorded as opaque.
"""

from __future__ import annotations

import itertools
import re

import yaml

from fixer.terraform.init_context.model import Mechanism, Reach
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState
from fixer.terraform.init_context.source import substitute
from fixer.terraform.init_context.values import (
    ROOT,
    is_literal,
    join_path,
    opaque,
    parameter,
    plain,
)
from fixer.terraform.init_context.yaml_nodes import YamlFile, mapping, scalar, sequence, to_python

__all__ = ["read"]

_PARAMETER_RE = re.compile(r"<<\s*(pipeline\.parameters|parameters)\.([\w-]+)\s*>>|<<\s*[^>]*>>")
_PROJECT_PREFIXES = (
    "~/project",
    "/home/circleci/project",
    "$CIRCLE_WORKING_DIRECTORY",
    "${CIRCLE_WORKING_DIRECTORY}",
    "/root/project",
)
_TERRAFORM_WORDS = re.compile(r"terraform|terragrunt|tofu", re.IGNORECASE)


def _defaults(node: yaml.Node | None, where: str) -> dict[str, str]:
    found = {}
    for name, spec in mapping(node).items():
        default = scalar(mapping(spec).get("default"))
        if default is not None:
            found[name] = parameter(name, default, where)
    return found


def _relative(path: str) -> str:
    for prefix in _PROJECT_PREFIXES:
        if path == prefix or path.startswith(prefix + "/"):
            return "." + path[len(prefix) :]
    return path


class _Reader:
    def __init__(self, scan: Scan, document: YamlFile) -> None:
        self.scan = scan
        self.document = document
        self.root = mapping(document.root)
        self.pipeline = _defaults(self.root.get("parameters"), f"{document.path}:1")

    def expand(self, text: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
        def replace(match: re.Match[str]) -> str:
            if match.group(2) is None:
                return opaque(match.group(0))
            table = self.pipeline if match.group(1).startswith("pipeline") else params
            return table.get(match.group(2), opaque(match.group(0)))

        return substitute(text, _PARAMETER_RE, replace)

    def environment(self, node: yaml.Node | None, params: dict[str, str]) -> dict[str, str]:
        found = {}
        data = mapping(node)
        for name, value in data.items():
            found[name] = self.expand(scalar(value) or "", params).text
        for item in sequence(node):  # the `- NAME=value` list form
            text = scalar(item) or ""
            name, _, value = text.partition("=")
            found[name] = self.expand(value, params).text
        return found

    def job(self, name: str, given: dict[str, str], label: str) -> None:
        job = mapping(mapping(self.root.get("jobs")).get(name))
        if not job:
            return
        params = _defaults(
            job.get("parameters"), f"{self.document.path}:{self.document.line(self.root['jobs'])}"
        )
        params.update(given)
        env = self.environment(job.get("environment"), params)
        self.steps(sequence(job.get("steps")), params, env, name, label, 0)

    def steps(
        self,
        steps: list[yaml.Node],
        params: dict[str, str],
        env: dict[str, str],
        job: str,
        label: str,
        depth: int,
    ) -> None:
        commands = mapping(self.root.get("commands"))
        for node in steps:
            if isinstance(node, yaml.ScalarNode):
                name, body = scalar(node) or "", None
            else:
                items = mapping(node)
                if len(items) != 1:
                    continue
                name, body = next(iter(items.items()))
            if name == "run":
                spec = mapping(body)
                command = spec.get("command") if spec else body
                text = scalar(command)
                if text is None:
                    continue
                step_env = dict(env)
                step_env.update(self.environment(spec.get("environment"), params))
                directory = "."
                workdir = scalar(spec.get("working_directory"))
                if workdir is not None:
                    expanded = _relative(self.expand(workdir, params).text)
                    directory = join_path(".", expanded) or opaque(expanded)
                state = ShellState(cwd=directory, env=step_env, exported=set(step_env))
                state.export("CIRCLE_WORKING_DIRECTORY", ROOT)
                self.scan.run(
                    self.document.script(command, self.expand(text, params)),  # type: ignore[arg-type]
                    state,
                    mechanism=Mechanism.CIRCLECI,
                    job=job,
                    label=label,
                )
            elif name in commands and depth < 8:
                command = mapping(commands[name])
                inner = _defaults(command.get("parameters"), f"{self.document.path}:1")
                inner.update(
                    {k: self.expand(scalar(v) or "", params).text for k, v in mapping(body).items()}
                )
                self.steps(sequence(command.get("steps")), inner, env, job, label, depth + 1)
            elif "/" in name and _TERRAFORM_WORDS.search(name):
                args = {
                    k: self.expand(scalar(v) or "", params).text for k, v in mapping(body).items()
                }
                where = args.get("path") or args.get("working_directory")
                directory = join_path(".", _relative(where)) if where is not None else "."
                reason = f"orb command {name} runs Terraform; what it passes is not known"
                if directory is not None and is_literal(directory):
                    reach = Reach(
                        plain(directory), environment=frozenset(env), opaque=(reason,), label=label
                    )
                else:
                    reach = Reach(None, environment=frozenset(env), opaque=(reason,), label=label)
                self.scan.add_reach(
                    Mechanism.CIRCLECI,
                    self.document.path,
                    self.document.line(node),
                    f"{name}",
                    "orb",
                    reach,
                    True,
                    job,
                )


def read(scan: Scan, path: str) -> None:
    """Read the jobs that the workflows run, with their parameters."""
    document = scan.yaml(path)
    if document is None:
        return
    reader = _Reader(scan, document)
    workflows = mapping(reader.root.get("workflows"))
    invoked = False
    for workflow in workflows.values():
        for entry in sequence(mapping(workflow).get("jobs")):
            if isinstance(entry, yaml.ScalarNode):
                reader.job(scalar(entry) or "", {}, "")
                invoked = True
                continue
            for name, spec_node in mapping(entry).items():
                spec = mapping(spec_node)
                given = {
                    k: reader.expand(scalar(v) or "", {}).text
                    for k, v in spec.items()
                    if scalar(v) is not None and k not in ("name", "requires", "context", "filters")
                }
                matrix = to_python(mapping(spec.get("matrix")).get("parameters"))
                combos: list[dict[str, str]] = [{}]
                if isinstance(matrix, dict):
                    keys = list(matrix)
                    lists = [v if isinstance(v, list) else [v] for v in matrix.values()]
                    combos = [
                        dict(zip(keys, map(str, values), strict=True))
                        for values in itertools.islice(itertools.product(*lists), 200)
                    ]
                for combo in combos:
                    label = (
                        "matrix " + ", ".join(f"{k}={v}" for k, v in combo.items()) if combo else ""
                    )
                    reader.job(name, {**given, **combo}, label)
                invoked = True
    if not invoked:
        for name in mapping(reader.root.get("jobs")):
            reader.job(name, {}, "")
