"""Interview results: the weighted total of the agreed levels, pass or fail by the rubric the
interview was scored with, and what the program's rules make of it.

Pure part (plain values in, plain values out):

* :func:`weighted_score` — ``sum(weight * level) / sum(weight)`` on the 0..4 scale, exactly
  (``Decimal``). Passed when the score is at least the rubric's pass mark *and* every must-pass
  criterion reaches its minimum level. The percentage (``score / 4 * 100``, the figure the
  program's "over 90%" refund rule reads) is recorded with two decimals, rounded *up*: then
  "recorded over 90" holds exactly when the true score is over 90 (90.001 → 90.01, and exactly
  90 stays 90.00).
* :func:`program_outcome` — after the attempt is in the candidate's history: the wait date and
  attempts left after a failure, the certificate earned (valid five years), the refund
  assessment, the AI Engineer composite. Every rule is ``reviewer.program``'s.

Database shell: :func:`record_result` writes the portfolio ``Attempt``, the ``InterviewResult``,
the ``Certificate`` and the ``Refund`` (drawn from the staff-set budget, or eligible-unfunded);
:func:`recompute_result` does the same after staff amend an agreed level and returns what
changed, for the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from webapp import refund_budget, rules
from webapp.interview.engine import MAX_LEVEL, RubricSnapshot
from webapp.models import (
    PORTFOLIO,
    Attempt,
    Certificate,
    Refund,
    RefundBudgetEntry,
    utcnow,
)
from webapp.models.interviews import Interview, InterviewResult

PERCENT_PLACES = Decimal("0.01")
SCORE_PLACES = Decimal("0.0001")

#: Refund row states (``webapp.models.Refund.status``) by ``RefundAllocation.status``.
REFUND_ROW_STATUS = {"refunded": "funded", "eligible-unfunded": "unfunded"}


@dataclass(frozen=True)
class Score:
    score: Decimal  # weighted mean level, exact
    percent: Decimal  # score / 4 * 100, two decimals rounded up
    passed: bool
    below_pass_mark: bool
    failed_must_pass: tuple[str, ...]  # criterion ids below their minimum level

    @property
    def score_rounded(self) -> Decimal:
        return self.score.quantize(SCORE_PLACES, rounding=ROUND_HALF_EVEN)


def weighted_score(rubric: RubricSnapshot, levels: Mapping[str, int]) -> Score:
    """Total ``levels`` (criterion id -> 0..4, one for every criterion) against ``rubric``."""
    missing = [c.id for c in rubric.criteria if c.id not in levels]
    if missing:
        raise ValueError(f"No agreed level for {', '.join(missing)}.")
    bad = sorted(k for k, v in levels.items() if not isinstance(v, int) or not 0 <= v <= MAX_LEVEL)
    if bad:
        raise ValueError(f"Levels must be whole numbers from 0 to {MAX_LEVEL}: {', '.join(bad)}.")
    total_weight = sum((c.weight for c in rubric.criteria), Decimal(0))
    score = sum((c.weight * levels[c.id] for c in rubric.criteria), Decimal(0)) / total_weight
    percent = (score * 100 / MAX_LEVEL).quantize(PERCENT_PLACES, rounding=ROUND_CEILING)
    failed = tuple(m.criterion for m in rubric.must_pass if levels[m.criterion] < m.min_level)
    below = score < rubric.pass_mark
    return Score(score, percent, not below and not failed, below, failed)


@dataclass(frozen=True)
class ProgramOutcome:
    passed: bool
    retry_on: date | None  # first day a new project may be submitted, after a failure
    attempts_left: int
    certificate: program.Certificate | None  # earned by this certification's latest round
    expires_on: date | None
    refund: program.RefundAssessment
    ai_engineer: program.AIEngineerStatus


def program_outcome(
    cert: str, history: program.CandidateHistory, today: date, config: program.ProgramConfig
) -> ProgramOutcome:
    """What the rules say once the portfolio attempt is part of ``history``."""
    progress = program.certification_progress(cert, history, today, config)
    outcome = program.certification_outcome(cert, history, config)
    earned = outcome.certificate
    return ProgramOutcome(
        passed=progress.portfolio.state == "passed",
        retry_on=progress.portfolio.retry_on,
        attempts_left=progress.portfolio.attempts_left,
        certificate=earned,
        expires_on=config.expires_on(earned.awarded_on) if earned else None,
        refund=program.evaluate_refund(cert, history, config),
        ai_engineer=program.ai_engineer_status(program.earned_certificates(history), today, config),
    )


# -- database shell ---------------------------------------------------------------------------


def interview_day(interview: Interview, today: date) -> date:
    """The attempt's day: the interview's date, or today when decided before that date."""
    return min(interview.scheduled_at.date(), today)


def settle_refund(
    session: Session,
    candidate_id: int,
    assessment: program.RefundAssessment,
    actor_id: int | None,
    now: datetime,
) -> tuple[Refund | None, str]:
    """Record an eligible claim: paid from the budget, or kept as eligible-unfunded. Claims
    already waiting are served first (``program.allocate_refunds``), so none is overtaken."""
    if not assessment.eligible:
        return None, "not-eligible"
    existing = session.scalar(
        select(Refund).where(
            Refund.candidate_id == candidate_id, Refund.certification == assessment.certification
        )
    )
    if existing is not None:
        return existing, "refunded" if existing.status == "funded" else "eligible-unfunded"
    # Serialise draws on the budget (PostgreSQL row locks; SQLite serialises writers anyway).
    session.execute(select(RefundBudgetEntry.id).with_for_update()).all()
    waiting = refund_budget.waiting_refunds(session)
    claims = [
        program.RefundAssessment(r.certification, True, "", r.decided_at.date(), r.amount_cents)
        for r in waiting
    ]
    budget = max(0, refund_budget.balance_cents(session))
    allocations = program.allocate_refunds([*claims, assessment], budget)
    for row, alloc in zip(waiting, allocations, strict=False):
        if alloc.status == "refunded":
            row.status, row.funded_at = "funded", now
            _draw(session, row, actor_id, now)
    alloc = allocations[-1]
    refund = Refund(
        candidate_id=candidate_id,
        certification=assessment.certification,
        amount_cents=alloc.amount_cents,
        status=REFUND_ROW_STATUS[alloc.status],
        decided_at=now,
        funded_at=now if alloc.status == "refunded" else None,
    )
    session.add(refund)
    session.flush()
    if alloc.status == "refunded":
        _draw(session, refund, actor_id, now)
    return refund, alloc.status


def _draw(session: Session, refund: Refund, actor_id: int | None, now: datetime) -> None:
    session.add(
        RefundBudgetEntry(
            amount_cents=-refund.amount_cents,
            reason=f"Refund of the {refund.certification} fees of candidate {refund.candidate_id}",
            refund_id=refund.id,
            actor_id=actor_id,
            created_at=now,
        )
    )


def _store_certificate(
    session: Session,
    candidate_id: int,
    earned: program.Certificate,
    config: program.ProgramConfig,
) -> Certificate:
    row = session.scalar(
        select(Certificate).where(
            Certificate.candidate_id == candidate_id,
            Certificate.certification == earned.certification,
            Certificate.awarded_on == earned.awarded_on,
        )
    )
    if row is None:
        row = Certificate(
            candidate_id=candidate_id,
            certification=earned.certification,
            awarded_on=earned.awarded_on,
            expires_on=config.expires_on(earned.awarded_on),
        )
        session.add(row)
        session.flush()
    return row


def _apply_rules(
    session: Session,
    result: InterviewResult,
    actor_id: int | None,
    today: date,
    config: program.ProgramConfig,
) -> None:
    history = rules.history(session, result.candidate_id)
    outcome = program_outcome(result.certification, history, today, config)
    result.retry_on = outcome.retry_on
    result.attempts_left = outcome.attempts_left
    result.ai_engineer = outcome.ai_engineer.awarded
    earned = outcome.certificate
    if result.passed and earned is not None and earned.awarded_on == result.interview_on:
        result.certificate_id = _store_certificate(session, result.candidate_id, earned, config).id
    elif result.certificate_id is not None and not result.passed:
        stale = session.get(Certificate, result.certificate_id)
        result.certificate_id = None
        if stale is not None:
            session.delete(stale)
    if result.passed and outcome.refund.eligible:
        refund, status = settle_refund(
            session, result.candidate_id, outcome.refund, actor_id, utcnow()
        )
        result.refund_id = refund.id if refund is not None else None
        result.refund_status = status
    else:
        # A refund already recorded stays linked (money may have been paid): an amendment that
        # removes the eligibility shows as refund_status -> not-eligible in the audit trail.
        result.refund_status = "not-eligible"


def record_result(
    session: Session,
    interview: Interview,
    rubric: RubricSnapshot,
    levels: Mapping[str, int],
    actor_id: int | None,
    today: date,
    config: program.ProgramConfig,
) -> InterviewResult:
    """Total the agreed levels, record the portfolio attempt and apply the program's rules."""
    score = weighted_score(rubric, levels)
    day = interview_day(interview, today)
    attempt = Attempt(
        candidate_id=interview.candidate_id,
        certification=interview.certification,
        evaluation=PORTFOLIO,
        taken_on=day,
        score_percent=score.percent,
        passed=score.passed,
        source="interview",
        submission_id=interview.submission_id,
        recorded_by_id=actor_id,
        note=f"Interview {interview.id}, rubric {rubric.id} {rubric.version}",
    )
    session.add(attempt)
    session.flush()
    now = utcnow()
    result = InterviewResult(
        interview_id=interview.id,
        submission_id=interview.submission_id,
        candidate_id=interview.candidate_id,
        certification=interview.certification,
        rubric_version=rubric.version,
        interview_on=day,
        score=score.score_rounded,
        score_percent=score.percent,
        passed=score.passed,
        below_pass_mark=score.below_pass_mark,
        failed_must_pass_json=json.dumps(list(score.failed_must_pass)),
        attempt_id=attempt.id,
        decided_by_id=actor_id,
        decided_at=now,
        updated_at=now,
    )
    session.add(result)
    session.flush()
    _apply_rules(session, result, actor_id, today, config)
    session.flush()
    return result


