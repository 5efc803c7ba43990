"""The shell-command parser: where a script runs init, in which directory, with what.

Every mechanism ends in shell text (a ``run:`` block, a recipe line, an
``sh '...'`` step). :func:`run_script` reads it the way ``sh`` would, as far as
that can be done without running anything: words with their quoting (so
``'$X'`` stays literal and ``"$X"`` expands), ``$VAR`` / ``${VAR:-default}``
against the variables known so far, ``cd`` / ``pushd`` / ``popd`` and
``( ... )`` subshells, ``&&`` / ``;`` / ``|`` lists, ``for x in a b`` loops over
literal words, functions defined and called in the script, heredocs skipped,
``$(...)`` searched too. It reports each ``terraform`` / ``tofu`` / ``terragrunt``
/ ``gitlab-terraform`` init with its working directory, ``-backend-config``
values and environment, and each call of a Makefile target, a script, a just
recipe or a task, for the caller to follow.

It is a careful scanner, not a shell: ``if`` and ``case`` branches are all
read, loops over globs or command output are opaque, ``source`` is not
followed. Values nobody can see become opaque markers (see ``values``).
``shlex`` is not used because it loses offsets and cannot tell ``'$X'`` from
``"$X"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from fixer.terraform.init_context.source import ScriptSource
from fixer.terraform.init_context.values import (
    ROOT,
    display,
    is_literal,
    join_path,
    opaque,
    parameter,
    plain,
    strip_parameters,
)

__all__ = [
    "INIT_PROGRAMS",
    "ShellCall",
    "ShellInit",
    "ShellState",
    "expand_value",
    "parse_init_arguments",
    "run_script",
    "split_words",
]

INIT_PROGRAMS = frozenset({"terraform", "tofu", "terragrunt", "gitlab-terraform", "gitlab-tofu"})
"""Programs whose ``init`` (or, for the GitLab wrappers, implicit init) this parser reports."""

_GITLAB_WRAPPER_INITS = frozenset({"init", "plan", "apply", "destroy"})
"""gitlab-terraform runs init itself before these (GitLab's "Terraform helpers" docs:
the "Implicit init?" column of its command table)."""

_WRAPPERS = frozenset({"env", "exec", "command", "time", "nohup", "sudo", "builtin"})
_KEYWORDS = frozenset({"if", "then", "else", "elif", "fi", "do", "while", "until", "!", "{", "}"})
_LOOP_STARTS = frozenset({"for", "while", "until", "select"})
_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh"})
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=(.*)", re.DOTALL)
_MAX_LOOP_ITEMS = 64
_ORDINARY_RE = re.compile(r"[^\s\\;&|()<>'\"$`*?]+")
_MAX_DEPTH = 16


# -- words ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Part:
    """One piece of a word: ``lit`` text, a ``var`` expansion body, a ``cmd``
    substitution (``start``/``end`` of its body in the script), or a ``glob`` char."""

    kind: str
    text: str
    quoted: bool = False
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class _Word:
    parts: list[_Part]
    start: int
    end: int = 0
    quoted: bool = False

    def literal(self) -> str | None:
        """The word's text when it is plain literal text (no expansion, no quotes)."""
        if self.quoted or any(p.kind != "lit" for p in self.parts):
            return None
        return "".join(p.text for p in self.parts)


@dataclass(slots=True)
class _Command:
    words: list[_Word]
    start: int
    end: int
    function: str | None = None  # set for `name() {` headers


@dataclass(slots=True)
class _Op:
    op: str  # "(" or ")"


_Item = _Command | _Op


