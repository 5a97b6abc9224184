"""Build a real git repository from a dict of files and open it as a Snapshot (for finder tests).

def test_x(snapshot_of):
    snap = snapshot_of({"README.md": "# Title", "src/a.py": "import torch"})
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from reviewer.git.store import ObjectStore
from reviewer.settings import Limits
from reviewer.snapshot import Snapshot

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_AUTHOR_DATE": "2024-03-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2024-03-01T12:00:00Z",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = {**os.environ, **GIT_ENV, **(env or {})}
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


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


def write_files(repo: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def make_repo(
    path: Path,
    files: dict[str, str | bytes],
    *,
    commits: list[tuple[dict[str, str | bytes], str, str, str]] | None = None,
) -> Path:
    """A work-tree repository with ``files`` in one commit, then optional extra commits
    given as (files, message, author_email, iso_date)."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    write_files(path, files)
    git(path, "add", "-A")
    git(path, "commit", "-q", "--allow-empty", "-m", "initial")
    for extra, message, email, date in commits or ():
        write_files(path, extra)
        git(path, "add", "-A")
        env = {"GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        git(path, "commit", "-q", "--allow-empty", "-m", message, env=env)
    return path


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
