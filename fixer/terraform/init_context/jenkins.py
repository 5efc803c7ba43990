"""Jenkinsfiles: ``sh`` steps, ``dir`` and ``withEnv`` scopes, ``environment`` blocks.

A careful scanner, not a Groovy parser: it walks the text skipping comments
and strings, keeps a stack of ``{ }`` scopes, and notes what opens each one:
``dir('envs/prod')`` changes the working directory, ``withEnv([...])`` adds
variables, ``stage('name')`` names the job; an ``environment { X = 'v' }``
block adds to the scope that holds it. ``sh``, ``bat``, ``powershell`` and
``pwsh`` steps with a string (single, double or triple quotes, or
``script:`` inside parentheses) are read by the shell
parser. Double-quoted strings are Groovy templates first: ``${env.X}``,
``${X}`` and ``$X`` take a literal environment value, ``${params.X}`` a
``parameters {}`` default (a parameter), the rest is opaque.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from fixer.terraform.init_context.model import Mechanism
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState
from fixer.terraform.init_context.source import Expanded, ScriptSource, line_starts, substitute
from fixer.terraform.init_context.values import ROOT, join_path, opaque, parameter

__all__ = ["read"]

_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STEPS = frozenset({"sh", "bat", "powershell", "pwsh"})
_INTERPOLATION_RE = re.compile(
    r"\\(.)|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)", re.DOTALL
)
_SINGLE_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_ASSIGNMENT_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")


@dataclass(slots=True)
class _Scope:
    cwd: str = "."
    env: dict[str, str] = field(default_factory=dict)
    stage: str = ""


def _string_at(text: str, i: int) -> tuple[int, int, str] | None:
    """``(content start, content end, quote)`` of the Groovy string at ``i``, or None."""
    for quote in ("'''", '"""', "'", '"'):
        if text.startswith(quote, i):
            j = i + len(quote)
            while j < len(text):
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    return i + len(quote), j, quote
                if len(quote) == 1 and text[j] == "\n":
                    break
                j += 1
            return i + len(quote), min(j, len(text)), quote
    return None


