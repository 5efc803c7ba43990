"""Real git repositories for the bot tests: a bare "GitHub" remote and the user's clone.

The remote is a bare repository reached over ``file://`` (or over HTTP through
``git http-backend`` on 127.0.0.1, see :class:`GitHttpServer`). The user's
clone is where ``run_pr`` runs; a second clone, ``upstream``, stands for other
people pushing to the default branch or to the bot's branch. Git identity and
configuration come from the environment the fixture sets, never from the
user's global config.
"""

from __future__ import annotations

import base64
import difflib
import os
import re
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fixer.bot import FixOutcome
from fixer.rules.base import Finding, Location, Severity

PARTIAL_BACKEND = re.compile(r'^(?P<indent>[ \t]*)backend "(?P<type>\w+)" \{\}[ \t]*$', re.M)

PROD_MAIN_TF = """terraform {
  required_version = ">= 1.5"

  backend "s3" {}
}

provider "aws" {
  region = "eu-west-1"
}
"""

DEV_MAIN_TF = """terraform {
  backend "s3" {}
}
"""


def git(cwd: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> str:
    """Run git in ``cwd`` for the test itself; raises with stderr on failure."""
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr}")
    return result.stdout.strip()


@dataclass
class Repos:
    """The remote, the user's clone and an ``upstream`` clone for "other people"."""

    root: Path
    bare: Path
    work: Path
    upstream: Path
    url: str

    def remote_sha(self, branch: str) -> str | None:
        result = subprocess.run(
            [
                "git",
                "--git-dir",
                str(self.bare),
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{branch}",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return result.stdout.strip() or None

    def remote_refs(self) -> str:
        return git(self.bare, "for-each-ref", "--format=%(refname) %(objectname)")

    def remote_show(self, rev: str, fmt: str = "%an <%ae>%n%B") -> str:
        return git(self.bare, "log", "-1", f"--format={fmt}", rev)

    def remote_file(self, rev: str, path: str) -> str:
        return git(self.bare, "show", f"{rev}:{path}")

    def push_to_base(self, files: dict[str, str], message: str, branch: str = "main") -> str:
        """Someone else commits ``files`` on ``branch`` (made from main if new); returns the commit."""
        git(self.upstream, "fetch", "--quiet", "origin")
        start = f"origin/{branch}" if self.remote_sha(branch) else "origin/main"
        git(self.upstream, "checkout", "--quiet", "-B", branch, start)
        return self._commit_and_push(files, message, branch)

    def human_commit_on(self, branch: str, files: dict[str, str], message: str) -> str:
        """A person commits on the bot's branch and pushes; returns the new commit."""
        git(self.upstream, "fetch", "--quiet", "origin")
        git(self.upstream, "checkout", "--quiet", "-B", branch, f"origin/{branch}")
        return self._commit_and_push(files, message, branch)

    def _commit_and_push(self, files: dict[str, str], message: str, branch: str) -> str:
        for name, text in files.items():
            path = self.upstream / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        git(self.upstream, "add", "--", *files)
        git(self.upstream, "commit", "--quiet", "-m", message)
        git(self.upstream, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        return git(self.upstream, "rev-parse", "HEAD")

    def work_state(self) -> tuple[str, str, str]:
        """(branch, HEAD commit, porcelain status) of the user's clone."""
        return (
            git(self.work, "symbolic-ref", "--short", "HEAD"),
            git(self.work, "rev-parse", "HEAD"),
            git(self.work, "status", "--porcelain=v1", "--untracked-files=all"),
        )

    def leftovers(self) -> tuple[str, str]:
        """Work trees and private refs left in the user's clone (both should be empty)."""
        worktrees = git(self.work, "worktree", "list", "--porcelain")
        extra = [
            line
            for line in worktrees.splitlines()
            if line.startswith("worktree ") and Path(line[9:]) != self.work
        ]
        refs = git(self.work, "for-each-ref", "--format=%(refname)", "refs/backend-fixer/")
        return "\n".join(extra), refs


def make_repos(root: Path) -> Repos:
    """Create the bare remote with a Terraform repository on ``main`` and two clones."""
    bare = root / "remote" / "acme" / "infra.git"
    bare.parent.mkdir(parents=True)
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    url = bare.as_uri()
    seed = root / "seed"
    git(root, "init", "--quiet", "--initial-branch=main", str(seed))
    (seed / "envs" / "prod").mkdir(parents=True)
    (seed / "envs" / "prod" / "main.tf").write_text(PROD_MAIN_TF, encoding="utf-8")
    (seed / "README.md").write_text("# infra\n", encoding="utf-8")
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "Initial infrastructure")
    git(seed, "push", "--quiet", bare.as_uri(), "main")
    work = root / "work"
    upstream = root / "upstream"
    git(root, "clone", "--quiet", url, str(work))
    git(root, "clone", "--quiet", url, str(upstream))
    return Repos(root=root, bare=bare, work=work, upstream=upstream, url=url)


# -- a fix to apply in tests ----------------------------------------------------------


def _repo_root(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if (candidate / ".git").exists():
            return candidate
    raise AssertionError(f"{path} is not in a checkout")


def comment_out_backends(target: Path) -> FixOutcome:
    """A stand-in for the real engine: comment out every ``backend "TYPE" {}`` under target.

    Returns what the real engine will: repository-relative changed files, a
    unified diff with ``a/`` ``b/`` labels, one finding per block, the init
    commands and the restore hint.
    """
    root = _repo_root(target)
    files = sorted(target.rglob("*.tf")) if target.is_dir() else [target]
    changed: list[str] = []
    diffs: list[str] = []
    findings: list[Finding] = []
    modules: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root).as_posix()
        for match in PARTIAL_BACKEND.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            findings.append(
                Finding(
                    code="BF001",
                    name="partial-backend",
                    severity=Severity.ERROR,
                    message=f'backend "{match["type"]}" has no settings, so '
                    "`terraform init -input=false` stops with Missing Required Value",
                    location=Location(rel, line, len(match["indent"]) + 1, line, len(match[0]) + 1),
                )
            )

        def replace(match: re.Match[str]) -> str:
            indent = match["indent"]
            return (
                f"{indent}# backend-fixer: partial backend commented out; restore with\n"
                f"{indent}# `backend-fixer restore` and pass -backend-config when you init.\n"
                f"{indent}# {match[0].strip()}"
            )

        new = PARTIAL_BACKEND.sub(replace, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(rel)
            module = Path(rel).parent.as_posix()
            modules.append(module)
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        text.splitlines(keepends=True),
                        new.splitlines(keepends=True),
                        f"a/{rel}",
                        f"b/{rel}",
                    )
                )
            )
    return FixOutcome(
        changed_files=tuple(changed),
        diff="".join(diffs),
        findings=tuple(findings),
        mode="comment",
        init_commands=tuple(f"terraform -chdir={m} init -input=false" for m in modules),
        restore_hint="backend-fixer restore " + " ".join(f"{m}/" for m in modules)
        if modules
        else "",
    )


