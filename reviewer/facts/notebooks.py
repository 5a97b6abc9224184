"""Notebooks and Python files (FACTS.md: notebook_count, notebooks_only; python_file_count).

``notebooks_only``: there are notebooks and no non-notebook Python code — a ``.py`` export
beside a notebook makes it false, and it is false when there is no code at all. "Python code"
is a ``.py`` file that does something: not empty, not only comments, docstrings, imports or
``pass`` (an empty ``__init__.py`` is not code), and not packaging or tooling boilerplate
(``setup.py``, ``conftest.py``, Sphinx's ``docs/conf.py``, cookiecutter's
``test_environment.py``, Jupyter's own configuration files).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from reviewer.facts.base import finder
from reviewer.report import Fact
from reviewer.snapshot import Snapshot

_BOILERPLATE = frozenset(
    {
        "setup.py",
        "conftest.py",
        "test_environment.py",
        "noxfile.py",
        "jupyter_notebook_config.py",
        "jupyter_server_config.py",
        "jupyter_lab_config.py",
        "ipython_config.py",
        "ipython_kernel_config.py",
    }
)
_TRIVIAL_LINE = re.compile(
    r"^\s*(?:#.*|import\s.*|from\s+\S+\s+import\s.*|pass|\.\.\.|__all__\s*=.*|"
    r"__version__\s*=.*|[\"']{3}.*|[\"'].*[\"'])?\s*$"
)


def is_code_file(snapshot: Snapshot, path: str) -> bool:
    """A .py file of the candidate that holds real code (see the module docstring)."""
    name = posixpath.basename(path)
    if name in _BOILERPLATE or (name == "conf.py" and "docs" in path.split("/")[:-1]):
        return False
    if snapshot.size(path) <= 0:
        return False
    module = snapshot.python(path)
    if module is not None and (module.functions or module.classes or module.calls):
        return True
    text = snapshot.text(path)
    if text is None:
        return snapshot.size(path) > 0
    in_doc = False
    for line in text.splitlines():
        stripped = line.strip()
        quotes = stripped.count('"""') + stripped.count("'''")
        if in_doc:
            in_doc = quotes % 2 == 0
            continue
        if stripped.startswith(('"""', "'''")) and quotes % 2 == 1:
            in_doc = True
            continue
        if not _TRIVIAL_LINE.match(line):
            return True
    return False


@finder("notebook_count", "notebooks_only", "python_file_count")
def find_notebooks(snapshot: Snapshot, found: Mapping[str, Fact]) -> dict[str, Fact]:
    notebooks = snapshot.notebooks
    py_files = snapshot.python_files
    nb_count = Fact(
        len(notebooks),
        tuple(notebooks[:20]),
        f"{len(notebooks)} notebook(s)" + (f", e.g. {notebooks[0]}" if notebooks else ""),
    )
    py_count = Fact(
        len(py_files), tuple(py_files[:20]), f"{len(py_files)} .py file(s) of the candidate"
    )
    if not notebooks:
        only = Fact(False, (), "no notebooks")
    else:
        code = next((p for p in py_files if is_code_file(snapshot, p)), None)
        if code is None:
            only = Fact(
                True,
                tuple(notebooks[:10]),
                f"code only in {len(notebooks)} notebook(s); no Python code outside them",
            )
        else:
            only = Fact(False, (code,), f"Python code outside notebooks, e.g. {code}")
    return {"notebook_count": nb_count, "notebooks_only": only, "python_file_count": py_count}
