"""`reviewer export-blog` and `reviewer suggestions check|list|format`, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from reviewer.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "suggested_projects"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    base = {
        "REVIEWER_RUBRICS_DIR": str(ROOT / "rubrics"),
        "REVIEWER_SUGGESTIONS_DIR": str(SHIPPED),
        "REVIEWER_BLOG_BIGIMG": "",
        "REVIEWER_BLOG_CONFIG": "",
    }
    return CliRunner().invoke(cli, list(args), env={**base, **(env or {})}, catch_exceptions=False)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "suggestions"
    shutil.copytree(SHIPPED, target)
    return target


def test_check_passes_on_the_shipped_suggestions() -> None:
    result = run("suggestions", "check")
    assert result.exit_code == 0, result.output
    assert "suggestion file(s) OK" in result.output and "multimodal" in result.output


def test_check_exits_2_with_file_and_line_on_a_broken_copy(copy: Path) -> None:
    path = copy / "spam-filter-distilled-service.yaml"
    text = path.read_text(encoding="utf-8").replace("- nlp-deployment", "- nlp-teleportation")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    - nlp-teleportation") + 1
    result = run("suggestions", "check", str(copy))
    assert result.exit_code == 2
    assert f"{path}:{line}: demonstrates.nlp[" in result.stderr
    assert "'nlp-teleportation' is not a criterion of the nlp rubric" in result.stderr


def test_check_exits_2_when_the_rubrics_cannot_be_read(tmp_path: Path) -> None:
    result = run("suggestions", "check", env={"REVIEWER_RUBRICS_DIR": str(tmp_path)})
    assert result.exit_code == 2 and "rubric" in result.stderr


def test_list_filters_by_certification_and_difficulty() -> None:
    result = run("suggestions", "list", "--cert", "multimodal", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) >= 4 and all("multimodal" in r["certifications"] for r in rows)
    assert [r["order"] for r in rows] == sorted(r["order"] for r in rows)
    beginners = json.loads(run("suggestions", "list", "--difficulty", "beginner", "--json").output)
    assert beginners and {r["difficulty"] for r in beginners} == {"beginner"}


def test_list_prints_a_table() -> None:
    result = run("suggestions", "list", "--cert", "genai")
    assert result.exit_code == 0 and "regulation-rag-assistant" in result.output


def test_export_blog_writes_jekyll_pages_identically_twice(tmp_path: Path) -> None:
    first = run("export-blog", "--out", str(tmp_path / "a"))
    second = run("export-blog", "--out", str(tmp_path / "b"))
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md"))
    assert len(files_a) == 8
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    page = (tmp_path / "a" / "suggested-projects" / "genai.md").read_text(encoding="utf-8")
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["title"] == "Suggested projects: Generative AI" and "bigimg" not in front


def test_export_blog_uses_the_date_option_and_bigimg_setting(tmp_path: Path) -> None:
    result = run(
        "export-blog",
        "--out",
        str(tmp_path),
        "--date",
        "2027-01-15",
        env={"REVIEWER_BLOG_BIGIMG": "/img/triangle.jpg,/img/sphere.jpg"},
    )
    assert result.exit_code == 0, result.stderr
    front = yaml.safe_load(
        (tmp_path / "suggested-projects" / "index.md").read_text(encoding="utf-8").split("---\n")[1]
    )
    assert str(front["date"]) == "2027-01-15"
    assert [b["src"] for b in front["bigimg"]] == ["/img/triangle.jpg", "/img/sphere.jpg"]


def test_export_blog_writes_json(tmp_path: Path) -> None:
    result = run("export-blog", "--out", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    data = json.loads((tmp_path / "suggested-projects.json").read_text(encoding="utf-8"))
    assert len(data["certifications"]) == 7
    assert all(len(c["suggestions"]) >= 4 for c in data["certifications"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "tomorrow"), "Invalid value for '--date'"),
        (("--format", "html"), "Invalid value for '--format'"),
    ],
    ids=["bad-date", "bad-format"],
)
def test_export_blog_refuses_bad_options(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run("export-blog", "--out", str(tmp_path), *args)
    assert result.exit_code == 2 and message in result.stderr


def test_export_blog_exits_2_on_bad_configuration(tmp_path: Path) -> None:
    result = run("export-blog", "--out", str(tmp_path), env={"REVIEWER_BLOG_BIGIMG": "x.jpg"})
    assert result.exit_code == 2 and "bigimg" in result.stderr
    assert not (tmp_path / "suggested-projects").exists()


def test_export_blog_exits_2_on_invalid_suggestions(copy: Path, tmp_path: Path) -> None:
    (copy / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    result = run("export-blog", "--out", str(tmp_path / "out"), "--source", str(copy))
    assert result.exit_code == 2 and f"{copy / 'broken.yaml'}:1:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_format_check_passes_on_canonical_files_and_rewrites_others(copy: Path) -> None:
    assert run("suggestions", "format", "--check", str(copy)).exit_code == 0
    path = copy / "diffusion-from-scratch.yaml"
    canonical = path.read_text(encoding="utf-8")
    path.write_text(canonical.replace("order: 720", "order:    720  # moved"), encoding="utf-8")
    checked = run("suggestions", "format", "--check", str(copy))
    assert checked.exit_code == 1 and "would reformat" in checked.output
    assert run("suggestions", "format", str(copy)).exit_code == 0
    assert path.read_text(encoding="utf-8") == canonical
