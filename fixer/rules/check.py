"""Running rules over one module: findings stamped, suppressed ones dropped, sorted.

The rules themselves never see each other; this is the one place that runs
them, applies inline suppressions and stamps each finding with its module,
its rule's category and the text it points at (reports fingerprint that text,
so they need not read the file again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from fixer.rules.base import Finding, Rule
from fixer.rules.suppression import is_suppressed
from fixer.terraform import ModuleView

__all__ = ["check_module"]


def _excerpt(finding: Finding, texts: Mapping[str, str]) -> str | None:
    text = texts.get(finding.location.path)
    start, end = finding.location.start, finding.location.end
    if text is None or not 0 <= start < end <= len(text):
        return None
    # Whitespace runs collapse so that re-indenting, `terraform fmt` alignment or
    # a switch between LF and CRLF does not change a finding's identity.
    return " ".join(text[start:end].split())


def check_module(view: ModuleView, rules: Iterable[Rule]) -> list[Finding]:
    """Run ``rules`` on one module; drop suppressed findings; sort by location.

    Every finding is stamped with the module directory, its rule's category
    and its excerpt. A rule that raises is a bug: the exception propagates.
    """
    texts = {source.path: source.config.text for source in view.files}
    texts.update((j.path, j.text) for j in view.json_files if j.text is not None)
    findings: list[Finding] = []
    for rule in rules:
        for finding in rule.check(view):
            if not is_suppressed(finding, view):
                findings.append(
                    replace(
                        finding,
                        module=view.directory,
                        category=rule.info.category,
                        excerpt=_excerpt(finding, texts),
                    )
                )
    findings.sort(key=lambda f: (f.location.path, f.location.start, f.code))
    return findings
