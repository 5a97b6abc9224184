"""Running one git process with a time limit, bounded output and an optional watcher.

Each git process leads its own process group (``start_new_session``), so stopping it also
stops the helpers it spawned (``git-remote-https``, ``upload-pack``, ``index-pack``). The group
is killed whenever the call ends early, and swept once more when it ends normally, so no child
outlives the call.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reviewer.errors import CloneError, CloneTimeoutError

#: Largest output any one git call may write (ls-remote of a hostile server, a huge log).
DEFAULT_MAX_OUTPUT = 256 * 1024 * 1024
POLL_S = 0.05


@dataclass(frozen=True)
class GitOutput:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def last_error_line(self) -> str:
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"exit status {self.returncode}"


def start(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    cwd: Path | None = None,
    stdin: int | IO[bytes] | None = subprocess.DEVNULL,
    stdout: int | IO[bytes] | None = subprocess.PIPE,
    stderr: int | IO[bytes] | None = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` as the leader of a new process group with exactly ``env``."""
    return subprocess.Popen(
        list(argv),
        env=dict(env),
        cwd=str(cwd) if cwd is not None else None,
        stdin=stdin,
        stdout=stdout,
        stderr=stderr,
        start_new_session=True,
        close_fds=True,
    )


def start_helper(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start a helper process of the engine's own (not git: the parallel parser of
    ``reviewer.pycode``) with piped stdin and stdout, as the leader of a new process group
    (``kill_group`` stops it). Every subprocess of the engine starts in this package."""
    return start(argv, os.environ, stdin=subprocess.PIPE)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process group led by ``proc`` (children included) and reap ``proc``."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
        pass


def run_git(
    argv: Sequence[str],
    env: Mapping[str, str],
    *,
    timeout_s: float,
    cwd: Path | None = None,
    watch: Callable[[], None] | None = None,
    max_output: int = DEFAULT_MAX_OUTPUT,
) -> GitOutput:
    """Run one git command to completion, or stop it (and its children) when it runs past
    ``timeout_s``, writes more than ``max_output`` bytes, or ``watch()`` raises.

    ``watch`` is called every few milliseconds while the command runs; the exception it raises
    (e.g. ``RepositoryTooLargeError``) propagates after the process group is killed.
    """
    what = _describe(argv)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = start(argv, env, cwd=cwd, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout_s
        try:
            while True:
                try:
                    proc.wait(timeout=POLL_S)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if time.monotonic() > deadline:
                    raise CloneTimeoutError(
                        f"git {what} took longer than {timeout_s:g} s and was stopped. The "
                        "server may be slow or the repository unusually large; try again "
                        "later or raise REVIEWER_GIT_TIMEOUT."
                    )
                if os.fstat(out.fileno()).st_size + os.fstat(err.fileno()).st_size > max_output:
                    raise CloneError(
                        f"git {what} wrote more than {max_output} bytes of output and was stopped."
                    )
                if watch is not None:
                    watch()
        finally:
            kill_group(proc)
        out.seek(0)
        # read what was written (``read(n)`` would first allocate all n bytes: 512 MB of
        # address space for every call, fatal under a memory limit such as ``ulimit -v``)
        stdout = out.read(min(os.fstat(out.fileno()).st_size, max_output + 1))
        err.seek(0)
        stderr = err.read(64 * 1024).decode("utf-8", "replace")
    return GitOutput(proc.returncode, stdout, stderr)


class Deadline:
    """Kill a streaming process's group when ``timeout_s`` passes (for pipes read in a loop)."""

    def __init__(self, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
        self.fired = False
        self._proc = proc
        self._timer = threading.Timer(timeout_s, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _describe(argv: Sequence[str]) -> str:
    """The git subcommand of ``argv`` (skipping ``-c x=y`` and ``--git-dir=``) for messages."""
    skip = False
    for arg in argv[1:]:
        if skip:
            skip = False
            continue
        if arg == "-c":
            skip = True
            continue
        if not arg.startswith("-"):
            return arg
    return "command"
