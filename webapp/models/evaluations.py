"""What the program records about a candidate: evaluation attempts and their fees, refunds
drawn from the staff-set budget, certificates, and staff decisions on external certificates.

Certification and evaluation ids are plain strings (``ml-expert``, ``knowledge``) so that
the program's configuration, not a database enum, decides what exists.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.accounts import User
from webapp.models.base import Base, UTCDateTime, utcnow

#: Evaluation kinds, as ``reviewer.program`` names them.
KNOWLEDGE = "knowledge"
PORTFOLIO = "portfolio"


class ImportBatch(Base):
    """One accepted knowledge-test file (a re-import of the same rows adds no batch rows)."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attempt(Base):
    """One attempt at one evaluation (knowledge test or portfolio interview) of a certification.

    Knowledge-test attempts come from imports or staff entry; portfolio attempts are recorded
    when an interview result is final (web app part 2).
    """

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("candidate_id", "certification", "evaluation", "taken_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40))
    evaluation: Mapped[str] = mapped_column(String(20))  # knowledge | portfolio
    taken_on: Mapped[date] = mapped_column(Date)
    score_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(20))  # import | manual | interview
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), nullable=True)
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id"), nullable=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    fee: Mapped[Fee | None] = relationship(back_populates="attempt", uselist=False)


class Fee(Base):
    """The fee charged for one attempt (the amount comes from the program configuration).

    A knowledge-test fee belongs to its ``Attempt``; a portfolio fee is charged when the
    submission is ready for interview and belongs to the ``Submission`` (its attempt row is
    written when the interview result is final).
    """

    __tablename__ = "fees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempts.id"), unique=True, nullable=True
    )
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id"), unique=True, nullable=True
    )
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40))
    evaluation: Mapped[str] = mapped_column(String(20))
    charged_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt | None] = relationship(back_populates="fee")


class Refund(Base):
    """A full refund of one certification's fees: funded, or eligible but unfunded."""

    __tablename__ = "refunds"
    __table_args__ = (UniqueConstraint("candidate_id", "certification"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40))
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    status: Mapped[str] = mapped_column(String(20))  # funded | unfunded
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    funded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RefundBudgetEntry(Base):
    """The refund budget as a ledger: staff top-ups (+) and refunds drawn from it (-)."""

    __tablename__ = "refund_budget_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    reason: Mapped[str] = mapped_column(Text, default="")
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"), nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40))
    awarded_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExternalCredit(Base):
    """A certificate from another provider and staff's case-by-case decision on it."""

    __tablename__ = "external_credits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    provider: Mapped[str] = mapped_column(String(200))
    credential: Mapped[str] = mapped_column(String(200))
    earned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decision: Mapped[str] = mapped_column(String(20))  # granted | refused
    #: What it credits, as JSON: [{"certification": "ml-expert", "kind": "knowledge"}]
    credits_json: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
