"""One pass over a Python module's AST, kept as a small summary every finder can share.

The AST itself is dropped after the pass so that a repository of thousands of files stays within
a bounded memory; finders work on the summary (imports, resolved call names, keyword arguments,
definitions, assertions). Nothing is executed or imported. The pass over the tree is iterative
(a queue, in ``ast.walk``'s order), so deeply nested (hostile) code cannot exhaust the
interpreter's stack during the walk. Dotted names are interned and equal keyword/argument tuples
of one module stored once: the summaries of thousands of files stay small.
"""

from __future__ import annotations

import ast
import gc
import marshal
import struct
import sys
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any


@dataclass(frozen=True, slots=True)
class Import:
    module: str  # the full dotted name imported: "torch.nn", "sklearn.model_selection.KFold"
    line: int


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # dotted name with import aliases resolved: "numpy.random.seed", "model.fit"
    line: int
    keywords: tuple[tuple[str, str], ...]  # (keyword, source-ish value) pairs; "**" for **kw
    args: tuple[str | None, ...]  # string-literal positional args (None for other kinds)


@dataclass(frozen=True, slots=True)
class Definition:
    name: str
    line: int
    decorators: tuple[str, ...]
    bases: tuple[str, ...] = ()  # classes only
    end_line: int = 0  # last line of the definition (0 when unknown)


@dataclass(frozen=True, slots=True)
class PyModule:
    imports: tuple[Import, ...]
    calls: tuple[Call, ...]
    functions: tuple[Definition, ...]
    classes: tuple[Definition, ...]
    assert_lines: tuple[int, ...]
    #: every name read through an import binding, resolved: the longest attribute chain
    #: (``np.linalg.norm(x)`` -> "numpy.linalg.norm", no separate "numpy.linalg") and each bare
    #: imported name ("." + name for a relative import); local variables are left out
    names: frozenset[str]
    has_main_guard: bool
    line_count: int
    #: (local name, what it is bound to by an import): lets a notebook resolve, in one cell,
    #: an alias imported in another ("st" -> "streamlit", "GridSearchCV" -> "sklearn....").
    bindings: tuple[tuple[str, str], ...] = ()

    def imported_roots(self) -> set[str]:
        return {imp.module.split(".")[0] for imp in self.imports}

    def calls_matching(self, *prefixes: str) -> list[Call]:
        return [c for c in self.calls if any(_has_prefix(c.name, p) for p in prefixes)]

    def imports_matching(self, *prefixes: str) -> list[Import]:
        return [i for i in self.imports if any(_has_prefix(i.module, p) for p in prefixes)]

    def references(self, *prefixes: str) -> bool:
        return any(_has_prefix(n, p) for n in self.names for p in prefixes)


