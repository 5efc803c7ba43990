"""Makefiles: rules, their recipes, and the variables make expands in them.

A Makefile is read into variables (``=``, ``:=``, ``::=``, ``?=``, ``+=``,
``export``, ``override``) and rules (targets, prerequisites, tab-indented
recipe lines with backslash continuations). Running a goal runs its
prerequisites first, then each recipe line in its own shell (all in one under
``.ONESHELL``), in make's working directory, after make has replaced
``$(VAR)``, ``${VAR}``, ``$@``, ``$$`` and a few functions (``dir``,
``notdir``, ``lastword``, ``realpath``...). A ``?=`` default that nobody
overrides is a parameter; ``make init ENV=prod`` from a pipeline overrides it.
Conditionals are not evaluated: every branch's definitions are read, the last
one winning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fixer.terraform.init_context.model import Mechanism
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellCall, ShellState
from fixer.terraform.init_context.source import Expanded, ScriptSource, line_starts
from fixer.terraform.init_context.values import (
    ROOT,
    is_literal,
    join_path,
    opaque,
    parameter,
    plain,
    strip_parameters,
)

__all__ = ["follow", "standalone"]

_ASSIGN_RE = re.compile(
    r"^(?P<override>override\s+)?(?P<export>export\s+)?(?P<name>[A-Za-z0-9_.-]+)\s*"
    r"(?P<op>\?=|::=|:=|\+=|!=|=)\s*(?P<value>.*)$",
    re.DOTALL,
)
_RULE_RE = re.compile(r"^(?P<targets>[^:=#\t][^:=#]*?)\s*::?(?!=)\s*(?P<rest>.*)$", re.DOTALL)
_DIRECTIVES = (
    "ifeq",
    "ifneq",
    "ifdef",
    "ifndef",
    "else",
    "endif",
    "include",
    "-include",
    "sinclude",
    "vpath",
    "unexport",
    "undefine",
)
_MAX_EXPANSION = 24
_INIT_HINTS = ("init", "terragrunt", "gitlab-terraform", "make", ".sh", "just", "task", "tofu")


@dataclass(slots=True)
class _Variable:
    op: str
    value: str
    line: int


@dataclass(slots=True)
class _Rule:
    target: str
    prerequisites: list[str] = field(default_factory=list)
    recipe: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Makefile:
    path: str
    text: str
    variables: dict[str, _Variable] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)
    export_all: bool = False
    rules: dict[str, _Rule] = field(default_factory=dict)
    default_goal: str | None = None
    oneshell: bool = False


def parse_makefile(path: str, text: str) -> Makefile:
    """Read a Makefile's variables and rules. Never raises; odd lines are skipped."""
    makefile = Makefile(path, text)
    starts = line_starts(text)
    lines = text.split("\n")
    current: list[_Rule] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t") and current is not None:
            start = starts[index] + 1
            while start < len(text) and text[start] in "@-+ \t":
                start += 1
            last = index
            while lines[last].rstrip("\r").endswith("\\") and last + 1 < len(lines):
                last += 1
            end = starts[last] + len(lines[last].rstrip("\r"))
            for rule in current:
                rule.recipe.append((start, end))
            index = last + 1
            continue
        last = index
        while lines[last].rstrip("\r").endswith("\\") and last + 1 < len(lines):
            last += 1
        logical = " ".join(
            lines[n].rstrip("\r").removesuffix("\\").strip() for n in range(index, last + 1)
        )
        number = index + 1
        index = last + 1
        stripped = logical.strip()
        if not stripped or stripped.startswith("#"):
            continue
        word = stripped.split(None, 1)[0]
        if word == "define":
            while index < len(lines) and lines[index].strip() != "endef":
                index += 1
            index += 1
            continue
        if word in _DIRECTIVES:
            continue
        if stripped in ("export", ".EXPORT_ALL_VARIABLES:"):
            makefile.export_all = True
            continue
        if word == "export" and "=" not in stripped:
            makefile.exported.update(stripped.split()[1:])
            continue
        assignment = _ASSIGN_RE.match(stripped)
        if assignment:
            name, op, value = assignment["name"], assignment["op"], assignment["value"]
            value = value.split(" #", 1)[0].strip() if " #" in value else value.strip()
            if op == "+=" and name in makefile.variables:
                previous = makefile.variables[name]
                makefile.variables[name] = _Variable(
                    previous.op, f"{previous.value} {value}", previous.line
                )
            elif op == "!=":
                makefile.variables[name] = _Variable("=", "$(shell " + value + ")", number)
            else:
                makefile.variables[name] = _Variable(op, value, number)
            if assignment["export"]:
                makefile.exported.add(name)
            current = None
            continue
        rule = _RULE_RE.match(stripped)
        if rule is None:
            current = None
            continue
        rest = rule["rest"]
        prerequisites, _, inline = rest.partition(";")
        if re.match(r"^[A-Za-z0-9_.-]+\s*(\?=|:=|\+=|=)", prerequisites):
            current = None  # a target-specific variable
            continue
        targets = rule["targets"].split()
        current = []
        for target in targets:
            if target == ".ONESHELL":
                makefile.oneshell = True
            if "%" in target or target.startswith("."):
                continue
            existing = makefile.rules.setdefault(target, _Rule(target))
            existing.prerequisites.extend(prerequisites.split())
            if inline.strip():
                offset = text.find(inline.strip(), starts[number - 1])
                existing.recipe.append((offset, offset + len(inline.strip())))
            current.append(existing)
            if makefile.default_goal is None:
                makefile.default_goal = target
    return makefile


