"""Finding the Terraform files under the paths a user names.

:func:`discover` walks directories in sorted order and streams the candidate
files it finds, honouring ``.gitignore`` files, ``.git/info/exclude`` and the
index (a tracked file is never ignored) when the walk is inside a git work tree,
the way ``git status`` would, without running git. Directories it cannot read
and symlinks with a Terraform file's name that loop or dangle come out as
:class:`FileProblem` values and the walk goes on; other symlink loops are
nobody's Terraform files and are passed over.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from fixer.runner.files import FileProblem

if TYPE_CHECKING:
    import pathspec

# Directories that never hold configuration of the module being fixed: provider
# and module caches, Terragrunt's copies of modules, and git's own data.
SKIP_DIRS = frozenset({".git", ".terraform", ".terragrunt-cache"})

_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json", ".tfbackend")


def is_candidate(name: str) -> bool:
    """Whether a file name is one backend-fixer reads when it walks a directory.

    Configuration files (``.tf``, ``.tf.json``, ``.tofu``, ``.tofu.json``) and
    backend config files (``*.tfbackend``, ``backend*.hcl``, ``*.backend.hcl``).
    Names Terraform itself ignores (a leading ``.``, a trailing ``~``, Emacs'
    ``#name#``) are not candidates; nor are our own temporary files.
    """
    if name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#")):
        return False
    if name.endswith(_SUFFIXES):
        return True
    return name.endswith(".hcl") and (name.startswith("backend") or name.endswith(".backend.hcl"))


@dataclass(frozen=True)
class Exclusion:
    """Patterns of paths not to walk (the config file's ``exclude``), gitignore-style.

    ``base`` is the absolute directory they are relative to: the config file's,
    or the current directory for ``--exclude`` on the command line.
    """

    base: str
    patterns: tuple[str, ...]

    @property
    def spec(self) -> pathspec.GitIgnoreSpec:
        return _compiled(self.patterns)

    def excludes(self, path: str, is_dir: bool = False) -> bool:
        """Whether ``path`` (absolute, or relative to the current directory) is excluded.

        Paths outside ``base`` never are.
        """
        relative = os.path.relpath(os.path.abspath(path), self.base)
        if relative in (".", "..") or relative.startswith(".." + os.sep):
            return False
        relative = relative.replace(os.sep, "/")
        return bool(self.spec.match_file(relative + "/" if is_dir else relative))


@functools.cache
def _compiled(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    # Compiled once per process: per-file ignores ask for every file of every module.
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _excluded(path: str, is_dir: bool, exclusions: tuple[Exclusion, ...]) -> bool:
    return any(e.excludes(path, is_dir) for e in exclusions)


@dataclass(frozen=True)
class DiscoveredFile:
    """A file to read: ``explicit`` when the user named it rather than a directory above it."""

    path: Path
    explicit: bool = False


# -- git: repository, ignore files, index ----------------------------------------------


class _Repo:
    """A git work tree: its info/exclude rules, and its index read on first need.

    The index matters only when a rule ignores a candidate (a tracked file is
    never ignored), which in most Terraform repositories never happens; so it
    is not read, nor its paths held, until then.
    """

    def __init__(
        self, git_dir: str | None, common: str, exclude: pathspec.GitIgnoreSpec | None
    ) -> None:
        self.git_dir = git_dir
        self.common = common
        self.exclude = exclude

    @cached_property
    def _index(self) -> tuple[frozenset[str], frozenset[str]]:
        if self.git_dir is None:
            return frozenset(), frozenset()
        tracked = frozenset(_tracked_candidates(self.git_dir, self.common))
        # Every directory above a tracked candidate, so an ignored directory
        # that still holds tracked files is walked.
        dirs = {
            name.rsplit("/", depth)[0]
            for name in tracked
            for depth in range(1, name.count("/") + 1)
        }
        return tracked, frozenset(dirs)

    def is_tracked(self, rel: str) -> bool:
        return rel in self._index[0]

    def holds_tracked(self, rel_dir: str) -> bool:
        return rel_dir in self._index[1]


_Rules = tuple[tuple[str, "pathspec.GitIgnoreSpec"], ...]


def _read_spec(path: str) -> pathspec.GitIgnoreSpec | None:
    """Parse an ignore file; None when it is missing or empty. Raises OSError otherwise."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # git skips a BOM too
    # Git splits ignore files at LF only (a trailing CR is stripped by pathspec).
    lines = data.decode("utf-8", errors="surrogateescape").split("\n")
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    # Imported here: only walks inside a git work tree with ignore files pay for it.
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _git_dir(work_tree: str) -> str | None:
    """The git directory of a work tree: ``.git`` itself, or where a ``.git`` file points."""
    dot_git = os.path.join(work_tree, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    return os.path.normpath(os.path.join(work_tree, first[len("gitdir:") :].strip()))


def find_work_tree(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` that holds a ``.git`` entry."""
    current = directory
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def git_ignores(path: str | os.PathLike[str]) -> bool | None:
    """Would git ignore ``path`` (a file, existing or not)? None outside a git work tree.

    Applies ``.git/info/exclude`` and the ``.gitignore`` files from the work
    tree's root down to the file's directory, as the walk does; the index is not
    consulted, so this answers for a file about to be created. Unreadable
    ignore files count as empty.
    """
    absolute = os.path.abspath(path)
    directory = os.path.dirname(absolute)
    root = find_work_tree(directory)
    if root is None:
        return None
    specs: list[tuple[str, str]] = []
    git_dir = _git_dir(root)
    if git_dir is not None:
        specs.append(("", os.path.join(git_dir, "info", "exclude")))
    relative_dir = os.path.relpath(directory, root)
    parts = [] if relative_dir == "." else relative_dir.split(os.sep)
    for depth in range(len(parts) + 1):
        base = "/".join(parts[:depth])
        specs.append((base, os.path.join(root, *parts[:depth], ".gitignore")))
    rules = []
    for base, ignore_file in specs:
        try:
            spec = _read_spec(ignore_file)
        except OSError:
            continue
        if spec is not None:
            rules.append((base, spec))
    return _ignored(os.path.relpath(absolute, root).replace(os.sep, "/"), False, tuple(rules))


def _open_repo(root: str) -> _Repo:
    git_dir = _git_dir(root)
    if git_dir is None:
        return _Repo(None, "", None)
    common = git_dir
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            common = os.path.normpath(os.path.join(git_dir, handle.read().strip()))
    except OSError:
        pass  # not a linked worktree
    try:
        exclude = _read_spec(os.path.join(common, "info", "exclude"))
    except OSError:
        exclude = None
    return _Repo(git_dir, common, exclude)


_OBJECT_FORMAT = re.compile(rb"^\s*objectformat\s*=\s*sha256\s*$", re.IGNORECASE | re.MULTILINE)


def _tracked_candidates(git_dir: str, common: str) -> Iterator[str]:
    """Candidate file paths recorded in the index; nothing if it is missing or unreadable.

    Reads index versions 2 to 4 (format in git's ``gitformat-index``). A split
    index's shared part is not read; such files then count as untracked.
    """
    try:
        with open(os.path.join(git_dir, "index"), "rb") as handle:
            data = handle.read()
    except OSError:
        return
    hash_size = 20
    try:
        with open(os.path.join(common, "config"), "rb") as handle:
            if _OBJECT_FORMAT.search(handle.read()):
                hash_size = 32
    except OSError:
        pass
    try:
        yield from _index_paths(data, hash_size)
    except (struct.error, IndexError, ValueError):
        return  # a truncated or unknown index: fall back to the ignore rules alone


def _index_paths(data: bytes, hash_size: int) -> Iterator[str]:
    signature, version, count = struct.unpack_from(">4sLL", data, 0)
    if signature != b"DIRC" or version not in (2, 3, 4):
        return
    offset = 12
    previous = b""
    fixed = 40 + hash_size  # ten 32-bit stat fields, then the object name
    for _ in range(count):
        start = offset
        mode = struct.unpack_from(">L", data, start + 24)[0]
        flags = struct.unpack_from(">H", data, start + fixed)[0]
        offset = start + fixed + 2
        if version >= 3 and flags & 0x4000:
            offset += 2  # extended flags
        if version == 4:
            # Prefix compression: drop N bytes from the previous name, then a NUL-terminated suffix.
            byte = data[offset]
            offset += 1
            strip = byte & 0x7F
            while byte & 0x80:
                byte = data[offset]
                offset += 1
                strip = ((strip + 1) << 7) | (byte & 0x7F)
            end = data.index(b"\x00", offset)
            name = previous[: len(previous) - strip] + data[offset:end]
            offset = end + 1
        else:
            end = data.index(b"\x00", offset)
            name = data[offset:end]
            # Entries are NUL-padded to a multiple of eight bytes.
            offset = start + ((end - start + 8) & ~7)
        previous = name
        # Sparse-index directory entries (mode 040000) are not files.
        if stat.S_IFMT(mode) == stat.S_IFDIR:
            continue
        text = os.fsdecode(name)
        if is_candidate(text.rpartition("/")[2]):
            yield text


def _ignored(rel: str, is_dir: bool, rules: _Rules) -> bool:
    """git's verdict from the ignore rules: the deepest file with a matching pattern decides."""
    for base, spec in reversed(rules):
        sub = rel[len(base) + 1 :] if base else rel
        result = spec.check_file(sub + "/" if is_dir else sub)
        if result.include is not None:
            return bool(result.include)
    return False


# -- the walk ---------------------------------------------------------------------------


@dataclass
class _Frame:
    path: str
    rel: str  # relative to the repository root, "/"-separated; "" at the root
    repo: _Repo | None
    rules: _Rules
    # Inside a directory git ignores, walked only because it holds tracked files.
    ignored: bool
    identity: tuple[int, int]
    entries: Iterator[os.DirEntry[str]] = field(default_factory=lambda: iter(()))


@dataclass
class _Walk:
    honour_gitignore: bool
    exclusions: tuple[Exclusion, ...]
    real_roots: tuple[str, ...]
    explicit_ids: set[tuple[int, int]]
    accept: Callable[[str, str], bool]
    visited: set[tuple[int, int]] = field(default_factory=set)


def _candidate(name: str, path: str) -> bool:
    return is_candidate(name)


def discover(
    paths: Iterable[str | os.PathLike[str]],
    *,
    honour_gitignore: bool = True,
    accept: Callable[[str, str], bool] | None = None,
    exclude: Iterable[Exclusion] = (),
    force_exclude: bool = False,
) -> Iterator[DiscoveredFile | FileProblem]:
    """Stream the files to check under ``paths``, in a stable order, with problems in line.

    A named file is always yielded (``explicit=True``), whatever its name and
    even if git ignores it; reading it is where a directory or FIFO is refused.
    A named directory is walked depth-first in name order; within it only
    candidate names (:func:`is_candidate`, or ``accept(name, path)`` when
    given) are yielded, and ``.git``,
    ``.terraform`` and ``.terragrunt-cache`` are never entered. Inside a git
    work tree (a ``.git`` directory or file at or above the path) ignored files
    and directories are left out unless tracked; nested repositories use their
    own rules. A named directory that git ignores is still walked, with only the
    ignore files inside it. Symlinked directories are followed unless they lead
    back to a directory above them or into a directory already walked or to be
    walked (skipped quietly: every file there comes once anyway). Files and
    directories that ``exclude`` names are not walked; a file named on the
    command line is yielded anyway, unless ``force_exclude`` (as ruff's
    ``--force-exclude``, for pre-commit hooks, which name files). Problems (a
    missing path, an unreadable directory or ``.gitignore``, a looping or
    broken symlink with a candidate name) are yielded as :class:`FileProblem`
    and the walk goes on; a symlink loop under another name is skipped, as
    it cannot be a file Terraform reads. Memory holds the
    current directory stack and the identities of walked directories, not the
    files.
    """
    named = [os.fspath(path) for path in paths]
    kinds: list[tuple[str, os.stat_result | None]] = []
    explicit_ids: set[tuple[int, int]] = set()
    real_roots: list[str] = []
    for name in named:
        try:
            info = os.stat(name)
        except OSError:
            kinds.append((name, None))
            continue
        kinds.append((name, info))
        if stat.S_ISDIR(info.st_mode):
            real_roots.append(os.path.realpath(name))
        else:
            explicit_ids.add((info.st_dev, info.st_ino))
    exclusions = tuple(exclude)
    walk = _Walk(
        honour_gitignore, exclusions, tuple(real_roots), explicit_ids, accept or _candidate
    )
    yielded_explicit: set[tuple[int, int]] = set()
    for name, info in kinds:
        if info is None:
            yield _stat_problem(name)
        elif stat.S_ISDIR(info.st_mode):
            yield from _walk_tree(name, info, walk)
        elif force_exclude and _excluded(name, False, exclusions):
            continue
        elif (info.st_dev, info.st_ino) not in yielded_explicit:
            yielded_explicit.add((info.st_dev, info.st_ino))
            yield DiscoveredFile(Path(name), explicit=True)


def _stat_problem(name: str) -> FileProblem:
    try:
        os.stat(name)
    except FileNotFoundError:
        if os.path.islink(name):
            return FileProblem(Path(name), "broken symlink (its target does not exist)", "missing")
        return FileProblem(Path(name), "no such file or directory", "missing")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return FileProblem(Path(name), "symlink loop, skipped", "symlink-loop")
        return FileProblem(Path(name), f"cannot read: {error.strerror}")
    return FileProblem(Path(name), "vanished while being read", "missing")  # pragma: no cover


def _top_frame(top: str, info: os.stat_result, walk: _Walk) -> _Frame:
    identity = (info.st_dev, info.st_ino)
    if not walk.honour_gitignore:
        return _Frame(top, "", None, (), False, identity)
    absolute = os.path.abspath(top)
    root = find_work_tree(absolute)
    if root is None:
        return _Frame(top, "", None, (), False, identity)
    repo = _open_repo(root)
    rel = os.path.relpath(absolute, root).replace(os.sep, "/")
    if rel == ".":
        rel = ""
    rules: _Rules = (("", repo.exclude),) if repo.exclude is not None else ()
    # Gather the ignore files above the named directory, stopping if git
    # ignores the directory itself: then it was named on purpose and is walked
    # with only the rules inside it.
    parts = rel.split("/") if rel else []
    for depth in range(len(parts)):
        base = "/".join(parts[:depth])
        try:
            spec = _read_spec(os.path.join(root, base, ".gitignore"))
        except OSError:
            spec = None
        if spec is not None:
            rules = (*rules, (base, spec))
        if _ignored("/".join(parts[: depth + 1]), True, rules):
            rules = ()
            break
    return _Frame(top, rel, repo, rules, False, identity)


def _walk_tree(
    top: str, info: os.stat_result, walk: _Walk
) -> Iterator[DiscoveredFile | FileProblem]:
    first = _top_frame(top, info, walk)
    if first.identity in walk.visited:
        return  # named twice, or inside a directory named before
    stack: list[_Frame] = []
    on_stack: set[tuple[int, int]] = set()
    listed, problem = _enter(first, walk)
    if problem is not None:
        yield problem
    if not listed:
        return
    stack.append(first)
    on_stack.add(first.identity)
    while stack:
        frame = stack[-1]
        entry = next(frame.entries, None)
        if entry is None:
            stack.pop()
            on_stack.discard(frame.identity)
            continue
        result = _visit(frame, entry, walk, on_stack)
        if isinstance(result, _Frame):
            listed, problem = _enter(result, walk)
            if problem is not None:
                yield problem
            if listed:
                stack.append(result)
                on_stack.add(result.identity)
        elif result is not None:
            yield result


def _enter(frame: _Frame, walk: _Walk) -> tuple[bool, FileProblem | None]:
    """List a directory and load its ``.gitignore``: whether it was listed, and any problem.

    An unreadable ``.gitignore`` is a problem but the directory is still walked.
    """
    walk.visited.add(frame.identity)
    try:
        with os.scandir(frame.path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        return False, FileProblem(
            Path(frame.path), f"cannot read directory: {error.strerror}, skipped"
        )
    problem = None
    if frame.repo is not None and any(entry.name == ".gitignore" for entry in entries):
        try:
            spec = _read_spec(os.path.join(frame.path, ".gitignore"))
        except OSError as error:
            spec = None
            problem = FileProblem(
                Path(frame.path, ".gitignore"),
                f"cannot read: {error.strerror}; its rules are not applied",
            )
        if spec is not None:
            frame.rules = (*frame.rules, (frame.rel, spec))
    frame.entries = iter(entries)
    return True, problem


def _visit(
    frame: _Frame, entry: os.DirEntry[str], walk: _Walk, on_stack: set[tuple[int, int]]
) -> _Frame | DiscoveredFile | FileProblem | None:
    """Decide about one directory entry: descend, yield, report or skip."""
    name = entry.name
    if name in SKIP_DIRS:
        return None
    path = entry.path
    rel = f"{frame.rel}/{name}" if frame.rel else name
    linked = entry.is_symlink()
    info: os.stat_result | None = None
    try:
        if linked:
            # Following the link here is where a loop or a dangling target shows.
            info = entry.stat(follow_symlinks=True)
            is_dir = stat.S_ISDIR(info.st_mode)
        else:
            # The directory listing already knows the type: no stat per file.
            is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and info is None:
            info = entry.stat(follow_symlinks=False)
    except OSError as error:
        if not linked:
            return FileProblem(Path(path), f"cannot read: {error.strerror}")
        if not is_candidate(name):
            # A loop or a dangling link named like no Terraform file: nothing to check there.
            return None
        if error.errno == errno.ELOOP:
            return FileProblem(Path(path), "symlink loop, skipped", "symlink-loop")
        return FileProblem(Path(path), "broken symlink (its target does not exist)", "missing")
    if is_dir:
        assert info is not None
        if walk.exclusions and _excluded(path, True, walk.exclusions):
            return None
        return _visit_directory(frame, path, rel, name, info, linked, walk, on_stack)
    if not walk.accept(name, path):
        return None
    if walk.exclusions and _excluded(path, False, walk.exclusions):
        return None
    if (
        frame.repo is not None
        and (frame.ignored or _ignored(rel, False, frame.rules))
        and not frame.repo.is_tracked(rel)
    ):
        return None
    if walk.explicit_ids and not linked and _named_too(entry, walk.explicit_ids):
        return None  # named on the command line too, and yielded there
    return DiscoveredFile(Path(path))


def _visit_directory(
    frame: _Frame,
    path: str,
    rel: str,
    name: str,
    info: os.stat_result,
    linked: bool,
    walk: _Walk,
    on_stack: set[tuple[int, int]],
) -> _Frame | FileProblem | None:
    identity = (info.st_dev, info.st_ino)
    if identity in on_stack or identity in walk.visited:
        # A link back to a directory above (a loop) or one walked already: its files
        # come once, from where they are.
        return None
    if linked:
        real = os.path.realpath(path)
        if any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep)
            for root in walk.real_roots
        ):
            return None  # walked under its own name
    repo, rules, ignored = frame.repo, frame.rules, frame.ignored
    if repo is not None:
        ignored = ignored or _ignored(rel, True, rules)
        if ignored and not repo.holds_tracked(rel):
            return None
        if os.path.lexists(os.path.join(path, ".git")):
            # A nested repository or submodule answers to its own ignore rules.
            repo = _open_repo(os.path.abspath(path))
            rules = (("", repo.exclude),) if repo.exclude is not None else ()
            return _Frame(path, "", repo, rules, False, identity)
    return _Frame(path, rel, repo, rules, ignored, identity)


def _named_too(entry: os.DirEntry[str], explicit_ids: set[tuple[int, int]]) -> bool:
    """Whether a walked file is one also named on the command line; stats only on an inode match."""
    inode = entry.inode()
    if not any(inode == known for _, known in explicit_ids):
        return False
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return (info.st_dev, info.st_ino) in explicit_ids