def _has_prefix(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


#: A dotted name longer than this is no name a finder looks for: ``_dotted`` gives up on it, so
#: every node of a hostile chain (``a.b.b.b...``, ``f().g().g()...``) costs a bounded walk.
_MAX_DOTTED_PARTS = 64


def _dotted(node: ast.AST, budget: int = _MAX_DOTTED_PARTS) -> str | None:
    parts: list[str] = []
    while node.__class__ is ast.Attribute:
        if len(parts) >= budget:
            return None
        parts.append(node.attr)
        node = node.value
    if node.__class__ is ast.Name:
        parts.append(node.id)
    elif node.__class__ is ast.Call and len(parts) < budget:  # a().b: resolve the callee
        inner = _dotted(node.func, budget - len(parts) - 1)
        if inner is None:
            return None
        parts.append(inner + "()")
    else:
        return None
    parts.reverse()
    return ".".join(parts)


def _value_text(node: ast.AST) -> str:
    if node.__class__ is ast.Constant:
        return repr(node.value)
    dotted = _dotted(node)
    if dotted is not None:
        return dotted
    return type(node).__name__


#: Newer syntax than this interpreter's (PEP 701 f-strings such as ``f"{d["k"]}"``) costs only
#: the lines it is on: they are blanked and the module parsed again, a few times at most.
_MAX_REPAIRS = 8
_MAX_REPAIR_BYTES = 300_000


#: The AST of dense code costs about 1 KB per node: a 1 MB list literal (``[1,1,1,...]``) or
#: ``1+1+1...`` chain would take 500 MB. ``too_dense`` estimates the node count from the
#: characters that make nodes; real modules of 1 MB stay under 70 000.
MAX_NODE_ESTIMATE = 150_000
MAX_SOURCE_CHARS = 1_000_000  # a notebook cell is held to the same cap as a .py file
_NODE_CHARS = ",.;([{=+-*/%<>|&^~:@\n"


def too_dense(source: str) -> bool:
    """Whether ``source`` is too large, or too dense in syntax, to parse within memory."""
    if len(source) > MAX_SOURCE_CHARS:
        return True
    if len(source) < MAX_NODE_ESTIMATE:
        return False
    return sum(source.count(c) for c in _NODE_CHARS) > MAX_NODE_ESTIMATE


def parse_python(source: str, filename: str = "<unknown>") -> PyModule | None:
    """Summarise ``source``; None when it cannot be parsed (syntax error, hostile nesting, or
    more syntax than a bounded parse allows, see ``too_dense``)."""
    if too_dense(source):
        return None
    # An AST holds no reference cycles (it is freed by reference counting alone), yet the
    # hundreds of thousands of nodes it allocates set off full collections that scan every
    # summary kept so far: without the collector, parsing a large repository is twice as fast.
    collecting = gc.isenabled()
    gc.disable()
    try:
        tree = _parse(source, filename)
        if tree is None:
            return None
        return summarise(tree, source.count("\n") + 1)
    except RecursionError:  # pragma: no cover - _dotted is bounded; kept as a last guard
        return None
    finally:
        if collecting:
            gc.enable()


def _parse(source: str, filename: str) -> ast.AST | None:
    lines: list[str] | None = None
    repaired: set[int] = set()
    for _ in range(_MAX_REPAIRS + 1):
        text = source if lines is None else "\n".join(lines)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text, filename=filename)
            if repaired and 2 * len(repaired) > sum(1 for ln in source.split("\n") if ln.strip()):
                return None  # mostly unparseable: not Python this interpreter can read
            return tree
        except SyntaxError as err:
            if len(source) > _MAX_REPAIR_BYTES or not err.lineno:
                return None
            lines = text.split("\n") if lines is None else lines
            index = err.lineno - 1
            if not 0 <= index < len(lines) or not lines[index].strip():
                return None  # nothing left to blank on that line: give up
            line = lines[index]
            repaired.add(index)
            indent = line[: len(line) - len(line.lstrip())]
            # inside brackets an empty line is harmless; a statement needs a ``pass``
            if line.strip() == "pass" or _inside_brackets(lines, index):
                lines[index] = ""
            else:
                lines[index] = indent + "pass"
        except (ValueError, RecursionError, MemoryError, OverflowError):
            return None
    return None


def _inside_brackets(lines: list[str], index: int) -> bool:
    """Whether line ``index`` continues a statement opened by a bracket above it (roughly:
    more opening than closing brackets on the lines before, since the last blank-indent
    statement start)."""
    depth = 0
    for line in lines[max(0, index - 50) : index]:
        code = line.split("#", 1)[0]
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        depth = max(depth, 0)
    return depth > 0


