"""What the dashboards list: an interviewer's upcoming and past interviews, and for staff the
open interviews with their progress. Column queries (no ORM objects), bounded and paginated,
so a dashboard costs the same however many candidates the program has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session, aliased

from webapp.interview.paging import MAX_PER_PAGE, Page, paginate
from webapp.models import Submission, User
from webapp.models.interviews import Interview, InterviewState, Scorecard, ScorecardState

UPCOMING_LIMIT = 100


class InterviewRow(NamedTuple):  # a tuple: a page builds up to a few hundred of them
    interview_id: int
    scheduled_at: datetime
    certification: str
    candidate: str
    repository: str
    card_state: str  # draft | final (the viewer's own scorecard)
    interview_state: str  # open | decided

    @property
    def status(self) -> str:
        if self.interview_state == InterviewState.DECIDED:
            return "Result recorded"
        if self.card_state == ScorecardState.FINAL:
            return "Your scores are final"
        return "To score"


class ShownRow(NamedTuple):
    """A dashboard row as displayed: every cell already a string (see ``views``)."""

    href: str
    when: str
    candidate: str
    certification: str
    repository: str
    status: str


@lru_cache(maxsize=1)
def _statements() -> dict[str, Any]:
    """The dashboard's queries, built once per process (building a statement costs more than
    running it). They filter and order on the scorecard's own columns (``interviewer_id``,
    ``state``, ``scheduled_at``), so the database walks one index range and joins only the
    rows shown, however many interviews the interviewer has."""
    candidate = aliased(User)
    own = (
        select(
            Interview.id,
            Scorecard.scheduled_at,
            Interview.certification,
            candidate.name,
            candidate.email,
            Submission.repo_owner,
            Submission.repo_name,
            Scorecard.state,
            Interview.state,
        )
        .select_from(Scorecard)
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(candidate, candidate.id == Interview.candidate_id)
        .join(Submission, Submission.id == Interview.submission_id)
        .where(Scorecard.interviewer_id == bindparam("interviewer_id"))
    )
    return {
        "upcoming": own.where(Scorecard.scheduled_at >= bindparam("since"))
        .order_by(Scorecard.scheduled_at, Scorecard.id)
        .limit(UPCOMING_LIMIT),
        "to_score": own.where(
            Scorecard.state == ScorecardState.DRAFT, Scorecard.scheduled_at < bindparam("before")
        )
        .order_by(Scorecard.scheduled_at, Scorecard.id)
        .limit(UPCOMING_LIMIT),
        "past": own.where(Scorecard.scheduled_at < bindparam("before"))
        .order_by(Scorecard.scheduled_at.desc(), Scorecard.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset")),
        "past_count": select(func.count(Scorecard.id)).where(
            Scorecard.interviewer_id == bindparam("interviewer_id"),
            Scorecard.scheduled_at < bindparam("before"),
        ),
    }


def _run(session: Session, name: str, params: dict[str, Any]) -> Any:
    """Run one of the statements on the session's connection: they select plain columns, so
    the ORM's per-statement work (entity loading, events) has nothing to add."""
    return session.connection().execute(_statements()[name], params)


def _row(r: Any) -> InterviewRow:
    return InterviewRow(r[0], r[1], r[2], r[3] or r[4], f"{r[5]}/{r[6]}", r[7], r[8])


def upcoming(session: Session, interviewer_id: int, since: datetime) -> list[InterviewRow]:
    """Interviews from ``since`` on, soonest first (at most ``UPCOMING_LIMIT``)."""
    rows = _run(session, "upcoming", {"interviewer_id": interviewer_id, "since": since})
    return [_row(r) for r in rows.all()]


def to_score(session: Session, interviewer_id: int, before: datetime) -> list[InterviewRow]:
    """Past interviews whose scores the interviewer has not finalised, oldest first."""
    rows = _run(session, "to_score", {"interviewer_id": interviewer_id, "before": before})
    return [_row(r) for r in rows.all()]


def past(
    session: Session, interviewer_id: int, before: datetime, page: int, per_page: int
) -> Page[InterviewRow]:
    """Interviews before ``before``, latest first."""
    params: dict[str, Any] = {"interviewer_id": interviewer_id, "before": before}
    total = int(_run(session, "past_count", params).scalar() or 0)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    number = max(1, min(page, max(1, -(-total // per_page))))
    rows = _run(session, "past", {**params, "limit": per_page, "offset": (number - 1) * per_page})
    return Page([_row(r) for r in rows.all()], number, per_page, total)


@dataclass(frozen=True)
class OpenInterview:
    interview_id: int
    scheduled_at: datetime
    certification: str
    candidate: str
    interviewers: int
    finalised: int

    @property
    def ready_to_reconcile(self) -> bool:
        return self.interviewers > 0 and self.finalised == self.interviewers


def open_interviews(session: Session, page: int, per_page: int) -> Page[OpenInterview]:
    """Every interview without a result, those ready to reconcile first, then by date."""
    finals = func.sum(case((Scorecard.state == ScorecardState.FINAL, 1), else_=0))
    cards = func.count(Scorecard.id)
    ready = case((cards == finals, 0), else_=1)
    query = (
        select(
            Interview.id,
            Interview.scheduled_at,
            Interview.certification,
            User.name,
            User.email,
            cards,
            finals,
        )
        .join(User, User.id == Interview.candidate_id)
        .outerjoin(Scorecard, Scorecard.interview_id == Interview.id)
        .where(Interview.state == InterviewState.OPEN)
        .group_by(
            Interview.id, Interview.scheduled_at, Interview.certification, User.name, User.email
        )
        .order_by(ready, Interview.scheduled_at, Interview.id)
    )
    return paginate(
        session,
        query,
        page,
        per_page,
        lambda r: OpenInterview(r[0], r[1], r[2], r[3] or r[4], int(r[5]), int(r[6] or 0)),
    )
