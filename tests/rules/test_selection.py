"""Choosing rules with --select and --ignore, and running only the chosen ones."""

from __future__ import annotations

import pytest
from rules_support import findings, load_view, sample, sample_findings

from fixer.rules.base import Rule
from fixer.rules.catalog import all_rules, rule_by_key, selected_rules


def codes(rules: tuple[Rule, ...]) -> list[str]:
    return [r.info.code for r in rules]


ALL = [r.info.code for r in all_rules()]


def test_all_rules_by_default() -> None:
    assert codes(selected_rules()) == ALL
    assert ALL == [f"BF{n:03d}" for n in range(1, 22)]


def test_select_by_code_name_and_prefix() -> None:
    assert codes(selected_rules(["BF001"])) == ["BF001"]
    assert codes(selected_rules(["partial-backend", "bf003"])) == ["BF001", "BF003"]
    assert codes(selected_rules(["BF01"])) == [f"BF01{n}" for n in range(10)]


def test_ignore_removes_from_the_selection() -> None:
    chosen = codes(selected_rules(ignore=["BF006", "unencrypted-state"]))
    assert "BF006" not in chosen and "BF008" not in chosen
    assert len(chosen) == len(ALL) - 2
    assert codes(selected_rules(["BF00"], ["BF004"])) == [
        f"BF00{n}" for n in range(1, 10) if n != 4
    ]


@pytest.mark.parametrize("key", ["BF099", "no-such-rule", "BX"])
def test_unknown_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="unknown rule"):
        selected_rules([key])
    with pytest.raises(ValueError, match="unknown rule"):
        selected_rules(ignore=[key])


def test_rule_by_key() -> None:
    rule = rule_by_key("bf009")
    assert rule is not None and rule.info.name == "object-as-block"
    assert rule_by_key("object-as-block") is rule
    assert rule_by_key("BF000") is None


def test_only_selected_rules_report() -> None:
    directory = sample("BF008-unencrypted-state", "encrypt-missing")
    assert [f.code for f in sample_findings(directory)] == ["BF008"]
    view = load_view(directory)
    assert findings(view, selected_rules(ignore=["BF008"])) == []
    both = sample("BF006-no-state-locking", "partial-backend-not-judged")
    assert [f.code for f in findings(load_view(both), selected_rules(["BF006"]))] == []