class _Expander:
    """Make's own expansion of one recipe line."""

    def __init__(
        self,
        makefile: Makefile,
        overrides: dict[str, str],
        environment: dict[str, str],
        cwd: str,
        target: str,
        prerequisites: list[str],
    ) -> None:
        self.makefile = makefile
        self.overrides = overrides
        self.environment = environment
        self.cwd = cwd
        self.target = target
        self.prerequisites = prerequisites

    def variable(self, name: str, depth: int) -> str:
        if name in self.overrides:
            return self.overrides[name]
        special = {
            "MAKE": "make",
            "CURDIR": ROOT + self.cwd,
            "MAKEFILE_LIST": ROOT + self.makefile.path,
            "SHELL": "/bin/sh",
            "@": self.target,
            "<": self.prerequisites[0] if self.prerequisites else "",
            "^": " ".join(self.prerequisites),
        }
        if name in special:
            return special[name]
        variable = self.makefile.variables.get(name)
        if variable is None:
            if name in self.environment:
                return self.environment[name]
            return opaque(f"$({name})")
        if variable.op == "?=" and name in self.environment:
            return self.environment[name]
        value = self.expand(variable.value, depth + 1)
        if variable.op == "?=" and is_literal(value):
            return parameter(name, value, f"{self.makefile.path}:{variable.line}")
        return value

    def function(self, name: str, argument: str, depth: int) -> str | None:
        args = [self.expand(a, depth + 1) for a in _split_args(argument)]
        first = args[0] if args else ""
        words = first.split()
        if name in ("dir", "notdir", "lastword", "firstword", "strip", "realpath", "abspath"):
            if not is_literal(first):
                return None
            if name == "lastword":
                return words[-1] if words else ""
            if name == "firstword":
                return words[0] if words else ""
            if name == "strip":
                return " ".join(words)
            if name == "dir":
                return " ".join(w.rsplit("/", 1)[0] + "/" if "/" in w else "./" for w in words)
            if name == "notdir":
                return " ".join(w.rsplit("/", 1)[-1] for w in words)
            joined = join_path(self.cwd, first.strip())
            return ROOT + joined if joined is not None else None
        if name == "subst" and len(args) == 3 and all(is_literal(a) for a in args):
            return args[2].replace(args[0], args[1])
        if name == "addprefix" and len(args) == 2 and all(is_literal(a) for a in args):
            return " ".join(args[0] + w for w in args[1].split())
        if name == "addsuffix" and len(args) == 2 and all(is_literal(a) for a in args):
            return " ".join(w + args[0] for w in args[1].split())
        return None

    def expand(self, text: str, depth: int = 0) -> str:
        return "".join(piece for piece, _, _ in self.pieces(text, depth))

    def pieces(self, text: str, depth: int = 0) -> list[tuple[str, int, int]]:
        """``text`` as ``(replacement, start, end)`` for each ``$`` reference, in order."""
        out: list[tuple[str, int, int]] = []
        position = 0
        i = text.find("$")
        while i >= 0 and i + 1 < len(text):
            if i > position:
                out.append((text[position:i], position, position))
            nxt = text[i + 1]
            if nxt == "$":
                out.append(("$", i, i + 2))
                position = i + 2
            elif nxt in "({":
                close = _close(text, i + 1)
                body = text[i + 2 : close]
                out.append((self._reference(body, text[i : close + 1], depth), i, close + 1))
                position = close + 1
            else:
                out.append((self.variable(nxt, depth) if depth < _MAX_EXPANSION else "", i, i + 2))
                position = i + 2
            i = text.find("$", position)
        if position < len(text):
            out.append((text[position:], position, position))
        return out

    def _reference(self, body: str, written: str, depth: int) -> str:
        if depth >= _MAX_EXPANSION:
            return opaque(written)
        head, _, argument = body.partition(" ")
        if argument and "$" not in head and not head.endswith(("=", ":")):
            value = self.function(head, argument, depth)
            return value if value is not None else opaque(written)
        if ":" in body and "=" in body:
            return opaque(written)  # substitution references
        name = self.expand(body, depth + 1)
        literal = plain(name)
        if literal is None:
            return opaque(written)
        return self.variable(literal.strip(), depth)


