"""Submissions, the inspections they share, and the background jobs that run them.

One repository at one commit is inspected once (``Inspection`` is unique on repository and
SHA); each certification it is submitted for has its own ``Submission`` with its own rubric
assessment. A ``Job`` row is the durable record of work to do: the queue only carries its id,
so a lost queue message or a killed worker never loses the work (see ``webapp.jobs``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models.accounts import User
from webapp.models.base import Base, UTCDateTime, utcnow


class SubmissionState(enum.StrEnum):
    PENDING = "pending"
    INSPECTING = "inspecting"
    READY = "ready"  # ready for interview
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            "pending": "Pending",
            "inspecting": "Inspecting",
            "ready": "Ready for interview",
            "failed": "Failed",
        }.get(self.value, self.value)


class InspectionState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Inspection(Base):
    __tablename__ = "inspections"
    __table_args__ = (UniqueConstraint("repo_key", "commit_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    repo_key: Mapped[str] = mapped_column(String(300))  # "host/owner/name", lower-case
    repo_host: Mapped[str] = mapped_column(String(100))
    repo_owner: Mapped[str] = mapped_column(String(100))
    repo_name: Mapped[str] = mapped_column(String(100))
    commit_sha: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default=InspectionState.QUEUED)
    report_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_transient: Mapped[bool] = mapped_column(Boolean, default=False)
    tool_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    certification: Mapped[str] = mapped_column(String(40), index=True)
    repo_url: Mapped[str] = mapped_column(String(400))  # normalised web URL
    repo_key: Mapped[str] = mapped_column(String(300), index=True)
    repo_host: Mapped[str] = mapped_column(String(100))
    repo_owner: Mapped[str] = mapped_column(String(100))
    repo_name: Mapped[str] = mapped_column(String(100))
    default_branch: Mapped[str | None] = mapped_column(String(255), nullable=True)
    #: Pinned at submission from GitHub, or by the job from the clone when GitHub was not used.
    commit_sha: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pinned_by: Mapped[str | None] = mapped_column(String(20), nullable=True)  # github | clone
    #: GitHub metadata seen at submission (JSON), when GitHub was asked.
    metadata_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id"), nullable=True, index=True
    )
    state: Mapped[str] = mapped_column(String(30), default=SubmissionState.PENDING)
    failure_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    failure_transient: Mapped[bool] = mapped_column(Boolean, default=False)
    #: This certification's rubric assessment of the inspection (JSON), when a rubric exists.
    assessment_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    rubric_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: Which suggested project (if any) the repository implements (suggested-projects issue).
    suggested_project: Mapped[str | None] = mapped_column(String(120), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    inspection: Mapped[Inspection | None] = relationship()

    @property
    def state_label(self) -> str:
        try:
            return SubmissionState(self.state).label
        except ValueError:
            return self.state.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        """Still in the review pipeline (blocks another submission for the certification)."""
        return self.state != SubmissionState.FAILED


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # inspect | pin_and_inspect
    inspection_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspections.id"), nullable=True, index=True
    )
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id"), nullable=True, index=True
    )
    state: Mapped[str] = mapped_column(String(20), default=JobState.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_transient: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RateLimitEvent(Base):
    """One counted action (a login attempt, a submission) for the limiter in ``ratelimit``."""

    __tablename__ = "rate_limit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
