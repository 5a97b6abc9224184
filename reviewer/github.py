"""The GitHub API client: the only module that imports PyGithub.

``GitHubClient`` is built explicitly from ``Settings`` by its caller (never at import time). It
returns the plain dataclasses of ``reviewer.github_models`` and turns every PyGithub and
``requests`` error into the exception tree of ``reviewer.errors`` (the mapping, and when to
wait for a rate limit, is ``reviewer.github_errors``), raising ``from`` the original.

PyGithub is created with ``retry=None`` (its own retries would hide rate limits and loop
unseen), no request throttling, and a timeout; this module owns retries, backoff and waiting,
all bounded. Answers are kept on disk with their ``ETag`` (``reviewer.github_cache``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from github import Auth, Github, GithubException
from github.Requester import Requester

from reviewer.errors import ConfigError, GitHubError, RepositoryEmptyError, RepositoryNotFoundError
from reviewer.github_cache import CachedAnswer, ResponseCache
from reviewer.github_errors import (
    capital,
    error_for_status,
    network_error,
    rate_limit_error,
    rate_limit_wait,
)
from reviewer.github_models import (
    Account,
    CiStatus,
    Comparison,
    Contributor,
    RepoMetadata,
    Workflow,
    parse_account,
    parse_comparison,
    parse_contributor,
    parse_repository,
    parse_run,
    parse_workflow,
)
from reviewer.report import RepoRef
from reviewer.settings import Settings
from reviewer.version import __version__

logger = logging.getLogger(__name__)

BACKOFF_BASE_S = 1.0  # first wait after a 5xx or timeout; doubles with each retry
BACKOFF_MAX_S = 30.0
MAX_RATE_LIMIT_WAITS = 3  # rate-limit waits per request, on top of the total-time bound
MAX_LIST_PAGES = 5  # of 100 items each (contributors, workflows)

UNAUTHENTICATED_WARNING = (
    "No GITHUB_TOKEN is set: GitHub allows only 60 API requests an hour from this machine "
    "without one (5,000 with a token), so reviews may stop on the rate limit."
)

_TRANSIENT_NETWORK_ERRORS = (
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)


class GitHubClient:
    """Read-only access to the GitHub REST API under its real-world limits.

    ``sleep`` and ``now`` (epoch seconds) are injectable so that tests need not wait.
    ``calls_made`` counts HTTP requests sent (retries and conditional requests included);
    ``calls_not_modified`` those answered 304; ``cache_hits`` answers served from disk unasked.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._settings = settings
        self._sleep = sleep
        self._now = now
        token = settings.github_token
        self._github = Github(
            auth=Auth.Token(token) if token else None,
            base_url=settings.github_api_url,
            timeout=max(1, math.ceil(settings.github_timeout_s)),
            user_agent=f"portfolio-reviewer/{__version__}",
            per_page=100,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        fingerprint = hashlib.sha256(token.encode()).hexdigest()[:16] if token else "anonymous"
        self._cache = ResponseCache(
            settings.github_cache_dir,
            ttl_s=settings.github_cache_ttl_s,
            namespace=f"{settings.github_api_url}\n{fingerprint}",
            now=now,
        )
        self.calls_made = 0
        self.calls_not_modified = 0
        self.cache_hits = 0
        self.rate_limit_remaining: int | None = None
        self.auth_warning: str | None = None if token else UNAUTHENTICATED_WARNING
        if self.auth_warning:
            logger.warning(self.auth_warning)

    @property
    def authenticated(self) -> bool:
        return self._settings.github_token is not None

    # -- the resources -------------------------------------------------------------------

    def repository(self, ref: RepoRef, *, fresh: bool = False) -> RepoMetadata:
        """Metadata plus the default branch's head. Follows a rename and says so in
        ``moved_from``. ``fresh`` revalidates the volatile parts instead of trusting the TTL."""
        subject = f"the repository {ref.slug}"
        raw = self._get(_path("repos", ref.owner, ref.name), subject=subject, fresh=fresh).body
        if not isinstance(raw, Mapping) or "full_name" not in raw:
            raise GitHubError(f"GitHub gave an unreadable answer for {subject}.")
        full_name = str(raw["full_name"])
        moved_from = ref.slug if full_name.lower() != ref.slug.lower() else None
        if moved_from:
            logger.info("GitHub redirected %s to %s", ref.slug, full_name)
        head = self.head_sha(full_name, str(raw["default_branch"]), fresh=fresh)
        languages = self._get(
            _path("repos", *full_name.split("/"), "languages"),
            subject=f"the languages of {full_name}",
        ).body
        return parse_repository(
            raw,
            head_sha=head,
            languages=languages if isinstance(languages, Mapping) else {},
            moved_from=moved_from,
        )

    def head_sha(self, full_name: str, branch: str, *, fresh: bool = False) -> str:
        subject = f"the repository {full_name}"
        body = self._get(
            _path("repos", *full_name.split("/"), "commits"),
            {"sha": branch, "per_page": 1},
            subject=subject,
            fresh=fresh,
        ).body
        if not isinstance(body, list) or not body:
            raise RepositoryEmptyError(
                f"{capital(subject)} has no commits on its default branch {branch!r} yet. "
                "Push the project's code, then submit it again."
            )
        return str(body[0]["sha"])

    def account(self, login: str) -> Account:
        body = self._get(_path("users", login), subject=f"the GitHub account {login}").body
        return parse_account(body)

    def contributors(self, full_name: str) -> tuple[Contributor, ...]:
        items = self._get_list(
            _path("repos", *full_name.split("/"), "contributors"),
            subject=f"the contributors of {full_name}",
        )
        return tuple(parse_contributor(item) for item in items)

    def workflows(self, full_name: str) -> tuple[Workflow, ...]:
        items = self._get_list(
            _path("repos", *full_name.split("/"), "actions", "workflows"),
            subject=f"the GitHub Actions workflows of {full_name}",
            item_key="workflows",
        )
        return tuple(parse_workflow(item) for item in items)

    def latest_run(self, full_name: str, branch: str, *, fresh: bool = False) -> CiStatus | None:
        """The most recent GitHub Actions run on ``branch``, or None when there is none."""
        body = self._get(
            _path("repos", *full_name.split("/"), "actions", "runs"),
            {"branch": branch, "per_page": 1, "exclude_pull_requests": "true"},
            subject=f"the GitHub Actions runs of {full_name}",
            fresh=fresh,
        ).body
        runs = body.get("workflow_runs") if isinstance(body, Mapping) else None
        return parse_run(runs[0]) if runs else None

    def compare(self, full_name: str, base: str, head: str) -> Comparison | None:
        """How ``head`` relates to ``base``; None when GitHub no longer knows ``base``."""
        try:
            body = self._get(
                _path("repos", *full_name.split("/"), "compare", f"{base}...{head}"),
                {"per_page": 1},
                subject=f"the commit {base} in {full_name}",
            ).body
        except RepositoryNotFoundError:
            return None
        return parse_comparison(body)

    # -- transport: cache, pagination, retries, translation -------------------------------

    def _get(
        self,
        url: str,
        params: Mapping[str, object] | None = None,
        *,
        subject: str,
        fresh: bool = False,
    ) -> CachedAnswer:
        key = self._cache.key(url, params)
        cached = self._cache.load(key)
        if cached is not None and not fresh and self._cache.is_fresh(cached):
            self.cache_hits += 1
            return cached
        headers: dict[str, str] = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        elif cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        status, reply_headers, body = self._request(url, params, headers, subject)
        if status == 304 and cached is not None:
            self.calls_not_modified += 1
            return self._cache.touch(key, cached, url=url)
        if status == 304:
            raise GitHubError(f"GitHub answered 'not modified' to a plain request for {subject}.")
        return self._cache.store(key, body, reply_headers, url=url)

    def _get_list(self, url: str, *, subject: str, item_key: str | None = None) -> list[Any]:
        items: list[Any] = []
        next_url: str | None = url
        params: Mapping[str, object] | None = {"per_page": 100}
        for _page in range(MAX_LIST_PAGES):
            if next_url is None:
                return items
            answer = self._get(next_url, params, subject=subject)
            body = answer.body
            page = body.get(item_key) if item_key and isinstance(body, Mapping) else body
            items.extend(page if isinstance(page, list) else ())
            next_url, params = self._next_page(answer.link), None
        if next_url is not None:
            logger.info("%s: stopped after %d pages", subject, MAX_LIST_PAGES)
        return items

    def _next_page(self, link: str | None) -> str | None:
        """The rel="next" URL, if it points back at the configured API server."""
        for entry in requests.utils.parse_header_links(link or ""):
            if entry.get("rel") == "next":
                target, base = urlsplit(entry["url"]), urlsplit(self._settings.github_api_url)
                if (target.scheme, target.hostname) == (base.scheme, base.hostname):
                    return entry["url"]
                logger.warning("ignoring a next-page link to another server: %s", entry["url"])
        return None

    def _send(
        self, url: str, params: Mapping[str, object] | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        """One HTTP exchange through PyGithub; raises its exceptions untranslated."""
        requester = self._github.requester
        status, reply_headers, text = requester.requestJson(
            "GET", url, parameters=dict(params or {}), headers=dict(headers)
        )
        reply_headers = {str(k).lower(): str(v) for k, v in reply_headers.items()}
        remaining = reply_headers.get("x-ratelimit-remaining", "")
        if remaining.isdigit():
            self.rate_limit_remaining = int(remaining)
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
        if status >= 400:
            raise Requester.createException(
                status, reply_headers, body if isinstance(body, dict) else {}
            )
        return status, reply_headers, body

    def _request(
        self,
        url: str,
        params: Mapping[str, object] | None,
        headers: dict[str, str],
        subject: str,
    ) -> tuple[int, dict[str, str], Any]:
        """Send until answered: 5xx and network errors are retried with backoff, rate limits
        waited out, each within its bound; anything else is translated and raised."""
        settings = self._settings
        retries, limit_waits, waited = 0, 0, 0.0
        max_retries = max(0, settings.github_max_retries)
        while True:
            self.calls_made += 1
            try:
                return self._send(url, params, headers)
            except GithubException as err:
                message = _message(err)
                reply_headers = {k.lower(): v for k, v in (err.headers or {}).items()}
                wait = rate_limit_wait(err.status, reply_headers, message, self._now())
                if wait is None:
                    if err.status >= 500 and retries < max_retries:
                        self._sleep(self._backoff(retries))
                        retries += 1
                        continue
                    raise error_for_status(
                        err.status, message, err.data, subject=subject, attempts=retries + 1
                    ) from err
                bound = settings.github_max_rate_limit_wait_s
                if waited + wait.delay_s > bound or limit_waits >= MAX_RATE_LIMIT_WAITS:
                    raise rate_limit_error(
                        wait, now=self._now(), bound_s=bound, authenticated=self.authenticated
                    ) from err
                logger.warning("GitHub %s rate limit: waiting %.0f s", wait.kind, wait.delay_s)
                self._sleep(wait.delay_s)
                waited += wait.delay_s
                limit_waits += 1
            except requests.exceptions.RequestException as err:
                if isinstance(err, _TRANSIENT_NETWORK_ERRORS) and retries < max_retries:
                    self._sleep(self._backoff(retries))
                    retries += 1
                    continue
                raise network_error(
                    err,
                    api_url=settings.github_api_url,
                    timeout_s=settings.github_timeout_s,
                    subject=subject,
                    attempts=retries + 1,
                ) from err
            except RuntimeError as err:  # PyGithub refuses a redirect to another host/scheme
                raise ConfigError(
                    f"GitHub redirected the request for {subject} to another server ({err}). "
                    "Check GITHUB_API_URL."
                ) from err

    def _backoff(self, retries: int) -> float:
        return float(min(BACKOFF_BASE_S * 2**retries, BACKOFF_MAX_S))


def _path(*segments: str) -> str:
    return "/" + "/".join(quote(s, safe="") for s in segments)


def _message(err: GithubException) -> str:
    data = err.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    return err.message or ""
