"""Loading sample modules for the rule tests, the way the runner will load real ones.

Each sample directory under ``samples/rules/<CODE>-<name>/<case>/`` is one module:
``.tf``/``.tofu`` files are parsed from their bytes (CRLF kept) with the lossless parser, ``.tf.json`` files
with ``json.loads``, and ``*.tfbackend``/``backend.hcl`` files as backend
configuration. A sample with a CI configuration of its own (``.github/``...) is
a repository: its init context is read as the runner reads it. ``expected.json``
lists the findings the module must produce.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fixer.rules.base import Finding, Rule
from fixer.rules.catalog import all_rules
from fixer.rules.check import check_module
from fixer.runner.context import pipeline_root, read_init_context
from fixer.syntax import parse, parse_bytes
from fixer.terraform import ModuleView, build_module_view
from fixer.terraform.init_context import build_init_context
from fixer.terraform.module import is_backend_config_file

REPO = Path(__file__).resolve().parents[2]
RULE_SAMPLES = REPO / "samples" / "rules"


@dataclass(frozen=True, order=True)
class Expected:
    code: str
    file: str
    line: int
    column: int


def sample_dirs() -> list[Path]:
    """Every case directory, sorted: ``samples/rules/<rule>/<case>/``."""
    return sorted(p.parent for p in RULE_SAMPLES.glob("*/*/expected.json"))


def sample_id(directory: Path) -> str:
    return f"{directory.parent.name}/{directory.name}"


def expected(directory: Path) -> list[Expected]:
    rows = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    return [Expected(**row) for row in rows]


def load_view(
    directory: Path, dialect: str | None = None, terraform_version: str | None = None
) -> ModuleView:
    """The module view of one sample directory, with the CLI's optional overrides."""
    files, configs, documents = [], [], []
    texts: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        name = path.name
        if name.endswith((".tf.json", ".tofu.json")):
            texts[str(path)] = path.read_bytes().decode("utf-8")
            documents.append((str(path), json.loads(texts[str(path)])))
        elif name.endswith((".tf", ".tofu")):
            files.append((str(path), parse_bytes(path.read_bytes(), str(path))))
        elif is_backend_config_file(path):
            configs.append((str(path), parse_bytes(path.read_bytes(), str(path))))
    inits = None
    if any(
        pipeline_root(path.relative_to(directory).as_posix()) == ""
        for path in directory.rglob("*")
        if path.is_file()
    ):
        context, _ = read_init_context(str(directory))
        inits = context.for_module(".")
    return build_module_view(
        files,
        directory=str(directory),
        backend_configs=configs,
        json_files=documents,
        dialect=dialect,
        terraform_version=terraform_version,
        inits=inits,
        json_texts=texts,
    )


def view_of(
    files: dict[str, str],
    dialect: str | None = None,
    terraform_version: str | None = None,
    pipelines: dict[str, str] | None = None,
) -> ModuleView:
    """A module view from in-memory files named like ``{"main.tf": "..."}``."""
    parsed, configs = [], []
    for name, text in files.items():
        path = f"module/{name}"
        if is_backend_config_file(name):
            configs.append((path, parse(text, path)))
        else:
            parsed.append((path, parse(text, path)))
    inits = None
    if pipelines is not None:
        # The module is "module/" in a repository holding these pipeline files.
        inits = build_init_context(pipelines).for_module("module")
    return build_module_view(
        parsed,
        directory="module",
        backend_configs=configs,
        dialect=dialect,
        terraform_version=terraform_version,
        inits=inits,
    )


def findings(view: ModuleView, rules: tuple[Rule, ...] | None = None) -> list[Finding]:
    return check_module(view, all_rules() if rules is None else rules)


def sample_findings(
    directory: Path, dialect: str | None = None, terraform_version: str | None = None
) -> list[Finding]:
    return findings(load_view(directory, dialect, terraform_version))


def sample(rule_dir: str, case: str) -> Path:
    return RULE_SAMPLES / rule_dir / case