#: Fields that never hold a node worth visiting: names, numbers, and the operator and context
#: singletons (``Load``, ``Add``...).
_LEAF_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "module", "level", "asname", "type_comment",
     "kind", "conversion", "is_async", "tag", "rest", "kwd_attrs"}
)  # fmt: skip
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold child nodes (computed once per class)."""
    fields = []
    for name in getattr(cls, "_fields", ()):
        if name in _LEAF_FIELDS:
            continue
        if name == "name" and cls.__name__ != "TypeAlias":  # a str everywhere else
            continue
        if name == "names" and cls in (ast.Global, ast.Nonlocal):  # list[str]
            continue
        if name == "value" and cls in (ast.Constant, ast.MatchSingleton):  # a Python value
            continue
        fields.append(name)
    _CHILD_FIELDS[cls] = found = tuple(fields)
    return found


def summarise(tree: ast.AST, line_count: int) -> PyModule:
    """The summary of a parsed module: one breadth-first pass over its nodes (the order of
    ``ast.walk``, iterative), then names resolved with the module's imports.

    Only the outermost node of an attribute chain is spelled out (``a.b.c``, not ``a.b`` again),
    and only the kinds of node a finder reads are looked at; every other node just has its
    children queued.
    """
    bindings: dict[str, str] = {}
    imports: list[Import] = []
    call_nodes: list[ast.Call] = []
    def_nodes: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
    asserts: list[int] = []
    chains: list[str] = []  # outermost attribute chains read, unresolved
    name_ids: set[str] = set()
    inner: set[int] = set()  # ids of attribute nodes inside a chain already spelled out
    main_guard = False
    child_fields = _CHILD_FIELDS
    queue: list[ast.AST] = [tree]
    append, extend, add_id = queue.append, queue.extend, name_ids.add
    for node in queue:  # the queue grows while it is read: breadth-first, like ast.walk
        cls = node.__class__
        if cls is ast.Name:
            add_id(node.id)  # type: ignore[attr-defined]
            continue
        if cls is ast.Attribute:
            value = node.value  # type: ignore[attr-defined]
            if id(node) not in inner and node.ctx.__class__ is ast.Load:  # type: ignore[attr-defined]
                dotted = _dotted(node)
                if dotted is not None:
                    chains.append(dotted)
                link = value
                while link.__class__ is ast.Attribute:
                    inner.add(id(link))
                    link = link.value
            append(value)
            continue
        if cls is ast.Call:
            call_nodes.append(node)  # type: ignore[arg-type]
        elif cls is ast.Import:
            for alias in node.names:  # type: ignore[attr-defined]
                imports.append(Import(sys.intern(alias.name), node.lineno))  # type: ignore[attr-defined]
                if alias.asname:
                    bindings[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    bindings.setdefault(root, root)
            continue
        elif cls is ast.ImportFrom:
            module, level = node.module, node.level  # type: ignore[attr-defined]
            for alias in node.names:  # type: ignore[attr-defined]
                if module and level == 0:
                    full = sys.intern(f"{module}.{alias.name}" if alias.name != "*" else module)
                    imports.append(Import(full, node.lineno))  # type: ignore[attr-defined]
                    if alias.name != "*":
                        bindings[alias.asname or alias.name] = full
                elif level > 0:  # relative: the project's own code
                    bindings.setdefault(alias.asname or alias.name, "." + alias.name)
            continue
        elif cls is ast.FunctionDef or cls is ast.AsyncFunctionDef or cls is ast.ClassDef:
            def_nodes.append(node)  # type: ignore[arg-type]
        elif cls is ast.Assert:
            asserts.append(node.lineno)  # type: ignore[attr-defined]
        elif cls is ast.If and not main_guard:
            main_guard = _is_main_guard(node.test)  # type: ignore[attr-defined]
        fields = child_fields.get(cls)
        if fields is None:
            fields = _child_fields(cls)
        for field in fields:
            child = getattr(node, field)
            if child.__class__ is list:
                extend(child)  # may hold None (``**`` in a dict, keyword defaults): skipped
            elif child is not None:
                append(child)
    del queue, inner

    def resolve(name: str | None) -> str | None:
        if name is None:
            return None
        head, dot, rest = name.partition(".")
        target = bindings.get(head)
        return sys.intern(name if target is None else target + (dot + rest if dot else ""))

    shared: dict[tuple[object, ...], tuple[object, ...]] = {}  # equal tuples stored once
    calls: list[Call] = []
    for call in call_nodes:
        name = resolve(_dotted(call.func)) or _unnamed_callee(call.func)
        kws: tuple[tuple[str, str], ...] = tuple(
            (kw.arg or "**", _value_text(kw.value)) for kw in call.keywords
        )
        args: tuple[str | None, ...] = tuple(
            a.value if a.__class__ is ast.Constant and isinstance(a.value, str) else None
            for a in call.args[:4]
        )
        if kws:
            kws = shared.setdefault(kws, kws)  # type: ignore[assignment]
        if args:
            args = shared.setdefault(args, args)  # type: ignore[assignment]
        calls.append(Call(name, call.lineno, kws, args))
    functions: list[Definition] = []
    classes: list[Definition] = []
    for defn in def_nodes:
        decos = tuple(d for d in (resolve(_dotted(_callee(x))) for x in defn.decorator_list) if d)
        end = defn.end_lineno or 0
        if isinstance(defn, ast.ClassDef):
            bases = tuple(b for b in (resolve(_dotted(x)) for x in defn.bases) if b)
            classes.append(Definition(defn.name, defn.lineno, decos, bases, end))
        else:
            functions.append(Definition(defn.name, defn.lineno, decos, (), end))
    names = {bindings[i] for i in name_ids if i in bindings}
    for dotted in chains:
        if dotted.partition(".")[0] in bindings:
            names.add(resolve(dotted))  # type: ignore[arg-type]
    return PyModule(
        imports=tuple(imports),
        calls=tuple(calls),
        functions=tuple(functions),
        classes=tuple(classes),
        assert_lines=tuple(sorted(asserts)),
        names=frozenset(names),
        has_main_guard=main_guard,
        line_count=line_count,
        bindings=tuple(bindings.items()),
    )


def _unnamed_callee(node: ast.AST) -> str:
    """A call on something without a dotted name keeps its attribute tail behind a ``?``:
    ``ds["train"].shuffle(seed=1)`` -> ``?.shuffle`` (its arguments still matter)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join(["?", *reversed(parts)])


