"""Backend blocks generated from the backend table: valid ones, and invalid along each validation.

For every backend type the table knows, a base block that initialises offline
(or fails only at the network) is varied one fact at a time: each argument set
to a valid value and to a value of the wrong type, each check's valid and
invalid examples (nested attributes too), required arguments left out, set to
null or to "", each argument set broken, an unknown argument and block, an
argument written twice, object arguments written as blocks and block
arguments as attributes, and the backend types themselves (``backend
"cloud"``, a typo, a removed type). A row added to the table is tested here
without a line of test code. Only where a service must be reached (the s3
bucket, the http address, gcs's endpoint) do the bases name the test's own
servers on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fixer.terraform import (
    ARGUMENT_SETS,
    BackendArgument,
    CheckKind,
    Dialect,
    Phase,
    Relation,
    Syntax,
    ValueType,
    VersionRange,
    argument,
    argument_sets,
    arguments,
    backend_types,
    check_rejections,
)


class Block(dict):  # type: ignore[type-arg]
    """A nested block's attributes (rendered ``name { ... }``, not ``name = { ... }``)."""


@dataclass(frozen=True)
class Case:
    """One generated module: its main.tf and what complete mode may be given."""

    id: str
    text: str
    backend: str
    sets: Mapping[str, str] = field(default_factory=dict)
    # The element under test is checked only once the service is reached in some
    # version (the table says so: a diagnostic of the service phase).
    online_only: bool = False


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def _render(value: Any, indent: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_render(v, indent) for v in value) + "]"
    inner = indent + "  "
    lines = [f"{inner}{_key(k)} = {_render(v, inner)}" for k, v in value.items()]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}" if lines else "{}"


def _key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else _string(name)


def render(kind: str, items: list[tuple[str, Any]], version: str | None = None) -> str:
    """``terraform { backend "kind" { ... } }`` (``kind`` "cloud": the cloud block)."""
    head = "cloud" if kind == "cloud" else f'backend "{kind}"'
    lines = []
    for name, value in items:
        if isinstance(value, Block):
            body = "\n".join(f"      {_key(k)} = {_render(v, '      ')}" for k, v in value.items())
            lines.append(f"    {name} {{\n{body}\n    }}" if body else f"    {name} {{\n    }}")
        else:
            lines.append(f"    {_key(name)} = {_render(value, '    ')}")
    required = f'  required_version = "{version}"\n' if version else ""
    body = "\n".join(lines)
    return f"terraform {{\n{required}  {head} {{\n{body}\n  }}\n}}\n"


def bases(moto: str, state: str) -> dict[str, dict[str, Any]]:
    """A block per backend type that passes every configuration check offline."""
    return {
        "s3": {
            "bucket": "tfstate",
            "key": "differential/terraform.tfstate",
            "region": "us-east-1",
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "use_path_style": True,
            "endpoints": {"s3": moto, "sts": moto, "iam": moto, "dynamodb": moto},
        },
        "http": {"address": f"{state}/state"},
        "local": {"path": "differential.tfstate"},
        "inmem": {},
        "gcs": {
            "bucket": "differential",
            "access_token": "differential-token",
            "storage_custom_endpoint": f"{state}/storage/v1/",
        },
        "azurerm": {
            "storage_account_name": "differential",
            "container_name": "tfstate",
            "key": "differential.tfstate",
            "access_key": "eA==",
        },
        "consul": {"path": "differential", "address": "127.0.0.1:1"},
        "pg": {"conn_str": "postgres://differential:x@127.0.0.1:1/db?sslmode=disable"},
        "kubernetes": {"secret_suffix": "differential", "host": "https://127.0.0.1:1"},
        "oss": {
            "bucket": "differential",
            "region": "cn-hangzhou",
            "access_key": "differential",
            "secret_key": "differential",
        },
        "cos": {
            "bucket": "differential-1250000000",
            "region": "ap-guangzhou",
            "secret_id": "differential",
            "secret_key": "differential",
        },
        "oci": {"bucket": "differential", "namespace": "differential"},
        "remote": {
            "organization": "differential",
            "hostname": "localhost:1",
            "workspaces": Block(name="differential"),
        },
        "cloud": {
            "organization": "differential",
            "hostname": "localhost:1",
            "workspaces": Block(name="differential"),
        },
    }


_BY_TYPE: dict[ValueType, Any] = {
    ValueType.STRING: "differential",
    ValueType.BOOL: False,
    ValueType.NUMBER: 1,
    ValueType.LIST: ["differential"],
    ValueType.SET: ["differential"],
    ValueType.MAP: {"team": "differential"},
}
_WRONG: dict[ValueType, Any] = {
    ValueType.STRING: ["differential"],
    ValueType.BOOL: "yes",
    ValueType.NUMBER: "five",
    ValueType.LIST: "differential",
    ValueType.SET: "differential",
    ValueType.MAP: "differential",
    ValueType.OBJECT: "differential",
}


