"""The inspection with the GitHub API: a local fake API server + a local clone template.

This is the black-box setup operators use for air-gapped installs and that the issue's checks
use: ``GITHUB_API_URL=http://127.0.0.1:PORT`` and ``REVIEWER_CLONE_URL_TEMPLATE`` pointing at
local bare repositories.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakegithub import FakeGitHub
from gitrepo import commit, git, make_repo, publish

from reviewer.cli import cli

FILES = {
    "README.md": "# Sentiment\n",
    "train.py": "import torch\ntorch.manual_seed(0)\n",
}


@pytest.fixture
def forge(tmp_path: Path) -> tuple[Path, str]:
    repo = make_repo(tmp_path / "work", FILES)
    commit(repo, {"model.py": "import torch.nn\n"}, "model")
    bare = publish(repo, tmp_path / "forge", "Alice", "senti")
    return bare, git(bare, "rev-parse", "HEAD").strip()


@pytest.fixture
def gh():  # type: ignore[no-untyped-def]
    with FakeGitHub() as server:
        yield server


def env_for(tmp_path: Path, gh: FakeGitHub) -> dict[str, str]:
    return {
        "REVIEWER_DATA_DIR": str(tmp_path / "data"),
        "REVIEWER_CLONE_URL_TEMPLATE": str(tmp_path / "forge" / "{owner}" / "{name}.git"),
        "GITHUB_API_URL": gh.url,
        "GITHUB_TOKEN": "",
        "REVIEWER_GITHUB_MAX_RETRIES": "1",
    }


def run_inspect(tmp_path: Path, gh: FakeGitHub, url: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(cli, ["inspect", url], env=env_for(tmp_path, gh))
    data = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, data, result.stderr


def test_pin_is_the_api_head_and_github_facts_are_filled(tmp_path, gh, forge) -> None:
    _, head = forge
    gh.add_repo("Alice", "senti", head_sha=head, ci_conclusion="failure")
    code, report, err = run_inspect(tmp_path, gh, "https://github.com/Alice/senti")
    assert code == 0, err
    assert report["commit"] == head
    facts = report["facts"]
    assert facts["visibility"]["value"] == "public"
    assert facts["is_fork"]["value"] is False
    assert facts["ci_status"]["value"] == "failure"
    assert report["metadata"]["full_name"] == "Alice/senti"


def test_pin_is_the_api_head_even_when_the_branch_moved_on(tmp_path, gh, forge) -> None:
    bare, head = forge
    older = git(bare, "rev-parse", "HEAD~1").strip()
    gh.add_repo("Alice", "senti", head_sha=older)
    code, report, err = run_inspect(tmp_path, gh, "https://github.com/Alice/senti")
    assert code == 0, err
    assert report["commit"] == older != head
    assert "model.py" not in json.dumps(report["facts"]["ml_libraries"])


def test_fork_fills_is_fork_or_copy_with_the_parent_as_evidence(tmp_path, gh, forge) -> None:
    _, head = forge
    gh.add_repo("Alice", "senti", head_sha=head, fork_of="Upstream/senti")
    code, report, err = run_inspect(tmp_path, gh, "https://github.com/Alice/senti")
    assert code == 0, err
    fact = report["facts"]["is_fork_or_copy"]
    assert fact["value"] is True
    assert any("Upstream/senti" in ev for ev in fact["evidence"])


def test_rate_limit_that_resets_soon_is_waited_out(tmp_path, gh, forge) -> None:
    _, head = forge
    gh.add_repo("Alice", "senti", head_sha=head)
    gh.rate_limit(seconds=2)
    started = time.monotonic()
    code, report, err = run_inspect(tmp_path, gh, "https://github.com/Alice/senti")
    assert code == 0, err
    assert time.monotonic() - started >= 1.5
    assert report["commit"] == head
    assert report["facts"]["visibility"]["value"] == "public"


def test_missing_repository_exits_2_with_a_readable_reason(tmp_path, gh, forge) -> None:
    code, report, err = run_inspect(tmp_path, gh, "https://github.com/Alice/nothing-here")
    assert code == 2
    assert report is None
    assert "not found" in err.lower() or "private" in err.lower()
    assert len(err.strip().splitlines()) == 1


def test_github_down_still_inspects_from_the_clone_with_a_warning(tmp_path, forge) -> None:
    _, head = forge
    with FakeGitHub() as down:
        down.fail("/repos/Alice/senti", status=503, times=100)
        code, report, err = run_inspect(tmp_path, down, "https://github.com/Alice/senti")
    assert code == 0, err
    assert report["commit"] == head
    assert report["facts"]["visibility"]["value"] is None
    assert any(w["code"] == "github-unavailable" for w in report["warnings"])


def contributors(gh: FakeGitHub, *people: tuple[str, int]) -> None:
    from fakegithub import load_fixture

    template = load_fixture("repos_contributors_list.json")["body"][0]
    body = [dict(template, login=login, contributions=n) for login, n in people]
    gh.add("/repos/Alice/senti/contributors", "repos_contributors_list.json", body=body, first=True)


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([("Alice", 10)], False),
        ([("Alice", 3), ("tutor", 12)], False),
        ([("tutor", 12), ("helper", 3)], True),
        ([("tutor", 2), ("a", 2), ("b", 2)], False),
    ],
    ids=["owner-only", "owner-among-others", "others-only-majority", "no-majority"],
)
def test_history_linked_to_other_accounts_is_a_copy(tmp_path, gh, forge, people, expected):
    _, head = forge
    gh.add_repo("Alice", "senti", head_sha=head)
    contributors(gh, *people)
    code, report, err = run_inspect(tmp_path, gh, "https://github.com/Alice/senti")
    assert code == 0, err
    fact = report["facts"]["is_fork_or_copy"]
    assert fact["value"] is expected
    if expected:
        assert "tutor" in fact["reason"] and "Alice" in fact["reason"]
