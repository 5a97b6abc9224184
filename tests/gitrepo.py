"""Build real git repositories in ``tmp_path`` for tests (shared by every test module).

Import it as ``from gitrepo import make_repo, commit, bare_clone, publish`` (``tests/`` is on
``sys.path`` through ``pythonpath`` in ``pyproject.toml``). Every git call here runs with no
user or system configuration, so results do not depend on the machine.

    repo = make_repo(tmp_path / "proj", {"README.md": "# hi\\n", "src/a.py": b"x = 1\\n"})
    commit(repo, {"tests/test_a.py": "def test(): pass\\n"}, "add tests",
           author_email="bob@example.org", date="2024-03-01T10:00:00+00:00")
    commit(repo, {"README.md": None}, "remove the readme")        # None deletes a file
    bare = bare_clone(repo, tmp_path / "proj.git")                 # a bare copy of it

    # A local "forge": what Settings(clone_url_template=template) fetches for Owner/Name.
    template = str(tmp_path / "forge" / "{owner}" / "{name}.git")
    publish(repo, tmp_path / "forge", "Owner", "Name")

``make_repo`` writes the files, symlinks and submodule entries, commits them as one first
commit, then applies each extra commit of ``commits`` (mappings of ``commit``'s keyword
arguments: ``{"files": {...}, "message": "...", "author_email": "...", "date": "..."}``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

DEFAULT_AUTHOR_NAME = "Test Author"
DEFAULT_AUTHOR_EMAIL = "author@example.org"
DEFAULT_DATE = "2024-01-15T12:00:00+00:00"

FileMap = Mapping[str, str | bytes | None]


def git_env(
    author_name: str = DEFAULT_AUTHOR_NAME,
    author_email: str = DEFAULT_AUTHOR_EMAIL,
    date: str = DEFAULT_DATE,
) -> dict[str, str]:
    """An environment for git with no user/system config and a fixed author and date."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_AUTHOR_NAME=author_name,
        GIT_AUTHOR_EMAIL=author_email,
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_NAME=author_name,
        GIT_COMMITTER_EMAIL=author_email,
        GIT_COMMITTER_DATE=date,
    )
    return env


def git(repo: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run ``git -C repo ARGS`` (test helper: fails loudly), return stdout as text."""
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "protocol.file.allow=always", *args],
        env=dict(env) if env is not None else git_env(),
        capture_output=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise AssertionError(
            f"git {' '.join(args)} failed in {repo}:\n{done.stderr.decode(errors='replace')}"
        )
    return done.stdout.decode("utf-8", "replace")


def write_files(repo: Path, files: FileMap) -> None:
    """Write (str as UTF-8, bytes as is) or delete (None) files under the work tree."""
    for rel, content in files.items():
        target = repo / rel
        if content is None:
            if target.is_symlink() or target.exists():
                target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)


def commit(
    repo: Path,
    files: FileMap | None = None,
    message: str = "Update",
    *,
    author_name: str = DEFAULT_AUTHOR_NAME,
    author_email: str = DEFAULT_AUTHOR_EMAIL,
    date: str = DEFAULT_DATE,
    symlinks: Mapping[str, str] | None = None,
    submodules: Mapping[str, str] | None = None,
) -> str:
    """Write ``files``/``symlinks``/``submodules`` and commit them all; return the new SHA.

    ``symlinks`` maps a link path to its target (stored as a git symlink, never followed).
    ``submodules`` maps a path to a URL: writes ``.gitmodules`` and a gitlink entry pointing at
    a made-up commit, the way a hostile repository would carry one (nothing is cloned).
    """
    write_files(repo, files or {})
    for link, target in (symlinks or {}).items():
        path = repo / link
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        os.symlink(target, path)
    env = git_env(author_name, author_email, date)
    git(repo, "add", "-A", env=env)
    if submodules:
        _add_submodules(repo, submodules, env)
    git(repo, "commit", "-q", "--allow-empty", "--no-verify", "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD", env=env).strip()


def _add_submodules(repo: Path, submodules: Mapping[str, str], env: Mapping[str, str]) -> None:
    lines = []
    for i, (path, url) in enumerate(submodules.items()):
        lines += [f'[submodule "{path}"]', f"\tpath = {path}", f"\turl = {url}"]
        fake_sha = f"{i + 1:040x}"
        (repo / path).mkdir(parents=True, exist_ok=True)  # an unpopulated submodule
        git(repo, "update-index", "--add", "--cacheinfo", f"160000,{fake_sha},{path}", env=env)
    gitmodules = repo / ".gitmodules"
    gitmodules.write_text("\n".join(lines) + "\n", encoding="utf-8")
    git(repo, "add", ".gitmodules", env=env)


def make_repo(
    path: Path,
    files: FileMap,
    *,
    commits: Iterable[Mapping[str, Any]] | None = None,
    symlinks: Mapping[str, str] | None = None,
    submodules: Mapping[str, str] | None = None,
    author: str = DEFAULT_AUTHOR_EMAIL,
    author_name: str = DEFAULT_AUTHOR_NAME,
    date: str = DEFAULT_DATE,
    message: str = "Initial commit",
    branch: str = "main",
) -> Path:
    """Create a work-tree repository at ``path`` with one first commit, plus ``commits``."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", branch)
    commit(
        path,
        files,
        message,
        author_name=author_name,
        author_email=author,
        date=date,
        symlinks=symlinks,
        submodules=submodules,
    )
    for spec in commits or ():
        commit(path, **spec)
    return path


def bare_clone(repo: Path, dest: Path) -> Path:
    """A bare copy of ``repo`` at ``dest`` (what a server would hold); returns ``dest``."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    git(dest.parent, "clone", "-q", "--bare", "--no-local", str(repo), str(dest))
    return dest


def publish(repo: Path, forge: Path, owner: str, name: str) -> Path:
    """Put a bare copy of ``repo`` at ``forge/owner/name.git``, where a clone URL template
    ``str(forge / "{owner}" / "{name}.git")`` finds it."""
    return bare_clone(repo, Path(forge) / owner / f"{name}.git")
