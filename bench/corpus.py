"""Generate a realistic, reproducible Terraform corpus for the benchmarks.

A corpus is a tree of root and child modules as platform teams write them:
versions.tf with a terraform block (some with a backend, some partial), providers,
variables, locals with for expressions and templates, resources with nested and
dynamic blocks, heredoc policies, outputs. Some files use CRLF, some are left
unformatted, a few have no final newline. The same seed gives the same bytes.

Run ``python bench/corpus.py OUT_DIR --files 5000`` to write one.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
SERVICES = ["api", "web", "worker", "billing", "search", "auth", "queue", "reports", "edge", "data"]
RESOURCE_TYPES = [
    ("aws_s3_bucket", "bucket"),
    ("aws_sqs_queue", "name"),
    ("aws_iam_role", "name"),
    ("aws_cloudwatch_log_group", "name"),
    ("aws_security_group", "name"),
    ("aws_lambda_function", "function_name"),
    ("aws_dynamodb_table", "name"),
    ("aws_sns_topic", "name"),
]


class _Writer:
    """Builds one file's text, two-space indented, with `=` aligned per run of attributes."""

    def __init__(self, rng: random.Random, *, formatted: bool) -> None:
        self.rng = rng
        self.formatted = formatted
        self.lines: list[str] = []

    def attrs(self, indent: int, pairs: list[tuple[str, str]]) -> None:
        width = max((len(k) for k, _ in pairs), default=0)
        for key, value in pairs:
            pad = (
                " " * (width - len(key)) if self.formatted else " " * self.rng.choice([0, 0, 1, 3])
            )
            self.lines.append(f"{'  ' * indent}{key}{pad} = {value}")

    def line(self, indent: int, text: str) -> None:
        self.lines.append(f"{'  ' * indent}{text}" if text else "")

    def text(self, newline: str, final_newline: bool) -> str:
        body = newline.join(self.lines)
        return body + newline if final_newline else body


def _versions_file(rng: random.Random, w: _Writer, module: str) -> None:
    minimum = rng.choice(["1.3.0", "1.5.0", "1.5.7", "1.6.0", "1.9.0", "1.10.0", "1.11.0"])
    w.line(0, "terraform {")
    w.attrs(1, [("required_version", f'">= {minimum}"')])
    w.line(0, "")
    w.line(1, "required_providers {")
    w.line(2, "aws = {")
    w.attrs(
        3,
        [("source", '"hashicorp/aws"'), ("version", f'"~> {rng.choice(["4.0", "5.0", "5.40"])}"')],
    )
    w.line(2, "}")
    w.line(1, "}")
    kind = rng.random()
    if kind < 0.25:
        w.line(0, "")
        w.line(1, "# Partial backend config: values are injected at `terraform init` time")
        w.line(1, 'backend "s3" {}')
    elif kind < 0.55:
        w.line(0, "")
        w.line(1, 'backend "s3" {')
        pairs = [
            ("bucket", f'"{rng.choice(SERVICES)}-terraform-state"'),
            ("key", f'"{module}/terraform.tfstate"'),
            ("region", f'"{rng.choice(REGIONS)}"'),
            ("encrypt", "true"),
        ]
        if rng.random() < 0.5:
            pairs.append(("dynamodb_table", '"terraform-locks"'))
        else:
            pairs.append(("use_lockfile", "true"))
        w.attrs(2, pairs)
        w.line(1, "}")
    w.line(0, "}")


def _providers_file(rng: random.Random, w: _Writer) -> None:
    w.line(0, 'provider "aws" {')
    w.attrs(1, [("region", f'"{rng.choice(REGIONS)}"')])
    w.line(0, "")
    w.line(1, "default_tags {")
    w.line(2, "tags = {")
    w.attrs(3, [("ManagedBy", '"terraform"'), ("Team", f'"{rng.choice(SERVICES)}"')])
    w.line(2, "}")
    w.line(1, "}")
    w.line(0, "}")


def _variables_file(rng: random.Random, w: _Writer) -> None:
    names = rng.sample(
        [
            "environment_suffix",
            "region",
            "tags",
            "instance_count",
            "enabled",
            "subnets",
            "cidr",
            "name",
        ]
        + [f"{service}_{suffix}" for service in SERVICES for suffix in ("name", "retention_days")],
        k=rng.randint(8, 20),
    )
    for name in names:
        w.line(0, f'variable "{name}" {{')
        if name == "tags":
            w.attrs(
                1,
                [
                    ("description", '"Tags applied to every resource."'),
                    ("type", "map(string)"),
                    ("default", "{}"),
                ],
            )
        elif name == "subnets":
            w.attrs(1, [("type", "list(string)"), ("default", '["10.0.1.0/24", "10.0.2.0/24"]')])
        elif name == "instance_count" or name.endswith("_days"):
            w.attrs(1, [("type", "number"), ("default", str(rng.randint(1, 9)))])
            w.line(0, "")
            w.line(1, "validation {")
            w.attrs(
                2,
                [
                    ("condition", f"var.{name} > 0 && var.{name} < 10"),
                    ("error_message", '"Must be between 1 and 9."'),
                ],
            )
            w.line(1, "}")
        elif name == "enabled":
            w.attrs(1, [("type", "bool"), ("default", rng.choice(["true", "false"]))])
        else:
            w.attrs(
                1,
                [
                    ("description", f'"The {name.replace("_", " ")}."'),
                    ("type", "string"),
                    ("default", f'"{rng.choice(REGIONS) if name == "region" else "dev"}"'),
                ],
            )
        w.line(0, "}")
        w.line(0, "")


