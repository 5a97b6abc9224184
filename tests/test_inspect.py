"""The inspection end to end: target -> mirror -> snapshot -> facts -> report (offline)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import commit, make_repo, publish

from reviewer.cli import cli
from reviewer.errors import BadTargetError
from reviewer.facts.base import Finder, run_finders
from reviewer.inspect import GITHUB_FACTS, inspect_repository
from reviewer.report import Fact, Report
from reviewer.settings import Settings

FILES = {
    "README.md": "# Churn model\n\n## Installation\n\n```\npip install -r requirements.txt\n```\n",
    "requirements.txt": "scikit-learn==1.4.2\npandas==2.2.0\n",
    "train.py": "from sklearn.linear_model import LogisticRegression\nLogisticRegression()\n",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        clone_url_template=str(tmp_path / "forge" / "{owner}" / "{name}.git"),
        use_github_api=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "project", FILES)


def test_inspect_local_work_tree_reports_every_catalogue_fact(
    project: Path, settings: Settings
) -> None:
    report = inspect_repository(project, settings)
    assert len(report.commit) == 40
    assert report.target is None
    assert report.value("dependency_files") == ["requirements.txt"]
    for name in GITHUB_FACTS:
        assert report.facts[name].value is None
        assert report.facts[name].reason
    assert any(w.code == "github-not-consulted" for w in report.warnings)


def test_inspect_url_pins_the_default_branch_head_through_the_clone_template(
    project: Path, settings: Settings, tmp_path: Path
) -> None:
    publish(project, tmp_path / "forge", "Alice", "churn")
    report = inspect_repository("https://github.com/Alice/churn/tree/main/src", settings)
    head = tmp_path / "forge" / "Alice" / "churn.git"
    assert report.target is not None and report.target.slug == "Alice/churn"
    assert report.commit == _head_sha(head)
    assert report.evidence_url("train.py:2") == (
        f"https://github.com/Alice/churn/blob/{report.commit}/train.py#L2"
    )


def test_inspect_same_commit_again_reuses_the_stored_result(
    project: Path, settings: Settings
) -> None:
    first = inspect_repository(project, settings)
    second = inspect_repository(project, settings)
    assert second.inspected_at == first.inspected_at
    assert second.to_json() == first.to_json()


def test_inspect_new_commit_is_inspected_afresh(project: Path, settings: Settings) -> None:
    first = inspect_repository(project, settings)
    commit(project, {"environment.yml": "dependencies:\n  - python=3.11\n"}, "env")
    second = inspect_repository(project, settings)
    assert second.commit != first.commit
    assert "environment.yml" in (second.value("dependency_files") or [])


def test_inspect_refuses_a_hostile_url_before_any_git_call(settings: Settings) -> None:
    with pytest.raises(BadTargetError):
        inspect_repository("ext::sh -c touch% /tmp/pwned", settings)
    assert not settings.mirror_dir.exists()


def test_crashing_finder_gives_undecided_facts_and_a_warning(
    snapshot_of, settings: Settings
) -> None:
    def boom(snapshot, found):  # type: ignore[no-untyped-def]
        raise RuntimeError("kaput")

    ok = Finder("ok.find", ("a",), lambda s, f: {"a": Fact(True, ("x:1",), "yes")})
    bad = Finder("bad.find", ("b", "c"), boom)
    facts, warnings, _ = run_finders((ok, bad), snapshot_of({"x": "1"}))
    assert facts["a"].value is True
    assert facts["b"].value is None and "bad.find" in facts["b"].reason
    assert facts["c"].value is None
    assert [w.code for w in warnings] == ["finder-failed"]


def test_report_json_round_trips(project: Path, settings: Settings) -> None:
    report = inspect_repository(project, settings)
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) >= {
        "schema_version",
        "target",
        "commit",
        "inspected_at",
        "tool_version",
        "facts",
        "warnings",
    }
    assert Report.from_json(data).to_json() == report.to_json()


def test_cli_inspect_json_and_markdown(project: Path, tmp_path: Path) -> None:
    env = {"REVIEWER_DATA_DIR": str(tmp_path / "cli-data"), "REVIEWER_OFFLINE": "1"}
    runner = CliRunner()
    out = runner.invoke(cli, ["inspect", str(project)], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["facts"]["dependency_files"]["value"] == ["requirements.txt"]
    md = runner.invoke(cli, ["inspect", str(project), "--format", "markdown"], env=env)
    assert md.exit_code == 0
    assert "| `dependency_files` | requirements.txt |" in md.stdout


@pytest.mark.parametrize(
    "target",
    [
        "https://gitlab.com/a/b",
        "git@github.com:a/b.git",
        "--upload-pack=touch /tmp/x",
        "file:///etc",
    ],
    ids=["other-host", "scp-style", "option-injection", "file-scheme"],
)
def test_cli_inspect_bad_target_exits_2_with_one_line(target: str, tmp_path: Path) -> None:
    env = {"REVIEWER_DATA_DIR": str(tmp_path / "cli-data"), "REVIEWER_OFFLINE": "1"}
    result = CliRunner().invoke(cli, ["inspect", "--", target], env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("reviewer: ")
    assert len(result.stderr.strip().splitlines()) == 1


def _head_sha(git_dir: Path) -> str:
    from gitrepo import git

    return git(git_dir, "rev-parse", "HEAD").strip()


def test_inspect_given_commit_even_after_the_branch_moved_on(
    project: Path, settings: Settings, tmp_path: Path
) -> None:
    from gitrepo import git

    pinned = git(project, "rev-parse", "HEAD").strip()
    commit(project, {"later.py": "import torch\n"}, "later work")
    publish(project, tmp_path / "forge", "Alice", "churn")
    report = inspect_repository("https://github.com/Alice/churn", settings, commit=pinned)
    assert report.commit == pinned
    assert "torch" not in (report.value("ml_libraries") or [])
    latest = inspect_repository("https://github.com/Alice/churn", settings)
    assert latest.commit != pinned


def test_inspect_commit_that_is_gone_says_so(project: Path, settings: Settings) -> None:
    from reviewer.errors import CloneError

    with pytest.raises(CloneError, match="no longer in the repository"):
        inspect_repository(project, settings, commit="0" * 40)


def test_inspect_commit_must_be_a_full_sha(project: Path, settings: Settings) -> None:
    with pytest.raises(BadTargetError, match="40 hexadecimal"):
        inspect_repository(project, settings, commit="HEAD~1")
