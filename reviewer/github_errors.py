"""What a GitHub API answer means for the person waiting: wait, retry, or which error.

Pure functions over the status, headers and message of an answer, used by
``reviewer.github`` (which alone talks to PyGithub and passes these values in):

    404                     -> RepositoryNotFoundError  (missing, or private: GitHub does not say)
    409                     -> RepositoryEmptyError
    451                     -> RepositoryBlockedError
    401                     -> ConfigError (the token is wrong)
    403/429 rate limits     -> a ``RateLimitWait``; beyond the bound, RateLimitError
    5xx, timeouts, refused  -> GitHubUnavailableError once the retries are spent
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from reviewer.errors import (
    ConfigError,
    GitHubError,
    GitHubUnavailableError,
    RateLimitError,
    RepositoryBlockedError,
    RepositoryEmptyError,
    RepositoryNotFoundError,
    ReviewerError,
)

#: GitHub's advice for a secondary limit without ``Retry-After``: wait at least a minute.
SECONDARY_LIMIT_DEFAULT_WAIT_S = 60.0
#: added to a primary limit's reset time, for clock skew between this machine and GitHub
RESET_SLACK_S = 1.0


@dataclass(frozen=True)
class RateLimitWait:
    delay_s: float
    reset_at: datetime  # when the limit lifts
    kind: str  # "primary" or "secondary"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _clock(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def rate_limit_wait(
    status: int, headers: Mapping[str, str], message: str, now: float
) -> RateLimitWait | None:
    """How long a rate-limited answer asks us to wait; None when it is not a rate limit.

    ``headers`` have lower-case names."""
    if status not in (403, 429):
        return None
    text = message.lower()
    retry_after = _retry_after_seconds(headers.get("retry-after"), now)
    if retry_after is not None:
        return RateLimitWait(max(retry_after, 1.0), _utc(now + retry_after), "secondary")
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" or text.startswith("api rate limit exceeded"):
        if reset.isdigit():
            return RateLimitWait(
                max(int(reset) - now, 0.0) + RESET_SLACK_S, _utc(int(reset)), "primary"
            )
        wait = SECONDARY_LIMIT_DEFAULT_WAIT_S
        return RateLimitWait(wait, _utc(now + wait), "primary")
    if status == 429 or "secondary rate limit" in text or "abuse detection" in text:
        wait = SECONDARY_LIMIT_DEFAULT_WAIT_S
        return RateLimitWait(wait, _utc(now + wait), "secondary")
    return None


def rate_limit_error(
    wait: RateLimitWait, *, now: float, bound_s: float, authenticated: bool
) -> RateLimitError:
    minutes = max(1, math.ceil((wait.reset_at.timestamp() - now) / 60))
    when = f"{_clock(wait.reset_at)} (in about {minutes} min)"
    if wait.kind == "primary":
        who = "this token" if authenticated else "this machine without a token"
        text = (
            f"GitHub's API rate limit for {who} is used up until {when}, longer than this tool "
            f"waits ({bound_s:.0f} s). Try again after that time"
        )
        text += "." if authenticated else ", or set GITHUB_TOKEN (5,000 requests an hour)."
    else:
        text = (
            f"GitHub asked this tool to slow down (secondary rate limit) until {when}, longer "
            f"than it waits ({bound_s:.0f} s). Try again after that time."
        )
    return RateLimitError(text, reset_at=wait.reset_at)


def error_for_status(
    status: int, message: str, data: Any, *, subject: str, attempts: int
) -> ReviewerError:
    """The error for an answer that is neither a success nor a rate limit to wait out."""
    message = message or "no explanation given"
    if status == 404:
        return RepositoryNotFoundError(
            f"{capital(subject)} was not found on GitHub: it does not exist, or it is private "
            "(GitHub does not say which). Check the address, and that the repository is public."
        )
    if status == 409:
        return RepositoryEmptyError(
            f"{capital(subject)} is empty on GitHub (no commits yet). Push the project's code, "
            "then submit it again."
        )
    if status == 451:
        block = data.get("block") if isinstance(data, Mapping) else None
        reason = block.get("reason") if isinstance(block, Mapping) else None
        why = f" (reason given: {reason})" if reason else ""
        return RepositoryBlockedError(
            f"GitHub blocks access to {subject}{why}, for example after a legal takedown, so it "
            "cannot be reviewed. Submit a repository that GitHub serves."
        )
    if status == 401:
        return ConfigError(
            f"GitHub rejected GITHUB_TOKEN ({status}: {message}). Set a valid token or unset it."
        )
    if status >= 500:
        return GitHubUnavailableError(
            f"GitHub is not answering properly ({status}: {message}) for {subject}, {attempts} "
            "attempts in a row. Nothing was lost: try again in a few minutes."
        )
    if status == 403:
        return GitHubError(f"GitHub refused access to {subject} ({status}: {message}).")
    return GitHubError(f"GitHub answered {status} for {subject}: {message}.")


def network_error(
    err: requests.exceptions.RequestException,
    *,
    api_url: str,
    timeout_s: float,
    subject: str,
    attempts: int,
) -> GitHubUnavailableError:
    if isinstance(err, requests.exceptions.Timeout):
        what = f"did not answer within {timeout_s:g} s"
    else:
        what = f"could not be reached ({type(err).__name__})"
    return GitHubUnavailableError(
        f"The GitHub API at {api_url} {what} while asking for {subject}, {attempts} attempts "
        "in a row. Nothing was lost: try again in a few minutes."
    )


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    """``Retry-After`` is seconds, or (rarely) an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None
