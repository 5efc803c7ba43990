"""Which program reads the module: Terraform or OpenTofu, and which versions of it.

A module is OpenTofu's when it has ``.tofu`` files or a ``terraform`` block holds
an ``encryption`` block (state encryption exists only in OpenTofu); otherwise it
is Terraform's. ``--dialect`` overrides the detection, and ``--terraform-version``
replaces the range that ``required_version`` admits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from fixer.syntax import ConfigFile, terraform_blocks
from fixer.terraform.versions import Version, VersionRange, parse_constraints

__all__ = [
    "FIRST_RELEASE",
    "Dialect",
    "DialectChoice",
    "apply_version_override",
    "detect_dialect",
    "parse_dialect",
    "releases",
]


class Dialect(StrEnum):
    """The program that reads the configuration."""

    TERRAFORM = "terraform"
    OPENTOFU = "opentofu"

    @property
    def display_name(self) -> str:
        return "Terraform" if self is Dialect.TERRAFORM else "OpenTofu"

    @property
    def command(self) -> str:
        """The program's command, as a user types it (``terraform init``, ``tofu init``)."""
        return "terraform" if self is Dialect.TERRAFORM else "tofu"


FIRST_RELEASE: dict[Dialect, Version] = {
    Dialect.TERRAFORM: Version("0.1.0"),
    # OpenTofu forked from Terraform 1.6; there never was an OpenTofu 1.5.
    Dialect.OPENTOFU: Version("1.6.0"),
}
"""The first release of each dialect: ranges below it describe no real program."""


def releases(dialect: Dialect, admitted: VersionRange) -> VersionRange:
    """``admitted`` cut to versions ``dialect`` has actually released (from its first one).

    ``required_version = ">= 1.3"`` read by OpenTofu can only mean OpenTofu 1.6
    or later, so judging facts on 1.3 to 1.5 would invent problems.
    """
    return admitted.intersect(VersionRange.at_least(FIRST_RELEASE[dialect]))


@dataclass(frozen=True, slots=True)
class DialectChoice:
    """The dialect chosen for a module and why (for messages and ``--verbose``)."""

    dialect: Dialect
    reason: str
    overridden: bool = False


_ALIASES = {
    "terraform": Dialect.TERRAFORM,
    "tf": Dialect.TERRAFORM,
    "opentofu": Dialect.OPENTOFU,
    "tofu": Dialect.OPENTOFU,
}


def parse_dialect(text: str) -> Dialect | None:
    """The dialect named by ``text`` (``terraform``/``tf``, ``opentofu``/``tofu``), or None."""
    return _ALIASES.get(text.strip().lower())


def _is_tofu_file(path: str) -> bool:
    name = PurePath(path).name
    return name.endswith(".tofu") or name.endswith(".tofu.json")


def detect_dialect(
    paths: Iterable[str],
    configs: Iterable[ConfigFile] = (),
    override: Dialect | str | None = None,
) -> DialectChoice:
    """Decide the dialect of one module from its file names and parsed files.

    ``override`` (a Dialect or its name) wins when given; an unknown name raises
    ValueError, since it comes from the user and silently ignoring it would mean
    judging the module by the wrong program.
    """
    if override is not None:
        dialect = override if isinstance(override, Dialect) else parse_dialect(override)
        if dialect is None:
            raise ValueError(f"unknown dialect {override!r}: expected terraform or opentofu")
        return DialectChoice(dialect, f"{dialect.value} was chosen explicitly", overridden=True)
    tofu_files = sorted(PurePath(p).name for p in paths if _is_tofu_file(p))
    if tofu_files:
        return DialectChoice(Dialect.OPENTOFU, f"the module has OpenTofu files ({tofu_files[0]})")
    for config in configs:
        for block in terraform_blocks(config):
            if block.body.blocks("encryption"):
                where = f" in {PurePath(config.path).name}" if config.path else ""
                return DialectChoice(
                    Dialect.OPENTOFU,
                    f"a terraform block{where} configures state encryption, which only OpenTofu has",
                )
    return DialectChoice(Dialect.TERRAFORM, "no OpenTofu-only files or settings were found")


def apply_version_override(
    admitted: VersionRange, override: str | None
) -> tuple[VersionRange, str | None]:
    """The range to judge a module by, given ``--terraform-version``.

    ``override`` is a version (``1.9.5``, meaning exactly that one) or a
    constraint string (``>= 1.10``); it replaces ``admitted`` entirely. None
    keeps ``admitted``. Returns the range and an error message; on an invalid
    override the error is set and ``admitted`` is returned unchanged.
    """
    if override is None:
        return admitted, None
    parsed = parse_constraints(override)
    if parsed.error is not None:
        return admitted, f"invalid --terraform-version: {parsed.error}"
    return parsed.range(), None
