"""One pass over a Python module's AST, kept as a small summary every finder can share.

The AST itself is dropped after the pass so that a repository of thousands of files stays within
a bounded memory; finders work on the summary (imports, resolved call names, keyword arguments,
definitions, assertions). Nothing is executed or imported. ``ast.walk`` is iterative, so deeply
nested (hostile) code cannot exhaust the interpreter's stack during the walk.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass


@dataclass(frozen=True)
class Import:
    module: str  # the full dotted name imported: "torch.nn", "sklearn.model_selection.KFold"
    line: int


@dataclass(frozen=True)
class Call:
    name: str  # dotted name with import aliases resolved: "numpy.random.seed", "model.fit"
    line: int
    keywords: tuple[tuple[str, str], ...]  # (keyword, source-ish value) pairs; "**" for **kw
    args: tuple[str | None, ...]  # string-literal positional args (None for other kinds)


@dataclass(frozen=True)
class Definition:
    name: str
    line: int
    decorators: tuple[str, ...]
    bases: tuple[str, ...] = ()  # classes only
    end_line: int = 0  # last line of the definition (0 when unknown)


@dataclass(frozen=True)
class PyModule:
    imports: tuple[Import, ...]
    calls: tuple[Call, ...]
    functions: tuple[Definition, ...]
    classes: tuple[Definition, ...]
    assert_lines: tuple[int, ...]
    names: frozenset[str]  # every dotted name *referenced* (attribute chains resolved)
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


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    if isinstance(node, ast.Call):  # a().b -> "a().b" is not useful; resolve the callee
        inner = _dotted(node.func)
        if inner is not None:
            parts.append(inner + "()")
            return ".".join(reversed(parts))
    return None


def _value_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    dotted = _dotted(node)
    if dotted is not None:
        return dotted
    return type(node).__name__


#: Newer syntax than this interpreter's (PEP 701 f-strings such as ``f"{d["k"]}"``) costs only
#: the lines it is on: they are blanked and the module parsed again, a few times at most.
_MAX_REPAIRS = 8
_MAX_REPAIR_BYTES = 300_000


def parse_python(source: str, filename: str = "<unknown>") -> PyModule | None:
    """Summarise ``source``; None when it cannot be parsed (syntax error, hostile nesting)."""
    tree = _parse(source, filename)
    return None if tree is None else summarise(tree, source.count("\n") + 1)


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


def summarise(tree: ast.AST, line_count: int) -> PyModule:
    bindings: dict[str, str] = {}
    imports: list[Import] = []
    nodes = list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports.append(Import(alias.name, node.lineno))
                if alias.asname:
                    bindings[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    bindings.setdefault(root, root)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}" if alias.name != "*" else node.module
                imports.append(Import(full, node.lineno))
                if alias.name != "*":
                    bindings[alias.asname or alias.name] = full
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            for alias in node.names:  # relative: the project's own code
                bindings.setdefault(alias.asname or alias.name, "." + alias.name)

    def resolve(name: str | None) -> str | None:
        if name is None:
            return None
        head, dot, rest = name.partition(".")
        target = bindings.get(head)
        if target is None:
            return name
        return target + (dot + rest if dot else "")

    calls: list[Call] = []
    functions: list[Definition] = []
    classes: list[Definition] = []
    asserts: list[int] = []
    names: set[str] = set()
    main_guard = False
    for node in nodes:
        if isinstance(node, ast.Call):
            name = resolve(_dotted(node.func)) or _unnamed_callee(node.func)
            if name is not None:
                kws = tuple((kw.arg or "**", _value_text(kw.value)) for kw in node.keywords)
                args = tuple(
                    a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                    for a in node.args[:4]
                )
                calls.append(Call(name, node.lineno, kws, args))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decos = tuple(
                d for d in (resolve(_dotted(_callee(x))) for x in node.decorator_list) if d
            )
            functions.append(
                Definition(node.name, node.lineno, decos, (), node.end_lineno or 0)
            )
        elif isinstance(node, ast.ClassDef):
            decos = tuple(
                d for d in (resolve(_dotted(_callee(x))) for x in node.decorator_list) if d
            )
            bases = tuple(b for b in (resolve(_dotted(x)) for x in node.bases) if b)
            classes.append(
                Definition(node.name, node.lineno, decos, bases, node.end_lineno or 0)
            )
        elif isinstance(node, ast.Assert):
            asserts.append(node.lineno)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            resolved = resolve(_dotted(node))
            if resolved:
                names.add(resolved)
        elif isinstance(node, ast.Name) and node.id in bindings:
            names.add(bindings[node.id])
        elif isinstance(node, ast.If) and _is_main_guard(node.test):
            main_guard = True
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
