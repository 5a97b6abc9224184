"""A hostile-input pass: XSS payloads in every field and in repository-controlled text, posts
without a CSRF token, and ids that belong to someone else. All refused or rendered inert."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from websupport import (
    PASSWORD,
    create_user,
    fake_report,
    pass_knowledge_test,
    run_queued_jobs,
)

from reviewer.report import Fact, RepoRef, ReportWarning
from webapp import reviews
from webapp.db import get_database
from webapp.models import Submission, User

XSS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}{% raw %}",
    "<svg/onload=alert(1)>",
]


class ActiveContent(HTMLParser):
    """Collects everything in a page that could run script: elements, handlers, URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"img", "svg", "iframe", "object", "embed", "base"}:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if (
                name in {"href", "src", "action", "formaction"}
                and value
                and (value.strip().lower().startswith(("javascript:", "data:", "vbscript:")))
            ):
                self.found.append(f"{tag} {name}={value}")
        if tag == "script" and dict(attrs).get("src", "").startswith("/static/") is False:
            self.found.append("inline <script>")


def assert_inert(html: bytes) -> None:
    parser = ActiveContent()
    parser.feed(html.decode("utf-8"))
    assert parser.found == []
    assert b"{{7*7}}" not in html or b"49" not in html  # no template evaluation


@pytest.mark.parametrize("payload", XSS, ids=range(len(XSS)))
def test_xss_in_registration_fields_is_escaped(client, payload: str) -> None:
    response = client.post(
        "/auth/register",
        data={"name": payload, "email": payload, "password": payload, "confirm": payload + "!"},
    )
    assert response.status_code == 200
    assert_inert(response.data)


@pytest.mark.parametrize("payload", XSS, ids=range(len(XSS)))
def test_xss_in_name_is_stored_as_text_and_shown_escaped(client, auth, app, make_user,
                                                         payload: str) -> None:  # fmt: skip
    auth.register("x@example.org", name=payload)
    with get_database(app).session() as session:
        assert session.scalar(select(User.name).where(User.email == "x@example.org")) == payload
    auth.logout()
    make_user("staff@example.org", "staff")
    auth.login("staff@example.org")
    page = client.get("/admin/users")
    assert_inert(page.data)


@pytest.mark.parametrize("payload", XSS, ids=range(len(XSS)))
def test_xss_in_the_submission_form_is_escaped(client, app, auth, make_user, fake_engine,
                                               payload: str) -> None:  # fmt: skip
    make_user("cand@example.org")
    pass_knowledge_test(app, "cand@example.org")
    auth.login()
    for data in (
        {"certification": payload, "repo_url": "https://github.com/a/b"},
        {"certification": "ml-expert", "repo_url": payload},
    ):
        response = client.post("/submissions/new", data=data)
        assert response.status_code == 422
        assert_inert(response.data)


@pytest.mark.parametrize("payload", XSS, ids=range(len(XSS)))
def test_xss_in_staff_forms_and_csv_rows_is_escaped(client, auth, make_user,
                                                    payload: str) -> None:  # fmt: skip
    make_user("staff@example.org", "staff")
    auth.login("staff@example.org")
    response = client.post(
        "/admin/users",
        data={"email": payload, "name": payload, "role": payload, "password": payload},
    )
    assert_inert(response.data)
    response = client.post(
        "/admin/knowledge-tests/manual",
        data={"email": payload, "certification": payload, "taken_on": payload, "score": payload},
    )
    assert_inert(response.data)
    csv = f"{payload},{payload},{payload},{payload}\n".encode()
    response = client.post(
        "/admin/knowledge-tests/import",
        data={"file": (io.BytesIO(csv), payload + ".csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert_inert(response.data)


def test_repository_controlled_text_is_rendered_inert(
    client, app, auth, make_user, monkeypatch
) -> None:
    """README headings, file names, commit messages and the GitHub description reach pages
    only through the report; every one of them is escaped there."""
    evil = '<script>alert("repo")</script>'
    facts = {
        "has_readme": Fact(True, (f"README{evil}.md:1",), f"heading {evil}"),
        "has_tests": Fact(True, ('tests/"><img src=x onerror=alert(1)>.py',), "tests"),
        "last_commit_subject": Fact(f"<svg/onload=alert(1)> {evil}", (), f"commit {evil}"),
    }

    def evil_inspect(ref: RepoRef, commit, settings):
        report = fake_report(ref, commit or "c" * 40, facts)
        return report.__class__(
            **{**report.__dict__,
               "warnings": (ReportWarning("x", f"warning {evil}", f"path{evil}"),),
               "metadata": {"description": f"desc {evil}"}},
        )  # fmt: skip

    monkeypatch.setattr(reviews, "inspect", evil_inspect)
    monkeypatch.setattr(
        reviews,
        "check_repository",
        lambda ref, settings: reviews.RepoCheck(
            ref, True, "main", "c" * 40, {"description": f"gh {evil}"}
        ),
    )
    make_user("cand@example.org")
    pass_knowledge_test(app, "cand@example.org")
    auth.login()
    client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/a/b"},
    )
    assert run_queued_jobs(app) == ["done"]
    with get_database(app).session() as session:
        sub_id = session.scalar(select(Submission.id))
    page = client.get(f"/submissions/{sub_id}")
    assert page.status_code == 200
    assert b"What the inspection found" in page.data
    assert_inert(page.data)
    assert b"&lt;script&gt;alert(&#34;repo&#34;)&lt;/script&gt;" in page.data
    # evidence links stay on the forge's blob URL at the pinned commit
    assert b'href="https://github.com/a/b/blob/' + b"c" * 40 + b"/README" in page.data


# -- CSRF ----------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(make_app, sqlite_url):
    app = make_app(sqlite_url, WTF_CSRF_ENABLED=True)
    create_user(app, "cand@example.org")
    create_user(app, "staff@example.org", "staff")
    return app


def _token(client, path: str) -> str:
    html = client.get(path).data.decode()
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def _login(client, email: str) -> None:
    token = _token(client, "/auth/login")
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/auth/login", {"email": "cand@example.org", "password": PASSWORD}),
        (
            "/auth/register",
            {"name": "n", "email": "n@example.org", "password": PASSWORD, "confirm": PASSWORD},
        ),
    ],
    ids=["login", "register"],
)
def test_anonymous_posts_without_a_token_are_refused(csrf_app, path: str, data: dict) -> None:
    response = csrf_app.test_client().post(path, data=data)
    assert response.status_code == 400
    assert b"did not come from this site" in response.data


