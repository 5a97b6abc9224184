"""From a target (URL or local repository) to a Report: the engine's one entry point.

    target ─ targets.resolve_target ─> RepoRef | Path
           ─ GitHub API (optional) ─> pin = default branch head, fork, visibility, CI status
           ─ git.fetch.fetch_mirror ─> bare mirror with the pinned commit (no checkout)
           ─ Snapshot ─> facts.run_finders ─> Report (cached by commit + tool version)

Without network or token the inspection completes from the clone alone, with a warning that
says which facts are missing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.errors import BadTargetError, GitHubError, RepositoryTooLargeError
from reviewer.facts.base import run_finders
from reviewer.facts.catalog import FACTS
from reviewer.facts.registry import FINDERS
from reviewer.git.fetch import fetch_mirror, git_home
from reviewer.git.store import ObjectStore
from reviewer.report import Fact, RepoRef, Report, ReportWarning
from reviewer.settings import Settings
from reviewer.snapshot import Snapshot
from reviewer.targets import clone_url, local_key, resolve_target
from reviewer.version import __version__

if TYPE_CHECKING:
    from reviewer.github import GitHubClient
    from reviewer.github_info import RepositoryInfo

log = logging.getLogger(__name__)

_SHA = re.compile(r"[0-9a-f]{40}")
GITHUB_FACTS = tuple(f.name for f in FACTS if f.source == "github")


def inspect_repository(
    target: str | Path,
    settings: Settings | None = None,
    *,
    github: GitHubClient | None = None,
    use_cache: bool = True,
    commit: str | None = None,
) -> Report:
    """Inspect a repository at one pinned commit and report every fact.

    ``target`` is a repository URL (normalised by ``parse_repo_url``) or the path of a local
    work tree / bare repository. The pin is ``commit`` when given (a 40-hex SHA pinned earlier,
    e.g. at submission), else the default branch's head as GitHub reports it (or as the clone
    finds it offline). Raises ``ReviewerError`` subclasses written for the reader.
    """
    settings = settings or Settings.from_env()
    if commit is not None and not _SHA.fullmatch(commit):
        raise BadTargetError(f"{commit!r} is not a full commit SHA (40 hexadecimal characters).")
    resolved = resolve_target(str(target), settings)
    if isinstance(resolved, Path):
        return _inspect_local(resolved, settings, use_cache, commit)
    return _inspect_remote(resolved, settings, github, use_cache, commit)


def _inspect_remote(
    ref: RepoRef,
    settings: Settings,
    github: GitHubClient | None,
    use_cache: bool,
    commit: str | None,
) -> Report:
    warnings: list[ReportWarning] = []
    info = _github_info(ref, settings, github, warnings)
    pin: str | None = commit
    if info is not None:
        meta = info.metadata
        pin = commit or meta.head_sha
        if meta.full_name.lower() != ref.slug.lower():
            owner, _, name = meta.full_name.partition("/")
            ref = RepoRef(ref.host, owner, name)
        if use_cache and pin:
            cached = _cached_report(settings, ref.key(), pin)
            if cached is not None and not _github_facts_missing_only(cached):
                return cached
    fetched = fetch_mirror(
        clone_url(ref, settings.clone_url_template), ref.key(), settings, want_sha=pin
    )
    sha = pin or fetched.head_sha
    if info is None and use_cache:
        cached = _cached_report(settings, ref.key(), sha)
        if cached is not None:
            return cached
    extra = _github_report_facts(info)
    report = _build_report(
        fetched.git_dir, sha, ref.web_url, ref, settings, warnings, extra, _copy_signal(info)
    )
    if info is not None:
        report = replace(report, metadata=_metadata(info))
    _store_report(settings, ref.key(), report)
    return report


def _inspect_local(path: Path, settings: Settings, use_cache: bool, commit: str | None) -> Report:
    key = local_key(path)
    fetched = fetch_mirror(str(path), key, settings, local=True, want_sha=commit)
    if use_cache:
        cached = _cached_report(settings, key, fetched.head_sha)
        if cached is not None:
            return cached
    warnings = [
        ReportWarning(
            "github-not-consulted",
            "A local repository was inspected: facts only GitHub knows "
            f"({', '.join(GITHUB_FACTS)}) are undecided.",
        )
    ]
    report = _build_report(
        fetched.git_dir,
        fetched.head_sha,
        str(path),
        None,
        settings,
        warnings,
        _github_report_facts(None, "a local repository was inspected"),
    )
    _store_report(settings, key, report)
    return report


def _build_report(
    git_dir: Path,
    sha: str,
    url: str,
    ref: RepoRef | None,
    settings: Settings,
    warnings: list[ReportWarning],
    extra_facts: dict[str, Fact],
    copy_signal: Fact | None = None,
) -> Report:
    store = ObjectStore(git_dir, git_home(settings), settings.limits.git_timeout_s)
    try:
        entries = store.tree(sha, max_entries=settings.limits.max_files)
        if len(entries) > settings.limits.max_files:
            raise RepositoryTooLargeError(
                f"The repository has more than {settings.limits.max_files} files at "
                f"{sha[:12]}; it is too large to review. Ask the candidate for a smaller "
                "repository, or raise the limit."
            )
        history = store.history(sha)
        snapshot = Snapshot(store, sha, entries, history, settings.limits, ref)
        facts, finder_warnings, _timings = run_finders(FINDERS, snapshot)
        warnings = [*warnings, *finder_warnings, *snapshot.warnings]
    finally:
        store.close()
    facts.update(extra_facts)
    if copy_signal is not None:
        copy = facts.get("is_fork_or_copy") or Fact(None)
        also = f"; also: {copy.reason}" if copy.value else ""
        facts["is_fork_or_copy"] = Fact(
            True, copy_signal.evidence + copy.evidence, copy_signal.reason + also
        )
    return Report(
        target_url=url,
        target=ref,
        commit=sha,
        inspected_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        tool_version=__version__,
        facts={name: _displayable_fact(fact) for name, fact in facts.items()},
        warnings=tuple(
            ReportWarning(w.code, _displayable(w.message), w.path and _displayable(w.path))
            for w in _dedupe(warnings)
        ),
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _displayable(text: str) -> str:
    """``text`` as valid Unicode: a file name's invalid UTF-8 bytes (kept by the tree listing as
    lone surrogates) become visible ``\\xff`` escapes, so that JSON, Markdown and HTML can be
    written in UTF-8."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate not made by surrogateescape (e.g. from JSON)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _displayable_fact(fact: Fact) -> Fact:
    value = fact.value
    texts = [*(value if isinstance(value, (list, tuple)) else [value]), *fact.evidence, fact.reason]
    if not any(isinstance(t, str) and _SURROGATE.search(t) for t in texts):
        return fact
    if isinstance(value, str):
        value = _displayable(value)
    elif isinstance(value, (list, tuple)):
        value = type(value)(_displayable(v) if isinstance(v, str) else v for v in value)
    return Fact(value, tuple(_displayable(e) for e in fact.evidence), _displayable(fact.reason))


