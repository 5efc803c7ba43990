"""Loading a module for a request: decode, pre-filter, parse what the view needs, build the view.

Only the files the pre-filter picks are decoded and parsed; each file that
cannot be (undecodable bytes, invalid HCL or JSON, too large) becomes a
one-line :class:`~fixer.pipeline.outcome.Problem` with its line and column, and
the module goes on without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fixer.pipeline.outcome import Problem
from fixer.pipeline.prefilter import (
    BACKEND_HINT,
    LOCALS_HINT,
    RESTORE_HINT,
    TERRAFORM_HINT,
    check_view_hint,
    fix_view_hint,
    names_inferable_arguments,
)
from fixer.pipeline.request import (
    CheckRequest,
    EnableRequest,
    Judgement,
    ModuleInput,
    Request,
    RestoreRequest,
)
from fixer.syntax import ConfigFile, ParseError, decode, parse
from fixer.terraform import ModuleView, build_module_view

__all__ = ["PARSE_SIZE_LIMIT", "Loaded", "load", "parse_problem", "view_of"]

# The parser holds tens of bytes per byte of source and reads one or two MB a
# second: a hand-written file is kilobytes, one of many megabytes is generated,
# and parsing a 50 MB one took 40 s and 2.4 GB. Such a file, when it would have
# to be parsed, is reported instead; files without a backend are never parsed.
PARSE_SIZE_LIMIT = 8 * 1024 * 1024

JSON_SUFFIXES = (".tf.json", ".tofu.json")


@dataclass
class Loaded:
    """The parsed part of one module: native trees, JSON documents and their texts, config files."""

    trees: dict[str, ConfigFile] = field(default_factory=dict)
    json_docs: dict[str, Any] = field(default_factory=dict)
    # The texts of the JSON files in json_docs: complete mode edits them.
    json_texts: dict[str, str] = field(default_factory=dict)
    backend_configs: list[tuple[str, ConfigFile]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_problem(error: ParseError, path: str) -> Problem:
    """A parse error as a problem: the path alone, the position in its own fields."""
    return Problem(path, error.message, error.line, error.column)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _parse(path: str, data: bytes, loaded: Loaded) -> ConfigFile | None:
    if len(data) > PARSE_SIZE_LIMIT:
        loaded.problems.append(
            Problem(
                path,
                f"too large to parse ({_mib(len(data))}, limit {_mib(PARSE_SIZE_LIMIT)}), skipped",
            )
        )
        return None
    try:
        return parse(decode(data, path), path)
    except ParseError as error:
        loaded.problems.append(parse_problem(error, path))
        return None


def _parse_json(path: str, data: bytes, loaded: Loaded) -> None:
    """Read a ``.tf.json`` file into ``loaded.json_docs``, or say in one line why not."""
    try:
        text = decode(data, path)
        document = json.loads(text)
    except ParseError as error:
        loaded.problems.append(parse_problem(error, path))
        return
    except json.JSONDecodeError as error:
        loaded.problems.append(
            Problem(path, f"invalid JSON: {error.msg}", error.lineno, error.colno)
        )
        return
    except RecursionError:
        # The C decoder stops at the interpreter's recursion limit (about 1,000 levels).
        loaded.problems.append(Problem(path, "JSON nested too deeply to read, skipped"))
        return
    if not isinstance(document, dict):
        # Terraform says the same: the root of a JSON configuration is an object.
        loaded.problems.append(
            Problem(path, "the root of a JSON configuration must be an object", 1, 1)
        )
        return
    loaded.json_docs[path] = document
    loaded.json_texts[path] = text


def load(module: ModuleInput, request: Request) -> Loaded | None:
    """Parse what the request's view needs. None when no file can hold a backend at all.

    A module whose every file is skipped by the pre-filter costs one scan of
    its bytes. Unreadable files the runner reported come back as problems.
    """
    loaded = Loaded(problems=list(module.facts.unreadable))
    contents = {
        p: module.contents[p] for p in module.files.all_config_files if p in module.contents
    }
    restoring = isinstance(request, RestoreRequest | EnableRequest)
    hint = RESTORE_HINT if restoring else BACKEND_HINT
    if not any(hint.search(data) for data in contents.values()):
        return loaded if loaded.problems else None
    backend_files = [data for data in contents.values() if BACKEND_HINT.search(data)]
    fixing = not isinstance(request, CheckRequest) or (request.attach_fixes and request.exact_fixes)
    if fixing:
        view_hint = fix_view_hint()
    elif all(names_inferable_arguments(data) for data in backend_files):
        view_hint = TERRAFORM_HINT
    else:
        view_hint = check_view_hint()
    follow_locals = any(b"local." in data for data in backend_files)
    for path, data in contents.items():
        wanted = BACKEND_HINT.search(data) or view_hint.search(data)
        if follow_locals and not wanted:
            wanted = LOCALS_HINT.search(data)
        if restoring and not wanted:
            wanted = RESTORE_HINT.search(data)
        if not wanted:
            continue
        if path.endswith(JSON_SUFFIXES):
            _parse_json(path, data, loaded)
        else:
            tree = _parse(path, data, loaded)
            if tree is not None:
                loaded.trees[path] = tree
    for path in module.files.backend_config_files:
        data = module.contents.get(path)
        if data is None:
            continue
        tree = _parse(path, data, loaded)
        if tree is not None:
            loaded.backend_configs.append((path, tree))
    return loaded


def view_of(
    module: ModuleInput,
    loaded: Loaded,
    judgement: Judgement,
    trees: Mapping[str, ConfigFile] | None = None,
    json_docs: Mapping[str, Any] | None = None,
    json_texts: Mapping[str, str] | None = None,
) -> ModuleView:
    """The module view of ``loaded`` (or of replacement ``trees``/``json_docs``, after a fix).

    ``json_texts`` are the texts of replacement ``json_docs`` (their findings
    are then placed in them). Raises ValueError for an unknown ``--dialect`` name.
    """
    return build_module_view(
        list((loaded.trees if trees is None else trees).items()),
        directory=module.directory,
        backend_configs=loaded.backend_configs,
        json_files=list((loaded.json_docs if json_docs is None else json_docs).items()),
        dialect=judgement.dialect,
        terraform_version=judgement.terraform_version,
        inits=module.facts.inits,
        json_texts=loaded.json_texts if json_docs is None else json_texts,
    )
