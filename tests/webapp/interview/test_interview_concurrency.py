"""Saving at the same time: two interviewers, or two tabs of one, lose nothing; the same field
changed in two places at once is reported to one of them, never silently overwritten. Run on
SQLite and on PostgreSQL (``REVIEWER_TEST_POSTGRES_URL``), whose row versions do the work."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import interviewsupport as support
import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.db import get_database
from webapp.interview import scoring
from webapp.interview.engine import RubricSnapshot
from webapp.models.interviews import Interview

RUBRIC = support.rubric()
IDS = RUBRIC.criterion_ids


@pytest.fixture
def app(make_app: Callable[..., Flask], db_url: str):  # noqa: ANN201
    application = make_app(db_url, OPTIONAL_BLUEPRINTS=(("webapp.interview", "/interview"),))
    yield application
    get_database(application).dispose()


def _base(app, iid: int, interviewer: int) -> dict[str, str]:
    with get_database(app).session() as session:
        snap = RubricSnapshot.from_json(session.get(Interview, iid).rubric_json)
        return scoring.fingerprints(
            scoring.current_values(snap, support.card_of(session, iid, interviewer))
        )


def _together(*jobs: Callable[[], None]) -> None:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def _typist(
    client: FlaskClient, iid: int, base: dict[str, str], fields: list[str], codes: list[int]
) -> Callable[[], None]:
    """Autosaves each field in turn, as the page script does (base kept up to date)."""

    def run() -> None:
        for n, name in enumerate(fields):
            value = str(n % 5) if name.startswith("level-") else f"{name} text {n}"
            response = client.post(
                f"/interview/{iid}/autosave",
                data={"base": json.dumps({name: base[name]}), name: value},
            )
            codes.append(response.status_code)
            base[name] = response.get_json()["fingerprints"][name]

    return run


def test_two_interviewers_saving_at_once_lose_nothing(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    fields = [f"cnote-{c}" for c in IDS] + [f"pnote-{c}" for c in IDS]
    codes: list[int] = []
    _together(
        _typist(login("alice@example.org"), iid, _base(app, iid, cast.alice), fields, codes),
        _typist(login("bob@example.org"), iid, _base(app, iid, cast.bob), fields, codes),
    )
    assert set(codes) == {200}
    with get_database(app).session() as session:
        for who in (cast.alice, cast.bob):
            values = scoring.current_values(RUBRIC, support.card_of(session, iid, who))
            assert all(values[f] == f"{f} text {n}" for n, f in enumerate(fields))


def test_two_tabs_saving_different_fields_at_once_lose_nothing(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    base = _base(app, iid, cast.alice)
    codes: list[int] = []
    tab_a = [f"cnote-{c}" for c in IDS]
    tab_b = [f"pnote-{c}" for c in IDS] + ["overall_comment"]
    _together(
        _typist(login("alice@example.org"), iid, dict(base), tab_a, codes),
        _typist(login("alice@example.org"), iid, dict(base), tab_b, codes),
    )
    assert set(codes) == {200}
    with get_database(app).session() as session:
        values = scoring.current_values(RUBRIC, support.card_of(session, iid, cast.alice))
    assert all(values[f] == f"{f} text {n}" for n, f in enumerate(tab_a))
    assert all(values[f] == f"{f} text {n}" for n, f in enumerate(tab_b))


def test_two_tabs_saving_the_same_field_at_once_one_is_told(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    base = _base(app, iid, cast.alice)
    answers: dict[str, dict[str, object]] = {}

    def tab(text: str) -> Callable[[], None]:
        client = login("alice@example.org")

        def run() -> None:
            response = client.post(
                f"/interview/{iid}/autosave",
                data={
                    "base": json.dumps({"overall_comment": base["overall_comment"]}),
                    "overall_comment": text,
                },
            )
            answers[text] = {"code": response.status_code, **response.get_json()}

        return run

    _together(tab("tab one"), tab("tab two"))
    statuses = sorted(a["status"] for a in answers.values())
    assert statuses == ["conflict", "saved"]
    winner = next(t for t, a in answers.items() if a["status"] == "saved")
    loser = next(a for a in answers.values() if a["status"] == "conflict")
    assert loser["code"] == 409 and loser["conflicts"][0]["saved"] == winner
    with get_database(app).session() as session:
        assert support.card_of(session, iid, cast.alice).overall_comment == winner
