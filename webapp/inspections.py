"""The review pipeline behind the queue: share inspections, run them, and move submissions.

    Submission ──(repo, pinned sha)──> Inspection (one per repository and commit) ──> Job
                                             │ done: report JSON
                                             ▼
    every attached submission: its certification's assessment, state "ready", fee charged

A submission whose commit could not be pinned at submission time (GitHub off or unreachable)
gets a ``pin_and_inspect`` job: the clone decides the commit, then the submission joins the
inspection for that commit like any other.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewer.errors import ReviewerError
from reviewer.program import Attempt as ProgramAttempt
from reviewer.program import ProgramConfig, fees
from reviewer.report import RepoRef
from reviewer.settings import Settings
from webapp import jobs, reviews
from webapp.db import Database
from webapp.jobs import JobPolicy
from webapp.models import (
    PORTFOLIO,
    Fee,
    Inspection,
    InspectionState,
    Job,
    Submission,
    SubmissionState,
    utcnow,
)

logger = logging.getLogger(__name__)

INSPECT = "inspect"
PIN_AND_INSPECT = "pin_and_inspect"

#: Submission states the pipeline still moves (later states belong to the interview side).
IN_PIPELINE = (SubmissionState.PENDING, SubmissionState.INSPECTING, SubmissionState.FAILED)

INTERNAL_ERROR = (
    "The review stopped because of an error in the reviewing software, not in your repository. "
    "Program staff can see the details and will retry it."
)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


@dataclass(frozen=True)
class PipelineContext:
    settings: Settings
    policy: JobPolicy
    program: ProgramConfig
    #: (host, clone URL template) pairs served from local directories (the demo forge)
    local_forges: tuple[tuple[str, str], ...] = ()

    def settings_for(self, ref: RepoRef) -> Settings:
        return reviews.settings_for(ref, self.settings, self.local_forges)


# -- attaching submissions ----------------------------------------------------------------------


def inspection_for(
    session: Session, ref: RepoRef, sha: str, policy: JobPolicy
) -> tuple[Inspection, Job | None]:
    """The shared inspection of ``ref`` at ``sha``, created (with its job) if new; a failed one
    is queued again. Returns the job to send, if any."""
    key = reviews.repo_key(ref)
    found = session.scalar(
        select(Inspection).where(Inspection.repo_key == key, Inspection.commit_sha == sha)
    )
    if found is not None:
        if found.state == InspectionState.FAILED:
            return found, requeue_inspection(session, found, policy)
        return found, None
    inspection = Inspection(
        repo_key=key,
        repo_host=ref.host,
        repo_owner=ref.owner,
        repo_name=ref.name,
        commit_sha=sha,
        state=InspectionState.QUEUED,
        error_transient=False,
    )
    try:
        with session.begin_nested():
            session.add(inspection)
            session.flush()
    except IntegrityError:  # another request created it a moment ago
        again = session.scalar(
            select(Inspection).where(Inspection.repo_key == key, Inspection.commit_sha == sha)
        )
        assert again is not None
        return again, None
    job = jobs.create_job(session, INSPECT, policy, inspection_id=inspection.id)
    return inspection, job


def requeue_inspection(session: Session, inspection: Inspection, policy: JobPolicy) -> Job:
    inspection.state = InspectionState.QUEUED
    inspection.error_message = None
    inspection.error_transient = False
    for sub in attached(session, inspection):
        if sub.state in IN_PIPELINE:
            sub.state = SubmissionState.PENDING
            sub.failure_reason = None
            sub.failure_transient = False
    return jobs.create_job(session, INSPECT, policy, inspection_id=inspection.id)


def retry_submission(session: Session, submission: Submission, policy: JobPolicy) -> Job | None:
    """Queue a failed submission's review again (the candidate's or staff's retry button)."""
    if submission.state != SubmissionState.FAILED:
        return None
    if submission.inspection is not None:
        return requeue_inspection(session, submission.inspection, policy)
    submission.state = SubmissionState.PENDING
    submission.failure_reason = None
    submission.failure_transient = False
    return jobs.create_job(session, PIN_AND_INSPECT, policy, submission_id=submission.id)


def attached(session: Session, inspection: Inspection) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.inspection_id == inspection.id)
            .order_by(Submission.id)
        )
    )


def sync_with_inspection(session: Session, submission: Submission, ctx: PipelineContext) -> None:
    """Bring a submission in the pipeline in line with its inspection's state."""
    inspection = submission.inspection
    if inspection is None or submission.state not in IN_PIPELINE:
        return
    if inspection.state == InspectionState.DONE and inspection.report_json:
        _make_ready(session, submission, inspection.report_json, ctx)
    elif inspection.state == InspectionState.FAILED:
        submission.state = SubmissionState.FAILED
        submission.failure_reason = inspection.error_message
        submission.failure_transient = inspection.error_transient
    elif inspection.state == InspectionState.RUNNING:
        submission.state = SubmissionState.INSPECTING
    else:
        submission.state = SubmissionState.PENDING


