"""Everything the GitHub API knows about one repository, and the report facts drawn from it.

``fetch_repository_info`` raises when the repository itself cannot be read (not found or
private, empty, blocked, rate limit, GitHub down); each optional part (owner account,
contributors, workflows, latest run) that fails becomes a warning instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from reviewer.errors import GitHubError
from reviewer.github import GitHubClient
from reviewer.github_models import Account, CiStatus, Contributor, RepoMetadata, Workflow
from reviewer.report import Fact, RepoRef, ReportWarning

T = TypeVar("T")

#: warning code of an optional part that could not be read
RUNS_UNAVAILABLE = "github-runs-unavailable"


@dataclass(frozen=True)
class RepositoryInfo:
    ref: RepoRef  # as requested; ``metadata.full_name`` is the current name
    metadata: RepoMetadata
    owner: Account | None
    contributors: tuple[Contributor, ...] | None  # None = could not be read
    workflows: tuple[Workflow, ...] | None
    latest_run: CiStatus | None  # None = no run, or could not be read (see warnings)
    warnings: tuple[ReportWarning, ...] = ()


def fetch_repository_info(
    client: GitHubClient, ref: RepoRef, *, fresh: bool | None = None
) -> RepositoryInfo:
    """Metadata (raising on failure) and the optional parts (warning on failure).

    ``fresh`` revalidates the default branch's head and latest run with conditional requests
    rather than trusting the cache lifetime. By default it does so only with a token, because
    GitHub does not charge an authenticated 304 to the rate limit.
    """
    revalidate = client.authenticated if fresh is None else fresh
    warnings: list[ReportWarning] = []
    if client.auth_warning:
        warnings.append(ReportWarning("github-unauthenticated", client.auth_warning))
    meta = client.repository(ref, fresh=revalidate)
    if meta.moved_from:
        warnings.append(
            ReportWarning(
                "github-moved",
                f"GitHub says {meta.moved_from} has been renamed or transferred to "
                f"{meta.full_name}; the review uses the new name.",
            )
        )

    def soft(code: str, what: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except GitHubError as err:
            warnings.append(ReportWarning(code, f"Could not read {what} from GitHub: {err}"))
            return None

    name = meta.full_name
    owner = soft(
        "github-owner-unavailable", "the owner's account", lambda: client.account(meta.owner)
    )
    contributors = soft(
        "github-contributors-unavailable", "the contributors", lambda: client.contributors(name)
    )
    workflows = soft(
        "github-workflows-unavailable", "the Actions workflows", lambda: client.workflows(name)
    )
    run = soft(
        RUNS_UNAVAILABLE,
        "the latest Actions run",
        lambda: client.latest_run(name, meta.default_branch, fresh=revalidate),
    )
    return RepositoryInfo(
        ref=ref,
        metadata=meta,
        owner=owner,
        contributors=contributors,
        workflows=workflows,
        latest_run=run,
        warnings=tuple(warnings),
    )


def github_facts(info: RepositoryInfo) -> dict[str, Fact]:
    """Report facts that only GitHub knows, each with evidence naming the API's answer."""
    meta = info.metadata
    source = f"GitHub API: repos/{meta.full_name}"
    facts: dict[str, Fact] = {
        "visibility": Fact(meta.visibility, (f"GitHub: visibility {meta.visibility}",)),
        "github_archived": Fact(meta.archived, (source,)),
        "github_stars": Fact(meta.stars, (source,)),
        "github_topics": Fact(list(meta.topics), (source,)),
    }
    if meta.fork:
        parent = meta.parent_full_name or "another repository"
        facts["is_fork"] = Fact(True, (f"GitHub: fork of {parent}",))
    else:
        facts["is_fork"] = Fact(False, (f"GitHub: {meta.full_name} is not a fork",))
    if meta.license_spdx is None:
        facts["github_license_spdx"] = Fact(None, (), "GitHub detects no license")
    elif meta.license_spdx == "NOASSERTION":
        facts["github_license_spdx"] = Fact(
            None, (source,), "GitHub found a license file but could not identify the license"
        )
    else:
        facts["github_license_spdx"] = Fact(meta.license_spdx, (source,))
    facts["ci_status"] = _ci_fact(info)
    return facts


def _ci_fact(info: RepositoryInfo) -> Fact:
    run = info.latest_run
    if run is not None:
        value = run.conclusion if run.status == "completed" and run.conclusion else run.status
        evidence = tuple(e for e in (run.run_url,) if e)
        reason = f"latest run of {run.workflow_name or 'a workflow'} on commit {run.head_sha[:12]}"
        return Fact(value, evidence, reason)
    if any(w.code == RUNS_UNAVAILABLE for w in info.warnings):
        return Fact(None, (), "GitHub Actions runs could not be read")
    branch = info.metadata.default_branch
    return Fact(None, (), f"no workflow runs on the default branch {branch!r}")
