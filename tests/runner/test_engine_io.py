"""The runner's own part: reading a module from disk, the facts it gathers, writing the outcome.

The pipeline's tests run on bytes in memory; these check that what the runner
reads is what the pipeline gets, that the facts only the disk knows (the
module's path in the repository, an override file git ignores) arrive, and that
what the pipeline planned is exactly what lands on disk.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from fixer.fixes.plan import FixOptions
from fixer.pipeline import FixRequest, ModuleFacts, ModuleInput, process_module
from fixer.rules.base import Mode
from fixer.runner.engine import Runner, RunOptions, module_path
from fixer.terraform import group_into_modules

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "fixes"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_written_files_are_exactly_what_the_pipeline_planned(tmp_path: Path) -> None:
    module = tmp_path / "seed-provider"
    shutil.copytree(SAMPLES / "seed-provider" / "before", module)
    contents = {str(p): p.read_bytes() for p in sorted(module.iterdir())}
    (files,) = group_into_modules(contents)
    planned = process_module(
        ModuleInput(files, contents, ModuleFacts(module_path=module_path(str(module)))),
        FixRequest(fix=FixOptions(mode=Mode.COMMENT)),
    )
    assert planned.files and not planned.problems
    (result,) = Runner(
        RunOptions(paths=(str(module),), fix=FixOptions(mode=Mode.COMMENT), write=True)
    ).results()
    assert not result.problems
    assert all(f.written for f in result.files)
    for file in planned.files:
        assert file.new_text is not None
        assert Path(file.path).read_bytes() == file.new_text.encode("utf-8")


def test_the_module_path_comes_from_the_work_tree(tmp_path: Path) -> None:
    repo = tmp_path / "checkout-7f3a"
    module = repo / "envs" / "prod"
    module.mkdir(parents=True)
    (module / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    _git(repo, "init", "-q")
    assert module_path(str(module)) == "envs/prod"
    (result,) = Runner(RunOptions(paths=(str(repo),), fix=FixOptions())).results()
    (file,) = result.files
    assert file.new_text is not None
    assert re.search(r'#   key +=+ "envs/prod/terraform\.tfstate"', file.new_text)


def test_a_root_modules_state_key_never_names_the_checkout_folder(tmp_path: Path) -> None:
    # A bot runs on a temporary worktree: the folder's name changes on every run,
    # so the key must come from the module's path in the repository, ".".
    repo = tmp_path / "checkout"
    repo.mkdir()
    (repo / "main.tf").write_text(
        'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {}\n}\n'
    )
    _git(repo, "init", "-q")
    assert module_path(str(repo)) == "."
    options = RunOptions(
        paths=(str(repo),),
        fix=FixOptions(mode=Mode.COMPLETE),
        sets={"bucket": "acme-state", "region": "us-east-1"},
        templates={"key": "{module_path}/terraform.tfstate"},
    )
    (result,) = Runner(options).results()
    assert not result.problems, result.problems
    (file,) = result.files
    assert file.new_text is not None
    assert re.search(r'\n    key +=+ "terraform\.tfstate"', file.new_text), file.new_text
    assert "checkout" not in file.new_text


def test_an_override_file_git_ignores_is_still_seen(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    module = repo / "app"
    module.mkdir(parents=True)
    (module / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    (module / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    (repo / ".gitignore").write_text("*_override.tf\n")
    _git(repo, "init", "-q")
    (result,) = Runner(RunOptions(paths=(str(repo),), fix=FixOptions(mode=Mode.OVERRIDE))).results()
    assert result.files == ()
    assert any("already exists with other content" in p.message for p in result.problems)