def _callee(node: ast.AST) -> ast.AST:
    return node.func if isinstance(node, ast.Call) else node


def _is_main_guard(test: ast.AST) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


# -- a parser in another process ----------------------------------------------------------------
#
# ``Snapshot`` may hand part of a repository's files to a second process (``serve``) so that two
# cores parse at once. Requests and answers are length-prefixed ``marshal`` frames of plain
# tuples (no pickle: nothing but data crosses the pipe).

_FRAME = struct.Struct("<I")


def module_to_tuple(module: PyModule) -> tuple[object, ...]:
    """``module`` as nested tuples of str/int/bool (what ``marshal`` can carry)."""
    return (
        tuple((i.module, i.line) for i in module.imports),
        tuple((c.name, c.line, c.keywords, c.args) for c in module.calls),
        tuple((d.name, d.line, d.decorators, d.bases, d.end_line) for d in module.functions),
        tuple((d.name, d.line, d.decorators, d.bases, d.end_line) for d in module.classes),
        module.assert_lines,
        module.names,
        module.has_main_guard,
        module.line_count,
        module.bindings,
    )


def module_from_tuple(data: tuple[Any, ...]) -> PyModule:
    """The inverse of ``module_to_tuple``."""
    imports, calls, functions, classes, asserts, names, guard, lines, bindings = data
    return PyModule(
        imports=tuple(Import(*i) for i in imports),
        calls=tuple(Call(*c) for c in calls),
        functions=tuple(Definition(*d) for d in functions),
        classes=tuple(Definition(*d) for d in classes),
        assert_lines=asserts,
        names=names,
        has_main_guard=guard,
        line_count=lines,
        bindings=bindings,
    )


def write_frame(out: IO[bytes], payload: Any) -> None:
    data = marshal.dumps(payload)
    out.write(_FRAME.pack(len(data)) + data)
    out.flush()


def read_frame(inp: IO[bytes]) -> Any:
    """The next frame's payload; None at the end of the stream (or on a cut frame)."""
    head = inp.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    data = inp.read(size)
    if len(data) < size:
        return None
    return marshal.loads(data)


def serve(inp: IO[bytes] | None = None, out: IO[bytes] | None = None) -> None:
    """Parse ``(key, filename, source)`` requests until the input ends, answering each with
    ``(key, module_to_tuple(...) or None)``, after a first ``(None, None)`` that says it is ready.
    Run by ``Snapshot`` as its parser process."""
    inp = inp or sys.stdin.buffer
    out = out or sys.stdout.buffer
    write_frame(out, (None, None))
    while (request := read_frame(inp)) is not None:
        key, filename, source = request
        try:
            module = parse_python(source, filename)
        except Exception:  # noqa: BLE001 - a file that breaks the parser is not parsed
            module = None
        write_frame(out, (key, None if module is None else module_to_tuple(module)))


#: Started by ``ParserProcess``: this very file, loaded without the package (whose imports would
#: cost a third of a second) into an isolated interpreter that serves parse requests.
_BOOT = (
    "import importlib.util as u, sys\n"
    "s = u.spec_from_file_location('reviewer_pycode_worker', sys.argv[1])\n"
    "m = u.module_from_spec(s); sys.modules[s.name] = m; s.loader.exec_module(m)\n"
    "m.serve()\n"
)