#: Result fields shown in the audit trail when an amendment changes them.
AUDITED_FIELDS = (
    "score",
    "score_percent",
    "passed",
    "failed_must_pass_json",
    "retry_on",
    "attempts_left",
    "certificate_id",
    "refund_status",
    "ai_engineer",
)


def snapshot(result: InterviewResult) -> dict[str, str]:
    return {name: _text(getattr(result, name)) for name in AUDITED_FIELDS}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def recompute_result(
    session: Session,
    result: InterviewResult,
    rubric: RubricSnapshot,
    levels: Mapping[str, int],
    actor_id: int | None,
    today: date,
    config: program.ProgramConfig,
) -> dict[str, tuple[str, str]]:
    """Total amended levels again and re-apply the rules; returns field -> (before, after)."""
    before = snapshot(result)
    score = weighted_score(rubric, levels)
    result.score = score.score_rounded
    result.score_percent = score.percent
    result.passed = score.passed
    result.below_pass_mark = score.below_pass_mark
    result.failed_must_pass_json = json.dumps(list(score.failed_must_pass))
    result.updated_at = utcnow()
    attempt = session.get(Attempt, result.attempt_id) if result.attempt_id else None
    if attempt is not None:
        attempt.score_percent = score.percent
        attempt.passed = score.passed
    session.flush()
    _apply_rules(session, result, actor_id, today, config)
    session.flush()
    after = snapshot(result)
    return {k: (before[k], after[k]) for k in AUDITED_FIELDS if before[k] != after[k]}


def failed_must_pass(result: InterviewResult) -> tuple[str, ...]:
    try:
        return tuple(str(x) for x in json.loads(result.failed_must_pass_json or "[]"))
    except ValueError:
        return ()
