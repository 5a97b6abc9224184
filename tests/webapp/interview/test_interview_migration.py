"""Migration 0200 builds exactly the interview tables of the models, and goes down and up."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from websupport import schema_diff

from webapp.db import make_engine
from webapp.migrate import alembic_config, downgrade, upgrade

MINE = {
    "interviews",
    "scorecards",
    "criterion_scores",
    "agreed_levels",
    "interview_results",
    "audit_entries",
}
REVISION = "0200"


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_interview_tables_match_the_models(db_url: str) -> None:
    assert MINE <= _tables(db_url)
    assert schema_diff(db_url, MINE) == []


def test_interview_migration_goes_down_and_up(db_url: str) -> None:
    below = ScriptDirectory.from_config(alembic_config(db_url)).get_revision(REVISION)
    downgrade(db_url, str(below.down_revision))
    assert not MINE & _tables(db_url)
    upgrade(db_url)
    assert schema_diff(db_url, MINE) == []
