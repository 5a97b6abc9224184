"""The boundaries of ARCHITECTURE.md and STYLE.md, checked by scanning imports (AST)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reviewer

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "reviewer"


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def engine_modules() -> list[Path]:
    return sorted(ENGINE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize(
    "forbidden",
    ["flask", "flask_wtf", "flask_login", "werkzeug", "sqlalchemy", "alembic", "huey", "webapp"],
)
def test_engine_never_imports_web_or_database(forbidden: str) -> None:
    offenders = [rel(p) for p in engine_modules() if forbidden in imported_roots(p)]
    assert offenders == []


def test_only_github_modules_use_pygithub() -> None:
    users = {rel(p) for p in engine_modules() if "github" in imported_roots(p)}
    assert users <= {"reviewer/github.py"}


def test_only_the_git_package_runs_git_or_subprocesses() -> None:
    users = {rel(p) for p in engine_modules() if imported_roots(p) & {"git", "subprocess"}}
    assert all(u.startswith("reviewer/git/") for u in users), users


def test_fact_finders_do_no_io_beyond_the_snapshot() -> None:
    banned = {"subprocess", "socket", "requests", "urllib", "http", "github", "git", "os"}
    offenders = {
        rel(p): sorted(imported_roots(p) & banned) for p in (ENGINE / "facts").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_public_api_is_pinned() -> None:
    assert sorted(reviewer.__all__) == [
        "Fact",
        "Limits",
        "RepoRef",
        "Report",
        "ReportWarning",
        "ReviewerError",
        "Settings",
        "__version__",
        "inspect_repository",
        "parse_repo_url",
    ]
    for name in reviewer.__all__:
        assert hasattr(reviewer, name)
