"""reviewer.pycode: the one-pass summary of a module, and the parser process sharing the work."""

from __future__ import annotations

import ast
import io
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from reviewer.pycode import (
    Call,
    Definition,
    Import,
    ParserProcess,
    PyModule,
    module_from_tuple,
    module_to_tuple,
    parse_python,
    read_frame,
    serve,
    summarise,
    write_frame,
)

ROOT = Path(__file__).resolve().parents[1]


def parsed(source: str) -> PyModule:
    module = parse_python(source)
    assert module is not None
    return module


# -- a reference: the straightforward two-walk summary the fast pass must reproduce -------------


def _ref_dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    if isinstance(node, ast.Call):
        inner = _ref_dotted(node.func)
        if inner is not None:
            return ".".join([inner + "()", *reversed(parts)])
    return None


def _ref_summary(tree: ast.AST) -> tuple[object, ...]:
    """(imports, calls, functions, classes, asserts, main guard, bindings) as ast.walk sees them."""
    bindings: dict[str, str] = {}
    nodes = list(ast.walk(tree))
    imports = []
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports.append((alias.name, node.lineno))
                if alias.asname:
                    bindings[alias.asname] = alias.name
                else:
                    bindings.setdefault(alias.name.split(".")[0], alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = node.module if alias.name == "*" else f"{node.module}.{alias.name}"
                imports.append((full, node.lineno))
                if alias.name != "*":
                    bindings[alias.asname or alias.name] = full
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            for alias in node.names:
                bindings.setdefault(alias.asname or alias.name, "." + alias.name)

    def resolve(name: str | None) -> str | None:
        if name is None:
            return None
        head, dot, rest = name.partition(".")
        return bindings[head] + dot + rest if head in bindings else name

    def value_text(node: ast.AST) -> str:
        if isinstance(node, ast.Constant):
            return repr(node.value)
        return _ref_dotted(node) or type(node).__name__

    def tail(node: ast.AST) -> str:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        return ".".join(["?", *reversed(parts)])

    calls, functions, classes, asserts, guard = [], [], [], [], False
    for node in nodes:
        if isinstance(node, ast.Call):
            calls.append(
                (
                    resolve(_ref_dotted(node.func)) or tail(node.func),
                    node.lineno,
                    tuple((k.arg or "**", value_text(k.value)) for k in node.keywords),
                    tuple(
                        a.value
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)
                        else None
                        for a in node.args[:4]
                    ),
                )
            )
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            decos = tuple(
                d
                for x in node.decorator_list
                if (d := resolve(_ref_dotted(x.func if isinstance(x, ast.Call) else x)))
            )
            bases = tuple(b for x in getattr(node, "bases", ()) if (b := resolve(_ref_dotted(x))))
            row = (node.name, node.lineno, decos, bases, node.end_lineno or 0)
            (classes if isinstance(node, ast.ClassDef) else functions).append(row)
        elif isinstance(node, ast.Assert):
            asserts.append(node.lineno)
        elif isinstance(node, ast.If):
            test = node.test
            guard = guard or (
                isinstance(test, ast.Compare)
                and isinstance(test.left, ast.Name)
                and test.left.id == "__name__"
                and any(
                    isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators
                )
            )
    return (imports, calls, functions, classes, sorted(asserts), guard, list(bindings.items()))


def _fast_summary(module: PyModule) -> tuple[object, ...]:
    return (
        [(i.module, i.line) for i in module.imports],
        [(c.name, c.line, c.keywords, c.args) for c in module.calls],
        [(d.name, d.line, d.decorators, d.bases, d.end_line) for d in module.functions],
        [(d.name, d.line, d.decorators, d.bases, d.end_line) for d in module.classes],
        list(module.assert_lines),
        module.has_main_guard,
        list(module.bindings),
    )


def test_summary_matches_a_plain_walk_when_run_on_this_projects_own_code() -> None:
    files = sorted((ROOT / "reviewer").rglob("*.py")) + sorted((ROOT / "tests").glob("*.py"))
    assert len(files) > 50
    for path in files:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        assert _fast_summary(summarise(tree, 1)) == _ref_summary(tree), path


