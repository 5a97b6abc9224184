"""Staff exports: results (one column per criterion, by certification and date range),
certificates with expiry, the refund ledger; CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import interviewsupport as support
import pytest

from webapp.db import get_database
from webapp.exports import formats
from webapp.models import RefundBudgetEntry, utcnow

RUBRIC = support.rubric()


def _csv(response) -> list[dict[str, str]]:  # noqa: ANN001
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def decided(app, cast):  # noqa: ANN001, ANN201
    with get_database(app).session() as session:
        session.add(RefundBudgetEntry(amount_cents=50_000, reason='=HYPERLINK("x")'))
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 4)
    support.decide(app, iid, cast.alice, 4)
    _, other = support.ready_submission(app, "nlp@example.org", cert="nlp")
    iid2 = support.assign(app, other, [cast.alice], cast.staff)
    support.score(app, iid2, cast.alice, 1)
    support.decide(app, iid2, cast.alice, 1)
    return iid


def test_results_csv_has_one_column_per_criterion(login, decided) -> None:
    rows = _csv(
        login("staff@example.org").get(
            "/interview/staff/exports/results.csv?certification=ml-expert"
        )
    )
    assert len(rows) == 1
    for c in RUBRIC.criteria:
        assert rows[0][f"level:{c.id}"] == "4"
    assert rows[0]["score_percent"] == "100.00" and rows[0]["passed"] == "true"
    assert rows[0]["refund_status"] == "refunded"


def test_results_csv_needs_a_certification(login, decided) -> None:
    response = login("staff@example.org").get("/interview/staff/exports/results.csv")
    assert response.status_code == 422
    assert "Choose a certification" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("days_from", "days_to", "count"),
    [(-1, 1, 2), (1, 2, 0), (-5, -1, 0)],
    ids=["around-today", "future", "past"],
)
def test_results_json_filters_by_date_range(login, decided, days_from, days_to, count) -> None:
    today = utcnow().date()
    start, end = today + timedelta(days=days_from), today + timedelta(days=days_to)
    data = (
        login("staff@example.org")
        .get(f"/interview/staff/exports/results.json?from={start}&to={end}")
        .get_json()
    )
    assert len(data) == count
    if count:
        assert {r["certification"] for r in data} == {"ml-expert", "nlp"}
        assert all(isinstance(r["levels"], dict) for r in data)


def test_export_rejects_bad_dates(login, decided) -> None:
    response = login("staff@example.org").get(
        "/interview/staff/exports/certificates.csv?from=2025-13-01&to=yesterday"
    )
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("Enter a date like 2025-03-31.") >= 2


def test_certificates_csv_lists_expiry(login, decided, cast) -> None:
    rows = _csv(login("staff@example.org").get("/interview/staff/exports/certificates.csv"))
    assert [r["certification"] for r in rows] == ["ml-expert"]
    awarded = rows[0]["awarded_on"]
    assert rows[0]["expires_on"] == str(int(awarded[:4]) + 5) + awarded[4:]
    assert rows[0]["state"] == "valid"


def test_refund_ledger_has_running_balance_and_neutralised_formulas(login, decided) -> None:
    rows = _csv(login("staff@example.org").get("/interview/staff/exports/refunds.csv"))
    assert [r["kind"] for r in rows] == ["top-up", "refund"]
    assert [r["balance"] for r in rows] == ["500.00", "100.00"]
    assert rows[0]["reason"].startswith("'=")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+x", "'+x"),
        ("-x", "'-x"),
        ("@x", "'@x"),
        ("plain", "plain"),
        (-5, "-5"),
        (None, ""),
        (True, "true"),
    ],
    ids=["eq", "plus", "minus", "at", "plain", "negative-number", "none", "bool"],
)
def test_csv_cells_cannot_run_formulas(value, expected) -> None:
    assert formats.cell(value) == expected


def test_exports_are_staff_only(login, decided) -> None:
    assert (
        login("alice@example.org").get("/interview/staff/exports/results.json").status_code == 403
    )
