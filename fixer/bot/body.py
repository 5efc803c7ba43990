"""The words the bot writes: commit message, pull (merge) request title and body, comments.

Everything here is a pure function of a :class:`FixOutcome` and a few strings;
:class:`~fixer.bot.hosting.Terms` says whether the host calls the request a pull
request or a merge request.
The body ends with a hidden HTML comment, the marker, that carries what the bot
needs to recognise its own pull request later: the hash of the change, the mode
and the bot's version. Commits carry the same facts as git trailers.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass

from fixer.bot.hosting import GITHUB_TERMS, TERMS, Terms
from fixer.bot.types import FixOutcome, PrResult
from fixer.rules.base import Finding

TRAILER_CHANGE = "Backend-Fixer-Change"
TRAILER_MODE = "Backend-Fixer-Mode"
TRAILER_VERSION = "Backend-Fixer-Version"

# GitHub rejects bodies over 65,536 characters (GitLab allows far more); leave room
# for the rest of the text.
MAX_BODY = 65_000
# Diffs longer than this are collapsed under <details> so the PR page stays readable.
COLLAPSE_LINES = 40

_MARKER_RE = re.compile(r"<!--\s*backend-fixer(?P<kind>:comment)?\s+(?P<json>\{.*?\})\s*-->", re.S)

TITLES = {
    "comment": "Comment out Terraform backends that block unattended init",
    "complete": "Complete Terraform backend settings for unattended init",
    "override": "Add backend overrides so Terraform initialises unattended",
}

MODE_EXPLANATIONS = {
    "comment": (
        "**comment**: each backend block that `terraform init -input=false` cannot "
        "initialise is commented out under a header that says why and how to enable it "
        "again. The module then uses local state, so init, plan and tests run unattended. "
        "`backend-fixer restore` puts the original bytes back exactly."
    ),
    "complete": (
        "**complete**: the values the backend is missing are filled in (from the given "
        "settings, a `*.tfbackend` file, the configuration file or the code itself, such as "
        "the provider's region), so `terraform init` needs no `-backend-config` flags."
    ),
    "override": (
        "**override**: tracked backend blocks stay as they are; a `backend_override.tf` "
        "beside each module switches it to local state. Terraform reads `*_override.tf` "
        "files last, so deleting the file brings the remote backend back."
    ),
}


@dataclass(frozen=True, slots=True)
class Marker:
    """The state hidden in a pull request body or comment."""

    change: str
    mode: str = ""
    version: str = ""
    comment: bool = False  # True for the marker of a "left alone" comment


def render_marker(marker: Marker) -> str:
    """The hidden HTML comment for ``marker`` (one line, no ``--`` inside)."""
    payload = {"change": marker.change, "mode": marker.mode, "version": marker.version}
    kind = "backend-fixer:comment" if marker.comment else "backend-fixer"
    return f"<!-- {kind} {json.dumps(payload, sort_keys=True)} -->"


def parse_marker(text: str, *, comment: bool = False) -> Marker | None:
    """The last marker of the given kind in ``text``; None when there is none.

    The last one wins because a person may quote an older body above it.
    Malformed JSON is treated as no marker.
    """
    found: Marker | None = None
    for match in _MARKER_RE.finditer(text or ""):
        if bool(match.group("kind")) != comment:
            continue
        try:
            data = json.loads(match.group("json"))
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("change"), str):
            found = Marker(
                change=data["change"],
                mode=str(data.get("mode", "")),
                version=str(data.get("version", "")),
                comment=comment,
            )
    return found


def render_title(mode: str) -> str:
    """The request's title (also the commit subject) for ``mode``."""
    return TITLES.get(mode, f"Fix Terraform backends ({mode} mode)")


def render_commit_message(outcome: FixOutcome, change_hash: str, version: str) -> str:
    """A commit message: subject, what changed and why, how to undo, and the trailers.

    The trailers are how the bot later tells its own commits from a person's.
    """
    title = render_title(outcome.mode)
    lines = [f"backend-fixer: {title[0].lower()}{title[1:]}", ""]
    files = len(outcome.changed_files)
    count = len(outcome.findings)
    summary = (
        f"Applied the {outcome.mode} fix to {_plural(files, 'file')} for "
        f"{_plural(count, 'finding')}, so that `terraform init -input=false` no longer "
        "stops for backend values nobody passes in CI:"
    )
    lines.extend(textwrap.wrap(summary, width=72, break_on_hyphens=False))
    lines.append("")
    for finding in outcome.findings:
        lines.append(f"- {finding.code} {finding.name}: {_where(finding)}")
    if not outcome.findings:
        lines.extend(f"- {path}" for path in outcome.changed_files)
    if outcome.restore_hint:
        lines.extend(["", f"Undo with: {outcome.restore_hint}"])
    lines.extend(
        [
            "",
            f"{TRAILER_CHANGE}: {change_hash}",
            f"{TRAILER_MODE}: {outcome.mode}",
            f"{TRAILER_VERSION}: {version}",
        ]
    )
    return "\n".join(lines) + "\n"


