"""Atlantis: ``atlantis.yaml`` projects and the workflows that plan them.

Atlantis plans each project in its ``dir``. The default workflow runs a plain
``init`` there (no backend values); a custom workflow's plan steps may be
``init`` (with ``extra_args``), ``run`` commands (read by the shell parser in
the project directory, with ``DIR``, ``WORKSPACE`` and ``PROJECT_NAME`` set as
Atlantis sets them) and ``env`` steps. A workflow named but not defined in the
file lives in the server-side repo config and is opaque. Without projects,
Atlantis plans whatever directories a pull request changes: unresolved.
(runatlantis.io, "Custom Workflows" and "Repo Level atlantis.yaml".)
"""

from __future__ import annotations

import yaml

from fixer.terraform.init_context.model import BackendConfigArgument, Mechanism, Reach
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState, parse_init_arguments
from fixer.terraform.init_context.values import ROOT, join_path, opaque
from fixer.terraform.init_context.yaml_nodes import YamlFile, key_node, mapping, scalar, sequence

__all__ = ["read"]


def read(scan: Scan, path: str) -> None:
    document = scan.yaml(path)
    if document is None:
        return
    root = mapping(document.root)
    workflows = mapping(root.get("workflows"))
    projects = sequence(root.get("projects"))
    if not projects:
        reach = Reach(None, opaque=("Atlantis plans the directories each pull request changes",))
        scan.add_reach(Mechanism.ATLANTIS, path, 1, "atlantis plan (autoplan)", "atlantis", reach)
        return
    for node in projects:
        project = mapping(node)
        directory = join_path(".", scalar(project.get("dir")) or ".") or "."
        workspace = scalar(project.get("workspace")) or "default"
        name = scalar(project.get("name")) or directory
        workflow = scalar(project.get("workflow"))
        anchor = key_node(node, "dir") or node
        if workflow is None or (workflow == "default" and workflow not in workflows):
            reach = Reach(directory, label=f"project {name}")
            scan.add_reach(
                Mechanism.ATLANTIS,
                path,
                document.line(anchor),
                "atlantis plan (default workflow: terraform init)",
                "atlantis",
                reach,
                job=name,
            )
            continue
        if workflow not in workflows:
            reach = Reach(
                directory,
                opaque=(f"workflow {workflow} is defined in the Atlantis server's config",),
                label=f"project {name}",
            )
            scan.add_reach(
                Mechanism.ATLANTIS,
                path,
                document.line(anchor),
                f"atlantis plan (workflow {workflow})",
                "atlantis",
                reach,
                job=name,
            )
            continue
        plan = mapping(mapping(workflows[workflow]).get("plan"))
        steps = sequence(plan.get("steps")) if plan else []
        if not steps:
            reach = Reach(directory, label=f"project {name}")
            scan.add_reach(
                Mechanism.ATLANTIS,
                path,
                document.line(anchor),
                f"atlantis plan (workflow {workflow}: terraform init)",
                "atlantis",
                reach,
                job=name,
            )
            continue
        _steps(scan, document, steps, directory, workspace, name)


def _steps(
    scan: Scan,
    document: YamlFile,
    steps: list[yaml.Node],
    directory: str,
    workspace: str,
    name: str,
) -> None:
    env = {"DIR": ROOT + directory, "WORKSPACE": workspace, "PROJECT_NAME": name}
    for step in steps:
        if scalar(step) == "init":
            reach = Reach(directory, environment=frozenset(env), label=f"project {name}")
            scan.add_reach(
                Mechanism.ATLANTIS,
                document.path,
                document.line(step),
                "init",
                "atlantis",
                reach,
                job=name,
            )
            continue
        entry = mapping(step)
        if "init" in entry:
            words = [scalar(a) or "" for a in sequence(mapping(entry["init"]).get("extra_args"))]
            configs, backend, unknown = parse_init_arguments(words)
            reach = Reach(
                directory,
                arguments=tuple(BackendConfigArgument(t, w, w, directory) for t, w in configs),
                environment=frozenset(env),
                opaque=tuple(f"extra_args {u} is not known here" for u in unknown),
                label=f"project {name}",
            )
            shown = " ".join(["init", *words])
            scan.add_reach(
                Mechanism.ATLANTIS,
                document.path,
                document.line(step),
                shown,
                "atlantis",
                reach,
                backend,
                name,
            )
        elif "env" in entry:
            spec = mapping(entry["env"])
            variable = scalar(spec.get("name"))
            if variable:
                value = scalar(spec.get("value"))
                env[variable] = value if value is not None else opaque(f"${variable}")
        elif "run" in entry:
            run = entry["run"]
            command = mapping(run).get("command") if isinstance(run, yaml.MappingNode) else run
            if scalar(command) is None:
                continue
            state = ShellState(cwd=directory, env=dict(env), exported=set(env))
            scan.run(
                document.script(command),
                state,
                mechanism=Mechanism.ATLANTIS,
                job=name,
                label=f"project {name}",
            )
