"""Durable background jobs: the database row is the truth, the queue only carries its id.

    queued ──claim──> running ──complete──> done
      ▲                  │ └──fail (permanent, or attempts used up)──> failed
      └──fail (transient, backoff)──┘
    running + lease expired (the worker died) ──claim again──> running

``claim`` is one conditional UPDATE, so two workers handed the same id (a re-sent message, a
duplicate) cannot both run it. A running job renews its lease with ``heartbeat``; when a worker
is killed the lease runs out and ``stale_job_ids`` (the periodic sweep, and every worker at
start) sends the job again. Nothing here knows Huey or Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from webapp.models import Job, JobState, utcnow


@dataclass(frozen=True)
class JobPolicy:
    max_attempts: int = 5
    retry_base_s: float = 30.0
    retry_max_s: float = 3600.0
    lease_s: float = 300.0
    requeue_after_s: float = 120.0

    def backoff_s(self, attempt: int) -> float:
        """Delay before attempt ``attempt + 1`` after ``attempt`` failed: base, 2×base, …"""
        return float(min(self.retry_max_s, self.retry_base_s * (2 ** max(0, attempt - 1))))

    @property
    def heartbeat_s(self) -> float:
        return max(0.05, self.lease_s / 4)


def create_job(
    session: Session,
    kind: str,
    policy: JobPolicy,
    *,
    inspection_id: int | None = None,
    submission_id: int | None = None,
    now: datetime | None = None,
) -> Job:
    now = now or utcnow()
    job = Job(
        kind=kind,
        inspection_id=inspection_id,
        submission_id=submission_id,
        state=JobState.QUEUED,
        attempts=0,
        max_attempts=policy.max_attempts,
        run_after=now,
        created_at=now,
        last_error_transient=False,
    )
    session.add(job)
    session.flush()
    return job


def claim(
    session: Session, job_id: int, worker: str, policy: JobPolicy, now: datetime | None = None
) -> Job | None:
    """Take the job for ``worker`` if it is due (or its runner's lease ran out); commits."""
    now = now or utcnow()
    result = session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                and_(Job.state == JobState.QUEUED, Job.run_after <= now),
                and_(Job.state == JobState.RUNNING, Job.lease_until < now),
            ),
        )
        .values(
            state=JobState.RUNNING,
            worker=worker[:200],
            lease_until=now + timedelta(seconds=policy.lease_s),
            attempts=Job.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if getattr(result, "rowcount", 0) != 1:
        return None
    return session.get(Job, job_id, populate_existing=True)


def heartbeat(
    session: Session, job_id: int, worker: str, policy: JobPolicy, now: datetime | None = None
) -> bool:
    """Extend the lease; False when the job is no longer this worker's."""
    now = now or utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker[:200], Job.state == JobState.RUNNING)
        .values(lease_until=now + timedelta(seconds=policy.lease_s))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return getattr(result, "rowcount", 0) == 1


def still_owned(session: Session, job: Job, worker: str) -> bool:
    session.refresh(job)
    return job.state == JobState.RUNNING and job.worker == worker[:200]


def complete(job: Job, now: datetime | None = None) -> None:
    job.state = JobState.DONE
    job.finished_at = now or utcnow()
    job.lease_until = None


@dataclass(frozen=True)
class FailOutcome:
    retry_in_s: float | None  # None: failed for good

    @property
    def final(self) -> bool:
        return self.retry_in_s is None


def fail(
    job: Job, message: str, transient: bool, policy: JobPolicy, now: datetime | None = None
) -> FailOutcome:
    """Record a failure: back to the queue after a backoff if transient and attempts remain."""
    now = now or utcnow()
    job.last_error = message
    job.last_error_transient = transient
    job.lease_until = None
    if transient and job.attempts < job.max_attempts:
        delay = policy.backoff_s(job.attempts)
        job.state = JobState.QUEUED
        job.run_after = now + timedelta(seconds=delay)
        job.enqueued_at = now  # the retry is scheduled with the delay by the caller
        return FailOutcome(delay)
    job.state = JobState.FAILED
    job.finished_at = now
    return FailOutcome(None)


def stale_job_ids(session: Session, policy: JobPolicy, now: datetime | None = None) -> list[int]:
    """Jobs to send (again): queued and due but not sent recently, or running past the lease."""
    now = now or utcnow()
    resend_before = now - timedelta(seconds=policy.requeue_after_s)
    rows = session.execute(
        select(Job.id, Job.state, Job.run_after, Job.enqueued_at, Job.lease_until).where(
            or_(
                and_(Job.state == JobState.QUEUED, Job.run_after <= now),
                and_(Job.state == JobState.RUNNING, Job.lease_until < now),
            )
        )
    ).all()
    due: list[int] = []
    for job_id, state, run_after, enqueued_at, _lease in rows:
        if state == JobState.RUNNING:
            due.append(job_id)
            continue
        last_sent = max(t for t in (enqueued_at, run_after) if t is not None)
        if enqueued_at is None or last_sent <= resend_before:
            due.append(job_id)
    return sorted(due)


def mark_enqueued(session: Session, job_ids: list[int], now: datetime | None = None) -> None:
    if not job_ids:
        return
    session.execute(
        update(Job)
        .where(Job.id.in_(job_ids))
        .values(enqueued_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
