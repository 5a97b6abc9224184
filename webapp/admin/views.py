from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from reviewer import program
from webapp import accounts, credits, inspections, refund_budget
from webapp import knowledge_tests as kt
from webapp.access import roles_required
from webapp.admin import bp
from webapp.admin.forms import (
    BudgetForm,
    CreateUserForm,
    CreditForm,
    ImportForm,
    ManualResultForm,
)
from webapp.auth.forms import PostForm
from webapp.auth.views import policy
from webapp.db import get_session
from webapp.formchoices import choices
from webapp.models import (
    KNOWLEDGE,
    Attempt,
    Job,
    Role,
    Submission,
    User,
    utcnow,
)
from webapp.queue import get_queue, job_policy
from webapp.templating import format_money

RECENT = 50


def _today() -> date:
    return utcnow().date()


@bp.route("/")
@roles_required(Role.STAFF)
def index() -> str:
    session = get_session()
    by_state = dict(
        session.execute(select(Submission.state, func.count()).group_by(Submission.state)).all()
    )
    jobs_by_state = dict(session.execute(select(Job.state, func.count()).group_by(Job.state)).all())
    by_role = dict(session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return render_template(
        "admin/index.html", by_state=by_state, jobs_by_state=jobs_by_state, by_role=by_role
    )


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def users() -> str | Response | tuple[str, int]:
    session = get_session()
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                session,
                form.email.data or "",
                form.password.data or "",
                form.role.data or "",
                policy(),
                name=form.name.data or "",
            )
        except accounts.AccountError as err:
            session.rollback()
            field = getattr(form, err.field, form.email)
            field.errors = [*field.errors, err.message]
        else:
            session.commit()
            flash(f"Account {user.email} ({Role(user.role).label}) created.", "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template(
        "admin/users.html", form=form, users=accounts.list_users(session)
    ), status


def _recent_attempts() -> list[tuple[Attempt, User]]:
    rows = get_session().execute(
        select(Attempt, User)
        .join(User, Attempt.candidate_id == User.id)
        .where(Attempt.evaluation == KNOWLEDGE)
        .order_by(Attempt.recorded_at.desc(), Attempt.id.desc())
        .limit(RECENT)
    )
    return [(a, u) for a, u in rows.all()]


