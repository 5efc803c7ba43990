"""The ``--readme`` section: how a module's backend is configured and how to switch.

After a fix, the module's ``README.md`` gets (or has replaced) one section
between two HTML comment markers, describing the backend as the fix leaves it:
local state (comment or override mode) or the completed remote backend, with the
commands to go the other way. Text outside the markers is never touched.
"""

from __future__ import annotations

import re

from fixer.edits import Edit, line_ending
from fixer.rules.base import Mode
from fixer.terraform import BackendBlock

BEGIN = "<!-- backend-fixer:begin backend -->"
END = "<!-- backend-fixer:end backend -->"
_REGION = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)


def _describe_remote(backend: BackendBlock, values: dict[str, object]) -> str:
    shown = (
        ", ".join(f"`{k} = {v!r}`".replace("'", '"') for k, v in values.items()) if values else ""
    )
    return f"the `{backend.type}` backend" + (f" ({shown})" if shown else "")


def readme_section(
    mode: Mode, backend: BackendBlock | None, file_name: str, values: dict[str, object]
) -> str:
    """The Markdown section (markers included, no trailing newline) for a module fixed in ``mode``."""
    what = _describe_remote(backend, values) if backend is not None else "a remote backend"
    if mode is Mode.COMMENT:
        body = [
            "This module uses **local state**: its backend block is commented out in",
            f"`{file_name}`, so `terraform init -input=false` needs no backend values",
            "(tests and throw-away deployments work as is).",
            "",
            f"To use {what} again, fill in its values and uncomment it, or run",
            "`backend-fixer restore --write .` (add `--set bucket=...` and so on to",
            "complete it), then `terraform init -migrate-state` to move the state.",
            "Never use `-force-copy`: it can overwrite the remote state.",
        ]
    elif mode is Mode.OVERRIDE:
        body = [
            "This module uses **local state** through `backend_override.tf`, a file",
            "that is not committed. Delete it and run `terraform init -reconfigure`",
            f"to use {what} configured in `{file_name}`.",
        ]
    else:
        body = [
            f"This module stores its state with {what},",
            f"configured in full in `{file_name}`: `terraform init -input=false` needs",
            "no `-backend-config`. For local state while testing, run",
            "`backend-fixer fix --mode override --write .`, which writes an uncommitted",
            "`backend_override.tf`.",
        ]
    return "\n".join([BEGIN, "## Terraform backend", "", *body, END])


def readme_edit(existing: str | None, section: str) -> tuple[Edit, bool] | None:
    """The edit that puts ``section`` into a README (None when it is already there).

    Returns the edit and whether it creates the file. An existing section is
    replaced between its markers; otherwise the section is appended after a
    blank line. The file's newline style is kept.
    """
    if existing is None:
        return Edit(0, 0, f"{section}\n"), True
    newline = line_ending(existing)
    section = section.replace("\n", newline)
    match = _REGION.search(existing)
    if match is not None:
        if match.group() == section:
            return None
        return Edit(match.start(), match.end(), section), False
    if not existing:
        return Edit(0, 0, section + newline), False
    separator = (
        ""
        if existing.endswith(newline * 2)
        else (newline if existing.endswith(newline) else newline * 2)
    )
    return Edit(len(existing), len(existing), f"{separator}{section}{newline}"), False
