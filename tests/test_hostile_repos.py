"""Hostile repositories, end to end: every one gives a completed report or a clear error,
reads and writes nothing outside the data directory, and runs nothing from the repository."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from gitrepo import make_repo, publish

from reviewer.errors import ReviewerError
from reviewer.inspect import inspect_repository
from reviewer.settings import Settings

YAML_BOMB = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
jobs:
  test:
    steps:
      - run: pytest
"""


def hostile_files(marker: Path) -> dict[str, str | bytes]:
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    parens = "y = " + "(" * 100_000 + ")" * 100_000 + "\n"
    chain = "z = " + "+".join(["1"] * 50_000) + "\n"
    return {
        "README.md": "# Totally normal\n\n<script>alert(1)</script>\n",
        "bomb/deep.py": deep,
        "bomb/parens.py": parens,
        "bomb/chain.py": chain,
        "bomb/binary.py": b"\x00\xff\xfe" * 1000,
        "bomb/latin1.py": "# caf\xe9\nimport sklearn\n".encode("latin-1"),
        "nb/broken.ipynb": '{"cells": [{"cell_type": "code", "source": "import torch',
        "nb/weird.ipynb": json.dumps({"cells": {"not": "a list"}, "nbformat": 4}),
        "nb/cells.ipynb": json.dumps({"cells": [None, 3, {"cell_type": "code", "source": 7},
                                                {"cell_type": "code", "source": ["import ",
                                                 "sklearn\n", "%%bash\n"]}],
                                      "nbformat": 4}),
        "nb/nested.ipynb": "[" * 100_000 + "]" * 100_000,
        ".github/workflows/ci.yml": YAML_BOMB,
        ".gitlab-ci.yml": "test: !!python/object/apply:os.system ['touch " + str(marker) + "']\n",
        ".gitattributes": "* filter=evil diff=evil merge=evil\n*.py ident\n",
        "big/weights.bin": b"\0" * (11 * 1024 * 1024),
        "weird/-rf": "dash\n",
        "weird/new\nline.py": "import numpy\n",
        "weird/" + "d" * 200 + ".py": "import pandas\n",
        "weird/ünï cödé.py": "import torch\n",
        "setup.py": f"import os\nos.system('touch {marker}')\n",
        "requirements.txt": "-e git+ext::sh -c touch% " + str(marker) + "#egg=x\nnumpy==1.0\n",
    }


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "outside" / "PWNED"
    marker.parent.mkdir()
    repo = make_repo(
        tmp_path / "hostile",
        hostile_files(marker),
        symlinks={
            "escape": "/etc/passwd",
            "up": "../../../../..",
            "LICENSE": "/etc/os-release",
            "requirements-dev.txt": "../../outside/secret.txt",
        },
        submodules={
            "sub": f"ext::sh -c touch% {marker}",
        },
    )
    (tmp_path / "outside" / "secret.txt").write_text("torch==9.9\n")
    return repo, marker


def snapshot_of_tree(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in root.rglob("*") if not p.is_symlink()}


@pytest.mark.parametrize("via", ["local-path", "clone-template"])
def test_hostile_repository_completes_and_touches_nothing_outside(
    tmp_path: Path, hostile: tuple[Path, Path], via: str
) -> None:
    repo, marker = hostile
    settings = Settings(
        data_dir=tmp_path / "data",
        clone_url_template=str(tmp_path / "forge" / "{owner}" / "{name}.git"),
        use_github_api=False,
    )
    target: str | Path = repo
    if via == "clone-template":
        publish(repo, tmp_path / "forge", "mallory", "evil")
        target = "https://github.com/mallory/evil"
    outside_before = snapshot_of_tree(tmp_path / "outside")
    report = inspect_repository(target, settings)

    assert not marker.exists()
    assert snapshot_of_tree(tmp_path / "outside") == outside_before
    # nothing was checked out: the data dir holds mirrors and results, no work tree files
    assert not list((tmp_path / "data").rglob("weights.bin"))
    assert not list((tmp_path / "data").rglob("escape"))
    facts = report.facts
    assert facts["has_large_files_committed"].value is True
    assert "big/weights.bin" in " ".join(facts["has_large_files_committed"].evidence)
    # a symlinked LICENSE pointing outside is not a license, and nothing from /etc leaks
    assert facts["has_license"].value is not True
    assert "/etc" not in json.dumps(report.to_json()).replace("\\/", "/").split('"escape"')[0]
    assert "torch==9.9" not in json.dumps(report.to_json())
    assert "torch" not in (facts["declared_unused_libraries"].value or [])


def test_option_shaped_submodule_url_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    repo = make_repo(
        tmp_path / "opt",
        {"a.py": "import torch\n"},
        submodules={"sub": f"--upload-pack=touch {marker}"},
    )
    settings = Settings(data_dir=tmp_path / "data", use_github_api=False)
    with pytest.raises(ReviewerError, match="crafted to attack git|malformed"):
        inspect_repository(repo, settings)
    assert not marker.exists()
    assert not list((tmp_path / "data" / "mirrors").glob("*.git"))


def test_file_count_cap_gives_a_clear_error(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"f/{i}.txt": str(i) for i in range(60)}
    repo = make_repo(tmp_path / "many", files)
    settings = Settings(data_dir=tmp_path / "data", use_github_api=False)
    from dataclasses import replace

    settings = settings.with_(limits=replace(settings.limits, max_files=50))
    with pytest.raises(ReviewerError, match="more than 50 files"):
        inspect_repository(repo, settings)


def test_no_process_environment_leaks_into_git(tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "from-config"
    evil_config = tmp_path / "evil.gitconfig"
    evil_config.write_text(f"[core]\n\tfsmonitor = touch {marker}\n[alias]\n\tls-tree = !touch {marker}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(evil_config))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.hooksPath'='{tmp_path}'")
    repo = make_repo(tmp_path / "plain", {"a.py": "import sklearn\n"})
    settings = Settings(data_dir=tmp_path / "data", use_github_api=False)
    report = inspect_repository(repo, settings)
    assert report.commit
    assert not marker.exists()
    assert os.environ["GIT_CONFIG_GLOBAL"] == str(evil_config)  # ours untouched