class ParserProcess:
    """A second process parsing the files handed to it while this one does other work.

    The jobs are handed over a few at a time (``IN_FLIGHT``) by a feeding thread, in the order
    given, once the process says it is ready (its start costs ~50 ms: the caller does not wait
    for it); a collecting thread stores the answers. Until a job is handed over, the caller may
    take it back and parse it itself (``take``, ``steal``), so that two cores share the work
    without parsing anything twice. If the process dies, the files it held are reported lost
    (never parsed again here: they may be what killed it).
    """

    IN_FLIGHT = 4

    def __init__(self, jobs: Iterable[tuple[str, str]] | None = None) -> None:
        """Start the process; ``jobs`` (path, source), or later ``add``, are its work."""
        self._jobs: dict[str, str] = {}  # path -> source, not handed over yet
        self._sealed = False  # all jobs are in (``add``): the feeder ends when they are gone
        self._busy: dict[str, str] = {}  # handed over, no answer yet
        self._ready = False  # the process said it is ready: jobs are handed over from then on
        self._done: dict[str, Any] = {}  # path -> module_to_tuple(...) or None
        self._lost: set[str] = set()
        self._stopped = False
        self._cond = threading.Condition()
        self._stopping = threading.Lock()
        # imported here, not at the top: the parser process loads this file on its own
        from reviewer.git.process import kill_group, start_helper

        self._kill_group = kill_group
        self._proc = start_helper([sys.executable, "-I", "-S", "-c", _BOOT, __file__])
        self._threads = [
            threading.Thread(target=self._feed, name="pycode-feed", daemon=True),
            threading.Thread(target=self._collect, name="pycode-collect", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        if jobs is not None:
            self.add(jobs)

    def add(self, jobs: Iterable[tuple[str, str]]) -> None:
        """Give the process its jobs (once; the process starts meanwhile)."""
        with self._cond:
            self._jobs.update(jobs)
            self._sealed = True
            self._cond.notify_all()

    def _feed(self) -> None:
        out = self._proc.stdin
        assert out is not None
        try:
            while True:
                with self._cond:
                    while not (
                        self._stopped
                        or (self._sealed and not self._jobs)
                        or (self._ready and self._jobs and len(self._busy) < self.IN_FLIGHT)
                    ):
                        self._cond.wait()
                    if self._stopped or not self._jobs:
                        break
                    path = next(iter(self._jobs))
                    source = self._jobs.pop(path)
                    self._busy[path] = source
                write_frame(out, (path, path, source))
        except (OSError, ValueError):  # the process is gone: the collector reports it
            pass
        finally:
            try:
                out.close()
            except OSError:
                pass

    def _collect(self) -> None:
        inp = self._proc.stdout
        assert inp is not None
        try:
            while (answer := read_frame(inp)) is not None:
                path, data = answer
                with self._cond:
                    if path is None:  # started: until now the caller parsed everything itself
                        self._ready = True
                    else:
                        self._busy.pop(path, None)
                        self._done[path] = data
                    self._cond.notify_all()
        except (OSError, ValueError, EOFError, TypeError):
            pass
        finally:
            with self._cond:
                self._stopped = True
                self._lost.update(self._busy)  # one of them may be what stopped it
                self._busy.clear()
                self._cond.notify_all()
            inp.close()
            self._stop()

    def take(self, path: str, deadline: float) -> tuple[str, Any]:
        """What became of ``path``: ``("done", tuple or None)`` parsed over there, ``("parse",
        source)`` for the caller to parse, ``("lost", None)`` when the process stopped on it or
        ``deadline`` (``time.monotonic``) passed, ``("unknown", None)`` if never handed in."""
        with self._cond:
            while True:
                if path in self._done:
                    return "done", self._done.pop(path)
                if path in self._jobs:
                    return "parse", self._jobs.pop(path)
                if path in self._lost:
                    return "lost", None
                if path not in self._busy:
                    return "unknown", None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._stop()  # the collector then reports what it held as lost
                    self._lost.add(path)
                    return "lost", None
                self._cond.wait(remaining)

    def steal(self) -> tuple[str, str] | None:
        """The last job not handed over yet, for the caller to parse; None when none is left."""
        with self._cond:
            if not self._jobs:
                return None
            path = next(reversed(self._jobs))
            return path, self._jobs.pop(path)

    def close(self) -> None:
        """Stop the process and its threads (idempotent)."""
        with self._cond:
            self._stopped = True
            self._jobs.clear()
            self._cond.notify_all()
        self._stop()
        for thread in self._threads:
            thread.join(timeout=5)

    def _stop(self) -> None:
        with self._stopping:
            if self._proc.returncode is None:  # not reaped yet: its group id is still its own
                self._kill_group(self._proc)
