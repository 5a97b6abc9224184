"""Tests that exercise the candidate's own code (FACTS.md: has_tests, test_framework,
test_file_count).

A test file is a ``.py`` named ``test_*.py`` / ``*_test.py`` or under a ``tests/`` (``test/``)
directory that holds at least one assertion and exercises the project: it imports the
project's own modules, calls the project's own service (a local URL), or loads the project's
files. ``__init__.py`` and ``conftest.py`` are never tests. A file without test functions or
test classes is a test only when named like one and shaped like one (no ``__main__`` guard, no
command-line parsing): that keeps out evaluation scripts saved as ``test.py`` /
``test_model.py`` and scripts that only print a response.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from reviewer.facts.base import finder
from reviewer.pycode import PyModule
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_TEST_NAME = re.compile(r"test_.+\.py|.+_test\.py|tests?\.py", re.IGNORECASE)
_STRICT_TEST_NAME = re.compile(r"test_.+\.py|.+_test\.py", re.IGNORECASE)
_TEST_DIRS = frozenset({"tests", "test", "testing", "unit_tests", "integration_tests"})
_NEVER = frozenset({"__init__.py", "conftest.py", "setup.py"})
_TEST_FUNC = re.compile(r"test_\w*|test[A-Z0-9]\w*")
_ASSERT_CALLS = (
    "pytest.raises",
    "pytest.approx",
    "pytest.fail",
    "pytest.warns",
    "numpy.testing",
    "pandas.testing",
    "torch.testing",
    "tensorflow.test",
    "np.testing",
    "pd.testing",
    "assertpy",
    "hamcrest",
    "unittest.TestCase",
)
_MAY_ASSERT = re.compile(r"assert|\.fail\(|raises|warns\(|expect\(|testing\.")
_ASSERT_PREFIXES = tuple(p + "." for p in _ASSERT_CALLS)
_LOCAL_URL = re.compile(r"localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]")
_HTTP_CLIENTS = ("requests", "httpx", "aiohttp", "urllib.request", "http.client")
_TESTCLIENT = re.compile(r"(?:^|\.)(?:TestClient|test_client|Client|AsyncClient)$")
_ARTEFACT = re.compile(
    r"\.(?:pkl|pickle|joblib|pt|pth|h5|keras|onnx|csv|parquet|json|ya?ml|"
    r"npy|npz|bin|safetensors|txt|sav|model|cbm|tflite)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundTest:
    path: str
    line: int  # first test function / assertion
    framework: str | None  # "pytest", "unittest" or None (plain asserting script)


def is_test_path(path: str) -> bool:
    """A ``.py`` named or placed like a test file (``test_*.py``, ``*_test.py``, ``tests/``)."""
    name = posixpath.basename(path)
    if name in _NEVER or not name.endswith(".py"):
        return False
    dirs = path.split("/")[:-1]
    return bool(_TEST_NAME.fullmatch(name)) or any(d.lower() in _TEST_DIRS for d in dirs)


def project_modules(snapshot: Snapshot) -> frozenset[str]:
    """Names by which the project's own code can be imported (modules and package dirs)."""
    names: set[str] = set()
    for path in snapshot.python_files:
        if is_test_path(path):
            continue
        parts = path[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        for part in parts:
            if part and part.isidentifier() and part.lower() not in _TEST_DIRS:
                names.add(part)
    names -= {"conftest", "setup", "__main__"}
    return frozenset(names)


def _assertion_line(module: PyModule) -> int | None:
    """First line of an ``assert`` or an assertion call (unittest, pytest, numpy, pandas...)."""
    if module.assert_lines:
        return module.assert_lines[0]
    lines = [
        call.line
        for call in module.calls
        if call.name.startswith(("self.assert", "self.fail"))
        or call.name.startswith(_ASSERT_PREFIXES)
        or call.name in _ASSERT_CALLS
        or call.name.rsplit(".", 1)[-1].startswith(("assert_", "assert_that"))
        or call.name.rsplit(".", 1)[-1] in ("assertEqual", "assertTrue", "expect")
    ]
    return min(lines) if lines else None


@dataclass(frozen=True)
class _Project:
    """What the candidate's own code and files are called."""

    modules: frozenset[str]  # importable names of the project's modules and packages
    paths: frozenset[str]  # every file
    dirs: frozenset[str]  # every directory


_STRING = re.compile(r"[\"']([\w][\w./\\-]{1,200})[\"']")


def _exercises_project(module: PyModule, source: str, project: _Project, path: str) -> bool:
    """Imports the project's code, calls its local service, or reads its files."""
    own = project.modules - {posixpath.basename(path)[:-3]}
    if any(imp.module.split(".")[0] in own for imp in module.imports):
        return True
    if any(n.startswith(".") for n in module.names):
        return True  # relative import of the package under test
    uses_http = any(
        c.name == p or c.name.startswith(p + ".") for c in module.calls for p in _HTTP_CLIENTS
    )
    if uses_http and _LOCAL_URL.search(source):
        return True
    if any(_TESTCLIENT.search(c.name) for c in module.calls) and uses_http:
        return True
    dynamic_import = bool(module.calls_matching("importlib.import_module", "__import__"))
    base = posixpath.dirname(path)
    for literal in _STRING.findall(source):
        if dynamic_import and literal.split(".")[0] in own:
            return True
        if _refers_to_repo_path(literal, base, project):
            return True
    return False


def _refers_to_repo_path(literal: str, base: str, project: _Project) -> bool:
    clean = literal.replace("\\", "/").strip("/")
    if clean.startswith("./"):
        clean = clean[2:]
    if not clean or clean in (".", ".."):
        return False
    is_file_like = bool(_ARTEFACT.search(clean)) or "/" in clean
    joined = posixpath.normpath(posixpath.join(base, clean))
    for candidate in (clean, joined):
        if candidate in project.paths or (is_file_like and candidate in project.dirs):
            return True
        if "/" not in candidate and candidate in project.dirs and candidate not in _GENERIC_DIRS:
            return True
    return "/" in clean and any(p.endswith("/" + clean) for p in project.paths)


_GENERIC_DIRS = frozenset({"tmp", "temp", "output", "outputs", "test", "tests", "src", "lib"})


def _classify(module: PyModule, name: str) -> tuple[bool, int | None, str | None]:
    """(shaped like a test file, first test line, framework) for a file with an assertion."""
    testcase_classes = [
        c for c in module.classes if any(b.rsplit(".", 1)[-1].endswith("TestCase") for b in c.bases)
    ]
    test_classes = testcase_classes + [
        c for c in module.classes if c.name.startswith("Test") and c not in testcase_classes
    ]
    test_funcs = [f for f in module.functions if _TEST_FUNC.fullmatch(f.name)]
    uses_pytest = bool(module.imports_matching("pytest")) or any(
        d.startswith("pytest.") for f in module.functions for d in f.decorators
    )

    bare = [
        f
        for f in test_funcs
        if not any(c.line <= f.line <= (c.end_line or c.line) for c in testcase_classes)
    ]
    if test_funcs or testcase_classes:
        framework = "pytest" if uses_pytest or bare else "unittest"
        first = min([f.line for f in test_funcs] + [c.line for c in test_classes])
        return True, first, framework
    if module.has_main_guard or module.calls_matching("argparse", "sys.argv"):
        return False, None, None
    if not _STRICT_TEST_NAME.fullmatch(name):
        return False, None, None
    return True, None, "pytest" if uses_pytest else None


def find_test_files(snapshot: Snapshot) -> list[FoundTest]:
    """The candidate's test files, per FACTS.md."""
    paths = frozenset(snapshot.paths)
    dirs = frozenset("/".join(p.split("/")[:i]) for p in paths for i in range(1, p.count("/") + 1))
    project = _Project(project_modules(snapshot), paths, dirs)
    out: list[FoundTest] = []
    for path in snapshot.python_files:
        if not is_test_path(path) or snapshot.size(path) == 0:
            continue
        name = posixpath.basename(path)
        if name == "test_environment.py" and "REQUIRED_PYTHON" in (snapshot.text(path) or ""):
            continue  # cookiecutter-data-science's interpreter check
        if not _MAY_ASSERT.search(snapshot.text(path) or ""):
            continue  # no assertion can be in it: not worth parsing
        module = snapshot.python(path)
        if module is None:
            continue
        assertion = _assertion_line(module)
        if assertion is None:
            continue
        shaped, first, framework = _classify(module, name)
        if not shaped:
            continue
        if not _exercises_project(module, snapshot.text(path) or "", project, path):
            continue
        out.append(FoundTest(path, first or assertion, framework))
    return out


_RUNNER_FILES = re.compile(
    r"pytest\.ini|tox\.ini|noxfile\.py|setup\.cfg|pyproject\.toml|makefile|"
    r".*\.ya?ml|jenkinsfile|readme(?:\.\w+)?|run_tests\.sh|test\.sh",
    re.IGNORECASE,
)
_PYTEST_RUNNER = re.compile(r"\bpytest\b|\[tool:pytest\]|\[tool\.pytest")


def _runner_is_pytest(snapshot: Snapshot, test_dirs: set[str]) -> str | None:
    """A file that documents or configures pytest as the runner (path), else None.

    Read: CI configurations, pytest/tox/nox configuration, Makefiles and READMEs at the root or
    in a directory holding the tests (or one above it).
    """
    near_tests = {""}
    for d in test_dirs:
        while d:
            near_tests.add(d)
            d = posixpath.dirname(d)
    for path in snapshot.paths:
        name = posixpath.basename(path)
        if not _RUNNER_FILES.fullmatch(name):
            continue
        in_ci = path.startswith((".github/workflows/", ".circleci/")) or name.startswith(
            (".gitlab-ci", ".travis", "azure-pipelines")
        )
        if name.lower().endswith((".yml", ".yaml")) and not in_ci:
            continue
        if not in_ci and name.lower() != "pytest.ini" and posixpath.dirname(path) not in near_tests:
            continue
        if snapshot.size(path) > 500_000:
            continue
        text = snapshot.text(path) or ""
        if name.lower() == "pyproject.toml" or name.lower() == "setup.cfg":
            if re.search(r"\[tool[.:]pytest", text):
                return path
            continue
        if _PYTEST_RUNNER.search(text):
            return path
    return None


@finder("has_tests", "test_framework", "test_file_count")
def find_tests(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    files = find_test_files(snapshot)
    if not files:
        reason = "no test file with an assertion on the project's own code"
        return {
            "has_tests": Fact(False, (), reason),
            "test_framework": Fact(None, (), "no tests"),
            "test_file_count": Fact(0, (), reason),
        }
    evidence = tuple(f"{f.path}:{f.line}" for f in files[:20])
    dirs = sorted({posixpath.dirname(f.path) or "the root" for f in files})
    where = ", ".join(d + ("/" if d != "the root" else "") for d in dirs[:3])
    count = Fact(len(files), evidence, f"{len(files)} test file(s) under {where}")
    frameworks = {f.framework for f in files}
    test_dirs = {posixpath.dirname(f.path) for f in files}
    runner = _runner_is_pytest(snapshot, test_dirs) if "pytest" not in frameworks else None
    if "pytest" in frameworks:
        fw = Fact(
            "pytest",
            tuple(f"{f.path}:{f.line}" for f in files if f.framework == "pytest")[:10],
            "tests use pytest (bare test functions, fixtures or import pytest)",
        )
    elif runner is not None:
        fw = Fact("pytest", (runner,), f"{runner} runs the tests with pytest")
    elif frameworks == {"unittest"}:
        fw = Fact("unittest", evidence[:10], "every test is a unittest.TestCase")
    elif "unittest" in frameworks:
        fw = Fact("unittest", evidence[:10], "the structured tests are unittest.TestCase classes")
    else:
        fw = Fact(None, evidence[:10], "tests are plain asserting scripts (no test framework)")
    noun = "file" if len(files) == 1 else "files"
    return {
        "has_tests": Fact(
            True, evidence, f"{fw.value or 'plain'} tests in {len(files)} {noun} under {where}"
        ),
        "test_framework": fw,
        "test_file_count": count,
    }
