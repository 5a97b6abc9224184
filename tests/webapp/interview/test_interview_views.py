"""Interviewer pages: the dashboard, the interview page, saving with and without JavaScript,
autosave, finalising."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import interviewsupport as support
import pytest
from sqlalchemy import select

from webapp.db import get_database
from webapp.interview import scoring
from webapp.models.interviews import AuditEntry, Interview

RUBRIC = support.rubric()
FIRST = RUBRIC.criteria[0].id


def _base(html: str) -> dict[str, str]:
    match = re.search(r'name="base" id="base" value="([^"]*)"', html)
    assert match, "the scoring form carries its base fingerprints"
    return json.loads(match.group(1).replace("&#34;", '"').replace("&quot;", '"'))


def _levels(level: int) -> dict[str, str]:
    return {f"level-{c.id}": str(level) for c in RUBRIC.criteria}


def test_dashboard_lists_upcoming_and_past(app, cast, login) -> None:
    now = datetime.now(UTC)
    _, later = support.ready_submission(app, "later@example.org", name="Later Person")
    past_id = support.assign(
        app, cast.submission, [cast.alice], cast.staff, when=now - timedelta(days=3)
    )
    support.assign(app, later, [cast.alice], cast.staff, when=now + timedelta(days=3))
    html = login("alice@example.org").get("/interview/").get_data(as_text=True)
    to_score, rest = html.split('id="upcoming-title"')
    upcoming, past = rest.split('id="past-title"')
    assert "Waiting for your scores" in to_score and "Cand Idate" in to_score
    assert "Later Person" in upcoming and "Cand Idate" not in upcoming
    assert "Cand Idate" in past and "To score" in past and "Later Person" not in past
    support.score(app, past_id, cast.alice, 2)
    html = login("alice@example.org").get("/interview/").get_data(as_text=True)
    assert "Waiting for your scores" not in html and "Your scores are final" in html


def test_dashboard_of_another_interviewer_is_empty(app, cast, login) -> None:
    support.assign(app, cast.submission, [cast.alice], cast.staff)
    html = login("carol@example.org").get("/interview/").get_data(as_text=True)
    assert "Cand Idate" not in html


def test_interview_page_has_brief_link_and_every_criterion(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    client = login("alice@example.org")
    html = client.get(f"/interview/{iid}").get_data(as_text=True)
    for c in RUBRIC.criteria:
        assert f'name="level-{c.id}"' in html and f'id="cnote-{c.id}"' in html
        for descriptor in c.levels:
            assert str(descriptor).replace("'", "&#39;").replace('"', "&#34;")[:40] in html
    assert 'value="no-decision"' in html and "No decision" in html
    assert f"/interview/{iid}/sheet" in html
    assert '<li id="question-1">' in html  # the question sheet beside the form
    sheet = client.get(f"/interview/{iid}/sheet")
    assert sheet.status_code == 200 and "Question sheet" in sheet.get_data(as_text=True)
    with get_database(app).session() as session:
        interview = session.get(Interview, iid)
        assert interview.brief_html and interview.sheet_json  # built once, then kept


def test_interview_page_opens_without_an_inspection_report(app, cast, login) -> None:
    from webapp.models import Submission

    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    with get_database(app).session() as session:
        session.get(Submission, cast.submission).inspection_id = None
    html = login("alice@example.org").get(f"/interview/{iid}").get_data(as_text=True)
    assert "not available" in html and 'id="score-form"' in html


def test_save_without_javascript_persists_and_reloads(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    client = login("alice@example.org")
    base = _base(client.get(f"/interview/{iid}").get_data(as_text=True))
    response = client.post(
        f"/interview/{iid}/scores",
        data={
            "base": json.dumps(base),
            "action": "save",
            f"level-{FIRST}": "3",
            f"cnote-{FIRST}": "Clear baseline",
            f"pnote-{FIRST}": "hesitant on leakage",
            "overall_comment": "Solid work",
            "recommendation": "pass",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/interview/{iid}").get_data(as_text=True)
    assert f'id="level-{FIRST}-3" value="3" checked' in html
    assert "Clear baseline" in html and "hesitant on leakage" in html and "Solid work" in html
    assert 'id="recommendation-pass" value="pass" checked' in html


def test_autosave_returns_json_and_survives_a_new_app(
    app, cast, login, make_app, sqlite_url
) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    client = login("alice@example.org")
    base = _base(client.get(f"/interview/{iid}").get_data(as_text=True))
    response = client.post(
        f"/interview/{iid}/autosave",
        data={
            "base": json.dumps({f"cnote-{FIRST}": base[f"cnote-{FIRST}"]}),
            f"cnote-{FIRST}": "typed a few seconds ago",
        },
    )
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "saved"
    assert body["fingerprints"][f"cnote-{FIRST}"] == scoring.fingerprint("typed a few seconds ago")
    # "server restart": a fresh app on the same database sees the draft
    restarted = make_app(
        app.config["DATABASE_URL"], OPTIONAL_BLUEPRINTS=(("webapp.interview", "/interview"),)
    )
    other = restarted.test_client()
    other.post("/auth/login", data={"email": "alice@example.org", "password": support.PASSWORD})
    assert "typed a few seconds ago" in other.get(f"/interview/{iid}").get_data(as_text=True)


def test_autosave_needs_the_csrf_token(make_app, sqlite_url) -> None:
    app = make_app(
        sqlite_url, OPTIONAL_BLUEPRINTS=(("webapp.interview", "/interview"),), WTF_CSRF_ENABLED=True
    )
    staff = support.user(app, "s@example.org", "staff")
    alice = support.user(app, "a@example.org", "interviewer")
    _, sub = support.ready_submission(app, "c@example.org")
    iid = support.assign(app, sub, [alice], staff)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        "/auth/login",
        data={"email": "a@example.org", "password": support.PASSWORD, "csrf_token": token},
    )
    html = client.get(f"/interview/{iid}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = {"base": json.dumps(_base(html)), f"cnote-{FIRST}": "x"}
    assert client.post(f"/interview/{iid}/autosave", data=data).status_code == 400
    ok = client.post(f"/interview/{iid}/autosave", data={**data, "csrf_token": token})
    assert ok.status_code == 200 and ok.get_json()["status"] == "saved"


def test_finalise_needs_confirmation_and_every_level(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    client = login("alice@example.org")
    base = _base(client.get(f"/interview/{iid}").get_data(as_text=True))
    partial = client.post(
        f"/interview/{iid}/scores",
        data={
            "base": json.dumps(base),
            "action": "finalise",
            "confirm_final": "yes",
            f"level-{FIRST}": "2",
        },
    )
    html = partial.get_data(as_text=True)
    assert partial.status_code == 422
    for c in RUBRIC.criteria[1:]:
        assert f"{c.title}: choose a level before finalising." in html
    base = _base(html)
    unconfirmed = client.post(
        f"/interview/{iid}/scores",
        data={"base": json.dumps(base), "action": "finalise", **_levels(2)},
    )
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    base = _base(unconfirmed.get_data(as_text=True))
    done = client.post(
        f"/interview/{iid}/scores",
        data={"base": json.dumps(base), "action": "finalise", "confirm_final": "yes", **_levels(2)},
    )
    assert done.status_code == 302
    with get_database(app).session() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "finalise"))
        assert entry is not None and entry.actor_id == cast.alice


def test_finalised_scores_are_locked(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 2)
    client = login("alice@example.org")
    html = client.get(f"/interview/{iid}").get_data(as_text=True)
    assert 'id="score-form"' not in html and "Your scores are final" in html
    response = client.post(f"/interview/{iid}/autosave", data={"base": "{}", f"level-{FIRST}": "4"})
    assert response.status_code == 409 and response.get_json()["status"] == "locked"
    form = client.post(f"/interview/{iid}/scores", data={"base": "{}", f"level-{FIRST}": "4"})
    assert form.status_code == 302
    with get_database(app).session() as session:
        card = support.card_of(session, iid, cast.alice)
        assert {s.level for s in card.scores} == {2}


def test_stale_form_is_told_and_keeps_the_users_text(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    tab_a, tab_b = login("alice@example.org"), login("alice@example.org")
    base_a = _base(tab_a.get(f"/interview/{iid}").get_data(as_text=True))
    base_b = _base(tab_b.get(f"/interview/{iid}").get_data(as_text=True))
    tab_a.post(
        f"/interview/{iid}/autosave",
        data={"base": json.dumps(base_a), "overall_comment": "written in tab A"},
    )
    response = tab_b.post(
        f"/interview/{iid}/scores",
        data={"base": json.dumps(base_b), "action": "save", "overall_comment": "written in tab B"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Changed somewhere else meanwhile" in html
    assert "written in tab A" in html  # the saved text, shown
    assert ">written in tab B</textarea>" in html  # the user's text, kept in the form
    # saving again from that page replaces the saved text deliberately
    again = tab_b.post(
        f"/interview/{iid}/scores",
        data={
            "base": json.dumps(_base(html)),
            "action": "save",
            "overall_comment": "written in tab B",
        },
    )
    assert again.status_code == 302
    with get_database(app).session() as session:
        assert support.card_of(session, iid, cast.alice).overall_comment == "written in tab B"


@pytest.mark.parametrize("path", ["", "/sheet", "/reconcile"], ids=["page", "sheet", "reconcile"])
def test_unassigned_interviewer_gets_not_found(app, cast, login, path: str) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    assert login("carol@example.org").get(f"/interview/{iid}{path}").status_code == 404


def test_unassigned_interviewer_cannot_save(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    response = login("carol@example.org").post(
        f"/interview/{iid}/autosave", data={"base": "{}", f"level-{FIRST}": "4"}
    )
    assert response.status_code == 404


def test_interview_page_names_the_suggested_project_and_its_questions(app, cast, login) -> None:
    from webapp.models import Submission

    with get_database(app).session() as session:
        sub = session.get(Submission, cast.submission)
        sub.suggested_project = "credit-default-cost-sensitive"
        session.commit()
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    html = login("alice@example.org").get(f"/interview/{iid}").get_data(as_text=True)
    assert "The candidate says the repository implements" in html
    assert "What the blog says the interview will ask about it" in html


def test_interview_page_says_when_no_suggested_project_was_named(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    html = login("alice@example.org").get(f"/interview/{iid}").get_data(as_text=True)
    assert "None: the candidate's own project idea." in html
