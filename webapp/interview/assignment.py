"""Staff assign interviewers to a submission that is ready for interview.

How many interviewers by default is ``ProgramConfig.interviewers_per_interview``; the
suggestion is the least-loaded interviewers: fewest open interviews (not yet decided), then
fewest interviews in total, then by name. Assigning creates the interview (with the rubric it
will be scored with) and one empty scorecard per interviewer; assigning again adds
interviewers and may move the date, never removing anyone's scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from webapp.interview.engine import RubricSnapshot, RubricUnavailable
from webapp.interview.paging import Page, paginate
from webapp.models import Role, Submission, SubmissionState, User, utcnow
from webapp.models.interviews import (
    CriterionScore,
    Interview,
    InterviewState,
    Scorecard,
    ScorecardState,
)


@dataclass(frozen=True)
class Load:
    user_id: int
    name: str
    email: str
    open_count: int
    total_count: int


def interviewer_loads(session: Session) -> list[Load]:
    """Every active interviewer with their open and total interview counts."""
    open_case = case((Interview.state == InterviewState.OPEN, 1), else_=0)
    rows = session.execute(
        select(
            User.id,
            User.name,
            User.email,
            func.coalesce(func.sum(open_case), 0),
            func.count(Scorecard.id),
        )
        .outerjoin(Scorecard, Scorecard.interviewer_id == User.id)
        .outerjoin(Interview, Interview.id == Scorecard.interview_id)
        .where(User.role == Role.INTERVIEWER, User.active.is_(True))
        .group_by(User.id, User.name, User.email)
    ).all()
    return [Load(r[0], r[1] or r[2], r[2], int(r[3]), int(r[4])) for r in rows]


def suggest(loads: Iterable[Load], count: int, exclude: Iterable[int] = ()) -> tuple[int, ...]:
    """The ``count`` least-loaded interviewers (see the module docstring)."""
    skip = set(exclude)
    ranked = sorted(
        (load for load in loads if load.user_id not in skip),
        key=lambda load: (load.open_count, load.total_count, load.name.casefold(), load.user_id),
    )
    return tuple(load.user_id for load in ranked[: max(0, count)])


class AssignmentError(Exception):
    """The assignment cannot be made; ``problems`` maps form fields to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Assigned:
    interview: Interview
    added: tuple[int, ...]
    note: str | None  # e.g. the rubric changed since the review


def interview_of(session: Session, submission_id: int) -> Interview | None:
    return session.scalar(select(Interview).where(Interview.submission_id == submission_id))


def assign(
    session: Session,
    submission: Submission,
    interviewer_ids: Sequence[int],
    scheduled_at: datetime | None,
    actor_id: int | None,
    load_rubric: Callable[[str], RubricSnapshot],
) -> Assigned:
    """Create the interview (or add to it); every problem is reported at once."""
    problems: dict[str, str] = {}
    interview = interview_of(session, submission.id)
    if submission.state != SubmissionState.READY:
        problems["submission"] = "Only a submission that is ready for interview can be assigned."
    if interview is not None and interview.state != InterviewState.OPEN:
        problems["submission"] = "The result of this interview is recorded already."
    if scheduled_at is None:
        problems["scheduled_at"] = "Enter the date and time of the interview."
    wanted = list(dict.fromkeys(interviewer_ids))
    existing = {c.interviewer_id for c in interview.scorecards} if interview else set()
    if wanted:
        found = set(
            session.scalars(
                select(User.id).where(
                    User.id.in_(wanted), User.role == Role.INTERVIEWER, User.active.is_(True)
                )
            )
        )
        if set(wanted) - found:
            problems["interviewers"] = "Choose only active interviewer accounts."
    if not wanted and not existing:
        problems["interviewers"] = "Choose at least one interviewer."
    rubric: RubricSnapshot | None = None
    if interview is None and "submission" not in problems:
        try:
            rubric = load_rubric(submission.certification)
        except RubricUnavailable as err:
            problems["submission"] = f"No rubric can be loaded for this certification: {err}"
    if problems:
        raise AssignmentError(problems)
    assert scheduled_at is not None
    note = None
    if interview is None:
        assert rubric is not None
        interview = Interview(
            submission_id=submission.id,
            candidate_id=submission.candidate_id,
            certification=submission.certification,
            scheduled_at=scheduled_at,
            state=InterviewState.OPEN,
            rubric_version=rubric.version,
            rubric_json=rubric.to_json(),
            created_by_id=actor_id,
        )
        session.add(interview)
        session.flush()
        if submission.rubric_version and submission.rubric_version != rubric.version:
            note = (
                f"The review used rubric version {submission.rubric_version}; the interview is "
                f"scored with the current version {rubric.version}."
            )
    elif interview.scheduled_at != scheduled_at:
        interview.scheduled_at = scheduled_at
        for card in interview.scorecards:
            card.scheduled_at = scheduled_at
    criteria = RubricSnapshot.from_json(interview.rubric_json).criterion_ids
    added = tuple(uid for uid in wanted if uid not in existing)
    now = utcnow()
    for uid in added:
        card = Scorecard(
            interview_id=interview.id,
            interviewer_id=uid,
            scheduled_at=interview.scheduled_at,
            state=ScorecardState.DRAFT,
            overall_comment="",
            assigned_by_id=actor_id,
            assigned_at=now,
            updated_at=now,
        )
        card.scores = [
            CriterionScore(criterion_id=cid, level=None, candidate_note="", private_note="")
            for cid in criteria
        ]
        session.add(card)
    session.flush()
    return Assigned(interview, added, note)


def awaiting_assignment(
    session: Session, page: int, per_page: int, certification: str | None = None
) -> Page[tuple[Submission, User]]:
    """Submissions ready for interview that have no interview yet, oldest first."""
    query = (
        select(Submission, User)
        .join(User, User.id == Submission.candidate_id)
        .outerjoin(Interview, Interview.submission_id == Submission.id)
        .where(and_(Submission.state == SubmissionState.READY, Interview.id.is_(None)))
    )
    if certification:
        query = query.where(Submission.certification == certification)
    query = query.order_by(Submission.created_at, Submission.id)
    return paginate(session, query, page, per_page, lambda row: (row[0], row[1]))
