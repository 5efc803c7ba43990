"""Files that could not be checked, in each report format: the path alone, the position apart.

A parse error has a line and a column. They belong in the format's own fields
(``line=``/``col=`` of a workflow command, a SARIF region, JSON ``line`` and
``column``), never glued to the path, where GitHub would look for a file named
``main.tf:3:16`` (escaped as ``main.tf%3A3%3A16``) and find none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_samples import Run, write_tree

# The "=" on line 3 has no value after it: the parser stops at 3:14.
BROKEN = b'terraform {\n  backend "s3" {\n    bucket = \n  }\n}\n'


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"main.tf": BROKEN})


def test_github_annotation_names_the_file_and_the_place_apart(bf: Run, module: Path) -> None:
    result = bf("check", ".", "--format", "github", cwd=module)
    assert result.returncode == 2
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=main.tf,line=3,col=14,title=backend-fixer::"), line
    assert "%3A" not in line.split("::")[1]


def test_sarif_notification_has_a_region(bf: Run, module: Path) -> None:
    result = bf("check", ".", "--format", "sarif", cwd=module)
    assert result.returncode == 2
    (notification,) = json.loads(result.stdout)["runs"][0]["invocations"][0][
        "toolExecutionNotifications"
    ]
    location = notification["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "main.tf"
    assert location["region"] == {"startLine": 3, "startColumn": 14}


def test_json_skipped_entry_has_line_and_column(bf: Run, module: Path) -> None:
    result = bf("check", ".", "--format", "json", cwd=module)
    assert result.returncode == 2
    (skipped,) = json.loads(result.stdout)["skipped"]
    assert (skipped["path"], skipped["line"], skipped["column"]) == ("main.tf", 3, 14)


def test_gitlab_issue_path_is_the_file(bf: Run, module: Path) -> None:
    result = bf("check", ".", "--format", "gitlab", cwd=module)
    assert result.returncode == 2
    (issue,) = json.loads(result.stdout)
    assert issue["location"] == {"path": "main.tf", "lines": {"begin": 3}}


def test_text_error_line_reads_path_line_column(bf: Run, module: Path) -> None:
    result = bf("check", ".", cwd=module)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("backend-fixer: error: main.tf:3:14: ")