@pytest.mark.parametrize(
    ("email", "path", "data"),
    [
        ("cand@example.org", "/submissions/new",
         {"certification": "ml-expert", "repo_url": "https://github.com/a/b"}),
        ("cand@example.org", "/auth/logout", {}),
        ("staff@example.org", "/admin/users",
         {"email": "x@example.org", "role": "staff", "password": PASSWORD}),
        ("staff@example.org", "/admin/knowledge-tests/manual",
         {"email": "cand@example.org", "certification": "nlp", "taken_on": "2024-01-01",
          "score": "99"}),
    ],
    ids=["submit", "logout", "create-staff", "knowledge-result"],
)  # fmt: skip
def test_logged_in_posts_without_a_token_are_refused(csrf_app, email, path, data) -> None:
    client = csrf_app.test_client()
    _login(client, email)
    response = client.post(path, data=data)
    assert response.status_code == 400
    with get_database(csrf_app).session() as session:
        assert session.scalar(select(User.id).where(User.email == "x@example.org")) is None
        assert session.scalar(select(Submission.id)) is None


def test_a_token_from_another_session_is_refused(csrf_app) -> None:
    other = csrf_app.test_client()
    stolen = _token(other, "/auth/login")
    client = csrf_app.test_client()
    client.get("/auth/login")
    response = client.post(
        "/auth/login",
        data={"email": "cand@example.org", "password": PASSWORD, "csrf_token": stolen},
    )
    assert response.status_code == 400


# -- other people's ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/submissions/{id}", "/submissions/{id}/status.json"], ids=["page", "json"]
)
def test_ids_of_other_candidates_and_unknown_ids_look_the_same(
    client, app, auth, make_user, fake_engine, path: str
) -> None:
    make_user("ada@example.org")
    pass_knowledge_test(app, "ada@example.org")
    auth.login("ada@example.org")
    client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/a/b"},
    )
    with get_database(app).session() as session:
        sub_id = session.scalar(select(Submission.id))
    auth.logout()
    make_user("eve@example.org")
    auth.login("eve@example.org")
    client.get("/dashboard")  # shows (and clears) the log-out message
    theirs = client.get(path.format(id=sub_id))
    unknown = client.get(path.format(id=sub_id + 1000))
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.data == unknown.data
    assert b"a/b" not in theirs.data


def test_status_json_is_not_html(client, app, auth, make_user, fake_engine) -> None:
    make_user("cand@example.org")
    pass_knowledge_test(app, "cand@example.org")
    auth.login()
    client.post(
        "/submissions/new",
        data={"certification": "ml-expert", "repo_url": "https://github.com/a/b"},
    )
    with get_database(app).session() as session:
        sub_id = session.scalar(select(Submission.id))
    response = client.get(f"/submissions/{sub_id}/status.json")
    assert response.mimetype == "application/json"
    assert json.loads(response.data)["state"] == "pending"
