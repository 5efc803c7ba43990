"""backend-fixer's init-breaking verdicts against real ``terraform init``, case by case.

Cases are generated from the backend table (``diff_cases``); each runs through
``terraform init -input=false`` on every engine (``diff_harness``) and through
``backend-fixer check`` judged for exactly that engine's version. The
promise under test: an init-breaking error means init fails (no false
positives), and init never fails where the check says nothing (no false
negatives). Then both fix modes run on every case the check flags: each must
either leave a module that init accepts (offline: no configuration error) or
refuse and write nothing.

``BACKEND_FIXER_DIFFERENTIAL=N`` runs about N cases per engine (default 300;
``all`` for every case); ``BACKEND_FIXER_DIFFERENTIAL_ENGINES`` adds engines.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from diff_cases import Case, generate, select
from diff_harness import FIGURES, Engine, InitResult, Outcome, classify, run_init

from fixer.fixes.plan import FixOptions
from fixer.pipeline import (
    BackendValues,
    CheckRequest,
    FixRequest,
    Judgement,
    ModuleFacts,
    ModuleInput,
    process_module,
)
from fixer.rules.base import Category, Finding, Mode, Severity
from fixer.terraform import group_into_modules

pytestmark = pytest.mark.differential

COUNT_ENV = "BACKEND_FIXER_DIFFERENTIAL"
FAILS = ("rejected", "crash")
PASSES = ("accepted", "env-failure", "timeout")


def _count() -> int | None:
    text = os.environ.get(COUNT_ENV, "300").strip().lower()
    return None if text == "all" else int(text)


def _module(directory: str, files: Mapping[str, str]) -> ModuleInput:
    contents = {f"{directory}/{name}": text.encode() for name, text in files.items()}
    (module,) = group_into_modules(contents)
    return ModuleInput(module, contents, ModuleFacts(module_path="differential"))


def _judgement(engine: Engine) -> Judgement:
    return Judgement(dialect="terraform", terraform_version=engine.version)


def breaking(findings: tuple[Finding, ...]) -> list[Finding]:
    return [
        f for f in findings if f.category is Category.INIT_BREAKING and f.severity is Severity.ERROR
    ]


@dataclass
class Run:
    """One case on one engine: what init did, what check said, and the verdict."""

    case: Case
    outcome: Outcome
    seconds: float
    claims: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        fails = self.outcome.kind in FAILS
        claims = bool(self.claims)
        if self.outcome.kind == "timeout":
            # Still retrying the network when stopped (or starved of CPU): the
            # configuration may or may not have passed, so nothing is decided.
            return "undecided" if claims else "agree"
        if fails and not claims:
            return "false-negative"
        if claims and self.outcome.kind == "accepted":
            return "false-positive"
        if claims and not fails:
            return "unconfirmed-offline" if self.case.online_only else "false-positive"
        return "agree"


def _init_all(
    engine: Engine, items: list[tuple[str, dict[str, str]]], root: Path, env: dict[str, str]
) -> dict[str, InitResult]:
    def one(item: tuple[str, dict[str, str]]) -> tuple[str, InitResult]:
        name, files = item
        folder = root / name
        folder.mkdir(parents=True)
        for file_name, text in files.items():
            (folder / file_name).write_text(text)
        return name, run_init(engine, folder, env)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, items))


@pytest.fixture(scope="module")
def cases(servers: dict[str, str]) -> list[Case]:
    return select(generate(servers["moto"], servers["state"]), _count())


def _report(
    engine: Engine, runs: list[Run], fixes: Counter[str], seconds: float, out: Path
) -> None:
    verdicts = Counter(r.verdict for r in runs)
    outcomes = Counter(r.outcome.kind for r in runs)
    FIGURES.append(
        f"{engine.name}: {len(runs)} cases in {seconds:.0f} s; terraform "
        + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
        + f"; false negatives {verdicts['false-negative']}, false positives "
        f"{verdicts['false-positive']}, unconfirmed offline {verdicts['unconfirmed-offline']}, "
        f"undecided (timeout) {verdicts['undecided']}; "
        f"fixes accepted {fixes['accepted']}, refused {fixes['refused']}, "
        f"rejected {fixes['rejected']}"
    )
    out.write_text(
        json.dumps(
            [
                {
                    "case": r.case.id,
                    "terraform": r.outcome.kind,
                    "headlines": r.outcome.headlines,
                    "claims": r.claims,
                    "verdict": r.verdict,
                }
                for r in runs
            ],
            indent=1,
        )
    )


def test_check_and_fix_agree_with_terraform_init(
    engines: list[Engine],
    cases: list[Case],
    tf_env: dict[str, str],
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    for engine in engines:
        start = time.monotonic()
        judgement = _judgement(engine)
        results = _init_all(
            engine, [(c.id, {"main.tf": c.text}) for c in cases], tmp_path / engine.name, tf_env
        )
        runs: list[Run] = []
        for case in cases:
            checked = process_module(
                _module(f"m/{case.id}", {"main.tf": case.text}), CheckRequest(judgement=judgement)
            )
            claims = [f"{f.code} {f.message}" for f in breaking(checked.findings)]
            result = results[case.id]
            runs.append(Run(case, classify(result), result.seconds, claims))
        fixes = _fix_flagged(engine, judgement, [r for r in runs if r.claims], tmp_path, tf_env)
        _report(
            engine,
            runs,
            Counter(kind for kind, _ in fixes),
            time.monotonic() - start,
            tmp_path / f"{engine.name}.json",
        )
        for run in runs:
            if run.verdict in ("false-negative", "false-positive"):
                problems.append(
                    f"{engine.name} {run.case.id}: {run.verdict}: terraform {run.outcome.kind} "
                    f"{run.outcome.headlines[:2]}, check {run.claims[:2]}\n{run.case.text}"
                )
        problems.extend(f"{engine.name} {detail}" for kind, detail in fixes if kind == "rejected")
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:40])


def _fix_flagged(
    engine: Engine,
    judgement: Judgement,
    flagged: list[Run],
    tmp_path: Path,
    env: dict[str, str],
) -> list[tuple[str, str]]:
    """Both fix modes on each flagged case; init on what they write. (kind, detail) per fix."""
    outcomes: list[tuple[str, str]] = []
    pending: list[tuple[str, dict[str, str]]] = []
    for run in flagged:
        for mode in (Mode.COMMENT, Mode.COMPLETE):
            values = (
                BackendValues(sets=dict(run.case.sets))
                if mode is Mode.COMPLETE
                else BackendValues()
            )
            result = process_module(
                _module(f"m/{run.case.id}", {"main.tf": run.case.text}),
                FixRequest(judgement=judgement, fix=FixOptions(mode=mode), values=values),
            )
            if not result.files:
                outcomes.append(("refused", f"{run.case.id} {mode.value}"))
                continue
            files = {"main.tf": run.case.text}
            files.update({Path(f.path).name: f.new_text or "" for f in result.files})
            pending.append((f"{run.case.id}.{mode.value}", files))
    results = _init_all(engine, pending, tmp_path / f"{engine.name}-fixed", env)
    for name, files in pending:
        outcome = classify(results[name])
        if outcome.kind in PASSES:
            outcomes.append(("accepted", name))
        else:
            outcomes.append(
                ("rejected", f"{name}: terraform {outcome.kind} {outcome.headlines[:2]}\n{files}")
            )
    return outcomes
