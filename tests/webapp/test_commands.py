"""`reviewer db|users|knowledge-tests` on a fresh data directory, as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer.cli import cli


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "REVIEWER_DATA_DIR": str(tmp_path / "data"),
        "REVIEWER_DATABASE_URL": "",
        "REVIEWER_QUEUE_URL": "",
        "REVIEWER_SECRET_KEY": "",
    }


def run(env: dict[str, str], *args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), env=env, input=stdin, catch_exceptions=False)


def test_commands_on_an_empty_database_ask_for_an_upgrade(env) -> None:
    result = run(env, "users", "list")
    assert result.exit_code == 2
    assert "run `reviewer db upgrade` first" in result.output


def test_db_upgrade_then_current(env) -> None:
    assert run(env, "db", "upgrade").exit_code == 0
    result = run(env, "db", "current")
    current, latest = result.output.splitlines()
    assert current.split()[-1] == latest.split()[-1] != "None"


def test_users_create_and_list(env) -> None:
    run(env, "db", "upgrade")
    created = run(env, "users", "create", "Ops@Example.org", "--role", "staff", "--name",
                  "Ops", "--password-stdin", stdin="a long enough password\n")  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "Created ops@example.org (staff)." in created.output
    run(env, "users", "create", "int@example.org", "--role", "interviewer",
        "--password-stdin", stdin="another long password\n")  # fmt: skip
    listed = run(env, "users", "list")
    assert listed.output.splitlines() == [
        "int@example.org\tinterviewer\t",
        "ops@example.org\tstaff\tOps",
    ]
    assert run(env, "users", "list", "--role", "staff").output.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x@example.org", "--role", "staff", "--password-stdin"], "short\n", "password:"),
        (["not-an-email", "--role", "staff", "--password-stdin"], "long enough pass\n", "email:"),
        (
            ["x@example.org", "--role", "wizard", "--password-stdin"],
            "long enough pass\n",
            "Invalid value for '--role'",
        ),
    ],
    ids=["short-password", "bad-email", "unknown-role"],
)
def test_users_create_refuses_bad_input(env, args, stdin, message) -> None:
    run(env, "db", "upgrade")
    result = run(env, "users", "create", *args, stdin=stdin)
    assert result.exit_code == 2 and message in result.output


def test_users_create_prompts_for_the_password_twice(env) -> None:
    run(env, "db", "upgrade")
    result = run(env, "users", "create", "p@example.org", "--role", "editor",
                 stdin="a long enough password\na long enough password\n")  # fmt: skip
    assert result.exit_code == 0 and "Created p@example.org (editor)." in result.output


def test_knowledge_tests_import_reports_rows_then_is_idempotent(env, tmp_path: Path) -> None:
    run(env, "db", "upgrade")
    run(env, "users", "create", "ada@example.org", "--role", "candidate", "--password-stdin",
        stdin="a long enough password\n")  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,certification,date,score\nada@example.org,ml-expert,2024-03-01,55\n"
        "ada@example.org,nope,2024-03-01,55\nzed@example.org,nlp,2024-03-01,x\n"
    )
    result = run(env, "knowledge-tests", "import", str(bad))
    assert result.exit_code == 2
    assert "row 3:" in result.output and "row 4:" in result.output
    assert "nothing imported (2 problem(s))" in result.output
    good = tmp_path / "good.csv"
    good.write_text("ada@example.org,ml-expert,2024-03-01,55\nada@example.org,nlp,2024-03-02,95\n")
    first = run(env, "knowledge-tests", "import", str(good))
    again = run(env, "knowledge-tests", "import", str(good))
    assert "Imported 2 new result(s); 0 already recorded." in first.output
    assert "Imported 0 new result(s); 2 already recorded." in again.output


def test_every_web_command_has_help(env) -> None:
    for args in (["serve"], ["worker"], ["users"], ["users", "create"], ["knowledge-tests"],
                 ["knowledge-tests", "import"], ["db"], ["db", "upgrade"]):  # fmt: skip
        result = run(env, *args, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
