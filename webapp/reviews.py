"""The web app's one door into the engine: URL parsing, the GitHub check, the inspection and
the rubric assessment. Everything the app needs from ``reviewer.*`` (beyond settings, errors and
the program rules) goes through here, imported lazily, so adapting to the engine is a one-file
change and importing the web app never loads git or PyGithub.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewer.errors import (
    ConfigError,
    GitHubUnavailableError,
    RateLimitError,
    RepositoryBlockedError,
    RepositoryEmptyError,
    RepositoryNotFoundError,
)
from reviewer.report import RepoRef
from reviewer.settings import Settings

if TYPE_CHECKING:
    from reviewer.report import Report

logger = logging.getLogger(__name__)


class RepositoryRefused(Exception):
    """GitHub says the repository cannot be reviewed (missing, private, empty, blocked)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RepoCheck:
    """What the submission step learned about a repository.

    ``verified`` is False when GitHub was not asked (``use_github_api`` off) or could not be
    reached: the submission is accepted anyway and the job pins the commit from the clone.
    """

    ref: RepoRef
    verified: bool
    default_branch: str | None = None
    head_sha: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class Assessment:
    json: str
    rubric_version: str | None


def settings_for(
    ref: RepoRef, settings: Settings, local_forges: tuple[tuple[str, str], ...] = ()
) -> Settings:
    """The settings to review ``ref`` with: a host served by a local forge (the demo) is
    cloned from its directory, without GitHub; every other host uses ``settings`` as is."""
    for host, template in local_forges:
        if ref.host == host:
            hosts = settings.allowed_hosts
            return settings.with_(
                clone_url_template=template,
                use_github_api=False,
                allowed_hosts=hosts if host in hosts else (*hosts, host),
            )
    return settings


def repo_key(ref: RepoRef) -> str:
    return f"{ref.host}/{ref.owner}/{ref.name}".lower()


def parse_repository_url(text: str, settings: Settings) -> RepoRef:
    """A normalised reference; ``reviewer.errors.BadTargetError`` says what is wrong."""
    from reviewer.targets import parse_repo_url

    return parse_repo_url(text, settings.allowed_hosts)


def check_repository(ref: RepoRef, settings: Settings) -> RepoCheck:
    """Ask GitHub whether ``ref`` is public, exists and has commits, and for its head.

    Raises ``RepositoryRefused`` for answers the candidate must act on; anything that only says
    GitHub cannot answer right now gives an unverified check (the submission is never lost).
    """
    if not settings.use_github_api:
        return RepoCheck(ref, verified=False, note="GitHub checks are turned off.")
    from reviewer.github import GitHubClient

    try:
        meta = GitHubClient(settings).repository(ref, fresh=True)
    except RepositoryNotFoundError as err:
        raise RepositoryRefused(
            f"GitHub has no public repository {ref.slug}: check the address, and make the "
            "repository public if it is private."
        ) from err
    except RepositoryEmptyError as err:
        raise RepositoryRefused(str(err) or f"{ref.slug} has no commits yet.") from err
    except RepositoryBlockedError as err:
        raise RepositoryRefused(str(err) or f"GitHub blocks access to {ref.slug}.") from err
    except (GitHubUnavailableError, RateLimitError, ConfigError) as err:
        logger.warning("GitHub check of %s skipped: %s", ref.slug, err)
        return RepoCheck(ref, verified=False, note=str(err))
    if meta.private or meta.visibility != "public":
        raise RepositoryRefused(
            f"{meta.full_name} is not public. Make it public on GitHub, then submit it again."
        )
    canonical = RepoRef(ref.host, meta.owner, meta.name) if meta.owner and meta.name else ref
    metadata = {
        "full_name": meta.full_name,
        "html_url": meta.html_url,
        "visibility": meta.visibility,
        "fork": meta.fork,
        "parent_full_name": meta.parent_full_name,
        "archived": meta.archived,
        "description": meta.description,
        "default_branch": meta.default_branch,
        "moved_from": meta.moved_from,
    }
    return RepoCheck(
        canonical,
        verified=True,
        default_branch=meta.default_branch,
        head_sha=meta.head_sha,
        metadata=metadata,
    )


def inspect(ref: RepoRef, commit: str | None, settings: Settings) -> Report:
    """Inspect ``ref`` at ``commit`` (or the default branch's head when None).

    Raises ``reviewer.errors.ReviewerError`` subclasses; ``.transient`` says whether to retry.
    """
    from reviewer.inspect import inspect_repository

    return inspect_repository(ref.web_url, settings, commit=commit)


def report_to_json(report: Report) -> str:
    return json.dumps(report.to_json(), sort_keys=True)


def report_from_json(text: str) -> Report:
    from reviewer.report import Report

    return Report.from_json(json.loads(text))


def assess(report: Report, certification: str, settings: Settings) -> Assessment | None:
    """This certification's rubric assessment of the report (``None`` without a rubric)."""
    from reviewer.assessment import evaluate
    from reviewer.errors import UnknownCertificationError
    from reviewer.rubrics import get_rubric

    try:
        rubric = get_rubric(certification, settings)
    except UnknownCertificationError:
        return None
    result = evaluate(report, rubric)
    return Assessment(json.dumps(result.to_json(), sort_keys=True), result.rubric_version)


def fact_summaries() -> dict[str, str]:
    """Fact name -> one-line meaning (from the engine's catalog, when present)."""
    try:
        from reviewer.facts.catalog import FACTS
    except ImportError:
        return {}
    return {spec.name: spec.summary for spec in FACTS}
