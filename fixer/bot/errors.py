"""The bot's one error type and the scrubbing that makes its messages safe to print.

Every failure in ``fixer.bot`` surfaces as a :class:`BotError` whose message is a
single line with every known secret (the token and the forms derived from it)
and any credentials embedded in URLs replaced by ``***``. The CLI prints the
message as it is, so scrubbing happens here, once, where the error is made.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote

# ``scheme://user:password@host`` in a remote URL or an httpx message.
_URL_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")
_MAX_MESSAGE = 600

MASK = "***"


# The Basic-auth user names git sends a token with: GitHub's, then GitLab's for access
# tokens and for the CI job token.
GIT_TOKEN_USERS = ("x-access-token", "oauth2", "gitlab-ci-token")


def secret_forms(token: str) -> tuple[str, ...]:
    """The token and the encodings in which it may show up in a message.

    Git and HTTP clients echo credentials as Basic-auth base64 of
    ``USER:TOKEN`` (for each user name in :data:`GIT_TOKEN_USERS`, the forms the
    bot sends) or of the bare token, and URLs carry it percent-encoded, so those
    are scrubbed too. An empty token yields no forms.
    """
    if not token:
        return ()
    forms = {
        token,
        quote(token, safe=""),
        base64.b64encode(token.encode()).decode(),
        *(base64.b64encode(f"{user}:{token}".encode()).decode() for user in GIT_TOKEN_USERS),
    }
    # Longest first, so a form that contains another is masked whole.
    return tuple(sorted(forms, key=len, reverse=True))


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with every secret and any URL userinfo replaced by ``***``.

    Secrets shorter than four characters are ignored: masking them would mangle
    ordinary words without protecting anything.
    """
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, MASK)
    return _URL_USERINFO.sub(rf"\g<scheme>{MASK}@", text)


def one_line(text: str) -> str:
    """Fold a multi-line tool message into one line, dropping git's ``hint:`` lines."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if line and not line.startswith("hint:")]
    folded = "; ".join(kept)
    if len(folded) > _MAX_MESSAGE:
        folded = folded[: _MAX_MESSAGE - 3] + "..."
    return folded


class BotError(Exception):
    """A failure of ``backend-fixer pr``: the message is one line, safe to print.

    ``exit_code`` is what the CLI should exit with (2: an error, as for the
    other commands). Subclasses say which side failed.
    """

    exit_code = 2

    def __init__(self, message: str, *, secrets: Iterable[str] = ()) -> None:
        self.message = scrub(one_line(message), secrets)
        super().__init__(self.message)


class ConfigError(BotError):
    """The run cannot start: no repository, no token, a bad option."""


class GitError(BotError):
    """A git command failed or timed out."""


class ApiError(BotError):
    """The hosting API refused a request or could not be reached.

    ``status`` is the HTTP status, or None when no response arrived.
    """

    def __init__(self, message: str, *, status: int | None, secrets: Iterable[str] = ()) -> None:
        self.status = status
        super().__init__(message, secrets=secrets)


class FixFailedError(BotError):
    """The fix itself raised: the bot committed and pushed nothing."""
