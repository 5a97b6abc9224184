"""Alembic migrations build exactly the models' schema, and go down and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from webapp.db import make_engine
from webapp.migrate import current_revision, downgrade, head_revision, upgrade
from webapp.models import Base

#: Tables owned by later parts of the app that may not have their migration yet in this tree.
MINE = {
    "users", "attempts", "fees", "refunds", "refund_budget_entries", "certificates",
    "external_credits", "import_batches", "inspections", "submissions", "jobs",
    "rate_limit_events",
}  # fmt: skip


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    return [d for d in diffs if _table_of(d) in MINE]


def _table_of(diff: object) -> str | None:
    """The table an Alembic autogenerate difference is about."""
    op = diff[0] if isinstance(diff, list) else diff  # modify_* come as lists of tuples
    kind, subject = op[0], op[1]
    if kind in ("add_table", "remove_table"):
        return str(subject.name)
    if kind in ("add_column", "remove_column") or kind.startswith("modify_"):
        return str(op[2])
    if kind in ("add_fk", "remove_fk"):
        return str(subject.parent.name)
    table = getattr(subject, "table", None)
    return None if table is None else str(table.name)


def test_the_migrated_schema_matches_the_models(db_url: str) -> None:
    assert current_revision(db_url) == head_revision()
    assert _diff(db_url) == []


def test_migrations_go_down_to_nothing_and_back(db_url: str) -> None:
    downgrade(db_url, "base")
    assert current_revision(db_url) is None
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()
    assert _diff(db_url) == []
