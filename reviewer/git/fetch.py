"""Hardened fetch of an untrusted repository into a bare mirror cache.

Threat model. The repository's *content* is hostile (the candidate wrote it); its *address*
is not (the operator's template built it from a validated ``RepoRef``). We defend against:

* code execution through git: transport helpers (``ext::``, CVE-2022-24439 in GitPython),
  option injection (``--upload-pack=...`` as a URL or ref), hooks, filter/LFS drivers,
  submodules (CVE-2024-32002: submodule + symlink), a crafted local source repository whose own
  configuration runs commands (partial-clone lazy fetch, CVE-2024-32004), and inherited
  ``GIT_*`` variables. We never check out a work tree, never fetch submodules, run git with no
  user/system configuration, ``core.hooksPath=/dev/null``, only the one protocol the source
  needs (``GIT_ALLOW_PROTOCOL``), ``GIT_NO_LAZY_FETCH=1``, and pass every URL/ref after
  ``--end-of-options`` (and refuse any starting with ``-``);
* reading files outside the workspace: a local source is fetched over the pack protocol, never
  by ``clone --local`` (symlinked or hard-linked ``objects/``, CVE-2022-39253, CVE-2024-32021);
  submodule URLs (``file://`` included) are never followed;
* malformed objects (``.git`` in a tree, ``..`` paths, symlinked ``.gitmodules``): fsck on
  transfer rejects them with a clear error;
* exhaustion: a time limit on every git call (the whole process group is killed), a cap on the
  mirror's bytes watched *while* fetching, credential prompts disabled (a private repository
  fails at once instead of hanging), caps on tree entries and file reads in ``ObjectStore``;
* races and debris: one ``flock`` per mirror serialises processes; a first fetch happens in a
  temporary directory renamed into place only on success, so a failure leaves nothing behind.

Layout: ``settings.mirror_dir / f"{key}.git"`` (bare), ``f"{key}.lock"`` beside it, and
``.tmp/{key}/`` for a first fetch in progress.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reviewer.errors import (
    BadTargetError,
    CloneError,
    CloneTimeoutError,
    ConfigError,
    RepositoryTooLargeError,
)
from reviewer.git.env import git_environment, hardening_args
from reviewer.git.process import GitOutput, run_git
from reviewer.git.store import ObjectStore
from reviewer.settings import Settings

SHA_RE = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}")
SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
HELPER_RE = re.compile(r"[A-Za-z0-9+.-]*::")  # git's <transport>::<address> syntax
#: A default-branch name we are willing to put in a refspec (git's rules, conservatively).
BRANCH_RE = re.compile(r"(?!-)(?!.*\.\.)(?!.*@\{)(?!.*//)(?!.*\.lock$)[^\x00-\x20\x7f~^:?*\[\\]+")

#: ``-c`` options for fetches, on top of ``env.HARDENING_OPTIONS``.
FETCH_OPTIONS: tuple[str, ...] = (
    "fetch.unpackLimit=1",  # keep one pack per fetch: cheap to watch, no loose-object storm
    "transfer.unpackLimit=1",
    "fetch.writeCommitGraph=false",
    "fetch.showForcedUpdates=false",
    "http.followRedirects=initial",
    # cosmetic defects found in real, old repositories stay warnings; every fsck check that
    # guards against attacks (hasDotgit, gitmodulesUrl, fullPathname, ...) stays an error
    "fetch.fsck.zeroPaddedFilemode=ignore",
    "fetch.fsck.badFilemode=ignore",
    "fetch.fsck.badTimezone=ignore",
    "fetch.fsck.badDate=ignore",
    "fetch.fsck.badDateOverflow=ignore",
    "fetch.fsck.zeroPaddedDate=ignore",
    "fetch.fsck.missingSpaceBeforeDate=ignore",
    "fetch.fsck.missingEmail=ignore",
    "fetch.fsck.badEmail=ignore",
    "fetch.fsck.missingNameBeforeEmail=ignore",
    "fetch.fsck.missingTaggerEntry=ignore",
)
#: A local source is served by an ``upload-pack`` (and its ``pack-objects``) running in the
#: source repository, with that repository's configuration. Command-line options outrank it, so
#: these keep the serving side's memory bounded however the source is configured (by default
#: pack-objects maps a 1 GB pack whole, and index-pack holds any blob under 512 MB in memory).
SERVE_OPTIONS: tuple[str, ...] = (
    "core.packedGitWindowSize=32m",
    "core.packedGitLimit=128m",
    "core.bigFileThreshold=16m",
    "core.deltaBaseCacheLimit=32m",
    "pack.windowMemory=64m",
    "pack.deltaCacheSize=16m",
    "pack.threads=1",
    "uploadpack.allowFilter=false",
)
LOCAL_UPLOAD_PACK = " ".join(["git", *(f"-c {opt}" for opt in SERVE_OPTIONS), "upload-pack"])
#: What a local source's git directory may not hold: each makes git read files outside it.
_OUTSIDE_POINTERS = ("commondir", "objects/info/alternates", "objects/info/http-alternates")
_INCLUDE_RE = re.compile(r"^\s*\[\s*include(?:if)?\b", re.IGNORECASE | re.MULTILINE)
LS_REMOTE_MAX_OUTPUT = 16 * 1024 * 1024
LOCK_WAIT_FACTOR = 4  # wait for another fetch of the same mirror up to 4 git timeouts


@dataclass(frozen=True)
class FetchResult:
    """A mirror ready to read. ``head_sha`` is the pin: ``want_sha`` when one was asked for,
    else the remote default branch's head. ``reused`` is True when no network was used."""

    git_dir: Path
    head_sha: str
    default_branch: str | None
    reused: bool