def _passes(row: BackendArgument, value: Any) -> bool:
    everything = VersionRange.everything()
    return not any(
        check_rejections(check, value, dialect, everything)
        for check in row.checks
        if check.kind is not CheckKind.UNUSABLE
        for dialect in Dialect
    )


# Values only the test's own services decide: the account moto answers with.
SERVICE_VALUES: dict[tuple[str, str], Any] = {
    ("s3", "allowed_account_ids"): ["123456789012"],
    # moto serves buckets by path only; a virtual-hosted name would wait on DNS.
    ("s3", "use_path_style"): True,
}
CLOSED_PORT = "http://127.0.0.1:1"


def sample(row: BackendArgument) -> Any:
    """A valid value for ``row``: a check's valid example that passes all its checks, or one of its type."""
    if (row.backend, row.name) in SERVICE_VALUES:
        return SERVICE_VALUES[(row.backend, row.name)]
    for check in row.checks:
        for value in check.valid:
            if check.kind is not CheckKind.UNUSABLE and _passes(row, value):
                return value
    if row.syntax is Syntax.BLOCK:
        return Block({a.name: sample(a) for a in row.attributes if a.required})
    if row.type is ValueType.OBJECT:
        return {a.name: sample(a) for a in row.attributes if a.required}
    return _BY_TYPE[row.type]


def _online_only(row: BackendArgument) -> bool:
    return any(d.phase is Phase.SERVICE for d in row.missing)


def _conflicting(backend: str, name: str) -> set[str]:
    """Top-level arguments that may not stand beside ``name`` (heads of dotted names)."""
    found = set()
    for rule in argument_sets(backend):
        if rule.relation is not Relation.CONFLICT:
            continue
        heads = [n.partition(".")[0] for n in rule.names]
        if name in heads:
            found.update(h for h in heads if h != name)
    return found


class _Maker:
    def __init__(self, kind: str, base: dict[str, Any]) -> None:
        self.kind = kind
        self.base = base

    def items(
        self, changes: Mapping[str, Any] = {}, drop: set[str] | frozenset[str] = frozenset()
    ) -> list[tuple[str, Any]]:
        skip = set(drop)
        for name in changes:
            skip |= _conflicting(self.kind, name)
        items = [(k, v) for k, v in self.base.items() if k not in skip and k not in changes]
        items.extend(changes.items())
        return items

    def case(self, suffix: str, items: list[tuple[str, Any]], **kw: Any) -> Case:
        moto = self.base.get("endpoints", {}).get("s3") if self.kind == "s3" else None
        if moto:
            # The table's URL examples name a closed port; an s3 endpoint there
            # would be retried for minutes, so valid ones point at moto instead.
            items = [(k, _retarget(v, moto)) for k, v in items]
        sets = {
            k: v
            for k, v in self.base.items()
            if isinstance(v, str) and (row := argument(self.kind, k)) is not None and row.required
        }
        return Case(f"{self.kind}.{suffix}", render(self.kind, items), self.kind, sets, **kw)


def _retarget(value: Any, moto: str) -> Any:
    if value == CLOSED_PORT:
        return moto
    if isinstance(value, dict):
        return type(value)({k: _retarget(v, moto) for k, v in value.items()})
    return value


def _row_cases(make: _Maker, row: BackendArgument) -> Iterator[Case]:
    name = row.name
    yield make.case(f"{name}.set", make.items({name: sample(row)}))
    if row.syntax is not Syntax.BLOCK:
        yield make.case(f"{name}.wrong-type", make.items({name: _WRONG[row.type]}))
    if row.syntax is Syntax.OBJECT:
        yield make.case(f"{name}.as-block", make.items({name: Block(sample(row))}))
    if row.syntax is Syntax.BLOCK:
        value = dict(sample(row))
        yield make.case(f"{name}.as-attribute", make.items({name: value}))
    for i, check in enumerate(row.checks):
        for j, value in enumerate(check.valid):
            yield make.case(f"{name}.check{i}.valid{j}", make.items({name: value}))
        for j, value in enumerate(check.invalid):
            if check.kind is CheckKind.UNUSABLE:
                value = Block(value)
            yield make.case(f"{name}.check{i}.invalid{j}", make.items({name: value}))
    if row.required:
        online = _online_only(row)
        yield make.case(f"{name}.missing", make.items(drop={name}), online_only=online)
        yield make.case(f"{name}.null", make.items({name: None}), online_only=online)
    if row.type is ValueType.STRING and (row.required or row.rejects_empty):
        yield make.case(f"{name}.empty", make.items({name: ""}), online_only=_online_only(row))
    for attribute in row.attributes:
        parent = sample(row)
        wrap = Block if row.syntax is Syntax.BLOCK else dict
        for i, check in enumerate(attribute.checks):
            for j, value in enumerate(check.invalid):
                nested = wrap({**parent, attribute.name: value})
                yield make.case(
                    f"{name}.{attribute.name}.check{i}.invalid{j}", make.items({name: nested})
                )
            for j, value in enumerate(check.valid[:1]):
                nested = wrap({**parent, attribute.name: value})
                yield make.case(
                    f"{name}.{attribute.name}.check{i}.valid{j}", make.items({name: nested})
                )
        if attribute.type is not ValueType.OBJECT:
            nested = wrap({**parent, attribute.name: _WRONG[attribute.type]})
            yield make.case(f"{name}.{attribute.name}.wrong-type", make.items({name: nested}))


