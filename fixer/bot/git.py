"""Git, run as the ``git`` program: every call visible, bounded in time, never prompting.

Each call gets ``GIT_TERMINAL_PROMPT=0``, hooks switched off and signing off, and
a timeout after which the whole process group is killed (a hung
``git-remote-https`` child would otherwise outlive its parent). Credentials for
an HTTPS remote travel as an ``http.<url>.extraheader`` set through
``GIT_CONFIG_*`` environment variables: never in argv (other users can read
``/proc/*/cmdline``), never in ``.git/config``, never in the remote URL.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fixer.bot.errors import GitError, secret_forms

# Set when git runs us from a hook; they would point every call at the wrong repository.
_REPO_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
)

# Options for every call: user hooks may prompt, run tests or push elsewhere, and
# commit signing may ask for a passphrase; the bot wants none of that.
_BASE_CONFIG = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "commit.gpgSign=false",
    "-c",
    "core.quotePath=false",
    "-c",
    "advice.detachedHead=false",
)


@dataclass(frozen=True, slots=True)
class GitResult:
    """The outcome of one git call."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True, slots=True)
class Author:
    """A commit identity parsed from ``Name <email>``."""

    name: str
    email: str

    @classmethod
    def parse(cls, text: str) -> Author | None:
        """Parse ``Name <email>``; None when the text is not in that form."""
        match = re.fullmatch(r"\s*([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>\s*", text)
        if not match or not match.group(1):
            return None
        return cls(match.group(1), match.group(2))

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def credential_config(
    remote_url: str,
    token: str,
    environ: Mapping[str, str] | None = None,
    *,
    user: str = "x-access-token",
) -> dict[str, str]:
    """Environment that makes git send ``token`` to the host of ``remote_url``.

    The header is Basic auth of ``user:token``: GitHub takes ``x-access-token``,
    GitLab ``oauth2`` for access tokens and ``gitlab-ci-token`` for the CI job
    token. ``environ`` is the environment the entries are added to (entries are
    numbered after its ``GIT_CONFIG_COUNT``). Returns ``{}`` for remotes that
    are not HTTP(S) (ssh and file remotes carry
    their own credentials) and for an empty token. The header is scoped to the
    remote's ``scheme://host/`` so git never sends it to another host; an empty
    value first resets any header for the same scope, such as the one
    ``actions/checkout`` persists, which would otherwise be sent twice.
    """
    parts = urlsplit(remote_url)
    if not token or parts.scheme not in ("http", "https") or not parts.hostname:
        return {}
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    key = f"http.{parts.scheme}://{host}/.extraheader"
    basic = base64.b64encode(f"{user}:{token}".encode()).decode()
    return _config_env(environ or {}, [(key, ""), (key, f"AUTHORIZATION: basic {basic}")])


