"""``reviewer review`` and ``reviewer rubrics`` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import make_repo
from reportfactory import make_report

from reviewer.cli import cli

SHIPPED = Path(__file__).resolve().parents[2] / "rubrics"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REVIEWER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVIEWER_OFFLINE", "1")
    monkeypatch.delenv("REVIEWER_RUBRICS_DIR", raising=False)
    return CliRunner()


@pytest.fixture
def saved_report(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(make_report().to_json()), encoding="utf-8")
    return path


def test_review_from_saved_report_prints_json_contract(
    runner: CliRunner, saved_report: Path
) -> None:
    result = runner.invoke(
        cli, ["review", "--from-report", str(saved_report), "--cert", "mlops", "--candidate", "Ada"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["certification"] == "mlops" and data["candidate"] == "Ada"
    assert data["commit"] == make_report().commit
    assert [c["id"] for c in data["criteria"]][0] == "packaging-environments"
    assert all(q["evidence"] for q in data["questions"][:3])


def test_review_unknown_certification_exits_2_listing_ids(
    runner: CliRunner, saved_report: Path
) -> None:
    result = runner.invoke(cli, ["review", "--from-report", str(saved_report), "--cert", "ops"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "valid ids: computer-vision, genai, ml-expert, mlops" in result.stderr


def test_review_bad_target_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["review", str(tmp_path / "missing"), "--cert", "nlp"])
    assert result.exit_code == 2
    assert result.stderr.startswith("reviewer: ") and result.stderr.count("\n") == 1


def test_review_bad_sheet_suffix_exits_2(runner: CliRunner, saved_report: Path) -> None:
    result = runner.invoke(
        cli, ["review", "--from-report", str(saved_report), "--cert", "nlp", "--sheet", "out.docx"]
    )
    assert result.exit_code == 2 and ".html, .md or .pdf" in result.stderr


def test_review_local_repository_writes_sheet_and_markdown(
    runner: CliRunner, tmp_path: Path
) -> None:
    repo = make_repo(
        tmp_path / "proj",
        {
            "README.md": "# Demo\n\n## Usage\n\nRun `python train.py`.\n",
            "requirements.txt": "scikit-learn==1.4.0\n",
            "train.py": "from sklearn.linear_model import LogisticRegression\n"
            "from sklearn.metrics import f1_score\n"
            "m = LogisticRegression(random_state=0)\nprint(f1_score([1], [1]))\n",
        },
    )
    sheet = tmp_path / "out" / "sheet.html"
    out = tmp_path / "review.md"
    result = runner.invoke(
        cli,
        [
            "review",
            str(repo),
            "--cert",
            "ml-expert",
            "--candidate",
            "Ada",
            "--format",
            "markdown",
            "--sheet",
            str(sheet),
            "--out",
            str(out),
            "--duration",
            "30",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("# Interview brief")
    html = sheet.read_text()
    assert "Ada: proj" in html and "train.py" in html
    assert "30 minutes" in html


def test_rubrics_check_passes_on_shipped_rubrics(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["rubrics", "check", str(SHIPPED)])
    assert result.exit_code == 0
    assert "7 rubric(s) valid" in result.stdout


def test_rubrics_check_fails_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    copy = tmp_path / "rubrics"
    shutil.copytree(SHIPPED, copy)
    path = copy / "nlp.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("weight: 1.5")].count("\n") + 1
    path.write_text(text.replace("weight: 1.5", "weight: 0", 1), encoding="utf-8")
    result = runner.invoke(cli, ["rubrics", "check", str(copy)])
    assert result.exit_code == 2
    assert f"{path}:{line}: criteria[3].weight: Input should be greater than 0" in result.stderr


def test_rubrics_list_names_every_certification(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["rubrics", "list"])
    assert result.exit_code == 0
    for cert in (
        "ml-expert",
        "mlops",
        "responsible-ai",
        "computer-vision",
        "nlp",
        "multimodal",
        "genai",
    ):
        assert f"\n{cert} " in "\n" + result.stdout
