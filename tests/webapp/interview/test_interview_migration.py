"""Migration 0200 builds exactly the interview tables of the models, and goes down and up."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from webapp.db import make_engine
from webapp.migrate import alembic_config, downgrade, upgrade
from webapp.models import Base

MINE = {
    "interviews",
    "scorecards",
    "criterion_scores",
    "agreed_levels",
    "interview_results",
    "audit_entries",
}
REVISION = "0200"


def _table(diff: object) -> str | None:
    op = diff[0] if isinstance(diff, list) else diff
    kind, subject = op[0], op[1]
    if kind in ("add_table", "remove_table"):
        return str(subject.name)
    if kind in ("add_column", "remove_column") or kind.startswith("modify_"):
        return str(op[2])
    if kind in ("add_fk", "remove_fk"):
        return str(subject.parent.name)
    table = getattr(subject, "table", None)
    return None if table is None else str(table.name)


def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return [d for d in compare_metadata(context, Base.metadata) if _table(d) in MINE]
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_interview_tables_match_the_models(db_url: str) -> None:
    assert MINE <= _tables(db_url)
    assert _diff(db_url) == []


def test_interview_migration_goes_down_and_up(db_url: str) -> None:
    below = ScriptDirectory.from_config(alembic_config(db_url)).get_revision(REVISION)
    downgrade(db_url, str(below.down_revision))
    assert not MINE & _tables(db_url)
    upgrade(db_url)
    assert _diff(db_url) == []