def _main_file(rng: random.Random, w: _Writer, module: str) -> None:
    w.line(0, "locals {")
    w.attrs(
        1,
        [
            ("name_prefix", f'"${{var.name}}-{module}-${{var.environment_suffix}}"'),
            ("common_tags", 'merge(var.tags, { Module = "' + module + '" })'),
            ("subnet_map", "{ for idx, cidr in var.subnets : idx => cidr }"),
            ("upper_names", '[for s in var.subnets : upper(s) if s != ""]'),
            ("enabled_count", "var.enabled ? var.instance_count : 0"),
        ],
    )
    w.line(0, "}")
    for i in range(rng.randint(12, 48)):
        w.line(0, "")
        rtype, name_attr = rng.choice(RESOURCE_TYPES)
        rname = f"{rng.choice(SERVICES)}_{i}"
        if rng.random() < 0.3:
            w.line(0, f"# {rname}: managed by the {rng.choice(SERVICES)} team")
        w.line(0, f'resource "{rtype}" "{rname}" {{')
        pairs = [(name_attr, f'"${{local.name_prefix}}-{rname}"')]
        if rng.random() < 0.4:
            pairs.insert(0, ("count", "local.enabled_count"))
        pairs.append(("tags", "local.common_tags"))
        w.attrs(1, pairs)
        if rtype == "aws_iam_role":
            w.line(0, "")
            w.line(1, "assume_role_policy = <<-EOT")
            w.line(2, "{")
            w.line(3, '"Version": "2012-10-17",')
            w.line(3, '"Statement": [{')
            w.line(4, '"Effect": "Allow",')
            w.line(
                4,
                f'"Principal": {{ "Service": "{rng.choice(["lambda", "ec2", "ecs-tasks"])}.amazonaws.com" }},',
            )
            w.line(4, '"Action": "sts:AssumeRole"')
            w.line(3, "}]")
            w.line(2, "}")
            w.line(1, "EOT")
        if rtype == "aws_security_group":
            w.line(0, "")
            w.line(1, 'dynamic "ingress" {')
            w.attrs(2, [("for_each", "local.subnet_map")])
            w.line(2, "content {")
            w.attrs(
                3,
                [
                    ("from_port", "443"),
                    ("to_port", "443"),
                    ("protocol", '"tcp"'),
                    ("cidr_blocks", "[ingress.value]"),
                ],
            )
            w.line(2, "}")
            w.line(1, "}")
        if rtype == "aws_lambda_function":
            w.line(0, "")
            w.line(1, "environment {")
            w.line(2, "variables = {")
            w.attrs(
                3,
                [
                    ("LOG_LEVEL", '"info"'),
                    ("TABLE", f"aws_dynamodb_table.{rname}.name"),
                    ("QUEUE", 'try(aws_sqs_queue.main[0].url, "")'),
                ],
            )
            w.line(2, "}")
            w.line(1, "}")
        if rng.random() < 0.3:
            w.line(0, "")
            w.line(1, "lifecycle {")
            w.attrs(2, [("prevent_destroy", "false"), ("ignore_changes", "[tags]")])
            w.line(1, "}")
        w.line(0, "}")


def _outputs_file(rng: random.Random, w: _Writer) -> None:
    for name in rng.sample(["name_prefix", "subnet_map", "tags", "summary", "region"], k=3):
        w.line(0, f'output "{name}" {{')
        if name == "summary":
            w.attrs(
                1,
                [
                    (
                        "value",
                        '"%{ if var.enabled }enabled%{ else }disabled%{ endif } in ${var.region}"',
                    )
                ],
            )
        elif name == "region":
            w.attrs(1, [("value", "var.region"), ("description", '"Where it runs."')])
        else:
            w.attrs(1, [("value", f"local.{name if name != 'tags' else 'common_tags'}")])
        w.line(0, "}")
        w.line(0, "")


FILE_KINDS = {
    "versions.tf": _versions_file,
    "providers.tf": _providers_file,
    "variables.tf": _variables_file,
    "main.tf": _main_file,
    "outputs.tf": _outputs_file,
}


def generate(out: Path, files: int, seed: int = 1) -> tuple[int, int]:
    """Write a corpus of about ``files`` files under ``out``; return (files, bytes)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    total = 0
    module_index = 0
    while written < files:
        team = rng.choice(SERVICES)
        module = f"{team}-{module_index:05d}"
        directory = out / team / module
        directory.mkdir(parents=True, exist_ok=True)
        module_index += 1
        for filename, build in FILE_KINDS.items():
            if written >= files:
                break
            w = _Writer(rng, formatted=rng.random() > 0.1)
            if build in (_versions_file, _main_file):
                build(rng, w, module)
            else:
                build(rng, w)
            newline = "\r\n" if rng.random() < 0.1 else "\n"
            data = w.text(newline, final_newline=rng.random() > 0.03).encode()
            (directory / filename).write_bytes(data)
            written += 1
            total += len(data)
    return written, total


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    count, size = generate(args.out, args.files, args.seed)
    print(f"wrote {count} files, {size / 1e6:.1f} MB to {args.out}")


if __name__ == "__main__":
    main()
