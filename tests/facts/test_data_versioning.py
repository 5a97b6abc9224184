"""Data versioning facts (FACTS.md: data_versioning, has_large_files_committed)."""

from __future__ import annotations

import pytest
from snapfactory import notebook

from reviewer.facts.data_versioning import find_data_versioning
from reviewer.settings import Limits

POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345678\n"
)
LFS_RULE = "*.pt filter=lfs diff=lfs merge=lfs -text\n"

CASES = [
    ({".dvc/config": "[core]\n", "data/raw.csv.dvc": "outs:\n- md5: x\n"}, ["dvc"]),
    ({"dvc.yaml": "stages: {}\n"}, ["dvc"]),
    ({".gitattributes": LFS_RULE, "models/best.pt": POINTER}, ["git-lfs"]),
    (
        {
            ".gitattributes": "models/** filter=lfs diff=lfs merge=lfs -text\n",
            "models/v1/weights.bin": POINTER,
        },
        ["git-lfs"],
    ),
    ({".gitattributes": LFS_RULE, "models/best.pt": b"\x80\x02real-bytes"}, []),
    ({".gitattributes": LFS_RULE}, []),
    ({"models/best.pt": POINTER}, []),
    ({"pipeline.py": "import lakefs\nrepo = lakefs.repository('r')\n"}, ["lakefs"]),
    ({"nb.ipynb": notebook("from lakefs_sdk import Client\nc = Client()")}, ["lakefs"]),
    ({"README.md": "We version data with DVC and lakeFS.\n"}, []),
    ({".dvc/config": "", ".gitattributes": LFS_RULE, "w.pt": POINTER}, ["dvc", "git-lfs"]),
]


@pytest.mark.parametrize(
    ("files", "tools"),
    CASES,
    ids=[
        "dvc-metadata",
        "dvc-pipeline",
        "lfs-rule-and-pointer",
        "lfs-directory-rule",
        "lfs-rule-without-pointer",
        "lfs-rule-alone",
        "pointer-without-rule",
        "lakefs-code",
        "lakefs-notebook",
        "prose-mention",
        "dvc-and-lfs",
    ],
)
def test_data_versioning_tools(snapshot_of, files, tools):
    assert find_data_versioning(snapshot_of(files), {})["data_versioning"].value == tools


def test_large_file_over_ten_mebibytes(snapshot_of):
    snap = snapshot_of({"data/big.csv": b"x" * 10_485_761, "data/edge.csv": b"y" * 10_485_760})
    fact = find_data_versioning(snap, {})["has_large_files_committed"]
    assert fact.value is True
    assert fact.evidence == ("data/big.csv",)
    assert "10.0 MiB" in fact.reason


def test_large_files_counted_in_vendored_trees_too(snapshot_of):
    snap = snapshot_of(
        {"venv/lib/blob.so": b"z" * 2000, "a.py": "x = 1\n"}, limits=Limits(large_file_bytes=1000)
    )
    fact = find_data_versioning(snap, {})["has_large_files_committed"]
    assert fact.value is True
    assert fact.evidence == ("venv/lib/blob.so",)


def test_lfs_pointer_to_a_large_object_is_not_a_large_file(snapshot_of):
    snap = snapshot_of({".gitattributes": LFS_RULE, "m.pt": POINTER})  # points at 12 MB
    assert find_data_versioning(snap, {})["has_large_files_committed"].value is False
