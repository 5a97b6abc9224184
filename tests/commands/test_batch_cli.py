"""``reviewer batch``: a cohort CSV to per-candidate files and a summary; reruns skip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import commit, make_repo

from reviewer.cli import cli
from reviewer.cohort import read_entries, safe_name

FILES = {
    "README.md": "# Demo\n\n## Usage\n\nRun `python train.py`.\n",
    "train.py": "from sklearn.linear_model import LogisticRegression\n"
    "m = LogisticRegression(random_state=0)\n",
}


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("REVIEWER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVIEWER_OFFLINE", "1")
    return CliRunner()


def _summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_batch_reviews_cohort_keeps_going_and_skips_on_rerun(
    runner: CliRunner, tmp_path: Path
) -> None:
    good = make_repo(tmp_path / "good", FILES)
    other = make_repo(
        tmp_path / "other", {**FILES, "tests/test_a.py": "def test_a():\n    assert 1\n"}
    )
    cohort = tmp_path / "cohort.csv"
    cohort.write_text(
        f"candidate,url\nAnna Müller,{good}\n../evil/name,{other}\nBob,{tmp_path / 'missing'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["batch", str(cohort), "--cert", "mlops", "--out", str(out), "--jobs", "1"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1  # one repository failed
    rows = _summary(out)
    assert [r["status"] for r in rows] == ["reviewed", "reviewed", "failed"]
    assert rows[2]["error"] and rows[2]["commit"] == ""
    assert rows[0]["testing"] == "0" and rows[1]["testing"] != ""
    assert "no-tests" in rows[0]["red_flags"].split(";")
    for row in rows[:2]:
        directory = out / row["directory"]
        assert directory.parent == out  # the name "../evil/name" cannot escape OUT
        review = json.loads((directory / "review.json").read_text())
        assert review["commit"] == row["commit"] and review["candidate"] == row["candidate"]
        assert (directory / "report.json").is_file() and (directory / "sheet.html").is_file()

    commit(other, {"train.py": FILES["train.py"] + "# tuned\n"}, "tune")
    again = runner.invoke(cli, args)
    assert again.exit_code == 1
    rows2 = _summary(out)
    assert [r["status"] for r in rows2] == ["skipped", "reviewed", "failed"]
    assert rows2[0]["commit"] == rows[0]["commit"] and rows2[1]["commit"] != rows[1]["commit"]


def test_batch_unknown_certification_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    cohort = tmp_path / "c.csv"
    cohort.write_text("candidate,url\nA,https://github.com/a/b\n", encoding="utf-8")
    result = runner.invoke(cli, ["batch", str(cohort), "--cert", "x", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "valid ids" in result.stderr


def test_read_entries_reports_unusable_rows_with_lines() -> None:
    entries, problems = read_entries(
        "\ufeffCandidate, URL\nAda,https://github.com/a/b\n,https://x\nada ,https://github.com/c/d\n"
    )
    assert [e.candidate for e in entries] == ["Ada"]
    assert problems == [
        "line 3: needs both a candidate and a url",
        "line 4: 'ada' is listed again (first on line 2)",
    ]


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("Anna Müller", "anna-muller-"),
        ("../../etc", "etc-"),
        ("", "candidate-"),
        ("李雷", "candidate-"),
    ],
    ids=["accents", "traversal", "empty", "non-latin"],
)
def test_safe_name_is_a_plain_stable_directory_name(name: str, prefix: str) -> None:
    safe = safe_name(name)
    assert safe.startswith(prefix) and "/" not in safe and ".." not in safe
    assert safe == safe_name(name) and safe != safe_name(name + "x")
