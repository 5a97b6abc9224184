"""Helpers of the interview tests: a candidate with a submission ready for interview, an
interview with assigned interviewers, scores, reconciliation. Plain functions over an app, so
the HTTP tests, the browser test and the unit tests share them.

    cand, sub = ready_submission(app, "cand@example.org")
    interview = assign(app, sub, [alice, bob], staff)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask import Flask
from reportfactory import make_report
from sqlalchemy import select
from websupport import PASSWORD as PASSWORD  # re-exported: tests log in with support.PASSWORD
from websupport import create_user

from reviewer.assessment import evaluate
from reviewer.program import ProgramConfig
from reviewer.rubrics import get_rubric
from webapp import accounts, knowledge_tests
from webapp.db import get_database
from webapp.interview import assignment, engine, reconcile, scoring
from webapp.interview.engine import RubricSnapshot
from webapp.models import Inspection, Submission, SubmissionState, User, utcnow
from webapp.models.interviews import Interview, Scorecard

CERT = "ml-expert"


def user(app: Flask, email: str, role: str = "candidate", name: str = "") -> int:
    with get_database(app).session() as session:
        found = accounts.find_user(session, email)
        if found is not None:
            return found.id
    return create_user(app, email, role, name=name or email.split("@")[0].title())


def rubric(cert: str = CERT) -> RubricSnapshot:
    return engine.snapshot_of(get_rubric(cert))


def ready_submission(
    app: Flask,
    email: str,
    cert: str = CERT,
    knowledge_score: str = "95",
    name: str = "",
    days_ago: int = 10,
) -> tuple[int, int]:
    """A candidate (created if needed) with a passed knowledge test and a submission ready for
    interview, inspected (a typical report) and assessed with the real rubric."""
    candidate_id = user(app, email, "candidate", name)
    today = utcnow().date()
    with get_database(app).session() as session:
        row = knowledge_tests.ResultRow(
            1, email, cert, today - timedelta(days=days_ago + 5), Decimal(knowledge_score)
        )
        result = knowledge_tests.import_results(
            session, [row], ProgramConfig(), today, source="manual"
        )
        assert result.ok, result.errors
    report = make_report(owner=f"owner{candidate_id}", name=f"{cert}-project")
    with get_database(app).session() as session:
        inspection = session.scalar(
            select(Inspection).where(
                Inspection.repo_key == f"github.com/owner{candidate_id}/{cert}-project"
            )
        )
        if inspection is None:
            inspection = Inspection(
                repo_key=f"github.com/owner{candidate_id}/{cert}-project".lower(),
                repo_host="github.com",
                repo_owner=f"owner{candidate_id}",
                repo_name=f"{cert}-project",
                commit_sha=report.commit,
                state="done",
                report_json=json.dumps(report.to_json()),
            )
            session.add(inspection)
            session.flush()
        the_rubric = get_rubric(cert)
        sub = Submission(
            candidate_id=candidate_id,
            certification=cert,
            repo_url=f"https://github.com/owner{candidate_id}/{cert}-project",
            repo_key=inspection.repo_key,
            repo_host="github.com",
            repo_owner=inspection.repo_owner,
            repo_name=inspection.repo_name,
            commit_sha=report.commit,
            pinned_by="github",
            inspection_id=inspection.id,
            state=SubmissionState.READY,
            assessment_json=json.dumps(evaluate(report, the_rubric).to_json()),
            rubric_version=the_rubric.version,
            created_at=datetime.now(UTC) - timedelta(days=days_ago),
        )
        session.add(sub)
        session.flush()
        return candidate_id, sub.id


def assign(
    app: Flask,
    submission_id: int,
    interviewer_ids: list[int],
    staff_id: int | None = None,
    when: datetime | None = None,
) -> int:
    with get_database(app).session() as session:
        sub = session.get(Submission, submission_id)
        assert sub is not None
        done = assignment.assign(
            session,
            sub,
            interviewer_ids,
            when or datetime.now(UTC).replace(microsecond=0, second=0) - timedelta(hours=1),
            staff_id,
            lambda cert: rubric(cert),
        )
        return done.interview.id


def card_of(session, interview_id: int, interviewer_id: int) -> Scorecard:  # noqa: ANN001
    card = session.scalar(
        select(Scorecard).where(
            Scorecard.interview_id == interview_id, Scorecard.interviewer_id == interviewer_id
        )
    )
    assert card is not None
    return card


def score(
    app: Flask,
    interview_id: int,
    interviewer_id: int,
    levels: Mapping[str, int] | int,
    finalise: bool = True,
    note: str = "",
) -> None:
    """Fill a scorecard directly (every criterion ``levels`` or the given map) and finalise."""
    with get_database(app).session() as session:
        interview = session.get(Interview, interview_id)
        assert interview is not None
        snap = RubricSnapshot.from_json(interview.rubric_json)
        card = card_of(session, interview_id, interviewer_id)
        values = scoring.current_values(snap, card)
        wanted: dict[str, str] = {}
        for c in snap.criteria:
            level = levels if isinstance(levels, int) else levels[c.id]
            wanted[scoring.level_field(c.id)] = str(level)
            if note:
                wanted[scoring.cnote_field(c.id)] = f"{note} for {c.id}"
                wanted[scoring.pnote_field(c.id)] = f"PRIVATE {note} {c.id}"
        outcome = scoring.save_draft(snap, card, wanted, scoring.fingerprints(values), utcnow())
        assert outcome.ok, outcome
        if finalise:
            assert scoring.finalise_problems(snap, card) == {}
            scoring.finalise(card, utcnow())


def decide(app: Flask, interview_id: int, actor_id: int, levels: Mapping[str, int] | int) -> int:
    """Reconcile with the given agreed levels (rationale given for each); the result id."""
    with get_database(app).session() as session:
        interview = session.get(Interview, interview_id)
        assert interview is not None
        snap = RubricSnapshot.from_json(interview.rubric_json)
        choices = {
            c.id: reconcile.AgreedChoice(
                levels if isinstance(levels, int) else levels[c.id], "agreed in test"
            )
            for c in snap.criteria
        }
        result = reconcile.record(
            session, interview, snap, choices, actor_id, utcnow().date(), ProgramConfig()
        )
        return result.id


def email_of(app: Flask, user_id: int) -> str:
    with get_database(app).session() as session:
        found = session.get(User, user_id)
        assert found is not None
        return found.email
