"""Hostile repositories and known attacks against git users: none may run code, read or write
outside the workspace, or exhaust the machine.

Each attack writes a marker file if it succeeds; where a control is cheap, the test first shows
that the same repository *does* run the payload under a naive git command, so the assertion
that our fetch does not is meaningful.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from gitrepo import commit, git, git_env, make_repo, publish

from reviewer.errors import BadTargetError, CloneError, RepositoryTooLargeError
from reviewer.git.env import git_environment, hardening_args
from reviewer.git.fetch import FetchResult, fetch_mirror, open_store
from reviewer.report import RepoRef
from reviewer.settings import Settings
from reviewer.targets import clone_url

REF = RepoRef("github.com", "Owner", "Name")
HOOK_NAMES = (
    "pre-commit", "post-commit", "post-checkout", "post-merge", "post-rewrite", "pre-push",
    "pre-receive", "update", "post-receive", "post-update", "reference-transaction",
    "push-to-checkout", "pre-auto-gc", "fsmonitor-watchman", "post-index-change",
)  # fmt: skip


def payload(tmp_path: Path, marker: Path, then: str = "exit 0") -> Path:
    """An executable that records it ran by creating ``marker``, then runs ``then``."""
    script = tmp_path / "payload.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n{then}\n")
    script.chmod(0o755)
    return script


def install_hooks(hooks_dir: Path, marker: Path) -> None:
    hooks_dir.mkdir(parents=True, exist_ok=True)
    for name in HOOK_NAMES:
        hook = hooks_dir / name
        hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
        hook.chmod(0o755)


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        clone_url_template=str(tmp_path / "forge" / "{owner}" / "{name}.git"),
    )


def forge_path(tmp_path: Path) -> Path:
    return tmp_path / "forge" / "Owner" / "Name.git"


def fetch_and_read_everything(settings: Settings) -> FetchResult:
    """Fetch Owner/Name and use every read operation the inspection uses on it."""
    result = fetch_mirror(clone_url(REF, settings.clone_url_template), REF.key(), settings)
    with open_store(result, settings) as store:
        for entry in store.tree(result.head_sha):
            if not entry.is_submodule:
                store.read(entry.oid, 1_000_000)
        store.history(result.head_sha)
        store.resolve("HEAD")
    return result


def files_under(root: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + dirnames:
            yield Path(dirpath) / name


def assert_plain_mirror(git_dir: Path) -> None:
    """Only git's own bookkeeping: no work tree, no submodule repositories, no hooks, no links."""
    assert {p.name for p in git_dir.iterdir()} <= {
        "HEAD", "config", "description", "objects", "refs", "packed-refs", "info", "logs",
        "shallow", "FETCH_HEAD",
    }  # fmt: skip
    assert not any(p.is_symlink() for p in files_under(git_dir))


def hardened_git(
    tmp_path: Path, *args: str, protocols: tuple[str, ...]
) -> subprocess.CompletedProcess[bytes]:
    """A git command with our environment and -c options, as reviewer.git runs them."""
    return subprocess.run(
        ["git", *hardening_args(protocols), *args],
        env=git_environment(tmp_path / "home", protocols),
        capture_output=True,
        cwd=tmp_path,
        timeout=30,
        check=False,
    )


# -- CVE-2022-24439 (GitPython) and its option-injection siblings ---------------------------------


@pytest.mark.parametrize(
    "source",
    ["ext::sh -c touch% {marker}", "ext::sh -c 'touch {marker}'", "--upload-pack=touch {marker}",
     "-u touch {marker}", "--config=core.sshCommand=touch {marker}"],
    ids=["ext", "ext-quoted", "upload-pack", "upload-pack-short", "config"],
)  # fmt: skip
def test_fetch_never_runs_command_when_source_is_an_injection(tmp_path: Path, source: str) -> None:
    marker = tmp_path / "MARKER"
    with pytest.raises(BadTargetError):
        fetch_mirror(source.format(marker=marker), "k", settings_for(tmp_path))
    assert not marker.exists()


