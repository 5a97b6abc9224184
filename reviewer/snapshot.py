"""The files of a repository at the pinned commit, shared by every fact finder.

Built once per inspection from an ``ObjectStore`` (nothing is checked out). It offers:
the file index with vendored/generated trees excluded once, bounded lazy text reads (cached),
each Python file summarised once (``reviewer.pycode``), notebook code cells (nbformat structure,
never executed, magics skipped, cell numbers kept), and the commit history.

Evidence strings: ``path:line`` for files, ``path#cell=N:line`` for a notebook (N counts every
cell from 1, as they appear in the notebook; the line is within the cell).
"""

from __future__ import annotations

import codecs
import json
import posixpath
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from reviewer.git.store import History, ObjectStore, TreeEntry
from reviewer.pycode import PyModule, parse_python
from reviewer.report import RepoRef, ReportWarning
from reviewer.settings import Limits

#: Directory names whose contents are never the candidate's code (FACTS.md).
VENDORED_DIRS = frozenset(
    {
        "site-packages",
        "venv",
        ".venv",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".ipynb_checkpoints",
        ".tox",
        ".nox",
        ".eggs",
        ".mypy_cache",
        ".pytest_cache",
        "virtualenv",
        ".virtualenv",
        ".git",
    }
)
_EGG_INFO = re.compile(r".*\.egg-info$")
_MAGIC_LINE = re.compile(r"^(\s*)([%!?]|\w+\s*=\s*[!%]).*$")
_CELL_MAGIC_PY = ("%%time", "%%timeit", "%%capture", "%%prun", "%%debug")


@dataclass(frozen=True)
class CodeUnit:
    """A parsed piece of Python: a .py file, or one code cell of a notebook."""

    path: str
    cell: int | None  # 1-based cell number for notebooks
    module: PyModule
    source: str

    def evidence(self, line: int | None = None) -> str:
        where = self.path if self.cell is None else f"{self.path}#cell={self.cell}"
        return where if line is None else f"{where}:{line}"

    @property
    def is_notebook(self) -> bool:
        return self.cell is not None


@dataclass(frozen=True)
class NotebookCell:
    number: int  # 1-based among all cells
    cell_type: str
    source: str


def decode_text(data: bytes) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def strip_magics(source: str) -> str | None:
    """Python source of a notebook cell with IPython magics and shell lines blanked.

    Line numbers are preserved (a magic line becomes ``pass`` at its indentation). A cell magic
    other than timing/capture makes the cell not Python: None.
    """
    first = source.lstrip().split("\n", 1)[0].strip()
    lines = source.split("\n")
    if first.startswith("%%"):
        if not first.startswith(_CELL_MAGIC_PY):
            return None
        idx = next(i for i, ln in enumerate(lines) if ln.strip())
        lines[idx] = ""
    out = []
    for ln in lines:
        m = _MAGIC_LINE.match(ln)
        if m and not ln.strip().startswith(("%=", "!=")):
            out.append(m.group(1) + "pass")
        else:
            out.append(ln)
    return "\n".join(out)


def _is_vendored(path: str, venv_roots: frozenset[str]) -> bool:
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if part in VENDORED_DIRS or _EGG_INFO.match(part):
            return True
        if "/".join(parts[: i + 1]) in venv_roots:
            return True
    return False


