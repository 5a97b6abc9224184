"""run_git and kill_group: time limits, output caps and watchers stop the whole process group."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reviewer.errors import CloneError, CloneTimeoutError, RepositoryTooLargeError
from reviewer.git.process import run_git

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def _alive(pid: int, grace_s: float = 3.0) -> bool:
    """True if ``pid`` still runs after ``grace_s`` (a killed process may take a moment)."""
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.02)
    return True


def _spawn_grandchild(tmp_path: Path) -> list[str]:
    """A shell that starts a long sleep in the background, records its pid, and waits."""
    pidfile = tmp_path / "pid"
    return ["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"]


def test_run_git_returns_output_and_status_when_command_finishes(tmp_path: Path) -> None:
    out = run_git(["sh", "-c", "echo out; echo err >&2; exit 3"], ENV, timeout_s=10)
    assert (out.returncode, out.stdout, out.stderr.strip()) == (3, b"out\n", "err")
    assert out.last_error_line == "err"


def test_run_git_kills_the_process_group_when_time_runs_out(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(CloneTimeoutError, match="longer than 0.3 s"):
        run_git(_spawn_grandchild(tmp_path), ENV, timeout_s=0.3)
    assert time.monotonic() - started < 3
    assert not _alive(int((tmp_path / "pid").read_text()))


def test_run_git_kills_the_process_group_when_watcher_raises(tmp_path: Path) -> None:
    started = time.monotonic()

    def watch() -> None:
        if time.monotonic() - started > 0.2:
            raise RepositoryTooLargeError("too big")

    with pytest.raises(RepositoryTooLargeError, match="too big"):
        run_git(_spawn_grandchild(tmp_path), ENV, timeout_s=30, watch=watch)
    assert time.monotonic() - started < 3
    assert not _alive(int((tmp_path / "pid").read_text()))


def test_run_git_stops_when_output_exceeds_cap() -> None:
    started = time.monotonic()
    with pytest.raises(CloneError, match="more than 100000 bytes"):
        run_git(["sh", "-c", "yes hostile"], ENV, timeout_s=30, max_output=100_000)
    assert time.monotonic() - started < 3


def test_run_git_sweeps_background_children_when_command_exits(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    out = run_git(["sh", "-c", f"sleep 60 & echo $! > {pidfile}"], ENV, timeout_s=10)
    assert out.returncode == 0
    assert not _alive(int(pidfile.read_text()))
