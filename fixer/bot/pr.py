"""``run_pr``: apply the fix on a fresh checkout of the base branch and propose it.

The work happens in a temporary ``git worktree`` of the base branch, so the
user's checkout (its branch, index and uncommitted edits) is never touched, even
when a step fails. The bot owns one branch per mode; it pushes only with a lease
and only while that branch holds nothing but its own commits (recognised by the
``Backend-Fixer-Change`` trailer), keeps one pull request (on GitLab, merge
request) per branch up to date, backs off with a comment when a person has
committed to the branch, and does not reopen a change that was declined. The
logic is written once, against :class:`~fixer.bot.hosting.Hosting`; the host
modules hold only the API calls and the CI detection.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from fixer import __version__
from fixer.bot.body import (
    TRAILER_CHANGE,
    parse_marker,
    render_body,
    render_commit_message,
    render_taken_over_comment,
    render_title,
)
from fixer.bot.errors import ApiError, BotError, ConfigError, FixFailedError, GitError, secret_forms
from fixer.bot.git import Author, Git
from fixer.bot.hosting import (
    ChangeRequest,
    Credentials,
    Hosting,
    Provider,
    RequestState,
    Terms,
    select,
)
from fixer.bot.types import (
    DEFAULT_AUTHOR,
    MODES,
    ApplyFix,
    FixOutcome,
    PrOptions,
    PrResult,
    PrStatus,
)
from fixer.rules.base import Finding


@dataclass(frozen=True, slots=True)
class _Change:
    """A fix applied and staged in the scratch checkout."""

    outcome: FixOutcome
    change_hash: str
    diff: str
    title: str
    body: str
    commit_message: str


@dataclass(frozen=True, slots=True)
class _Context:
    """What every step needs: the options, the user's repository, branch, author, token."""

    options: PrOptions
    git: Git  # the user's repository (root)
    relative: PurePosixPath  # options.path relative to the repository root
    branch: str
    author: Author
    credentials: Credentials
    host: Provider
    labels: tuple[str, ...]

    @property
    def token(self) -> str:
        return self.credentials.token

    @property
    def terms(self) -> Terms:
        return self.host.terms


def run_pr(options: PrOptions, apply_fix: ApplyFix) -> PrResult:
    """Apply the fix to the base branch and open or update the pull (merge) request for it.

    The host is ``options.host``, else the one whose CI the environment is
    (see :func:`fixer.bot.hosting.detect`). Returns a :class:`PrResult` for every
    outcome that is not a failure: nothing to change, a dry run, a request
    opened, updated or already up to date, a declined change left closed, or a
    branch left to the person who committed to it. Raises :class:`BotError` (one
    line, token scrubbed) when the repository, token or options are unusable,
    git fails or times out, the API refuses a call, or ``apply_fix`` raises. A
    dry run sends no request and pushes nothing; neither kind of run changes the
    user's checkout.
    """
    environ = dict(os.environ if options.environ is None else options.environ)
    context = _context(options, environ)
    try:
        if options.dry_run:
            return _dry_run(context, apply_fix)
        api = context.host.connect(options, environ, context.credentials)
        try:
            return _live_run(context, api, apply_fix)
        finally:
            api.close()
    except OSError as exc:
        # Temporary directories, a vanished checkout: report, do not trace back.
        raise BotError(
            f"backend-fixer pr failed: {exc}", secrets=secret_forms(context.token)
        ) from exc


# -- setup ---------------------------------------------------------------------------


