"""justfiles: recipes, their parameters, and ``{{ }}`` interpolation.

``just`` runs each recipe line in its own shell in the justfile's directory
(``[no-cd]`` keeps the caller's, ``[working-directory: 'x']`` and ``set
working-directory`` change it), after replacing ``{{ expression }}``: variables
(``x := "v"``), parameters (``init env="dev":``, a default being a parameter
in the messages' sense), string literals, ``+`` and the ``/`` path join,
``justfile_directory()``, ``invocation_directory()`` and
``env_var_or_default("X", "d")``. A recipe that starts with ``#!`` is one
script. Dependencies run first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fixer.terraform.init_context.model import Mechanism
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellCall, ShellState
from fixer.terraform.init_context.source import ScriptSource, line_starts, substitute
from fixer.terraform.init_context.values import (
    ROOT,
    is_literal,
    join_path,
    opaque,
    parameter,
    plain,
)

__all__ = ["follow", "standalone"]

_VARIABLE_RE = re.compile(r"^(export\s+)?([A-Za-z_][A-Za-z0-9_-]*)\s*:=\s*(.+?)\s*$")
_RECIPE_RE = re.compile(r"^@?([A-Za-z_][A-Za-z0-9_-]*)((?:\s+[^:]*?)?)\s*:(?!=)\s*(.*?)\s*$")
_INTERPOLATION_RE = re.compile(r"\{\{\{\{|\{\{(.*?)\}\}")
_TOKEN_RE = re.compile(
    r"""\s*(?:(?P<str>'[^']*'|"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)|(?P<op>[+/(),])|(?P<other>\S))"""
)
_INIT_HINTS = ("init", "terragrunt", "gitlab-terraform", "make", ".sh", "just", "task", "tofu")


@dataclass(slots=True)
class _Recipe:
    name: str
    line: int
    parameters: list[tuple[str, str | None, bool]]  # name, default text, exported
    dependencies: list[str]
    body: list[tuple[int, int]] = field(default_factory=list)  # offsets of body lines
    attributes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Justfile:
    path: str
    text: str
    variables: dict[str, tuple[str, bool, int]] = field(default_factory=dict)
    recipes: dict[str, _Recipe] = field(default_factory=dict)
    export_all: bool = False
    working_directory: str | None = None
    first: str | None = None


def parse_justfile(path: str, text: str) -> Justfile:
    """Read a justfile's variables, settings and recipes. Never raises."""
    just = Justfile(path, text)
    starts = line_starts(text)
    lines = text.split("\n")
    attributes: list[str] = []
    current: _Recipe | None = None
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if current is not None and (line.startswith((" ", "\t")) or not line.strip()):
            if line.strip():
                indent = len(line) - len(line.lstrip(" \t"))
                span = (starts[index] + indent, starts[index] + len(line))
                previous = current.body[-1] if current.body else None
                if previous is not None and text[previous[0] : previous[1]].endswith("\\"):
                    # A backslash continues the recipe line, as in the shell.
                    span = (previous[0], span[1])
                    current.body.pop()
                current.body.append(span)
            continue
        current = None
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            attributes.append(stripped[1:-1])
            continue
        if stripped.startswith("set "):
            setting = stripped[4:]
            if re.match(r"export\b(\s*:=\s*true)?\s*$", setting):
                just.export_all = True
            match = re.match(r"working-directory\s*:=\s*(['\"])(.*)\1", setting)
            if match:
                just.working_directory = match.group(2)
            continue
        variable = _VARIABLE_RE.match(stripped)
        if variable:
            just.variables[variable.group(2)] = (
                variable.group(3),
                bool(variable.group(1)),
                index + 1,
            )
            continue
        recipe = _RECIPE_RE.match(stripped)
        if recipe:
            params: list[tuple[str, str | None, bool]] = []
            for token in re.findall(
                r"""[+*$]*[A-Za-z_][\w-]*(?:=(?:'[^']*'|"[^"]*"|\S+))?""", recipe.group(2)
            ):
                exported = "$" in token.split("=")[0]
                name, _, default = token.lstrip("+*$").partition("=")
                params.append((name, default or None, exported))
            dependencies = re.findall(r"[A-Za-z_][\w-]*", re.sub(r"\([^)]*\)", "", recipe.group(3)))
            current = _Recipe(
                recipe.group(1), index + 1, params, dependencies, attributes=attributes
            )
            just.recipes.setdefault(current.name, current)
            if just.first is None and "private" not in attributes:
                just.first = current.name
            attributes = []
    return just


