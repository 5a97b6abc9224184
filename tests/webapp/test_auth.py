"""Registration, log in and log out; passwords, sessions and the login rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from websupport import PASSWORD, create_user

from webapp import accounts
from webapp.db import get_database
from webapp.models import Role, User


def test_register_creates_a_candidate_and_logs_in(client, auth, app) -> None:
    response = auth.register("new@example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    with get_database(app).session() as session:
        user = session.scalar(select(User).where(User.email == "new@example.org"))
        assert user is not None and user.role == Role.CANDIDATE
        assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    ("email", "password", "confirm", "message"),
    [
        ("bad-address", PASSWORD, PASSWORD, b"Enter an e-mail address like"),
        ("x@example.org", "short", "short", b"Use at least 10 characters."),
        ("x@example.org", PASSWORD, PASSWORD + "!", b"The two passwords differ."),
        ("", PASSWORD, PASSWORD, b"Enter your e-mail address."),
    ],
    ids=["email-shape", "short-password", "mismatch", "missing-email"],
)
def test_register_refuses_bad_input_with_the_field_named(
    client, email: str, password: str, confirm: str, message: bytes
) -> None:
    response = client.post(
        "/auth/register",
        data={"name": "N", "email": email, "password": password, "confirm": confirm},
    )
    assert response.status_code == 200
    assert message in response.data
    assert b'aria-invalid="true"' in response.data and b"There is a problem" in response.data


def test_register_refuses_an_email_already_used(auth, make_user, client) -> None:
    make_user("taken@example.org")
    response = auth.register("Taken@Example.org")
    assert b"already exists" in response.data
    assert client.get("/dashboard").status_code == 302  # not logged in


def test_login_with_wrong_password_says_so_on_the_form(auth, make_user) -> None:
    make_user("cand@example.org")
    response = auth.login("cand@example.org", "wrong password!")
    assert response.status_code == 200
    assert b"The e-mail address or the password is not right." in response.data


def test_login_and_logout(auth, make_user, client) -> None:
    make_user("cand@example.org")
    assert auth.login().headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_logout_by_get_is_not_possible(auth, make_user, client) -> None:
    make_user("cand@example.org")
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize(
    ("role", "home"),
    [("candidate", "/dashboard"), ("staff", "/admin/"), ("interviewer", "/"), ("editor", "/")],
    ids=["candidate", "staff", "interviewer", "editor"],
)
def test_login_lands_on_the_role_home(auth, make_user, role: str, home: str) -> None:
    make_user("p@example.org", role)
    assert auth.login("p@example.org").headers["Location"] == home


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "\t//evil.example",
    ],
    ids=["absolute", "scheme-relative", "backslash", "javascript", "http-single-slash", "tab"],
)
def test_login_never_redirects_off_site(client, make_user, target: str) -> None:
    make_user("cand@example.org")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "cand@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/dashboard"


def test_login_follows_a_local_next(client, make_user) -> None:
    make_user("cand@example.org")
    response = client.post(
        "/auth/login",
        query_string={"next": "/submissions/new"},
        data={"email": "cand@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/submissions/new"


def test_login_is_rate_limited_per_account(make_app, sqlite_url, make_user) -> None:
    app = make_app(sqlite_url, RATE_LIMIT_LOGIN=(3, 600))
    create_user(app, "cand@example.org")
    client = app.test_client()
    codes = [
        client.post(
            "/auth/login",
            data={"email": "cand@example.org", "password": "wrong one!"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        ).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    # even the right password is refused while the limit holds
    response = client.post("/auth/login", data={"email": "cand@example.org", "password": PASSWORD})
    assert response.status_code == 429 and b"Please try again in" in response.data


def test_registration_is_rate_limited_per_address(make_app, sqlite_url) -> None:
    app = make_app(sqlite_url, RATE_LIMIT_REGISTER=(2, 3600))

    def register(email: str, address: str) -> Any:
        return app.test_client().post(
            "/auth/register",
            data={"name": "N", "email": email, "password": PASSWORD, "confirm": PASSWORD},
            environ_base={"REMOTE_ADDR": address},
        )

    codes = [register(f"n{i}@example.org", "10.0.0.1").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    refused = register("late@example.org", "10.0.0.1")
    assert refused.status_code == 429 and b"Please try again in" in refused.data
    assert register("other@example.org", "10.0.0.2").status_code == 302  # another address
    with get_database(app).session() as session:
        assert session.scalar(select(User).where(User.email == "n2@example.org")) is None


def test_changing_the_password_ends_other_sessions(auth, make_user, client, app) -> None:
    user_id = make_user("cand@example.org")
    auth.login()
    assert client.get("/dashboard").status_code == 200
    with get_database(app).session() as session:
        user = session.get(User, user_id)
        accounts.set_password(user, "another long password", accounts.PasswordPolicy())
    assert client.get("/dashboard").status_code == 302


def test_inactive_account_cannot_log_in(auth, make_user, app) -> None:
    user_id = make_user("cand@example.org")
    with get_database(app).session() as session:
        session.get(User, user_id).active = False
    assert auth.login().status_code == 200


def test_client_address_comes_from_the_proxy_only_when_configured(make_app, sqlite_url) -> None:
    from webapp.auth.views import client_address

    headers = {"X-Forwarded-For": "203.0.113.7"}
    direct = make_app(sqlite_url)
    with direct.test_request_context(headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        assert client_address() == "10.0.0.1"
    proxied = make_app(sqlite_url, PROXY_COUNT=1)
    seen = []
    proxied.add_url_rule("/_addr", "addr", lambda: seen.append(client_address()) or "ok")
    proxied.test_client().get("/_addr", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == ["203.0.113.7"]
