"""Build a real git repository from a dict of files and open it as a Snapshot (for finder tests).

def test_x(snapshot_of):
    snap = snapshot_of({"README.md": "# Title", "src/a.py": "import torch"})
"""

from __future__ import annotations

import json
from pathlib import Path

import gitrepo

from reviewer.git.store import ObjectStore
from reviewer.settings import Limits
from reviewer.snapshot import Snapshot

DATE = "2024-03-01T12:00:00+00:00"  # of the first commit, which finder tests rely on


def notebook(*cells: str | tuple[str, str]) -> str:
    """A minimal nbformat-4 notebook; a str is a code cell, ("markdown", text) another kind."""
    out = []
    for cell in cells:
        kind, src = ("code", cell) if isinstance(cell, str) else cell
        c: dict[str, object] = {"cell_type": kind, "metadata": {}, "source": src}
        if kind == "code":
            c.update(outputs=[], execution_count=None)
        out.append(c)
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def make_repo(
    path: Path,
    files: dict[str, str | bytes],
    *,
    commits: list[tuple[dict[str, str | bytes], str, str, str]] | None = None,
) -> Path:
    """``gitrepo.make_repo`` with ``files`` in one commit dated 2024-03-01, then extra commits
    given as (files, message, author_email, iso_date)."""
    extra = [
        {"files": f, "message": m, "author_email": e, "date": d} for f, m, e, d in commits or ()
    ]
    return gitrepo.make_repo(path, files, commits=extra, date=DATE, message="initial")


def open_snapshot(repo: Path, home: Path, limits: Limits | None = None) -> Snapshot:
    store = ObjectStore(repo / ".git" if (repo / ".git").exists() else repo, home)
    sha = store.resolve("HEAD")
    return Snapshot(store, sha, store.tree(sha), store.history(sha), limits)


class SnapshotFactory:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.count = 0
        self.opened: list[Snapshot] = []

    def __call__(
        self,
        files: dict[str, str | bytes],
        *,
        commits: list[tuple[dict[str, str | bytes], str, str, str]] | None = None,
        limits: Limits | None = None,
    ) -> Snapshot:
        self.count += 1
        repo = make_repo(self.base / f"repo{self.count}", files, commits=commits)
        snap = open_snapshot(repo, self.base / "home", limits)
        self.opened.append(snap)
        return snap
