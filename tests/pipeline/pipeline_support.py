"""Building pipeline inputs from in-memory files: no disk, no runner."""

from __future__ import annotations

from collections.abc import Mapping

from fixer.pipeline import ModuleFacts, ModuleInput
from fixer.terraform import group_into_modules


def module_input(
    files: Mapping[str, str | bytes], directory: str = "envs/prod", **facts: object
) -> ModuleInput:
    """A module ``directory`` holding ``files`` (name -> text or bytes), with ``facts``."""
    contents = {
        f"{directory}/{name}": data if isinstance(data, bytes) else data.encode("utf-8")
        for name, data in files.items()
    }
    (module,) = group_into_modules(contents)
    facts.setdefault("module_path", directory)
    return ModuleInput(module, contents, ModuleFacts(**facts))  # type: ignore[arg-type]


def texts(result_files: object) -> dict[str, str | None]:
    """File name -> new text of a result's files."""
    return {f.path.rsplit("/", 1)[-1]: f.new_text for f in result_files}  # type: ignore[attr-defined]
