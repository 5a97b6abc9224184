"""Staff assign interviewers: default count from the configuration, least-loaded suggestion,
every problem reported at once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import interviewsupport as support
import pytest
from sqlalchemy import select

from webapp.db import get_database
from webapp.interview import assignment
from webapp.interview.assignment import Load
from webapp.models.interviews import Interview, Scorecard


@pytest.mark.parametrize(
    ("loads", "count", "expected"),
    [
        (
            [Load(1, "Ann", "a@x", 3, 9), Load(2, "Ben", "b@x", 1, 9), Load(3, "Cy", "c@x", 2, 2)],
            2,
            (2, 3),
        ),
        ([Load(1, "Ann", "a@x", 1, 5), Load(2, "Ben", "b@x", 1, 2)], 1, (2,)),
        ([Load(2, "Ben", "b@x", 0, 0), Load(1, "ann", "a@x", 0, 0)], 1, (1,)),
        ([Load(1, "Ann", "a@x", 0, 0)], 3, (1,)),
    ],
    ids=["fewest-open", "tie-fewest-total", "tie-by-name", "fewer-than-asked"],
)
def test_suggest_least_loaded(loads: list[Load], count: int, expected: tuple[int, ...]) -> None:
    assert assignment.suggest(loads, count) == expected


def test_suggest_skips_already_assigned() -> None:
    loads = [Load(1, "Ann", "a@x", 0, 0), Load(2, "Ben", "b@x", 5, 5)]
    assert assignment.suggest(loads, 1, exclude=[1]) == (2,)


def test_assign_page_ticks_default_count_of_least_loaded(app, cast, login) -> None:
    busy = support.ready_submission(app, "busy@example.org")[1]
    support.assign(app, busy, [cast.alice], cast.staff)  # Alice now has one open interview
    page = login("staff@example.org").get(f"/interview/staff/assign/{cast.submission}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    ticked = {uid for uid in (cast.alice, cast.bob, cast.carol) if f'value="{uid}" checked' in html}
    assert ticked == {cast.bob, cast.carol}  # two by default (ProgramConfig), the least loaded


def test_assign_default_count_follows_the_configuration(make_app, sqlite_url, login) -> None:
    from reviewer.program import ProgramConfig

    app = make_app(
        sqlite_url,
        OPTIONAL_BLUEPRINTS=(("webapp.interview", "/interview"),),
        PROGRAM_CONFIG=dataclasses.replace(ProgramConfig(), interviewers_per_interview=3),
    )
    staff = support.user(app, "staff@example.org", "staff")
    ids = [support.user(app, f"i{n}@example.org", "interviewer") for n in range(4)]
    _, sub = support.ready_submission(app, "c@example.org")
    client = app.test_client()
    client.post("/auth/login", data={"email": "staff@example.org", "password": support.PASSWORD})
    html = client.get(f"/interview/staff/assign/{sub}").get_data(as_text=True)
    assert sum(f'value="{uid}" checked' in html for uid in ids) == 3
    assert staff


def test_assign_post_creates_interview_with_frozen_rubric(app, cast, login) -> None:
    staff = login("staff@example.org")
    response = staff.post(
        f"/interview/staff/assign/{cast.submission}",
        data={"interviewers": [cast.alice, cast.bob], "scheduled_at": "2030-05-04T09:30"},
    )
    assert response.status_code == 302
    with get_database(app).session() as session:
        interview = session.scalar(select(Interview))
        assert interview.scheduled_at == datetime(2030, 5, 4, 9, 30, tzinfo=UTC)
        assert interview.rubric_version == support.rubric().version
        cards = session.scalars(select(Scorecard)).all()
        assert sorted(c.interviewer_id for c in cards) == sorted([cast.alice, cast.bob])
        assert all(len(c.scores) == len(support.rubric().criteria) for c in cards)


def test_assign_reports_every_problem(app, cast, login) -> None:
    response = login("staff@example.org").post(
        f"/interview/staff/assign/{cast.submission}",
        data={"interviewers": [cast.candidate], "scheduled_at": "not a date"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose only active interviewer accounts." in html
    assert "Enter the date and time of the interview." in html
    with get_database(app).session() as session:
        assert session.scalar(select(Interview)) is None


def test_assign_again_adds_interviewers_and_keeps_scores(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 3, finalise=False)
    response = login("staff@example.org").post(
        f"/interview/staff/assign/{cast.submission}",
        data={"interviewers": [cast.bob], "scheduled_at": "2030-01-02T10:00"},
    )
    assert response.status_code == 302
    with get_database(app).session() as session:
        cards = {c.interviewer_id: c for c in session.scalars(select(Scorecard))}
        assert set(cards) == {cast.alice, cast.bob}
        assert {s.level for s in cards[cast.alice].scores} == {3}


def test_assign_list_shows_only_ready_submissions_without_interview(app, cast, login) -> None:
    _, other = support.ready_submission(app, "other@example.org", name="Other Person")
    support.assign(app, other, [cast.alice], cast.staff)
    html = login("staff@example.org").get("/interview/staff/assign").get_data(as_text=True)
    assert f"/interview/staff/assign/{cast.submission}" in html
    assert f"/interview/staff/assign/{other}" not in html