class _Lexer:
    """Splits script text into commands of raw words, keeping offsets."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.i = start
        self.end = end
        self.items: list[_Item] = []
        self.words: list[_Word] = []
        self.word: _Word | None = None
        self.heredocs: list[tuple[str, bool]] = []
        self.drop_next = False

    # -- building ------------------------------------------------------------------

    def _part(self, part: _Part, at: int) -> None:
        if self.word is None:
            self.word = _Word([], at)
        self.word.parts.append(part)
        if part.kind == "lit" and self.word.parts[-2:-1] and self.word.parts[-2].kind == "lit":
            previous = self.word.parts[-2]
            if previous.quoted == part.quoted:
                previous.text += part.text
                self.word.parts.pop()

    def _finish_word(self) -> None:
        if self.word is None:
            return
        self.word.end = self.i
        if self.drop_next:
            # The target of a redirection is not an argument.
            self.drop_next = False
        else:
            self.words.append(self.word)
        self.word = None

    def _finish_command(self) -> None:
        self._finish_word()
        if self.words:
            self.items.append(_Command(self.words, self.words[0].start, self.words[-1].end))
        self.words = []

    # -- scanning ------------------------------------------------------------------

    def run(self) -> list[_Item]:
        text, end = self.text, self.end
        while self.i < end:
            c = text[self.i]
            if c == "\\":
                if text.startswith("\n", self.i + 1) or text.startswith("\r\n", self.i + 1):
                    self.i += 2 if text[self.i + 1] == "\n" else 3
                    continue
                if self.i + 1 < end:
                    self._part(_Part("lit", text[self.i + 1]), self.i)
                    self.i += 2
                    continue
                self.i += 1
                continue
            if c in " \t\r":
                self._finish_word()
                self.i += 1
            elif c == "\n":
                self._finish_command()
                self.i += 1
                self._skip_heredocs()
            elif text.startswith("&>", self.i):
                self.i += 1
                self._redirection()
            elif c in ";&|":
                self._finish_command()
                self.i += (
                    2 if text.startswith(c * 2, self.i) or text.startswith("|&", self.i) else 1
                )
            elif c == "#" and self.word is None:
                newline = text.find("\n", self.i, end)
                self.i = end if newline < 0 else newline
            elif c == "(":
                if self.word is not None and text.startswith("()", self.i):
                    self._finish_word()
                    name = self.words[-1].literal() if self.words else None
                    self.i += 2
                    if name is not None and len(self.words) <= 2:
                        self.items.append(_Command([], self.words[0].start, self.i, name))
                        self.words = []
                    continue
                self._finish_command()
                self.items.append(_Op("("))
                self.i += 1
            elif c == ")":
                self._finish_command()
                self.items.append(_Op(")"))
                self.i += 1
            elif c in "<>":
                self._redirection()
            elif c == "'":
                close = text.find("'", self.i + 1, end)
                close = end if close < 0 else close
                self._part(_Part("lit", text[self.i + 1 : close], quoted=True), self.i)
                self.word.quoted = True  # type: ignore[union-attr]
                self.i = close + 1
            elif c == '"':
                self._double_quoted()
            elif c == "$":
                self._dollar(quoted=False)
            elif c == "`":
                self._backquote(quoted=False)
            elif c in "*?":
                self._part(_Part("glob", c), self.i)
                self.i += 1
            else:
                # A run of ordinary characters is one piece (`#` inside a word is literal).
                match = _ORDINARY_RE.match(text, self.i, end)
                stop = match.end() if match else self.i + 1
                self._part(_Part("lit", text[self.i : stop]), self.i)
                self.i = stop
        self._finish_command()
        return self.items

    def _redirection(self) -> None:
        text = self.text
        # `2>` and friends: a word of digits right before the operator is its fd.
        word = self.word
        digits = word is not None and all(p.kind == "lit" for p in word.parts)
        if digits and "".join(p.text for p in word.parts).isdigit():  # type: ignore[union-attr]
            self.word = None
        self._finish_word()
        if text.startswith("<<<", self.i):
            self.i += 3
            self.drop_next = True
            return
        if text.startswith("<<", self.i):
            self.i += 2
            strip = text.startswith("-", self.i)
            if strip:
                self.i += 1
            while self.i < self.end and text[self.i] in " \t":
                self.i += 1
            match = re.compile(r"""(['"]?)([^\s'";&|<>()]+)\1""").match(text, self.i, self.end)
            if match:
                self.heredocs.append((match.group(2), strip))
                self.i = match.end()
            return
        self.i += 1
        while self.i < self.end and text[self.i] in "<>&|":
            self.i += 1
        if self.i < self.end and text[self.i].isdigit() and text[self.i - 1] == "&":
            self.i += 1  # `2>&1`
            return
        self.drop_next = True

    def _skip_heredocs(self) -> None:
        text = self.text
        for delimiter, strip in self.heredocs:
            while self.i < self.end:
                newline = text.find("\n", self.i, self.end)
                line_end = self.end if newline < 0 else newline
                line = text[self.i : line_end].rstrip("\r")
                self.i = line_end + 1 if newline >= 0 else self.end
                if (line.lstrip("\t") if strip else line) == delimiter:
                    break
        self.heredocs = []

    def _double_quoted(self) -> None:
        text = self.text
        start = self.i
        self._part(_Part("lit", "", quoted=True), start)
        self.word.quoted = True  # type: ignore[union-attr]
        self.i += 1
        while self.i < self.end and text[self.i] != '"':
            c = text[self.i]
            if c == "\\" and self.i + 1 < self.end:
                nxt = text[self.i + 1]
                if nxt == "\n":
                    self.i += 2
                    continue
                if nxt in '$`"\\':
                    self._part(_Part("lit", nxt, quoted=True), self.i)
                    self.i += 2
                    continue
                self._part(_Part("lit", "\\", quoted=True), self.i)
                self.i += 1
            elif c == "$":
                self._dollar(quoted=True)
            elif c == "`":
                self._backquote(quoted=True)
            else:
                self._part(_Part("lit", c, quoted=True), self.i)
                self.i += 1
        self.i += 1

    def _dollar(self, *, quoted: bool) -> None:
        text, i = self.text, self.i
        nxt = text[i + 1] if i + 1 < self.end else ""
        if text.startswith("$((", i):
            close = _matching(text, i + 2, self.end, "(", ")")
            self._part(_Part("arith", text[i : close + 1], quoted), i)
            self.i = close + 1
        elif nxt == "(":
            close = _matching(text, i + 1, self.end, "(", ")")
            self._part(_Part("cmd", text[i + 2 : close], quoted, i + 2, close), i)
            self.i = close + 1
        elif nxt == "{":
            close = _matching(text, i + 1, self.end, "{", "}")
            self._part(_Part("var", text[i + 2 : close], quoted, i, close + 1), i)
            self.i = close + 1
        elif nxt == "'" and not quoted:
            close = i + 2
            while close < self.end and text[close] != "'":
                close += 2 if text[close] == "\\" else 1
            self._part(_Part("lit", text[i + 2 : close], True), i)
            self.i = close + 1
        elif nxt and (nxt.isalpha() or nxt == "_"):
            match = _NAME_RE.match(text, i + 1)
            assert match
            self._part(_Part("var", match.group(), quoted, i, match.end()), i)
            self.i = match.end()
        elif nxt and nxt in "0123456789@*#?$!-":
            self._part(_Part("var", nxt, quoted, i, i + 2), i)
            self.i = i + 2
        else:
            self._part(_Part("lit", "$", quoted), i)
            self.i = i + 1

    def _backquote(self, *, quoted: bool) -> None:
        text = self.text
        close = self.i + 1
        while close < self.end and text[close] != "`":
            close += 2 if text[close] == "\\" else 1
        self._part(_Part("cmd", text[self.i + 1 : close], quoted, self.i + 1, close), self.i)
        self.i = close + 1


def _matching(text: str, i: int, end: int, open_: str, close: str) -> int:
    """The offset of the ``close`` that matches the ``open_`` at ``i`` (``end - 1`` if none).

    Quotes are skipped, so a ``)`` inside ``"..."`` does not close ``$(``.
    """
    depth = 0
    while i < end:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and open_ == "(":
            q = text.find("'", i + 1, end)
            i = end if q < 0 else q + 1
            continue
        if c == '"':
            j = i + 1
            while j < end and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return end - 1 if end > 0 else 0


def _lex(text: str, start: int = 0, end: int | None = None) -> list[_Item]:
    return _Lexer(text, start, len(text) if end is None else end).run()


def split_words(text: str) -> list[str]:
    """``text`` split into words as the shell would, quotes removed, nothing expanded.

    Used for values like ``TF_CLI_ARGS_init`` that Terraform splits itself.
    Expansions are kept as written.
    """
    words: list[str] = []
    for item in _lex(text):
        if isinstance(item, _Command):
            for word in item.words:
                words.append(
                    "".join(
                        p.text
                        if p.kind in ("lit", "glob")
                        else text[p.start - 2 : p.end + 1]
                        if p.kind == "cmd"
                        else text[p.start : p.end]
                        if p.kind == "var"
                        else p.text
                        for p in word.parts
                    )
                )
    return words


# -- results -------------------------------------------------------------------------------


@dataclass(slots=True)
class ShellState:
    """What a shell knows at one point: working directory, variables, arguments.

    ``cwd`` is repo-relative and may hold markers; ``env`` holds every shell
    variable (values may hold markers) and ``exported`` the names that reach
    child processes. ``positional`` is None when the script's arguments are
    not known. ``script`` is ``$0`` (the script's path, for ``dirname "$0"``).
    """

    cwd: str = "."
    env: dict[str, str] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)
    positional: list[str] | None = None
    script: str | None = None
    allexport: bool = False
    functions: dict[str, list[_Item]] = field(default_factory=dict)
    stack: list[str] = field(default_factory=list)
    oldpwd: str | None = None

    def copy(self) -> ShellState:
        return ShellState(
            self.cwd,
            dict(self.env),
            set(self.exported),
            None if self.positional is None else list(self.positional),
            self.script,
            self.allexport,
            dict(self.functions),
            list(self.stack),
            self.oldpwd,
        )

    def environment(self) -> dict[str, str]:
        """The exported variables and their values."""
        return {name: self.env[name] for name in self.exported if name in self.env}

    def export(self, name: str, value: str) -> None:
        self.env[name] = value
        self.exported.add(name)