def git_home(settings: Settings) -> Path:
    """The empty HOME every git call gets (no user configuration can be found there)."""
    return settings.data_dir / "git-home"


def open_store(result: FetchResult, settings: Settings) -> ObjectStore:
    """An ``ObjectStore`` on the fetched mirror, with the settings' time limit."""
    return ObjectStore(result.git_dir, git_home(settings), settings.limits.git_timeout_s)


def fetch_mirror(
    source: str,
    key: str,
    settings: Settings,
    *,
    want_sha: str | None = None,
    local: bool = False,
) -> FetchResult:
    """Fetch ``source`` (a URL built by ``targets.clone_url``, or with ``local=True`` a local
    repository path) into the mirror ``key`` and pin its default branch head.

    When ``want_sha`` is already in the mirror nothing touches the network. Raises
    ``BadTargetError`` for a refused source, ``CloneTimeoutError``, ``RepositoryTooLargeError``
    or ``CloneError`` (with a sentence for the reader) when the fetch fails.
    """
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise BadTargetError(f"Refusing the mirror key {key!r}: not a plain file name.")
    if want_sha is not None and (not isinstance(want_sha, str) or not SHA_RE.fullmatch(want_sha)):
        raise BadTargetError(f"Refusing the commit {want_sha!r}: not a full hexadecimal SHA.")
    url, protocol = _checked_source(source, settings.clone_url_template, local)
    if protocol == "file":
        _check_local_source(url, named=local)
    root = settings.mirror_dir
    root.mkdir(parents=True, exist_ok=True)
    git_dir = root / f"{key}.git"
    git = _Git(settings, protocol)
    lock_wait = settings.limits.git_timeout_s * LOCK_WAIT_FACTOR
    with _exclusive(root / f"{key}.lock", lock_wait):
        scratch = root / ".tmp" / key  # this key's first fetches; we hold its lock
        shutil.rmtree(scratch, ignore_errors=True)  # left by a process killed mid-fetch
        if _is_mirror(git_dir):
            if want_sha is not None and git.has_commit(git_dir, want_sha):
                return FetchResult(git_dir, want_sha, git.head_branch(git_dir), reused=True)
            try:
                branch, pin = _update(git, git_dir, url, want_sha)
            except RepositoryTooLargeError:
                shutil.rmtree(git_dir, ignore_errors=True)
                raise
            finally:
                _sweep_temporary_packs(git_dir)
            return FetchResult(git_dir, pin, branch, reused=False)
        if git_dir.exists() or git_dir.is_symlink():  # a broken mirror: start again
            _remove(git_dir)
        scratch.mkdir(parents=True)
        tmp = Path(tempfile.mkdtemp(dir=scratch))
        try:
            git.run(tmp, "init", "--quiet", "--bare", "--template=")
            branch, pin = _update(git, tmp, url, want_sha)
            os.rename(tmp, git_dir)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return FetchResult(git_dir, pin, branch, reused=False)


