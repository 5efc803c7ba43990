"""Loading sample repositories for the init-context tests, the way the runner will.

Each ``samples/init/<mechanism>/<case>/`` is a small repository. The files the
runner would read (``is_init_context_file``) are decoded from their raw bytes,
never dedented; ``crlf=True`` makes the CRLF twin of every file here.
"""

from __future__ import annotations

from pathlib import Path

from fixer.terraform.init_context import (
    InitContext,
    InitPath,
    InitSite,
    build_init_context,
    is_init_context_file,
)

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples" / "init"

S3 = ("bucket", "key", "region")
AZURERM = ("storage_account_name", "container_name", "key")


def case_dir(case: str) -> Path:
    return SAMPLES / case


def load(case: str, *, crlf: bool = False) -> dict[str, str]:
    """The init-context files of one sample repository, path -> text."""
    root = case_dir(case)
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and is_init_context_file(relative):
            data = path.read_bytes()
            if crlf:
                assert b"\r\n" not in data, f"{relative} is already CRLF"
                data = data.replace(b"\n", b"\r\n")
            files[relative] = data.decode("utf-8")
    return files


def modules(case: str) -> list[str]:
    """The module directories of a sample (directories holding a .tf file)."""
    root = case_dir(case)
    found = {p.parent.relative_to(root).as_posix() for p in root.rglob("*.tf")}
    return sorted(found)


def context(case: str, **kwargs: object) -> tuple[InitContext, dict[str, str]]:
    files = load(case, crlf=bool(kwargs.pop("crlf", False)))
    return build_init_context(files, **kwargs), files  # type: ignore[arg-type]


def line_text(files: dict[str, str], site: InitSite) -> str:
    """The text of the site's line in its file (without the line ending)."""
    return files[site.path].split("\n")[site.line - 1].rstrip("\r")


def only_site(ctx: InitContext, **filters: object) -> InitSite:
    found = [s for s in ctx.sites if all(getattr(s, k) == v for k, v in filters.items())]
    assert len(found) == 1, found
    return found[0]


def missing(path: InitPath, backend: str, names: tuple[str, ...]) -> list[str]:
    """The arguments of ``names`` this init leaves without a value (env variables count)."""
    if not path.initializes_backend:
        return []
    return [n for n in names if path.provides(backend, n) is None]


def values(path: InitPath) -> dict[str, str | None]:
    """What the init supplies, by name (the last value wins, as in Terraform)."""
    return {v.name: path.supplies(v.name).value for v in path.supplied}  # type: ignore[union-attr]
