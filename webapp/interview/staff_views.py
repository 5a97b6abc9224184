"""Staff pages of the interview side (``/interview/staff/...``): assigning interviewers,
reviewing and amending decided interviews (with the audit trail), and exports."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from reviewer import program
from webapp import audit
from webapp.access import roles_required
from webapp.db import get_session
from webapp.interview import amend, assignment, bp, engine, reconcile, scoring
from webapp.interview.engine import RubricSnapshot
from webapp.interview.forms import AssignForm, TokenForm
from webapp.interview.paging import PER_PAGE, page_number
from webapp.interview.views import names_of, today
from webapp.models import Role, Submission, User
from webapp.models.interviews import AgreedLevel, Interview, InterviewResult, Scorecard

#: What a lost race with another request looks like (a row version or a unique key).
LOST_RACE = (StaleDataError, IntegrityError)
RACE_MESSAGE = (
    "Someone changed this at the same moment. Reload the page, check the current values and "
    "try again."
)

# -- assignment --------------------------------------------------------------------------------


@bp.route("/staff/assign")
@roles_required(Role.STAFF)
def assign_list() -> str:
    session = get_session()
    cert = request.args.get("certification") or None
    if cert not in program.CERTIFICATION_IDS:
        cert = None
    page = assignment.awaiting_assignment(
        session, page_number(request.args.get("page")), PER_PAGE, cert
    )
    return render_template("interview/assign_list.html", page=page, certification=cert)


def _load_rubric(cert: str) -> RubricSnapshot:
    return engine.load_rubric(cert, current_app.config["REVIEWER_SETTINGS"])


@bp.route("/staff/assign/<int:submission_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def assign(submission_id: int) -> Response | tuple[str, int]:
    session = get_session()
    submission = session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    interview = assignment.interview_of(session, submission.id)
    loads = assignment.interviewer_loads(session)
    config: program.ProgramConfig = current_app.config["PROGRAM_CONFIG"]
    assigned = {c.interviewer_id for c in interview.scorecards} if interview else set()
    wanted = max(0, config.interviewers_per_interview - len(assigned))
    suggested = assignment.suggest(loads, wanted, exclude=assigned)
    form = AssignForm()
    form.interviewers.choices = []  # the template lists ``options``; any id is checked by assign
    options = [
        (load.user_id, load.name)
        for load in sorted(loads, key=lambda x: x.name.casefold())
        if load.user_id not in assigned
    ]
    problems: dict[str, str] = {}
    if request.method == "GET":
        form.interviewers.data = list(suggested)
        if interview is not None:
            form.scheduled_at.data = interview.scheduled_at.replace(tzinfo=None)
    else:
        form.validate_on_submit()
        token = getattr(form, "csrf_token", None)  # absent when CSRF is off (tests)
        if token is not None and token.errors:
            abort(400)
        when = form.scheduled_at.data
        try:
            done = assignment.assign(
                session,
                submission,
                list(form.interviewers.data or []),
                when.replace(tzinfo=UTC) if when else None,
                current_user.id,
                _load_rubric,
            )
            session.commit()
        except assignment.AssignmentError as err:
            session.rollback()
            problems = err.problems
        except LOST_RACE:
            session.rollback()
            problems = {"submission": RACE_MESSAGE}
        else:
            count = len(done.added)
            flash(f"{count} interviewer(s) assigned to interview {done.interview.id}.", "success")
            if done.note:
                flash(done.note, "info")
            return redirect(url_for("interview.staff_interview", interview_id=done.interview.id))
    form.scheduled_at.errors = []
    status = 422 if problems else 200
    return render_template(
        "interview/assign.html",
        submission=submission,
        candidate=session.get(User, submission.candidate_id),
        interview=interview,
        names=names_of(session, sorted(assigned)),
        loads={load.user_id: load for load in loads},
        suggested=suggested,
        default_count=config.interviewers_per_interview,
        form=form,
        options=options,
        problems=problems,
    ), status


# -- a decided interview, its amendments and audit trail ---------------------------------------


def _staff_interview(interview_id: int) -> tuple[Interview, RubricSnapshot]:
    interview = get_session().get(Interview, interview_id)
    if interview is None:
        abort(404)
    return interview, RubricSnapshot.from_json(interview.rubric_json)


def _staff_page(
    interview: Interview,
    rubric: RubricSnapshot,
    problems: dict[str, str] | None = None,
    target: str = "",
    status: int = 200,
) -> tuple[str, int]:
    session = get_session()
    cards = list(interview.scorecards)
    result = session.scalar(
        select(InterviewResult).where(InterviewResult.interview_id == interview.id)
    )
    agreed = {
        a.criterion_id: a
        for a in session.scalars(
            select(AgreedLevel).where(AgreedLevel.interview_id == interview.id)
        )
    }
    names = names_of(session, [c.interviewer_id for c in cards])
    return render_template(
        "interview/staff_interview.html",
        interview=interview,
        rubric=rubric,
        cards=cards,
        finals=[c for c in cards if c.is_final],
        rows=reconcile.compare(rubric, [c for c in cards if c.is_final], names),
        names=names,
        result=result,
        agreed=agreed,
        entries=audit.entries(session, interview.id),
        form=TokenForm(),
        problems=problems or {},
        target=target,
        scoring=scoring,
    ), status


@bp.route("/staff/interviews/<int:interview_id>")
@roles_required(Role.STAFF)
def staff_interview(interview_id: int) -> tuple[str, int]:
    interview, rubric = _staff_interview(interview_id)
    return _staff_page(interview, rubric)


def _amend(interview_id: int, change: Any, target: str) -> Response | tuple[str, int]:
    session = get_session()
    interview, rubric = _staff_interview(interview_id)
    if not TokenForm().validate_on_submit():
        abort(400)
    try:
        changes = change(session, interview, rubric)
        session.commit()
    except amend.AmendError as err:
        session.rollback()
        status = 409 if isinstance(err, amend.Stale) else 422
        interview, rubric = _staff_interview(interview_id)
        return _staff_page(interview, rubric, err.problems, target, status)
    except LOST_RACE:
        session.rollback()
        interview, rubric = _staff_interview(interview_id)
        return _staff_page(interview, rubric, {"version": RACE_MESSAGE}, target, 409)
    if changes:
        flash(f"Changed: {', '.join(sorted(changes))}. The audit trail records it.", "success")
    else:
        flash("Nothing was changed.", "info")
    return redirect(url_for("interview.staff_interview", interview_id=interview_id) + "#audit")


def _card(session: Session, interview: Interview, card_id: int) -> Scorecard:
    card = session.get(Scorecard, card_id)
    if card is None or card.interview_id != interview.id:
        abort(404)
    return card


@bp.route("/staff/interviews/<int:interview_id>/scores/<int:card_id>", methods=["POST"])
@roles_required(Role.STAFF)
def amend_score(interview_id: int, card_id: int) -> Response | tuple[str, int]:
    form = {k: v for k, v in request.form.items()}
    criterion = form.get("criterion", "")

    def change(session: Any, interview: Interview, rubric: RubricSnapshot) -> Any:
        card = _card(session, interview, card_id)
        return amend.amend_score(session, card, rubric, criterion, form, current_user.id)

    return _amend(interview_id, change, f"score-{card_id}-{criterion}")


@bp.route("/staff/interviews/<int:interview_id>/overall/<int:card_id>", methods=["POST"])
@roles_required(Role.STAFF)
def amend_overall(interview_id: int, card_id: int) -> Response | tuple[str, int]:
    form = {k: v for k, v in request.form.items()}

    def change(session: Any, interview: Interview, rubric: RubricSnapshot) -> Any:
        card = _card(session, interview, card_id)
        return amend.amend_overall(session, card, form, current_user.id)

    return _amend(interview_id, change, f"overall-{card_id}")


@bp.route("/staff/interviews/<int:interview_id>/agreed", methods=["POST"])
@roles_required(Role.STAFF)
def amend_agreed(interview_id: int) -> Response | tuple[str, int]:
    form = {k: v for k, v in request.form.items()}
    criterion = form.get("criterion", "")

    def change(session: Any, interview: Interview, rubric: RubricSnapshot) -> Any:
        return amend.amend_agreed(
            session,
            interview,
            rubric,
            criterion,
            form,
            current_user.id,
            today(),
            current_app.config["PROGRAM_CONFIG"],
        )

    return _amend(interview_id, change, f"agreed-{criterion}")
