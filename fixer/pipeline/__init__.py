"""The pipeline: one module from bytes and facts to one outcome, with no I/O.

Between the fixes and the runner. :func:`process_module` takes a
:class:`ModuleInput` (bytes and facts) and a request (:class:`CheckRequest`,
:class:`FixRequest`, :class:`RestoreRequest` or :class:`EnableRequest`) and returns a
:class:`ModuleResult`: findings, planned file changes that passed every safety
net, problems. It owns the pre-filter, parsing, the module view, the rules,
planning, applying and the safety nets; it opens no file and prints nothing.
"""

from fixer.pipeline.outcome import FileResult, ModuleResult, NextStep, Problem, printable
from fixer.pipeline.process import process_module
from fixer.pipeline.request import (
    BackendValues,
    CheckRequest,
    EnableRequest,
    FixRequest,
    Judgement,
    ModuleFacts,
    ModuleInput,
    Request,
    RestoreRequest,
)

__all__ = [
    "BackendValues",
    "CheckRequest",
    "EnableRequest",
    "FileResult",
    "FixRequest",
    "Judgement",
    "ModuleFacts",
    "ModuleInput",
    "ModuleResult",
    "NextStep",
    "Problem",
    "Request",
    "RestoreRequest",
    "printable",
    "process_module",
]
