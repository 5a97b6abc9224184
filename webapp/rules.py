"""The program's rules (``reviewer.program``) applied to what the database holds.

This module only translates rows into the rules' plain records; every decision is made by
``reviewer.program``. A submission still in the review pipeline (not failed, no result yet)
is a *pending* portfolio attempt taken on its submission day, as the rules define it.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from webapp.models import (
    Attempt,
    Certificate,
    ExternalCredit,
    Submission,
    SubmissionState,
)


def _attempt(row: Attempt) -> program.Attempt:
    return program.Attempt(
        certification=row.certification,
        kind=row.evaluation,  # type: ignore[arg-type]
        taken_on=row.taken_on,
        score_percent=row.score_percent,
        passed=row.passed,
    )


def _credit(row: ExternalCredit) -> program.ExternalCredit | None:
    try:
        waivers = tuple(
            program.Waiver(w["certification"], w["kind"]) for w in json.loads(row.credits_json)
        )
        return program.ExternalCredit(
            provider=row.provider,
            name=row.credential,
            decision=row.decision,  # type: ignore[arg-type]
            credits=waivers,
            decided_on=row.decided_on,
            decided_by=str(row.decided_by_id or "staff"),
            note=row.note,
        )
    except (ValueError, KeyError, TypeError):
        return None


def pending_portfolio_attempts(session: Session, candidate_id: int) -> list[program.Attempt]:
    """Submissions still in review and without a recorded result."""
    with_result = select(Attempt.submission_id).where(Attempt.submission_id.is_not(None))
    rows = session.scalars(
        select(Submission).where(
            Submission.candidate_id == candidate_id,
            Submission.state != SubmissionState.FAILED,
            Submission.id.not_in(with_result),
        )
    )
    return [program.Attempt(row.certification, "portfolio", row.created_at.date()) for row in rows]


def history(session: Session, candidate_id: int) -> program.CandidateHistory:
    attempts = [
        _attempt(row)
        for row in session.scalars(
            select(Attempt)
            .where(Attempt.candidate_id == candidate_id)
            .order_by(Attempt.taken_on, Attempt.id)
        )
    ]
    attempts += pending_portfolio_attempts(session, candidate_id)
    attempts.sort(key=lambda a: a.taken_on)
    certificates = [
        program.Certificate(row.certification, row.awarded_on)
        for row in session.scalars(
            select(Certificate).where(Certificate.candidate_id == candidate_id)
        )
        if row.certification in program.CERTIFICATION_IDS
    ]
    credits = [
        credit
        for row in session.scalars(
            select(ExternalCredit).where(ExternalCredit.candidate_id == candidate_id)
        )
        if (credit := _credit(row)) is not None
    ]
    return program.CandidateHistory.of(attempts, certificates, credits)


def submission_decision(
    session: Session, candidate_id: int, cert: str, today: date, config: program.ProgramConfig
) -> program.Decision:
    return program.can_submit_project(cert, history(session, candidate_id), today, config)


def knowledge_test_decision(
    session: Session, candidate_id: int, cert: str, today: date, config: program.ProgramConfig
) -> program.Decision:
    return program.can_take_knowledge_test(cert, history(session, candidate_id), today, config)


def progress(
    session: Session, candidate_id: int, today: date, config: program.ProgramConfig
) -> program.CandidateProgress:
    return program.candidate_progress(history(session, candidate_id), today, config)
