"""The bridge from the bot to the fix engine: apply a fix in a checkout, say what it did.

:func:`engine_apply_fix` returns the :data:`~fixer.bot.types.ApplyFix` callable
that ``run_pr`` calls inside its scratch worktree: it runs the runner there with
``write`` on, renders the diff, and lists the ``terraform init`` commands and the
way back. Engine problems (a file that does not parse, values missing in
complete mode) become a :class:`~fixer.bot.errors.FixFailedError`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from fixer.bot.errors import FixFailedError
from fixer.bot.types import ApplyFix, FixOutcome
from fixer.output import display_path, unified_diff
from fixer.rules.base import Mode
from fixer.runner.discovery import find_work_tree
from fixer.runner.engine import Runner, RunOptions, RunTally


def _repository_root(path: Path) -> Path:
    root = find_work_tree(str(path))
    return Path(root) if root is not None else path


def _restore_hint(modules: list[str]) -> str:
    # Every mode records what it writes (JSON files aside), so restore undoes each.
    where = " ".join(modules) or "."
    return f"backend-fixer restore --write {where}"


def engine_apply_fix(options: RunOptions) -> ApplyFix:
    """An ApplyFix that runs ``options`` (a fix run) on the directory it is given.

    ``options.paths`` is replaced by the target directory and ``write`` is on.
    """

    def apply_fix(target: Path) -> FixOutcome:
        run = Runner(replace(options, paths=(str(target),), write=True, jobs=1))
        root = _repository_root(target.resolve())
        tally = RunTally.of(run)
        for result in run.results():
            tally.add(result)
        if tally.problems:
            raise FixFailedError(
                "the fix could not be applied: " + "; ".join(str(p) for p in tally.problems)
            )
        changed: list[str] = []
        diffs: list[str] = []
        for file in tally.files:
            shown = display_path(os.path.abspath(file.path), str(root))
            changed.append(shown)
            diffs.append(
                unified_diff(
                    file.old_text or "",
                    file.new_text or "",
                    shown,
                    color=False,
                    created=file.old_text is None,
                )
            )
        modules = [
            display_path(os.path.abspath(directory), str(root))
            for directory in tally.changed_modules
        ]
        applied = tally.applied
        mode = options.fix.mode if options.fix else Mode.COMMENT
        init = tuple(f"terraform -chdir={m} init -input=false" for m in modules)
        findings = tuple(
            replace(
                f,
                location=replace(
                    f.location, path=display_path(os.path.abspath(f.location.path), str(root))
                ),
            )
            for f in applied
        )
        return FixOutcome(
            tuple(changed), "".join(diffs), findings, mode.value, init, _restore_hint(modules)
        )

    return apply_fix