def _dedupe(warnings: list[ReportWarning]) -> list[ReportWarning]:
    seen: set[tuple[str, str, str | None]] = set()
    out = []
    for w in warnings:
        k = (w.code, w.message, w.path)
        if k not in seen:
            seen.add(k)
            out.append(w)
    return out


# -- GitHub ------------------------------------------------------------------------------------


def _github_info(
    ref: RepoRef,
    settings: Settings,
    github: GitHubClient | None,
    warnings: list[ReportWarning],
) -> RepositoryInfo | None:
    """The API's view of the repository, or None (with a warning) when it cannot be had.

    Not found / private / empty / blocked stop the review: a person must know. Rate limits and
    outages only cost the GitHub-only facts.
    """
    if not settings.use_github_api:
        warnings.append(
            ReportWarning(
                "github-not-consulted",
                "The GitHub API was not consulted (offline mode): "
                f"{', '.join(GITHUB_FACTS)} are undecided and the pin comes from the clone.",
            )
        )
        return None
    from reviewer.errors import (
        RepositoryBlockedError,
        RepositoryEmptyError,
        RepositoryNotFoundError,
    )
    from reviewer.github import GitHubClient
    from reviewer.github_info import fetch_repository_info

    client = github or GitHubClient(settings)
    try:
        info = fetch_repository_info(client, ref)
    except (RepositoryNotFoundError, RepositoryEmptyError, RepositoryBlockedError):
        raise
    except GitHubError as err:
        warnings.append(
            ReportWarning(
                "github-unavailable",
                f"GitHub API unavailable ({err}); the inspection used the clone alone: "
                f"{', '.join(GITHUB_FACTS)} are undecided.",
            )
        )
        return None
    warnings.extend(info.warnings)
    return info


