"""What the candidate's code really uses: imports, calls, decorators and base classes.

One index per snapshot, shared by the library, tool and practice finders. Names are the
resolved dotted names of ``reviewer.pycode`` (``st.title`` -> ``streamlit.title``); in a
notebook, an alias imported in one cell also resolves in the cells after it, as it does when
the notebook runs. Code inside a third-party project copied into the repository (a sub-directory
with its own licence file, such as a cloned ``yolov5/``) is marked, so that finders can leave
it out unless the author's own commands run it (FACTS.md).
"""

from __future__ import annotations

import posixpath
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reviewer.pycode import Call
from reviewer.snapshot import CodeUnit, Snapshot

_LICENCE_NAME = re.compile(r"(?:licen[cs]e|copying)(?:[-_.].*)?", re.IGNORECASE)
_README_NAME = re.compile(r"readme(?:\.\w+)?", re.IGNORECASE)
_SCRIPT_NAME = re.compile(
    r".*\.(?:sh|bash|ps1|bat|cmd|mk)|makefile|.*dockerfile.*|containerfile|procfile|"
    r"(?:docker-)?compose.*\.ya?ml|dvc\.yaml",
    re.IGNORECASE,
)
_CI_PREFIXES = (".github/workflows/", ".circleci/", ".gitlab-ci", ".travis", "azure-pipelines")
#: Scripts, CI files and READMEs larger than this are not searched for commands.
MAX_SCRIPT_BYTES = 256_000


@dataclass(frozen=True, slots=True)
class Use:
    """One use of a name in code: a call, a decorator or a base class."""

    name: str  # resolved dotted name
    root: str  # its first part ("sklearn" for "sklearn.metrics.f1_score")
    last: str  # its last part ("f1_score")
    kind: str  # "call" | "decorator" | "base"
    line: int
    unit: CodeUnit
    call: Call | None = None

    @property
    def evidence(self) -> str:
        return self.unit.evidence(self.line)


@dataclass(frozen=True, slots=True)
class ImportUse:
    """One ``import`` statement's module, in a unit."""

    module: str
    line: int
    unit: CodeUnit

    @property
    def evidence(self) -> str:
        return self.unit.evidence(self.line)


@dataclass(frozen=True, eq=False)
class CodeIndex:
    units: tuple[CodeUnit, ...]
    uses: tuple[Use, ...]
    imports: tuple[ImportUse, ...]
    third_party_roots: tuple[str, ...]  # directories holding a copied third-party project
    run_roots: frozenset[str]  # those of them the author's own commands run
    foreign: frozenset[str]  # paths of units inside a third-party project nobody runs
    live: tuple[Use, ...]  # calls in the author's own code outside test files

    def is_third_party(self, path: str) -> bool:
        """True for code in a copied third-party project that no documented command runs."""
        return path in self.foreign

    def in_foreign_tree(self, path: str) -> bool:
        """True for any file inside a copied third-party project that nobody runs."""
        return any(path.startswith(root + "/") for root in self.third_party_roots) and not any(
            path.startswith(root + "/") for root in self.run_roots
        )

    def own_uses(self) -> Iterator[Use]:
        return (u for u in self.uses if u.unit.path not in self.foreign)

    def own_imports(self) -> Iterator[ImportUse]:
        return (i for i in self.imports if i.unit.path not in self.foreign)

    def live_calls(self) -> tuple[Use, ...]:
        """Calls in the author's own code outside test files."""
        return self.live


_TEST_FILE = re.compile(r"(?:^|/)(?:tests?/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)")


def is_test_file(path: str) -> bool:
    """Test code (``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``): not training code."""
    return bool(_TEST_FILE.search(path))