@dataclass(frozen=True, slots=True)
class ShellInit:
    """One init command found in a script.

    ``directory`` is where it runs (``-chdir`` applied; may hold markers, None
    when outside the repository); ``arguments`` are its ``-backend-config``
    values as ``(expanded, written)`` pairs; ``environment`` its exported
    variables with values; ``opaque`` the arguments that cannot be followed.
    ``recursive`` is set for ``terragrunt run-all`` / ``run --all``.
    """

    program: str
    command: str
    line: int
    directory: str | None
    arguments: tuple[tuple[str, str], ...]
    initializes_backend: bool
    environment: dict[str, str]
    opaque: tuple[str, ...]
    recursive: bool = False
    base: str | None = None


@dataclass(frozen=True, slots=True)
class ShellCall:
    """A call to something that may run init: ``make``, a script, ``just``, ``task``.

    ``target`` is the Makefile / script / justfile / Taskfile path (repo-relative,
    may hold markers) or None to search from ``cwd``; ``names`` the targets,
    recipes or tasks; ``arguments`` the remaining words (``VAR=value``
    overrides, script arguments).
    """

    kind: str
    target: str | None
    names: tuple[str, ...]
    arguments: tuple[str, ...]
    cwd: str
    environment: dict[str, str]
    line: int
    command: str