def _make_ready(
    session: Session, submission: Submission, report_json: str, ctx: PipelineContext
) -> None:
    try:
        assessment = reviews.assess(
            reviews.report_from_json(report_json), submission.certification, ctx.settings
        )
    except Exception:  # an assessment problem must not lose the inspection
        logger.exception("Assessment of submission %s failed", submission.id)
        assessment = None
    if assessment is not None:
        submission.assessment_json = assessment.json
        submission.rubric_version = assessment.rubric_version
    submission.state = SubmissionState.READY
    submission.failure_reason = None
    submission.failure_transient = False
    charge_portfolio_fee(session, submission, ctx.program)


def charge_portfolio_fee(session: Session, submission: Submission, config: ProgramConfig) -> None:
    """The portfolio attempt's fee, once per submission, when it is ready for interview."""
    exists = session.scalar(select(Fee.id).where(Fee.submission_id == submission.id))
    if exists is not None:
        return
    charged_on = submission.created_at.date()
    (line,) = fees([ProgramAttempt(submission.certification, "portfolio", charged_on)], config)
    session.add(
        Fee(
            submission_id=submission.id,
            candidate_id=submission.candidate_id,
            certification=submission.certification,
            evaluation=PORTFOLIO,
            charged_on=charged_on,
            amount_cents=line.amount_cents,
            currency=config.currency,
        )
    )


# -- running a job ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    status: str  # skipped | done | retry | failed
    retry_in_s: float | None = None


