"""Alembic migrations build exactly the models' schema, and go down and up again."""

from __future__ import annotations

from websupport import schema_diff

from webapp.migrate import current_revision, downgrade, head_revision, upgrade

#: Tables owned by later parts of the app that may not have their migration yet in this tree.
MINE = {
    "users", "attempts", "fees", "refunds", "refund_budget_entries", "certificates",
    "external_credits", "import_batches", "inspections", "submissions", "jobs",
    "rate_limit_events",
}  # fmt: skip


def test_the_migrated_schema_matches_the_models(db_url: str) -> None:
    assert current_revision(db_url) == head_revision()
    assert schema_diff(db_url, MINE) == []


def test_migrations_go_down_to_nothing_and_back(db_url: str) -> None:
    downgrade(db_url, "base")
    assert current_revision(db_url) is None
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()
    assert schema_diff(db_url, MINE) == []