@dataclass(slots=True)
class _Context:
    source: ScriptSource
    is_script: Callable[[str], bool]
    inits: list[ShellInit] = field(default_factory=list)
    calls: list[ShellCall] = field(default_factory=list)
    depth: int = 0


# -- expansion -----------------------------------------------------------------------------


def _declared(context: _Context, offset: int) -> str:
    return f"{context.source.path}:{context.source.line(offset)}"


def _expand_var(part: _Part, state: ShellState, context: _Context) -> str | list[str]:
    body = part.text
    written = context.source.text[part.start : part.end] or f"${body}"
    if part.end - part.start == len(body) + 1 or body in ("@", "*") or body.isdigit():
        name, op, arg = body, "", ""
    else:
        match = re.match(r"(#?)([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]|BASH_SOURCE\[0\])(.*)", body)
        if not match:
            return opaque(written)
        if match.group(1):
            return opaque(written)  # ${#X}: a length
        name, rest = match.group(2), match.group(3)
        op_match = re.match(r"(:?[-=?+]|%%|%|##|#)?(.*)", rest, re.DOTALL)
        assert op_match
        op, arg = op_match.group(1) or "", op_match.group(2)
        if rest and not op:
            return opaque(written)  # ${X/a/b}, ${X,,} and other rewrites
    value = _lookup(name, state)
    if op in (":-", "-", ":=", "="):
        missing = value is None or (op.startswith(":") and value == "")
        if missing:
            default = _expand_text(arg, state, context)
            if op.endswith("="):
                state.env[name] = default
            if is_literal(default):
                return parameter(name, default, _declared(context, part.start))
            return default
        return value  # type: ignore[return-value]
    if op in (":+", "+"):
        if value is None:
            return opaque(written) if name not in state.env else ""
        return _expand_text(arg, state, context)
    if value is None:
        return opaque(written)
    if op in ("%", "%%", "#", "##"):
        literal = plain(value) if isinstance(value, str) else None
        if literal is None or any(ch in arg for ch in "*?["):
            return opaque(written)
        if op.startswith("%"):
            return literal[: -len(arg)] if arg and literal.endswith(arg) else literal
        return literal[len(arg) :] if literal.startswith(arg) else literal
    return value


def _lookup(name: str, state: ShellState) -> str | list[str] | None:
    if name in ("@", "*"):
        return None if state.positional is None else list(state.positional)
    if name.isdigit():
        if name == "0":
            # $0 as a root-anchored path, so joins work from any directory.
            return None if state.script is None else ROOT + state.script
        if state.positional is None:
            return None
        index = int(name) - 1
        return state.positional[index] if index < len(state.positional) else ""
    if name in ("BASH_SOURCE", "BASH_SOURCE[0]"):
        return None if state.script is None else ROOT + state.script
    if name == "PWD":
        return ROOT + state.cwd
    if name == "HOME":
        return "~"
    if name == "#":
        return None if state.positional is None else str(len(state.positional))
    return state.env.get(name)


def expand_value(text: str, state: ShellState, path: str = "") -> str:
    """``text`` expanded as the shell expands an assignment's value (``X="$Y/z"``).

    Used for CI variables that refer to each other. Commands in ``$(...)`` are
    not run for inits here.
    """
    context = _Context(ScriptSource.plain(path, text), lambda _: False, depth=_MAX_DEPTH)
    return _expand_text(text, state, context)


def _expand_text(text: str, state: ShellState, context: _Context) -> str:
    """Expand ``text`` as if it were inside double quotes (for defaults and assignments)."""
    lexer = _Lexer(text, 0, len(text))
    lexer.word = _Word([], 0)
    lexer.i = 0
    while lexer.i < len(text):
        c = text[lexer.i]
        if c == "$":
            lexer._dollar(quoted=True)
        elif c in "'\"":
            lexer.i += 1
        else:
            lexer._part(_Part("lit", c, True), lexer.i)
            lexer.i += 1
    word = lexer.word
    sub = _Context(ScriptSource.plain(context.source.path, text), context.is_script, depth=99)
    # Offsets in `text` are not offsets of the script: report at the caller's place.
    fields = _expand_word(word, state, sub)
    return " ".join(fields)


_DIRNAME_RE = re.compile(
    r"""\s*dirname\s+(?:--\s+)?["']?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)["']?\s*"""
)
_PWD_RE = re.compile(r"\s*cd\s+(.+?)\s*(?:&&|;)\s*pwd(?:\s+-P)?\s*")
_REALPATH_RE = re.compile(r"\s*(?:realpath|readlink\s+-[fe])\s+(.+?)\s*")


