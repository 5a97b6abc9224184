from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from webapp import accounts, ratelimit
from webapp.access import public
from webapp.auth import bp
from webapp.auth.forms import LoginForm, PostForm, RegisterForm
from webapp.db import get_session
from webapp.models import Role


def client_address() -> str:
    return request.remote_addr or "unknown"


def home_for(role: str) -> str:
    endpoints = {
        "candidate": "candidate.dashboard",
        "staff": "admin.index",
        "interviewer": "interview.dashboard",
        "editor": "editor.index",
    }
    endpoint = endpoints.get(role)
    if endpoint and endpoint in current_app.view_functions:
        return url_for(endpoint)
    return url_for("candidate.home")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site (never another host, scheme or ``//host``)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def policy() -> accounts.PasswordPolicy:
    return accounts.PasswordPolicy(
        min_length=int(current_app.config["PASSWORD_MIN_LENGTH"]),
        hash_method=current_app.config["PASSWORD_HASH_METHOD"],
    )


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = RegisterForm()
    if form.validate_on_submit():
        session = get_session()
        ratelimit.enforce(
            session, f"register:ip:{client_address()}", current_app.config["RATE_LIMIT_REGISTER"]
        )
        try:
            user = accounts.create_user(
                session,
                form.email.data or "",
                form.password.data or "",
                Role.CANDIDATE,
                policy(),
                name=form.name.data or "",
            )
        except accounts.AccountError as err:
            field = getattr(form, err.field, form.email)
            field.errors = [*field.errors, err.message]
        else:
            session.commit()
            login_user(user)
            flash("Welcome! Your candidate account is ready.", "success")
            return redirect(url_for("candidate.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        email = accounts.normalise_email(form.email.data or "")
        config = current_app.config
        for key, window in (
            (f"login:ip:{client_address()}", config["RATE_LIMIT_LOGIN_ADDRESS"]),
            (f"login:email:{email}", config["RATE_LIMIT_LOGIN"]),
        ):
            limit = ratelimit.hit(session, key, ratelimit.Limit.of(window))
            if not limit.allowed:
                session.commit()
                abort(429, description=limit.message)
        user = accounts.authenticate(session, email, form.password.data or "")
        session.commit()
        if user is None:
            form.password.errors = [
                *form.password.errors,
                "The e-mail address or the password is not right.",
            ]
        else:
            login_user(user)
            target = safe_next(request.args.get("next"))
            return redirect(target or home_for(user.role))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    form = PostForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
