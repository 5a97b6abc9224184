"""Who may open which page: every route declares its roles, and the app enforces them."""

from __future__ import annotations

import pytest

from webapp import blueprints
from webapp.access import PUBLIC

# (method, path, roles allowed). Paths with ids use 1 (the candidate's own submission).
ROUTES = [
    ("GET", "/", PUBLIC),
    ("GET", "/auth/login", PUBLIC),
    ("GET", "/auth/register", PUBLIC),
    ("GET", "/dashboard", {"candidate"}),
    ("GET", "/submissions/new", {"candidate"}),
    ("GET", "/admin/", {"staff"}),
    ("GET", "/admin/users", {"staff"}),
    ("GET", "/admin/knowledge-tests", {"staff"}),
    ("GET", "/admin/submissions", {"staff"}),
    ("GET", "/admin/credits", {"staff"}),
    ("GET", "/admin/refund-budget", {"staff"}),
]
ROLES = ["anonymous", "candidate", "interviewer", "editor", "staff"]


@pytest.fixture
def app(make_app, sqlite_url):
    """The whole app, with the interviewer and editor sides when they are present."""
    return make_app(sqlite_url, OPTIONAL_BLUEPRINTS=blueprints.OPTIONAL)


def test_every_route_declares_who_may_open_it(app) -> None:
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and not hasattr(app.view_functions[rule.endpoint], "allowed_roles")
    ]
    assert undeclared == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_route_answers_by_role(
    client, auth, make_user, role: str, method: str, path: str, allowed: set[str]
) -> None:
    if role != "anonymous":
        make_user(f"{role}@example.org", role)
        auth.login(f"{role}@example.org")
    response = client.open(path, method=method)
    if role in allowed:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/auth/login" not in response.headers["Location"]
    elif role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
    else:
        assert response.status_code == 403