def _expand_command(part: _Part, state: ShellState, context: _Context) -> str:
    """The value of ``$(...)``: known for ``dirname "$0"``, ``pwd`` and the like,
    opaque otherwise (its inits are still reported)."""
    body = part.text
    if re.fullmatch(r"\s*pwd(\s+-P)?\s*", body):
        return ROOT + state.cwd
    if re.fullmatch(r"\s*git\s+rev-parse\s+--show-toplevel\s*", body):
        return ROOT
    if _DIRNAME_RE.fullmatch(body) and state.script is not None:
        script_dir = join_path(".", state.script + "/..")
        return ROOT + script_dir if script_dir is not None else opaque(f"$({body})")
    for regex in (_PWD_RE, _REALPATH_RE):
        match = regex.fullmatch(body)
        if match:
            inner = _expand_text(match.group(1), state, context)
            joined = join_path(state.cwd, inner)
            if joined is not None:
                return ROOT + joined
    if context.depth < _MAX_DEPTH and part.end > part.start:
        sub = _Context(context.source, context.is_script, depth=context.depth + 1)
        _execute(_lex(context.source.text, part.start, part.end), state.copy(), sub)
        context.inits.extend(sub.inits)
        context.calls.extend(sub.calls)
    return opaque(f"$({' '.join(body.split())})")


def _expand_word(word: _Word, state: ShellState, context: _Context) -> list[str]:
    """The fields a word expands to (several for ``"$@"`` or unquoted spaces)."""
    fields: list[str] = [""]
    produced = word.quoted
    for part in word.parts:
        if part.kind == "lit":
            fields[-1] += part.text
            produced = produced or bool(part.text)
            continue
        if part.kind == "glob":
            fields[-1] += opaque(part.text)
            produced = True
            continue
        if part.kind == "arith":
            fields[-1] += opaque(part.text)
            produced = True
            continue
        value = (
            _expand_var(part, state, context)
            if part.kind == "var"
            else _expand_command(part, state, context)
        )
        if isinstance(value, list):
            # "$@": one field per argument; unquoted $@ splits them further.
            items = value if part.quoted else [w for v in value for w in v.split()]
            if items:
                fields[-1] += items[0]
                fields.extend(items[1:])
                produced = True
            continue
        if not part.quoted and is_literal(value) and any(ch in value for ch in " \t\n"):
            pieces = value.split()
            if pieces:
                fields[-1] += pieces[0]
                fields.extend(pieces[1:])
                produced = True
            continue
        fields[-1] += value
        produced = produced or bool(value)
    if not produced and fields == [""]:
        return []
    return fields


# -- the interpreter -----------------------------------------------------------------------


def run_script(
    source: ScriptSource,
    state: ShellState | None = None,
    *,
    is_script: Callable[[str], bool] = lambda path: False,
) -> tuple[list[ShellInit], list[ShellCall], ShellState]:
    """Read ``source`` as a shell would and report its inits and calls.

    ``state`` is the shell's state before the script (working directory,
    variables) and is updated in place, so the lines of one GitLab job can
    share it; a fresh root-directory state is used when None. ``is_script``
    says whether a repo-relative path is a script worth following, for
    commands like ``scripts/init.sh`` that do not say so by name. Never raises
    for odd input: unbalanced quotes and parentheses end at the text's end.
    """
    state = state if state is not None else ShellState()
    context = _Context(source, is_script)
    _execute(_lex(source.text), state, context)
    return context.inits, context.calls, state


def _first_literal(command: _Command) -> str | None:
    return command.words[0].literal() if command.words else None


def _block_end(items: list[_Item], start: int, opens: frozenset[str], close: str) -> int:
    """Index of the item that closes the block opened at ``items[start]``."""
    depth = 0
    for index in range(start, len(items)):
        item = items[index]
        if not isinstance(item, _Command):
            continue
        first = _first_literal(item)
        if first in opens or (index == start):
            depth += 1
        if first == close:
            depth -= 1
            if depth == 0:
                return index
    return len(items)


def _execute(items: list[_Item], state: ShellState, context: _Context) -> None:
    saved: list[tuple[str, dict[str, str], set[str]]] = []
    index = 0
    while index < len(items):
        item = items[index]
        index += 1
        if isinstance(item, _Op):
            if item.op == "(":
                saved.append((state.cwd, dict(state.env), set(state.exported)))
            elif saved:
                state.cwd, state.env, state.exported = saved.pop()
            continue
        if item.function is not None:
            end = _block_end(items, index, frozenset({"{"}), "}")
            opening = items[index] if index < len(items) else None
            if isinstance(opening, _Command) and _first_literal(opening) == "{":
                state.functions[item.function] = items[index : end + 1]
                index = end + 1
            continue
        words = list(item.words)
        while words and words[0].literal() in _KEYWORDS:
            words.pop(0)
        if not words:
            continue
        first = words[0].literal()
        if first == "function" and len(words) >= 2 and words[1].literal():
            name = words[1].literal()
            end = _block_end(items, index - 1, frozenset({"{"}), "}")
            body = items[index - 1 : end + 1]
            # `function name {` keeps the brace on the header line.
            state.functions[name] = [_Command(words[2:], item.start, item.end), *body[1:]]  # type: ignore[index]
            index = end + 1
            continue
        if first in _LOOP_STARTS:
            end = _block_end(items, index - 1, _LOOP_STARTS, "done")
            body = items[index:end]
            if first == "for" and len(words) >= 2:
                _for_loop(words, body, state, context)
            else:
                _execute(body, state, context)
            index = end + 1
            continue
        if first in ("done", "esac", "case", ";;"):
            continue
        _simple_command(_Command(words, words[0].start, item.end), state, context)