class _Evaluator:
    def __init__(self, just: Justfile, values: dict[str, str], cwd: str, invocation: str) -> None:
        self.just = just
        self.values = values
        self.cwd = cwd
        self.invocation = invocation

    def variable(self, name: str, depth: int = 0) -> str:
        if name in self.values:
            return self.values[name]
        if name in self.just.variables and depth < 16:
            return self.evaluate(self.just.variables[name][0], depth + 1)
        return opaque(f"{{{{{name}}}}}")

    def evaluate(self, expression: str, depth: int = 0) -> str:
        tokens = [m for m in _TOKEN_RE.finditer(expression) if m.group().strip()]
        value, position = self._sum(tokens, 0, depth)
        if position != len(tokens) or value is None:
            return opaque(f"{{{{{expression.strip()}}}}}")
        return value

    def _sum(self, tokens: list[re.Match[str]], i: int, depth: int) -> tuple[str | None, int]:
        value, i = self._atom(tokens, i, depth)
        while value is not None and i < len(tokens) and tokens[i].group("op") in ("+", "/"):
            op = tokens[i].group("op")
            right, i = self._atom(tokens, i + 1, depth)
            if right is None:
                return None, i
            value = value + right if op == "+" else f"{value}/{right}"
        return value, i

    def _atom(self, tokens: list[re.Match[str]], i: int, depth: int) -> tuple[str | None, int]:
        if i >= len(tokens):
            return None, i
        token = tokens[i]
        if token.group("str"):
            text = token.group("str")[1:-1]
            return (
                bytes(text, "utf-8").decode("unicode_escape")
                if token.group("str")[0] == '"'
                else text
            ), i + 1
        if token.group("op") == "(":
            value, i = self._sum(tokens, i + 1, depth)
            return value, i + 1
        name = token.group("name")
        if name is None:
            return None, i + 1
        if i + 1 < len(tokens) and tokens[i + 1].group("op") == "(":
            args: list[str | None] = []
            i += 2
            while i < len(tokens) and tokens[i].group("op") != ")":
                value, i = self._sum(tokens, i, depth)
                args.append(value)
                if i < len(tokens) and tokens[i].group("op") == ",":
                    i += 1
            return self._call(name, args), i + 1
        return self.variable(name, depth), i + 1

    def _call(self, name: str, args: list[str | None]) -> str | None:
        if name == "justfile_directory":
            directory = self.just.path.rsplit("/", 1)[0] if "/" in self.just.path else "."
            return ROOT + directory
        if name == "invocation_directory":
            return ROOT + self.invocation
        if name in ("env_var_or_default", "env") and len(args) == 2 and args[1] is not None:
            return (
                parameter(plain(args[0] or "") or "?", args[1], self.just.path)
                if is_literal(args[1])
                else args[1]
            )
        if name in ("env_var", "env") and args:
            return opaque(f"env_var({args[0]})")
        return None


