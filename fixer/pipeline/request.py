"""What the pipeline is asked to do with one module, and what it is given.

A :class:`ModuleInput` carries the bytes of a module's files and the facts the
runner gathered about it (its path in the repository, an override file the walk
did not list, README text, whether ``.gitignore`` covers the override); a
request says what to do: :class:`CheckRequest`, :class:`FixRequest`,
:class:`RestoreRequest` or :class:`EnableRequest`. All are frozen values, so they cross process
boundaries and can be built by hand in tests without touching the disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fixer.fixes.plan import FixOptions
from fixer.fixes.values import ValueSources
from fixer.pipeline.outcome import Problem
from fixer.terraform import ModuleFiles
from fixer.terraform.init_context import ModuleInits

__all__ = [
    "BackendValues",
    "CheckRequest",
    "EnableRequest",
    "FixRequest",
    "Judgement",
    "ModuleFacts",
    "ModuleInput",
    "Request",
    "RestoreRequest",
]


@dataclass(frozen=True, slots=True)
class Judgement:
    """How rules judge a module: which rules, and the dialect and versions to assume.

    ``dialect`` and ``terraform_version`` override detection and
    ``required_version`` (None: detect, read).
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    dialect: str | None = None
    terraform_version: str | None = None


@dataclass(frozen=True, slots=True)
class BackendValues:
    """Backend values the user offers for complete mode (and for completing a restore).

    ``sets`` are ``--set KEY=VALUE`` pairs; ``backend_config`` the constant
    values of a ``--backend-config FILE`` named ``backend_config_name``;
    ``templates`` the config file's ``[values]`` templates.
    """

    sets: Mapping[str, str] = field(default_factory=dict)
    backend_config: Mapping[str, Any] = field(default_factory=dict)
    backend_config_name: str = "--backend-config"
    templates: Mapping[str, str] = field(default_factory=dict)

    def sources(self, module_path: str) -> ValueSources:
        """These values as the fix layer takes them, for the module at ``module_path``."""
        return ValueSources(
            sets=self.sets,
            backend_config=self.backend_config,
            backend_config_name=self.backend_config_name,
            templates=self.templates,
            module_path=module_path,
        )


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """Report findings. With ``attach_fixes`` the fixes ``fix`` would plan are attached to them.

    Attaching is for reports (SARIF replacements); a fix that cannot be
    planned is simply not attached: it never turns into a problem, so a
    check's outcome does not depend on the report format. With
    ``exact_fixes`` False the fixes are only counted or described (the text
    summary): planning then reads no more of the module than the check did,
    which gives the same fixes, with placeholders where values would be
    inferred from providers and variables.
    """

    judgement: Judgement = Judgement()
    attach_fixes: bool = False
    fix: FixOptions = field(default_factory=FixOptions)
    values: BackendValues = BackendValues()
    exact_fixes: bool = True


@dataclass(frozen=True, slots=True)
class FixRequest:
    """Plan (and check with every safety net) the fixes of one module."""

    judgement: Judgement = Judgement()
    fix: FixOptions = field(default_factory=FixOptions)
    values: BackendValues = BackendValues()


@dataclass(frozen=True, slots=True)
class RestoreRequest:
    """Undo what ``fix --write`` wrote; with ``values.sets`` also complete the restored backend.

    Restore refuses to drop what a person edited since; ``discard_edits``
    drops it anyway, as long as the original can still be rebuilt exactly.
    """

    judgement: Judgement = Judgement()
    values: BackendValues = BackendValues()
    discard_edits: bool = False


@dataclass(frozen=True, slots=True)
class EnableRequest:
    """Turn comment mode's commented block, as a person filled it in, into the active backend."""

    judgement: Judgement = Judgement()


Request = CheckRequest | FixRequest | RestoreRequest | EnableRequest


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """What the runner knows about a module besides its files' bytes.

    ``module_path``: the directory relative to the repository root, POSIX
    style (the state key is made from it). ``existing_override``: the text of a
    ``backend_override.tf`` the walk did not list (ignored by git), if one
    exists. ``override_ignored``: whether git ignores that file (None outside
    a work tree). ``readme``: the module's README.md text when a fix asks for
    it (None: there is none). ``context_only``: files read only to complete
    the module of files named on the command line; never reported or changed.
    ``unreadable``: files of the module the runner could not read.
    ``initialised``: the module has a ``.terraform/`` directory (init ran
    there, so a changed backend needs init again); ``local_state``: a
    ``terraform.tfstate`` lies beside it (state a new backend must take over).
    ``inits``: where the repository runs init for this module and what each
    init passes (None: the init context was not read, and the block is judged
    alone). ``ignored_codes``: per file, the rule codes the config file's
    ``per-file-ignores`` switch off there (neither reported nor fixed).
    """

    module_path: str = "."
    existing_override: str | None = None
    override_ignored: bool | None = None
    readme: str | None = None
    context_only: frozenset[str] = frozenset()
    unreadable: tuple[Problem, ...] = ()
    initialised: bool = False
    local_state: bool = False
    inits: ModuleInits | None = None
    ignored_codes: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModuleInput:
    """One module: its files (paths classified), their bytes, and the runner's facts.

    ``contents`` holds the bytes of every file the runner could read, by the
    path used in ``files``; a file missing from it is one the runner could not
    read (its problem is in ``facts.unreadable``).
    """

    files: ModuleFiles
    contents: Mapping[str, bytes]
    facts: ModuleFacts = ModuleFacts()

    @property
    def directory(self) -> str:
        return self.files.directory
