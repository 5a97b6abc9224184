"""fetch_mirror: pinning, the mirror cache, limits, refusals, prompts, timeouts, concurrency.

Every repository is real and local: ``Settings(clone_url_template=str(forge/"{owner}"/
"{name}.git"))`` makes the fetch read ``forge/Owner/Name.git`` (see ``forge_settings``).
"""

from __future__ import annotations

import fcntl
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gitrepo import commit, git, make_repo, publish

from reviewer.errors import BadTargetError, CloneError, CloneTimeoutError, RepositoryTooLargeError
from reviewer.git.fetch import FetchResult, fetch_mirror, open_store
from reviewer.report import RepoRef
from reviewer.settings import Limits, Settings
from reviewer.targets import clone_url, local_key

REF = RepoRef("github.com", "Owner", "Name")


def forge_settings(tmp_path: Path, **limits: float) -> Settings:
    """Settings whose clone URLs point at ``tmp_path/forge/{owner}/{name}.git``."""
    return Settings(
        data_dir=tmp_path / "data",
        clone_url_template=str(tmp_path / "forge" / "{owner}" / "{name}.git"),
        limits=Limits(**limits),  # type: ignore[arg-type]
    )


def fetch(settings: Settings, ref: RepoRef = REF, **kwargs: object) -> FetchResult:
    return fetch_mirror(clone_url(ref, settings.clone_url_template), ref.key(), settings, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A small project, published as Owner/Name in the forge."""
    repo = make_repo(
        tmp_path / "work",
        {"README.md": "# Project\n", "src/model.py": "def fit():\n    return 1\n"},
        commits=[
            {"files": {"tests/test_model.py": "def test(): pass\n"}, "message": "tests",
             "author_email": "bob@example.org", "date": "2024-02-01T09:00:00+00:00"},
        ],
    )  # fmt: skip
    publish(repo, tmp_path / "forge", "Owner", "Name")
    return repo


def mirror_leftovers(settings: Settings) -> list[str]:
    if not settings.mirror_dir.exists():
        return []
    names = [p.name for p in settings.mirror_dir.iterdir() if not p.name.endswith(".lock")]
    scratch = settings.mirror_dir / ".tmp"
    if scratch.exists():
        names.remove(".tmp")
        names += [f".tmp/{p.name}" for p in scratch.iterdir()]
    return sorted(names)


# -- pinning and the cache ------------------------------------------------------------------------


def test_fetch_mirror_pins_default_branch_head_when_first_fetched(
    tmp_path: Path, work: Path
) -> None:
    settings = forge_settings(tmp_path)
    result = fetch(settings)
    assert result.head_sha == git(work, "rev-parse", "HEAD").strip()
    assert result.default_branch == "main"
    assert result.reused is False
    assert result.git_dir == settings.mirror_dir / "github.com+owner+name.git"
    with open_store(result, settings) as store:
        assert store.history(result.head_sha).commit_count == 2
        paths = {e.path for e in store.tree(result.head_sha)}
    assert paths == {"README.md", "src/model.py", "tests/test_model.py"}
    # bare: nothing of the repository is written as files
    assert not (result.git_dir / "README.md").exists()
    assert not (result.git_dir / "src").exists()


def test_fetch_mirror_follows_remote_default_branch_when_not_main(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "w", {"a.txt": "trunk"}, branch="trunk")
    trunk = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "newer")
    commit(repo, {"a.txt": "newer"}, "on another branch")
    git(repo, "checkout", "-q", "trunk")
    publish(repo, tmp_path / "forge", "Owner", "Name")
    result = fetch(forge_settings(tmp_path))
    assert (result.default_branch, result.head_sha) == ("trunk", trunk)


def test_fetch_mirror_updates_incrementally_when_mirror_exists(tmp_path: Path, work: Path) -> None:
    settings = forge_settings(tmp_path)
    first = fetch(settings)
    new_sha = commit(work, {"NOTES.md": "more\n"}, "more")
    git(work, "push", "-q", str(tmp_path / "forge" / "Owner" / "Name.git"), "main")
    second = fetch(settings)
    assert second.git_dir == first.git_dir
    assert second.head_sha == new_sha != first.head_sha
    assert second.reused is False
    with open_store(second, settings) as store:
        assert store.has_commit(first.head_sha) and store.has_commit(new_sha)


def test_fetch_mirror_reuses_without_network_when_pin_is_present(
    tmp_path: Path, work: Path
) -> None:
    settings = forge_settings(tmp_path)
    first = fetch(settings)
    (tmp_path / "forge" / "Owner" / "Name.git").rename(tmp_path / "gone.git")  # no source now
    again = fetch(settings, want_sha=first.head_sha)
    assert again == FetchResult(first.git_dir, first.head_sha, "main", reused=True)
    with pytest.raises(CloneError, match="not found"):
        fetch(settings)  # without a pin the source is needed, and it is gone


def test_fetch_mirror_fetches_pin_when_not_on_default_branch(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "w", {"a.txt": "1"})
    git(repo, "checkout", "-q", "-b", "side")
    side = commit(repo, {"b.txt": "2"}, "side work")
    git(repo, "checkout", "-q", "main")
    publish(repo, tmp_path / "forge", "Owner", "Name")
    result = fetch(forge_settings(tmp_path), want_sha=side)
    assert result.head_sha == side and result.default_branch == "main"


def test_fetch_mirror_raises_when_pin_is_gone(tmp_path: Path, work: Path) -> None:
    with pytest.raises(CloneError, match="no longer in the repository"):
        fetch(forge_settings(tmp_path), want_sha="0123456789" * 4)


def test_fetch_mirror_raises_clearly_when_repository_has_no_commits(tmp_path: Path) -> None:
    (tmp_path / "forge" / "Owner").mkdir(parents=True)
    git(tmp_path, "init", "-q", "--bare", str(tmp_path / "forge" / "Owner" / "Name.git"))
    settings = forge_settings(tmp_path)
    with pytest.raises(CloneError, match="no commits yet"):
        fetch(settings)
    assert mirror_leftovers(settings) == []


def test_fetch_mirror_leaves_nothing_when_first_fetch_fails(tmp_path: Path) -> None:
    settings = forge_settings(tmp_path)
    (tmp_path / "forge" / "Owner" / "Name.git").mkdir(parents=True)  # exists, not a repository
    with pytest.raises(CloneError, match="not found"):
        fetch(settings)
    assert mirror_leftovers(settings) == []


def test_fetch_mirror_explains_when_source_is_missing_objects(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "w", {"small.txt": "a", "large.bin": "left out of a snapshot"})
    oid = git(repo, "rev-parse", "HEAD:large.bin").strip()
    (repo / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(CloneError, match="incomplete or damaged"):
        fetch_mirror(str(repo), "local+broken", settings, local=True)
    assert mirror_leftovers(settings) == []


def test_fetch_mirror_sweeps_debris_when_a_previous_run_was_killed(
    tmp_path: Path, work: Path
) -> None:
    settings = forge_settings(tmp_path)
    settings.mirror_dir.mkdir(parents=True)
    stale = settings.mirror_dir / ".tmp" / REF.key() / "abc123"
    (stale / "objects").mkdir(parents=True)
    other = settings.mirror_dir / ".tmp" / f"{REF.key()}.tmp-x" / "in-progress"
    other.mkdir(parents=True)  # another key's fetch in progress (a name that extends ours)
    broken = settings.mirror_dir / f"{REF.key()}.git"
    broken.mkdir()  # a mirror directory without HEAD: unusable
    result = fetch(settings)
    assert not stale.exists() and other.exists()
    assert mirror_leftovers(settings) == [f".tmp/{REF.key()}.tmp-x", f"{REF.key()}.git"]
    with open_store(result, settings) as store:
        assert store.resolve("HEAD") == result.head_sha


def test_fetch_mirror_reads_local_work_tree_when_local(
    tmp_path: Path, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path / "data")  # https template: local is an explicit opt-in
    monkeypatch.chdir(tmp_path)
    result = fetch_mirror("work", local_key(work), settings, local=True)  # relative path
    assert result.head_sha == git(work, "rev-parse", "HEAD").strip()
    assert result.git_dir.name == f"{local_key(work)}.git"


def test_fetch_mirror_reads_file_url_when_template_is_file_url(tmp_path: Path, work: Path) -> None:
    template = (tmp_path / "forge").as_uri() + "/{owner}/{name}.git"
    settings = Settings(data_dir=tmp_path / "data", clone_url_template=template)
    assert fetch(settings).head_sha == git(work, "rev-parse", "HEAD").strip()


# -- refusals: nothing reaches git ----------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    ["--upload-pack=touch /tmp/reviewer-pwned", "-u/tmp/x", "--config=core.sshCommand=x",
     "ext::sh -c touch% /tmp/reviewer-pwned", "fd::7", "transport::anything",
     "ssh://git@github.com/Owner/Name.git", "git://github.com/Owner/Name.git",
     "git@github.com:Owner/Name.git", "relative/path", "https://github.com/O/N\n--upload-pack=x",
     "", "https://github.com/O/N\x00"],
    ids=["upload-pack", "short-option", "config-option", "ext", "fd", "helper", "ssh", "git",
         "scp-style", "relative", "newline", "empty", "nul"],
)  # fmt: skip
def test_fetch_mirror_refuses_source_when_it_is_not_an_allowed_url(
    tmp_path: Path, source: str
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(BadTargetError):
        fetch_mirror(source, "k", settings)
    assert not Path("/tmp/reviewer-pwned").exists()
    assert mirror_leftovers(settings) == []


@pytest.mark.parametrize(
    ("template", "source"),
    [("https://{host}/{owner}/{name}.git", "/srv/repos/Owner/Name.git"),
     ("https://{host}/{owner}/{name}.git", "file:///srv/repos/Owner/Name.git"),
     ("https://{host}/{owner}/{name}.git", "http://github.com/Owner/Name.git"),
     ("/srv/repos/{owner}/{name}.git", "http://github.com/Owner/Name.git")],
    ids=["path-under-https-template", "file-url-under-https-template", "http-under-https",
         "http-under-path-template"],
)  # fmt: skip
def test_fetch_mirror_refuses_protocol_when_template_does_not_use_it(
    tmp_path: Path, template: str, source: str
) -> None:
    settings = Settings(data_dir=tmp_path / "data", clone_url_template=template)
    with pytest.raises(BadTargetError, match="not allowed"):
        fetch_mirror(source, "k", settings)


@pytest.mark.parametrize(
    "key",
    ["", "-x", "--upload-pack=x", "../escape", "a/b", ".hidden", "a b", "k\n"],
    ids=["empty", "dash", "option", "traversal", "slash", "dot", "space", "newline"],
)
def test_fetch_mirror_refuses_key_when_not_a_plain_name(tmp_path: Path, key: str) -> None:
    with pytest.raises(BadTargetError, match="mirror key"):
        fetch_mirror("https://github.com/O/N.git", key, Settings(data_dir=tmp_path))


@pytest.mark.parametrize(
    "want",
    ["--upload-pack=x", "HEAD", "main", "abc123", "0" * 39, "G" * 40, "0" * 40 + "\n"],
    ids=["option", "head", "branch", "short", "39-hex", "not-hex", "newline"],
)
def test_fetch_mirror_refuses_pin_when_not_a_full_sha(tmp_path: Path, want: str) -> None:
    with pytest.raises(BadTargetError, match="full hexadecimal SHA"):
        fetch_mirror("https://github.com/O/N.git", "k", Settings(data_dir=tmp_path), want_sha=want)


# -- limits ---------------------------------------------------------------------------------------


def test_fetch_mirror_raises_too_large_and_leaves_nothing_when_repo_exceeds_cap(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path / "w", {"data/weights.bin": os.urandom(3_000_000)})
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = forge_settings(tmp_path, max_repo_bytes=1_000_000)
    with pytest.raises(RepositoryTooLargeError, match="larger than 1.0 MB"):
        fetch(settings)
    assert mirror_leftovers(settings) == []


def test_fetch_mirror_drops_mirror_when_an_update_exceeds_cap(tmp_path: Path, work: Path) -> None:
    settings = forge_settings(tmp_path, max_repo_bytes=1_000_000)
    fetch(settings)
    commit(work, {"big.bin": os.urandom(2_000_000)}, "add a big file")
    git(work, "push", "-q", str(tmp_path / "forge" / "Owner" / "Name.git"), "main")
    with pytest.raises(RepositoryTooLargeError):
        fetch(settings)
    assert mirror_leftovers(settings) == []


def test_fetch_mirror_fails_fast_when_server_asks_for_credentials(tmp_path: Path) -> None:
    class AskForPassword(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="private"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), AskForPassword)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        settings = Settings(
            data_dir=tmp_path / "data",
            clone_url_template=f"http://127.0.0.1:{port}/{{owner}}/{{name}}.git",
            limits=Limits(git_timeout_s=30),
        )
        started = time.monotonic()
        with pytest.raises(CloneError, match="asks for credentials") as info:
            fetch(settings)
        assert time.monotonic() - started < 5
        assert not isinstance(info.value, CloneTimeoutError)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert mirror_leftovers(settings) == []


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline:
            found.append(int(entry.name))
    return found


def test_fetch_mirror_kills_git_and_helpers_when_server_never_answers(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # connections complete in the kernel; nothing is ever sent back
        port = silent.getsockname()[1]
        settings = Settings(
            data_dir=tmp_path / "data",
            clone_url_template=f"http://127.0.0.1:{port}/{{owner}}/{{name}}.git",
            limits=Limits(git_timeout_s=0.5),
        )
        started = time.monotonic()
        with pytest.raises(CloneTimeoutError, match="longer than 0.5 s"):
            fetch(settings)
        assert time.monotonic() - started < 3
        assert _processes_mentioning(f"127.0.0.1:{port}") == []  # git-remote-http is gone too
    assert mirror_leftovers(settings) == []


# -- inherited environment ------------------------------------------------------------------------


def test_fetch_mirror_ignores_inherited_git_variables(
    tmp_path: Path, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = tmp_path / "evil-hooks"
    hooks.mkdir()
    marker = tmp_path / "MARKER"
    for name in ("reference-transaction", "post-checkout", "post-merge"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / name).chmod(0o755)
    for name, value in {
        "GIT_DIR": str(tmp_path / "elsewhere"),
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.hooksPath",
        "GIT_CONFIG_VALUE_0": str(hooks),
        "GIT_CONFIG_PARAMETERS": f"'core.hookspath'='{hooks}'",
        "GIT_ALLOW_PROTOCOL": "ext:file:https:ssh",
        "GIT_TERMINAL_PROMPT": "1",
        "GIT_SSH_COMMAND": f"touch {marker}",
        "GIT_NO_LAZY_FETCH": "0",
        "GIT_TEMPLATE_DIR": str(tmp_path / "evil-template"),
    }.items():
        monkeypatch.setenv(name, value)
    settings = forge_settings(tmp_path)
    result = fetch(settings)
    assert result.head_sha == git(work, "rev-parse", "HEAD").strip()
    assert not marker.exists()
    assert not (result.git_dir / "hooks").exists()  # init ran with an empty template


# -- concurrency ----------------------------------------------------------------------------------


def test_fetch_mirror_waits_for_lock_when_another_process_holds_it(
    tmp_path: Path, work: Path
) -> None:
    settings = forge_settings(tmp_path)
    settings.mirror_dir.mkdir(parents=True)
    lock = os.open(settings.mirror_dir / f"{REF.key()}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    results: list[FetchResult] = []
    worker = threading.Thread(target=lambda: results.append(fetch(settings)))
    try:
        worker.start()
        time.sleep(0.3)
        assert worker.is_alive() and not results  # blocked on the lock
        assert mirror_leftovers(settings) == []
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
        worker.join(timeout=10)
    assert results and results[0].head_sha == git(work, "rev-parse", "HEAD").strip()


def test_fetch_mirror_gives_up_waiting_when_lock_is_held_too_long(
    tmp_path: Path, work: Path
) -> None:
    settings = forge_settings(tmp_path, git_timeout_s=0.1)
    settings.mirror_dir.mkdir(parents=True)
    lock = os.open(settings.mirror_dir / f"{REF.key()}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with pytest.raises(CloneTimeoutError, match="Another review"):
            fetch(settings)
    finally:
        os.close(lock)


def test_fetch_mirror_keeps_mirror_intact_when_two_processes_fetch_at_once(
    tmp_path: Path, work: Path
) -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from reviewer.settings import Settings\n"
        "from reviewer.git.fetch import fetch_mirror\n"
        "s = Settings(data_dir=Path(sys.argv[1]), clone_url_template=sys.argv[2])\n"
        "r = fetch_mirror(sys.argv[3], 'github.com+owner+name', s)\n"
        "print(r.head_sha)\n"
    )
    settings = forge_settings(tmp_path)
    source = clone_url(REF, settings.clone_url_template)
    argv = [sys.executable, "-c", code, str(settings.data_dir), settings.clone_url_template, source]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in (1, 2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    head = git(work, "rev-parse", "HEAD").strip()
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
        assert out.decode().strip() == head
    mirror = settings.mirror_dir / f"{REF.key()}.git"
    git(mirror, "fsck", "--strict", "--no-dangling")
    assert mirror_leftovers(settings) == [mirror.name]


@pytest.fixture(autouse=True)
def _no_leftover_marker() -> Iterator[None]:
    yield
    assert not Path("/tmp/reviewer-pwned").exists()
