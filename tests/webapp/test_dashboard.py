"""The candidate dashboard (issue 6 item 7): per certification the knowledge test, attempts,
fees, submissions, wait-until dates, certificates with expiry, and AI Engineer progress."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from reviewer.program import ProgramConfig, add_months
from webapp import knowledge_tests
from webapp.db import get_database
from webapp.models import Certificate, User, utcnow
from webapp.templating import format_date


def record(app, *rows: tuple[str, date, str]) -> None:
    with get_database(app).session() as session:
        result = knowledge_tests.import_results(
            session,
            [knowledge_tests.ResultRow(i, "cand@example.org", c, d, Decimal(s))
             for i, (c, d, s) in enumerate(rows, 1)],
            ProgramConfig(), utcnow().date(), source="manual",
        )  # fmt: skip
        assert result.ok, result.errors


def section(html: str, cert_id: str) -> str:
    start = html.index(f'id="cert-{cert_id}"')
    end = html.find('<section class="card"', start)
    return html[start : end if end != -1 else None]


def test_dashboard_shows_results_attempts_fees_and_wait_dates(client, app, auth, make_user):
    make_user("cand@example.org")
    today = utcnow().date()
    failed_on = today - timedelta(days=10)
    record(app, ("nlp", failed_on, "41.5"), ("mlops", today - timedelta(days=40), "88"))
    auth.login()
    html = client.get("/dashboard").get_data(as_text=True)
    nlp = section(html, "nlp")
    assert "Failed" in nlp and "41.50%" in nlp
    assert "Attempts used: 1 of 3" in nlp
    assert f"May be retaken from {format_date(add_months(failed_on, 1))}" in nlp
    assert "Not possible now" in nlp and "knowledge test" in nlp.lower()
    mlops = section(html, "mlops")
    assert "Passed" in mlops and "88.00%" in mlops
    assert "Submit a project for MLOps" in mlops
    assert "400.00 EUR" in html  # two attempts, 200 EUR each
    assert "200.00 EUR" in nlp


def test_dashboard_shows_certificates_with_expiry_and_ai_engineer_progress(
    client, app, auth, make_user
):
    user_id = make_user("cand@example.org")
    awarded = utcnow().date() - timedelta(days=30)
    with get_database(app).session() as session:
        session.add(
            Certificate(
                candidate_id=user_id,
                certification="ml-expert",
                awarded_on=awarded,
                expires_on=awarded.replace(year=awarded.year + 5),
            )
        )
    auth.login()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "AI Engineer certification" in html
    assert "Mandatory certifications missing:" in html
    ml = section(html, "ml-expert")
    expires = ProgramConfig().expires_on(awarded)
    assert f"Valid — awarded {format_date(awarded)}, expires on {format_date(expires)}." in ml
    assert "Not possible now" in ml  # certified: no new submission while it is valid
    missing = html[html.index("Mandatory certifications missing:") :]
    missing = missing[: missing.index("</li>")]
    assert "MLOps" in missing and "ML Expert" not in missing


def test_dashboard_lists_the_candidates_own_submissions_only(client, app, auth, make_user,
                                                              fake_engine):  # fmt: skip
    from websupport import pass_knowledge_test

    for email in ("cand@example.org", "other@example.org"):
        make_user(email)
        pass_knowledge_test(app, email)
    auth.login("other@example.org")
    client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/oth/er"},
    )
    auth.logout()
    auth.login()
    client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/me/mine"},
    )
    html = client.get("/dashboard").get_data(as_text=True)
    assert "me/mine" in html and "oth/er" not in html
    assert "Pending" in section(html, "ml-expert")
    with get_database(app).session() as session:
        assert session.scalar(select(User.id).where(User.email == "other@example.org"))
