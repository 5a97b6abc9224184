"""Staff changes after finalising: a raw score, an overall comment or recommendation, or an
agreed level (which totals the result again and re-applies the program's rules).

Every change needs a reason and names the version of the row it was made on: a change based on
an older version is refused (:class:`Stale`) instead of overwriting what someone else changed
meanwhile. Each changed field becomes an audit entry with its value before and after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from webapp import audit, results
from webapp.interview import scoring
from webapp.interview.engine import LEVELS, RubricSnapshot
from webapp.models import utcnow
from webapp.models.interviews import (
    AgreedLevel,
    Interview,
    InterviewResult,
    InterviewState,
    Recommendation,
    Scorecard,
)


class AmendError(Exception):
    """The change cannot be made; ``problems`` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class Stale(AmendError):
    """Someone changed the row after the form was loaded."""


def _reason(reason: str | None, problems: dict[str, str]) -> str:
    try:
        return audit.require_reason(reason)
    except audit.ReasonRequired as err:
        problems["reason"] = str(err)
        return ""


def _version(expected: str | None, actual: int) -> None:
    if str(actual) != (expected or "").strip():
        raise Stale(
            {
                "version": "Someone changed this after you loaded the page. Reload it, check the "
                "current values and make your change again."
            }
        )


def _level(text: str | None, field: str, problems: dict[str, str]) -> int | None:
    value = (text or "").strip()
    if value not in {str(lv) for lv in LEVELS}:
        problems[field] = "Choose a level from 0 to 4."
        return None
    return int(value)


def _changed(
    fields: Iterable[tuple[str, str, str]], prefix: str = ""
) -> dict[str, tuple[str, str]]:
    """``prefix + name -> (before, after)`` of each ``(name, before, after)`` that differs."""
    return {f"{prefix}{name}": (old, new) for name, old, new in fields if old != new}


def _record_amendment(
    session: Session,
    interview_id: int,
    entity: str,
    entity_id: int,
    changes: dict[str, tuple[str, str]],
    actor_id: int,
    reason: str,
) -> None:
    """One audit entry per changed field, all with the staff member's reason."""
    audit.record_changes(
        session,
        actor_id=actor_id,
        interview_id=interview_id,
        action="amend",
        entity=entity,
        entity_id=entity_id,
        changes=changes,
        reason=reason,
    )


def amend_score(
    session: Session,
    card: Scorecard,
    rubric: RubricSnapshot,
    criterion_id: str,
    form: Mapping[str, str],
    actor_id: int,
) -> dict[str, tuple[str, str]]:
    """Change one criterion of a finalised scorecard (level and notes)."""
    problems: dict[str, str] = {}
    if not card.is_final:
        problems["card"] = "A draft is changed by its interviewer, not by staff."
    if criterion_id not in rubric.criterion_ids:
        problems["criterion"] = "Choose a criterion of this rubric."
    reason = _reason(form.get("reason"), problems)
    level = _level(form.get("level"), "level", problems)
    notes = {k: scoring.normalise(form.get(k) or "") for k in ("candidate_note", "private_note")}
    for key, text in notes.items():
        if len(text) > scoring.MAX_NOTE:
            problems[key] = f"Keep the note under {scoring.MAX_NOTE} characters."
    if problems:
        raise AmendError(problems)
    _version(form.get("version"), card.version)
    row = next(s for s in card.scores if s.criterion_id == criterion_id)
    changes = _changed(
        (
            ("level", "" if row.level is None else str(row.level), str(level)),
            ("candidate_note", row.candidate_note, notes["candidate_note"]),
            ("private_note", row.private_note, notes["private_note"]),
        ),
        prefix=f"{criterion_id}.",
    )
    if not changes:
        return {}
    row.level = level
    row.candidate_note = notes["candidate_note"]
    row.private_note = notes["private_note"]
    card.updated_at = utcnow()
    session.flush()
    _record_amendment(
        session, card.interview_id, "criterion_score", row.id, changes, actor_id, reason
    )
    return changes


def amend_overall(
    session: Session, card: Scorecard, form: Mapping[str, str], actor_id: int
) -> dict[str, tuple[str, str]]:
    """Change the overall comment or the recommendation of a finalised scorecard."""
    problems: dict[str, str] = {}
    if not card.is_final:
        problems["card"] = "A draft is changed by its interviewer, not by staff."
    reason = _reason(form.get("reason"), problems)
    comment = scoring.normalise(form.get("overall_comment") or "")
    recommendation = (form.get("recommendation") or "").strip()
    if recommendation not in {r.value for r in Recommendation}:
        problems["recommendation"] = "Choose pass, fail or no decision."
    if len(comment) > scoring.MAX_NOTE:
        problems["overall_comment"] = f"Keep the comment under {scoring.MAX_NOTE} characters."
    if problems:
        raise AmendError(problems)
    _version(form.get("version"), card.version)
    changes = _changed(
        (
            ("overall_comment", card.overall_comment, comment),
            ("recommendation", card.recommendation, recommendation),
        )
    )
    if not changes:
        return {}
    card.overall_comment, card.recommendation = comment, recommendation
    card.updated_at = utcnow()
    session.flush()
    _record_amendment(session, card.interview_id, "scorecard", card.id, changes, actor_id, reason)
    return changes


def amend_agreed(
    session: Session,
    interview: Interview,
    rubric: RubricSnapshot,
    criterion_id: str,
    form: Mapping[str, str],
    actor_id: int,
    today: date,
    config: program.ProgramConfig,
) -> dict[str, tuple[str, str]]:
    """Change an agreed level or its rationale; the result is totalled again."""
    problems: dict[str, str] = {}
    if interview.state != InterviewState.DECIDED:
        problems["interview"] = "Agreed levels are changed only after the result is recorded."
    reason = _reason(form.get("reason"), problems)
    level = _level(form.get("level"), "level", problems)
    rationale = " ".join((form.get("rationale") or "").split())
    if not rationale:
        problems["rationale"] = "Give the rationale of the agreed level."
    agreed = session.scalar(
        select(AgreedLevel).where(
            AgreedLevel.interview_id == interview.id, AgreedLevel.criterion_id == criterion_id
        )
    )
    if agreed is None:
        problems["criterion"] = "Choose a criterion of this interview."
    if problems:
        raise AmendError(problems)
    assert agreed is not None and level is not None
    _version(form.get("version"), agreed.version)
    changes = _changed(
        (
            ("level", str(agreed.level), str(level)),
            ("rationale", agreed.rationale, rationale),
        ),
        prefix=f"{criterion_id}.",
    )
    if not changes:
        return {}
    agreed.level, agreed.rationale = level, rationale
    agreed.decided_by_id = actor_id
    session.flush()
    _record_amendment(session, interview.id, "agreed_level", agreed.id, changes, actor_id, reason)
    result = session.scalar(
        select(InterviewResult).where(InterviewResult.interview_id == interview.id)
    )
    if result is not None and f"{criterion_id}.level" in changes:
        levels = {
            a.criterion_id: a.level
            for a in session.scalars(
                select(AgreedLevel).where(AgreedLevel.interview_id == interview.id)
            )
        }
        result_changes = results.recompute_result(
            session, result, rubric, levels, actor_id, today, config
        )
        _record_amendment(
            session, interview.id, "result", result.id, result_changes, actor_id, reason
        )
        changes.update({f"result.{k}": v for k, v in result_changes.items()})
    return changes
