"""Read-only access to a repository's objects at a pinned commit.

Nothing is checked out: the tree is listed with ``git ls-tree`` (streamed, and stopped as soon
as it passes the entry cap) and blobs are read through one ``git cat-file --batch-command``
process that reports a blob's size before sending it, so an oversized blob is never read.
Symlinks stay blobs (never followed), filters and LFS smudge never run, and no file of the
repository touches the disk outside its object database.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from reviewer.errors import CloneError, CloneTimeoutError, RepositoryTooLargeError
from reviewer.git.env import git_environment, hardening_args
from reviewer.git.process import Deadline, kill_group, run_git, start

MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"
OID_RE = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
#: Largest output of a one-shot command (``git log`` of a long history, mostly).
MAX_OUTPUT = 512 * 1024 * 1024
#: Longest record kept of a streamed listing (one commit of the log).
MAX_LOG_RECORD = 8192


@dataclass(frozen=True)
class TreeEntry:
    path: str
    mode: str
    size: int  # -1 for submodules (no blob)
    oid: str

    @property
    def is_symlink(self) -> bool:
        return self.mode == MODE_SYMLINK

    @property
    def is_submodule(self) -> bool:
        return self.mode == MODE_SUBMODULE

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author_name: str
    author_email: str
    authored_at: datetime  # UTC
    subject: str


@dataclass(frozen=True)
class History:
    commit_count: int
    commits: tuple[CommitInfo, ...]  # newest first, as ``git log`` lists them

    @property
    def author_emails(self) -> frozenset[str]:
        return frozenset(c.author_email.lower() for c in self.commits)

    @property
    def first_date(self) -> datetime | None:
        return min((c.authored_at for c in self.commits), default=None)

    @property
    def last_date(self) -> datetime | None:
        return max((c.authored_at for c in self.commits), default=None)


class ObjectStore:
    """Objects of one git directory (bare mirror), read with hardened git calls.

    No protocol is allowed (nothing here talks to a remote) and every call has a time limit.
    """

    def __init__(self, git_dir: Path, home: Path, timeout_s: float = 120.0) -> None:
        self.git_dir = Path(git_dir)
        self.timeout_s = timeout_s
        self._env = git_environment(home)
        self._prefix = ["git", *hardening_args(), f"--git-dir={self.git_dir}"]
        self._batch: subprocess.Popen[bytes] | None = None

    # -- one-shot commands ------------------------------------------------------------------
    def run(self, *args: str, timeout_s: float | None = None) -> bytes:
        limit = timeout_s or self.timeout_s
        out = run_git(
            [*self._prefix, *args],
            self._env,
            timeout_s=limit,
            cwd=self.git_dir,
            max_output=MAX_OUTPUT,
        )
        if out.returncode != 0:
            raise CloneError(f"git {args[0]} failed: {out.last_error_line}")
        return out.stdout

    def resolve(self, rev: str) -> str:
        """The 40-hex SHA of a commit-ish (``HEAD``, a branch, a SHA)."""
        _check_rev(rev)
        out = self.run("rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}")
        return out.decode().strip()

    def has_commit(self, sha: str) -> bool:
        _check_rev(sha)
        out = run_git(
            [*self._prefix, "cat-file", "-e", "--end-of-options", f"{sha}^{{commit}}"],
            self._env,
            timeout_s=self.timeout_s,
            cwd=self.git_dir,
        )
        return out.returncode == 0

    def tree(self, commit: str, max_entries: int | None = None) -> list[TreeEntry]:
        """Every entry of the tree at ``commit`` (recursive), with blob sizes.

        Raises ``RepositoryTooLargeError`` as soon as the listing passes ``max_entries``, before
        anything is read, so a tree bomb never fills memory.
        """
        _check_rev(commit)
        argv = [*self._prefix, "ls-tree", "-r", "-l", "-z", "--full-tree", "--end-of-options",
                commit]  # fmt: skip
        entries: list[TreeEntry] = []
        with tempfile.TemporaryFile() as err:
            proc = start(argv, self._env, cwd=self.git_dir, stderr=err)
            assert proc.stdout is not None
            try:
                with Deadline(proc, self.timeout_s) as deadline:
                    pending = b""
                    while chunk := proc.stdout.read(1 << 16):
                        *records, pending = (pending + chunk).split(b"\0")
                        entries.extend(_tree_entry(r) for r in records if r)
                        if max_entries is not None and len(entries) > max_entries:
                            raise RepositoryTooLargeError(
                                f"The repository has more than {max_entries} files at the "
                                "reviewed commit, more than a review reads. Remove generated "
                                "or vendored files, or ask the staff to raise the limit."
                            )
                    returncode = proc.wait()
            finally:
                kill_group(proc)
                proc.stdout.close()
            if deadline.fired:
                raise CloneTimeoutError(
                    f"Listing the files took longer than {self.timeout_s:g} s and was stopped."
                )
            if returncode != 0:
                err.seek(0)
                lines = err.read(8192).decode("utf-8", "replace").strip().splitlines()
                raise CloneError(f"git ls-tree failed: {lines[-1] if lines else returncode}")
        return entries

    def history(self, commit: str, max_commits: int | None = None) -> History:
        """The commit count and, newest first, the commits (at most ``max_commits``).

        The log is streamed and each commit's record cut at ``MAX_LOG_RECORD`` bytes (names,
        e-mails and subjects of hostile size are truncated), so memory stays proportional to
        the number of commits, not to the size of their messages.
        """
        _check_rev(commit)
        limit = [f"--max-count={max_commits}"] if max_commits is not None else []
        argv = [*self._prefix, "log", "--no-decorate", "--no-mailmap", "--no-show-signature",
                "-z", "--format=%H%x1f%at%x1f%ae%x1f%an%x1f%s", *limit, "--end-of-options",
                commit]  # fmt: skip
        commits: list[CommitInfo] = []
        listed, odd = 0, False  # commits the whole log lists; a record not shaped like one
        for rec in self._records(argv, "Reading the history"):
            parts = rec.decode("utf-8", "replace").strip("\n").split("\x1f", 4)
            if OID_RE.fullmatch(parts[0]) and len(parts) == 5:
                listed += 1
            else:
                odd = True
            if len(parts) < 3:
                continue
            sha, ts, email, name, subject = (*parts, "", "")[:5]
            try:
                when = datetime.fromtimestamp(int(ts), tz=UTC)
            except (ValueError, OverflowError, OSError):
                continue
            commits.append(CommitInfo(sha, name, email, when, subject))
        if max_commits is None and not odd:
            count = listed  # the whole log: one git call less (``rev-list --count``)
        else:
            count = int(self.run("rev-list", "--count", "--end-of-options", commit).strip() or 0)
        return History(commit_count=count, commits=tuple(commits))

    def _records(self, argv: list[str], what: str) -> Iterator[bytes]:
        """The NUL-separated records ``argv`` writes, each cut at ``MAX_LOG_RECORD`` bytes."""
        with tempfile.TemporaryFile() as err:
            proc = start(argv, self._env, cwd=self.git_dir, stderr=err)
            assert proc.stdout is not None
            try:
                with Deadline(proc, self.timeout_s) as deadline:
                    record = bytearray()
                    while chunk := proc.stdout.read(1 << 16):
                        pos = 0
                        while (nul := chunk.find(b"\0", pos)) >= 0:
                            record += chunk[pos : min(nul, pos + MAX_LOG_RECORD - len(record))]
                            yield bytes(record)
                            record.clear()
                            pos = nul + 1
                        room = MAX_LOG_RECORD - len(record)
                        if room > 0:
                            record += chunk[pos : pos + room]
                    if record:
                        yield bytes(record)
                    returncode = proc.wait()
            finally:
                kill_group(proc)
                proc.stdout.close()
            if deadline.fired:
                raise CloneTimeoutError(
                    f"{what} took longer than {self.timeout_s:g} s and was stopped."
                )
            if returncode != 0:
                err.seek(0)
                lines = err.read(8192).decode("utf-8", "replace").strip().splitlines()
                raise CloneError(f"git {argv[len(self._prefix)]} failed: "
                                 f"{lines[-1] if lines else returncode}")  # fmt: skip

    # -- blobs --------------------------------------------------------------------------------
    def read(self, oid: str, max_bytes: int, size: int | None = None) -> bytes | None:
        """The blob's bytes, or None when it is missing or larger than ``max_bytes``.

        ``size`` is the blob's size when the caller knows it (the tree listing gives it): then
        the content is asked for at once, in one round trip. Otherwise the size is asked first
        (``info``) and the content requested only when it fits, so a huge blob costs nothing.
        """
        if not OID_RE.fullmatch(oid):
            return None
        if size is None or size < 0:
            size = self._batch_info(self._batch_process(), oid)
        if size is None or size > max_bytes:
            return None
        proc = self._batch_process()
        assert proc.stdin is not None
        proc.stdin.write(b"contents " + oid.encode() + b"\n")
        proc.stdin.flush()
        try:
            return _answer(proc, max_bytes)
        except _OutOfStep:
            self.close()  # the unread rest of the answer goes with the process
            return None

    #: Requests written ahead of the answers by ``read_many``: their bytes (50 each) stay well
    #: under a pipe's 64 KiB buffer, so writing them never waits for git to be read from.
    READ_AHEAD = 256

    def read_many(
        self, oids: Iterable[str], max_bytes: int
    ) -> Generator[tuple[str, bytes | None], None, None]:
        """``(oid, bytes or None)`` for each oid, in order, the requests pipelined.

        Meant for blobs whose size is known to fit (from the tree listing). The reads go through
        a ``cat-file`` process of their own, so that ``read`` (or another ``read_many``) between
        two answers cannot take one of them; it is stopped when the iteration ends, early or
        not, or when ``timeout_s`` passes. A blob larger than ``max_bytes`` after all gives
        None, as do all the blobs after it.
        """
        todo = list(oids)
        if not todo:
            return
        proc = start(
            [*self._prefix, "cat-file", "--batch-command"],
            self._env,
            cwd=self.git_dir,
            stdin=subprocess.PIPE,
        )
        assert proc.stdin is not None and proc.stdout is not None
        broken = False
        try:
            with Deadline(proc, self.timeout_s):
                for first in range(0, len(todo), self.READ_AHEAD):
                    chunk = todo[first : first + self.READ_AHEAD]
                    valid = [oid for oid in chunk if OID_RE.fullmatch(oid)]
                    if valid and not broken:
                        try:
                            proc.stdin.write(b"".join(b"contents %s\n" % o.encode() for o in valid))
                            proc.stdin.flush()
                        except OSError:  # the process is gone (stopped by the deadline)
                            broken = True
                    for oid in chunk:
                        data = None
                        if not broken and OID_RE.fullmatch(oid):
                            try:
                                data = _answer(proc, max_bytes)
                            except _OutOfStep:
                                broken = True
                        yield oid, data
        finally:
            kill_group(proc)
            proc.stdin.close()
            proc.stdout.close()

    def size(self, oid: str) -> int | None:
        """The object's size in bytes, or None when it is missing."""
        if not OID_RE.fullmatch(oid):
            return None
        return self._batch_info(self._batch_process(), oid)

    @staticmethod
    def _batch_info(proc: subprocess.Popen[bytes], oid: str) -> int | None:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"info " + oid.encode() + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline()
        if not header or header.endswith(b" missing\n"):
            return None
        try:
            return int(header.split()[2])
        except (IndexError, ValueError):
            return None

    def _batch_process(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = start(
                [*self._prefix, "cat-file", "--batch-command"],
                self._env,
                cwd=self.git_dir,
                stdin=subprocess.PIPE,
            )
        return self._batch

    def close(self) -> None:
        if self._batch is not None:
            if self._batch.stdin:
                self._batch.stdin.close()
            try:
                self._batch.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            kill_group(self._batch)
            if self._batch.stdout:
                self._batch.stdout.close()
            self._batch = None

    def __enter__(self) -> ObjectStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _OutOfStep(Exception):
    """An answer of ``cat-file`` could not be read whole: the next one cannot be found."""


def _answer(proc: subprocess.Popen[bytes], max_bytes: int) -> bytes | None:
    """Read one ``contents`` answer: the bytes, or None for a missing object. Raises
    ``_OutOfStep`` when the process is gone or the blob is larger than ``max_bytes`` (then it
    is left unread and the process must be stopped)."""
    assert proc.stdout is not None
    header = proc.stdout.readline()
    if not header.endswith(b"\n"):
        raise _OutOfStep
    if header.endswith(b" missing\n"):
        return None
    try:
        size = int(header.split()[2])
    except (IndexError, ValueError):
        raise _OutOfStep from None
    if not 0 <= size <= max_bytes:
        raise _OutOfStep
    data = proc.stdout.read(size)
    if len(data) != size or proc.stdout.read(1) != b"\n":
        raise _OutOfStep
    return data


def _check_rev(rev: str) -> None:
    if not rev or rev.startswith("-") or any(c.isspace() or ord(c) < 0x20 for c in rev):
        raise CloneError(f"Refusing the revision {rev!r}: it looks like an option or is malformed.")


def _tree_entry(record: bytes) -> TreeEntry:
    meta, _, path = record.partition(b"\t")
    mode, _type, oid, size = meta.split(None, 3)
    size_s = size.strip()
    return TreeEntry(
        path=path.decode("utf-8", "surrogateescape"),
        mode=mode.decode(),
        size=int(size_s) if size_s.isdigit() else -1,
        oid=oid.decode(),
    )
