"""reviewer.github / github_info: the API client under GitHub's real answers and limits.

HTTP is mocked with ``responses`` in strict mode, using the payloads of
``../shared/fixtures/github/``; the last tests drive a real local HTTP server (fakegithub).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import responses
from fakegithub import API, FakeGitHub, load_fixture, register, url_pattern
from responses import matchers

from reviewer.errors import (
    ConfigError,
    GitHubUnavailableError,
    RateLimitError,
    RepositoryBlockedError,
    RepositoryEmptyError,
    RepositoryNotFoundError,
)
from reviewer.github import UNAUTHENTICATED_WARNING, GitHubClient
from reviewer.github_info import RepositoryInfo, fetch_repository_info, github_facts
from reviewer.github_models import CiStatus, parse_repository
from reviewer.report import RepoRef
from reviewer.settings import Settings

HELLO = RepoRef("github.com", "octocat", "Hello-World")
HELLO_API = f"{API}/repos/octocat/Hello-World"
HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"  # repos_commits_list.json
T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC


class Clock:
    """A fake ``now``/``sleep`` pair: sleeping advances time instantly and is recorded."""

    def __init__(self, start: float = T0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, github_token="test-token")


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def make_client(settings: Settings, clock: Clock) -> GitHubClient:
    return GitHubClient(settings, sleep=clock.sleep, now=clock.time)


def register_head_and_languages(rsps: responses.RequestsMock, api: str = HELLO_API) -> None:
    register(rsps, "repos_commits_list.json", f"{api}/commits", drop=("link",))
    register(rsps, "repos_languages.json", f"{api}/languages")


def register_hello(rsps: responses.RequestsMock, **overrides: object) -> None:
    body = load_fixture("repos_get.json")["body"]
    body.update(overrides)
    register(rsps, "repos_get.json", body=body)
    register_head_and_languages(rsps)


# -- metadata --------------------------------------------------------------------------------


def test_repository_returns_metadata_from_the_api(rsps, settings, clock):
    register_hello(rsps)
    meta = make_client(settings, clock).repository(HELLO)
    assert (meta.id, meta.full_name, meta.owner, meta.name) == (
        1296269,
        "octocat/Hello-World",
        "octocat",
        "Hello-World",
    )
    assert meta.html_url == "https://github.com/octocat/Hello-World"
    assert (meta.visibility, meta.private, meta.archived) == ("public", False, False)
    assert (meta.fork, meta.parent_full_name) == (False, None)
    assert (meta.default_branch, meta.head_sha) == ("master", HEAD)
    assert (meta.size_kb, meta.stars, meta.license_spdx) == (108, 80, "MIT")
    assert meta.languages == {"C": 78769, "Python": 7769}
    assert meta.topics == ("octocat", "atom", "electron", "api")
    assert meta.description == "This your first repo!"
    assert meta.created_at == datetime(2011, 1, 26, 19, 1, 12, tzinfo=UTC)
    assert meta.pushed_at == datetime(2011, 1, 26, 19, 6, 43, tzinfo=UTC)
    assert meta.moved_from is None


def test_repository_reports_fork_parent_when_forked(rsps, settings, clock):
    register_hello(rsps, fork=True)
    meta = make_client(settings, clock).repository(HELLO)
    assert (meta.fork, meta.parent_full_name, meta.source_full_name) == (
        True,
        "octocat/Hello-World",
        "octocat/Hello-World",
    )


def test_repository_reads_the_current_payload_of_a_real_recording(rsps, settings, clock):
    api = f"{API}/repos/PyGithub/PyGithub"
    register(rsps, "replay_repos_get.json")
    register(rsps, "replay_repos_commits_list_paginated.json", f"{api}/commits", drop=("link",))
    register(rsps, "replay_repos_languages.json", f"{api}/languages")
    meta = make_client(settings, clock).repository(RepoRef("github.com", "PyGithub", "PyGithub"))
    assert (meta.default_branch, meta.license_spdx, meta.stars) == ("main", "LGPL-3.0", 7701)
    assert (
        meta.head_sha == load_fixture("replay_repos_commits_list_paginated.json")["body"][0]["sha"]
    )


@pytest.mark.parametrize(
    ("moved", "target", "asked", "new_name"),
    [
        (
            "error_moved_permanently_301.json",
            "repos_get.json",
            RepoRef("github.com", "octocat", "Old-Name"),
            "octocat/Hello-World",
        ),
        (
            "replay_repos_get_301_moved.json",
            "replay_repositories_get_after_301.json",
            RepoRef("github.com", "EnricoMi", "test"),
            "EnricoMi/test-renamed",
        ),
    ],
    ids=["description-example", "real-recording"],
)
def test_repository_follows_a_rename_when_moved(
    rsps, settings, clock, moved, target, asked, new_name
):
    fx = register(rsps, moved)
    register(rsps, target, fx["headers"]["Location"])
    register_head_and_languages(rsps, f"{API}/repos/{new_name}")
    meta = make_client(settings, clock).repository(asked)
    assert meta.full_name == new_name
    assert meta.moved_from == asked.slug


# -- failures of the repository itself ---------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "ref", "error", "words"),
    [
        (
            "error_not_found.json",
            RepoRef("github.com", "octocat", "does-not-exist"),
            RepositoryNotFoundError,
            ("octocat/does-not-exist", "not found", "private"),
        ),
        (
            "replay_error_not_found.json",
            RepoRef("github.com", "jacquev6", "Xxx"),
            RepositoryNotFoundError,
            ("jacquev6/Xxx", "not found"),
        ),
        (
            "error_repo_blocked_451.json",
            RepoRef("github.com", "octocat", "blocked-repo"),
            RepositoryBlockedError,
            ("octocat/blocked-repo", "blocks", "dmca"),
        ),
    ],
    ids=["404", "404-real-recording", "451-blocked"],
)
def test_repository_raises_a_readable_error_when_refused(
    rsps, settings, clock, fixture, ref, error, words
):
    register(rsps, fixture)
    with pytest.raises(error) as caught:
        make_client(settings, clock).repository(ref)
    for word in words:
        assert word in str(caught.value)
    assert caught.value.__cause__ is not None  # raised `from` PyGithub's exception


def test_repository_raises_empty_when_commits_answer_409(rsps, settings, clock):
    body = load_fixture("repos_get.json")["body"]
    body.update(name="empty-repo", full_name="octocat/empty-repo")
    register(rsps, "repos_get.json", f"{API}/repos/octocat/empty-repo", body=body)
    register(rsps, "error_empty_repository_409.json")
    with pytest.raises(RepositoryEmptyError, match="octocat/empty-repo is empty"):
        make_client(settings, clock).repository(RepoRef("github.com", "octocat", "empty-repo"))


def test_bad_token_raises_config_error(rsps, settings, clock):
    register(
        rsps, "error_not_found.json", HELLO_API, status=401, body={"message": "Bad credentials"}
    )
    with pytest.raises(ConfigError, match="GITHUB_TOKEN"):
        make_client(settings, clock).repository(HELLO)


# -- rate limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture",
    ["error_rate_limit_primary.json", "error_rate_limit_primary_authenticated.json"],
    ids=["unauthenticated", "authenticated"],
)
def test_primary_rate_limit_waits_for_the_reset_when_within_bound(rsps, settings, clock, fixture):
    reset = int(T0) + 30
    register(rsps, fixture, headers={"X-RateLimit-Reset": str(reset)})
    register_hello(rsps)
    client = make_client(settings, clock)
    assert client.repository(HELLO).head_sha == HEAD
    assert clock.sleeps == [31.0]  # until the reset, plus a second for clock skew
    assert client.calls_made == 4


@pytest.mark.parametrize(
    ("token", "advice"),
    [(None, "set GITHUB_TOKEN"), ("test-token", "Try again after that time.")],
    ids=["unauthenticated", "authenticated"],
)
def test_primary_rate_limit_beyond_bound_raises_with_the_reset_time(
    rsps, settings, clock, token, advice
):
    reset = int(T0) + 3600
    register(rsps, "error_rate_limit_primary.json", headers={"X-RateLimit-Reset": str(reset)})
    client = make_client(settings.with_(github_token=token), clock)
    with pytest.raises(RateLimitError) as caught:
        client.repository(HELLO)
    assert "2023-11-14 23:13:20 UTC" in str(caught.value)
    assert advice in str(caught.value)
    assert caught.value.reset_at == datetime.fromtimestamp(reset, tz=UTC)
    assert caught.value.transient
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("fixture", "url"),
    [
        ("error_rate_limit_secondary.json", None),
        ("replay_error_rate_limit_secondary.json", HELLO_API),
    ],
    ids=["description-example", "real-recording"],
)
def test_secondary_rate_limit_honours_retry_after(rsps, settings, clock, fixture, url):
    register(rsps, fixture, url)
    register_hello(rsps)
    assert make_client(settings, clock).repository(HELLO).head_sha == HEAD
    assert clock.sleeps == [60.0]


def test_secondary_rate_limit_beyond_bound_raises(rsps, settings, clock):
    register(rsps, "error_rate_limit_secondary.json", headers={"Retry-After": "900"})
    with pytest.raises(RateLimitError, match="secondary rate limit") as caught:
        make_client(settings, clock).repository(HELLO)
    assert caught.value.reset_at == datetime.fromtimestamp(T0 + 900, tz=UTC)
    assert clock.sleeps == []


def test_rate_limit_waits_stop_at_the_total_bound(rsps, settings, clock):
    for _ in range(2):  # 2 × 60 s fits the 120 s bound, a third wait does not
        register(rsps, "error_rate_limit_secondary.json")
    register(rsps, "error_rate_limit_secondary.json")
    with pytest.raises(RateLimitError):
        make_client(settings, clock).repository(HELLO)
    assert clock.sleeps == [60.0, 60.0]


# -- 5xx and timeouts ------------------------------------------------------------------------


def test_server_error_is_retried_with_backoff_then_succeeds(rsps, settings, clock):
    for status in (502, 500):
        register(rsps, "error_not_found.json", HELLO_API, status=status, body={"message": "oops"})
    register_hello(rsps)
    client = make_client(settings, clock)
    assert client.repository(HELLO).full_name == "octocat/Hello-World"
    assert clock.sleeps == [1.0, 2.0]
    assert client.calls_made == 5


def test_server_error_exhausted_raises_unavailable(rsps, settings, clock):
    register(rsps, "error_not_found.json", HELLO_API, status=503, body=None)
    client = make_client(settings, clock)
    with pytest.raises(GitHubUnavailableError, match="503") as caught:
        client.repository(HELLO)
    assert "4 attempts" in str(caught.value)
    assert clock.sleeps == [1.0, 2.0, 4.0]  # github_max_retries = 3
    assert client.calls_made == 4


def test_timeout_is_retried_then_succeeds(rsps, settings, clock):
    rsps.add(responses.GET, url_pattern(HELLO_API), body=requests.ConnectTimeout("slow"))
    register_hello(rsps)
    assert make_client(settings, clock).repository(HELLO).head_sha == HEAD
    assert clock.sleeps == [1.0]


def test_timeout_exhausted_raises_unavailable(rsps, settings, clock):
    rsps.add(responses.GET, url_pattern(HELLO_API), body=requests.ConnectTimeout("slow"))
    client = make_client(settings.with_(github_max_retries=1), clock)
    with pytest.raises(GitHubUnavailableError, match="did not answer within 15 s") as caught:
        client.repository(HELLO)
    assert isinstance(caught.value.__cause__, requests.ConnectTimeout)
    assert clock.sleeps == [1.0]


# -- quota care ------------------------------------------------------------------------------


def register_pygithub_repo(rsps: responses.RequestsMock) -> str:
    api = f"{API}/repos/PyGithub/PyGithub"
    fx = register(rsps, "replay_repos_get.json")
    register(rsps, "replay_repos_commits_list_paginated.json", f"{api}/commits", drop=("link",))
    register(rsps, "replay_repos_languages.json", f"{api}/languages")
    return str(fx["headers"]["ETag"])


PYGITHUB = RepoRef("github.com", "PyGithub", "PyGithub")


def test_rereview_within_ttl_makes_no_call(rsps, settings, clock):
    register_pygithub_repo(rsps)
    first = make_client(settings, clock)
    cold = first.repository(PYGITHUB)
    assert first.calls_made == 3
    clock.now += settings.github_cache_ttl_s - 1
    warm_client = make_client(settings, clock)
    assert warm_client.repository(PYGITHUB) == cold  # strict mock: any request would fail
    assert (warm_client.calls_made, warm_client.cache_hits) == (0, 3)


def test_revalidation_sends_if_none_match_and_uses_the_304(rsps, settings, clock):
    etag = register_pygithub_repo(rsps)
    cold = make_client(settings, clock).repository(PYGITHUB)
    rsps.reset()
    register(
        rsps,
        "replay_repos_get_304_not_modified.json",
        f"{API}/repos/PyGithub/PyGithub",
        match=[matchers.header_matcher({"If-None-Match": etag})],
    )
    commits_etag = load_fixture("replay_repos_commits_list_paginated.json")["headers"]["ETag"]
    register(
        rsps,
        "replay_repos_get_304_not_modified.json",
        f"{API}/repos/PyGithub/PyGithub/commits",
        match=[matchers.header_matcher({"If-None-Match": commits_etag})],
    )
    client = make_client(settings, clock)
    assert client.repository(PYGITHUB, fresh=True) == cold  # languages: still within the TTL
    assert (client.calls_made, client.calls_not_modified, client.cache_hits) == (2, 2, 1)


def test_expired_entry_is_revalidated_not_refetched(rsps, settings, clock):
    register(rsps, "replay_users_get.json")
    make_client(settings, clock).account("jacquev6")
    rsps.reset()
    etag = load_fixture("replay_users_get.json")["headers"]["ETag"]
    register(
        rsps,
        "replay_repos_get_304_not_modified.json",
        f"{API}/users/jacquev6",
        match=[matchers.header_matcher({"If-None-Match": etag})],
    )
    clock.now += settings.github_cache_ttl_s + 1
    client = make_client(settings, clock)
    assert client.account("jacquev6").created_at == datetime(2010, 7, 9, 6, 10, 6, tzinfo=UTC)
    assert client.calls_not_modified == 1


def test_cache_is_not_shared_between_tokens(rsps, settings, clock):
    register(rsps, "users_get.json")
    register(rsps, "users_get.json")
    make_client(settings, clock).account("octocat")
    other = make_client(settings.with_(github_token="another-token"), clock)
    other.account("octocat")
    assert other.calls_made == 1


def test_unreadable_cache_entry_is_ignored(rsps, settings, clock):
    register(rsps, "users_get.json")
    register(rsps, "users_get.json")
    make_client(settings, clock).account("octocat")
    for entry in settings.github_cache_dir.rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert make_client(settings, clock).account("octocat").login == "octocat"


def test_client_without_token_warns_about_the_hourly_limit(settings, clock, caplog):
    with caplog.at_level(logging.WARNING, logger="reviewer.github"):
        client = make_client(settings.with_(github_token=None), clock)
    assert client.auth_warning == UNAUTHENTICATED_WARNING
    assert "60 API requests an hour" in caplog.text
    assert make_client(settings, clock).auth_warning is None


# -- the optional parts ----------------------------------------------------------------------


def test_contributors_follow_the_next_page(rsps, settings, clock):
    page2 = f"{API}/repositories/1296269/contributors?per_page=100&page=2"
    register(
        rsps,
        "repos_contributors_list.json",
        headers={"Link": f'<{page2}>; rel="next", <{page2}>; rel="last"'},
        match=[matchers.query_param_matcher({"per_page": "100"})],
    )
    second = dict(load_fixture("repos_contributors_list.json")["body"][0], login="hubot")
    register(rsps, "repos_contributors_list.json", page2, body=[second], drop=("link",))
    found = make_client(settings, clock).contributors("octocat/Hello-World")
    assert [(c.login, c.commits) for c in found] == [("octocat", 32), ("hubot", 32)]


def test_contributors_of_an_empty_repository_are_none(rsps, settings, clock):
    register(rsps, "repos_contributors_empty_204.json")
    assert make_client(settings, clock).contributors("octocat/empty-repo") == ()


def test_workflows_and_latest_run_come_from_actions(rsps, settings, clock):
    register(rsps, "actions_workflows_list.json", drop=("link",))
    register(
        rsps,
        "replay_actions_runs_list_paginated.json",
        f"{API}/repos/ReDASers/PhishBench/actions/runs",
        drop=("link",),
        match=[matchers.query_param_matcher({"branch": "master"}, strict_match=False)],
    )
    client = make_client(settings, clock)
    flows = client.workflows("octocat/Hello-World")
    assert [(w.name, w.path, w.state) for w in flows][0] == (
        "CI",
        ".github/workflows/blank.yml",
        "active",
    )
    run = client.latest_run("ReDASers/PhishBench", "master")
    assert run == CiStatus(
        conclusion="success",
        status="completed",
        run_url="https://github.com/ReDASers/PhishBench/actions/runs/720994709",
        head_sha="7aab33f4294ba5141f17bed0aeb1a929f7afc155",
        workflow_name="Unit Test",
    )


def test_fetch_repository_info_collects_every_part(rsps, settings, clock):
    register_hello(rsps)
    register(rsps, "users_get.json")
    register(rsps, "repos_contributors_list.json", drop=("link",))
    register(rsps, "actions_workflows_list.json", drop=("link",))
    register(rsps, "actions_runs_list.json", drop=("link",))
    client = make_client(settings, clock)
    info = fetch_repository_info(client, HELLO)
    assert info.owner is not None and info.owner.type == "User"
    assert info.contributors is not None and info.contributors[0].commits == 32
    assert info.workflows is not None and len(info.workflows) == 2
    assert info.latest_run is not None and info.latest_run.status == "queued"
    assert info.warnings == ()
    assert client.calls_made == 7


def test_fetch_repository_info_turns_actions_failures_into_warnings(rsps, settings, clock):
    register_hello(rsps)
    register(rsps, "users_get.json")
    register(rsps, "repos_contributors_list.json", drop=("link",))
    register(rsps, "error_not_found.json", f"{HELLO_API}/actions/workflows")
    register(
        rsps,
        "error_not_found.json",
        f"{HELLO_API}/actions/runs",
        status=403,
        body={"message": "Resource not accessible by integration"},
    )
    info = fetch_repository_info(make_client(settings.with_(github_token=None), clock), HELLO)
    codes = [w.code for w in info.warnings]
    assert codes == [
        "github-unauthenticated",
        "github-workflows-unavailable",
        "github-runs-unavailable",
    ]
    assert "Resource not accessible" in info.warnings[2].message
    assert (info.workflows, info.latest_run) == (None, None)
    assert github_facts(info)["ci_status"].reason == "GitHub Actions runs could not be read"


def test_fetch_repository_info_raises_when_the_repository_is_blocked(rsps, settings, clock):
    register(rsps, "error_repo_blocked_451.json")
    with pytest.raises(RepositoryBlockedError):
        fetch_repository_info(
            make_client(settings, clock), RepoRef("github.com", "octocat", "blocked-repo")
        )


# -- facts -----------------------------------------------------------------------------------


def info_with(run: CiStatus | None = None, **repo: object) -> RepositoryInfo:
    raw = load_fixture("repos_get.json")["body"]
    raw.update(repo)
    meta = parse_repository(raw, head_sha=HEAD, languages={})
    return RepositoryInfo(HELLO, meta, None, (), (), run)


RUN = CiStatus("failure", "completed", "https://github.com/o/n/actions/runs/1", HEAD, "CI")


@pytest.mark.parametrize(
    ("info", "name", "value", "evidence_or_reason"),
    [
        (info_with(), "visibility", "public", "GitHub: visibility public"),
        (info_with(private=True, visibility="private"), "visibility", "private", "private"),
        (info_with(fork=True), "is_fork", True, "GitHub: fork of octocat/Hello-World"),
        (info_with(), "is_fork", False, "not a fork"),
        (info_with(run=RUN), "ci_status", "failure", "https://github.com/o/n/actions/runs/1"),
        (
            info_with(run=CiStatus(None, "in_progress", "u", HEAD, "CI")),
            "ci_status",
            "in_progress",
            "u",
        ),
        (info_with(), "ci_status", None, "no workflow runs"),
        (info_with(), "github_stars", 80, "GitHub API: repos/octocat/Hello-World"),
        (info_with(), "github_license_spdx", "MIT", "GitHub API"),
        (info_with(license=None), "github_license_spdx", None, "no license"),
        (
            info_with(license={"spdx_id": "NOASSERTION"}),
            "github_license_spdx",
            None,
            "could not identify",
        ),
        (info_with(topics=["ml"]), "github_topics", ["ml"], "GitHub API"),
        (info_with(archived=True), "github_archived", True, "GitHub API"),
    ],
    ids=[
        "public",
        "private",
        "fork",
        "not-fork",
        "ci-failure",
        "ci-running",
        "ci-none",
        "stars",
        "license",
        "no-license",
        "unknown-license",
        "topics",
        "archived",
    ],
)
def test_github_facts_state_value_with_evidence(info, name, value, evidence_or_reason):
    fact = github_facts(info)[name]
    assert fact.value == value
    assert any(evidence_or_reason in text for text in (*fact.evidence, fact.reason))


# -- black box: a real local server ----------------------------------------------------------


def test_black_box_metadata_rate_limit_and_404(tmp_path, monkeypatch):
    head = "c0ffee" + "0" * 34
    with FakeGitHub() as fake:
        fake.add_repo("Alice", "portfolio", head_sha=head, fork_of="Teacher/course")
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("REVIEWER_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("GITHUB_TOKEN", "black-box-token")
        client = GitHubClient(Settings.from_env())
        ref = RepoRef("github.com", "Alice", "portfolio")

        fake.rate_limit(seconds=2)
        started = time.monotonic()
        info = fetch_repository_info(client, ref)
        waited = time.monotonic() - started

        assert 2 <= waited < 10
        assert info.metadata.head_sha == head
        facts = github_facts(info)
        assert facts["is_fork"].value is True
        assert facts["is_fork"].evidence == ("GitHub: fork of Teacher/course",)
        assert facts["ci_status"].value == "success"
        assert fake.requests[0][1]["Authorization"].endswith("black-box-token")

        with pytest.raises(RepositoryNotFoundError, match="Alice/missing"):
            fetch_repository_info(client, RepoRef("github.com", "Alice", "missing"))

        calls_before = client.calls_made
        again = fetch_repository_info(client, ref)  # token: head and run revalidated, 304s
        assert again.metadata == info.metadata
        assert client.calls_made - calls_before == client.calls_not_modified == 3


@pytest.mark.parametrize(
    ("script", "error", "sleeps"),
    [
        (lambda fake: fake.empty("Alice/portfolio"), RepositoryEmptyError, []),
        (lambda fake: fake.blocked("Alice/portfolio"), RepositoryBlockedError, []),
        (lambda fake: fake.fail("/repos/Alice/portfolio", 502, times=2), None, [1.0, 2.0]),
        (
            lambda fake: fake.fail("/repos/Alice/portfolio", 500, times=9),
            GitHubUnavailableError,
            [1.0, 2.0, 4.0],
        ),
        (lambda fake: fake.secondary_limit("/repos/Alice/portfolio", 7), None, [7.0]),
        (lambda fake: fake.secondary_limit("/repos/Alice/portfolio", 999), RateLimitError, []),
    ],
    ids=["409", "451", "5xx-then-ok", "5xx-exhausted", "secondary-limit", "secondary-too-long"],
)
def test_black_box_failure_states(tmp_path, clock, script, error, sleeps):
    with FakeGitHub() as fake:
        fake.add_repo("Alice", "portfolio", head_sha="d" * 40)
        script(fake)
        settings = Settings(data_dir=tmp_path, github_api_url=fake.url, github_token="t")
        client = make_client(settings, clock)
        ref = RepoRef("github.com", "Alice", "portfolio")
        if error is None:
            assert client.repository(ref).head_sha == "d" * 40
        else:
            with pytest.raises(error):
                client.repository(ref)
    assert clock.sleeps == sleeps
