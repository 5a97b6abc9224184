"""Has a pinned repository changed since the pin? For staff, before the interview.

Every answer asks GitHub afresh (conditional requests: a repository that did not change costs
no primary-rate-limit quota with a token). The changes found, in this order:

    renamed        GitHub redirects the pinned name to a new one (the check continues there)
    made_private   the token can still see it, but it is no longer public
    not_found      GitHub answers 404: deleted, or made private (GitHub does not say which)
    empty          the repository has no commits any more
    new_commits    the pinned commit is an ancestor of the default branch's head
    force_pushed   the pinned commit is no longer on the default branch (diverged, behind,
                   or unknown to GitHub)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from reviewer.errors import BadTargetError, RepositoryEmptyError, RepositoryNotFoundError
from reviewer.github import GitHubClient
from reviewer.report import RepoRef

SHA_RE = re.compile(r"[0-9a-f]{7,40}")


@dataclass(frozen=True)
class RecheckResult:
    requested: str  # owner/name as pinned
    pinned_sha: str
    changes: tuple[str, ...]  # empty = unchanged
    message: str  # one paragraph for staff
    full_name: str | None = None  # the current name, when GitHub still serves the repository
    default_branch: str | None = None
    head_sha: str | None = None
    ahead_by: int | None = None  # commits on the branch since the pin
    behind_by: int | None = None  # commits of the pin's history no longer on the branch

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def found(self) -> bool:
        return "not_found" not in self.changes

    def to_json(self) -> dict[str, Any]:
        return {
            "repository": self.requested,
            "pinned_sha": self.pinned_sha,
            "changed": self.changed,
            "changes": list(self.changes),
            "message": self.message,
            "full_name": self.full_name,
            "default_branch": self.default_branch,
            "head_sha": self.head_sha,
            "ahead_by": self.ahead_by,
            "behind_by": self.behind_by,
        }


def normalise_sha(text: str) -> str:
    sha = text.strip().lower()
    if not SHA_RE.fullmatch(sha):
        raise BadTargetError(
            f"{text.strip()!r} is not a commit id: expected 7 to 40 hexadecimal characters."
        )
    return sha


def recheck(client: GitHubClient, ref: RepoRef, pinned_sha: str) -> RecheckResult:
    """Compare the repository on GitHub now with ``pinned_sha``.

    Raises ``RateLimitError``/``GitHubUnavailableError`` when GitHub cannot answer, and
    ``RepositoryBlockedError`` when GitHub blocks the repository.
    """
    pinned = normalise_sha(pinned_sha)
    base = RecheckResult(requested=ref.slug, pinned_sha=pinned, changes=(), message="")
    try:
        meta = client.repository(ref, fresh=True)
    except RepositoryNotFoundError:
        return _with(
            base,
            ("not_found",),
            f"GitHub no longer serves {ref.slug}: it was deleted, or made private (GitHub does "
            "not say which). The pinned commit cannot be checked.",
        )
    except RepositoryEmptyError:
        return _with(
            base,
            ("empty",),
            f"{ref.slug} has no commits any more: the pinned commit {pinned[:12]} is gone.",
        )

    changes: list[str] = []
    notes: list[str] = []
    if meta.moved_from:
        changes.append("renamed")
        notes.append(f"It was renamed or transferred to {meta.full_name}.")
    if meta.visibility != "public":
        changes.append("made_private")
        notes.append(f"It is now {meta.visibility}, no longer public.")
    found = _with(
        base,
        (),
        "",
        full_name=meta.full_name,
        default_branch=meta.default_branch,
        head_sha=meta.head_sha,
    )
    branch = f"the default branch {meta.default_branch!r}"
    if meta.head_sha.startswith(pinned):
        notes.append(f"{_cap(branch)} still points at the pinned commit {pinned[:12]}.")
        return _with(found, tuple(changes), " ".join(notes), ahead_by=0, behind_by=0)

    comparison = client.compare(meta.full_name, pinned, meta.head_sha)
    if comparison is None:
        changes.append("force_pushed")
        notes.append(
            f"GitHub no longer knows the pinned commit {pinned[:12]}: the history was "
            f"rewritten (force-push); {branch} is now at {meta.head_sha[:12]}."
        )
        return _with(found, tuple(changes), " ".join(notes))
    ahead, behind = comparison.ahead_by, comparison.behind_by
    if comparison.status == "identical":
        notes.append(f"{_cap(branch)} is at the pinned commit {pinned[:12]}.")
    elif comparison.status == "ahead":
        changes.append("new_commits")
        notes.append(
            f"{_cap(branch)} has {ahead} new commit{'s' if ahead != 1 else ''} since the pinned "
            f"commit {pinned[:12]} (now at {meta.head_sha[:12]}); the pinned commit is still "
            "in its history."
        )
    else:  # "diverged" or "behind": the pin is no longer reachable from the branch head
        changes.append("force_pushed")
        notes.append(
            f"The pinned commit {pinned[:12]} is no longer on {branch} (GitHub compares them "
            f"as {comparison.status}: {ahead} commits ahead, {behind} behind): the history "
            "was rewritten (force-push or reset)."
        )
    return _with(found, tuple(changes), " ".join(notes), ahead_by=ahead, behind_by=behind)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with(
    base: RecheckResult, changes: tuple[str, ...], message: str, **fields: Any
) -> RecheckResult:
    return replace(base, changes=changes, message=message, **fields)