def run_recipes(
    scan: Scan,
    just: Justfile,
    names: list[str],
    arguments: list[str],
    *,
    environment: dict[str, str],
    invocation: str,
    via: tuple[str, ...],
) -> None:
    directory = just.path.rsplit("/", 1)[0] if "/" in just.path else "."
    done: set[str] = set()

    def run(name: str, args: list[str], depth: int) -> None:
        recipe = just.recipes.get(name)
        if recipe is None or name in done or depth > 16:
            return
        done.add(name)
        for dependency in recipe.dependencies:
            run(dependency, [], depth + 1)
        values: dict[str, str] = {}
        for index, (param, default, _) in enumerate(recipe.parameters):
            if index < len(args):
                values[param] = args[index]
            elif default is not None:
                evaluated = _Evaluator(just, values, directory, invocation).evaluate(default)
                values[param] = (
                    parameter(param, evaluated, f"{just.path}:{recipe.line}")
                    if is_literal(evaluated)
                    else evaluated
                )
            else:
                values[param] = opaque(f"{{{{{param}}}}}")
        evaluator = _Evaluator(just, values, directory, invocation)
        env = dict(environment)
        for variable, (_, exported, _) in just.variables.items():
            if exported or just.export_all:
                env[variable] = evaluator.variable(variable)
        for param, _, exported in recipe.parameters:
            if exported or just.export_all:
                env[param] = values[param]
        cwd = directory
        if just.working_directory:
            cwd = join_path(directory, just.working_directory) or directory
        for attribute in recipe.attributes:
            if attribute == "no-cd":
                cwd = invocation
            match = re.match(r"working-directory\s*:?\s*\(?\s*(['\"])(.*)\1", attribute)
            if match:
                cwd = join_path(directory, match.group(2)) or cwd
        bodies = recipe.body
        if bodies and just.text[bodies[0][0] : bodies[0][1]].startswith("#!"):
            bodies = [(bodies[1][0], bodies[-1][1])] if len(bodies) > 1 else []
            shared = True
        else:
            shared = False
        state = ShellState(cwd=cwd, env=dict(env), exported=set(env))
        for start, end in bodies:
            while start < end and just.text[start] in "@-":
                start += 1
            original = just.text[start:end]
            expanded = substitute(
                original,
                _INTERPOLATION_RE,
                lambda m: "{{" if m.group(0) == "{{{{" else evaluator.evaluate(m.group(1)),
            )
            source = ScriptSource(just.path, expanded, (), just.text.count("\n", 0, start))
            if not shared:
                state = ShellState(cwd=cwd, env=dict(env), exported=set(env))
            scan.run(source, state, mechanism=Mechanism.JUSTFILE, job=name, via=via)

    for name in names:
        run(name, arguments if name == names[-1] else [], 0)


# The names just looks for, in each directory from the recipe's upward.
_JUSTFILE_NAMES = ("justfile", "Justfile", ".justfile", "JUSTFILE")


def follow(scan: Scan, call: ShellCall, via: tuple[str, ...]) -> bool:
    """Run ``just [recipe] [arguments]`` as a caller does (the justfile is searched upward)."""
    cwd = plain(call.cwd)
    if cwd is None:
        return False
    path = plain(call.target) if call.target is not None else scan.find_upward(cwd, _JUSTFILE_NAMES)
    if path is None or path not in scan.files or any(v.startswith(f"{path}:") for v in via):
        return False
    just = parse_justfile(path, scan.files[path])
    scan.reached.add(path)
    names = list(call.names) or ([just.first] if just.first else [])
    arguments = [a for a in call.arguments]
    run_recipes(
        scan, just, names, arguments, environment=dict(call.environment), invocation=cwd, via=via
    )
    return True


def standalone(scan: Scan, path: str) -> None:
    """Run each recipe that may init, with its parameters' defaults."""
    text = scan.text(path)
    if text is None:
        return
    just = parse_justfile(path, text)
    directory = path.rsplit("/", 1)[0] if "/" in path else "."
    for name, recipe in just.recipes.items():
        body = " ".join(text[s:e] for s, e in recipe.body)
        if any(hint in body for hint in _INIT_HINTS):
            run_recipes(scan, just, [name], [], environment={}, invocation=directory, via=())
