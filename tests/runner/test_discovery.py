"""Discovery on real trees under ``tmp_path``, with real git as the oracle for ignores.

The gitignore tests build a repository with nested ``.gitignore`` files,
``.git/info/exclude`` and a tracked file that a pattern would ignore, and
compare what :func:`discover` yields with what ``git check-ignore`` says about
every candidate path.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

from fixer.runner.discovery import DiscoveredFile, _tracked_candidates, discover, is_candidate
from fixer.runner.files import FileProblem


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(repo.parent),  # no user-wide excludes or config
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, input=stdin, capture_output=True, text=True
    )
    # check-ignore answers 1 when nothing is ignored
    if done.returncode not in (0, 1):
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"# " + name.encode() + b"\n")


def found(items: list[DiscoveredFile | FileProblem], root: Path) -> list[str]:
    return [
        item.path.relative_to(root).as_posix() for item in items if isinstance(item, DiscoveredFile)
    ]


def problems(items: list[DiscoveredFile | FileProblem]) -> list[FileProblem]:
    return [item for item in items if isinstance(item, FileProblem)]


def all_candidates(root: Path) -> list[str]:
    """Every candidate file under ``root`` outside .git, by a plain walk."""
    out = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in {".git", ".terraform", ".terragrunt-cache"}]
        out += [
            (Path(directory) / name).relative_to(root).as_posix()
            for name in names
            if is_candidate(name)
        ]
    return sorted(out)


# -- names and order --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("main.tf", True),
        ("main.tf.json", True),
        ("main.tofu", True),
        ("main.tofu.json", True),
        ("prod.tfbackend", True),
        ("backend.hcl", True),
        ("backend-prod.hcl", True),
        ("prod.backend.hcl", True),
        ("terraform.tfvars", False),
        ("providers.hcl", False),
        (".terraform.lock.hcl", False),
        (".hidden.tf", False),
        ("main.tf~", False),
        ("#main.tf#", False),
        (".main.tf.1a2b3c4d.backend-fixer.tmp", False),
        ("main.tf.bak", False),
    ],
)
def test_candidate_names(name: str, wanted: bool) -> None:
    assert is_candidate(name) is wanted


def test_walk_is_sorted_and_skips_caches(tmp_path: Path) -> None:
    touch(
        tmp_path,
        "b/main.tf",
        "a/z.tf",
        "a/m/backend.hcl",
        "a/notes.txt",
        "main.tf",
        ".terraform/modules/x/main.tf",
        "a/.terragrunt-cache/abc/main.tf",
        ".git/hooks/x.tf",
        "a/#draft.tf#",
    )
    items = list(discover([tmp_path]))
    assert problems(items) == []
    assert found(items, tmp_path) == ["a/m/backend.hcl", "a/z.tf", "b/main.tf", "main.tf"]
    assert all(isinstance(i, DiscoveredFile) and not i.explicit for i in items)


def test_discover_is_lazy(tmp_path: Path) -> None:
    touch(tmp_path, "a/main.tf", "b/main.tf")
    stream = discover([tmp_path])
    assert iter(stream) is stream
    first = next(stream)
    assert isinstance(first, DiscoveredFile)
    assert first.path == tmp_path / "a" / "main.tf"


def test_named_files_always_come_once_and_first_class(tmp_path: Path) -> None:
    touch(tmp_path, "main.tf", "vars.tfvars")
    items = list(discover([tmp_path / "vars.tfvars", tmp_path / "main.tf", tmp_path]))
    assert items == [
        DiscoveredFile(tmp_path / "vars.tfvars", explicit=True),
        DiscoveredFile(tmp_path / "main.tf", explicit=True),
    ]


def test_overlapping_directories_yield_each_file_once(tmp_path: Path) -> None:
    touch(tmp_path, "a/main.tf", "b/main.tf")
    items = list(discover([tmp_path / "a", tmp_path, tmp_path / "b"]))
    assert found(items, tmp_path) == ["a/main.tf", "b/main.tf"]


def test_missing_path_is_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    touch(tmp_path, "main.tf")
    items = list(discover([tmp_path / "nope", tmp_path]))
    assert items == [
        FileProblem(tmp_path / "nope", "no such file or directory", "missing"),
        DiscoveredFile(tmp_path / "main.tf"),
    ]


def test_a_very_deep_tree_does_not_recurse(tmp_path: Path) -> None:
    deep = str(tmp_path)
    for _ in range(300):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    Path(deep, "main.tf").write_bytes(b"")
    # A walker that recursed once per level would fail under this limit.
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 100)
    try:
        items = list(discover([tmp_path]))
    finally:
        sys.setrecursionlimit(limit)
    assert items == [DiscoveredFile(Path(deep, "main.tf"))]


# -- symlinks ---------------------------------------------------------------------------


def test_symlink_loops_do_not_hang_and_only_a_terraform_name_is_a_problem(
    tmp_path: Path,
) -> None:
    touch(tmp_path, "a/main.tf", "b/main.tf")
    (tmp_path / "a" / "up").symlink_to("..")
    (tmp_path / "a" / "self").symlink_to(".")
    (tmp_path / "b" / "x").symlink_to("y")
    (tmp_path / "b" / "y").symlink_to("x")
    (tmp_path / "b" / "loop.tf").symlink_to("loop.tf")
    items = list(islice(discover([tmp_path]), 100))
    assert len(items) < 100
    assert found(items, tmp_path) == ["a/main.tf", "b/main.tf"]
    # Directory links back up, and a loop among other names, are nobody's Terraform files.
    assert [str(p) for p in problems(items)] == [f"{tmp_path}/b/loop.tf: symlink loop, skipped"]
    assert {p.kind for p in problems(items)} == {"symlink-loop"}


def test_symlinked_directories_inside_are_not_walked_twice_outside_are(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    touch(root, "modules/net/main.tf", "live/main.tf")
    touch(tmp_path, "shared/vpc/main.tf")
    (root / "live" / "net").symlink_to("../modules/net")
    (root / "live" / "vpc").symlink_to(tmp_path / "shared" / "vpc")
    (root / "live" / "gone.tf").symlink_to("missing.tf")
    (root / "live" / "gone.txt").symlink_to("missing.txt")
    items = list(discover([root]))
    assert found(items, root) == ["live/main.tf", "live/vpc/main.tf", "modules/net/main.tf"]
    assert problems(items) == [
        FileProblem(
            root / "live" / "gone.tf", "broken symlink (its target does not exist)", "missing"
        )
    ]


# -- unreadable things ------------------------------------------------------------------


def test_an_unreadable_directory_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a/main.tf", "locked/main.tf", "z/main.tf")
    locked = tmp_path / "locked"
    locked.chmod(0)
    try:
        try:
            os.listdir(locked)
        except PermissionError:
            pass  # an ordinary user: the real permission bits refuse
        else:
            # Root lists anything; refuse this one directory the way the kernel would.
            real_scandir = os.scandir

            def refusing(path="."):  # type: ignore[no-untyped-def]
                if os.fspath(path) == os.fspath(locked):
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
                return real_scandir(path)

            monkeypatch.setattr(os, "scandir", refusing)
        items = list(discover([tmp_path]))
    finally:
        locked.chmod(0o755)
    assert found(items, tmp_path) == ["a/main.tf", "z/main.tf"]
    assert [str(p) for p in problems(items)] == [
        f"{locked}: cannot read directory: Permission denied, skipped"
    ]


def test_an_unreadable_gitignore_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    touch(repo, "mod/main.tf", "mod/gen.tf")
    (repo / "mod" / ".gitignore").write_text("gen.tf\n")
    real_open = open

    def refusing(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path).endswith("mod/.gitignore"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, *args, **kwargs)

    from fixer.runner import discovery

    monkeypatch.setattr(discovery, "open", refusing, raising=False)
    items = list(discover([repo]))
    assert found(items, repo) == ["mod/gen.tf", "mod/main.tf"]
    assert [str(p) for p in problems(items)] == [
        f"{repo}/mod/.gitignore: cannot read: Permission denied; its rules are not applied"
    ]


# -- gitignore against git ------------------------------------------------------------------

FILES = [
    "main.tf",
    "top-only.tf",
    "sub/top-only.tf",
    "app.generated.tf",
    "keep.generated.tf",
    "build/out.tf",
    "build/tracked.tf",
    "build/deep/more.tf",
    "docs/guide/draft-1.tf",
    "docs/guide/final.tf",
    "docs/draft-0.tf",
    "logs/main.tf",
    "secret.tf",
    "deep/er/secret.tf",
    "space.tf",
    "modules/important.generated.tf",
    "modules/other.generated.tf",
    "modules/local/main.tf",
    "modules/prod.tfbackend",
    "modules/net/prod.tfbackend",
    "modules/net/main.tf",
    "modules/net/local/x.tf",
    "modules/private/main.tf",
    "modules/vendor/keep/main.tf",
    "modules/vendor/drop/main.tf",
    "modules/vendor/drop.tf",
    "env/prod/backend-prod.hcl",
    "env/prod/backend.hcl",
    "env/dev/dev.backend.hcl",
    "[brackets].tf",
    "crlf/ignored.tf",
    "crlf/kept.tf",
]

ROOT_GITIGNORE = """\
# generated code
*.generated.tf
!keep.generated.tf
build/
/top-only.tf
docs/**/draft-*.tf
logs
space.tf\x20\x20\x20
\\[brackets\\].tf
env/*/backend.hcl
"""

MODULES_GITIGNORE = """\
!important.generated.tf
local/
*.tfbackend
vendor/*
!vendor/keep/
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    touch(repo, *FILES)
    (repo / ".gitignore").write_text(ROOT_GITIGNORE)
    (repo / "modules" / ".gitignore").write_text(MODULES_GITIGNORE)
    (repo / "modules" / "net" / ".gitignore").write_text("!*.tfbackend\n")
    (repo / "crlf" / ".gitignore").write_bytes(b"\xef\xbb\xbfignored.tf\r\n")
    (repo / ".git" / "info" / "exclude").write_text("secret.tf\nmodules/private/\n")
    # A tracked file stays in play even though build/ is ignored.
    git(repo, "add", "-f", "build/tracked.tf", "main.tf")
    git(repo, "commit", "-q", "-m", "init")
    return repo


def git_verdict(repo: Path, under: str = "") -> list[str]:
    """The candidate files git does not ignore (tracked ones included), by git itself."""
    candidates = [p for p in all_candidates(repo) if p.startswith(under)]
    ignored = set(git(repo, "check-ignore", "--stdin", stdin="\n".join(candidates)).split("\n"))
    return [p for p in candidates if p not in ignored]


def test_gitignore_matches_git(repo: Path) -> None:
    expected = git_verdict(repo)
    # The fixture must exercise both sides, or this test would prove little.
    assert "build/tracked.tf" in expected and "modules/net/prod.tfbackend" in expected
    assert "build/out.tf" not in expected and "secret.tf" not in expected
    assert len(expected) < len(all_candidates(repo)) - 10
    items = list(discover([repo]))
    assert problems(items) == []
    assert sorted(found(items, repo)) == expected


def test_gitignore_matches_git_from_a_subdirectory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "modules")
    items = list(discover(["."]))
    assert sorted("modules/" + p.path.as_posix() for p in items) == git_verdict(repo, "modules/")  # type: ignore[union-attr]


def test_gitignore_matches_git_with_index_version_4(repo: Path) -> None:
    git(repo, "update-index", "--index-version", "4")
    assert sorted(found(list(discover([repo])), repo)) == git_verdict(repo)


def test_no_ignore_yields_everything(repo: Path) -> None:
    items = list(discover([repo], honour_gitignore=False))
    assert sorted(found(items, repo)) == all_candidates(repo)


def test_an_ignored_file_named_explicitly_is_yielded(repo: Path) -> None:
    named = repo / "build" / "out.tf"
    assert git(repo, "check-ignore", "build/out.tf").strip() == "build/out.tf"
    assert list(discover([named])) == [DiscoveredFile(named, explicit=True)]


def test_an_ignored_directory_named_explicitly_is_walked(repo: Path) -> None:
    items = list(discover([repo / "build"]))
    assert found(items, repo) == ["build/deep/more.tf", "build/out.tf", "build/tracked.tf"]


def test_gitignore_outside_a_repository_is_not_read(tmp_path: Path) -> None:
    touch(tmp_path, "plain/main.tf", "plain/gen.tf")
    (tmp_path / "plain" / ".gitignore").write_text("gen.tf\n")
    assert found(list(discover([tmp_path / "plain"])), tmp_path) == [
        "plain/gen.tf",
        "plain/main.tf",
    ]


def test_a_nested_repository_uses_its_own_rules(repo: Path) -> None:
    inner = repo / "modules" / "net" / "inner"
    inner.mkdir()
    git(inner, "init", "-q")
    touch(inner, "main.tf", "secret.tf", "x.generated.tf", "mine.tf")
    (inner / ".gitignore").write_text("mine.tf\n")
    items = found(list(discover([repo / "modules" / "net"])), repo)
    inner_found = [p for p in items if p.startswith("modules/net/inner/")]
    # The outer repository's *.generated.tf and its info/exclude's secret.tf do not reach in.
    assert inner_found == [
        "modules/net/inner/main.tf",
        "modules/net/inner/secret.tf",
        "modules/net/inner/x.generated.tf",
    ]
    assert git_verdict(inner) == ["main.tf", "secret.tf", "x.generated.tf"]


def test_a_linked_worktree_reads_the_common_exclude_file(repo: Path) -> None:
    worktree = repo.parent / "worktree"
    git(repo, "worktree", "add", "-q", str(worktree))
    assert (worktree / ".git").is_file()
    touch(worktree, "secret.tf", "build/out.tf", "ok.tf")
    items = found(list(discover([worktree])), worktree)
    assert items == git_verdict(worktree)
    assert "secret.tf" not in items and "ok.tf" in items


@pytest.mark.parametrize("version", ["2", "3", "4"])
def test_index_reader_agrees_with_git_ls_files(repo: Path, version: str) -> None:
    git(repo, "add", "-f", "modules", "env")
    git(repo, "add", "-N", "-f", "logs/main.tf")  # intent-to-add sets the extended flags
    git(repo, "update-index", "--index-version", version)
    listed = [p for p in git(repo, "ls-files").splitlines() if is_candidate(p.rpartition("/")[2])]
    assert len(listed) > 10
    assert sorted(_tracked_candidates(str(repo / ".git"), str(repo / ".git"))) == sorted(listed)
