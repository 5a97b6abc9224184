"""A candidate submits a repository for a certification (issue 6, item 5):

    the rules decide ──> the URL is validated ──> GitHub: public, exists, not empty
      ──> the default branch's head is pinned ──> stored ──> a review job is queued

Each step that refuses says why (and, for a rule, until when). When GitHub is not asked or
cannot answer, the submission is accepted and its job pins the commit from the clone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from reviewer.errors import BadTargetError
from reviewer.report import RepoRef
from reviewer.settings import Settings
from webapp import inspections, jobs, reviews, rules
from webapp.inspections import PipelineContext
from webapp.models import Job, Submission, SubmissionState, User


class SubmissionRefused(Exception):
    """The submission was not accepted; ``field`` names the form field, ``decision`` the rule."""

    def __init__(self, field: str, message: str, decision: program.Decision | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.decision = decision


@dataclass(frozen=True)
class Accepted:
    submission: Submission
    jobs_to_send: tuple[int, ...]
    note: str | None  # e.g. why GitHub could not be asked


def submit(
    session: Session,
    candidate: User,
    certification: str,
    url_text: str,
    ctx: PipelineContext,
    today: date,
    suggested_project: str | None = None,
) -> Accepted:
    """Run the flow; the caller commits and then sends ``jobs_to_send`` to the queue."""
    if certification not in program.CERTIFICATION_IDS:
        raise SubmissionRefused("certification", "Choose one of the certifications listed.")
    decision = rules.submission_decision(session, candidate.id, certification, today, ctx.program)
    if not decision.allowed:
        raise SubmissionRefused("certification", decision.message, decision)
    forge_hosts = tuple(h for h, _ in ctx.local_forges if h not in ctx.settings.allowed_hosts)
    ref = _parse(
        url_text, ctx.settings.with_(allowed_hosts=(*ctx.settings.allowed_hosts, *forge_hosts))
    )
    try:
        check = reviews.check_repository(ref, ctx.settings_for(ref))
    except reviews.RepositoryRefused as err:
        raise SubmissionRefused("repo_url", err.message) from err
    ref = check.ref
    submission = Submission(
        candidate_id=candidate.id,
        certification=certification,
        repo_url=ref.web_url,
        repo_key=reviews.repo_key(ref),
        repo_host=ref.host,
        repo_owner=ref.owner,
        repo_name=ref.name,
        default_branch=check.default_branch,
        commit_sha=check.head_sha,
        pinned_by="github" if check.head_sha else None,
        metadata_json=json.dumps(check.metadata, sort_keys=True) if check.metadata else None,
        state=SubmissionState.PENDING,
        failure_transient=False,
        suggested_project=(suggested_project or None),
    )
    session.add(submission)
    session.flush()
    job: Job | None
    if check.head_sha:
        inspection, job = inspections.inspection_for(session, ref, check.head_sha, ctx.policy)
        submission.inspection_id = inspection.id
        submission.inspection = inspection
        inspections.sync_with_inspection(session, submission, ctx)
    else:
        job = jobs.create_job(
            session, inspections.PIN_AND_INSPECT, ctx.policy, submission_id=submission.id
        )
    session.flush()
    return Accepted(submission, (job.id,) if job else (), check.note)


def _parse(url_text: str, settings: Settings) -> RepoRef:
    text = (url_text or "").strip()
    if not text:
        raise SubmissionRefused("repo_url", "Paste the address of your repository on GitHub.")
    try:
        return reviews.parse_repository_url(text, settings)
    except BadTargetError as err:
        raise SubmissionRefused("repo_url", str(err)) from err


def candidate_submission(
    session: Session, candidate: User, submission_id: int
) -> Submission | None:
    """The candidate's own submission with this id, or None (never someone else's)."""
    return session.scalar(
        select(Submission).where(
            Submission.id == submission_id, Submission.candidate_id == candidate.id
        )
    )


def candidate_submissions(session: Session, candidate_id: int) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.candidate_id == candidate_id)
            .order_by(Submission.created_at.desc(), Submission.id.desc())
        )
    )


def can_retry(submission: Submission) -> bool:
    return submission.state == SubmissionState.FAILED and submission.failure_transient