@pytest.mark.parametrize("protocols", [("https",), ("file",), ()], ids=["https", "file", "none"])
def test_hardened_git_refuses_ext_transport_even_when_called_directly(
    tmp_path: Path, protocols: tuple[str, ...]
) -> None:
    marker = tmp_path / "MARKER"
    done = hardened_git(tmp_path, "ls-remote", f"ext::sh -c touch% {marker}", protocols=protocols)
    assert done.returncode != 0
    assert b"not allowed" in done.stderr
    assert not marker.exists()


def test_fetch_ignores_submodule_when_its_url_is_an_ext_command(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    repo = make_repo(
        tmp_path / "w", {"README.md": "x"}, submodules={"lib": f"ext::sh -c touch% {marker}"}
    )
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    assert not marker.exists()
    with open_store(result, settings) as store:
        entries = {e.path: e for e in store.tree(result.head_sha)}
    assert entries["lib"].is_submodule
    assert_plain_mirror(result.git_dir)


def test_hardened_env_refuses_ext_submodule_even_in_a_recursive_clone(tmp_path: Path) -> None:
    """Defence in depth: were a recursive clone ever added, the environment still blocks ext::."""
    marker = tmp_path / "MARKER"
    repo = make_repo(
        tmp_path / "w", {"README.md": "x"}, submodules={"lib": f"ext::sh -c touch% {marker}"}
    )
    hardened_git(
        tmp_path, "clone", "--recurse-submodules", "--", str(repo), str(tmp_path / "out"),
        protocols=("file",),
    )  # fmt: skip
    assert not marker.exists()


# -- CVE-2024-32002: submodule + symlink to .git, hooks smuggled in a submodule -----------------


def test_fetch_never_runs_hook_when_repo_combines_submodule_and_git_symlink(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    hook_repo = make_repo(
        tmp_path / "hook", {"y/hooks/post-checkout": f"#!/bin/sh\ntouch {marker}\n"}
    )
    git(hook_repo, "update-index", "--chmod=+x", "y/hooks/post-checkout")
    hook_head = commit(hook_repo, {}, "make the hook executable")
    repo = make_repo(
        tmp_path / "w",
        {"README.md": "x"},
        symlinks={"a": ".git"},
        submodules={"A/modules/x": str(hook_repo)},
    )
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    assert not marker.exists()
    with open_store(result, settings) as store:
        entries = {e.path: e for e in store.tree(result.head_sha)}
        assert entries["a"].is_symlink and store.read(entries["a"].oid, 100) == b".git"
        assert entries["A/modules/x"].is_submodule
        assert not store.has_commit(hook_head)  # the submodule's content was never fetched
    assert_plain_mirror(result.git_dir)


# -- CVE-2024-32004: a crafted local source runs commands through its own configuration ---------


def test_fetch_never_lazy_fetches_when_local_source_is_a_crafted_partial_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "MARKER"
    origin = make_repo(tmp_path / "origin", {"data.txt": "the blob the evil repo lacks\n"})
    git(origin, "config", "uploadpack.allowFilter", "true")
    evil_upload_pack = payload(tmp_path, marker, then='exec git-upload-pack "$@"')

    def crafted(dest: Path) -> Path:
        """A partial clone missing its blobs, whose promisor runs ``evil_upload_pack``."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        git(tmp_path, "clone", "-q", "--bare", "--filter=blob:none", origin.as_uri(), str(dest))
        git(dest, "config", "remote.origin.uploadpack", str(evil_upload_pack))
        return dest

    # control: a naive fetch that lets the source lazy-fetch runs the payload
    naive = tmp_path / "naive.git"
    git(tmp_path, "init", "-q", "--bare", str(naive))
    env = {**git_env(), "GIT_NO_LAZY_FETCH": "0"}
    control = crafted(tmp_path / "control.git")
    git(naive, "fetch", "-q", str(control), "+refs/heads/main:refs/heads/main", env=env)
    assert marker.exists()
    marker.unlink()

    crafted(forge_path(tmp_path))
    monkeypatch.setenv("GIT_NO_LAZY_FETCH", "0")  # even when the caller's environment invites it
    settings = settings_for(tmp_path)
    with pytest.raises(CloneError):
        fetch_mirror(clone_url(REF, settings.clone_url_template), REF.key(), settings)
    assert not marker.exists()
    assert not (settings.mirror_dir / f"{REF.key()}.git").exists()


def test_fetch_never_runs_commands_from_local_source_configuration(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    evil = payload(tmp_path, marker)
    repo = make_repo(tmp_path / "w", {"a.py": "x = 1\n", ".gitattributes": "* filter=evil\n"})
    for key, value in {
        "core.fsmonitor": str(evil), "core.sshCommand": str(evil), "core.pager": str(evil),
        "core.editor": str(evil), "core.askPass": str(evil), "credential.helper": f"!{evil}",
        "uploadpack.packObjectsHook": str(evil), "core.alternateRefsCommand": str(evil),
        "gpg.program": str(evil), "log.showSignature": "true", "diff.external": str(evil),
        "filter.evil.smudge": str(evil), "filter.evil.clean": str(evil),
        "filter.evil.process": str(evil), "filter.evil.required": "true",
        "core.hooksPath": str(tmp_path / "evil-hooks"),
    }.items():  # fmt: skip
        git(repo, "config", key, value)
    install_hooks(tmp_path / "evil-hooks", marker)
    install_hooks(repo / ".git" / "hooks", marker)
    settings = Settings(data_dir=tmp_path / "data")
    result = fetch_mirror(str(repo), "local+test", settings, local=True)
    with open_store(result, settings) as store:
        for entry in store.tree(result.head_sha):
            store.read(entry.oid, 1000)
        store.history(result.head_sha)
    assert not marker.exists()
    assert_plain_mirror(result.git_dir)


def test_fetch_never_runs_hooks_when_source_hooks_dir_is_a_symlink(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    install_hooks(tmp_path / "elsewhere", marker)
    repo = make_repo(tmp_path / "w", {"a.txt": "a"})
    hooks = repo / ".git" / "hooks"
    for sample in hooks.iterdir():
        sample.unlink()
    hooks.rmdir()
    hooks.symlink_to(tmp_path / "elsewhere")
    publish(repo, tmp_path / "forge", "Owner", "Name")
    install_hooks(forge_path(tmp_path) / "hooks", marker)  # the served copy has them too
    settings = settings_for(tmp_path)
    fetch_and_read_everything(settings)
    commit(repo, {"b.txt": "b"}, "second")
    git(repo, "push", "-q", "--no-verify", str(forge_path(tmp_path)), "main")
    marker.unlink(missing_ok=True)  # the plain push above ran the forge's own receive hooks
    fetch_and_read_everything(settings)  # an incremental fetch updates refs too
    assert not marker.exists()


def test_fetch_never_runs_hook_planted_in_the_mirror(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    repo = make_repo(tmp_path / "w", {"a.txt": "a"})
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    install_hooks(result.git_dir / "hooks", marker)
    commit(repo, {"b.txt": "b"}, "second")
    git(repo, "push", "-q", str(forge_path(tmp_path)), "main")
    fetch_and_read_everything(settings)  # updates a ref: reference-transaction would fire
    assert not marker.exists()
    # control: the planted hook is live for plain git
    git(result.git_dir, "update-ref", "refs/heads/control", "HEAD")
    assert marker.exists()


# -- filters and LFS: nothing is ever smudged ----------------------------------------------------


def test_store_returns_raw_bytes_when_filter_and_lfs_drivers_are_configured(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "MARKER"
    evil = payload(tmp_path, marker)
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 9\n"
    repo = make_repo(
        tmp_path / "w",
        {".gitattributes": "*.txt filter=evil\n*.bin filter=lfs diff=lfs merge=lfs -text\n",
         "notes.txt": "raw text\n", "model.bin": pointer},
    )  # fmt: skip
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    # even a filter configured inside the mirror itself is never applied by the store
    git(result.git_dir, "config", "filter.evil.smudge", str(evil))
    git(result.git_dir, "config", "filter.evil.process", str(evil))
    git(result.git_dir, "config", "filter.lfs.smudge", str(evil))
    git(result.git_dir, "config", "filter.lfs.process", str(evil))
    with open_store(result, settings) as store:
        blobs = {e.path: store.read(e.oid, 10_000) for e in store.tree(result.head_sha)}
    assert blobs["notes.txt"] == b"raw text\n"
    assert blobs["model.bin"] == pointer.encode()
    assert not marker.exists()


# -- CVE-2022-39253: local sources cannot leak files through objects/ or file:// submodules ------


def test_fetch_copies_no_outside_file_when_source_objects_dir_has_symlinks(
    tmp_path: Path,
) -> None:
    secret = b"SECRET-TOKEN-1234567890\n"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ("c" * 38)).write_bytes(secret)
    (outside / "id_rsa").write_bytes(secret)
    repo = make_repo(tmp_path / "w", {"a.txt": "a"})
    publish(repo, tmp_path / "forge", "Owner", "Name")
    objects = forge_path(tmp_path) / "objects"
    (objects / "cc").symlink_to(outside)
    (objects / "info" / "linked").symlink_to(outside / "id_rsa")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    assert_plain_mirror(result.git_dir)
    for path in files_under(result.git_dir):
        if path.is_file():
            assert secret not in path.read_bytes(), path


def test_fetch_never_follows_file_url_submodule_to_a_private_repo(tmp_path: Path) -> None:
    private = make_repo(tmp_path / "private", {"secret.txt": "SECRET\n"})
    private_head = git(private, "rev-parse", "HEAD").strip()
    repo = make_repo(tmp_path / "w", {"a.txt": "a"}, submodules={"vendor": private.as_uri()})
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    with open_store(result, settings) as store:
        assert not store.has_commit(private_head)
    assert not (result.git_dir / "modules").exists()


# -- fsck on transfer ---------------------------------------------------------------------------


def _raw_tree(git_dir: Path, entries: list[tuple[str, bytes, str]]) -> str:
    """Write a tree object byte by byte (names git itself would refuse to create)."""
    data = b"".join(
        mode.encode() + b" " + name + b"\0" + bytes.fromhex(oid) for mode, name, oid in entries
    )
    argv = ["git", f"--git-dir={git_dir}", "hash-object", "-t", "tree", "-w", "--literally"]
    done = subprocess.run(
        [*argv, "--stdin"], input=data, env=git_env(), capture_output=True, check=True
    )
    return done.stdout.decode().strip()


def _blob(git_dir: Path, content: bytes) -> str:
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", "hash-object", "-w", "--stdin"],
        input=content, env=git_env(), capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout.decode().strip()


def _hostile_forge(tmp_path: Path, shape: str) -> Path:
    bare = forge_path(tmp_path)
    bare.parent.mkdir(parents=True)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    hook = _blob(bare, b"#!/bin/sh\ntouch MARKER\n")
    if shape == "dotgit":
        hooks = _raw_tree(bare, [("100755", b"post-checkout", hook)])
        dotgit = _raw_tree(bare, [("40000", b"hooks", hooks)])
        root = _raw_tree(bare, [("40000", b".git", dotgit)])
    elif shape == "dotgit-case":
        hooks = _raw_tree(bare, [("100755", b"post-checkout", hook)])
        dotgit = _raw_tree(bare, [("40000", b"hooks", hooks)])
        root = _raw_tree(bare, [("40000", b".GIT", dotgit)])
    elif shape == "dotdot":
        root = _raw_tree(bare, [("100644", b"..", hook)])
    elif shape == "slash":
        root = _raw_tree(bare, [("100644", b"../../etc/cron.d/x", hook)])
    elif shape == "gitmodules-symlink":
        root = _raw_tree(bare, [("120000", b".gitmodules", _blob(bare, b"/etc/passwd"))])
    elif shape == "gitmodules-option-url":
        mods = b'[submodule "x"]\n\tpath = x\n\turl = --upload-pack=touch MARKER\n'
        root = _raw_tree(bare, [("100644", b".gitmodules", _blob(bare, mods))])
    else:  # pragma: no cover
        raise AssertionError(shape)
    sha = git(bare, "commit-tree", "-m", "hostile", root).strip()
    git(bare, "update-ref", "refs/heads/main", sha)
    return bare


@pytest.mark.parametrize(
    ("shape", "check"),
    [("dotgit", "hasDotgit"), ("dotgit-case", "hasDotgit"), ("dotdot", "hasDotdot"),
     ("slash", "fullPathname"), ("gitmodules-symlink", "gitmodulesSymlink"),
     ("gitmodules-option-url", "gitmodulesUrl")],
    ids=["dotgit", "dotgit-case", "dotdot", "slash-in-name", "gitmodules-symlink",
         "gitmodules-option-url"],
)  # fmt: skip
def test_fetch_refuses_clearly_when_fsck_rejects_objects(
    tmp_path: Path, shape: str, check: str
) -> None:
    _hostile_forge(tmp_path, shape)
    settings = settings_for(tmp_path)
    with pytest.raises(CloneError, match="integrity checks") as info:
        fetch_mirror(clone_url(REF, settings.clone_url_template), REF.key(), settings)
    assert check in str(info.value)
    assert [p.name for p in settings.mirror_dir.iterdir() if p.name != ".tmp"] == [
        f"{REF.key()}.lock"
    ]
    assert list((settings.mirror_dir / ".tmp").iterdir()) == []
    assert not (tmp_path / "MARKER").exists()


def test_fetch_accepts_cosmetic_defects_found_in_real_old_repositories(tmp_path: Path) -> None:
    """Old repositories (pallets/flask among them) carry zero-padded tree modes; fsck's strict
    mode would refuse them, though they are harmless."""
    bare = forge_path(tmp_path)
    bare.parent.mkdir(parents=True)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    sub = _raw_tree(bare, [("100644", b"a.py", _blob(bare, b"x = 1\n"))])
    root = _raw_tree(bare, [("040000", b"src", sub)])  # zero-padded mode
    sha = git(bare, "commit-tree", "-m", "old", root).strip()
    git(bare, "update-ref", "refs/heads/main", sha)
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    with open_store(result, settings) as store:
        assert [e.path for e in store.tree(result.head_sha)] == ["src/a.py"]


# -- exhaustion ---------------------------------------------------------------------------------


def test_tree_stops_early_when_repository_is_a_tree_bomb(tmp_path: Path) -> None:
    bare = forge_path(tmp_path)
    bare.parent.mkdir(parents=True)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    node = _blob(bare, b"x")
    mode = "100644"
    for _level in range(7):  # 10**7 paths from 8 objects
        names = sorted(f"d{i}".encode() for i in range(10))
        node = _raw_tree(bare, [(mode, name, node) for name in names])
        mode = "40000"
    sha = git(bare, "commit-tree", "-m", "bomb", node).strip()
    git(bare, "update-ref", "refs/heads/main", sha)
    settings = settings_for(tmp_path)
    result = fetch_mirror(clone_url(REF, settings.clone_url_template), REF.key(), settings)
    started = time.monotonic()
    with open_store(result, settings) as store, pytest.raises(RepositoryTooLargeError):
        store.tree(result.head_sha, max_entries=1000)
    assert time.monotonic() - started < 5


def test_store_never_follows_symlinks_out_of_the_tree(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "w",
        {"README.md": "x"},
        symlinks={"passwd": "/etc/passwd", "up": "../../../../../../etc", "self": "self"},
    )
    publish(repo, tmp_path / "forge", "Owner", "Name")
    settings = settings_for(tmp_path)
    result = fetch_and_read_everything(settings)
    with open_store(result, settings) as store:
        links = {e.path: store.read(e.oid, 1000) for e in store.tree(result.head_sha)
                 if e.is_symlink}  # fmt: skip
    assert links == {"passwd": b"/etc/passwd", "up": b"../../../../../../etc", "self": b"self"}


def test_fetch_writes_nothing_outside_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    repo = make_repo(tmp_path / "w", {"a.txt": "a"}, symlinks={"l": "/etc/passwd"})
    publish(repo, tmp_path / "forge", "Owner", "Name")
    before = {p for p in files_under(tmp_path) if "data" not in p.relative_to(tmp_path).parts}
    fetch_and_read_everything(settings_for(tmp_path))
    after = {p for p in files_under(tmp_path) if "data" not in p.relative_to(tmp_path).parts}
    assert after == before
    assert list(home.iterdir()) == []