# -- the source ---------------------------------------------------------------------------------


def _checked_source(source: str, template: str, local: bool) -> tuple[str, str]:
    """The URL or absolute path to give git, and the one protocol it needs."""
    if not isinstance(source, str) or not source:
        raise BadTargetError("No repository source was given.")
    if source.startswith("-"):
        raise BadTargetError(f"Refusing the source {source!r}: it looks like a git option.")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in source):
        raise BadTargetError("Refusing a repository source that contains control characters.")
    if HELPER_RE.match(source):
        raise BadTargetError(
            f"Refusing the source {source!r}: '<transport>::' addresses run programs."
        )
    match = SCHEME_RE.match(source)
    if match:
        protocol = match.group(1).lower()
        if protocol not in ("https", "http", "file"):
            raise BadTargetError(f"Refusing the source: the {protocol}:// protocol is not allowed.")
        url = source
    elif source.startswith("/") or local:
        protocol = "file"
        url = str(Path(source).resolve())  # existence is git's to check, and only if needed
    else:
        raise BadTargetError(
            f"Refusing the source {source!r}: give an https:// URL or an absolute path."
        )
    allowed = {"https"} | {_template_protocol(template)}
    if local:
        allowed.add("file")
    if protocol not in allowed:
        raise BadTargetError(
            f"Refusing the source: {protocol} is not allowed here (allowed: "
            f"{', '.join(sorted(allowed))}; set by REVIEWER_CLONE_URL_TEMPLATE)."
        )
    return url, protocol


def _check_local_source(url: str, named: bool) -> None:
    """Refuse a local repository that makes git read files outside it: a ``.git`` file, a
    ``commondir`` (linked work tree), alternates, included configuration, or a symlinked
    ``config``/``objects``/``refs``. git would follow each when serving the fetch. The path is
    ``named`` in the message only when the operator gave it (not one built from a template)."""
    path = Path(url.removeprefix("file://"))
    if not path.is_dir():
        return  # git says what is wrong with it
    what = str(path) if named else "the repository"
    git_dir = path
    dot_git = path / ".git"
    if dot_git.is_symlink() or dot_git.is_file():
        raise BadTargetError(
            f"Refusing {what}: its .git is a link or a file pointing elsewhere. Inspect the "
            "repository it points to, or a standalone copy (git clone --bare --no-local)."
        )
    if dot_git.is_dir():
        git_dir = dot_git
    reasons = [name for name in _OUTSIDE_POINTERS if (git_dir / name).exists()]
    reasons += [
        f"a symlinked {name}"
        for name in ("config", "objects", "refs", "packed-refs", "HEAD")
        if (git_dir / name).is_symlink()
    ]
    config = git_dir / "config"
    if not reasons and config.is_file():
        with open(config, "rb") as fh:
            text = fh.read(1_000_000).decode("utf-8", "replace")
        if _INCLUDE_RE.search(text):
            reasons.append("an [include] of other configuration files")
    if reasons:
        raise BadTargetError(
            f"Refusing {what}: the repository makes git read files outside it "
            f"({', '.join(reasons)}). Inspect a standalone copy (git clone --bare --no-local)."
        )


def _template_protocol(template: str) -> str:
    """The protocol the operator's clone URL template uses: https, http or file."""
    match = SCHEME_RE.match(template)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ("https", "http", "file"):
            raise ConfigError(
                "REVIEWER_CLONE_URL_TEMPLATE must be an https://, http://, file:// URL or an "
                f"absolute path, not a {scheme}:// URL."
            )
        return scheme
    if template.startswith("/"):
        return "file"
    raise ConfigError(
        "REVIEWER_CLONE_URL_TEMPLATE must be an https://, http://, file:// URL or an absolute path."
    )


