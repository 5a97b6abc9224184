"""What every page shares: the signed-in user, the navigation, formatting filters and the
security headers of every response."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, Response, current_app, request
from flask_login import current_user

from reviewer import program
from webapp.db import get_session
from webapp.extensions import login_manager

#: (endpoint, label, roles that see it). Entries whose endpoint is not registered are skipped,
#: so a blueprint added later only needs its line here.
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("candidate.dashboard", "My progress", frozenset({"candidate"})),
    ("candidate.new_submission", "Submit a project", frozenset({"candidate"})),
    ("interview.my_results", "Interview results", frozenset({"candidate"})),
    ("interview.dashboard", "Interviews", frozenset({"interviewer", "staff"})),
    ("editor.index", "Suggested projects", frozenset({"editor", "staff"})),
    ("admin.index", "Staff overview", frozenset({"staff"})),
    ("admin.users", "Accounts", frozenset({"staff"})),
    ("admin.knowledge_tests", "Knowledge tests", frozenset({"staff"})),
    ("admin.submissions", "Submissions", frozenset({"staff"})),
)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def certification_name(cert_id: str) -> str:
    try:
        return program.certification(cert_id).name
    except ValueError:
        return cert_id


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y, %H:%M UTC")
    return value.strftime("%d %b %Y").lstrip("0")


def format_money(cents: int | None) -> str:
    config: program.ProgramConfig = current_app.config["PROGRAM_CONFIG"]
    return config.format_money(cents or 0)


def is_local_forge(host: str) -> bool:
    """A host served from a local directory (the demo): there is no web page to link to."""
    return any(host == h for h, _ in current_app.config.get("LOCAL_FORGES") or ())


def demo_repository_url() -> str | None:
    if not is_local_forge("demo.invalid"):
        return None
    from webapp.demo.forge import demo_url

    return demo_url()


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    views = current_app.view_functions
    return [
        (endpoint, label)
        for endpoint, label, roles in NAV
        if current_user.role in roles and endpoint in views
    ]


def _load_user(session_id: str) -> Any:
    from webapp.accounts import load_session_user

    return load_session_user(get_session(), session_id)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_user and getattr(current_user, "is_authenticated", False):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_templating(app: Flask) -> None:
    login_manager.user_loader(_load_user)
    app.after_request(_security_headers)
    app.jinja_env.filters["certification_name"] = certification_name
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["is_local_forge"] = is_local_forge
    app.jinja_env.globals["demo_repository_url"] = demo_repository_url
    app.jinja_env.globals["certifications"] = program.CERTIFICATIONS

    @app.context_processor
    def _current_endpoint() -> dict[str, Any]:
        return {"current_endpoint": request.endpoint}
