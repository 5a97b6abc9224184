"""Accounts: creating people, checking passwords, loading the user of a session.

Plain functions over a SQLAlchemy session; the views and the ``reviewer users`` commands both
call them. Passwords are hashed with werkzeug's scrypt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models import Role, User, utcnow

EMAIL_RE = re.compile(r"^[^@\s<>\"'`]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251})\.[A-Za-z]{2,63}$")
MAX_PASSWORD_LENGTH = 1024

#: Verified when an unknown e-mail logs in, so that timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt:1024:8:1")


class AccountError(ValueError):
    """An account cannot be created as asked; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 10
    hash_method: str = "scrypt"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if not email:
        return "Enter your e-mail address."
    if len(email) > 254 or not EMAIL_RE.match(email):
        return "Enter an e-mail address like name@example.org."
    return None


def password_problem(password: str, policy: PasswordPolicy) -> str | None:
    if len(password) < policy.min_length:
        return f"Use at least {policy.min_length} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    return None


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    session: Session,
    email: str,
    password: str,
    role: Role | str,
    policy: PasswordPolicy,
    name: str = "",
) -> User:
    """Add a user (not committed); ``AccountError`` names the field when something is wrong."""
    email = normalise_email(email)
    problem = email_problem(email)
    if problem:
        raise AccountError("email", problem)
    try:
        role = Role(role)
    except ValueError as err:
        known = ", ".join(r.value for r in Role)
        raise AccountError("role", f"Unknown role {role!r}; choose one of {known}.") from err
    problem = password_problem(password, policy)
    if problem:
        raise AccountError("password", problem)
    if find_user(session, email) is not None:
        raise AccountError("email", "An account with this e-mail address already exists.")
    user = User(
        email=email,
        name=name.strip()[:200],
        password_hash=generate_password_hash(password, method=policy.hash_method),
        role=role.value,
        active=True,
        session_version=1,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str, policy: PasswordPolicy) -> None:
    problem = password_problem(password, policy)
    if problem:
        raise AccountError("password", problem)
    user.password_hash = generate_password_hash(password, method=policy.hash_method)
    user.session_version = (user.session_version or 0) + 1  # log out other sessions


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same work either way)."""
    user = find_user(session, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
        return None
    if not check_password_hash(user.password_hash, password[:MAX_PASSWORD_LENGTH]):
        return None
    if not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def load_session_user(session: Session, session_id: str) -> User | None:
    """The user for a Flask-Login id ``"<id>:<session_version>"``; None if stale or invalid."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def list_users(session: Session, role: str | None = None) -> list[User]:
    query = select(User).order_by(User.role, func.lower(User.email))
    if role:
        query = query.where(User.role == role)
    return list(session.scalars(query))