def _context(options: PrOptions, environ: Mapping[str, str]) -> _Context:
    host = select(options.host, environ)
    if options.mode not in MODES:
        raise ConfigError(f"unknown mode {options.mode!r}: use one of {', '.join(MODES)}")
    author = Author.parse(options.author or DEFAULT_AUTHOR)
    if author is None:
        raise ConfigError(f'--author must look like "Name <email>", got {options.author!r}')
    labels = host.default_labels if options.labels is None else tuple(options.labels)
    if labels and not host.supports_labels:
        raise ConfigError(f"{host.title} {host.terms.request}s get no labels from backend-fixer")
    if any(not label.strip() or "," in label for label in labels):
        raise ConfigError(f"labels must be non-empty and without commas, got {list(labels)!r}")
    credentials = Credentials()
    if not options.dry_run:
        credentials = host.credentials(options.token_env, environ)
    token = credentials.token
    path = Path(options.path)
    if not path.exists():
        raise ConfigError(f"path does not exist: {path}")
    start = path if path.is_dir() else path.parent
    secrets = secret_forms(token)
    probe = Git(start, timeout=options.git_timeout, environ=environ, secrets=secrets)
    try:
        root = probe.toplevel()
    except GitError as exc:
        raise ConfigError(f"not inside a git repository: {path}", secrets=secrets) from exc
    git = probe.derive(root)
    try:
        relative = PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError as exc:
        raise ConfigError(f"{path} is not inside the repository at {root}") from exc
    branch = options.branch or f"backend-fixer/{options.mode}"
    if not git.valid_branch_name(branch):
        raise ConfigError(f"not a valid branch name: {branch!r}")
    if git.head_commit() is None:
        raise ConfigError("the repository has no commits yet")
    return _Context(options, git, relative, branch, author, credentials, host, labels)


# -- the two kinds of run ------------------------------------------------------------------


def _dry_run(ctx: _Context, apply_fix: ApplyFix) -> PrResult:
    base, base_sha = _local_base(ctx)
    with _scratch_checkout(ctx.git, base_sha) as checkout:
        change = _apply(ctx, checkout, apply_fix, base)
    if change is None:
        return PrResult(
            status=PrStatus.NOTHING_TO_CHANGE,
            message=f"Nothing to change: the fix finds nothing to do on {base}.",
            branch=ctx.branch,
            base=base,
            host=ctx.host.name,
        )
    return PrResult(
        status=PrStatus.DRY_RUN,
        message=(
            f"Dry run: would commit to {ctx.branch} (from {base}) and open or update its "
            f"{ctx.terms.request}; nothing was pushed and no request was sent."
        ),
        host=ctx.host.name,
        branch=ctx.branch,
        base=base,
        change_hash=change.change_hash,
        commit_message=change.commit_message,
        title=change.title,
        body=change.body,
        diff=change.diff,
        outcome=change.outcome,
    )


def _live_run(ctx: _Context, api: Hosting, apply_fix: ApplyFix) -> PrResult:
    remote = ctx.options.remote
    net = ctx.git.with_credentials(
        ctx.git.remote_url(remote), ctx.token, user=ctx.credentials.git_user
    )
    base = ctx.options.base or api.default_branch()
    base_ref, head_ref = f"refs/heads/{base}", f"refs/heads/{ctx.branch}"
    found = net.ls_remote(remote, [base_ref, head_ref])
    if base_ref not in found:
        raise ConfigError(f"the base branch {base!r} does not exist on {remote}")
    # Private refs keep what we fetched apart from the user's refs; removed at the end.
    scratch = f"refs/backend-fixer/{uuid.uuid4().hex}"
    refspecs = [f"+{base_ref}:{scratch}/base"]
    if head_ref in found:
        refspecs.append(f"+{head_ref}:{scratch}/head")
    try:
        net.fetch(remote, refspecs)
        base_sha = ctx.git.resolve(f"{scratch}/base")
        head_sha = ctx.git.resolve(f"{scratch}/head") if head_ref in found else None
        if base_sha is None:
            raise GitError(f"could not fetch {base} from {remote}")
        with _scratch_checkout(ctx.git, base_sha) as checkout:
            change = _apply(ctx, checkout, apply_fix, base)
            if change is None:
                return _nothing_to_change(ctx, api, base)
            return _propose(ctx, api, net, checkout, change, base, base_sha, head_sha)
    finally:
        ctx.git.delete_ref(f"{scratch}/base")
        ctx.git.delete_ref(f"{scratch}/head")


def _nothing_to_change(ctx: _Context, api: Hosting, base: str) -> PrResult:
    """Say so; point at a bot request that is still open, but leave it to people."""
    open_pr = _open_request(api.requests_for_branch(ctx.branch))
    message = f"Nothing to change: the fix finds nothing to do on {base}."
    if open_pr is not None:
        message += (
            f" {_named(ctx.terms, open_pr)} from {ctx.branch} is still open; close it if "
            f"it is no longer needed: {open_pr.url}"
        )
    return PrResult(
        status=PrStatus.NOTHING_TO_CHANGE,
        message=message,
        branch=ctx.branch,
        base=base,
        pr_number=open_pr.number if open_pr else None,
        pr_url=open_pr.url if open_pr else None,
        host=ctx.host.name,
    )


