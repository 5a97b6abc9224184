"""Interview results: one row per result, one column per rubric criterion (the agreed level).

Filtered by certification (required for CSV, where the criteria make the columns) and by the
interview date range, both ends included.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp import results as result_rules
from webapp.exports.filters import ExportFilter
from webapp.interview.engine import RubricSnapshot
from webapp.models import Certificate, User
from webapp.models.interviews import AgreedLevel, Interview, InterviewResult

BASE_COLUMNS = (
    "result_id",
    "interview_id",
    "candidate_email",
    "candidate_name",
    "certification",
    "rubric_version",
    "interview_on",
    "decided_at",
    "score",
    "score_percent",
    "passed",
    "failed_must_pass",
    "retry_on",
    "attempts_left",
    "certificate_expires_on",
    "refund_status",
    "ai_engineer",
)


def level_column(criterion_id: str) -> str:
    return f"level:{criterion_id}"


def _query(flt: ExportFilter) -> Any:
    return flt.narrow(
        select(
            InterviewResult, Interview.rubric_json, User.email, User.name, Certificate.expires_on
        )
        .join(Interview, Interview.id == InterviewResult.interview_id)
        .join(User, User.id == InterviewResult.candidate_id)
        .outerjoin(Certificate, Certificate.id == InterviewResult.certificate_id)
        .order_by(InterviewResult.interview_on, InterviewResult.id),
        certification=InterviewResult.certification,
        day=InterviewResult.interview_on,
    )


def rows(session: Session, flt: ExportFilter) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns (base ones, then one per criterion in rubric order) and the rows."""
    found = session.execute(_query(flt)).all()
    ids = [r[0].interview_id for r in found]
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for chunk in range(0, len(ids), 500):
        for a in session.scalars(
            select(AgreedLevel).where(AgreedLevel.interview_id.in_(ids[chunk : chunk + 500]))
        ):
            levels[a.interview_id][a.criterion_id] = a.level
    criteria: dict[str, None] = {}
    out = []
    for result, rubric_json, email, name, expires_on in found:
        rubric = RubricSnapshot.from_json(rubric_json)
        criteria.update(dict.fromkeys(rubric.criterion_ids))
        row: dict[str, Any] = {
            "result_id": result.id,
            "interview_id": result.interview_id,
            "candidate_email": email,
            "candidate_name": name,
            "certification": result.certification,
            "rubric_version": result.rubric_version,
            "interview_on": result.interview_on,
            "decided_at": result.decided_at,
            "score": result.score,
            "score_percent": result.score_percent,
            "passed": result.passed,
            "failed_must_pass": " ".join(result_rules.failed_must_pass(result)),
            "retry_on": result.retry_on,
            "attempts_left": result.attempts_left,
            "certificate_expires_on": expires_on,
            "refund_status": result.refund_status,
            "ai_engineer": result.ai_engineer,
            "levels": dict(levels[result.interview_id]),
        }
        for cid, level in levels[result.interview_id].items():
            row[level_column(cid)] = level
        out.append(row)
    return [*BASE_COLUMNS, *(level_column(c) for c in criteria)], out