# -- what the summary holds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import numpy as np\nnp.linalg.norm(x)\n", {"numpy", "numpy.linalg.norm"}),
        ("import numpy as np\ny = np.pi.real\n", {"numpy", "numpy.pi.real"}),
        ("from . import helpers\nhelpers.run()\n", {".helpers", ".helpers.run"}),
        ("import torch\nself.model.fit(x)\n", set()),
        ("import os\nos.environ['A'] = '1'\n", {"os", "os.environ"}),
        ("import a\na.b.c = 1\n", {"a", "a.b"}),
        ("x = 1\nprint(x.real)\n", set()),
    ],
    ids=["alias", "attribute", "relative", "local-variable", "subscript-store", "store", "none"],
)
def test_names_are_read_through_import_bindings_when_referenced(
    source: str, expected: set[str]
) -> None:
    assert parsed(source).names == expected


def test_calls_keep_keywords_and_string_arguments_when_resolved() -> None:
    module = parsed(
        "import pandas as pd\n"
        "from sklearn.model_selection import train_test_split as tts\n"
        "df = pd.read_csv('data.csv', sep=';')\n"
        "a, b = tts(df, test_size=0.2, random_state=42, **extra)\n"
        "ds['train'].shuffle(seed=1)\n"
    )
    by_name = {c.name: c for c in module.calls}
    assert by_name["pandas.read_csv"] == Call(
        "pandas.read_csv", 3, (("sep", "';'"),), ("data.csv",)
    )
    split = by_name["sklearn.model_selection.train_test_split"]
    assert split.keywords == (("test_size", "0.2"), ("random_state", "42"), ("**", "extra"))
    assert split.args == (None,)
    assert by_name["?.shuffle"].keywords == (("seed", "1"),)


