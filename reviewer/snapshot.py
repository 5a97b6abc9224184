"""The files of a repository at the pinned commit, shared by every fact finder.

Built once per inspection from an ``ObjectStore`` (nothing is checked out). It offers:
the file index with vendored/generated trees excluded once, bounded lazy text reads (cached),
each Python file summarised once (``reviewer.pycode``), notebook code cells (nbformat structure,
never executed, magics skipped, cell numbers kept), and the commit history.

Reads of many files are pipelined (``read_many``, ``texts``: one round trip to git per few
hundred files). Only the texts of parsed .py files stay cached beyond what finders ask for. When a
repository holds enough Python, a second process (``reviewer.pycode.ParserProcess``) parses part
of it while this one parses the rest and runs the finders: two cores, each file parsed once.

Evidence strings: ``path:line`` for files, ``path#cell=N:line`` for a notebook (N counts every
cell from 1, as they appear in the notebook; the line is within the cell).
"""

from __future__ import annotations

import codecs
import json
import posixpath
import re
import sys
import time
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from reviewer.git.store import History, ObjectStore, TreeEntry
from reviewer.pycode import (
    ParserProcess,
    PyModule,
    module_from_tuple,
    parse_python,
    too_dense,
)
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
#: What parsing one notebook cell costs beyond its source, in bytes of the Python budget: a
#: notebook of 150 000 one-line cells would otherwise be parsed cell by cell for many seconds.
_CELL_COST = 500
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
        parallel: bool = True,
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
        #: parse .py files in a second process too when there are many (see ``_parser``)
        self.parallel = parallel
        self._parser_started = False
        self._parser_process: ParserProcess | None = None
        #: after this (time.monotonic) reads, parses and notebooks are refused: a hostile
        #: repository cannot hold the finders past the budget, whatever they do
        self.deadline = time.monotonic() + self.limits.finder_time_budget_s
        self._spent: dict[str, int] = {}  # bytes used so far per budget ("notebooks", "cells")
        self._warned: set[str] = set()
        entries = self._checkout_able(entries)
        venv_roots = frozenset(
            posixpath.dirname(e.path) for e in entries if e.path.endswith("/pyvenv.cfg")
        )
        self.files: tuple[TreeEntry, ...] = tuple(
            e for e in entries if e.is_file and not _is_vendored(e.path, venv_roots)
        )
        self.by_path: dict[str, TreeEntry] = {e.path: e for e in self.files}
        self.symlinks: tuple[TreeEntry, ...] = tuple(e for e in entries if e.is_symlink)
        self.submodules: tuple[TreeEntry, ...] = tuple(e for e in entries if e.is_submodule)

    def _checkout_able(self, entries: list[TreeEntry]) -> list[TreeEntry]:
        """The entries a checkout could hold: git trees may carry paths deeper or longer than
        any file system allows (a hostile 20 000-deep tree); those are left out, with a warning,
        so that no finder pays for them."""
        limit, depth = self.limits.max_path_bytes, self.limits.max_path_depth
        kept = [e for e in entries if len(e.path) <= limit and e.path.count("/") < depth]
        if len(kept) < len(entries):
            dropped = next(
                e.path for e in entries if len(e.path) > limit or e.path.count("/") >= depth
            )
            example = f" (e.g. {dropped[:60]}...)"
            self.warn(
                "path-too-long",
                f"{len(entries) - len(kept)} path(s) longer than {limit} bytes or deeper than "
                f"{depth} directories were ignored{example}.",
            )
        return kept

    def _over_budget(self, kind: str, cost: int, limit: int, what: str) -> bool:
        """Charge ``cost`` bytes to the budget ``kind``; True (and one warning) when it is spent,
        or when the time budget is."""
        if self.out_of_time():
            return True
        spent = self._spent.get(kind, 0)
        if spent + cost > limit:
            if kind not in self._warned:
                self._warned.add(kind)
                self.warn(
                    f"{kind}-budget",
                    f"{what} past {limit:,} bytes were not read: the "
                    "repository holds more than a review reads; facts may be incomplete.",
                )
            return True
        self._spent[kind] = spent + cost
        return False

    def out_of_time(self) -> bool:
        """True once the finders' time budget is spent (then reads and parses are refused)."""
        if time.monotonic() <= self.deadline:
            return False
        if "time" not in self._warned:
            self._warned.add("time")
            self.warn(
                "time-budget",
                f"The review stopped reading files after {self.limits.finder_time_budget_s:g} s: "
                "the repository is too large or too complex to read in full; facts may be "
                "incomplete.",
            )
        return True

    @cached_property
    def _parse_allowed(self) -> frozenset[str]:
        """The .py files parsed: shallowest (then smallest) first, within the byte budget."""
        allowed: set[str] = set()
        spent = 0
        budget = self.limits.max_python_total_bytes
        skipped = 0
        for path in sorted(self.python_files, key=lambda p: (p.count("/"), self.size(p), p)):
            size = max(self.size(path), 0)
            if size > self.limits.max_python_parse_bytes:
                continue  # warned about when asked for
            if spent + size > budget:
                skipped += 1
                continue
            spent += size
            allowed.add(path)
        if skipped:
            self.warn(
                "python-budget",
                f"{skipped} .py file(s) were not parsed: the repository holds more than "
                f"{budget:,} bytes of Python (the shallowest files were read first); facts "
                "from code may be incomplete.",
            )
        return frozenset(allowed)

    @cached_property
    def parsed_python_files(self) -> tuple[str, ...]:
        """The .py files ``python`` parses (within the size cap and the byte budget), in path
        order: it gives None for the others, so a finder after code need not read them."""
        return tuple(p for p in self.python_files if p in self._parse_allowed)

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
        if self.out_of_time():
            return None
        data = self.store.read(entry.oid, cap, entry.size)
        if data is None:
            self.warn("file-missing", f"{path} could not be read from the repository.", path)
        return data

    def read_many(
        self, paths: Iterable[str], max_bytes: int | None = None
    ) -> Iterator[tuple[str, bytes | None]]:
        """``(path, read_bytes(path, max_bytes))`` for each path, in order, with the reads
        pipelined (one round trip to git per few hundred files instead of one per file)."""
        cap = self.limits.max_read_bytes if max_bytes is None else max_bytes
        todo = list(paths)
        step = self.store.READ_AHEAD
        for first in range(0, len(todo), step):
            chunk = [(path, self.by_path.get(path)) for path in todo[first : first + step]]
            late = self.out_of_time()
            wanted = [e.oid for _, e in chunk if e is not None and e.size <= cap and not late]
            answers = self.store.read_many(wanted, cap)
            try:
                for path, entry in chunk:
                    if entry is None or late:
                        yield path, None
                    elif entry.size > cap:
                        self.warn(
                            "file-too-large", f"{path} is larger than {cap} bytes; not read.", path
                        )
                        yield path, None
                    else:
                        data = next(answers)[1]
                        if data is None:
                            self.warn(
                                "file-missing",
                                f"{path} could not be read from the repository.",
                                path,
                            )
                        yield path, data
            finally:
                answers.close()

    def text(self, path: str) -> str | None:
        """The decoded text of a file (cached); None when missing, binary or too large."""
        if path in self._texts:
            return self._texts[path]
        text = _text_of(self.read_bytes(path))
        if self._keeps_text(path):
            self._texts[path] = text
        return text

    def texts(self, paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
        """``(path, text(path))`` for each path, in order, the reads pipelined."""
        todo = list(paths)
        cached = [path in self._texts for path in todo]
        unread = self.read_many([p for p, hit in zip(todo, cached, strict=True) if not hit])
        for path, hit in zip(todo, cached, strict=True):
            if hit:
                yield path, self._texts[path]
                continue
            text = _text_of(next(unread)[1])
            if self._keeps_text(path):
                self._texts[path] = text
            yield path, text

    def _keeps_text(self, path: str) -> bool:
        """Texts are cached, except those of .py files that will not be parsed: a repository's
        Python can run to hundreds of megabytes; only the parsed files' sources are kept (for
        ``CodeUnit.source``)."""
        return not path.endswith(".py") or path in self._parse_allowed

    def python(self, path: str) -> PyModule | None:
        """The summary of a .py file, parsed at most once."""
        if path not in self._python:
            module = None
            if self.size(path) > self.limits.max_python_parse_bytes:
                self.warn("python-not-parsed", f"{path} is too large to parse.", path)
            elif path not in self._parse_allowed or self.out_of_time():
                pass  # warned about once, for all such files
            else:
                parser = self._parser()
                kind, data = parser.take(path, self.deadline) if parser else ("unknown", None)
                if kind == "done":
                    module = None if data is None else module_from_tuple(data)
                    if module is None:
                        self.warn("python-syntax", f"{path} could not be parsed as Python.", path)
                elif kind == "lost":
                    self.warn("python-not-parsed", f"{path} stopped the parser process.", path)
                else:
                    module = self._parse_here(path, data if kind == "parse" else self.text(path))
            self._python[path] = module
        return self._python[path]

    def _parse_here(self, path: str, source: str | None) -> PyModule | None:
        if source is None:
            return None
        if too_dense(source):
            self.warn("python-not-parsed", f"{path} is too dense to parse.", path)
            return None
        module = parse_python(source, path)
        if module is None:
            self.warn("python-syntax", f"{path} could not be parsed as Python.", path)
        return module

    def _parser(self) -> ParserProcess | None:
        """The second process that parses .py files alongside this one, started at the first
        need when the repository has enough Python to be worth it (None otherwise)."""
        if self._parser_started:
            return self._parser_process
        self._parser_started = True
        limit = self.limits.max_python_parse_bytes
        todo = [
            p
            for p in self.python_files
            if p not in self._python and p in self._parse_allowed and self.size(p) <= limit
        ]
        if (
            not self.parallel
            or not posixpath.basename(sys.executable or "").startswith("python")
            or len(todo) < PARALLEL_MIN_FILES
            or sum(self.size(p) for p in todo) < PARALLEL_MIN_BYTES
            or self.out_of_time()
        ):
            return None
        try:
            parser = ParserProcess()  # it starts while the sources are read
        except OSError:
            return None
        weakref.finalize(self, parser.close)
        self._parser_process = parser
        # The other process starts with the files the first finders ask for (setup.py, tests),
        # from the last one back, while they ask from the first: the two meet in the middle.
        # Then it goes on with the others; ``code_units`` steals from the last of those.
        early = [p for p in todo if _needed_early(p)]
        late = [p for p in todo if not _needed_early(p)]
        parser.add(
            [
                (path, source)
                for path, source in self.texts(early[::-1] + late)
                if source is not None and not too_dense(source)
            ]
        )
        return parser

    def notebook_cells(self, path: str) -> tuple[NotebookCell, ...] | None:
        """Every cell of a notebook, from its nbformat structure (never executed)."""
        if path in self._cells:
            return self._cells[path]
        cells: tuple[NotebookCell, ...] | None = None
        cap, size = self.limits.max_notebook_bytes, self.size(path)
        total = self.limits.max_notebook_total_bytes
        spent = size <= cap and self._over_budget("notebook", max(size, 0), total, "Notebooks")
        data = None if spent else self.read_bytes(path, cap)
        if data is not None:
            cells = _notebook_cells(decode_text(data))
            if cells is None:
                self.warn("notebook-invalid", f"{path} is not a readable notebook.", path)
        self._cells[path] = cells
        return cells

    def code_units(self) -> Iterator[CodeUnit]:
        """Every parsed Python file and notebook code cell, in path order."""
        parser = self._parser()
        if parser is None:
            for _ in self.texts(
                p for p in self.python_files if p not in self._python and p in self._parse_allowed
            ):
                pass  # read ahead, pipelined, into the cache
        else:  # parse from the last file while the other process works from the first
            while (job := parser.steal()) is not None and not self.out_of_time():
                self._python[job[0]] = self._parse_here(*job)
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
                budget = self.limits.max_python_total_bytes
                cost = len(source) + _CELL_COST
                if self._over_budget("notebook-code", cost, budget, "Notebook code"):
                    break
                module = parse_python(source, f"{path}#cell={cell.number}")
                if module is not None:
                    units.append(CodeUnit(path, cell.number, module, source))
            self._nb_units[path] = tuple(units)
        return self._nb_units[path]

    def warn(self, code: str, message: str, path: str | None = None) -> None:
        self.warnings.append(ReportWarning(code, message, path))


#: A second parser process is started only for this much Python (its start costs ~50 ms).
PARALLEL_MIN_BYTES = 400_000
PARALLEL_MIN_FILES = 16
_EARLY = re.compile(
    r"(?:^|/)(?:setup\.py|conftest\.py|test_[^/]*|[^/]*_test\.py|tests?\.py)$|(?:^|/)tests?/"
)


def _needed_early(path: str) -> bool:
    """Files the first finders ask for (setup.py, tests): parsed here, not handed over."""
    return bool(_EARLY.search(path))


def _text_of(data: bytes | None) -> str | None:
    """A file's text; None when unread or binary (a NUL byte early on, without a UTF-16 BOM)."""
    if data is None:
        return None
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    return decode_text(data) if utf16 or b"\0" not in data[:8000] else None


def _notebook_cells(text: str) -> tuple[NotebookCell, ...] | None:
    # The nbformat structure (v4 ``cells``, v3 ``worksheets``) is read straight from the JSON:
    # nbformat.reads would also validate every output against the schema, which costs seconds
    # and hundreds of MB on a notebook of 150 000 cells, for nothing the finders use.
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(nb, dict):
        return None
    raw_cells = nb.get("cells")
    if raw_cells is None:  # nbformat 3: worksheets[].cells[] with "input"
        sheets = nb.get("worksheets")
        raw_cells = [
            c
            for ws in (sheets if isinstance(sheets, list) else [])
            if isinstance(ws, dict) and isinstance(ws.get("cells"), list)
            for c in ws["cells"]
        ]
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
