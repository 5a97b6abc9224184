from __future__ import annotations

import json
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from reviewer import program
from webapp import inspections, ratelimit, rules, submissions, suggestion_choices
from webapp.access import public, roles_required
from webapp.auth.forms import PostForm
from webapp.auth.views import home_for
from webapp.candidate import bp
from webapp.candidate.forms import SubmissionForm
from webapp.db import get_session
from webapp.models import Role, Submission, utcnow
from webapp.presenters import report_view
from webapp.queue import get_queue, job_policy, pipeline_context


def today() -> Any:
    return utcnow().date()


@bp.route("/")
@public
def home() -> str | Response:
    if current_user.is_authenticated:
        target = home_for(current_user.role)
        if target != url_for("candidate.home"):
            return redirect(target)
    return render_template("candidate/home.html")


@bp.route("/dashboard")
@roles_required(Role.CANDIDATE)
def dashboard() -> str:
    session = get_session()
    config: program.ProgramConfig = current_app.config["PROGRAM_CONFIG"]
    progress = rules.progress(session, current_user.id, today(), config)
    subs = submissions.candidate_submissions(session, current_user.id)
    by_cert: dict[str, list[Submission]] = {}
    for sub in subs:
        by_cert.setdefault(sub.certification, []).append(sub)
    return render_template(
        "candidate/dashboard.html",
        progress=progress,
        submissions_by_cert=by_cert,
        config=config,
        today=today(),
    )


@bp.route("/submissions/new", methods=["GET", "POST"])
@roles_required(Role.CANDIDATE)
def new_submission() -> str | Response | tuple[str, int]:
    form = SubmissionForm()
    session = get_session()
    settings = current_app.config["REVIEWER_SETTINGS"]
    suggestions = suggestion_choices.active_suggestions(session, settings)
    form.suggested_project.choices = suggestion_choices.choices(suggestions)
    refusal: program.Decision | None = None
    if request.method == "GET" and request.args.get("certification") in program.CERTIFICATION_IDS:
        form.certification.data = request.args["certification"]
    if form.validate_on_submit() and _suggestion_ok(form, suggestions):
        ratelimit.enforce(
            session, f"submit:user:{current_user.id}", current_app.config["RATE_LIMIT_SUBMIT"]
        )
        try:
            accepted = submissions.submit(
                session,
                current_user,
                form.certification.data or "",
                form.repo_url.data or "",
                pipeline_context(current_app.config),
                today(),
                suggested_project=form.suggested_project.data or None,
            )
        except submissions.SubmissionRefused as err:
            session.rollback()
            refusal = err.decision
            field = getattr(form, err.field, form.repo_url)
            field.errors = [*field.errors, err.message]
        else:
            session.commit()
            get_queue().send(list(accepted.jobs_to_send))
            flash("Your repository was submitted. Its review runs in the background.", "success")
            return redirect(url_for("candidate.submission", submission_id=accepted.submission.id))
    status = 200 if not form.errors else 422
    return render_template("candidate/new_submission.html", form=form, refusal=refusal), status


def _suggestion_ok(form: SubmissionForm, suggestions: list[Any]) -> bool:
    """The chosen suggested project (if any) must be one suggested for the certification."""
    ident = form.suggested_project.data or ""
    if not ident:
        return True
    problem = suggestion_choices.refusal(suggestions, ident, form.certification.data or "")
    if problem is None:
        return True
    form.suggested_project.errors = [*form.suggested_project.errors, problem]
    return False


def _own_submission(submission_id: int) -> Submission:
    sub = submissions.candidate_submission(get_session(), current_user, submission_id)
    if sub is None:
        abort(404)
    return sub


@bp.route("/submissions/<int:submission_id>")
@roles_required(Role.CANDIDATE)
def submission(submission_id: int) -> str:
    sub = _own_submission(submission_id)
    report = None
    if sub.inspection is not None and sub.inspection.report_json and sub.state == "ready":
        report = report_view(sub.inspection.report_json)
    metadata = json.loads(sub.metadata_json) if sub.metadata_json else {}
    suggested_title = None
    if sub.suggested_project:
        items = suggestion_choices.active_suggestions(
            get_session(), current_app.config["REVIEWER_SETTINGS"]
        )
        suggested_title = suggestion_choices.title_of(items, sub.suggested_project)
    return render_template(
        "candidate/submission.html",
        sub=sub,
        report=report,
        metadata=metadata,
        suggested_title=suggested_title,
        can_retry=submissions.can_retry(sub),
        retry_form=PostForm(),
    )


@bp.route("/submissions/<int:submission_id>/status.json")
@roles_required(Role.CANDIDATE)
def submission_status(submission_id: int) -> Response:
    sub = _own_submission(submission_id)
    return jsonify(
        state=sub.state,
        label=sub.state_label,
        reason=sub.failure_reason,
        can_retry=submissions.can_retry(sub),
    )


@bp.route("/submissions/<int:submission_id>/retry", methods=["POST"])
@roles_required(Role.CANDIDATE)
def retry_submission(submission_id: int) -> Response:
    form = PostForm()
    sub = _own_submission(submission_id)
    if not form.validate_on_submit():
        abort(400)
    if not submissions.can_retry(sub):
        flash("This review cannot be retried.", "error")
        return redirect(url_for("candidate.submission", submission_id=sub.id))
    session = get_session()
    job = inspections.retry_submission(session, sub, job_policy(current_app.config))
    session.commit()
    if job is not None:
        get_queue().send([job.id])
    flash("The review will run again.", "success")
    return redirect(url_for("candidate.submission", submission_id=sub.id))