def _open_request(requests: list[ChangeRequest]) -> ChangeRequest | None:
    return next((r for r in requests if r.state is RequestState.OPEN), None)


def _named(terms: Terms, request: ChangeRequest) -> str:
    """``Pull request #3`` or ``Merge request !3``, to start a sentence."""
    return f"{terms.request[0].upper()}{terms.request[1:]} {terms.ref(request.number)}"


def _propose(
    ctx: _Context,
    api: Hosting,
    net: Git,
    checkout: Git,
    change: _Change,
    base: str,
    base_sha: str,
    head_sha: str | None,
) -> PrResult:
    """Decide between push, update, comment and nothing, and do it."""
    branch = ctx.branch
    result = _Partial(ctx, change, base)

    # Whose commits are on the remote branch? Only the bot's may be overwritten.
    foreign: list[tuple[str, str]] = []
    branch_hash: str | None = None
    if head_sha is not None:
        commits = ctx.git.commits_with_trailer(f"{base_sha}..{head_sha}", TRAILER_CHANGE)
        foreign = [(sha, name) for sha, name, value in commits if not value]
        if commits and not foreign:
            branch_hash = commits[0][2]  # newest first: the tip says what the branch holds

    terms = ctx.terms
    pulls = api.requests_for_branch(branch)
    open_pr = _open_request(pulls)

    if foreign:
        shas = ", ".join(sha[:7] for sha, _ in foreign[:5])
        if open_pr is None:
            return result.done(
                PrStatus.TAKEN_OVER,
                f"{branch} has commits backend-fixer did not make ({shas}); "
                f"left the branch alone (no open {terms.request} to comment on).",
            )
        comment = render_taken_over_comment(
            branch=branch,
            base=base,
            foreign=foreign,
            diff=change.diff,
            change_hash=change.change_hash,
        )
        commented = _comment_once(api, open_pr, comment, change.change_hash)
        return result.done(
            PrStatus.TAKEN_OVER,
            f"{branch} has commits backend-fixer did not make ({shas}); left the branch alone"
            + (
                f" and commented on {terms.ref(open_pr.number)}"
                if commented
                else f" (already said so on {terms.ref(open_pr.number)})"
            )
            + f": {open_pr.url}",
            pr=open_pr,
            commented=commented,
        )

    if open_pr is None:
        declined = next(
            (
                pr
                for pr in pulls
                if pr.state is RequestState.CLOSED
                and (marker := parse_marker(pr.body)) is not None
                and marker.change == change.change_hash
            ),
            None,
        )
        if declined is not None:
            return result.done(
                PrStatus.CLOSED_UNMERGED,
                f"{_named(terms, declined)} with this same change was closed without "
                f"merging; not opening it again until the change differs: {declined.url}",
                pr=declined,
            )

    pushed = False
    commit = head_sha
    if branch_hash != change.change_hash:
        commit = _commit(ctx, checkout, change)
        net.push(ctx.options.remote, commit, branch, expect=head_sha)
        pushed = True
    result = result.with_push(pushed, commit)

    if open_pr is not None:
        if open_pr.title != change.title or open_pr.body != change.body:
            updated = api.update_request(open_pr.number, title=change.title, body=change.body)
            what = f"pushed a new commit to {branch} and " if pushed else ""
            return result.done(
                PrStatus.UPDATED,
                f"Updated {terms.request} {terms.ref(updated.number)}: {what}refreshed its "
                f"description: {updated.url or open_pr.url}",
                pr=updated,
            )
        return result.done(
            PrStatus.UPDATED if pushed else PrStatus.UP_TO_DATE,
            f"{_named(terms, open_pr)} is up to date"
            + ("" if pushed else f"; {branch} left as it is")
            + f": {open_pr.url}",
            pr=open_pr,
        )

    try:
        created = api.create_request(
            title=change.title, head=branch, base=base, body=change.body, labels=ctx.labels
        )
    except ApiError as exc:
        # Another run may have opened it a moment ago; then update that one instead.
        if exc.status != api.duplicate_status:
            raise
        again = _open_request(api.requests_for_branch(branch))
        if again is None:
            raise
        updated = api.update_request(again.number, title=change.title, body=change.body)
        return result.done(
            PrStatus.UPDATED,
            f"Updated {terms.request} {terms.ref(updated.number)}: {updated.url}",
            pr=updated,
        )
    return result.done(
        PrStatus.OPENED,
        f"Opened {terms.request} {terms.ref(created.number)} from {branch} into {base}: "
        f"{created.url}",
        pr=created,
    )


