"""Knowledge-test import: the whole file is checked first; bad rows named by number; re-import
changes nothing; the program's rules and fees apply. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from websupport import create_user

from reviewer.program import ProgramConfig
from webapp import knowledge_tests
from webapp.db import get_database
from webapp.models import Attempt, Fee, ImportBatch

TODAY = date(2024, 6, 30)
CONFIG = ProgramConfig()


@pytest.fixture
def db_app(make_app, db_url):
    app = make_app(db_url)
    for email, role in [
        ("ada@example.org", "candidate"),
        ("bob@example.org", "candidate"),
        ("staff@example.org", "staff"),
    ]:
        create_user(app, email, role, password="long enough password")
    yield app
    get_database(app).dispose()


def do_import(app, text: str) -> knowledge_tests.ImportResult:
    session = get_database(app).new_session()
    try:
        result = knowledge_tests.import_file(session, text.encode(), CONFIG, TODAY)
        if result.ok:
            session.commit()
        else:
            session.rollback()
        return result
    finally:
        session.close()


def counts(app) -> tuple[int, int, int]:
    with get_database(app).session() as session:
        return (
            session.scalar(select(func.count(Attempt.id))),
            session.scalar(select(func.count(Fee.id))),
            session.scalar(select(func.count(ImportBatch.id))),
        )


GOOD = """email,certification,date,score
ada@example.org,ml-expert,2024-03-01,55
ada@example.org,ml-expert,2024-04-02,71.5
bob@example.org,nlp,2024-05-10,92.25%
"""


def test_import_records_attempts_with_pass_and_fee(db_app) -> None:
    result = do_import(db_app, GOOD)
    assert (result.ok, result.created, result.unchanged) == (True, 3, 0)
    with get_database(db_app).session() as session:
        rows = session.execute(
            select(
                Attempt.certification, Attempt.taken_on, Attempt.score_percent, Attempt.passed
            ).order_by(Attempt.taken_on)
        ).all()
        fees = session.scalars(select(Fee.amount_cents)).all()
    assert rows == [
        ("ml-expert", date(2024, 3, 1), Decimal("55.00"), False),
        ("ml-expert", date(2024, 4, 2), Decimal("71.50"), True),
        ("nlp", date(2024, 5, 10), Decimal("92.25"), True),
    ]
    assert fees == [CONFIG.fee_per_attempt_cents] * 3
    assert counts(db_app) == (3, 3, 1)


def test_reimporting_the_same_file_changes_nothing(db_app) -> None:
    do_import(db_app, GOOD)
    again = do_import(db_app, GOOD)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 3)
    assert counts(db_app) == (3, 3, 1)


def test_every_bad_row_is_reported_and_nothing_is_imported(db_app) -> None:
    text = """email,certification,date,score
