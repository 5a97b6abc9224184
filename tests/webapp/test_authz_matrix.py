"""The authorization matrix: every route of the whole app × every role (and anonymous) gets the
answer this table says. The table is written by hand; the app's URL map is enumerated, so a new
route without a row (or a row for a route that is gone) fails the suite.

Answers: a role in the row's set is let in (anything but 403 or a redirect to the login page);
anonymous outside it is sent to the login page; any other role gets 403. Object-level checks
(another candidate's result, an interview one is not assigned to) are in the second table.
POSTs carry no data (CSRF off): they exercise the check, not the action.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from websupport import FAST_HASH, PASSWORD
from werkzeug.routing import Rule

from reviewer.settings import Settings
from webapp import create_app
from webapp.db import get_database

# the interview tests' helpers (tests/webapp/interview), as pytest adds them when it collects there
sys.path.insert(0, str(Path(__file__).with_name("interview")))
import interviewsupport as support  # noqa: E402

ANON, CAND, INTV, EDIT, STAFF = "anonymous", "candidate", "interviewer", "editor", "staff"
ROLES = (ANON, CAND, INTV, EDIT, STAFF)
EVERYONE = frozenset(ROLES)
CANDIDATE = frozenset({CAND})
INTERVIEWER = frozenset({INTV})
INTERVIEW_SIDE = frozenset({INTV, STAFF})
EDITORS = frozenset({EDIT, STAFF})
STAFF_ONLY = frozenset({STAFF})

#: (method, rule) -> who is let in
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/static/<path:filename>"): EVERYONE,
    # auth + candidate (web app part 1)
    ("GET", "/"): EVERYONE,
    ("GET", "/auth/login"): EVERYONE,
    ("POST", "/auth/login"): EVERYONE,
    ("GET", "/auth/register"): EVERYONE,
    ("POST", "/auth/register"): EVERYONE,
    ("POST", "/auth/logout"): EVERYONE,
    ("GET", "/dashboard"): CANDIDATE,
    ("GET", "/submissions/new"): CANDIDATE,
    ("POST", "/submissions/new"): CANDIDATE,
    ("GET", "/submissions/<int:submission_id>"): CANDIDATE,
    ("GET", "/submissions/<int:submission_id>/status.json"): CANDIDATE,
    ("POST", "/submissions/<int:submission_id>/retry"): CANDIDATE,
    # staff (web app part 1)
    ("GET", "/admin/"): STAFF_ONLY,
    ("GET", "/admin/users"): STAFF_ONLY,
    ("POST", "/admin/users"): STAFF_ONLY,
    ("GET", "/admin/knowledge-tests"): STAFF_ONLY,
    ("POST", "/admin/knowledge-tests/import"): STAFF_ONLY,
    ("POST", "/admin/knowledge-tests/manual"): STAFF_ONLY,
    ("GET", "/admin/submissions"): STAFF_ONLY,
    ("POST", "/admin/submissions/<int:submission_id>/retry"): STAFF_ONLY,
    ("GET", "/admin/refund-budget"): STAFF_ONLY,
    ("POST", "/admin/refund-budget"): STAFF_ONLY,
    ("GET", "/admin/credits"): STAFF_ONLY,
    ("POST", "/admin/credits"): STAFF_ONLY,
    # blog editors
    ("GET", "/editor/"): EDITORS,
    ("GET", "/editor/new"): EDITORS,
    ("POST", "/editor/new"): EDITORS,
    ("GET", "/editor/<ident>/edit"): EDITORS,
    ("POST", "/editor/<ident>/edit"): EDITORS,
    ("POST", "/editor/<ident>/move"): EDITORS,
    ("POST", "/editor/<ident>/status"): EDITORS,
    ("GET", "/editor/export"): EDITORS,
    ("GET", "/editor/preview/"): EDITORS,
    ("GET", "/editor/preview/<cert>/"): EDITORS,
    ("POST", "/editor/preview-fragment"): EDITORS,
    # interviewers (web app part 2)
    ("GET", "/interview/"): INTERVIEW_SIDE,
    ("GET", "/interview/brief.css"): INTERVIEW_SIDE,
    ("GET", "/interview/<int:interview_id>"): INTERVIEW_SIDE,
    ("GET", "/interview/<int:interview_id>/sheet"): INTERVIEW_SIDE,
    ("POST", "/interview/<int:interview_id>/scores"): INTERVIEWER,
    ("POST", "/interview/<int:interview_id>/autosave"): INTERVIEWER,
    ("GET", "/interview/<int:interview_id>/reconcile"): INTERVIEW_SIDE,
    ("POST", "/interview/<int:interview_id>/reconcile"): INTERVIEW_SIDE,
    # candidates' results
    ("GET", "/interview/results"): CANDIDATE,
    ("GET", "/interview/results/<int:result_id>"): CANDIDATE,
    # staff (web app part 2)
    ("GET", "/interview/staff/assign"): STAFF_ONLY,
    ("GET", "/interview/staff/assign/<int:submission_id>"): STAFF_ONLY,
    ("POST", "/interview/staff/assign/<int:submission_id>"): STAFF_ONLY,
    ("GET", "/interview/staff/interviews/<int:interview_id>"): STAFF_ONLY,
    ("POST", "/interview/staff/interviews/<int:interview_id>/agreed"): STAFF_ONLY,
    ("POST", "/interview/staff/interviews/<int:interview_id>/scores/<int:card_id>"): STAFF_ONLY,
    ("POST", "/interview/staff/interviews/<int:interview_id>/overall/<int:card_id>"): STAFF_ONLY,
    ("GET", "/interview/staff/audit"): STAFF_ONLY,
    ("GET", "/interview/staff/audit.<any(csv, json):fmt>"): STAFF_ONLY,
    ("GET", "/interview/staff/exports"): STAFF_ONLY,
    ("GET", "/interview/staff/exports/results.<any(csv, json):fmt>"): STAFF_ONLY,
    ("GET", "/interview/staff/exports/certificates.<any(csv, json):fmt>"): STAFF_ONLY,
    ("GET", "/interview/staff/exports/refunds.<any(csv, json):fmt>"): STAFF_ONLY,
}

#: Routes whose normal answer is the login page (so it does not mean "refused").
LOGIN_PAGE_IS_THE_ANSWER = {("POST", "/auth/logout")}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass
class World:
    app: Flask
    values: dict[str, object]  # URL parameters, all belonging to the role's own objects
    cookies: dict[str, str | None]  # role -> session cookie of a logged-in client


def _login(app: Flask, email: str) -> str:
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> World:
    tmp = tmp_path_factory.mktemp("authz")
    shutil.copyfile(sqlite_template, tmp / "reviewer.db")
    app = create_app(
        {
            "TESTING": True,
            "REVIEWER_SETTINGS": Settings(data_dir=tmp / "data", use_github_api=False),
            "DATABASE_URL": f"sqlite:///{tmp / 'reviewer.db'}",
            "QUEUE_URL": "memory://",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "QUEUE_ENQUEUE": False,
        }
    )
    staff = support.user(app, "staff@example.org", STAFF)
    interviewer = support.user(app, "interviewer@example.org", INTV)
    support.user(app, "editor@example.org", EDIT)
    support.user(app, "other-interviewer@example.org", INTV)
    _, submission = support.ready_submission(app, "candidate@example.org")
    support.ready_submission(app, "other-candidate@example.org")
    interview = support.assign(app, submission, [interviewer], staff)
    support.score(app, interview, interviewer, 3)
    result = support.decide(app, interview, interviewer, 3)
    with get_database(app).session() as session:
        card = support.card_of(session, interview, interviewer).id
    values = {
        "submission_id": submission,
        "interview_id": interview,
        "result_id": result,
        "card_id": card,
        "fmt": "csv",
        "ident": "no-such-project",
        "cert": "nlp",
        "filename": "app.css",
    }
    cookies: dict[str, str | None] = {ANON: None}
    for role in ROLES[1:]:
        cookies[role] = _login(app, f"{role}@example.org")
    cookies["other-candidate"] = _login(app, "other-candidate@example.org")
    cookies["other-interviewer"] = _login(app, "other-interviewer@example.org")
    yield World(app, values, cookies)
    get_database(app).dispose()


def _rules(app: Flask) -> dict[tuple[str, str], Rule]:
    return {
        (method, rule.rule): rule
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods or ())
        if method in METHODS
    }


def _client(world: World, who: str):  # noqa: ANN202
    client = world.app.test_client()
    cookie = world.cookies[who]
    if cookie is not None:
        client.set_cookie("session", cookie)
    return client


def test_every_route_has_a_row_and_every_row_a_route(world: World) -> None:
    routes = set(_rules(world.app))
    missing, gone = sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes)
    assert not missing, f"routes without a row in MATRIX: {missing}"
    assert not gone, f"rows for routes that no longer exist: {gone}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "rule"), sorted(MATRIX), ids=[f"{m} {r}" for m, r in sorted(MATRIX)]
)
def test_route_answers_by_role(world: World, method: str, rule: str, role: str) -> None:
    found = _rules(world.app).get((method, rule))
    if found is None:
        pytest.fail(f"{method} {rule} is in MATRIX but not in the app")
    with world.app.test_request_context():
        url = world.app.url_map.bind("localhost").build(
            found.endpoint, {k: world.values[k] for k in found.arguments}, method=method
        )
    response = _client(world, role).open(url, method=method)
    response.close()
    location = response.headers.get("Location", "")
    sent_to_login = response.status_code == 302 and location.startswith("/auth/login")
    if (method, rule) in LOGIN_PAGE_IS_THE_ANSWER:
        sent_to_login = False
    if role in MATRIX[(method, rule)]:
        assert response.status_code != 403 and not sent_to_login, (
            f"{role} was refused {method} {url}: {response.status_code} {location}"
        )
    elif role == ANON:
        assert sent_to_login, f"anonymous got {response.status_code} for {method} {url}"
    else:
        assert response.status_code == 403, f"{role} got {response.status_code} for {url}"


#: Object-level checks: the right role, somebody else's object.
OBJECTS = [
    ("other-candidate", "GET", "/submissions/{submission_id}", 404),
    ("other-candidate", "GET", "/submissions/{submission_id}/status.json", 404),
    ("other-candidate", "GET", "/interview/results/{result_id}", 404),
    ("other-interviewer", "GET", "/interview/{interview_id}", 404),
    ("other-interviewer", "GET", "/interview/{interview_id}/sheet", 404),
    ("other-interviewer", "GET", "/interview/{interview_id}/reconcile", 404),
    ("other-interviewer", "POST", "/interview/{interview_id}/reconcile", 404),
    ("other-interviewer", "POST", "/interview/{interview_id}/scores", 404),
    ("other-interviewer", "POST", "/interview/{interview_id}/autosave", 404),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "status"), OBJECTS, ids=[f"{w} {m} {p}" for w, m, p, _ in OBJECTS]
)
def test_someone_elses_object_is_not_found(
    world: World, who: str, method: str, path: str, status: int
) -> None:
    response = _client(world, who).open(path.format(**world.values), method=method)
    assert response.status_code == status