def _knowledge_page(
    import_form: ImportForm | None = None,
    manual_form: ManualResultForm | None = None,
    result: kt.ImportResult | None = None,
    file_error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return (
        render_template(
            "admin/knowledge_tests.html",
            import_form=import_form or ImportForm(formdata=None),
            manual_form=manual_form or ManualResultForm(formdata=None),
            result=result,
            file_error=file_error,
            attempts=_recent_attempts(),
            config=current_app.config["PROGRAM_CONFIG"],
        ),
        status,
    )


@bp.route("/knowledge-tests")
@roles_required(Role.STAFF)
def knowledge_tests() -> tuple[str, int]:
    return _knowledge_page()


@bp.route("/knowledge-tests/import", methods=["POST"])
@roles_required(Role.STAFF)
def import_knowledge_tests() -> Response | tuple[str, int]:
    form = ImportForm()
    if not form.validate_on_submit():
        return _knowledge_page(import_form=form, status=422)
    upload = form.file.data
    data = upload.read()
    session = get_session()
    try:
        result = kt.import_file(
            session,
            data,
            current_app.config["PROGRAM_CONFIG"],
            _today(),
            recorded_by=current_user._get_current_object(),
            filename=upload.filename or "",
        )
    except kt.ImportFileError as err:
        session.rollback()
        form.file.errors = [*form.file.errors, str(err)]
        return _knowledge_page(import_form=form, status=422)
    if not result.ok:
        session.rollback()
        return _knowledge_page(import_form=form, result=result, status=422)
    session.commit()
    flash(
        f"Imported {result.created} new result(s); {result.unchanged} were already recorded.",
        "success",
    )
    return redirect(url_for("admin.knowledge_tests"))


@bp.route("/knowledge-tests/manual", methods=["POST"])
@roles_required(Role.STAFF)
def manual_knowledge_test() -> Response | tuple[str, int]:
    form = ManualResultForm()
    if not form.validate_on_submit():
        return _knowledge_page(manual_form=form, status=422)
    score = kt.parse_score(form.score.data or "")
    if score is None:
        form.score.errors = [
            *form.score.errors,
            "Enter a score from 0 to 100 with at most two decimals.",
        ]
        return _knowledge_page(manual_form=form, status=422)
    assert form.taken_on.data is not None
    row = kt.ResultRow(
        row=1,
        email=accounts.normalise_email(form.email.data or ""),
        certification=form.certification.data or "",
        taken_on=form.taken_on.data,
        score_percent=score,
    )
    session = get_session()
    result = kt.import_results(
        session,
        [row],
        current_app.config["PROGRAM_CONFIG"],
        _today(),
        recorded_by=current_user._get_current_object(),
        source="manual",
    )
    if not result.ok:
        session.rollback()
        for error in result.errors:
            field = (
                getattr(
                    form, {"date": "taken_on"}.get(error.column or "", error.column or ""), None
                )
                or form.email
            )
            field.errors = [*field.errors, error.message]
        return _knowledge_page(manual_form=form, status=422)
    session.commit()
    if result.created:
        flash("The result was recorded.", "success")
    else:
        flash("This result was already recorded; nothing changed.", "info")
    return redirect(url_for("admin.knowledge_tests"))


@bp.route("/submissions")
@roles_required(Role.STAFF)
def submissions() -> str:
    session = get_session()
    state = request.args.get("state") or None
    query = (
        select(Submission, User)
        .join(User, Submission.candidate_id == User.id)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(200)
    )
    if state:
        query = query.where(Submission.state == state)
    rows = session.execute(query).all()
    return render_template(
        "admin/submissions.html",
        rows=rows,
        state=state,
        retry_form=PostForm(),
        certifications=program.CERTIFICATIONS,
    )


@bp.route("/submissions/<int:submission_id>/retry", methods=["POST"])
@roles_required(Role.STAFF)
def retry_submission(submission_id: int) -> Response:
    form = PostForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    sub = session.get(Submission, submission_id)
    if sub is None:
        abort(404)
    job = inspections.retry_submission(session, sub, job_policy(current_app.config))
    session.commit()
    if job is None:
        flash(f"Submission {sub.id} is not failed; nothing to retry.", "info")
    else:
        get_queue().send([job.id])
        flash(f"Submission {sub.id} will be reviewed again.", "success")
    return redirect(url_for("admin.submissions"))


# -- the refund budget ------------------------------------------------------------------------


def parse_euros(text: str) -> int | None:
    """``"5000"``, ``"-200.5"``, ``"1 000,25"`` → cents; None when it is not an amount."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
        if not value.is_finite() or abs(value) > 10**9:
            return None
        if value != value.quantize(Decimal("0.01")):
            return None
    except InvalidOperation:
        return None
    return int(value * 100)


def _budget_page(form: BudgetForm, status: int = 200) -> tuple[str, int]:
    session = get_session()
    return (
        render_template(
            "admin/refund_budget.html",
            form=form,
            balance=refund_budget.balance_cents(session),
            ledger=refund_budget.ledger(session),
            waiting=refund_budget.waiting_refunds(session),
        ),
        status,
    )


@bp.route("/refund-budget", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def refund_budget_page() -> Response | tuple[str, int]:
    form = BudgetForm()
    if not form.validate_on_submit():
        return _budget_page(form, 422 if form.errors else 200)
    cents = parse_euros(form.amount.data or "")
    if cents is None:
        form.amount.errors = [*form.amount.errors, "Enter an amount in euros, like 5000 or 250.50."]
        return _budget_page(form, 422)
    session = get_session()
    try:
        funded = refund_budget.adjust(
            session, cents, form.reason.data or "", current_user._get_current_object()
        )
    except ValueError as err:
        session.rollback()
        form.amount.errors = [*form.amount.errors, str(err)]
        return _budget_page(form, 422)
    session.commit()
    flash(f"The budget changed by {format_money(cents)}; {len(funded)} waiting refund(s) paid.",
          "success")  # fmt: skip
    return redirect(url_for("admin.refund_budget_page"))


# -- external certificates (partial credit) ------------------------------------------------


def _credit_form() -> CreditForm:
    form = CreditForm()
    form.waivers.choices = choices(credits.waiver_choices())
    return form


def _credits_page(form: CreditForm, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "admin/credits.html",
            form=form,
            rows=credits.recent(get_session()),
            waiver_choices=credits.waiver_choices(),
            credited_labels=credits.credited_labels,
        ),
        status,
    )


@bp.route("/credits", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def credits_page() -> Response | tuple[str, int]:
    form = _credit_form()
    if not form.validate_on_submit():
        return _credits_page(form, 422 if form.errors else 200)
    session = get_session()
    request_ = credits.CreditRequest(
        email=form.email.data or "",
        provider=form.provider.data or "",
        credential=form.credential.data or "",
        earned_on=form.earned_on.data,
        decision=form.decision.data or "",
        waivers=tuple(form.waivers.data or ()),
        note=form.note.data or "",
    )
    try:
        credits.record(session, request_, current_user._get_current_object(), _today())
    except credits.CreditError as err:
        session.rollback()
        field = getattr(form, err.field, form.email)
        field.errors = [*field.errors, err.message]
        return _credits_page(form, 422)
    session.commit()
    flash("The decision was recorded.", "success")
    return redirect(url_for("admin.credits_page"))
