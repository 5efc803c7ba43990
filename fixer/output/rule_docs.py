"""Rule documentation: the `rules` listing, one rule's page, docs/rules.md, and the catalog as JSON.

Every renderer reads :class:`~fixer.rules.base.RuleInfo` values only and returns
a string (or, for ``rules --format json``, a JSON-ready dict); the CLI decides
where it goes. One rule's page always has the same
headings in the same order (What it finds, Why it matters, Example, Fix,
Versions, Sources), so people, SARIF help and pull request bodies read alike.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from fixer.rules.base import RuleInfo

__all__ = [
    "FIX_LEGEND",
    "HEADINGS",
    "RuleSample",
    "fix_phrase",
    "render_rule_doc",
    "render_rule_list",
    "render_rule_table",
    "render_rules_markdown",
    "rule_json",
    "rules_json",
]

HEADINGS = ("What it finds", "Why it matters", "Example", "Fix", "Versions", "Sources")
"""The sections of every rule's page, in order."""

_WIDTH = 88


class _HasInfo(Protocol):
    info: RuleInfo


@dataclass(frozen=True, slots=True)
class RuleSample:
    """One sample module of a rule, for the docs: where it is and what it must report.

    ``findings`` are short strings such as ``BF001 provider.tf:12:3``; empty for a
    negative case.
    """

    code: str
    case: str
    path: str
    findings: tuple[str, ...] = ()


def _info(rule: RuleInfo | _HasInfo) -> RuleInfo:
    return rule if isinstance(rule, RuleInfo) else rule.info


def _sections(info: RuleInfo) -> list[tuple[str, str]]:
    doc = info.doc
    return [
        ("What it finds", doc.what),
        ("Why it matters", doc.why),
        ("Example", doc.example.strip("\n")),
        ("Fix", doc.fix + _unsafe_when(info)),
        ("Versions", doc.versions),
        ("Sources", "\n".join(f"- {url}" for url in doc.sources)),
    ]


def _wrap(text: str, indent: str) -> str:
    """Wrap prose to the terminal width; list items keep their own lines."""
    lines = []
    for raw in text.strip().split("\n"):
        if not raw.strip():
            lines.append("")
            continue
        bullet = raw.startswith("- ")
        # A bullet's dash stays with its first word; a word longer than the line
        # (a URL) is kept whole rather than broken.
        lines.extend(
            textwrap.wrap(
                raw[2:] if bullet else raw,
                _WIDTH,
                initial_indent=indent + ("- " if bullet else ""),
                subsequent_indent=indent + ("  " if bullet else ""),
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


def render_rule_list(rules: Iterable[RuleInfo | _HasInfo]) -> str:
    """A table of rules: code, name, severity, category, how it is fixed, and the summary.

    The fix column is the rule's declaration: ``no``, ``--mode`` (the
    backend-wide fix), ``safe``, ``unsafe`` or ``safe/unsafe``. Rules appear in
    the order given; an empty iterable gives just the header.
    """
    infos = [_info(r) for r in rules]
    header = ("CODE", "NAME", "SEVERITY", "CATEGORY", "FIX", "SUMMARY")
    rows = [
        (i.code, i.name, i.severity.value, i.category.value, i.fix.describe(), i.summary)
        for i in infos
    ]
    columns = len(header) - 1
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(columns)]
    lines = []
    for row in [header, *rows]:
        cells = [row[c].ljust(widths[c]) for c in range(columns)]
        lines.append("  ".join([*cells, row[columns]]).rstrip())
    return "\n".join(lines) + "\n"


def fix_phrase(info: RuleInfo) -> str:
    """How a rule is fixed, in words: ``no automatic fix``, ``fix: safe/unsafe``."""
    return f"fix: {info.fix.describe()}" if info.fix.fixable else "no automatic fix"


def _unsafe_when(info: RuleInfo) -> str:
    """`` Unsafe when ...`` for a fix that is unsafe only sometimes; "" otherwise."""
    declaration = info.fix
    if declaration.unsafe_when and declaration.describe() != "unsafe":
        return f" Unsafe when {declaration.unsafe_when}."
    return ""


def render_rule_doc(info: RuleInfo | _HasInfo) -> str:
    """One rule's page for ``backend-fixer rules CODE``: a title line, then every heading.

    Empty sections still show their heading (with "none"), so the layout never shifts.
    """
    info = _info(info)
    title = f"{info.code} {info.name} ({info.severity.value}, {info.category.value}, {fix_phrase(info)})"
    parts = [title, info.summary]
    for heading, body in _sections(info):
        if heading == "Example":
            text = textwrap.indent(body, "    ") if body else "  none"
        else:
            text = _wrap(body, "  ") if body.strip() else "  none"
        parts.append(f"{heading}\n{text}")
    return "\n\n".join(parts) + "\n"


def _fence(text: str) -> str:
    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0)
    return "`" * max(3, longest + 1)