def render_body(
    outcome: FixOutcome,
    *,
    change_hash: str,
    version: str,
    branch: str,
    base: str,
    terms: Terms = GITHUB_TERMS,
) -> str:
    """The pull (merge) request body, under GitHub's size limit.

    A diff longer than :data:`COLLAPSE_LINES` lines is collapsed in
    ``<details>``; one that would push the body past :data:`MAX_BODY` is left
    out with a pointer to the tab that shows the changes (``terms``).
    """
    request = terms.request
    findings = _findings_section(outcome.findings)
    head = [
        f"backend-fixer found {_plural(len(outcome.findings), 'backend problem')} that "
        f"{'keeps' if len(outcome.findings) == 1 else 'keep'} `terraform init` from running "
        "unattended, and fixed "
        f"{'it' if len(outcome.findings) == 1 else 'them'} in "
        f"{_plural(len(outcome.changed_files), 'file')}.",
        "",
        "### Findings",
        "",
        findings,
        "",
        f"### What the fix does (mode `{outcome.mode}`)",
        "",
        MODE_EXPLANATIONS.get(outcome.mode, f"**{outcome.mode}**"),
        "",
    ]
    tail = ["### After merging", ""]
    if outcome.init_commands:
        tail += ["Initialise each module with:", "", "```sh", *outcome.init_commands, "```", ""]
    else:
        tail += ["`terraform init -input=false` runs without extra flags.", ""]
    tail += ["### How to undo", ""]
    if outcome.restore_hint:
        tail += ["```sh", outcome.restore_hint, "```", "", f"or revert this {request}.", ""]
    else:
        tail += [f"Revert this {request}.", ""]
    tail += [
        "---",
        f"<sub>Opened by backend-fixer {version} from `{branch}` into `{base}`. "
        f"It updates this {request} when the fix changes. If you push commits to "
        f"the branch it leaves the branch to you; if you close this {request} it "
        "will not open it again for the same change.</sub>",
        "",
        render_marker(Marker(change_hash, outcome.mode, version)),
        "",
    ]
    diff_section = ["### The change", "", *_diff_block(outcome.diff), ""]
    body = "\n".join(head + diff_section + tail)
    if len(body) > MAX_BODY:
        lines = outcome.diff.count("\n")
        diff_section = [
            "### The change",
            "",
            f"The diff ({lines} lines) is too long to show here; see the "
            f"*{terms.changes_tab}* tab.",
            "",
        ]
        body = "\n".join(head + diff_section + tail)
    return body


def render_taken_over_comment(
    *, branch: str, base: str, foreign: list[tuple[str, str]], diff: str, change_hash: str
) -> str:
    """The comment left when a person committed to the bot's branch.

    ``foreign`` lists ``(sha, author)`` of the commits the bot did not make.
    """
    shown = ", ".join(f"{sha[:7]} by {author or 'unknown'}" for sha, author in foreign[:5])
    if len(foreign) > 5:
        shown += f" and {len(foreign) - 5} more"
    lines = [
        f"backend-fixer did not update `{branch}`: it has commits the bot did not make "
        f"({shown}), so the bot leaves the branch to you and will not force-push it.",
        "",
        f"The fix it would make now on top of `{base}`:",
        "",
        *_diff_block(diff, force_collapse=True),
        "",
        "To hand the branch back to the bot, delete it; the next run starts afresh.",
        "",
        render_marker(Marker(change_hash, comment=True)),
        "",
    ]
    text = "\n".join(lines)
    if len(text) > MAX_BODY:
        lines[4:5] = ["(The diff is too long for a comment.)"]
        text = "\n".join(lines)
    return text


def render_dry_run(result: PrResult) -> str:
    """What ``backend-fixer pr --dry-run`` shows: branch, title, commit message, body, diff.

    For a result without a change (nothing to do) it is just the message. The
    body is headed in the words of the result's host.
    """
    terms = TERMS.get(result.host, GITHUB_TERMS)
    if result.commit_message is None or result.body is None:
        return result.message + "\n"
    rule = "-" * 72
    parts = [
        f"branch:  {result.branch} (from {result.base})",
        f"title:   {result.title}",
        "",
        f"{rule}\ncommit message\n{rule}",
        result.commit_message.rstrip("\n"),
        "",
        f"{rule}\n{terms.request} body\n{rule}",
        result.body.rstrip("\n"),
        "",
        f"{rule}\ndiff\n{rule}",
        result.diff.rstrip("\n"),
        "",
        result.message,
    ]
    return "\n".join(parts) + "\n"


# -- helpers ---------------------------------------------------------------------


def _where(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.path}:{loc.line}" if loc.line else loc.path


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _findings_section(findings: tuple[Finding, ...]) -> str:
    if not findings:
        return "(The fix reported no individual findings.)"
    items = []
    for finding in findings:
        loc = finding.location
        where = f"`{loc.path}`" + (f" line {loc.line}" if loc.line else "")
        message = " ".join(finding.message.split())
        item = f"- **{finding.code}** `{finding.name}` ({finding.severity.value}) in {where}: {message}"
        items.append(item)
        items.extend(f"  - {' '.join(note.split())}" for note in finding.notes)
    return "\n".join(items)


def _fence(text: str) -> str:
    # A fence must be longer than any backtick run inside, or the diff ends the block.
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _diff_block(diff: str, *, force_collapse: bool = False) -> list[str]:
    if not diff.strip():
        return ["(No diff was reported.)"]
    text = diff if diff.endswith("\n") else diff + "\n"
    fence = _fence(text)
    block = [f"{fence}diff", text.rstrip("\n"), fence]
    lines = text.count("\n")
    if force_collapse or lines > COLLAPSE_LINES:
        files = len(re.findall(r"^\+\+\+ ", text, flags=re.M))
        summary = f"Diff: {_plural(lines, 'line')}" + (
            f", {_plural(files, 'file')}" if files else ""
        )
        return ["<details>", f"<summary>{summary}</summary>", "", *block, "", "</details>"]
    return block
