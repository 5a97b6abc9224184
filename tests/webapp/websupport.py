"""Helpers shared by the web app's tests (import as ``from websupport import ...``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from flask import Flask

from reviewer.program import ProgramConfig
from reviewer.report import Fact, RepoRef, Report
from reviewer.settings import Settings

PASSWORD = "correct horse battery"
FAST_HASH = "scrypt:1024:8:1"

SHA_A = "a" * 40
SHA_B = "b" * 40


def fake_report(ref: RepoRef, commit: str, facts: dict[str, Fact] | None = None) -> Report:
    return Report(
        target_url=ref.web_url,
        target=ref,
        commit=commit,
        inspected_at=datetime(2024, 5, 1, tzinfo=UTC).isoformat(),
        tool_version="test",
        facts=facts or {"has_readme": Fact(True, ("README.md",), "a README at the root")},
    )


@dataclass
class FakeEngine:
    """Stands in for ``webapp.reviews.inspect``: records calls, returns or raises."""

    head: str = SHA_A
    error: Exception | None = None
    calls: list[tuple[str, str | None]] | None = None

    def inspect(self, ref: RepoRef, commit: str | None, settings: Settings) -> Report:
        assert self.calls is not None
        self.calls.append((ref.slug, commit))
        if self.error is not None:
            raise self.error
        return fake_report(ref, commit or self.head)


def run_queued_jobs(app: Flask) -> list[str]:
    """Run every due job in the database, as a worker would; returns the outcomes."""
    from sqlalchemy import select

    from webapp.db import get_database
    from webapp.models import Job, JobState
    from webapp.queue import get_queue

    outcomes = []
    for _ in range(50):
        with get_database(app).session() as session:
            ids = list(session.scalars(select(Job.id).where(Job.state == JobState.QUEUED)))
        ran = [get_queue(app).run(job_id).status for job_id in ids]
        ran = [o for o in ran if o != "skipped"]
        if not ran:
            break
        outcomes += ran
    return outcomes


def pass_knowledge_test(app: Flask, email: str, cert: str = "ml-expert", score: str = "80") -> None:
    """Record a passed knowledge test a few days ago (staff entry)."""
    from webapp import knowledge_tests
    from webapp.db import get_database
    from webapp.models import utcnow

    with get_database(app).session() as session:
        row = knowledge_tests.ResultRow(
            1, email, cert, utcnow().date() - timedelta(days=3), Decimal(score)
        )
        result = knowledge_tests.import_results(
            session, [row], ProgramConfig(), utcnow().date(), source="manual"
        )
        assert result.ok, result.errors
