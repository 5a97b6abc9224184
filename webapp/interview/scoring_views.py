"""Saving scores: the scoring form without JavaScript (save, or save and finalise) and its
JSON twin for the page's autosave. The merging rules are in ``webapp.interview.scoring``."""

from __future__ import annotations

import json

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from webapp import audit
from webapp.access import roles_required
from webapp.db import get_session
from webapp.interview import bp, scoring, visibility
from webapp.interview.engine import RubricSnapshot
from webapp.interview.forms import TokenForm
from webapp.interview.views import load_interview, page_context, viewer
from webapp.models import Role, utcnow
from webapp.models.interviews import Interview


def _submitted(rubric: RubricSnapshot) -> tuple[dict[str, str], dict[str, str]]:
    names = scoring.field_names(rubric)
    submitted = {name: request.form[name] for name in names if name in request.form}
    try:
        base = json.loads(request.form.get("base") or "{}")
        if not isinstance(base, dict):
            base = {}
    except ValueError:
        base = {}
    return submitted, {str(k): str(v) for k, v in base.items()}


def _save(
    session: Session,
    interview_id: int,
    submitted: dict[str, str],
    base: dict[str, str],
    finalise: bool = False,
) -> tuple[scoring.SaveOutcome, dict[str, str]]:
    """Merge the posted fields into the current user's scorecard (retried after a lost race);
    with ``finalise``, lock it when complete. Returns the outcome and finalising problems."""
    me = viewer()

    def attempt() -> tuple[scoring.SaveOutcome, dict[str, str]]:
        # Everything is read afresh, the scorecard (and its version) before its scores: a
        # save committed in between makes this one's versioned UPDATE fail and retry.
        session.expire_all()
        interview = session.get(Interview, interview_id)
        assert interview is not None
        rubric = RubricSnapshot.from_json(interview.rubric_json)
        card = visibility.own_card(list(interview.scorecards), me)
        if card is None:
            abort(404)
        now = utcnow()
        outcome = scoring.save_draft(rubric, card, submitted, base, now)
        problems: dict[str, str] = {}
        if finalise and outcome.ok:
            problems = scoring.finalise_problems(rubric, card)
            if not problems:
                scoring.finalise(card, now)
                session.flush()
                audit.record(
                    session,
                    actor_id=me.user_id,
                    interview_id=interview.id,
                    action="finalise",
                    entity="scorecard",
                    entity_id=card.id,
                    field="state",
                    before="draft",
                    after="final",
                    reason="Scores finalised by the interviewer.",
                )
        session.flush()
        session.commit()
        values = scoring.current_values(rubric, card)
        full = scoring.SaveOutcome(
            outcome.status,
            outcome.applied,
            outcome.conflicts,
            outcome.errors,
            card.version,
            scoring.fingerprints(values),
            card.updated_at,
        )
        return full, problems

    return scoring.with_retry(session, attempt)


@bp.route("/<int:interview_id>/autosave", methods=["POST"])
@roles_required(Role.INTERVIEWER)
def autosave(interview_id: int) -> tuple[Response, int]:
    """JSON twin of :func:`save_scores` for the page's script (CSRF token in the form data)."""
    session = get_session()
    interview, _cards = load_interview(session, interview_id)
    rubric = RubricSnapshot.from_json(interview.rubric_json)
    submitted, base = _submitted(rubric)
    outcome, _ = _save(session, interview_id, submitted, base)
    code = {"saved": 200, "unchanged": 200, "conflict": 409, "locked": 409, "invalid": 422}
    messages = {
        "saved": "All changes saved",
        "unchanged": "All changes saved",
        "conflict": "Not saved: another tab or window changed the same field",
        "locked": "Not saved: your scores are final",
        "invalid": "Not saved: some values need correcting",
    }
    return jsonify(
        status=outcome.status,
        message=messages[outcome.status],
        version=outcome.version,
        saved_at=outcome.saved_at.isoformat() if outcome.saved_at else None,
        applied=list(outcome.applied),
        fingerprints=dict(outcome.fingerprints),
        errors=dict(outcome.errors),
        conflicts=[
            {
                "field": c.field,
                "label": c.label,
                "saved": c.saved,
                "saved_fingerprint": c.saved_fingerprint,
            }
            for c in outcome.conflicts
        ],
    ), code[outcome.status]


@bp.route("/<int:interview_id>/scores", methods=["POST"])
@roles_required(Role.INTERVIEWER)
def save_scores(interview_id: int) -> Response | tuple[str, int]:
    """The scoring form without JavaScript: save the draft, or save and finalise."""
    session = get_session()
    interview, cards = load_interview(session, interview_id)
    rubric = RubricSnapshot.from_json(interview.rubric_json)
    if not TokenForm().validate_on_submit():
        abort(400)
    submitted, base = _submitted(rubric)
    finalising = request.form.get("action") == "finalise"
    confirmed = request.form.get("confirm_final") == "yes"
    outcome, problems = _save(
        session, interview_id, submitted, base, finalise=finalising and confirmed
    )
    if outcome.status == "locked":
        flash("Your scores are final and can no longer be changed here.", "error")
        return redirect(url_for("interview.interview_page", interview_id=interview_id))
    errors = dict(outcome.errors)
    if finalising and not confirmed and outcome.ok:
        errors["confirm_final"] = "Tick the box to confirm that your scores are final."
    errors.update(problems)
    if outcome.ok and not errors:
        if finalising:
            flash(
                "Your scores are final. You can now see the other interviewers' final scores.",
                "success",
            )
        else:
            flash("Your draft is saved.", "success")
        return redirect(url_for("interview.interview_page", interview_id=interview_id) + "#scoring")
    # Show the saved values, except where the user's text was not saved (a conflict or an
    # invalid value): there their text stays. A conflicting field's base becomes the saved
    # version, so saving again replaces the saved text deliberately; an invalid field keeps
    # its original base.
    session.expire_all()
    interview, cards = load_interview(session, interview_id)
    own = visibility.own_card(cards, viewer())
    assert own is not None
    values = scoring.current_values(rubric, own)
    new_base = dict(outcome.fingerprints)
    for c in outcome.conflicts:
        values[c.field] = c.yours
    for name in outcome.errors:
        values[name] = scoring.normalise(submitted[name])
        new_base[name] = base.get(name, "")
    context = page_context(session, interview, cards, values, new_base, errors, outcome.conflicts)
    code = 409 if outcome.conflicts else 422
    return render_template("interview/interview.html", **context), code