def _for_loop(words: list[_Word], body: list[_Item], state: ShellState, context: _Context) -> None:
    name = words[1].literal() or ""
    if len(words) >= 3 and words[2].literal() == "in":
        values: list[str] = []
        for word in words[3:]:
            if word.literal() in ("do", ";"):
                break
            values.extend(_expand_word(word, state, context))
    else:
        values = list(state.positional) if state.positional is not None else [opaque('"$@"')]
    for value in values[:_MAX_LOOP_ITEMS]:
        state.env[name] = value
        _execute(body, state, context)


def _assignment(word: _Word, state: ShellState, context: _Context) -> tuple[str, str] | None:
    """``NAME=value`` as ``(name, expanded value)``, or None for other words."""
    if not word.parts or word.parts[0].kind != "lit" or word.parts[0].quoted:
        return None
    match = _ASSIGNMENT_RE.fullmatch(word.parts[0].text)
    if match is None:
        return None
    head = match.group(3)
    rest = _Word([_Part("lit", head), *word.parts[1:]], word.start, word.end, quoted=True)
    value = "".join(_expand_word(rest, state, context))
    if match.group(2):
        value = state.env.get(match.group(1), "") + value
    return match.group(1), value


def _simple_command(command: _Command, state: ShellState, context: _Context) -> None:
    words = command.words
    prefix: dict[str, str] = {}
    while words:
        assigned = _assignment(words[0], state, context)
        if assigned is None:
            break
        prefix[assigned[0]] = assigned[1]
        words = words[1:]
    if not words:
        for name, value in prefix.items():
            state.env[name] = value
            if state.allexport:
                state.exported.add(name)
        return
    first = words[0].literal()
    if first in ("export", "declare", "typeset", "local", "readonly"):
        _declare(first, words[1:], state, context)
        return
    if first == "unset":
        for word in words[1:]:
            name = word.literal()
            if name:
                state.env.pop(name, None)
                state.exported.discard(name)
        return
    if first == "set":
        flags = [w.literal() or "" for w in words[1:]]
        if any(f.startswith("-") and "a" in f and not f.startswith("--") for f in flags):
            state.allexport = True
        if "--" in flags:
            state.positional = [
                field
                for w in words[flags.index("--") + 2 :]
                for field in _expand_word(w, state, context)
            ]
        return
    fields: list[str] = []
    for word in words:
        fields.extend(_expand_word(word, state, context))
    if not fields:
        return
    program = fields[0]
    if program in ("cd", "pushd", "popd"):
        _change_directory(program, fields[1:], state)
        return
    if program in state.functions and context.depth < _MAX_DEPTH:
        inner = state.copy()
        inner.positional = fields[1:]
        sub = _Context(context.source, context.is_script, depth=context.depth + 1)
        _execute(state.functions[program], inner, sub)
        context.inits.extend(sub.inits)
        context.calls.extend(sub.calls)
        return
    environment = state.environment()
    environment.update(prefix)
    _dispatch(fields, command, environment, state, context)


def _declare(keyword: str, words: list[_Word], state: ShellState, context: _Context) -> None:
    exporting = keyword == "export"
    for word in words:
        literal = word.literal()
        if literal is not None and literal.startswith("-"):
            exporting = exporting or "x" in literal
            continue
        assigned = _assignment(word, state, context)
        if assigned is not None:
            state.env[assigned[0]] = assigned[1]
            name = assigned[0]
        elif literal is not None and _NAME_RE.fullmatch(literal):
            name = literal
        else:
            continue
        if exporting or state.allexport:
            state.exported.add(name)


def _change_directory(program: str, arguments: list[str], state: ShellState) -> None:
    arguments = [a for a in arguments if not (a.startswith("-") and len(a) == 2 and a != "-")]
    if program == "popd":
        if state.stack:
            state.cwd = state.stack.pop()
        return
    if program == "pushd":
        state.stack.append(state.cwd)
    if not arguments:
        target = opaque("~") if program == "cd" else state.cwd
    elif arguments[0] == "-":
        target = state.oldpwd if state.oldpwd is not None else opaque("$OLDPWD")
    else:
        joined = join_path(state.cwd, arguments[0])
        target = joined if joined is not None else opaque(display(arguments[0]))
    state.oldpwd = state.cwd
    state.cwd = target


