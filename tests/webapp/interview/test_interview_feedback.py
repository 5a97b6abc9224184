"""What candidates see: their result, the notes meant for them, the certificate with its expiry
or the date they may try again; never private notes, rationales or recommendations."""

from __future__ import annotations

import interviewsupport as support
from sqlalchemy import select

from reviewer import program
from webapp.db import get_database
from webapp.models.interviews import InterviewResult

RUBRIC = support.rubric()


def _decided(app, cast, level: int) -> int:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    support.score(app, iid, cast.alice, level, note="alice says")
    support.score(app, iid, cast.bob, level, note="bob says")
    return support.decide(app, iid, cast.alice, level)


def test_candidate_sees_pass_certificate_expiry_and_own_notes(app, cast, login) -> None:
    rid = _decided(app, cast, 3)
    client = login("cand@example.org")
    listing = client.get("/interview/results").get_data(as_text=True)
    assert f"/interview/results/{rid}" in listing
    html = client.get(f"/interview/results/{rid}").get_data(as_text=True)
    with get_database(app).session() as session:
        result = session.get(InterviewResult, rid)
        expires = program.add_years(result.interview_on, 5)
    assert "Passed" in html and "75.00%" in html
    assert f"expires on {expires.strftime('%d %b %Y').lstrip('0')}" in html
    for c in RUBRIC.criteria:
        assert f"alice says for {c.id}" in html and f"bob says for {c.id}" in html
    assert "PRIVATE" not in html  # private notes
    assert "agreed in test" not in html  # rationales
    assert "Recommendation" not in html


def test_candidate_sees_wait_date_after_failure(app, cast, login) -> None:
    rid = _decided(app, cast, 1)
    html = login("cand@example.org").get(f"/interview/results/{rid}").get_data(as_text=True)
    with get_database(app).session() as session:
        retry = session.get(InterviewResult, rid).retry_on
    assert "Not passed" in html
    assert f'from <strong id="retry-on">{retry.strftime("%d %b %Y").lstrip("0")}</strong>' in html
    assert "Attempts left: 2" in html


def test_candidate_cannot_open_another_candidates_result(app, cast, login) -> None:
    rid = _decided(app, cast, 3)
    support.user(app, "other@example.org", "candidate")
    assert login("other@example.org").get(f"/interview/results/{rid}").status_code == 404
    assert f"/interview/results/{rid}" not in login("other@example.org").get(
        "/interview/results"
    ).get_data(as_text=True)


def test_candidate_sees_scheduled_interview_but_no_scores_before_result(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 3, note="hidden until decided")
    html = login("cand@example.org").get("/interview/results").get_data(as_text=True)
    assert "Scheduled interviews" in html and "hidden until decided" not in html
    with get_database(app).session() as session:
        assert session.scalar(select(InterviewResult)) is None


def test_notes_are_rendered_inert(app, cast, login) -> None:
    payload = '</textarea><script>alert("x")</script><img src=x onerror=alert(1)>'
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 3, note=payload)
    rid = support.decide(app, iid, cast.alice, 3)
    pages = [
        login("cand@example.org").get(f"/interview/results/{rid}"),
        login("alice@example.org").get(f"/interview/{iid}"),
        login("staff@example.org").get(f"/interview/staff/interviews/{iid}"),
    ]
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
