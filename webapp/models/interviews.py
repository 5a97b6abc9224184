"""Portfolio interviews: who interviews whom, the independent scores, the agreed levels, the
result and the audit trail of every later change.

    Submission (ready) ──> Interview (date, frozen rubric) ──< Scorecard (one per interviewer)
                                │                                  └──< CriterionScore
                                ├──< AgreedLevel (one per criterion, with its rationale)
                                └── InterviewResult ──> Attempt (portfolio), Certificate, Refund

A scorecard is the assignment of one interviewer *and* their scores: it is created empty when
staff assign the interviewer, saved as a draft while they score, and locked when finalised.
The interview keeps the rubric it is scored with (``rubric_json``), so a later edit of the
rubric files never changes how an existing interview is totalled.

Rows edited by several people carry a ``version`` column that SQLAlchemy checks on every update
(optimistic locking): a save based on an older version fails instead of overwriting.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.accounts import User
from webapp.models.base import Base, UTCDateTime, utcnow
from webapp.models.reviews import Submission


class InterviewState(enum.StrEnum):
    OPEN = "open"  # being scored or reconciled
    DECIDED = "decided"  # the result is recorded


class ScorecardState(enum.StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class Recommendation(enum.StrEnum):
    NO_DECISION = "no-decision"
    PASS = "pass"
    FAIL = "fail"

    @property
    def label(self) -> str:
        return {"no-decision": "No decision", "pass": "Pass", "fail": "Fail"}[self.value]


class Interview(Base):
    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40), index=True)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    state: Mapped[str] = mapped_column(String(20), default=InterviewState.OPEN, index=True)
    rubric_version: Mapped[str] = mapped_column(String(40))
    #: The rubric as scored (``webapp.interview.engine.RubricSnapshot`` JSON).
    rubric_json: Mapped[str] = mapped_column(Text)
    #: The interviewer's brief + question sheet (HTML fragment from the engine), built once:
    #: it is deterministic for the candidate, certification and commit.
    brief_html: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)
    #: The same questions and flags as JSON, for the interview page.
    sheet_json: Mapped[str | None] = mapped_column(Text, nullable=True, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    submission: Mapped[Submission] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    scorecards: Mapped[list[Scorecard]] = relationship(
        back_populates="interview", order_by="Scorecard.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Scorecard(Base):
    """One interviewer's assignment to an interview and their independent scores."""

    __tablename__ = "scorecards"
    __table_args__ = (
        UniqueConstraint("interview_id", "interviewer_id"),
        # an interviewer's dashboard: upcoming and past by date, and drafts still to finish
        Index("ix_scorecards_interviewer_id_scheduled_at", "interviewer_id", "scheduled_at"),
        Index(
            "ix_scorecards_interviewer_id_state_scheduled_at",
            "interviewer_id",
            "state",
            "scheduled_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: A copy of ``Interview.scheduled_at`` (kept equal by ``assignment.assign``, the only
    #: place a date is set) so that a dashboard reads one index range, however many
    #: interviews an interviewer has.
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), default=ScorecardState.DRAFT)
    overall_comment: Mapped[str] = mapped_column(Text, default="")  # shown to the candidate
    recommendation: Mapped[str] = mapped_column(String(20), default=Recommendation.NO_DECISION)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    interview: Mapped[Interview] = relationship(back_populates="scorecards")
    interviewer: Mapped[User] = relationship(foreign_keys=[interviewer_id])
    scores: Mapped[list[CriterionScore]] = relationship(
        back_populates="scorecard", order_by="CriterionScore.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_final(self) -> bool:
        return self.state == ScorecardState.FINAL


class CriterionScore(Base):
    __tablename__ = "criterion_scores"
    __table_args__ = (UniqueConstraint("scorecard_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(80))
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0..4; None: not yet
    candidate_note: Mapped[str] = mapped_column(Text, default="")
    private_note: Mapped[str] = mapped_column(Text, default="")

    scorecard: Mapped[Scorecard] = relationship(back_populates="scores")


class AgreedLevel(Base):
    """The reconciled level of one criterion and why; the raw scores stay on the scorecards."""

    __tablename__ = "agreed_levels"
    __table_args__ = (UniqueConstraint("interview_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(80))
    level: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class InterviewResult(Base):
    """The outcome of an interview and what the program's rules made of it when decided."""

    __tablename__ = "interview_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id"), unique=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40))
    rubric_version: Mapped[str] = mapped_column(String(40))
    interview_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 4))  # weighted mean level, 0..4
    score_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool] = mapped_column(Boolean)
    below_pass_mark: Mapped[bool] = mapped_column(Boolean)
    failed_must_pass_json: Mapped[str] = mapped_column(Text, default="[]")
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), nullable=True)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), nullable=True)
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"), nullable=True)
    #: refunded | eligible-unfunded | not-eligible (``reviewer.program.RefundAllocation``)
    refund_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    retry_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    attempts_left: Mapped[int] = mapped_column(Integer, default=0)
    ai_engineer: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    interview: Mapped[Interview] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])

    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """One change after finalising: who, when, what (before → after) and why."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(40))  # finalise | reconcile | amend | ...
    entity: Mapped[str] = mapped_column(String(40))  # scorecard | criterion_score | ...
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    field: Mapped[str] = mapped_column(String(120), default="")
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
