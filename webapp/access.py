"""Who may open a view: authentication and role checks only (policy lives in plain functions).

``roles_required("staff")`` marks the view with the roles it admits (``view.allowed_roles``),
so a test can enumerate every route and check each has a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from webapp.models import Role

F = TypeVar("F", bound=Callable[..., Any])

#: Marker for views anyone may open (login, register, static pages).
PUBLIC: frozenset[str] = frozenset({"anonymous", *(r.value for r in Role)})


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    allowed = frozenset(str(r) for r in roles)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        guarded: Any = login_required(wrapper)
        guarded.allowed_roles = allowed
        return guarded  # type: ignore[no-any-return]

    return decorate


def public(view: F) -> F:
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return view
