"""The one exception tree of the engine.

Every error's ``str()`` is written for the person who reads it: what happened and what to do.
Third-party errors (git, PyGithub) are translated where the tool or library is used, with
``raise ... from err``.

    ReviewerError
    ├── BadTargetError          the URL or path given is not an acceptable repository
    ├── CloneError              git could not fetch or read the repository
    │   ├── CloneTimeoutError   a git call ran past its time limit
    │   └── RepositoryTooLargeError  a size, file-count or object cap was exceeded
    ├── GitHubError             the GitHub API answered with a state a person must know about
    │   ├── RepositoryNotFoundError   missing, or private (GitHub does not say which)
    │   ├── RepositoryEmptyError      no commits yet (409)
    │   ├── RepositoryBlockedError    access blocked (451)
    │   ├── RateLimitError            primary or secondary limit, with the time it lifts
    │   └── GitHubUnavailableError    5xx / timeouts after bounded retries
    ├── DataError               rubric / suggested-project data does not validate
    ├── UnknownCertificationError  no rubric has the certification id asked for
    └── ConfigError             a setting has a value that cannot work
"""

from __future__ import annotations

from datetime import datetime


class ReviewerError(Exception):
    """Root of every error the engine raises on purpose."""

    #: True when trying again later may succeed (network, rate limits, timeouts).
    transient: bool = False


class BadTargetError(ReviewerError, ValueError):
    """The repository URL or path given is not acceptable."""


class CloneError(ReviewerError):
    """git could not fetch or read the repository."""


class CloneTimeoutError(CloneError):
    transient = True


class RepositoryTooLargeError(CloneError):
    """A cap on repository size, file count or object size was exceeded."""


class GitHubError(ReviewerError):
    """The GitHub API gave an answer that stops the review."""


class RepositoryNotFoundError(GitHubError):
    pass


class RepositoryEmptyError(GitHubError):
    pass


class RepositoryBlockedError(GitHubError):
    pass


class RateLimitError(GitHubError):
    transient = True

    def __init__(self, message: str, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class GitHubUnavailableError(GitHubError):
    transient = True


class DataError(ReviewerError):
    """Data files (rubrics, suggested projects) do not validate."""


class UnknownCertificationError(ReviewerError, LookupError):
    """No rubric has the certification id asked for (the message lists the valid ids)."""


class ConfigError(ReviewerError):
    """A setting has a value that cannot work."""
