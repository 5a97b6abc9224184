"""The GitHub step of a submission against a local fake GitHub API: public, exists, not
empty, pinned at the default branch's head; an unreachable GitHub never loses a submission."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakegithub import FakeGitHub

from reviewer.report import RepoRef
from reviewer.settings import Settings
from webapp import reviews

REF = RepoRef("github.com", "Ada", "churn-model")
HEAD = "ab" * 20


@pytest.fixture
def gh():
    with FakeGitHub() as server:
        yield server


def settings_for(gh: FakeGitHub, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, github_api_url=gh.url, github_max_retries=0,
                    github_timeout_s=2, github_cache_ttl_s=0)  # fmt: skip


def test_a_public_repository_is_verified_and_pinned(gh, tmp_path) -> None:
    gh.add_repo("Ada", "churn-model", head_sha=HEAD, default_branch="trunk")
    check = reviews.check_repository(REF, settings_for(gh, tmp_path))
    assert (check.verified, check.head_sha, check.default_branch) == (True, HEAD, "trunk")
    assert check.metadata["visibility"] == "public"


def test_a_private_repository_is_refused(gh, tmp_path) -> None:
    gh.add_repo("Ada", "churn-model", head_sha=HEAD, visibility="private")
    with pytest.raises(reviews.RepositoryRefused, match="not public"):
        reviews.check_repository(REF, settings_for(gh, tmp_path))


def test_a_missing_repository_is_refused(gh, tmp_path) -> None:
    with pytest.raises(reviews.RepositoryRefused, match="no public repository Ada/churn-model"):
        reviews.check_repository(REF, settings_for(gh, tmp_path))


def test_an_empty_repository_is_refused(gh, tmp_path) -> None:
    gh.empty("Ada/churn-model")
    with pytest.raises(reviews.RepositoryRefused):
        reviews.check_repository(REF, settings_for(gh, tmp_path))


def test_a_renamed_repository_is_pinned_under_its_new_name(gh, tmp_path) -> None:
    gh.add_repo("Ada", "churn-model-v2", head_sha=HEAD)
    gh.moved("Ada/churn-model")
    check = reviews.check_repository(REF, settings_for(gh, tmp_path))
    assert (check.ref.name, check.head_sha) == ("churn-model-v2", HEAD)


def test_github_down_gives_an_unverified_check(gh, tmp_path) -> None:
    gh.add_repo("Ada", "churn-model", head_sha=HEAD)
    gh.fail("/repos/Ada/churn-model", status=502, times=5)
    check = reviews.check_repository(REF, settings_for(gh, tmp_path))
    assert (check.verified, check.head_sha) == (False, None)


def test_unreachable_github_gives_an_unverified_check(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, github_api_url="http://127.0.0.1:9",
                        github_max_retries=0, github_timeout_s=1)  # fmt: skip
    check = reviews.check_repository(REF, settings)
    assert check.verified is False and check.note


def test_github_off_is_not_asked(tmp_path) -> None:
    check = reviews.check_repository(REF, Settings(data_dir=tmp_path, use_github_api=False))
    assert (check.verified, check.note) == (False, "GitHub checks are turned off.")


def test_a_local_forge_host_is_never_sent_to_github(tmp_path) -> None:
    demo = RepoRef("demo.invalid", "demo", "sample")
    settings = Settings(data_dir=tmp_path, github_api_url="http://127.0.0.1:9")
    local = reviews.settings_for(demo, settings, (("demo.invalid", "/srv/{owner}/{name}.git"),))
    assert (local.use_github_api, local.clone_url_template) == (False, "/srv/{owner}/{name}.git")
    assert "demo.invalid" in local.allowed_hosts
    assert reviews.settings_for(REF, settings, (("demo.invalid", "/x"),)) is settings
