"""The ``--readme`` section: how a module's backend is configured and how to switch.

After a fix, the module's ``README.md`` gets (or has replaced) one section
between two HTML comment markers, describing the backend as the fix leaves it:
local state (comment or override mode) or the completed remote backend, with the
commands to go the other way. Text outside the markers is never touched.

The begin marker records what ``restore`` needs to take the section out again:
``<!-- backend-fixer:begin backend <record> <how> -->``, where the record (see
:mod:`fixer.fixes.record`) covers the section's other lines and ``how`` says
what the first fix did: ``new`` (it created README.md), ``+N`` (it appended the
section after N line breaks) or ``replaced`` (it replaced a section it has no
record of). A later fix keeps ``how``, so restore always goes back to the README
as it was before the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fixer.edits import Edit, line_ending
from fixer.fixes.record import Record, line_numbers
from fixer.rules.base import Mode
from fixer.terraform import BackendBlock

BEGIN = "<!-- backend-fixer:begin backend -->"
END = "<!-- backend-fixer:end backend -->"
BEGIN_PREFIX = "<!-- backend-fixer:begin backend"
_BEGIN_PREFIX = BEGIN_PREFIX
_REGION = re.compile(
    re.escape(_BEGIN_PREFIX) + r"(?P<tail>[^\n]*?)-->.*?" + re.escape(END), re.DOTALL
)
_HOW = re.compile(r"^(new|replaced|\+[0-2])$")


def _describe_remote(backend: BackendBlock, values: dict[str, object]) -> str:
    shown = (
        ", ".join(f"`{k} = {v!r}`".replace("'", '"') for k, v in values.items()) if values else ""
    )
    return f"the `{backend.type}` backend" + (f" ({shown})" if shown else "")


def readme_section(
    mode: Mode,
    backend: BackendBlock | None,
    file_name: str,
    values: dict[str, object],
    command: str = "terraform",
) -> str:
    """The Markdown section (markers included, no trailing newline) for a module fixed in ``mode``.

    ``command`` is the program users run (``terraform`` or ``tofu``).
    """
    what = _describe_remote(backend, values) if backend is not None else "a remote backend"
    if mode is Mode.COMMENT:
        body = [
            "This module uses **local state**: its backend block is commented out in",
            f"`{file_name}`, so `{command} init -input=false` needs no backend values",
            "(tests and throw-away deployments work as is).",
            "",
            f"To use {what} again, fill in its values in the commented block and run",
            "`backend-fixer enable --write .` (or `backend-fixer restore --write .` to put",
            f"the original block back), then `{command} init -migrate-state` to move the",
            "state. Never use `-force-copy`: it can overwrite the remote state.",
        ]
    elif mode is Mode.OVERRIDE:
        body = [
            "This module uses **local state** through `backend_override.tf`, a file",
            f"that is not committed. Delete it and run `{command} init -reconfigure`",
            f"to use {what} configured in `{file_name}`.",
        ]
    else:
        body = [
            f"This module stores its state with {what},",
            f"configured in full in `{file_name}`: `{command} init -input=false` needs",
            "no `-backend-config`. For local state while testing, run",
            "`backend-fixer fix --mode override --write .`, which writes an uncommitted",
            "`backend_override.tf`.",
        ]
    return "\n".join([BEGIN, "## Terraform backend", "", *body, END])


def _marked(section: str, how: str) -> str:
    """``section`` with its record and ``how`` on the begin marker."""
    rest = section[len(BEGIN) :]
    lines = rest.split("\n")[1:]
    record = Record.of(lines)
    return f"{_BEGIN_PREFIX} {record.render()} {how} -->{rest}"


def _recorded_how(tail: str) -> str | None:
    parts = tail.split()
    if len(parts) == 2 and Record.parse(parts[0]) is not None and _HOW.match(parts[1]):
        return parts[1]
    return None


def readme_edit(existing: str | None, section: str) -> tuple[Edit, bool] | None:
    """The edit that puts ``section`` into a README (None when it is already there).

    Returns the edit and whether it creates the file. An existing section is
    replaced between its markers; otherwise the section is appended after a
    blank line. The file's newline style is kept, and the begin marker gets the
    record restore reads (see the module docstring).
    """
    if existing is None:
        return Edit(0, 0, _marked(section, "new") + "\n"), True
    newline = line_ending(existing)
    match = _REGION.search(existing)
    if match is not None:
        how = _recorded_how(match.group("tail")) or "replaced"
        marked = _marked(section, how).replace("\n", newline)
        if match.group() == marked:
            return None
        return Edit(match.start(), match.end(), marked), False
    if not existing:
        return Edit(0, 0, _marked(section, "+0").replace("\n", newline) + newline), False
    separator = (
        ""
        if existing.endswith(newline * 2)
        else (newline if existing.endswith(newline) else newline * 2)
    )
    marked = _marked(section, f"+{separator.count(chr(10))}").replace("\n", newline)
    return Edit(len(existing), len(existing), f"{separator}{marked}{newline}"), False


@dataclass(frozen=True, slots=True)
class SectionRemoval:
    """What taking the section out of a README gives: the new text, a deletion, or why not.

    ``delete`` means the fix created README.md and nothing else is left in it;
    ``problem`` (with its 1-based ``line``) means the section stays.
    """

    new_text: str | None
    delete: bool = False
    problem: str | None = None
    line: int | None = None


def remove_section(text: str, *, discard_edits: bool = False) -> SectionRemoval | None:
    """Take the section a fix wrote out of README ``text``; None when there is none.

    Refuses (a ``problem``) when the section's lines were edited since, or it
    has no record, unless ``discard_edits``. Text outside the section stays.
    """
    match = _REGION.search(text)
    if match is None:
        return None
    first = text.count("\n", 0, match.start()) + 1
    tail = match.group("tail")
    how = _recorded_how(tail)
    lines = match.group().split("\n")
    record = Record.parse(tail.split()[0]) if how is not None else None
    if not discard_edits:
        if record is None:
            return SectionRemoval(
                None,
                problem="restore refused: the README section's begin marker holds no record "
                "of what backend-fixer wrote, so an edit cannot be ruled out; "
                "`backend-fixer restore --discard-edits` removes it anyway",
                line=first,
            )
        edited = record.edited(lines[1:])
        if edited:
            numbers = [first + 1 + i for i in edited]
            return SectionRemoval(
                None,
                problem=f"restore refused: {line_numbers(numbers)} of the README section "
                f"{'was' if len(numbers) == 1 else 'were'} edited since backend-fixer wrote "
                "them; `backend-fixer restore --discard-edits` removes the section anyway",
                line=numbers[0],
            )
    newline = line_ending(text)
    start, end = match.start(), match.end()
    if text.startswith(newline, end):
        end += len(newline)
    if how is not None and how.startswith("+"):
        count = int(how[1:])
        if text[:start].endswith(newline * count):
            start -= len(newline) * count
    new_text = text[:start] + text[end:]
    if how == "new" and not new_text.strip():
        return SectionRemoval(None, delete=True)
    return SectionRemoval(new_text)