def _config_env(environ: Mapping[str, str], pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    # GIT_CONFIG_COUNT entries behave like `-c` options; append after any the caller had.
    start = int(environ.get("GIT_CONFIG_COUNT", "0") or "0")
    env = {"GIT_CONFIG_COUNT": str(start + len(pairs))}
    for offset, (key, value) in enumerate(pairs):
        env[f"GIT_CONFIG_KEY_{start + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{start + offset}"] = value
    return env


class Git:
    """Runs git in one directory with a fixed environment.

    ``secrets`` are scrubbed from every error message. ``extra_env`` is added
    to each call (author identity, credentials); it is never logged.
    """

    def __init__(
        self,
        cwd: Path,
        *,
        timeout: float = 120.0,
        environ: Mapping[str, str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        secrets: Iterable[str] = (),
    ) -> None:
        self.cwd = cwd
        self.timeout = timeout
        base = dict(os.environ if environ is None else environ)
        for name in _REPO_ENV:
            base.pop(name, None)
        base.update(
            {
                "GIT_TERMINAL_PROMPT": "0",
                "GCM_INTERACTIVE": "never",
                "GIT_ASKPASS": "",
                "SSH_ASKPASS": "",
                # Paths the fix reports are file names, never globs or pathspec magic.
                "GIT_LITERAL_PATHSPECS": "1",
                # Messages are folded into BotError text; keep them in one language.
                "LC_ALL": "C",
                "LANGUAGE": "C",
            }
        )
        self._base_env = base
        self._extra_env = dict(extra_env or {})
        self.secrets = tuple(secrets)

    def derive(
        self,
        cwd: Path | None = None,
        *,
        extra_env: Mapping[str, str] | None = None,
        token: str = "",
    ) -> Git:
        """A Git for another directory and/or with more environment; same timeout."""
        merged = dict(self._extra_env)
        if extra_env:
            merged.update(extra_env)
        clone = Git(
            cwd or self.cwd,
            timeout=self.timeout,
            environ=self._base_env,
            extra_env=merged,
            secrets=(*self.secrets, *secret_forms(token)),
        )
        return clone

    def with_credentials(self, remote_url: str, token: str, user: str = "x-access-token") -> Git:
        """This Git, sending ``token`` to ``remote_url``'s host (see :func:`credential_config`)."""
        creds = credential_config(
            remote_url, token, {**self._base_env, **self._extra_env}, user=user
        )
        return self.derive(extra_env=creds, token=token)

    def run(
        self,
        *args: str,
        check: bool = True,
        timeout: float | None = None,
        input: str | None = None,
    ) -> GitResult:
        """Run ``git ARGS``; raise :class:`GitError` on timeout or, if ``check``, on failure.

        Output is decoded as UTF-8 with replacement, so odd bytes in paths or
        messages never raise here.
        """
        argv = ("git", *_BASE_CONFIG, *args)
        limit = self.timeout if timeout is None else timeout
        env = {**self._base_env, **self._extra_env}
        try:
            proc = subprocess.Popen(
                argv,
                cwd=self.cwd,
                env=env,
                stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed or not on PATH") from exc
        except NotADirectoryError as exc:
            raise GitError(f"not a directory: {self.cwd}") from exc
        try:
            out, err = proc.communicate(
                input.encode("utf-8") if input is not None else None, timeout=limit
            )
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise GitError(
                f"git {_describe(args)} timed out after {limit:g} s", secrets=self.secrets
            ) from exc
        result = GitResult(
            tuple(args),
            proc.returncode,
            out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"),
        )
        if check and result.returncode != 0:
            detail = result.stderr.strip() or result.stdout.strip() or f"exit {result.returncode}"
            raise GitError(f"git {_describe(args)} failed: {detail}", secrets=self.secrets)
        return result

    def out(self, *args: str, timeout: float | None = None) -> str:
        """Run and return stdout without the trailing newline."""
        return self.run(*args, timeout=timeout).stdout.rstrip("\n")

    def ok(self, *args: str) -> bool:
        """True when ``git ARGS`` exits 0 (failures are answers, not errors)."""
        return self.run(*args, check=False).returncode == 0

    # -- queries ---------------------------------------------------------------

    def toplevel(self) -> Path:
        """The work tree root containing ``cwd``; GitError outside a repository."""
        return Path(self.out("rev-parse", "--show-toplevel"))

    def current_branch(self) -> str | None:
        """The checked-out branch, or None when HEAD is detached."""
        result = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def head_commit(self) -> str | None:
        """HEAD's commit, or None in a repository without commits."""
        result = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def resolve(self, ref: str) -> str | None:
        """The commit ``ref`` names, or None when it names none."""
        result = self.run("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def remote_url(self, remote: str) -> str:
        """The push URL of ``remote``; a remote given as a URL or path is returned as is."""
        result = self.run("remote", "get-url", "--push", remote, check=False)
        if result.returncode == 0:
            return result.stdout.strip()
        if "://" in remote or remote.startswith(("/", ".")) or "@" in remote:
            return remote
        raise GitError(f"no remote named {remote!r} in this repository", secrets=self.secrets)

    def valid_branch_name(self, name: str) -> bool:
        """True when ``name`` is a valid branch name for git."""
        return self.ok("check-ref-format", "--branch", name)

    # -- remotes ---------------------------------------------------------------

    def ls_remote(self, remote: str, refs: Sequence[str]) -> dict[str, str]:
        """Map each of ``refs`` (full names) that exists on ``remote`` to its commit."""
        output = self.out("ls-remote", "--refs", remote, *refs)
        found: dict[str, str] = {}
        for line in output.splitlines():
            sha, _, name = line.partition("\t")
            if name in refs:
                found[name] = sha
        return found

    def fetch(self, remote: str, refspecs: Sequence[str]) -> None:
        """Fetch ``refspecs`` (no tags, no FETCH_HEAD noise beyond git's own)."""
        self.run("fetch", "--quiet", "--no-tags", "--no-recurse-submodules", remote, *refspecs)

    def push(self, remote: str, commit: str, branch: str, *, expect: str | None) -> None:
        """Set ``refs/heads/<branch>`` on ``remote`` to ``commit``, guarded by a lease.

        ``expect`` is the commit the remote branch must still hold (None: the
        branch must not exist). The lease turns a force-push into a
        compare-and-swap, so a commit a person pushed after we looked is never
        overwritten: git refuses and this raises GitError.
        """
        ref = f"refs/heads/{branch}"
        lease = f"--force-with-lease={ref}:{expect or ''}"
        result = self.run(
            "push", "--porcelain", "--no-verify", lease, remote, f"{commit}:{ref}", check=False
        )
        if result.returncode == 0:
            return
        # --porcelain puts the per-ref verdict on stdout: "!\t<src>:<dst>\t[rejected] (stale info)".
        verdicts = [
            line.split("\t")[-1] for line in result.stdout.splitlines() if line.startswith("!")
        ]
        if verdicts:
            why = "; ".join(verdicts)
            if "stale info" in why:
                why += " - the branch changed on the remote while backend-fixer worked; run again"
            raise GitError(f"git push to {remote} refused {ref}: {why}", secrets=self.secrets)
        detail = result.stderr.strip() or f"exit {result.returncode}"
        raise GitError(f"git push to {remote} failed: {detail}", secrets=self.secrets)

    # -- work trees ------------------------------------------------------------

    def worktree_add(self, path: Path, commit: str) -> None:
        """Check ``commit`` out, detached, in a new work tree at ``path``."""
        self.run("worktree", "add", "--detach", "--quiet", str(path), commit)

    def worktree_remove(self, path: Path) -> None:
        """Remove the work tree at ``path`` and its bookkeeping; never raises."""
        self.run("worktree", "remove", "--force", str(path), check=False)
        self.run("worktree", "prune", check=False)

    def delete_ref(self, ref: str) -> None:
        """Delete ``ref`` if it exists; never raises."""
        self.run("update-ref", "-d", ref, check=False)

    # -- history ---------------------------------------------------------------

    def commits_with_trailer(self, revision_range: str, trailer: str) -> list[tuple[str, str, str]]:
        """``(sha, author name, trailer value)`` for each commit in ``revision_range``.

        The trailer value is ``""`` for commits without the trailer. Newest first.
        """
        fmt = f"%H%x1f%an%x1f%(trailers:key={trailer},valueonly,separator=%x2C)%x1e"
        output = self.run("log", f"--format={fmt}", revision_range).stdout
        commits = []
        for record in output.split("\x1e"):
            record = record.strip("\n")
            if not record:
                continue
            sha, name, value = [*record.split("\x1f"), "", ""][:3]
            commits.append((sha, name, value.strip()))
        return commits


def _describe(args: Sequence[str]) -> str:
    # The subcommand and its plain arguments; long lists are cut for one-line messages.
    words = [a for a in args if not a.startswith("--force-with-lease")]
    text = " ".join(words[:4])
    return text + (" ..." if len(words) > 4 else "")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


__all__ = ["Author", "Git", "GitResult", "credential_config"]