class _Reader:
    def __init__(self, scan: Scan, path: str, text: str) -> None:
        self.scan = scan
        self.path = path
        self.text = text
        self.starts = line_starts(text)
        self.parameters: dict[str, str] = {}
        self.stack = [_Scope(env={"WORKSPACE": ROOT})]
        self.pending: list[tuple[str, object]] = []

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def skip_space(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in " \t\r\n":
            i += 1
        return i

    def value(self, start: int, end: int, quote: str) -> Expanded:
        """A Groovy string's content as the shell receives it."""
        content = self.text[start:end]
        if quote.startswith("'"):
            return substitute(
                content, _SINGLE_ESCAPE_RE, lambda m: "" if m.group(1) == "\n" else m.group(1)
            )

        def replace(match: re.Match[str]) -> str:
            if match.group(1) is not None:
                escaped = match.group(1)
                return {"n": "\n", "t": "\t", "\n": ""}.get(escaped, escaped)
            expression = (match.group(2) or match.group(3) or "").strip()
            return self.evaluate(expression, match.group(0))

        return substitute(content, _INTERPOLATION_RE, replace)

    def evaluate(self, expression: str, written: str) -> str:
        env = self.stack[-1].env
        name = expression.removeprefix("env.")
        if name in env and re.fullmatch(r"\w+", name):
            return env[name]
        if expression.startswith("params.") and expression[7:] in self.parameters:
            return self.parameters[expression[7:]]
        return opaque(written)

    def read(self) -> None:
        text = self.text
        i = 0
        while i < len(text):
            c = text[i]
            if text.startswith("//", i):
                end = text.find("\n", i)
                i = len(text) if end < 0 else end
                continue
            if text.startswith("/*", i):
                end = text.find("*/", i + 2)
                i = len(text) if end < 0 else end + 2
                continue
            if c in "'\"":
                found = _string_at(text, i)
                i = (found[1] + len(found[2])) if found else i + 1
                continue
            if c == "{":
                top = self.stack[-1]
                scope = _Scope(top.cwd, dict(top.env), top.stage)
                for kind, value in self.pending:
                    if kind == "dir":
                        scope.cwd = join_path(scope.cwd, value) or opaque(str(value))  # type: ignore[arg-type]
                    elif kind == "env":
                        scope.env.update(value)  # type: ignore[arg-type]
                    elif kind == "stage":
                        scope.stage = str(value)
                self.pending = []
                self.stack.append(scope)
                i += 1
                continue
            if c == "}":
                if len(self.stack) > 1:
                    self.stack.pop()
                i += 1
                continue
            match = _WORD_RE.match(text, i)
            if match is None or (i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.$")):
                i += 1
                continue
            word = match.group()
            i = match.end()
            if word in _STEPS:
                i = self.step(i, word)
            elif word in ("dir", "stage", "withEnv"):
                i = self.call(i, word)
            elif word == "environment":
                i = self.environment(i)
            elif word == "parameters":
                i = self.parameter_block(i)
        return

    def arguments(self, i: int) -> tuple[int, str] | None:
        """The parenthesised argument text after ``i``, and the offset after it."""
        i = self.skip_space(i)
        if i >= len(self.text) or self.text[i] != "(":
            return None
        depth, j = 0, i
        while j < len(self.text):
            ch = self.text[j]
            if ch in "'\"":
                found = _string_at(self.text, j)
                j = (found[1] + len(found[2])) if found else j + 1
                continue
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
                if depth == 0:
                    return j + 1, self.text[i + 1 : j]
            j += 1
        return None

    def strings(self, start: int, end: int) -> list[tuple[int, int, str]]:
        found, j = [], start
        while j < end:
            if self.text[j] in "'\"":
                string = _string_at(self.text, j)
                if string is None:
                    break
                found.append(string)
                j = string[1] + len(string[2])
                continue
            j += 1
        return found

    def call(self, i: int, word: str) -> int:
        found = self.arguments(i)
        if found is None:
            return i
        end, inner = found
        start = end - 1 - len(inner)
        strings = self.strings(start, end - 1)
        if word == "withEnv":
            values = {}
            for s, e, q in strings:
                name, _, value = self.value(s, e, q).text.partition("=")
                values[name] = value
            self.pending.append(("env", values))
        elif strings:
            s, e, q = strings[-1] if word == "dir" and "path:" in inner else strings[0]
            self.pending.append((word, self.value(s, e, q).text))
        return end

    def step(self, i: int, word: str) -> int:
        j = self.skip_space(i)
        string = _string_at(self.text, j)
        end = j
        if string is None:
            found = self.arguments(i)
            if found is None:
                return i
            end, inner = found
            start = end - 1 - len(inner)
            script = re.search(r"\bscript\s*:\s*", inner)
            at = start + script.end() if script else start
            string = _string_at(self.text, self.skip_space(at))
            if string is None:
                return end
        else:
            end = string[1] + len(string[2])
        s, e, q = string
        scope = self.stack[-1]
        for kind, value in self.pending:
            if kind == "env":
                scope = _Scope(scope.cwd, {**scope.env, **value}, scope.stage)  # type: ignore[dict-item]
        expanded = self.value(s, e, q)
        source = ScriptSource(self.path, expanded, (), self.line(s) - 1)
        state = ShellState(cwd=scope.cwd, env=dict(scope.env), exported=set(scope.env))
        self.scan.run(source, state, mechanism=Mechanism.JENKINS, job=scope.stage)
        return max(end, i)

    def environment(self, i: int) -> int:
        j = self.skip_space(i)
        if j >= len(self.text) or self.text[j] != "{":
            return i
        depth, k = 0, j
        while k < len(self.text):
            ch = self.text[k]
            if ch in "'\"":
                found = _string_at(self.text, k)
                k = (found[1] + len(found[2])) if found else k + 1
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        body_start = j + 1
        env = self.stack[-1].env
        for match in _ASSIGNMENT_RE.finditer(self.text, body_start, k):
            at = match.end()
            string = _string_at(self.text, at)
            name = match.group(1)
            if string is not None:
                env[name] = self.value(*string).text
            else:
                env[name] = opaque(f"env.{name}")
        return k + 1

    def parameter_block(self, i: int) -> int:
        j = self.skip_space(i)
        if j >= len(self.text) or self.text[j] != "{":
            return i
        end = self.text.find("}", j)
        end = len(self.text) if end < 0 else end
        body = self.text[j:end]
        for call in re.finditer(r"(\w+)\s*\(([^()]*)\)", body):
            arguments = call.group(2)
            name = re.search(r"name\s*:\s*['\"]([^'\"]+)['\"]", arguments)
            default = re.search(r"defaultValue\s*:\s*['\"]([^'\"]*)['\"]", arguments) or re.search(
                r"choices\s*:\s*\[\s*['\"]([^'\"]*)['\"]", arguments
            )
            if name and default:
                where = f"{self.path}:{self.line(j + call.start())}"
                self.parameters[name.group(1)] = parameter(name.group(1), default.group(1), where)
        return end + 1


def read(scan: Scan, path: str) -> None:
    _Reader(scan, path, scan.files[path]).read()
