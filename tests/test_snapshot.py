"""Snapshot reads: pipelined texts, the parse budget, and parsing shared with a second process."""

from __future__ import annotations

from pathlib import Path

import pytest
from snapfactory import SnapshotFactory

import reviewer.snapshot as snapshot_module
from reviewer.facts.base import run_finders
from reviewer.facts.registry import FINDERS
from reviewer.settings import Limits


def test_texts_match_single_reads_in_order_when_pipelined(snapshot_of: SnapshotFactory) -> None:
    snap = snapshot_of(
        {
            "a.py": "import os\n",
            "b.md": "# B\n",
            "bin.dat": b"\x00\x01binary",
            "utf16.txt": "hé".encode("utf-16"),
            "z.txt": "last\n",
        }
    )
    paths = ["z.txt", "missing.txt", "a.py", "bin.dat", "utf16.txt", "b.md", "a.py"]
    assert list(snap.texts(paths)) == [(p, snap.text(p)) for p in paths]
    assert dict(snap.texts(paths))["utf16.txt"] == "hé"
    assert dict(snap.texts(paths))["bin.dat"] is None


def test_read_many_warns_like_read_bytes_when_files_are_too_large(
    snapshot_of: SnapshotFactory,
) -> None:
    snap = snapshot_of({"big.txt": "x" * 5000, "small.txt": "s"})
    assert list(snap.read_many(["big.txt", "small.txt", "nope"], max_bytes=1000)) == [
        ("big.txt", None),
        ("small.txt", b"s"),
        ("nope", None),
    ]
    assert [w.code for w in snap.warnings] == ["file-too-large"]


def test_read_many_reads_nothing_when_out_of_time(snapshot_of: SnapshotFactory) -> None:
    snap = snapshot_of({"a.txt": "a"})
    snap.deadline = 0.0
    assert list(snap.read_many(["a.txt"])) == [("a.txt", None)]


def test_parsed_python_files_leave_out_files_past_the_budget(snapshot_of: SnapshotFactory) -> None:
    limits = Limits(max_python_total_bytes=120)
    snap = snapshot_of(
        {"a.py": "x = 1\n" * 10, "pkg/b.py": "y = 2\n" * 10, "pkg/deep/c.py": "z = 3\n" * 10},
        limits=limits,
    )
    assert snap.parsed_python_files == ("a.py", "pkg/b.py")  # shallowest first
    assert snap.python("pkg/deep/c.py") is None
    assert snap.text("pkg/deep/c.py") == "z = 3\n" * 10


def _project(count: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "README.md": "# Demo\n\nRun `python train.py`.\n",
        "requirements.txt": "torch==2.1.0\nscikit-learn==1.3.0\n",
        "setup.py": "from setuptools import setup\nsetup(name='demo', license='MIT')\n",
        "broken.py": "def (:\n",
    }
    for i in range(count):
        files[f"demo/m{i:02}.py"] = (
            "import torch\nfrom sklearn.metrics import f1_score\n"
            f"def train_{i}(x):\n    torch.manual_seed({i})\n    return f1_score(x, x)\n"
        )
        files[f"tests/test_m{i:02}.py"] = (
            f"from demo.m{i:02} import train_{i}\n\ndef test_it():\n    assert train_{i}([1])\n"
        )
    return files


def test_parallel_parsing_gives_the_same_facts_when_work_is_shared(
    snapshot_of: SnapshotFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(snapshot_module, "PARALLEL_MIN_FILES", 2)
    files = _project(40)
    shared = snapshot_of(files)
    alone = snapshot_of(files)
    alone.parallel = False
    facts_shared, _, _ = run_finders(FINDERS, shared)
    facts_alone, _, _ = run_finders(FINDERS, alone)
    assert shared._parser_process is not None and alone._parser_process is None
    assert facts_shared == facts_alone
    assert facts_shared["ml_libraries"].value == ["sklearn", "torch"]
    assert sorted(w.code for w in shared.warnings) == sorted(w.code for w in alone.warnings)
    units = [(u.path, u.module, u.source) for u in shared.code_units()]
    assert units == [(u.path, u.module, u.source) for u in alone.code_units()]
    assert len(units) == 81  # every file but broken.py


def test_parallel_parsing_is_not_started_when_the_python_is_small(
    snapshot_of: SnapshotFactory,
) -> None:
    snap = snapshot_of(_project(3))
    assert snap.python("demo/m00.py") is not None
    assert snap._parser_process is None


def test_snapshot_parses_in_process_when_the_parser_cannot_start(
    snapshot_of: SnapshotFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(snapshot_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(snapshot_module, "PARALLEL_MIN_FILES", 2)
    fake = tmp_path / "python-broken"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(snapshot_module.sys, "executable", str(fake))
    snap = snapshot_of(_project(10))
    modules = [snap.python(p) for p in snap.python_files]
    assert snap._parser_process is not None
    assert sum(m is not None for m in modules) == 21  # all but broken.py, parsed here
    assert [w.code for w in snap.warnings] == ["python-syntax"]
