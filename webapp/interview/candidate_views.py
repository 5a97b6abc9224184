"""Candidates: their interview dates and results, with the notes meant for them."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from webapp.access import roles_required
from webapp.db import get_session
from webapp.interview import bp, feedback
from webapp.models import Role


@bp.route("/results")
@roles_required(Role.CANDIDATE)
def my_results() -> str:
    session = get_session()
    return render_template(
        "interview/my_results.html",
        results=feedback.candidate_results(session, current_user.id),
        scheduled=feedback.scheduled(session, current_user.id),
    )


@bp.route("/results/<int:result_id>")
@roles_required(Role.CANDIDATE)
def my_result(result_id: int) -> str:
    found = feedback.feedback(get_session(), current_user.id, result_id)
    if found is None:
        abort(404)
    return render_template("interview/my_result.html", fb=found)
