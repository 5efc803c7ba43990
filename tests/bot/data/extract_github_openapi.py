"""Cut the GitHub REST operations the bot uses out of GitHub's OpenAPI description.

Run at authoring time only (the tests read the JSON it writes). The source is
``generated/api.github.com.json`` from the npm package ``@octokit/openapi``
(GitHub's published description plus Octokit extensions):

    npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz
    python tests/bot/data/extract_github_openapi.py package/generated/api.github.com.json \
        tests/bot/data/github-openapi-subset.json --package-version 23.0.2

Operations are copied whole, with every component they reference (transitively),
so a ``$ref`` in the subset resolves exactly as it does in the full document.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

# (path template, method): the endpoints fixer/bot/github.py calls.
OPERATIONS: tuple[tuple[str, str], ...] = (
    ("/repos/{owner}/{repo}", "get"),
    ("/repos/{owner}/{repo}/pulls", "get"),
    ("/repos/{owner}/{repo}/pulls", "post"),
    ("/repos/{owner}/{repo}/pulls/{pull_number}", "patch"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "get"),
    ("/repos/{owner}/{repo}/issues/{issue_number}/comments", "post"),
)


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def extract(document: dict[str, Any]) -> dict[str, Any]:
    """Return a self-contained OpenAPI document with only ``OPERATIONS``."""
    paths: dict[str, dict[str, Any]] = {}
    for template, method in OPERATIONS:
        paths.setdefault(template, {})[method] = document["paths"][template][method]
    pending: set[str] = set()
    _refs(paths, pending)
    seen: set[str] = set()
    components: dict[str, dict[str, Any]] = {}
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, section, name = ref.split("/")  # "#/components/<section>/<name>"
        value = document["components"][section][name]
        components.setdefault(section, {})[name] = value
        _refs(value, pending)
    return {
        "openapi": document["openapi"],
        "info": document["info"],
        "paths": paths,
        "components": {s: dict(sorted(v.items())) for s, v in sorted(components.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="generated/api.github.com.json")
    parser.add_argument("target", type=Path)
    parser.add_argument("--package-version", required=True)
    args = parser.parse_args()
    raw = args.source.read_bytes()
    subset = extract(json.loads(raw))
    subset = {
        "x-extracted-from": {
            "npm-package": "@octokit/openapi",
            "version": args.package_version,
            "file": "generated/api.github.com.json",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "script": "tests/bot/data/extract_github_openapi.py",
            "operations": [f"{m.upper()} {p}" for p, m in OPERATIONS],
        },
        **subset,
    }
    args.target.write_text(json.dumps(subset, indent=1, sort_keys=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