class _Heartbeat:
    """Renews the job's lease from its own thread and session while the inspection runs."""

    def __init__(self, db: Database, job_id: int, worker: str, policy: JobPolicy) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run,
            args=(db, job_id, worker, policy),
            daemon=True,
            name=f"heartbeat-{job_id}",
        )

    def _run(self, db: Database, job_id: int, worker: str, policy: JobPolicy) -> None:
        while not self._stop.wait(policy.heartbeat_s):
            try:
                session = db.new_session()
                try:
                    if not jobs.heartbeat(session, job_id, worker, policy):
                        return
                finally:
                    session.close()
            except Exception:  # a missed beat only shortens the lease
                logger.warning("Heartbeat of job %s failed", job_id, exc_info=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def run_job(
    db: Database, job_id: int, ctx: PipelineContext, worker: str | None = None
) -> RunOutcome:
    """Claim and run one job; safe to call for an id that is not due or already taken."""
    worker = worker or worker_name()
    session = db.new_session()
    try:
        job = jobs.claim(session, job_id, worker, ctx.policy)
        if job is None:
            return RunOutcome("skipped")
        if job.attempts > job.max_attempts:  # its workers kept dying
            message = (
                f"The review was interrupted {job.max_attempts} times (the worker running it "
                "stopped). Program staff have been told."
            )
            return _finish_failure(session, job, message, False, ctx)
        if job.kind == INSPECT:
            return _run_inspect(db, session, job, worker, ctx)
        if job.kind == PIN_AND_INSPECT:
            return _run_pin_and_inspect(db, session, job, worker, ctx)
        return _finish_failure(session, job, f"Unknown job kind {job.kind!r}.", False, ctx)
    finally:
        session.close()


def _inspect_guarded(
    db: Database, job: Job, worker: str, ctx: PipelineContext, ref: RepoRef, sha: str | None
) -> tuple[str | None, str | None, bool, str | None]:
    """(report JSON, commit, transient, error message) — exactly one of report/error is set."""
    with _Heartbeat(db, job.id, worker, ctx.policy):
        try:
            report = reviews.inspect(ref, sha, ctx.settings_for(ref))
        except ReviewerError as err:
            return None, None, bool(err.transient), str(err)
        except Exception:
            logger.exception("Inspection of %s at %s crashed (job %s)", ref.slug, sha, job.id)
            return None, None, False, INTERNAL_ERROR
    return reviews.report_to_json(report), report.commit, False, None


def _run_inspect(
    db: Database, session: Session, job: Job, worker: str, ctx: PipelineContext
) -> RunOutcome:
    inspection = session.get(Inspection, job.inspection_id) if job.inspection_id else None
    if inspection is None:
        return _finish_failure(session, job, "The inspection to run no longer exists.", False, ctx)
    if inspection.state == InspectionState.DONE:  # a duplicate, or pinned by another job
        _finish_done(session, job, inspection, ctx)
        return RunOutcome("done")
    inspection.state = InspectionState.RUNNING
    inspection.started_at = utcnow()
    for sub in attached(session, inspection):
        sync_with_inspection(session, sub, ctx)
    session.commit()
    ref = RepoRef(inspection.repo_host, inspection.repo_owner, inspection.repo_name)
    report_json, commit, transient, error = _inspect_guarded(
        db, job, worker, ctx, ref, inspection.commit_sha
    )
    if not jobs.still_owned(session, job, worker):
        return RunOutcome("skipped")
    session.refresh(inspection)
    if error is not None:
        return _finish_failure(session, job, error, transient, ctx)
    if commit is not None and commit != inspection.commit_sha:
        # The engine could not inspect the pinned commit (the branch moved in between): the
        # submissions are reviewed at the commit that was inspected, and say so.
        return _rehome(session, job, inspection, ref, commit, report_json, ctx)
    inspection.report_json = report_json
    _finish_done(session, job, inspection, ctx)
    return RunOutcome("done")


def _rehome(
    session: Session,
    job: Job,
    old: Inspection,
    ref: RepoRef,
    commit: str,
    report_json: str | None,
    ctx: PipelineContext,
) -> RunOutcome:
    target, extra_job = inspection_for(session, ref, commit, ctx.policy)
    if extra_job is not None:  # the report is in hand: nothing more to run
        jobs.complete(extra_job)
    if target.state != InspectionState.DONE:
        target.report_json = report_json
    for sub in attached(session, old):
        sub.inspection_id = target.id
        sub.inspection = target
        sub.commit_sha = commit
        sub.pinned_by = "clone"
    old.state = InspectionState.FAILED
    old.error_message = (
        f"The default branch moved from {old.commit_sha[:12]} to {commit[:12]} before the "
        "inspection ran; its submissions were reviewed at the new head."
    )
    old.error_transient = False
    old.finished_at = utcnow()
    _finish_done(session, job, target, ctx)
    return RunOutcome("done")


def _run_pin_and_inspect(
    db: Database, session: Session, job: Job, worker: str, ctx: PipelineContext
) -> RunOutcome:
    submission = session.get(Submission, job.submission_id) if job.submission_id else None
    if submission is None:
        return _finish_failure(session, job, "The submission no longer exists.", False, ctx)
    if submission.state in IN_PIPELINE:
        submission.state = SubmissionState.INSPECTING
    session.commit()
    ref = RepoRef(submission.repo_host, submission.repo_owner, submission.repo_name)
    report_json, commit, transient, error = _inspect_guarded(db, job, worker, ctx, ref, None)
    if not jobs.still_owned(session, job, worker):
        return RunOutcome("skipped")
    session.refresh(submission)
    if error is not None or commit is None:
        return _finish_failure(session, job, error or "No commit was found.", transient, ctx)
    inspection, _unused_job = inspection_for(session, ref, commit, ctx.policy)
    if _unused_job is not None:  # we already hold the report: no second inspection needed
        jobs.complete(_unused_job)
    submission.commit_sha = commit
    submission.pinned_by = "clone"
    submission.inspection_id = inspection.id
    submission.inspection = inspection
    if inspection.state != InspectionState.DONE:
        inspection.report_json = report_json
    _finish_done(session, job, inspection, ctx)
    return RunOutcome("done")


def _finish_done(session: Session, job: Job, inspection: Inspection, ctx: PipelineContext) -> None:
    now = utcnow()
    if inspection.state != InspectionState.DONE:
        inspection.state = InspectionState.DONE
        inspection.finished_at = now
        inspection.error_message = None
        inspection.error_transient = False
        inspection.tool_version = _tool_version()
    jobs.complete(job, now)
    session.flush()
    for sub in attached(session, inspection):
        sync_with_inspection(session, sub, ctx)
    session.commit()


def _finish_failure(
    session: Session, job: Job, message: str, transient: bool, ctx: PipelineContext
) -> RunOutcome:
    now = utcnow()
    outcome = jobs.fail(job, message, transient, ctx.policy, now)
    inspection = session.get(Inspection, job.inspection_id) if job.inspection_id else None
    submissions: list[Submission] = []
    if inspection is not None:
        submissions = attached(session, inspection)
        if outcome.final:
            inspection.state = InspectionState.FAILED
            inspection.error_message = message
            inspection.error_transient = transient
            inspection.finished_at = now
        else:
            inspection.state = InspectionState.QUEUED
            inspection.error_message = message
            inspection.error_transient = True
    elif job.submission_id is not None:
        sub = session.get(Submission, job.submission_id)
        submissions = [sub] if sub is not None else []
    for sub in submissions:
        if sub.state not in IN_PIPELINE:
            continue
        if outcome.final:
            sub.state = SubmissionState.FAILED
            sub.failure_reason = message
            sub.failure_transient = transient
        else:
            sub.state = SubmissionState.PENDING
            sub.failure_reason = _retry_note(message, job.run_after)
            sub.failure_transient = True
    session.commit()
    if outcome.final:
        return RunOutcome("failed")
    return RunOutcome("retry", outcome.retry_in_s)


def _retry_note(message: str, run_after: datetime) -> str:
    return f"{message} It will be tried again automatically after {run_after:%H:%M} UTC."


def _tool_version() -> str:
    from reviewer.version import __version__

    return __version__
