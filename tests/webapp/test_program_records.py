"""Staff records of the program: the refund budget (a ledger; waiting refunds are paid in
order after a top-up) and decisions on external certificates (which then count as passes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from webapp.admin.views import parse_euros
from webapp.db import get_database
from webapp.models import Refund, RefundBudgetEntry


@pytest.fixture
def staff(client, auth, make_user):
    make_user("staff@example.org", "staff")
    auth.login("staff@example.org")
    return client


def waiting_refund(app, candidate_id: int, cert: str, cents: int, days_ago: int) -> None:
    with get_database(app).session() as session:
        session.add(Refund(candidate_id=candidate_id, certification=cert, amount_cents=cents,
                           status="unfunded",
                           decided_at=datetime.now(UTC) - timedelta(days=days_ago)))  # fmt: skip


@pytest.mark.parametrize(
    ("text", "cents"),
    [("5000", 500000), ("-200.5", -20050), ("1 000,25", 100025), ("0.01", 1)],
    ids=["whole", "negative", "spaces-comma", "cent"],
)
def test_euro_amounts_are_read_to_the_cent(text: str, cents: int) -> None:
    assert parse_euros(text) == cents


@pytest.mark.parametrize("text", ["abc", "1.001", "NaN", "Infinity", "1e99"], ids=str)
def test_other_amounts_are_refused(text: str) -> None:
    assert parse_euros(text) is None


def test_a_top_up_pays_waiting_refunds_oldest_first_and_in_order(staff, app, make_user) -> None:
    a, b, c = (make_user(f"{n}@example.org") for n in "abc")
    waiting_refund(app, a, "ml-expert", 40_000, days_ago=3)  # oldest
    waiting_refund(app, b, "mlops", 60_000, days_ago=2)
    waiting_refund(app, c, "nlp", 20_000, days_ago=1)  # would fit, but must not overtake b
    response = staff.post("/admin/refund-budget", data={"amount": "500", "reason": "Q3 budget"},
                          follow_redirects=True)  # fmt: skip
    assert b"1 waiting refund(s) paid" in response.data
    with get_database(app).session() as session:
        status = dict(session.execute(select(Refund.candidate_id, Refund.status)).all())
        assert status == {a: "funded", b: "unfunded", c: "unfunded"}
        entries = session.scalars(select(RefundBudgetEntry.amount_cents)).all()
        assert sorted(entries) == [-40_000, 50_000]
    response = staff.post("/admin/refund-budget", data={"amount": "700", "reason": "more"},
                          follow_redirects=True)  # fmt: skip
    assert b"2 waiting refund(s) paid" in response.data
    assert b"Balance: <strong>0.00 EUR</strong>" in response.data  # 1200 in, 1200 paid


def test_the_budget_never_goes_below_zero(staff, app) -> None:
    staff.post("/admin/refund-budget", data={"amount": "100", "reason": "seed"})
    response = staff.post("/admin/refund-budget", data={"amount": "-100.01", "reason": "oops"})
    assert response.status_code == 422 and b"cannot go below zero" in response.data
    response = staff.post("/admin/refund-budget", data={"amount": "ten", "reason": "x"})
    assert response.status_code == 422 and b"Enter an amount in euros" in response.data


def test_a_granted_credit_counts_as_a_passed_knowledge_test(staff, app, auth, make_user,
                                                             client) -> None:  # fmt: skip
    make_user("cand@example.org")
    form = {
        "email": "cand@example.org", "provider": "Microsoft",
        "credential": "Azure AI Engineer Associate", "decision": "granted",
        "waivers": ["nlp:knowledge"], "note": "aligned with the NLP study plan",
    }  # fmt: skip
    response = staff.post("/admin/credits", data=form, follow_redirects=True)
    assert b"The decision was recorded." in response.data
    assert "Natural Language Processing — knowledge test" in response.get_data(as_text=True)
    auth.logout()
    auth.login("cand@example.org")
    html = client.get("/dashboard").get_data(as_text=True)
    nlp = html[html.index('id="cert-nlp"') :]
    nlp = nlp[: nlp.index("</section>")]
    assert "Credited (external certificate)" in nlp
    assert "Submit a project for Natural Language Processing" in nlp


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"email": "nobody@example.org"}, b"No candidate account uses this e-mail address."),
        ({"waivers": []}, b"A granted credit must name the evaluations it replaces."),
        ({"waivers": ["nlp:everything"]}, b"Choose evaluations from the list."),
        ({"decision": "maybe"}, b"decision-error"),
    ],
    ids=["unknown-candidate", "granted-without-credits", "unknown-waiver", "bad-decision"],
)
def test_credit_decisions_are_checked(staff, make_user, change, field_error) -> None:
    make_user("cand@example.org")
    form = {"email": "cand@example.org", "provider": "Google", "credential": "ML Engineer",
            "decision": "granted", "waivers": ["genai:portfolio"], **change}  # fmt: skip
    response = staff.post("/admin/credits", data=form)
    assert response.status_code == 422 and field_error in response.data


def test_a_refused_credit_is_kept_and_credits_nothing(staff, make_user) -> None:
    make_user("cand@example.org")
    form = {
        "email": "cand@example.org",
        "provider": "Fraunhofer",
        "credential": "Data Scientist Basic Level",
        "decision": "refused",
        "waivers": [],
    }
    response = staff.post("/admin/credits", data=form, follow_redirects=True)
    assert b"Data Scientist Basic Level" in response.data and b"refused" in response.data
