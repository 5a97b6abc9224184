"""Helpers shared by the web app's tests (import as ``from websupport import ...``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

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


def create_user(
    app: Flask, email: str, role: str = "candidate", password: str = PASSWORD, name: str = ""
) -> int:
    """Create an account directly in the app's database (fast hashing); returns its id."""
    from webapp import accounts
    from webapp.db import get_database

    policy = accounts.PasswordPolicy(hash_method=FAST_HASH)
    with get_database(app).session() as session:
        return accounts.create_user(session, email, password, role, policy, name=name).id


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


def schema_diff(url: str, tables: Collection[str]) -> list[object]:
    """What Alembic's autogenerate finds different between the database and the models, on
    ``tables`` only (other parts of the app own the rest)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from webapp.db import make_engine
    from webapp.models import Base

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    return [d for d in diffs if _table_of(d) in tables]


def _table_of(diff: object) -> str | None:
    """The table an Alembic autogenerate difference is about."""
    op: Any = diff[0] if isinstance(diff, list) else diff  # modify_* come as lists of tuples
    kind, subject = op[0], op[1]
    if kind in ("add_table", "remove_table"):
        return str(subject.name)
    if kind in ("add_column", "remove_column") or kind.startswith("modify_"):
        return str(op[2])
    if kind in ("add_fk", "remove_fk"):
        return str(subject.parent.name)
    table = getattr(subject, "table", None)
    return None if table is None else str(table.name)


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