def _close(text: str, i: int) -> int:
    opener = text[i]
    closer = ")" if opener == "(" else "}"
    depth = 0
    while i < len(text):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(text) - 1


def _split_args(text: str) -> list[str]:
    args, depth, current = [], 0, ""
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(current)
            current = ""
        else:
            current += ch
    args.append(current)
    return args


def _expanded(expander: _Expander, original: str) -> Expanded:
    pieces = expander.pieces(original)
    spans = []
    text = []
    length = 0
    for value, start, end in pieces:
        if end > start:
            spans.append((length, length + len(value), start, end))
        text.append(value)
        length += len(value)
    return Expanded("".join(text), original, tuple(spans))


def run_goals(
    scan: Scan,
    makefile: Makefile,
    goals: list[str],
    *,
    overrides: dict[str, str],
    environment: dict[str, str],
    cwd: str,
    via: tuple[str, ...],
) -> None:
    """Run ``goals`` (prerequisites first, each rule once) and record their inits."""
    done: set[str] = set()
    base = _Expander(makefile, overrides, environment, cwd, "", [])
    env = dict(environment)
    names = set(makefile.variables) if makefile.export_all else makefile.exported
    for name in names:
        if name in makefile.variables:
            env[name] = base.variable(name, 0)
    for name, value in overrides.items():
        env.setdefault(name, value)

    def run(target: str, depth: int) -> None:
        if target in done or depth > 32:
            return
        done.add(target)
        rule = makefile.rules.get(strip_parameters(target))
        if rule is None:
            return
        for prerequisite in rule.prerequisites:
            run(base.expand(prerequisite), depth + 1)
        expander = _Expander(makefile, overrides, environment, cwd, rule.target, rule.prerequisites)
        state = ShellState(cwd=cwd, env=dict(env), exported=set(env))
        for start, end in rule.recipe:
            expanded = _expanded(expander, makefile.text[start:end])
            first_line = makefile.text.count("\n", 0, start)
            source = ScriptSource(makefile.path, expanded, (), first_line)
            if not makefile.oneshell:
                state = ShellState(cwd=cwd, env=dict(env), exported=set(env))
            scan.run(source, state, mechanism=Mechanism.MAKEFILE, job=rule.target, via=via)

    for goal in goals:
        run(goal, 0)


def _find(scan: Scan, directory: str) -> str | None:
    prefix = "" if directory == "." else f"{directory}/"
    for name in ("GNUmakefile", "makefile", "Makefile"):
        if f"{prefix}{name}" in scan.files:
            return f"{prefix}{name}"
    return None


def _parsed(scan: Scan, path: str) -> Makefile | None:
    text = scan.text(path)
    return parse_makefile(path, text) if text is not None else None


def follow(scan: Scan, call: ShellCall, via: tuple[str, ...]) -> bool:
    """Run ``make [-C dir] [-f file] goals VAR=value`` as a pipeline or script calls it."""
    cwd = plain(call.cwd)
    if cwd is None:
        return False
    path = plain(call.target) if call.target is not None else _find(scan, cwd)
    if path is None or path not in scan.files:
        return False
    if any(v.startswith(f"{path}:") for v in via):
        return False
    makefile = _parsed(scan, path)
    if makefile is None:
        return False
    scan.reached.add(path)
    overrides = {}
    for argument in call.arguments:
        name, _, value = argument.partition("=")
        overrides[strip_parameters(name)] = value
    goals = [g for g in call.names] or ([makefile.default_goal] if makefile.default_goal else [])
    run_goals(
        scan,
        makefile,
        goals,
        overrides=overrides,
        environment=dict(call.environment),
        cwd=cwd,
        via=via,
    )
    return True


def standalone(scan: Scan, path: str) -> None:
    """Run every rule whose recipe may init, as ``make <target>`` in the Makefile's directory."""
    makefile = _parsed(scan, path)
    if makefile is None:
        return
    directory = path.rsplit("/", 1)[0] if "/" in path else "."
    for target, rule in makefile.rules.items():
        recipe = " ".join(makefile.text[s:e] for s, e in rule.recipe)
        if any(hint in recipe for hint in _INIT_HINTS):
            run_goals(scan, makefile, [target], overrides={}, environment={}, cwd=directory, via=())
