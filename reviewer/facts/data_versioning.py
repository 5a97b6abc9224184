"""Data versioning and large committed files (FACTS.md).

``dvc`` = DVC metadata (``.dvc/``, ``*.dvc``, ``dvc.yaml``); ``git-lfs`` = a ``.gitattributes``
``filter=lfs`` rule *and* LFS pointer files it covers; ``lakefs`` = the lakeFS client used in
code. ``has_large_files_committed``: a blob at the pin larger than 10,485,760 bytes, over every
entry of the tree (vendored trees included: they are committed too); LFS pointers are tiny and
never count.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Mapping

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/"
_MAX_POINTER_BYTES = 1024
_LAKEFS_MODULES = ("lakefs", "lakefs_client", "lakefs_sdk", "lakefs_spec")
_LAKEFS = re.compile("lakefs", re.IGNORECASE | re.ASCII)


def _dvc_evidence(snapshot: Snapshot) -> list[str]:
    out: list[str] = []
    for path in snapshot.paths:
        name = posixpath.basename(path)
        if path.startswith(".dvc/") or "/.dvc/" in path:
            if name in ("config", ".gitignore", "config.local") or not out:
                out.append(path)
        elif name.endswith(".dvc") and name != ".dvc" or name in ("dvc.yaml", "dvc.yml"):
            out.append(path)
    return sorted(out)


def _lfs_patterns(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(directory of the .gitattributes, pattern) of every ``filter=lfs`` rule."""
    out = []
    for path in snapshot.paths:
        if posixpath.basename(path) != ".gitattributes":
            continue
        text = snapshot.text(path) or ""
        base = posixpath.dirname(path)
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2 and not parts[0].startswith("#") and "filter=lfs" in parts[1:]:
                out.append((base, parts[0]))
    return out


def _matches(path: str, base: str, pattern: str) -> bool:
    if base:
        if not path.startswith(base + "/"):
            return False
        path = path[len(base) + 1 :]
    pattern = pattern.lstrip("/") if pattern.startswith("/") else pattern
    if "/" in pattern.rstrip("/"):
        if pattern.endswith("/**"):
            return path.startswith(pattern[:-3] + "/")
        return fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*")
    name = posixpath.basename(path)
    return fnmatch.fnmatchcase(name, pattern) or any(
        fnmatch.fnmatchcase(part, pattern) for part in path.split("/")[:-1]
    )


def lfs_pointers(snapshot: Snapshot, limit: int = 5) -> list[str]:
    """Up to ``limit`` LFS pointer files covered by a ``filter=lfs`` rule."""
    patterns = _lfs_patterns(snapshot)
    if not patterns:
        return []
    found: list[str] = []
    for entry in snapshot.files:
        if entry.size > _MAX_POINTER_BYTES:
            continue
        if not any(_matches(entry.path, base, pat) for base, pat in patterns):
            continue
        data = snapshot.read_bytes(entry.path, _MAX_POINTER_BYTES)
        if data is not None and data.startswith(LFS_POINTER_PREFIX):
            found.append(entry.path)
            if len(found) >= limit:
                break
    return found


def _lakefs_evidence(snapshot: Snapshot) -> list[str]:
    """An import of a lakeFS client (files that never mention lakefs are not parsed)."""
    # only files the snapshot parses can show an import; their texts are cached for the parser
    for path, text in snapshot.texts(snapshot.parsed_python_files):
        if text is None or _LAKEFS.search(text) is None:
            continue
        module = snapshot.python(path)
        for imp in module.imports_matching(*_LAKEFS_MODULES) if module else ():
            return [f"{path}:{imp.line}"]
    cap = snapshot.limits.max_notebook_bytes
    for path, data in snapshot.read_many(snapshot.notebooks, cap):
        if data is None or b"lakefs" not in data.lower():
            continue
        for unit in snapshot.notebook_units(path):
            for imp in unit.module.imports_matching(*_LAKEFS_MODULES):
                return [unit.evidence(imp.line)]
    return []


def _size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


@finder("data_versioning", "has_large_files_committed")
def find_data_versioning(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    tools: dict[str, list[str]] = {}
    dvc = _dvc_evidence(snapshot)
    if dvc:
        tools["dvc"] = dvc[:5]
    pointers = lfs_pointers(snapshot)
    if pointers:
        tools["git-lfs"] = pointers
    lakefs = _lakefs_evidence(snapshot)
    if lakefs:
        tools["lakefs"] = lakefs
    names = sorted(tools)
    evidence = tuple(e for n in names for e in tools[n])
    if names:
        versioning = Fact(names, evidence, "data versioned with " + ", ".join(names))
    else:
        versioning = Fact([], (), "no DVC metadata, LFS pointers or lakeFS client")
    cap = snapshot.limits.large_file_bytes
    large = sorted(
        (e for e in snapshot.all_entries if e.is_file and e.size > cap),
        key=lambda e: (-e.size, e.path),
    )
    if large:
        shown = ", ".join(f"{e.path} ({_size_text(e.size)})" for e in large[:5])
        more = f" and {len(large) - 5} more" if len(large) > 5 else ""
        big = Fact(
            True,
            tuple(e.path for e in large[:20]),
            f"{len(large)} file(s) over 10 MB committed: {shown}{more}",
        )
    elif unknown := [e.path for e in snapshot.all_entries if e.is_file and e.size < 0]:
        big = Fact(
            None,
            tuple(unknown[:10]),
            f"the size of {len(unknown)} committed file(s) is unknown (e.g. {unknown[0]})",
        )
    else:
        big = Fact(False, (), "no committed file is larger than 10 MB")
    return {"data_versioning": versioning, "has_large_files_committed": big}
