"""Hostile repositories, end to end: every one gives a completed report or a clear error,
reads and writes nothing outside the data directory, and runs nothing from the repository."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from gitrepo import commit, git, make_repo, publish
from snapfactory import notebook

from reviewer.errors import BadTargetError, ReviewerError
from reviewer.inspect import inspect_repository
from reviewer.inspect_render import render_json, render_markdown
from reviewer.report import Report
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
        "nb/cells.ipynb": json.dumps(
            {
                "cells": [
                    None,
                    3,
                    {"cell_type": "code", "source": 7},
                    {"cell_type": "code", "source": ["import ", "sklearn\n", "%%bash\n"]},
                ],
                "nbformat": 4,
            }
        ),
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
    evil_config.write_text(
        f"[core]\n\tfsmonitor = touch {marker}\n[alias]\n\tls-tree = !touch {marker}\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(evil_config))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.hooksPath'='{tmp_path}'")
    repo = make_repo(tmp_path / "plain", {"a.py": "import sklearn\n"})
    settings = Settings(data_dir=tmp_path / "data", use_github_api=False)
    report = inspect_repository(repo, settings)
    assert report.commit
    assert not marker.exists()
    assert os.environ["GIT_CONFIG_GLOBAL"] == str(evil_config)  # ours untouched


# -- regressions found by bench/bench_hostile.py (the same attacks at a small scale) -------------


def offline(tmp_path: Path, **limits: object) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", use_github_api=False)
    return settings.with_(limits=replace(settings.limits, **limits)) if limits else settings


def warning_codes(report: Report) -> set[str]:
    return {w.code for w in report.warnings}


def test_paths_deeper_than_a_checkout_allows_are_ignored_with_a_warning(tmp_path: Path) -> None:
    deep = "d/" * 130 + "deep.py"  # 130 directories: no finder should pay for such a path
    repo = make_repo(tmp_path / "deep", {"train.py": "import sklearn\n", deep: "import torch\n"})
    report = inspect_repository(repo, offline(tmp_path))
    assert "path-too-long" in warning_codes(report)
    assert report.value("python_file_count") == 1
    assert "torch" not in json.dumps(report.to_json())


def test_dense_and_chained_python_is_not_parsed_and_costs_little_memory(tmp_path: Path) -> None:
    chain = "import os\n" + "".join(f"x{i} = os" + ".path" * 900 + "\n" for i in range(40))
    files: dict[str, str | bytes] = {
        "dense.py": "x = [" + "1," * 200_000 + "]\n",  # 400 KB: an AST of ~200 MB
        "plus.py": "y = " + "+".join(["1"] * 150_000) + "\n",
        "chain.py": chain,  # 40 chains just under the parser's depth limit
        "calls.py": "import os\nz = os.f" + "()" * 300 + "\n",
        "nb.ipynb": notebook("import torch\nw = [" + "1," * 200_000 + "]\n"),
        "v3.ipynb": json.dumps({"nbformat": 3, "worksheets": [1, {"cells": 7}, None]}),
        "train.py": "import sklearn\n",
    }
    repo = make_repo(tmp_path / "dense", files)
    tracemalloc.start()
    try:
        report = inspect_repository(repo, offline(tmp_path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 120_000_000, f"the inspection allocated {peak / 1e6:.0f} MB"
    assert "finder-failed" not in warning_codes(report)
    messages = " ".join(w.message for w in report.warnings)
    assert "dense.py is too dense to parse" in messages
    assert "plus.py is too dense to parse" in messages
    assert "sklearn" in json.dumps(report.facts["ml_libraries"].to_json())


def test_python_beyond_the_budget_is_read_shallowest_first(tmp_path: Path) -> None:
    top = "import sklearn\nsklearn.set_config()\n"
    files = {"train.py": top, "pkg/sub/deep/model.py": "import torch\ntorch.zeros(1)\n" * 50}
    repo = make_repo(tmp_path / "budget", files)
    report = inspect_repository(repo, offline(tmp_path, max_python_total_bytes=len(top) + 10))
    assert "python-budget" in warning_codes(report)
    libraries = json.dumps(report.facts["ml_libraries"].to_json())
    assert "sklearn" in libraries and "torch" not in libraries


def test_a_notebook_of_many_cells_is_parsed_within_the_budget(tmp_path: Path) -> None:
    cells = [f"import os\nx{i} = os.getcwd()\n" for i in range(20_000)]
    repo = make_repo(tmp_path / "cells", {"many.ipynb": notebook(*cells)})
    started = time.monotonic()
    report = inspect_repository(repo, offline(tmp_path, max_python_total_bytes=500_000))
    assert time.monotonic() - started < 10
    assert "notebook-code-budget" in warning_codes(report)


def test_the_time_budget_stops_reading_and_still_completes_the_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "slow", {"train.py": "import torch\n", "README.md": "# x\n"})
    report = inspect_repository(repo, offline(tmp_path, finder_time_budget_s=0.0))
    assert "time-budget" in warning_codes(report)
    assert report.value("has_readme") is not None  # file names are still known


def test_history_of_huge_subjects_is_streamed_and_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewer.git.store.MAX_OUTPUT", 1_000_000)  # a log bigger than this
    repo = make_repo(tmp_path / "fat", {"a.py": "x = 1\n"})
    message = tmp_path / "message.txt"
    for i in range(3):  # 600 KB one-paragraph subjects (too long for a command line)
        message.write_text(f"Subject {i} " + "lorem " * 100_000)
        git(repo, "commit", "-q", "--allow-empty", "-F", str(message))
    report = inspect_repository(repo, offline(tmp_path))
    assert report.value("commit_count") == 4
    assert report.value("author_count") == 1


def test_odd_file_names_give_valid_utf8_json_and_inert_markdown(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "odd", {"train.py": "import numpy\n"})
    for name in (b"bad\xffname.py", b"esc\x1b[31mred.py", "bidi\u202egnp.py".encode()):
        with open(os.path.join(bytes(repo), name), "wb") as fh:
            fh.write(b"x = 1\n")
    commit(repo, {}, "odd names")
    report = inspect_repository(repo, offline(tmp_path))
    text = render_json(report)
    text.encode("utf-8")  # no lone surrogate left
    assert "bad\\\\xffname.py" in text
    markdown = render_markdown(report)
    markdown.encode("utf-8")
    assert "\x1b" not in markdown and "\u202e" not in markdown


@pytest.mark.parametrize(
    "attack",
    ["alternates", "include", "gitfile", "symlinked-config"],
)
def test_a_local_source_that_points_outside_itself_is_refused(tmp_path: Path, attack: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "gitconfig").write_text("[core]\n\tbare = true\n")
    repo = make_repo(tmp_path / "src", {"a.py": "import torch\n"})
    git_dir = repo / ".git"
    if attack == "alternates":
        (git_dir / "objects" / "info").mkdir(exist_ok=True)
        (git_dir / "objects" / "info" / "alternates").write_text(f"{outside}\n")
    elif attack == "include":
        with open(git_dir / "config", "a") as fh:
            fh.write(f"[include]\n\tpath = {outside}/gitconfig\n")
    elif attack == "gitfile":
        real = tmp_path / "real.git"
        git_dir.rename(real)
        (repo / ".git").write_text(f"gitdir: {real}\n")
    else:
        (git_dir / "config").rename(outside / "config")
        (git_dir / "config").symlink_to(outside / "config")
    with pytest.raises(BadTargetError, match="outside it|pointing elsewhere"):
        inspect_repository(repo, offline(tmp_path))
    assert not (tmp_path / "data" / "mirrors").exists() or not list(
        (tmp_path / "data" / "mirrors").glob("*.git")
    )


def test_secrets_scan_stops_at_its_byte_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reviewer.facts.secrets._MAX_TOTAL_BYTES", 1000)
    files = {f"docs/{i}.md": "words " * 100 for i in range(5)}
    repo = make_repo(tmp_path / "texts", files)
    report = inspect_repository(repo, offline(tmp_path))
    assert "secrets-budget" in warning_codes(report)