# -- git over HTTP with token auth -------------------------------------------------------


class GitHttpServer:
    """``git http-backend`` behind Basic auth on 127.0.0.1, like a GitHub or GitLab remote.

    Accepts only ``<user>:<token>`` (GitHub's ``x-access-token``, GitLab's
    ``oauth2`` or ``gitlab-ci-token``: the forms the bot sends) and records each
    request's Authorization headers so tests can see what git sent.
    """

    def __init__(self, project_root: Path, token: str, user: str = "x-access-token") -> None:
        self.project_root = project_root
        self.expected = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()
        self.user = user
        self.auth_headers: list[list[str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                values = self.headers.get_all("Authorization") or []
                server.auth_headers.append(values)
                if len(values) != 1 or values[0].lower() != server.expected.lower():
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = self._body()
                path, _, query = self.path.partition("?")
                env = {
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "GIT_PROJECT_ROOT": str(server.project_root),
                    "GIT_HTTP_EXPORT_ALL": "1",
                    "REQUEST_METHOD": self.command,
                    "PATH_INFO": path,
                    "QUERY_STRING": query,
                    "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                    "CONTENT_LENGTH": str(len(body)),
                    "REMOTE_USER": server.user,
                    "REMOTE_ADDR": "127.0.0.1",
                    "GIT_CONFIG_NOSYSTEM": "1",
                    "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                    "HTTP_GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
                }
                result = subprocess.run(
                    ["git", "http-backend"],
                    input=body,
                    capture_output=True,
                    env=env,
                    timeout=60,
                    check=False,
                )
                head, _, payload = result.stdout.partition(b"\r\n\r\n")
                status = 200
                headers: list[tuple[str, str]] = []
                for line in head.decode("latin-1").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.strip().split()[0])
                    elif name:
                        headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url_for(self, bare: Path) -> str:
        return f"http://127.0.0.1:{self.port}/{bare.relative_to(self.project_root).as_posix()}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