def _set_value(make: _Maker, name: str, true_only: frozenset[str]) -> Any:
    head, _, rest = name.partition(".")
    row = argument(make.kind, head)
    if row is None:
        return "differential"
    if not rest:
        return True if head in true_only else sample(row)
    attribute = row.attribute(rest)
    return sample(attribute) if attribute is not None else "differential"


def _set_cases(make: _Maker) -> Iterator[Case]:
    for index, rule in enumerate(argument_sets(make.kind)):
        if rule.relation in (Relation.AT_LEAST_ONE, Relation.EXACTLY_ONE):
            chosen: list[str] = []
        elif rule.relation is Relation.CONFLICT:
            chosen = list(rule.names)
        else:
            chosen = [rule.names[0]]
        changes: dict[str, Any] = {}
        drop = {n.partition(".")[0] for n in rule.names if "." not in n}
        parent = rule.parent
        for name in chosen:
            head, _, rest = name.partition(".")
            value = _set_value(make, name, rule.true_only)
            if rest:
                row = argument(make.kind, head)
                existing = changes.get(head) or (
                    dict(make.base[head]) if head in make.base else (sample(row) if row else {})
                )
                container = Block if row is not None and row.syntax is Syntax.BLOCK else dict
                existing = container({**existing, rest: value})
                changes[head] = existing
            else:
                changes[name] = value
        if parent is not None and parent not in changes:
            row = argument(make.kind, parent)
            if row is None:
                continue
            base = sample(row) if parent not in make.base else make.base[parent]
            leaves = {n.partition(".")[2] for n in rule.names}
            container = Block if row.syntax is Syntax.BLOCK else dict
            changes[parent] = container({k: v for k, v in dict(base).items() if k not in leaves})
        items = [(k, v) for k, v in make.base.items() if k not in changes and k not in drop]
        items.extend(changes.items())
        yield make.case(f"set{index}.{rule.relation.value}", items)


def generate(moto: str, state: str) -> list[Case]:
    """Every case the table gives, in a stable order."""
    found: list[Case] = []
    for kind, base in bases(moto, state).items():
        make = _Maker(kind, base)
        found.append(make.case("valid", make.items()))
        found.append(make.case("unknown-argument", make.items({"nosuch_argument": "x"})))
        found.append(make.case("unknown-block", make.items({"nosuch_block": Block(x="y")})))
        first = next(iter(base.items()), None)
        if first is not None and not isinstance(first[1], Block):
            items = make.items()
            items.append(first)
            found.append(make.case("duplicate", items))
        for row in arguments(kind):
            found.extend(_row_cases(make, row))
        found.extend(_set_cases(make))
    found.append(
        Case(
            "type.backend-cloud",
            render("cloud", []).replace("cloud {", 'backend "cloud" {'),
            "cloud",
        )
    )
    found.append(Case("type.typo", render("s4", [("bucket", "x")]), "s4"))
    for removed in (t for t in backend_types() if t.removed_in(Dialect.TERRAFORM) is not None):
        found.append(
            Case(
                f"type.removed.{removed.name}", render(removed.name, [("path", "x")]), removed.name
            )
        )
    # Duplicated ids would hide cases: keep each id once.
    unique = {case.id: case for case in found}
    return list(unique.values())


def select(cases: list[Case], count: int | None) -> list[Case]:
    """A stable choice of about ``count`` cases (all when None), each backend type in proportion.

    Every type keeps at least its valid case and a few others, so a small run
    still touches each backend; the order inside a type is a hash of the ids.
    """
    if count is None or count >= len(cases):
        return cases
    by_backend: dict[str, list[Case]] = {}
    for case in sorted(cases, key=lambda c: hashlib.sha256(c.id.encode()).hexdigest()):
        by_backend.setdefault(case.backend, []).append(case)
    chosen: list[Case] = []
    for group in by_backend.values():
        share = max(3, round(count * len(group) / len(cases)))
        valid = [c for c in group if c.id.endswith(".valid")]
        rest = [c for c in group if c not in valid]
        chosen.extend(valid + rest[: share - len(valid)])
    return chosen


__all__ = ["ARGUMENT_SETS", "Block", "Case", "bases", "generate", "render", "select"]
