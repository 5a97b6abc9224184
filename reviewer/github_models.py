"""What the GitHub API says about a repository, as plain frozen dataclasses.

The parsers here turn the API's JSON into these values; they do no I/O and never import
PyGithub (``reviewer.github`` is the one module that talks to the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RepoMetadata:
    """The repository as GitHub describes it, with the head of its default branch."""

    id: int
    full_name: str
    owner: str
    name: str
    html_url: str
    private: bool
    visibility: str  # "public", "private" or "internal"
    fork: bool
    parent_full_name: str | None  # the repository this one was forked from
    source_full_name: str | None  # the root of the fork network
    archived: bool
    default_branch: str
    head_sha: str  # the default branch's head commit, 40 hex
    size_kb: int
    languages: Mapping[str, int] = field(default_factory=dict)  # language -> bytes
    license_spdx: str | None = None  # GitHub's "NOASSERTION" is kept as GitHub says it
    topics: tuple[str, ...] = ()
    description: str | None = None
    created_at: datetime | None = None
    pushed_at: datetime | None = None
    stars: int = 0
    #: the name that was asked for, when GitHub redirected to a renamed/transferred repository
    moved_from: str | None = None


@dataclass(frozen=True)
class Contributor:
    login: str
    commits: int


@dataclass(frozen=True)
class Account:
    login: str
    type: str  # "User", "Organization" or "Bot"
    created_at: datetime | None


@dataclass(frozen=True)
class Workflow:
    name: str
    path: str
    state: str  # "active", "disabled_manually", ...


@dataclass(frozen=True)
class CiStatus:
    """The latest GitHub Actions run on the default branch."""

    conclusion: str | None  # "success", "failure", "cancelled", ...; None while not completed
    status: str  # "completed", "in_progress", "queued", ...
    run_url: str
    head_sha: str
    workflow_name: str


@dataclass(frozen=True)
class Comparison:
    """``GET /repos/{owner}/{repo}/compare/{base}...{head}``: how head relates to base."""

    status: str  # "identical", "ahead", "behind" or "diverged"
    ahead_by: int
    behind_by: int


def parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _full_name(obj: object) -> str | None:
    if isinstance(obj, Mapping):
        name = obj.get("full_name")
        return name if isinstance(name, str) else None
    return None


def parse_repository(
    raw: Mapping[str, Any],
    *,
    head_sha: str,
    languages: Mapping[str, Any],
    moved_from: str | None = None,
) -> RepoMetadata:
    """A ``RepoMetadata`` from ``GET /repos/{owner}/{repo}`` and the two calls it needs."""
    private = bool(raw.get("private"))
    visibility = raw.get("visibility")
    if visibility not in ("public", "private", "internal"):
        visibility = "private" if private else "public"
    fork = bool(raw.get("fork"))
    license_obj = raw.get("license")
    spdx = license_obj.get("spdx_id") if isinstance(license_obj, Mapping) else None
    owner = raw.get("owner")
    login = owner.get("login") if isinstance(owner, Mapping) else None
    full_name = str(raw["full_name"])
    return RepoMetadata(
        id=int(raw["id"]),
        full_name=full_name,
        owner=str(login or full_name.partition("/")[0]),
        name=str(raw.get("name") or full_name.partition("/")[2]),
        html_url=str(raw.get("html_url") or ""),
        private=private,
        visibility=str(visibility),
        fork=fork,
        parent_full_name=_full_name(raw.get("parent")) if fork else None,
        source_full_name=_full_name(raw.get("source")) if fork else None,
        archived=bool(raw.get("archived")),
        default_branch=str(raw["default_branch"]),
        head_sha=head_sha,
        size_kb=int(raw.get("size") or 0),
        languages={str(k): int(v) for k, v in languages.items() if isinstance(v, int)},
        license_spdx=spdx if isinstance(spdx, str) and spdx else None,
        topics=tuple(str(t) for t in raw.get("topics") or ()),
        description=raw.get("description") if isinstance(raw.get("description"), str) else None,
        created_at=parse_time(raw.get("created_at")),
        pushed_at=parse_time(raw.get("pushed_at")),
        stars=int(raw.get("stargazers_count") or 0),
        moved_from=moved_from,
    )


def parse_account(raw: Mapping[str, Any]) -> Account:
    return Account(
        login=str(raw["login"]),
        type=str(raw.get("type") or "User"),
        created_at=parse_time(raw.get("created_at")),
    )


def parse_contributor(raw: Mapping[str, Any]) -> Contributor:
    return Contributor(
        login=str(raw.get("login") or "(anonymous)"), commits=int(raw["contributions"])
    )


def parse_workflow(raw: Mapping[str, Any]) -> Workflow:
    return Workflow(name=str(raw.get("name") or ""), path=str(raw["path"]), state=str(raw["state"]))


def parse_run(raw: Mapping[str, Any]) -> CiStatus:
    conclusion = raw.get("conclusion")
    return CiStatus(
        conclusion=conclusion if isinstance(conclusion, str) else None,
        status=str(raw.get("status") or "unknown"),
        run_url=str(raw.get("html_url") or ""),
        head_sha=str(raw.get("head_sha") or ""),
        workflow_name=str(raw.get("name") or ""),
    )


def parse_comparison(raw: Mapping[str, Any]) -> Comparison:
    return Comparison(
        status=str(raw["status"]),
        ahead_by=int(raw.get("ahead_by") or 0),
        behind_by=int(raw.get("behind_by") or 0),
    )
