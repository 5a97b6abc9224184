"""Reconciliation: the final scorecards side by side, the agreed levels, the result."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from webapp.access import roles_required
from webapp.db import get_session
from webapp.interview import bp, reconcile, visibility
from webapp.interview.engine import RubricSnapshot
from webapp.interview.forms import TokenForm
from webapp.interview.views import INTERVIEW_ROLES, load_interview, names_of, today, viewer


@bp.route("/<int:interview_id>/reconcile", methods=["GET", "POST"])
@roles_required(*INTERVIEW_ROLES)
def reconcile_page(interview_id: int) -> Response | tuple[str, int]:
    session = get_session()
    interview, cards = load_interview(session, interview_id)
    permission = visibility.may_reconcile(interview, cards, viewer())
    if not permission.allowed:
        flash(permission.reason, "error")
        return redirect(url_for("interview.interview_page", interview_id=interview_id))
    rubric = RubricSnapshot.from_json(interview.rubric_json)
    rows = reconcile.compare(rubric, cards, names_of(session, [c.interviewer_id for c in cards]))
    form = TokenForm()
    problems: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = {k: v for k, v in request.form.items() if k.startswith(("agreed-", "rationale-"))}
        choices, problems = reconcile.check_choices(rows, values)
        if not problems:
            try:
                result = reconcile.record(
                    session,
                    interview,
                    rubric,
                    choices,
                    current_user.id,
                    today(),
                    current_app.config["PROGRAM_CONFIG"],
                )
                session.commit()
            except (StaleDataError, IntegrityError):
                session.rollback()
                flash("Someone recorded the result at the same moment; here it is.", "info")
                return redirect(url_for("interview.interview_page", interview_id=interview_id))
            verdict = "passed" if result.passed else "not passed"
            flash(f"The result is recorded: {result.score_percent}%, {verdict}.", "success")
            return redirect(url_for("interview.interview_page", interview_id=interview_id))
    status = 422 if problems else 200
    return render_template(
        "interview/reconcile.html",
        interview=interview,
        rubric=rubric,
        rows=rows,
        form=form,
        problems=problems,
        values=values,
        reconcile=reconcile,
    ), status