ada@example.org,ml-expert,2024-03-01,55
not-an-email,ml-expert,2024-03-01,55
ada@example.org,quantum,2024-03-01,55
ada@example.org,nlp,01/03/2024,55
ada@example.org,nlp,2024-03-01,101
ada@example.org,nlp,2024-03-01,55.555
nobody@example.org,nlp,2024-03-01,55
staff@example.org,nlp,2024-03-01,55
ada@example.org,genai,2099-01-01,55
"""
    result = do_import(db_app, text)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "email"),
        (4, "certification"),
        (5, "date"),
        (6, "score"),
        (7, "score"),
        (8, "email"),
        (9, "email"),
        (10, "date"),
    ]
    assert counts(db_app) == (0, 0, 0)


def test_duplicate_rows_in_one_file_are_reported(db_app) -> None:
    text = (
        GOOD + "ada@example.org,ml-expert,2024-03-01,60\nada@example.org,ml-expert,2024-03-01,55\n"
    )
    result = do_import(db_app, text)
    assert [(e.row, e.message) for e in result.errors] == [
        (5, "Row 2 gives another score for the same candidate, certification and date."),
        (6, "Repeats row 2."),
    ]


def test_a_different_score_for_a_recorded_attempt_is_refused(db_app) -> None:
    do_import(db_app, GOOD)
    result = do_import(db_app, "ada@example.org,ml-expert,2024-03-01,56\n")
    assert [e.row for e in result.errors] == [1]
    assert "already recorded" in result.errors[0].message


@pytest.mark.parametrize(
    ("rows", "bad_row", "rule_text"),
    [
        (
            ["2024-01-10,40", "2024-02-09,40"],  # one day before the month's wait ends
            2,
            "rule wait-after-failure",
        ),
        (
            ["2024-01-10,40", "2024-02-10,40", "2024-03-11,40", "2024-04-12,40"],
            4,
            "rule max-attempts",
        ),
        (["2024-01-10,80", "2024-03-10,90"], 2, "rule already-passed"),
    ],
    ids=["within-the-wait", "fourth-attempt", "after-passing"],
)
def test_attempts_the_rules_refuse_are_reported(db_app, rows, bad_row, rule_text) -> None:
    text = "".join(f"ada@example.org,ml-expert,{r}\n" for r in rows)
    result = do_import(db_app, text)
    assert [e.row for e in result.errors] == [bad_row]
    assert rule_text in result.errors[0].message
    assert counts(db_app) == (0, 0, 0)


def test_the_day_the_wait_ends_is_allowed(db_app) -> None:
    result = do_import(
        db_app, "ada@example.org,ml-expert,2024-01-31,40\nada@example.org,ml-expert,2024-02-29,70\n"
    )
    assert result.ok and result.created == 2


@pytest.mark.parametrize(
    "header",
    ["email,certification,date,score", "Candidate E-mail;x", "Email,Cert,Test date,Score %"],
    ids=["plain", "semicolon-broken", "aliases"],
)
def test_header_names_are_recognised_or_explained(db_app, header: str) -> None:
    text = header + "\nada@example.org,ml-expert,2024-03-01,55\n"
    if ";" in header:
        with pytest.raises(knowledge_tests.ImportFileError, match="Row 1 must name the columns"):
            do_import(db_app, text)
    else:
        assert do_import(db_app, text).created == 1


def test_columns_in_another_order_follow_the_header(db_app) -> None:
    text = "score,date,email,certification\n88,2024-03-01,ada@example.org,mlops\n"
    assert do_import(db_app, text).created == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\xff\xfe\x00a", "not UTF-8"), (b"", "no rows"), (b"\n \n", "no rows")],
    ids=["binary", "empty", "blank-lines"],
)
def test_unreadable_files_are_refused_whole(db_app, data: bytes, message: str) -> None:
    session = get_database(db_app).new_session()
    with pytest.raises(knowledge_tests.ImportFileError, match=message):
        knowledge_tests.import_file(session, data, CONFIG, TODAY)
    session.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90", "90"), ("90.01", "90.01"), ("90,5", "90.5"), (" 100 % ", "100"), ("0", "0")],
    ids=["int", "two-decimals", "comma", "percent-sign", "zero"],
)
def test_scores_are_read_exactly(text: str, expected: str) -> None:
    assert knowledge_tests.parse_score(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["-1", "100.01", "abc", "1e2", "90.123", ""], ids=str)
def test_scores_outside_the_scale_are_refused(text: str) -> None:
    assert knowledge_tests.parse_score(text) is None


# -- through the staff page and the CLI ---------------------------------------------------------


def test_staff_upload_imports_and_reports(db_app) -> None:
    client = db_app.test_client()
    client.post(
        "/auth/login", data={"email": "staff@example.org", "password": "long enough password"}
    )
    bad = client.post(
        "/admin/knowledge-tests/import",
        data={"file": (io.BytesIO(b"ada@example.org,ml-expert,2024-03-01,555\n"), "r.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and b"Row 1 (score)" in bad.data
    good = client.post(
        "/admin/knowledge-tests/import",
        data={"file": (io.BytesIO(GOOD.encode()), "results.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert b"Imported 3 new result(s); 0 were already recorded." in good.data
    assert counts(db_app)[0] == 3


def test_staff_enters_one_result_by_hand(db_app) -> None:
    client = db_app.test_client()
    client.post(
        "/auth/login", data={"email": "staff@example.org", "password": "long enough password"}
    )
    day = (date.today() - timedelta(days=1)).isoformat()
    form = {"email": "bob@example.org", "certification": "genai", "taken_on": day, "score": "77"}
    response = client.post("/admin/knowledge-tests/manual", data=form, follow_redirects=True)
    assert b"The result was recorded." in response.data
    again = client.post("/admin/knowledge-tests/manual", data=form, follow_redirects=True)
    assert b"already recorded; nothing changed" in again.data
    wrong = client.post("/admin/knowledge-tests/manual", data={**form, "score": "seventy"})
    assert wrong.status_code == 422 and b"Enter a score from 0 to 100" in wrong.data
    assert counts(db_app)[0] == 1
