"""Fixtures of the interview side: the whole app (the interview blueprint registered) and a
small cast: staff, two interviewers, a candidate with a submission ready for interview."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import interviewsupport as support
import pytest
from flask import Flask
from flask.testing import FlaskClient
from websupport import PASSWORD

from webapp.db import get_database


@pytest.fixture
def app(make_app: Callable[..., Flask], sqlite_url: str) -> Iterator[Flask]:
    application = make_app(sqlite_url, OPTIONAL_BLUEPRINTS=(("webapp.interview", "/interview"),))
    yield application
    get_database(application).dispose()


@dataclass(frozen=True)
class Cast:
    staff: int
    alice: int  # interviewer
    bob: int  # interviewer
    carol: int  # interviewer, never assigned in the default scenario
    candidate: int
    submission: int


@pytest.fixture
def cast(app: Flask) -> Cast:
    staff = support.user(app, "staff@example.org", "staff", "Sam Staff")
    alice = support.user(app, "alice@example.org", "interviewer", "Alice")
    bob = support.user(app, "bob@example.org", "interviewer", "Bob")
    carol = support.user(app, "carol@example.org", "interviewer", "Carol")
    candidate, submission = support.ready_submission(app, "cand@example.org", name="Cand Idate")
    return Cast(staff, alice, bob, carol, candidate, submission)


@pytest.fixture
def login(app: Flask) -> Callable[[str], FlaskClient]:
    """A client of its own, logged in as ``email``."""

    def make(email: str) -> FlaskClient:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return make
