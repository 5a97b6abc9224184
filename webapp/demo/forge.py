"""A local "forge" for the demo: the sample project committed into a bare repository under the
data directory, where the clone URL template of the demo host finds it.

git runs with the engine's hardened environment (no user or system configuration, no hooks).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from reviewer.git.env import git_environment, hardening_args

SAMPLE_DIR = Path(__file__).parent / "sample_project"
DEMO_HOST = "demo.invalid"  # RFC 2606: can never be a real host
DEMO_OWNER = "demo"
DEMO_NAME = "sample-ml-project"
AUTHOR = ("Demo Candidate", "candidate@demo.invalid")

#: The sample's history: (message, date, paths added in this commit — prefixes).
HISTORY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Synthetic churn data and project skeleton", "2024-01-15T10:00:00+00:00",
     ("README.md", "LICENSE", "requirements.txt", "pyproject.toml", "src/churn/__init__.py",
      "src/churn/data.py")),
    ("Train and evaluate a gradient boosting pipeline", "2024-02-03T16:30:00+00:00",
     ("src/churn/train.py", "tests/")),
    ("Add CI, Dockerfile and a model card", "2024-02-20T09:15:00+00:00",
     (".github/", "Dockerfile", "docs/")),
)  # fmt: skip


def forge_dir(data_dir: Path) -> Path:
    return data_dir / "demo-forge"


def clone_template(data_dir: Path) -> str:
    return str(forge_dir(data_dir) / "{owner}" / "{name}.git")


def demo_url() -> str:
    return f"https://{DEMO_HOST}/{DEMO_OWNER}/{DEMO_NAME}"


def _git(cwd: Path, home: Path, *args: str, date: str | None = None) -> None:
    env = git_environment(home, ("file",))
    env.update(
        GIT_AUTHOR_NAME=AUTHOR[0], GIT_AUTHOR_EMAIL=AUTHOR[1],
        GIT_COMMITTER_NAME=AUTHOR[0], GIT_COMMITTER_EMAIL=AUTHOR[1],
    )  # fmt: skip
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(
        ["git", *hardening_args(("file",)), "-C", str(cwd), *args],
        env=env, check=True, capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def build_sample_repository(data_dir: Path) -> Path:
    """The bare demo repository (built once; returns its path)."""
    bare = forge_dir(data_dir) / DEMO_OWNER / f"{DEMO_NAME}.git"
    if (bare / "HEAD").exists():
        return bare
    files = sorted(p.relative_to(SAMPLE_DIR).as_posix() for p in SAMPLE_DIR.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="reviewer-demo-") as tmp:
        work, home = Path(tmp) / "work", Path(tmp) / "home"
        work.mkdir()
        _git(work, home, "init", "-q", "-b", "main")
        done: set[str] = set()
        for message, date, prefixes in HISTORY:
            for rel in files:
                if rel not in done and any(rel == p or rel.startswith(p) for p in prefixes):
                    target = work / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(SAMPLE_DIR / rel, target)
                    done.add(rel)
            _git(work, home, "add", "-A")
            _git(work, home, "commit", "-q", "--no-verify", "-m", message, date=date)
        leftovers = [rel for rel in files if rel not in done]
        for rel in leftovers:  # anything HISTORY does not name goes into a last commit
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SAMPLE_DIR / rel, target)
        if leftovers:
            _git(work, home, "add", "-A")
            _git(work, home, "commit", "-q", "--no-verify", "-m", "Add the remaining files",
                 date=HISTORY[-1][1])  # fmt: skip
        tmp_bare = bare.with_name(bare.name + ".tmp")
        shutil.rmtree(tmp_bare, ignore_errors=True)
        tmp_bare.parent.mkdir(parents=True, exist_ok=True)
        _git(work, home, "clone", "-q", "--bare", "--no-local", str(work), str(tmp_bare))
        tmp_bare.rename(bare)
    return bare
