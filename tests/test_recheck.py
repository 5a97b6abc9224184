"""reviewer.recheck and ``reviewer recheck``: has a pinned repository changed since the pin?"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner
from fakegithub import API, FakeGitHub, load_fixture, register

from reviewer.cli import cli
from reviewer.errors import BadTargetError, RepositoryBlockedError
from reviewer.github import GitHubClient
from reviewer.recheck import recheck
from reviewer.report import RepoRef
from reviewer.settings import Settings

HELLO = RepoRef("github.com", "octocat", "Hello-World")
HELLO_API = f"{API}/repos/octocat/Hello-World"
HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"  # repos_commits_list.json
PINNED = "a" * 40


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client(tmp_path: Path) -> GitHubClient:
    settings = Settings(data_dir=tmp_path, github_token="test-token")
    return GitHubClient(settings, sleep=lambda s: None)


def register_repo(rsps: responses.RequestsMock, head: str = HEAD, **repo: object) -> None:
    body = load_fixture("repos_get.json")["body"]
    body.update(repo)
    register(rsps, "repos_get.json", body=body)
    commits = load_fixture("repos_commits_list.json")["body"]
    commits[0]["sha"] = head
    register(rsps, "repos_commits_list.json", body=commits, drop=("link",))
    register(rsps, "repos_languages.json")


def comparison(status: str, ahead: int, behind: int) -> dict[str, object]:
    """The fields of GitHub's compare answer (``GET .../compare/{base}...{head}``) that matter;
    the fixtures hold no example of this endpoint."""
    return {
        "url": f"{HELLO_API}/compare/{PINNED}...{HEAD}",
        "status": status,
        "ahead_by": ahead,
        "behind_by": behind,
        "total_commits": ahead,
        "commits": [],
        "files": [],
    }


def register_compare(rsps: responses.RequestsMock, body: dict[str, object] | None) -> None:
    url = f"{HELLO_API}/compare/{PINNED}...{HEAD}"
    if body is None:
        register(rsps, "error_not_found.json", url)
    else:
        register(rsps, "repos_get.json", url, body=body)


@pytest.mark.parametrize(
    ("compare", "changes", "ahead", "words"),
    [
        (comparison("ahead", 3, 0), ("new_commits",), 3, "3 new commits"),
        (comparison("identical", 0, 0), (), 0, "is at the pinned commit"),
        (comparison("diverged", 2, 5), ("force_pushed",), 2, "no longer on the default branch"),
        (comparison("behind", 0, 4), ("force_pushed",), 0, "force-push or reset"),
        (None, ("force_pushed",), None, "no longer knows the pinned commit"),
    ],
    ids=["new-commits", "identical", "diverged", "reset-behind", "pin-unknown-404"],
)
def test_recheck_compares_the_pin_with_the_head_when_head_moved(
    rsps, client, compare, changes, ahead, words
):
    register_repo(rsps)
    register_compare(rsps, compare)
    result = recheck(client, HELLO, PINNED)
    assert result.changes == changes
    assert result.changed is bool(changes)
    assert (result.head_sha, result.ahead_by) == (HEAD, ahead)
    assert words in result.message


def test_recheck_reports_unchanged_when_head_is_the_pin_without_compare(rsps, client):
    register_repo(rsps)
    result = recheck(client, HELLO, HEAD[:12].upper())
    assert (result.changes, result.changed, result.pinned_sha) == ((), False, HEAD[:12])
    assert "still points at the pinned commit" in result.message


def test_recheck_reports_a_rename(rsps, client):
    register(rsps, "error_moved_permanently_301.json")
    register(rsps, "repos_get.json", f"{API}/repositories/1296269")
    register(rsps, "repos_commits_list.json", drop=("link",))
    register(rsps, "repos_languages.json")
    result = recheck(client, RepoRef("github.com", "octocat", "Old-Name"), HEAD)
    assert result.changes == ("renamed",)
    assert result.full_name == "octocat/Hello-World"
    assert "renamed or transferred to octocat/Hello-World" in result.message


def test_recheck_reports_made_private_when_the_token_still_sees_it(rsps, client):
    register_repo(rsps, private=True, visibility="private")
    result = recheck(client, HELLO, HEAD)
    assert result.changes == ("made_private",)


@pytest.mark.parametrize(
    ("fixture", "ref", "changes"),
    [
        (
            "error_not_found.json",
            RepoRef("github.com", "octocat", "does-not-exist"),
            ("not_found",),
        ),
        ("replay_error_not_found.json", RepoRef("github.com", "jacquev6", "Xxx"), ("not_found",)),
    ],
    ids=["404", "404-real-recording"],
)
def test_recheck_reports_deleted_or_private_when_not_found(rsps, client, fixture, ref, changes):
    register(rsps, fixture)
    result = recheck(client, ref, PINNED)
    assert (result.changes, result.found, result.head_sha) == (changes, False, None)
    assert "deleted, or made private" in result.message


def test_recheck_reports_an_emptied_repository(rsps, client):
    register_repo_body = load_fixture("repos_get.json")["body"]
    register_repo_body.update(name="empty-repo", full_name="octocat/empty-repo")
    register(rsps, "repos_get.json", f"{API}/repos/octocat/empty-repo", body=register_repo_body)
    register(rsps, "error_empty_repository_409.json")
    result = recheck(client, RepoRef("github.com", "octocat", "empty-repo"), PINNED)
    assert result.changes == ("empty",)


def test_recheck_raises_when_blocked(rsps, client):
    register(rsps, "error_repo_blocked_451.json")
    with pytest.raises(RepositoryBlockedError):
        recheck(client, RepoRef("github.com", "octocat", "blocked-repo"), PINNED)


@pytest.mark.parametrize("sha", ["", "xyz", "abc", "g" * 40, "a" * 41], ids=str)
def test_recheck_refuses_what_is_not_a_commit_id(client, sha):
    with pytest.raises(BadTargetError, match="not a commit id"):
        recheck(client, HELLO, sha)


def test_recheck_revalidates_instead_of_trusting_the_cache(rsps, client):
    register_repo(rsps)
    recheck(client, HELLO, HEAD)
    rsps.reset()
    moved_on = "b" * 40
    register(rsps, "repos_get.json")  # the fixtures carry no ETag: a full answer each time
    commits = load_fixture("repos_commits_list.json")["body"]
    commits[0]["sha"] = moved_on
    register(rsps, "repos_commits_list.json", body=commits, drop=("link",))
    compare_url = f"{HELLO_API}/compare/{HEAD}...{moved_on}"
    register(rsps, "repos_get.json", compare_url, body=comparison("ahead", 1, 0))
    result = recheck(client, HELLO, HEAD)  # languages come from the cache
    assert (result.changes, result.head_sha) == (("new_commits",), moved_on)


# -- the command -----------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"REVIEWER_DATA_DIR": str(tmp_path), "GITHUB_TOKEN": "test-token"}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["recheck", *args], env=env)
    return result.exit_code, result.output


def test_cli_exits_0_when_unchanged(rsps, env):
    register_repo(rsps)
    code, out = run(env, "https://github.com/octocat/Hello-World", "--commit", HEAD)
    assert code == 0
    assert "unchanged" in out


def test_cli_exits_1_with_json_when_changed(rsps, env):
    register_repo(rsps)
    register_compare(rsps, comparison("ahead", 2, 0))
    code, out = run(
        env, "https://github.com/octocat/Hello-World/", "--commit", PINNED, "--format", "json"
    )
    assert code == 1
    data = json.loads(out)
    assert (data["changed"], data["changes"], data["ahead_by"]) == (True, ["new_commits"], 2)


def test_cli_exits_2_when_not_found(rsps, env):
    register(rsps, "error_not_found.json")
    code, out = run(
        env, "https://github.com/octocat/does-not-exist", "--commit", PINNED, "--format", "json"
    )
    assert code == 2
    assert json.loads(out)["changes"] == ["not_found"]


@pytest.mark.parametrize(
    ("url", "sha", "words"),
    [
        ("https://gitlab.com/a/b", PINNED, "gitlab.com"),
        ("https://github.com/octocat/Hello-World", "not-a-sha", "not a commit id"),
    ],
    ids=["other-host", "bad-sha"],
)
def test_cli_exits_2_on_bad_input(env, url, sha, words):
    code, out = run(env, url, "--commit", sha)
    assert code == 2
    assert words in out


def test_cli_against_a_local_fake_github(tmp_path):
    with FakeGitHub() as fake:
        fake.add_repo("Alice", "portfolio", head_sha="b" * 40)
        fake.moved("Alice/old-name")
        env = {"GITHUB_API_URL": fake.url, "REVIEWER_DATA_DIR": str(tmp_path)}
        code, out = run(env, "https://github.com/Alice/old-name", "--commit", "b" * 40)
    assert code == 1
    assert "changed: renamed" in out
    assert "Alice/portfolio" in out