class Snapshot:
    """The repository at one commit, read lazily and within limits."""

    def __init__(
        self,
        store: ObjectStore,
        commit: str,
        entries: list[TreeEntry],
        history: History | None,
        limits: Limits | None = None,
        ref: RepoRef | None = None,
    ) -> None:
        self.store = store
        self.commit = commit
        #: the repository's address when known (None for a local path): finders may compare
        #: its owner with the history's authors
        self.ref = ref
        self.limits = limits or Limits()
        self.history = history
        self.all_entries: tuple[TreeEntry, ...] = tuple(entries)
        self.warnings: list[ReportWarning] = []
        self._texts: dict[str, str | None] = {}
        self._python: dict[str, PyModule | None] = {}
        self._cells: dict[str, tuple[NotebookCell, ...] | None] = {}
        self._nb_units: dict[str, tuple[CodeUnit, ...]] = {}
        venv_roots = frozenset(
            posixpath.dirname(e.path) for e in entries if e.path.endswith("/pyvenv.cfg")
        )
        self.files: tuple[TreeEntry, ...] = tuple(
            e for e in entries if e.is_file and not _is_vendored(e.path, venv_roots)
        )
        self.by_path: dict[str, TreeEntry] = {e.path: e for e in self.files}
        self.symlinks: tuple[TreeEntry, ...] = tuple(e for e in entries if e.is_symlink)
        self.submodules: tuple[TreeEntry, ...] = tuple(e for e in entries if e.is_submodule)

    # -- index --------------------------------------------------------------------------------
    @cached_property
    def paths(self) -> tuple[str, ...]:
        return tuple(e.path for e in self.files)

    @cached_property
    def root_files(self) -> tuple[str, ...]:
        return tuple(p for p in self.paths if "/" not in p)

    @cached_property
    def python_files(self) -> tuple[str, ...]:
        return tuple(p for p in self.paths if p.endswith(".py"))

    @cached_property
    def notebooks(self) -> tuple[str, ...]:
        return tuple(p for p in self.paths if p.lower().endswith(".ipynb"))

    def matching(self, pattern: str) -> list[str]:
        """Paths whose *name* matches a regular expression (case-insensitive)."""
        rx = re.compile(pattern, re.IGNORECASE)
        return [p for p in self.paths if rx.fullmatch(posixpath.basename(p))]

    def size(self, path: str) -> int:
        entry = self.by_path.get(path)
        return -1 if entry is None else entry.size

    # -- reads --------------------------------------------------------------------------------
    def read_bytes(self, path: str, max_bytes: int | None = None) -> bytes | None:
        entry = self.by_path.get(path)
        if entry is None:
            return None
        cap = self.limits.max_read_bytes if max_bytes is None else max_bytes
        if entry.size > cap:
            self.warn("file-too-large", f"{path} is larger than {cap} bytes; not read.", path)
            return None
        data = self.store.read(entry.oid, cap)
        if data is None:
            self.warn("file-missing", f"{path} could not be read from the repository.", path)
        return data

    def text(self, path: str) -> str | None:
        """The decoded text of a file (cached); None when missing, binary or too large."""
        if path in self._texts:
            return self._texts[path]
        data = self.read_bytes(path)
        text: str | None = None
        if data is not None:
            utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            if utf16 or b"\0" not in data[:8000]:
                text = decode_text(data)
        self._texts[path] = text
        return text

    def python(self, path: str) -> PyModule | None:
        """The summary of a .py file, parsed at most once."""
        if path not in self._python:
            module = None
            if self.size(path) > self.limits.max_python_parse_bytes:
                self.warn("python-not-parsed", f"{path} is too large to parse.", path)
            else:
                source = self.text(path)
                if source is not None:
                    module = parse_python(source, path)
                    if module is None:
                        self.warn("python-syntax", f"{path} could not be parsed as Python.", path)
            self._python[path] = module
        return self._python[path]

    def notebook_cells(self, path: str) -> tuple[NotebookCell, ...] | None:
        """Every cell of a notebook, from its nbformat structure (never executed)."""
        if path in self._cells:
            return self._cells[path]
        cells: tuple[NotebookCell, ...] | None = None
        data = self.read_bytes(path, self.limits.max_notebook_bytes)
        if data is not None:
            cells = _notebook_cells(decode_text(data))
            if cells is None:
                self.warn("notebook-invalid", f"{path} is not a readable notebook.", path)
        self._cells[path] = cells
        return cells

    def code_units(self) -> Iterator[CodeUnit]:
        """Every parsed Python file and notebook code cell, in path order."""
        for path in self.python_files:
            module = self.python(path)
            if module is not None:
                yield CodeUnit(path, None, module, self._texts.get(path) or "")
        for path in self.notebooks:
            yield from self.notebook_units(path)

    def notebook_units(self, path: str) -> tuple[CodeUnit, ...]:
        """The parsed code cells of one notebook (computed once)."""
        if path not in self._nb_units:
            units = []
            for cell in self.notebook_cells(path) or ():
                if cell.cell_type != "code":
                    continue
                source = strip_magics(cell.source)
                if source is None:
                    continue
                module = parse_python(source, f"{path}#cell={cell.number}")
                if module is not None:
                    units.append(CodeUnit(path, cell.number, module, source))
            self._nb_units[path] = tuple(units)
        return self._nb_units[path]

    def warn(self, code: str, message: str, path: str | None = None) -> None:
        self.warnings.append(ReportWarning(code, message, path))


def _notebook_cells(text: str) -> tuple[NotebookCell, ...] | None:
    import nbformat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)  # type: ignore[no-untyped-call]
    except Exception:  # malformed JSON or structure: try the raw JSON shape below
        try:
            nb = json.loads(text)
        except (ValueError, RecursionError):
            return None
    if not isinstance(nb, dict):
        return None
    raw_cells = nb.get("cells")
    if raw_cells is None:  # nbformat 3: worksheets[].cells[] with "input"
        raw_cells = [c for ws in nb.get("worksheets") or [] for c in (ws.get("cells") or [])]
    if not isinstance(raw_cells, list):
        return None
    out = []
    for number, cell in enumerate(raw_cells, start=1):
        if not isinstance(cell, dict):
            continue
        src = cell.get("source", cell.get("input", ""))
        if isinstance(src, list):
            src = "".join(s for s in src if isinstance(s, str))
        if not isinstance(src, str):
            continue
        out.append(NotebookCell(number, str(cell.get("cell_type", "")), src))
    return tuple(out)