@dataclass(frozen=True, slots=True)
class _Partial:
    """A result being assembled: the parts known before the API answers."""

    ctx: _Context
    change: _Change
    base: str
    pushed: bool = False
    commit: str | None = None

    def with_push(self, pushed: bool, commit: str | None) -> _Partial:
        return _Partial(self.ctx, self.change, self.base, pushed, commit)

    def done(
        self,
        status: PrStatus,
        message: str,
        *,
        pr: ChangeRequest | None = None,
        commented: bool = False,
    ) -> PrResult:
        return PrResult(
            status=status,
            message=message,
            branch=self.ctx.branch,
            base=self.base,
            change_hash=self.change.change_hash,
            commit_message=self.change.commit_message,
            title=self.change.title,
            body=self.change.body,
            diff=self.change.diff,
            pushed=self.pushed,
            commit=self.commit,
            pr_number=pr.number if pr else None,
            pr_url=pr.url if pr else None,
            commented=commented,
            outcome=self.change.outcome,
            host=self.ctx.host.name,
        )


# -- steps -----------------------------------------------------------------------------


def _local_base(ctx: _Context) -> tuple[str, str]:
    """The base branch and commit for a dry run, from local refs only (no fetch)."""
    git, remote, base = ctx.git, ctx.options.remote, ctx.options.base
    if base:
        for ref in (f"refs/remotes/{remote}/{base}", f"refs/heads/{base}"):
            sha = git.resolve(ref)
            if sha:
                return base, sha
        raise ConfigError(
            f"the base branch {base!r} is not known locally; a dry run does not fetch"
        )
    remote_head = git.run("symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD", check=False)
    target = remote_head.stdout.strip()
    if remote_head.returncode == 0 and target.startswith(f"refs/remotes/{remote}/"):
        sha = git.resolve(target)
        if sha:
            return target.removeprefix(f"refs/remotes/{remote}/"), sha
    current = git.current_branch()
    sha = git.head_commit()
    if sha is None:
        raise ConfigError("the repository has no commits yet")
    return current or sha[:12], sha


@contextmanager
def _scratch_checkout(git: Git, commit: str) -> Iterator[Git]:
    """A detached work tree of ``commit`` in a temporary directory, removed on exit."""
    holder = Path(tempfile.mkdtemp(prefix="backend-fixer-"))
    path = holder / "checkout"
    try:
        git.run("worktree", "prune", check=False)  # entries left by a run that was killed
        git.worktree_add(path, commit)
        yield git.derive(path)
    finally:
        git.worktree_remove(path)
        shutil.rmtree(holder, ignore_errors=True)