def _github_report_facts(info: RepositoryInfo | None, why: str = "") -> dict[str, Fact]:
    if info is None:
        reason = why or "the GitHub API could not be consulted"
        return {name: Fact(None, (), reason) for name in GITHUB_FACTS}
    from reviewer.github_info import github_facts

    facts = github_facts(info)
    for name in GITHUB_FACTS:
        facts.setdefault(name, Fact(None, (), "GitHub did not say"))
    return facts


def _copy_signal(info: RepositoryInfo | None) -> Fact | None:
    """What GitHub says that makes the repository a fork or another person's work, if anything.

    A fork relation is decisive. Otherwise, for a repository owned by a person (not an
    organisation): when GitHub links the majority of the commits to other accounts and none to
    the owner, the history is someone else's. Commits under e-mail addresses GitHub cannot link
    are not listed at all, so an owner who commits under an unlinked address is not flagged.
    """
    if info is None:
        return None
    meta = info.metadata
    if meta.fork:
        parent = meta.parent_full_name or "another repository"
        return Fact(True, (f"GitHub: fork of {parent}",), f"GitHub says it is a fork of {parent}")
    people = info.contributors or ()
    if info.owner is None or info.owner.type != "User" or not people:
        return None
    owner = meta.owner.lower()
    if any(c.login.lower() == owner for c in people):
        return None
    top = max(people, key=lambda c: c.commits)
    total = sum(c.commits for c in people)
    if total == 0 or top.commits * 2 < total:
        return None
    return Fact(
        True,
        (f"GitHub: contributors of {meta.full_name}",),
        f"GitHub links {top.commits} of {total} commits to {top.login} and none to the owner "
        f"{meta.owner}: the history is another author's work",
    )


def _metadata(info: RepositoryInfo) -> dict[str, Any]:
    meta = info.metadata
    out: dict[str, Any] = {
        "full_name": meta.full_name,
        "default_branch": meta.default_branch,
        "description": meta.description,
        "fork_of": meta.parent_full_name,
        "languages": dict(meta.languages),
        "created_at": meta.created_at.isoformat() if meta.created_at else None,
        "pushed_at": meta.pushed_at.isoformat() if meta.pushed_at else None,
    }
    if meta.moved_from:
        out["moved_from"] = meta.moved_from
    if info.contributors is not None:
        out["contributors"] = [{"login": c.login, "commits": c.commits} for c in info.contributors]
    if info.owner is not None:
        out["owner"] = {
            "login": info.owner.login,
            "type": info.owner.type,
            "created_at": info.owner.created_at.isoformat() if info.owner.created_at else None,
        }
    return out


# -- results cache: keyed by repository, commit and tool version ---------------------------------


def _cache_path(settings: Settings, key: str, sha: str) -> Path:
    return settings.results_dir / key / f"{sha}-{__version__}.json"


def _cached_report(settings: Settings, key: str, sha: str) -> Report | None:
    path = _cache_path(settings, key, sha)
    try:
        return Report.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, OSError):
        log.warning("ignoring an unreadable cached report %s", path)
        return None


def _github_facts_missing_only(report: Report) -> bool:
    """True when a cached report lacks GitHub facts (so a run with the API can improve it)."""
    return all(report.value(name) is None for name in GITHUB_FACTS)


def _store_report(settings: Settings, key: str, report: Report) -> None:
    path = _cache_path(settings, key, report.commit)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(report.to_json(), fh)
    os.replace(tmp, path)