def _program_index(fields: list[str]) -> int | None:
    """Index of the init program among ``fields``, looking through wrappers like ``env``."""
    index = 0
    while index < len(fields):
        name = _basename(fields[index])
        if name in INIT_PROGRAMS:
            return index
        if name not in _WRAPPERS:
            break
        index += 1
        while index < len(fields) and (
            fields[index].startswith("-") or _ASSIGNMENT_RE.fullmatch(fields[index])
        ):
            index += 1
    if "--" in fields:
        after = fields.index("--") + 1
        if after < len(fields) and _basename(fields[after]) in INIT_PROGRAMS:
            return after
    return None


def _basename(field_: str) -> str:
    literal = plain(field_)
    if literal is None:
        return ""
    name = literal.rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".exe") else name


def _dispatch(
    fields: list[str],
    command: _Command,
    environment: dict[str, str],
    state: ShellState,
    context: _Context,
) -> None:
    source = context.source
    index = _program_index(fields)
    if index is not None:
        # Assignments given to `env` reach the program's environment.
        for word in fields[1:index]:
            match = _ASSIGNMENT_RE.fullmatch(strip_parameters(word))
            if match:
                environment[match.group(1)] = word.split("=", 1)[1]
        _init(fields[index:], command, environment, state, context)
        return
    name = _basename(fields[0])
    line = source.line(command.start)
    written = source.written(command.start, command.end)
    if name in ("make", "gmake") or display(fields[0]) in ("$(MAKE)", "${MAKE}"):
        _make_call(fields[1:], state, environment, line, written, context)
    elif name in ("just", "task", "go-task"):
        _runner_call(
            "just" if name == "just" else "task",
            fields[1:],
            state,
            environment,
            line,
            written,
            context,
        )
    elif name in _SHELLS or name in ("source", "."):
        operands = [f for f in fields[1:] if not f.startswith("-")]
        if operands and plain(operands[0]) is not None:
            target = join_path(state.cwd, operands[0])
            if target is not None and (name not in ("source", ".") or context.is_script(target)):
                context.calls.append(
                    ShellCall(
                        "script",
                        target,
                        (),
                        tuple(operands[1:]),
                        state.cwd,
                        environment,
                        line,
                        written,
                    )
                )
    else:
        literal = plain(fields[0])
        if literal is None or not ("/" in literal or literal.endswith((".sh", ".bash"))):
            return
        target = join_path(state.cwd, literal)
        if target is not None and (literal.endswith((".sh", ".bash")) or context.is_script(target)):
            context.calls.append(
                ShellCall(
                    "script", target, (), tuple(fields[1:]), state.cwd, environment, line, written
                )
            )


def _make_call(
    arguments: list[str],
    state: ShellState,
    environment: dict[str, str],
    line: int,
    written: str,
    context: _Context,
) -> None:
    directory = state.cwd
    makefile: str | None = None
    targets: list[str] = []
    overrides: list[str] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        index += 1
        if argument in ("-C", "--directory", "-f", "--file", "--makefile") and index < len(
            arguments
        ):
            value = arguments[index]
            index += 1
        elif (
            argument.startswith(("-C", "--directory=", "-f", "--file=", "--makefile="))
            and len(argument) > 2
        ):
            value = argument.split("=", 1)[1] if argument.startswith("--") else argument[2:]
            argument = argument[:2] if not argument.startswith("--") else argument.split("=")[0]
        elif argument.startswith("-"):
            continue
        elif "=" in strip_parameters(argument) and _NAME_RE.match(strip_parameters(argument)):
            overrides.append(argument)
            continue
        else:
            targets.append(argument)
            continue
        if argument in ("-C", "--directory"):
            directory = join_path(directory, value) or opaque(display(value))
        else:
            makefile = value
    target = join_path(directory, makefile) if makefile is not None else None
    context.calls.append(
        ShellCall(
            "make", target, tuple(targets), tuple(overrides), directory, environment, line, written
        )
    )


def _runner_call(
    kind: str,
    arguments: list[str],
    state: ShellState,
    environment: dict[str, str],
    line: int,
    written: str,
    context: _Context,
) -> None:
    directory = state.cwd
    target: str | None = None
    names: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        index += 1
        if argument in ("-f", "--justfile", "-t", "--taskfile") and index < len(arguments):
            target = join_path(directory, arguments[index])
            index += 1
        elif argument in ("-d", "--dir", "--working-directory") and index < len(arguments):
            directory = join_path(directory, arguments[index]) or opaque(display(arguments[index]))
            index += 1
        elif argument == "--set" and index + 1 < len(arguments):
            rest.append(f"{arguments[index]}={arguments[index + 1]}")
            index += 2
        elif argument.startswith("-"):
            continue
        elif "=" in strip_parameters(argument) and (kind == "task" or names):
            rest.append(argument)
        elif not names or kind == "task":
            names.append(argument)
        else:
            rest.append(argument)
    context.calls.append(
        ShellCall(kind, target, tuple(names), tuple(rest), directory, environment, line, written)
    )


