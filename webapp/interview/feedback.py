"""What a candidate is shown of their interviews: the result, the agreed level per criterion
with the rubric's words for it, the notes the interviewers wrote *for the candidate*, and what
follows (certificate and its expiry, or the date a new project may be submitted).

The view models here have no field for private notes, rationales or recommendations, so a
template cannot show them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import results
from webapp.interview.engine import MAX_LEVEL, RubricSnapshot
from webapp.models import Certificate
from webapp.models.interviews import (
    AgreedLevel,
    Interview,
    InterviewResult,
    InterviewState,
    Scorecard,
    ScorecardState,
)


@dataclass(frozen=True)
class ResultSummary:
    result_id: int
    certification: str
    interview_on: date
    score_percent: Decimal
    passed: bool


@dataclass(frozen=True)
class Scheduled:
    certification: str
    scheduled_at: datetime


@dataclass(frozen=True)
class CriterionFeedback:
    title: str
    level: int
    descriptor: str
    min_level: int | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CertificateView:
    awarded_on: date
    expires_on: date


@dataclass(frozen=True)
class Feedback:
    result_id: int
    certification: str
    rubric_version: str
    interview_on: date
    score_percent: Decimal
    pass_mark_percent: Decimal
    passed: bool
    below_pass_mark: bool
    failed_must_pass: tuple[str, ...]  # criterion titles
    criteria: tuple[CriterionFeedback, ...]
    comments: tuple[str, ...]
    retry_on: date | None
    attempts_left: int
    certificate: CertificateView | None
    refund_status: str | None
    ai_engineer: bool


def candidate_results(session: Session, candidate_id: int) -> list[ResultSummary]:
    rows = session.execute(
        select(
            InterviewResult.id,
            InterviewResult.certification,
            InterviewResult.interview_on,
            InterviewResult.score_percent,
            InterviewResult.passed,
        )
        .where(InterviewResult.candidate_id == candidate_id)
        .order_by(InterviewResult.interview_on.desc(), InterviewResult.id.desc())
    ).all()
    return [ResultSummary(*row) for row in rows]


def scheduled(session: Session, candidate_id: int) -> list[Scheduled]:
    rows = session.execute(
        select(Interview.certification, Interview.scheduled_at)
        .where(Interview.candidate_id == candidate_id, Interview.state == InterviewState.OPEN)
        .order_by(Interview.scheduled_at)
    ).all()
    return [Scheduled(*row) for row in rows]


def feedback(session: Session, candidate_id: int, result_id: int) -> Feedback | None:
    """The candidate's own result with this id, or None (never someone else's)."""
    result = session.scalar(
        select(InterviewResult).where(
            InterviewResult.id == result_id, InterviewResult.candidate_id == candidate_id
        )
    )
    if result is None:
        return None
    interview = session.get(Interview, result.interview_id)
    assert interview is not None
    rubric = RubricSnapshot.from_json(interview.rubric_json)
    agreed = {
        a.criterion_id: a.level
        for a in session.scalars(
            select(AgreedLevel).where(AgreedLevel.interview_id == interview.id)
        )
    }
    cards = list(
        session.scalars(
            select(Scorecard)
            .where(Scorecard.interview_id == interview.id, Scorecard.state == ScorecardState.FINAL)
            .order_by(Scorecard.id)
        )
    )
    criteria = []
    for c in rubric.criteria:
        level = agreed.get(c.id, 0)
        notes = tuple(
            s.candidate_note.strip()
            for card in cards
            for s in card.scores
            if s.criterion_id == c.id and s.candidate_note.strip()
        )
        criteria.append(
            CriterionFeedback(c.title, level, c.descriptor(level), rubric.min_level(c.id), notes)
        )
    certificate = None
    if result.certificate_id is not None:
        row = session.get(Certificate, result.certificate_id)
        if row is not None:
            certificate = CertificateView(row.awarded_on, row.expires_on)
    titles = {c.id: c.title for c in rubric.criteria}
    return Feedback(
        result_id=result.id,
        certification=result.certification,
        rubric_version=result.rubric_version,
        interview_on=result.interview_on,
        score_percent=result.score_percent,
        pass_mark_percent=(rubric.pass_mark * 100 / MAX_LEVEL).quantize(Decimal("0.01")),
        passed=result.passed,
        below_pass_mark=result.below_pass_mark,
        failed_must_pass=tuple(titles.get(c, c) for c in results.failed_must_pass(result)),
        criteria=tuple(criteria),
        comments=tuple(c.overall_comment.strip() for c in cards if c.overall_comment.strip()),
        retry_on=result.retry_on,
        attempts_left=result.attempts_left,
        certificate=certificate,
        refund_status=result.refund_status,
        ai_engineer=result.ai_engineer,
    )