def _apply(ctx: _Context, checkout: Git, apply_fix: ApplyFix, base: str) -> _Change | None:
    """Run the fix in ``checkout`` and stage what it wrote; None when nothing changed."""
    target = checkout.cwd.joinpath(*ctx.relative.parts)
    if not target.exists():
        raise ConfigError(f"{ctx.relative} does not exist on the base branch {base}")
    # Text from the engine may name the scratch checkout (labels, hints, locations,
    # errors); those paths differ on every run and mean nothing to a reader, so
    # they are made repository-relative.
    unscratch = _Unscratch(checkout.cwd)
    try:
        outcome = apply_fix(target)
    except BotError as error:
        error.message = unscratch(error.message)
        error.args = (error.message,)
        raise
    except Exception as exc:
        raise FixFailedError(
            unscratch(f"the fix failed, nothing was committed: {type(exc).__name__}: {exc}"),
            secrets=secret_forms(ctx.token),
        ) from exc
    if not outcome.changed_files:
        return None
    files = [_repo_relative(name, checkout.cwd) for name in outcome.changed_files]
    for name in files:
        if not (checkout.cwd / name).exists() and not checkout.out("ls-files", "--", name):
            raise FixFailedError(
                f"the fix reported {name!r}, which is neither in the checkout nor tracked "
                "(changed files must be relative to the repository root)"
            )
    # --force: override mode writes backend_override.tf, which many .gitignore files
    # exclude; the fix named the file, so it belongs in the commit.
    checkout.run(
        "add",
        "--all",
        "--force",
        "--pathspec-from-file=-",
        "--pathspec-file-nul",
        input="\0".join(files),
    )
    if not checkout.run("diff", "--cached", "--name-only", "-z").stdout.strip("\0"):
        return None
    patch = checkout.run(
        "diff", "--cached", "--no-color", "--no-ext-diff", "--no-renames", "--binary"
    ).stdout
    change_hash = _change_hash(outcome.mode, patch)
    diff = unscratch(outcome.diff) if outcome.diff.strip() else patch
    reported = FixOutcome(
        changed_files=tuple(files),
        diff=diff,
        findings=tuple(unscratch.finding(f) for f in outcome.findings),
        mode=outcome.mode,
        init_commands=tuple(unscratch(c) for c in outcome.init_commands),
        restore_hint=unscratch(outcome.restore_hint),
    )
    title = render_title(outcome.mode)
    body = render_body(
        reported,
        change_hash=change_hash,
        version=__version__,
        branch=ctx.branch,
        base=base,
        terms=ctx.terms,
    )
    message = render_commit_message(reported, change_hash, __version__)
    return _Change(reported, change_hash, diff, title, body, message)


@dataclass(frozen=True, slots=True)
class _Unscratch:
    """Rewrites paths inside the scratch checkout as repository-relative paths."""

    root: Path

    def __call__(self, text: str) -> str:
        return text.replace(f"{self.root}{os.sep}", "").replace(str(self.root), ".")

    def finding(self, finding: Finding) -> Finding:
        location = replace(finding.location, path=self(finding.location.path))
        return replace(
            finding,
            message=self(finding.message),
            location=location,
            notes=tuple(self(n) for n in finding.notes),
        )


def _commit(ctx: _Context, checkout: Git, change: _Change) -> str:
    """Commit the staged change as the bot's author; return the commit id."""
    identity = {
        "GIT_AUTHOR_NAME": ctx.author.name,
        "GIT_AUTHOR_EMAIL": ctx.author.email,
        "GIT_COMMITTER_NAME": ctx.author.name,
        "GIT_COMMITTER_EMAIL": ctx.author.email,
    }
    committer = checkout.derive(extra_env=identity)
    committer.run(
        "commit",
        "--quiet",
        "--no-verify",
        "--cleanup=verbatim",
        "-F",
        "-",
        input=change.commit_message,
    )
    return committer.out("rev-parse", "HEAD")


def _comment_once(api: Hosting, pr: ChangeRequest, body: str, change_hash: str) -> bool:
    """Comment on ``pr`` unless a bot comment for the same change is there; True if posted."""
    for existing in api.comments(pr.number):
        marker = parse_marker(existing.body, comment=True)
        if marker is not None and marker.change == change_hash:
            return False
    api.create_comment(pr.number, body)
    return True


def _repo_relative(name: str, root: Path) -> str:
    """A changed-file path as a POSIX path relative to the checkout ``root``.

    Relative paths are taken as relative to ``root``; absolute paths are
    accepted when they lie inside it (an engine may report what it wrote).
    Anything that leaves the repository raises FixFailedError.
    """
    if Path(name).is_absolute():
        try:
            name = Path(name).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise FixFailedError(
                f"the fix reported a path outside the repository: {name!r}"
            ) from None
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise FixFailedError(f"the fix reported a path outside the repository: {name!r}")
    return path.as_posix()


def _change_hash(mode: str, patch: str) -> str:
    """A short hash naming the change: the same edits on the same text give the same hash.

    ``index`` lines name blob ids, which change with unrelated history of the
    file; they are left out so only the patch itself counts.
    """
    kept = [line for line in patch.splitlines() if not line.startswith("index ")]
    digest = hashlib.sha256(("\n".join([f"mode {mode}", *kept]) + "\n").encode("utf-8"))
    return digest.hexdigest()[:16]