def _markdown_rule(info: RuleInfo, samples: Sequence[RuleSample]) -> str:
    parts = [
        f"## {info.code} `{info.name}`",
        f"{info.summary}. Severity: **{info.severity.value}**. Category: "
        f"**{info.category.value}**. Fix: **{info.fix.describe()}**.",
    ]
    for heading, body in _sections(info):
        if heading == "Example":
            fence = _fence(body)
            parts.append(f"### {heading}\n\n{fence}hcl\n{body}\n{fence}")
        else:
            parts.append(f"### {heading}\n\n{body.strip() or 'none'}")
    if samples:
        lines = []
        for sample in samples:
            found = ", ".join(f"`{f}`" for f in sample.findings) if sample.findings else "nothing"
            lines.append(f"- [`{sample.case}`]({sample.path}): {found}")
        parts.append("### Samples\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


FIX_LEGEND = (
    "The category says what a finding threatens; only an `init-breaking` error means "
    "`terraform init` fails. The fix column is each rule's declaration: `--mode` is the "
    "backend-wide fix you choose (comment, complete or override), `safe` a targeted edit "
    "`fix` applies, `unsafe` one applied only with `--unsafe`, `safe/unsafe` a fix that is "
    "unsafe in the cases its page names, `no` a decision left to a person."
)


def render_rule_table(rules: Iterable[RuleInfo | _HasInfo], link_prefix: str = "") -> str:
    """The Markdown table of rules: code (linked to its page), name, severity, category, fix, summary.

    ``link_prefix`` goes before each ``#anchor`` (``docs/rules.md`` from the
    README). No trailing newline.
    """
    table = [
        "| code | name | severity | category | fix | summary |",
        "|---|---|---|---|---|---|",
    ]
    for i in (_info(r) for r in rules):
        anchor = f"{i.code}-{i.name}".lower()
        table.append(
            f"| [{i.code}]({link_prefix}#{anchor}) | `{i.name}` | {i.severity.value} "
            f"| {i.category.value} | {i.fix.describe()} | {i.summary} |"
        )
    return "\n".join(table)


def render_rules_markdown(
    rules: Iterable[RuleInfo | _HasInfo],
    samples: Mapping[str, Sequence[RuleSample]] | None = None,
) -> str:
    """The whole rule reference as Markdown (``docs/rules.md``): a table, then each rule.

    ``samples`` maps a rule code to its sample modules; each is listed with the
    findings it must produce. Rules keep the order given.
    """
    infos = [_info(r) for r in rules]
    samples = samples or {}
    table = [render_rule_table(infos)]
    head = (
        "# Rules\n\n"
        "<!-- Generated from the rule registry by tests/rules/test_docs.py; do not edit.\n"
        "     Regenerate: BACKEND_FIXER_WRITE_DOCS=1 .venv/bin/pytest tests/rules/test_docs.py -->\n\n"
        "Every rule reads the module as Terraform (or OpenTofu) loads it: the backend that wins "
        "after override files, and the versions `required_version` admits. "
        "`backend-fixer rules CODE` prints one rule's page. "
        "Silence a finding with `# backend-fixer: ignore[CODE]` on its line, on the block's "
        "first line or in the comments directly above the block.\n\n"
        + FIX_LEGEND
        + "\n\n"
        + "\n".join(table)
    )
    body = [_markdown_rule(i, samples.get(i.code, ())) for i in infos]
    return "\n\n".join([head, *body]) + "\n"


def rule_json(rule: RuleInfo | _HasInfo) -> dict[str, Any]:
    """One rule as ``rules --format json`` prints it: identity, category, fix declaration, doc.

    ``fix`` is the rule's :class:`~fixer.rules.base.FixDeclaration`: ``kind``
    (``none``, ``mode`` or ``targeted``), the ``applicabilities`` its fixes can
    have, ``unsafe_when``, ``in_mode`` and ``column`` (the rule table's fix
    column: ``no``, ``--mode``, ``safe``, ``unsafe`` or ``safe/unsafe``).
    """
    info = _info(rule)
    fix = info.fix
    return {
        "code": info.code,
        "name": info.name,
        "severity": info.severity.value,
        "category": info.category.value,
        "summary": info.summary,
        "fixable": info.fixable,
        "fix": {
            "kind": fix.kind.value,
            "applicabilities": sorted(a.value for a in fix.applicabilities),
            "unsafe_when": fix.unsafe_when,
            "in_mode": fix.in_mode,
            "column": fix.describe(),
        },
        "doc": {
            "what": info.doc.what,
            "why": info.doc.why,
            "example": info.doc.example,
            "fix": info.doc.fix,
            "versions": info.doc.versions,
            "sources": list(info.doc.sources),
        },
    }


def rules_json(rules: Iterable[RuleInfo | _HasInfo], *, tool_version: str) -> dict[str, Any]:
    """The rule catalog as a JSON-ready dict: ``version`` 1, ``tool``, ``rules`` in code order."""
    return {
        "version": 1,
        "tool": {"name": "backend-fixer", "version": tool_version},
        "rules": [rule_json(rule) for rule in sorted(rules, key=lambda r: _info(r).code)],
    }
