"""Small modules the CLI tests run on, written by the tests themselves.

Each constant is the bytes of one file (or a dict of files) with the finding it
is there for; :func:`write_tree` writes such a dict under a directory.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

# The type of the ``bf`` fixture (conftest.py): runs the console script.
Run = Callable[..., subprocess.CompletedProcess[str]]

# A partial S3 backend: BF001 at 4:3, which comment mode fixes.
PARTIAL = b'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {}\n}\n'
# A complete S3 backend that only lacks encryption: BF008, a warning with a safe fix.
UNENCRYPTED = (
    b'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
    b'    bucket       = "b"\n    key          = "k"\n    region       = "eu-west-1"\n'
    b"    use_lockfile = true\n  }\n}\n"
)
# Static credentials in an otherwise sound backend: BF003, an error whose fix is unsafe.
CREDENTIALS = (
    b'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
    b'    bucket       = "b"\n    key          = "k"\n    region       = "eu-west-1"\n'
    b"    use_lockfile = true\n    encrypt      = true\n"
    b'    access_key   = "AKIAIOSFODNN7EXAMPLE"\n  }\n}\n'
)
# A variable in the backend (BF002, fixed by the mode), and no locking or encryption
# (BF006, BF008), which go away with the block when comment mode comments it out.
VARIABLE_BUCKET = (
    b'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
    b'    bucket = var.bucket\n    key    = "k"\n    region = "eu-west-1"\n  }\n}\n\n'
    b'variable "bucket" {\n  default = "b"\n}\n'
)
# Two backends in one module: BF011, an error nothing fixes mechanically.
TWO_BACKENDS = {
    "a.tf": b'terraform {\n  backend "local" {}\n}\n',
    "b.tf": b'terraform {\n  backend "local" {}\n}\n',
}


def write_tree(root: Path, files: Mapping[str, bytes | str]) -> Path:
    """Write ``files`` (relative path to content) under ``root``; returns ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)
    return root