def _init(
    fields: list[str],
    command: _Command,
    environment: dict[str, str],
    state: ShellState,
    context: _Context,
) -> None:
    program = _basename(fields[0])
    arguments = fields[1:]
    chdir: str | None = None
    recursive = False
    index = 0
    # Global options come before the subcommand.
    while index < len(arguments):
        argument = strip_parameters(arguments[index])
        if argument.startswith("-chdir=") or argument.startswith("--chdir="):
            chdir = arguments[index].split("=", 1)[1]
        elif argument in ("-chdir", "--chdir") and index + 1 < len(arguments):
            index += 1
            chdir = arguments[index]
        elif program == "terragrunt" and argument.split("=")[0] in (
            "--terragrunt-working-dir",
            "--working-dir",
        ):
            if "=" in argument:
                chdir = arguments[index].split("=", 1)[1]
            elif index + 1 < len(arguments):
                index += 1
                chdir = arguments[index]
        elif program == "terragrunt" and argument in ("--all", "-a"):
            recursive = True
        elif not argument.startswith("-"):
            break
        index += 1
    words = [strip_parameters(a) for a in arguments[index:]]
    if program == "terragrunt":
        for position, word in enumerate(words):
            flag, equals, _ = word.partition("=")
            if flag in ("--terragrunt-working-dir", "--working-dir"):
                start = index + position
                chdir = arguments[start].split("=", 1)[1] if equals else None
                if not equals and start + 1 < len(arguments):
                    chdir = arguments[start + 1]
        if words[:1] == ["run-all"]:
            recursive, index = True, index + 1
        elif words[:1] == ["run"]:
            index += 1
            while index < len(arguments) and strip_parameters(arguments[index]).startswith("-"):
                flag = strip_parameters(arguments[index])
                recursive = recursive or flag in ("--all", "-a")
                index += 1
                if flag == "--":
                    break
        words = [strip_parameters(a) for a in arguments[index:]]
    subcommand = words[0] if words else ""
    if program in ("gitlab-terraform", "gitlab-tofu"):
        if subcommand not in _GITLAB_WRAPPER_INITS:
            return
    elif subcommand != "init":
        return
    directory: str | None = state.cwd
    if program in ("gitlab-terraform", "gitlab-tofu") and "TF_ROOT" in environment:
        # The wrapper runs terraform with -chdir="${TF_ROOT}" (terraform-images MR 89).
        directory = join_path(directory, environment["TF_ROOT"])
    if chdir is not None and directory is not None:
        directory = join_path(directory, chdir)
    backend_config, backend, unknown = parse_init_arguments(arguments[index + 1 :])
    if program in ("gitlab-terraform", "gitlab-tofu") and subcommand != "init":
        backend_config, unknown = [], []
    reasons = tuple(f"init argument {text}: {_why(text, state)}" for text in unknown)
    context.inits.append(
        ShellInit(
            program=program,
            command=context.source.written(command.start, command.end),
            line=context.source.line(command.start),
            directory=directory,
            arguments=tuple(backend_config),
            initializes_backend=backend,
            environment=environment,
            opaque=reasons,
            recursive=recursive,
            base=directory,
        )
    )


def _why(text: str, state: ShellState) -> str:
    if '"$@"' in text or "$@" in text or "$*" in text or re.search(r"\$\{?[1-9]", text):
        script = state.script or "the script"
        return f"arguments given to {script}"
    return "not known here"


def parse_init_arguments(
    arguments: list[str],
) -> tuple[list[tuple[str, str]], bool, list[str]]:
    """Split ``init``'s arguments into ``-backend-config`` values, ``-backend``, unknowns.

    Returns ``([(expanded, written), ...], initializes_backend, [opaque words
    shown as written])``. ``-backend-config=X``, ``-backend-config X`` and
    ``--backend-config=X`` are all accepted, as Terraform's flag parser does.
    """
    configs: list[tuple[str, str]] = []
    backend = True
    unknown: list[str] = []
    index = 0
    while index < len(arguments):
        argument = arguments[index]
        index += 1
        bare = strip_parameters(argument)
        name, equals, value = bare.partition("=")
        flag = name.lstrip("-")
        if is_literal(name) and name.startswith("-"):
            # Keep parameter markers in the value unless one wraps the whole flag.
            original = argument if argument.startswith("-") else bare
            if flag == "backend-config":
                if equals:
                    configs.append((original.split("=", 1)[1], f"-backend-config={display(value)}"))
                elif index < len(arguments):
                    value_text = arguments[index]
                    index += 1
                    configs.append((value_text, f"-backend-config={display(value_text)}"))
                continue
            if flag == "backend" and equals:
                backend = strip_parameters(value).lower() not in ("false", "0", "f")
            continue
        if not is_literal(argument):
            unknown.append(display(argument))
    return configs, backend, unknown