# -- git calls ----------------------------------------------------------------------------------


class _Git:
    """git with the hardened environment, one allowed protocol and the settings' limits."""

    def __init__(self, settings: Settings, protocol: str) -> None:
        self.timeout_s = settings.limits.git_timeout_s
        self.max_bytes = settings.limits.max_repo_bytes
        self._env = git_environment(git_home(settings), (protocol,))
        self._prefix = ["git", *hardening_args((protocol,))]
        for opt in FETCH_OPTIONS:
            self._prefix += ["-c", opt]
        #: options of ls-remote and fetch: a local source is served with bounded memory
        self.remote_options: tuple[str, ...] = (
            (f"--upload-pack={LOCAL_UPLOAD_PACK}",) if protocol == "file" else ()
        )

    def call(self, git_dir: Path, *args: str, watch_size: bool = False) -> GitOutput:
        argv = [*self._prefix, f"--git-dir={git_dir}", *args]

        def watch() -> None:
            _check_size(git_dir, self.max_bytes)

        return run_git(
            argv,
            self._env,
            timeout_s=self.timeout_s,
            cwd=git_dir,
            watch=watch if watch_size else None,
            max_output=LS_REMOTE_MAX_OUTPUT,
        )

    def run(self, git_dir: Path, *args: str) -> bytes:
        out = self.call(git_dir, *args)
        if out.returncode != 0:
            raise CloneError(f"git {args[0]} failed: {_redact(out.last_error_line)}")
        return out.stdout

    def has_commit(self, git_dir: Path, sha: str) -> bool:
        out = self.call(git_dir, "cat-file", "-e", f"{sha}^{{commit}}")
        return out.returncode == 0

    def head_branch(self, git_dir: Path) -> str | None:
        out = self.call(git_dir, "symbolic-ref", "--quiet", "HEAD")
        ref = out.stdout.decode("utf-8", "replace").strip()
        if out.returncode != 0 or not ref.startswith("refs/heads/"):
            return None
        return ref.removeprefix("refs/heads/")


def _update(git: _Git, git_dir: Path, url: str, want_sha: str | None) -> tuple[str | None, str]:
    """Fetch the remote default branch (full history) into ``git_dir``; return it and the pin."""
    branch, _head = _remote_head(git, git_dir, url)
    if branch is not None:
        local_ref = f"refs/heads/{branch}"
        refspec = f"+{local_ref}:{local_ref}"
    else:
        local_ref = "refs/reviewer/head"
        refspec = f"+HEAD:{local_ref}"
    _fetch(git, git_dir, url, [refspec])
    if branch is not None:
        git.run(git_dir, "symbolic-ref", "HEAD", local_ref)
    head = git.run(git_dir, "rev-parse", "--verify", "--end-of-options", f"{local_ref}^{{commit}}")
    pin = head.decode().strip()
    if want_sha is not None:
        if not git.has_commit(git_dir, want_sha):
            try:
                _fetch(git, git_dir, url, [f"{want_sha}:refs/reviewer/pins/{want_sha}"])
            except (RepositoryTooLargeError, CloneTimeoutError):
                raise
            except CloneError:
                pass  # the server does not serve that commit: reported just below
        if not git.has_commit(git_dir, want_sha):
            raise CloneError(
                f"The commit {want_sha} is no longer in the repository (the history may have "
                "been rewritten). Submit the repository again to review its current state."
            )
        pin = want_sha
    if not SHA_RE.fullmatch(pin):
        raise CloneError(f"git returned an unexpected commit id for the default branch: {pin!r}")
    return branch, pin


def _remote_head(git: _Git, git_dir: Path, url: str) -> tuple[str | None, str]:
    """The remote's default branch name (when it names a usable one) and its head SHA."""
    out = git.call(
        git_dir, "ls-remote", "--symref", *git.remote_options, "--end-of-options", url, "HEAD"
    )
    if out.returncode != 0:
        raise _fetch_error(out)
    branch: str | None = None
    head: str | None = None
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        left, _, right = line.partition("\t")
        if right != "HEAD":
            continue
        if left.startswith("ref: refs/heads/"):
            name = left.removeprefix("ref: refs/heads/")
            branch = name if BRANCH_RE.fullmatch(name) and len(name) <= 255 else None
        elif SHA_RE.fullmatch(left):
            head = left
    if head is None:
        raise CloneError(
            "The repository's default branch has no commits yet, so there is nothing to review."
        )
    return branch, head


