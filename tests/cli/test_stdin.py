"""Standard input, for editors: ``check -`` and ``fix -`` with ``--stdin-filename``.

The buffer's text is checked as the file ``--stdin-filename`` names (``stdin.tf``
without one); its module is the files beside that path on disk, which are read
for context (a required_version in versions.tf) but not reported. ``fix -``
prints a diff, and with ``--write`` the fixed text, never touching a file.
"""

from __future__ import annotations

from pathlib import Path

from cli_samples import PARTIAL, Run, write_tree

VERSIONS_1_11 = 'terraform {\n  required_version = ">= 1.11"\n}\n'
# A sound backend, but use_lockfile needs a required_version of 1.11 (BF007 without one).
BACKEND = (
    'terraform {\n  backend "s3" {\n    bucket       = "b"\n    key          = "k"\n'
    '    region       = "eu-west-1"\n    use_lockfile = true\n    encrypt      = true\n  }\n}\n'
)
CLEAN = BACKEND.replace("terraform {\n", 'terraform {\n  required_version = ">= 1.11"\n\n', 1)


def test_check_reads_standard_input(bf: Run, tmp_path: Path) -> None:
    result = bf("check", "-", cwd=tmp_path, stdin=PARTIAL.decode())
    assert result.returncode == 1
    assert result.stdout.startswith("stdin.tf:4:3: BF001 ")
    clean = bf("check", "-", cwd=tmp_path, stdin=CLEAN)
    assert clean.returncode == 0, clean.stdout


def test_the_buffer_is_judged_with_the_module_on_disk(bf: Run, tmp_path: Path) -> None:
    """Alone, the editor's backend.tf admits every version, so use_lockfile is an error
    (BF007); versions.tf beside it on disk requires 1.11, which makes it sound."""
    write_tree(tmp_path, {"envs/prod/versions.tf": VERSIONS_1_11, "envs/prod/backend.tf": "x {"})
    result = bf(
        "check", "-", "--stdin-filename", "envs/prod/backend.tf", cwd=tmp_path, stdin=BACKEND
    )
    # The buffer, not the broken file on disk, is what is read for backend.tf.
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
    alone = bf("check", "-", "--stdin-filename", "new/backend.tf", cwd=tmp_path, stdin=BACKEND)
    assert alone.returncode == 1
    assert alone.stdout.startswith("new/backend.tf:6:5: BF007 use_lockfile")


def test_the_other_files_of_the_module_are_read_not_reported(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"other.tf": PARTIAL})
    result = bf("check", "-", "--stdin-filename", "zz.tf", cwd=tmp_path, stdin=CLEAN)
    # Two backends in one module: the buffer's comes second (BF011); other.tf's own
    # finding (BF001) is not reported, the file was only read.
    assert result.stdout.startswith("zz.tf:4:3: BF011 ")
    assert "other.tf:4:3" not in result.stdout and "BF001" not in result.stdout


def test_fix_prints_a_diff_or_the_fixed_text_and_writes_nothing(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": "# the file on disk\n"})
    dry = bf("fix", "-", "--stdin-filename", "main.tf", cwd=tmp_path, stdin=PARTIAL.decode())
    assert dry.returncode == 1
    assert dry.stdout.startswith("--- a/main.tf\n+++ b/main.tf\n")
    written = bf(
        "fix", "-", "--stdin-filename", "main.tf", "--write", cwd=tmp_path, stdin=PARTIAL.decode()
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout.startswith('terraform {\n  required_version = ">= 1.11"\n\n')
    assert "# backend-fixer:begin local-state" in written.stdout
    assert "Changed 1 file:\n  main.tf\n" in written.stderr
    assert (tmp_path / "main.tf").read_text() == "# the file on disk\n"
    # Nothing to fix: the text comes back as it was.
    same = bf("fix", "-", "--write", cwd=tmp_path, stdin=CLEAN)
    assert (same.returncode, same.stdout) == (0, CLEAN)


def test_standard_input_is_the_only_path(bf: Run, tmp_path: Path) -> None:
    mixed = bf("check", "-", "other", cwd=tmp_path, stdin="")
    assert mixed.returncode == 2
    assert mixed.stderr == "backend-fixer: error: - (standard input) is the only PATH when given\n"
    named = bf("check", "dir", "--stdin-filename", "main.tf", cwd=tmp_path, stdin="")
    assert named.returncode == 2
    assert "give - as PATH" in named.stderr