def test_definitions_resolve_decorators_and_bases_when_imported() -> None:
    module = parsed(
        "import pytest\nfrom unittest import TestCase\n"
        "class T(TestCase):\n    @pytest.mark.slow\n    def test_a(self):\n        assert 1\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    assert module.classes == (Definition("T", 3, (), ("unittest.TestCase",), 6),)
    assert module.functions == (Definition("test_a", 5, ("pytest.mark.slow",), (), 6),)
    assert module.imports == (Import("pytest", 1), Import("unittest.TestCase", 2))
    assert module.assert_lines == (6,) and module.has_main_guard


def test_summary_stays_bounded_when_attribute_chains_are_hostile() -> None:
    chain = "a" + ".b" * 2_000  # about the deepest the parser itself accepts
    started = time.perf_counter()
    module = parsed(f"import a\n{chain}()\nx = {chain}\n" * 20)
    assert time.perf_counter() - started < 5
    assert {c.name for c in module.calls} == {"?" + ".b" * 2_000}  # too long to spell out
    assert module.names == {"a"}


def test_repeated_names_and_keywords_are_stored_once_when_summarised() -> None:
    module = parsed("import torch\n" + "torch.manual_seed(0, a=1)\n" * 50)
    first, *rest = module.calls
    assert all(c.name is first.name and c.keywords is first.keywords for c in rest)


# -- the parser process ---------------------------------------------------------------------


def test_module_survives_the_trip_through_tuples_when_marshalled() -> None:
    module = parsed((ROOT / "reviewer" / "snapshot.py").read_text(encoding="utf-8"))
    assert module_from_tuple(module_to_tuple(module)) == module


def test_serve_answers_each_request_in_order_when_fed_frames() -> None:
    requests = io.BytesIO()
    write_frame(requests, ("a.py", "a.py", "import os\n"))
    write_frame(requests, ("b.py", "b.py", "def (:\n"))
    requests.seek(0)
    answers = io.BytesIO()
    serve(requests, answers)
    answers.seek(0)
    assert read_frame(answers) == (None, None)  # ready
    first, second = read_frame(answers), read_frame(answers)
    assert first[0] == "a.py" and module_from_tuple(first[1]).imports == (Import("os", 1),)
    assert second == ("b.py", None)
    assert read_frame(answers) is None


def _jobs(count: int, lines: int = 1) -> list[tuple[str, str]]:
    return [(f"m{i}.py", f"import mod{i}\n" + f"mod{i}.run({i})\n" * lines) for i in range(count)]


def _started(jobs: list[tuple[str, str]]) -> ParserProcess:
    """A parser process that said it is ready (before that, every job stays the caller's)."""
    parser = ParserProcess(jobs)
    limit = time.monotonic() + 30
    while not parser._ready and time.monotonic() < limit:
        time.sleep(0.01)
    time.sleep(0.05)  # and took its first jobs
    return parser


def test_parser_process_parses_what_it_is_handed_when_asked_for_results() -> None:
    parser = _started(_jobs(30))
    try:
        deadline = time.monotonic() + 60
        kinds = {}
        for path, source in _jobs(30):
            kind, data = parser.take(path, deadline)
            kinds[kind] = kinds.get(kind, 0) + 1
            module = module_from_tuple(data) if kind == "done" else parse_python(data)
            assert module == parse_python(source), path
        assert kinds.get("done", 0) > 0  # the other process did part of the work
        assert parser.take("never-handed.py", deadline) == ("unknown", None)
    finally:
        parser.close()


def test_parser_process_gives_the_last_jobs_back_when_stolen() -> None:
    parser = ParserProcess(_jobs(200))
    try:
        stolen = parser.steal()
        assert stolen is not None and stolen[0] == "m199.py"
        assert parser.take("m199.py", time.monotonic() + 60) == ("unknown", None)
    finally:
        parser.close()


def test_parser_process_returns_jobs_to_the_caller_when_it_cannot_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")
    parser = ParserProcess(_jobs(10))
    try:
        results = [parser.take(path, time.monotonic() + 60) for path, _ in _jobs(10)]
        assert [kind for kind, _ in results] == ["parse"] * 10
    finally:
        parser.close()


def _frozen_with_jobs_held(parser: ParserProcess) -> list[str]:
    """Stop the parser process (SIGSTOP) once it answered, and wait until it holds a full
    hand of jobs it will never answer; their paths."""
    assert parser.take("m0.py", time.monotonic() + 60)[0] == "done"
    os.kill(parser._proc.pid, signal.SIGSTOP)
    limit = time.monotonic() + 30
    held: list[str] = []
    while time.monotonic() < limit:  # answers written before the stop are still collected
        time.sleep(0.2)
        now = sorted(parser._busy)
        if now == held and len(held) == ParserProcess.IN_FLIGHT:
            break
        held = now
    return held


def test_parser_process_reports_files_lost_when_it_dies_while_holding_them() -> None:
    parser = _started(_jobs(400, lines=500))  # seconds of work: it cannot finish first
    try:
        held = _frozen_with_jobs_held(parser)
        assert len(held) == ParserProcess.IN_FLIGHT
        os.kill(parser._proc.pid, signal.SIGKILL)
        kinds = []
        for path, _ in _jobs(400, lines=500)[1:]:
            kind, _data = parser.take(path, time.monotonic() + 60)
            assert kind == "lost" if path in held else kind in ("done", "parse"), path
            kinds.append(kind)
        assert kinds.count("parse") > 300  # what it had not been handed comes back
    finally:
        parser.close()


def test_parser_process_gives_a_file_up_when_the_deadline_passes() -> None:
    parser = _started(_jobs(400, lines=500))  # seconds of work: it cannot finish first
    try:
        held = _frozen_with_jobs_held(parser)
        started = time.monotonic()
        assert parser.take(held[0], started + 0.3) == ("lost", None)
        assert 0.3 <= time.monotonic() - started < 10
        assert parser.take(held[1], time.monotonic() + 60) == ("lost", None)  # stopped for good
    finally:
        parser.close()