def has_prefix(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


_CACHE: weakref.WeakKeyDictionary[Snapshot, CodeIndex] = weakref.WeakKeyDictionary()


def code_index(snapshot: Snapshot) -> CodeIndex:
    """The uses and imports of every parsed .py file and notebook code cell (computed once)."""
    cached = _CACHE.get(snapshot)
    if cached is not None:
        return cached
    units = tuple(snapshot.code_units())
    uses: list[Use] = []
    imports: list[ImportUse] = []
    notebook_bindings: dict[str, dict[str, str]] = {}
    interned: dict[str, str] = {}
    for unit in units:
        own = dict(unit.module.bindings)
        extra: dict[str, str] = {}
        if unit.is_notebook:
            if unit.path not in notebook_bindings:
                notebook_bindings[unit.path] = _notebook_bindings(snapshot, unit.path)
            extra = notebook_bindings[unit.path]

        def use(
            raw: str,
            kind: str,
            line: int,
            call: Call | None = None,
            own: dict[str, str] = own,
            extra: dict[str, str] = extra,
            unit: CodeUnit = unit,
        ) -> Use:
            name = _resolve(raw, own, extra)
            head = name.partition(".")[0]
            tail = name.rpartition(".")[2]
            return Use(
                name,
                interned.setdefault(head, head),
                interned.setdefault(tail, tail),
                kind,
                line,
                unit,
                call,
            )

        for imp in unit.module.imports:
            imports.append(ImportUse(imp.module, imp.line, unit))
        for call in unit.module.calls:
            uses.append(use(call.name, "call", call.line, call))
        for fn in unit.module.functions:
            for deco in fn.decorators:
                uses.append(use(deco, "decorator", fn.line))
        for cls in unit.module.classes:
            for deco in cls.decorators:
                uses.append(use(deco, "decorator", cls.line))
            for base in cls.bases:
                uses.append(use(base, "base", cls.line))
    roots = third_party_roots(snapshot)
    run = _run_roots(snapshot, roots)
    foreign = frozenset(
        unit.path
        for unit in units
        if any(unit.path.startswith(r + "/") for r in roots)
        and not any(unit.path.startswith(r + "/") for r in run)
    )
    tests = {unit.path for unit in units if is_test_file(unit.path)}
    live = tuple(
        u
        for u in uses
        if u.call is not None and u.unit.path not in foreign and u.unit.path not in tests
    )
    index = CodeIndex(units, tuple(uses), tuple(imports), roots, run, foreign, live)
    _CACHE[snapshot] = index
    return index


def _notebook_bindings(snapshot: Snapshot, path: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for unit in snapshot.notebook_units(path):
        merged.update(unit.module.bindings)
    return merged


def _resolve(name: str, own: dict[str, str], extra: dict[str, str]) -> str:
    """Resolve the head of ``name`` with another cell's import when this cell did not bind it."""
    head, dot, rest = name.partition(".")
    if head in own or head not in extra:
        return name
    return extra[head] + (dot + rest if dot else "")


def third_party_roots(snapshot: Snapshot) -> tuple[str, ...]:
    """Sub-directories that hold a project of their own (a licence file of their own)."""
    roots = {
        posixpath.dirname(p)
        for p in snapshot.paths
        if "/" in p and _LICENCE_NAME.fullmatch(posixpath.basename(p))
    }
    return tuple(sorted(r for r in roots if r))


def _run_roots(snapshot: Snapshot, roots: Iterable[str]) -> frozenset[str]:
    """Third-party directories that the author's README, scripts, CI or own code refer to."""
    roots = tuple(roots)
    if not roots:
        return frozenset()
    texts = list(command_texts(snapshot, include_readme=True))
    for path in snapshot.python_files:
        if not any(path.startswith(r + "/") for r in roots):
            texts.append((path, snapshot.text(path) or ""))
    out = set()
    for root in roots:
        name = re.escape(root)
        rx = re.compile(rf"(?:^|[\s'\"(=./]){name}/\S*\.py|\bcd\s+\.?/?{name}\b|-m\s+{name}\b")
        if any(rx.search(text) for _, text in texts):
            out.add(root)
    return frozenset(out)


def command_texts(snapshot: Snapshot, include_readme: bool = False) -> Iterator[tuple[str, str]]:
    """Texts of the files holding commands the author runs: shell scripts, Makefiles,
    Dockerfiles, compose and CI files (and the root README's code blocks when asked)."""
    for path in snapshot.paths:
        name = posixpath.basename(path)
        is_ci = path.startswith(_CI_PREFIXES)
        is_readme = include_readme and "/" not in path and bool(_README_NAME.fullmatch(name))
        if not (is_ci or is_readme or _SCRIPT_NAME.fullmatch(name)):
            continue
        if snapshot.size(path) > MAX_SCRIPT_BYTES:
            continue
        text = snapshot.text(path)
        if text is None:
            continue
        yield path, (code_blocks(text) if is_readme else text)


_FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1", re.MULTILINE | re.DOTALL)
_INDENTED_OR_PROMPT = re.compile(r"^(?: {4}|\t|\$ ).*$", re.MULTILINE)


def code_blocks(markdown: str) -> str:
    """The command-like parts of a README: fenced blocks, indented lines, ``$ `` prompts and
    inline code spans. Other lines are blanked so that line numbers stay right."""
    keep = [False] * (markdown.count("\n") + 1)
    for m in _FENCE.finditer(markdown):
        first = markdown.count("\n", 0, m.start(2))
        last = markdown.count("\n", 0, m.end(2))
        for i in range(first, last):
            keep[i] = True
    for m in _INDENTED_OR_PROMPT.finditer(markdown):
        keep[markdown.count("\n", 0, m.start())] = True
    lines = markdown.split("\n")
    out = []
    for i, line in enumerate(lines):
        if keep[i]:
            out.append(line)
        else:
            out.append(" ".join(re.findall(r"`([^`\n]+)`", line)))
    return "\n".join(out)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
