"""The CI bot: turn a fix into a branch, a commit and a GitHub pull request or GitLab merge request.

This is the only layer that runs git or talks to the network. The logic
(:mod:`fixer.bot.pr`) is written once against :mod:`fixer.bot.hosting`; the host
modules (:mod:`fixer.bot.github`, :mod:`fixer.bot.gitlab`) hold only the API calls
and the CI detection. It never prints:
:func:`run_pr` returns a :class:`PrResult` and failures raise :class:`BotError`
with a one-line message that is safe to show (the token is scrubbed).
"""

from fixer.bot.body import render_dry_run
from fixer.bot.errors import ApiError, BotError, ConfigError, FixFailedError, GitError
from fixer.bot.pr import run_pr
from fixer.bot.types import ApplyFix, FixOutcome, PrOptions, PrResult, PrStatus

__all__ = [
    "ApiError",
    "ApplyFix",
    "BotError",
    "ConfigError",
    "FixFailedError",
    "FixOutcome",
    "GitError",
    "PrOptions",
    "PrResult",
    "PrStatus",
    "render_dry_run",
    "run_pr",
]
