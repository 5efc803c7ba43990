"""Documentation: ``terraform init`` commands shown in Markdown code blocks.

A README that tells people to run ``terraform init -backend-config=backend.hcl``
is how many repositories supply their partial backends. Fenced code blocks
labelled ``sh``, ``bash``, ``shell``, ``zsh``, ``console`` (and the like) or
not labelled at all are read by the shell parser from the Markdown file's own
directory, so a ``cd`` or ``-chdir`` in the block names the module; ``$ ``
prompts are removed and, in ``console`` blocks, lines without a prompt are
output and skipped. Calls are not followed: a document shows, it does not run.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from fixer.terraform.init_context.model import Mechanism
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState
from fixer.terraform.init_context.source import ScriptSource, line_starts, substitute

__all__ = ["read"]

_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$", re.MULTILINE)
_SHELLS = frozenset(
    {
        "",
        "sh",
        "bash",
        "shell",
        "zsh",
        "console",
        "shell-session",
        "terminal",
        "bash-session",
        "sh-session",
        "shellsession",
    }
)
_SESSIONS = frozenset(
    {"console", "shell-session", "terminal", "bash-session", "sh-session", "shellsession"}
)
_SESSION_RE = re.compile(r"^(\s*)(?:\$|%)\s|^(?!\s*(?:\$|%)\s).*$", re.MULTILINE)
"""In a session: a prompt to drop, or a line without one (output) to blank."""
_PROMPT_RE = re.compile(r"^(\s*)\$\s(?=\S)", re.MULTILINE)


def read(scan: Scan, path: str) -> None:
    text = scan.files[path]
    directory = path.rsplit("/", 1)[0] if "/" in path else "."
    starts = line_starts(text)
    position = 0
    while True:
        opening = _FENCE_RE.search(text, position)
        if opening is None:
            return
        fence = opening.group(2)
        language = opening.group(3).lower()
        closing_re = re.compile(
            rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$", re.MULTILINE
        )
        body_start = min(opening.end() + 1, len(text))
        closing = closing_re.search(text, body_start)
        body_end = closing.start() if closing else len(text)
        position = closing.end() if closing else len(text)
        if language not in _SHELLS:
            continue
        body = text[body_start:body_end]
        if "init" not in body:
            continue
        if language in _SESSIONS:
            expanded = substitute(
                body,
                _SESSION_RE,
                lambda m: "" if m.group(1) is None else m.group(1),
            )
        else:
            expanded = substitute(body, _PROMPT_RE, lambda m: m.group(1))
        first_line = bisect_right(starts, body_start)
        source = ScriptSource(path, expanded, (), first_line - 1)
        scan.run(
            source, ShellState(cwd=directory), mechanism=Mechanism.DOCS, job=path, follow=False
        )
