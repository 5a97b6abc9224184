"""Interviewer pages: dashboard, interview page (brief, sheet, scoring form), saving and
autosaving scores, finalising, and reconciliation."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from flask import (
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, undefer
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from webapp.access import roles_required
from webapp.db import get_session
from webapp.interview import bp, engine, scoring, scoring_form, visibility
from webapp.interview import dashboard as listings
from webapp.interview.engine import RubricSnapshot
from webapp.interview.forms import TokenForm
from webapp.interview.paging import PER_PAGE, page_number
from webapp.models import Role, Submission, User, utcnow
from webapp.models.interviews import (
    AgreedLevel,
    Interview,
    InterviewResult,
    InterviewState,
    Recommendation,
    Scorecard,
)
from webapp.templating import certification_name, format_date

logger = logging.getLogger(__name__)

INTERVIEW_ROLES = (Role.INTERVIEWER, Role.STAFF)


def today() -> date:
    return utcnow().date()


def viewer() -> visibility.Viewer:
    return visibility.Viewer(current_user.id, current_user.role == Role.STAFF)


@lru_cache(maxsize=1)
def _page_options() -> tuple[Any, ...]:
    """What the interview pages read of an interview, loaded with it (built once per process
    rather than on every request)."""
    return (
        # One query: an interview has a few scorecards of a few scores each, so joining
        # them costs less than the extra round trips of ``selectinload``.
        joinedload(Interview.scorecards).joinedload(Scorecard.scores),
        joinedload(Interview.scorecards).joinedload(Scorecard.interviewer),
        joinedload(Interview.submission).defer(Submission.metadata_json),
        joinedload(Interview.candidate),
        undefer(Interview.sheet_json),
    )


def load_interview(session: Session, interview_id: int) -> tuple[Interview, list[Scorecard]]:
    """The interview if the current user may open it; 404 otherwise (never says it exists)."""
    interview = session.get(Interview, interview_id, options=_page_options())
    if interview is None:
        abort(404)
    cards = list(interview.scorecards)
    if not visibility.may_open(cards, viewer()):
        abort(404)
    return interview, cards


def names_of(session: Session, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.name, User.email).where(User.id.in_(user_ids)))
    return {uid: name or email for uid, name, email in rows.all()}


# -- dashboard ---------------------------------------------------------------------------------


@bp.route("/")
@roles_required(*INTERVIEW_ROLES)
def dashboard() -> str:
    session = get_session()
    start_of_day = datetime.combine(today(), time.min, tzinfo=utcnow().tzinfo)
    if current_user.role == Role.STAFF:
        open_page = listings.open_interviews(
            session, page_number(request.args.get("page")), PER_PAGE
        )
        return render_template("interview/staff_dashboard.html", open_page=open_page)
    now = utcnow()
    upcoming = listings.upcoming(session, current_user.id, start_of_day)
    to_score = listings.to_score(session, current_user.id, now)
    past = listings.past(
        session, current_user.id, start_of_day, page_number(request.args.get("page")), PER_PAGE
    )
    shown = _RowFormatter()
    return render_template(
        "interview/dashboard.html",
        upcoming=shown.rows(upcoming),
        to_score=shown.rows(to_score),
        past=past,
        past_rows=shown.rows(past.items),
    )


class _RowFormatter:
    """Dashboard rows as the strings the table shows, formatted once in Python (one URL built
    per page, each certification named once) rather than per cell in the template."""

    _SENTINEL = 987654321

    def __init__(self) -> None:
        link = url_for("interview.interview_page", interview_id=self._SENTINEL)
        self._head, _, self._tail = link.partition(str(self._SENTINEL))
        self._names: dict[str, str] = {}

    def _certification(self, cert_id: str) -> str:
        name = self._names.get(cert_id)
        if name is None:
            name = self._names[cert_id] = certification_name(cert_id)
        return name

    def rows(self, rows: Sequence[listings.InterviewRow]) -> list[listings.ShownRow]:
        return [
            listings.ShownRow(
                f"{self._head}{r.interview_id}{self._tail}",
                format_date(r.scheduled_at),
                r.candidate,
                self._certification(r.certification),
                r.repository,
                r.status,
            )
            for r in rows
        ]


# -- the interview page ------------------------------------------------------------------------


def _brief_available(interview: Interview) -> bool:
    """Whether a brief can be shown (cheap: the report itself is read only to build it)."""
    return interview.submission.inspection_id is not None


def ensure_brief(session: Session, interview: Interview) -> None:
    """Build and store the brief + question sheet of ``interview`` on first use (it is
    deterministic, so whichever request stores it first wins and the other keeps that one)."""
    if interview.sheet_json is not None:
        return
    inspection = interview.submission.inspection
    if inspection is None or not inspection.report_json:
        return
    try:
        document = engine.brief_document(
            inspection.report_json,
            interview.certification,
            interview.candidate.display_name,
            current_app.config["REVIEWER_SETTINGS"],
        )
    except Exception:  # the page must open even when the engine cannot build the brief
        logger.exception("The brief of interview %s could not be built", interview.id)
        return
    interview.brief_html = document.html
    interview.sheet_json = document.sheet_json
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        session.refresh(interview)


def _suggested_project(session: Session, ident: str | None) -> Any:
    """The suggested project the candidate says the repository implements (None if none)."""
    if not ident:
        return None
    from webapp import suggestion_choices

    items = suggestion_choices.active_suggestions(session, current_app.config["REVIEWER_SETTINGS"])
    found = next((s for s in items if s.id == ident), None)
    return found or {"title": ident, "interview_questions": ()}


def page_context(
    session: Session,
    interview: Interview,
    cards: list[Scorecard],
    values: dict[str, str] | None = None,
    base: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    conflicts: tuple[scoring.Conflict, ...] = (),
) -> dict[str, Any]:
    me = viewer()
    rubric = RubricSnapshot.from_json(interview.rubric_json)
    own = visibility.own_card(cards, me)
    visible = visibility.visible_cards(cards, me)
    saved = scoring.current_values(rubric, own) if own is not None else {}
    names = {c.interviewer_id: c.interviewer.display_name for c in cards}
    result = None
    if interview.state == InterviewState.DECIDED:  # an open interview has no result yet
        result = session.scalar(
            select(InterviewResult).where(InterviewResult.interview_id == interview.id)
        )
    agreed = {}
    if result is not None:
        agreed = {
            a.criterion_id: a
            for a in session.scalars(
                select(AgreedLevel).where(AgreedLevel.interview_id == interview.id)
            )
        }
    return {
        "interview": interview,
        "submission": interview.submission,
        "suggested": _suggested_project(session, interview.submission.suggested_project),
        "candidate": interview.candidate,
        "rubric": rubric,
        "own": own,
        "others": [c for c in visible if c is not own],
        "hidden_count": len(cards) - len(visible),
        "names": names,
        "values": values if values is not None else saved,
        "base_json": json.dumps(base if base is not None else scoring.fingerprints(saved)),
        "errors": errors or {},
        "conflicts": conflicts,
        "suggestions": engine.suggestions(interview.submission.assessment_json),
        "criteria_form": scoring_form.criteria_form(
            interview.rubric_json, interview.submission.assessment_json
        ),
        "recommendations": list(Recommendation),
        "reconcile": visibility.may_reconcile(interview, cards, me),
        "result": result,
        "agreed": agreed,
        "brief_available": _brief_available(interview),
        "sheet_html": sheet_html(interview.sheet_json, interview.rubric_json),
        "form": TokenForm(),
        "scoring": scoring,
    }


KIND_LABELS = {"evidence": "Evidence", "gap": "Gap", "deep_dive": "Deep dive"}


def sheet_html(sheet_json: str | None, rubric_json: str) -> Markup | None:
    """The question sheet part of the interview page (None when there is no readable sheet).
    Both inputs are stored once per interview and never edited in place, so the HTML is
    rendered once per (sheet, rubric) and reused by later requests."""
    if not sheet_json:
        return None
    return _sheet_html(sheet_json, rubric_json)


@lru_cache(maxsize=256)
def _sheet_html(sheet_json: str, rubric_json: str) -> Markup | None:
    sheet = engine.sheet_view(sheet_json)
    if sheet is None:
        return None
    rubric = RubricSnapshot.from_json(rubric_json)
    template = current_app.jinja_env.get_template("interview/_sheet.html")
    return Markup(
        template.render(
            sheet=sheet,
            titles={c.id: c.title for c in rubric.criteria},
            kind_labels=KIND_LABELS,
        )
    )


@bp.route("/<int:interview_id>")
@roles_required(*INTERVIEW_ROLES)
def interview_page(interview_id: int) -> str:
    session = get_session()
    interview, cards = load_interview(session, interview_id)
    ensure_brief(session, interview)
    return render_template("interview/interview.html", **page_context(session, interview, cards))


@bp.route("/<int:interview_id>/sheet")
@roles_required(*INTERVIEW_ROLES)
def sheet(interview_id: int) -> str:
    session = get_session()
    interview, _cards = load_interview(session, interview_id)
    ensure_brief(session, interview)
    html = interview.brief_html if interview.sheet_json is not None else None
    return render_template(
        "interview/sheet.html",
        interview=interview,
        document=html,
        rubric=RubricSnapshot.from_json(interview.rubric_json),
    )


@bp.route("/brief.css")
@roles_required(*INTERVIEW_ROLES)
def brief_css() -> Response:
    try:
        css = engine.brief_stylesheet()
    except Exception:
        logger.exception("The engine's brief stylesheet could not be loaded")
        css = ""
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
