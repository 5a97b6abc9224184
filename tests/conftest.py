"""Fixtures shared by the whole suite (web fixtures live in tests/webapp/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from snapfactory import SnapshotFactory

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
GITHUB_FIXTURES = SHARED_DIR / "fixtures" / "github"


@pytest.fixture
def snapshot_of(tmp_path: Path) -> Iterator[SnapshotFactory]:
    """Build a real git repository from a dict of files and open it as a Snapshot."""
    factory = SnapshotFactory(tmp_path)
    yield factory
    for snap in factory.opened:
        snap.store.close()