def _fetch(git: _Git, git_dir: Path, url: str, refspecs: Sequence[str]) -> None:
    out = git.call(
        git_dir,
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-recurse-submodules",
        "--no-write-fetch-head",
        "--no-auto-gc",
        *git.remote_options,
        "--end-of-options",
        url,
        *refspecs,
        watch_size=True,
    )
    if out.returncode != 0:
        raise _fetch_error(out)
    _check_size(git_dir, git.max_bytes)


def _fetch_error(out: GitOutput) -> CloneError:
    text = out.stderr.lower()
    detail = _redact(out.last_error_line)
    if any(
        s in text
        for s in (
            "terminal prompts disabled",
            "could not read username",
            "authentication failed",
            "could not read password",
        )
    ):
        return CloneError(
            "The repository could not be fetched: the server asks for credentials, so it is "
            "private or does not exist. Make it public (or check the address) and try again."
        )
    if "not allowed" in text and "transport" in text:
        return CloneError(f"git refused a protocol that is not allowed here ({detail}).")
    fsck = re.search(r"error: object [0-9a-f]+: (\w+): ([^\n]*)", out.stderr)
    if fsck or "fsck" in text:
        what = f"{fsck.group(1)}: {fsck.group(2).strip()}" if fsck else detail
        return CloneError(
            "git's integrity checks rejected the repository's content, so it was not "
            f"inspected: it is malformed or crafted to attack git ({_redact(what)})."
        )
    if any(s in text for s in ("possible repository corruption", "unable to read", "missing blob")):
        return CloneError(
            "The repository's source is incomplete or damaged: git could not read some of its "
            f"objects (a snapshot without its large files looks like this) ({detail})."
        )
    if any(
        s in text
        for s in (
            "not found",
            "does not appear to be a git repository",
            "does not exist",
            "no such file or directory",
        )
    ):
        return CloneError(
            f"The repository was not found at its source; check the address ({detail})."
        )
    return CloneError(f"git could not fetch the repository: {detail}")


# -- the mirror on disk -------------------------------------------------------------------------


def _is_mirror(git_dir: Path) -> bool:
    return (
        git_dir.is_dir()
        and not git_dir.is_symlink()
        and (git_dir / "HEAD").is_file()
        and (git_dir / "objects").is_dir()
    )


def _check_size(git_dir: Path, max_bytes: int) -> None:
    size = _tree_bytes(git_dir / "objects")
    if size > max_bytes:
        raise RepositoryTooLargeError(
            f"The repository is larger than {_human(max_bytes)}, the limit set for reviews, "
            "so it was not fetched. Remove large files from its history, or ask the program "
            "staff to raise the limit."
        )


def _tree_bytes(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except FileNotFoundError:  # git renamed or removed it meanwhile
                pass
    return total


def _sweep_temporary_packs(git_dir: Path) -> None:
    """Remove what a killed fetch leaves (``tmp_pack_*``, ``tmp_idx_*``, quarantines)."""
    pack_dir = git_dir / "objects" / "pack"
    for pattern in ("tmp_*", ".tmp-*"):
        for leftover in pack_dir.glob(pattern):
            leftover.unlink(missing_ok=True)
    for quarantine in (git_dir / "objects").glob("incoming-*"):
        shutil.rmtree(quarantine, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _exclusive(lock_path: Path, wait_s: float) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_path`` (one fetcher per mirror across processes)."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CloneTimeoutError(
                        "Another review is still fetching this repository; try again shortly."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _redact(text: str) -> str:
    """Hide credentials an operator may have put in the clone URL template."""
    return re.sub(r"(://)[^/@\s]+@", r"\1***@", text)


def _human(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"  # pragma: no cover
