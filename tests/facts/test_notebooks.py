"""Notebook facts (FACTS.md: notebook_count, notebooks_only; python_file_count)."""

from __future__ import annotations

import pytest
from snapfactory import notebook

from reviewer.facts.notebooks import find_notebooks

NB = notebook("import pandas as pd\ndf = pd.read_csv('train.csv')", ("markdown", "# EDA"))

CASES = [
    ({"eda.ipynb": NB, "notebooks/model.ipynb": NB}, 2, True, 0),
    (
        {"eda.ipynb": NB, "eda.py": "import pandas as pd\ndf = pd.read_csv('train.csv')\n"},
        1,
        False,
        1,
    ),
    (
        {
            "eda.ipynb": NB,
            "src/__init__.py": "",
            "setup.py": "from setuptools import setup\nsetup()\n",
            "docs/conf.py": "project = 'x'\n",
        },
        1,
        True,
        3,
    ),
    ({"eda.ipynb": NB, "src/__init__.py": '"""Package."""\nfrom .a import b\n'}, 1, True, 1),
    ({"eda.ipynb": NB, "config.py": "SEED = 42\n"}, 1, False, 1),
    ({"README.md": "# nothing\n"}, 0, False, 0),
    ({"train.py": "print(1)\n"}, 0, False, 1),
    (
        {
            "eda.ipynb": NB,
            ".ipynb_checkpoints/eda-checkpoint.ipynb": NB,
            "venv/lib/site.py": "x = 1\n",
        },
        1,
        True,
        0,
    ),
    (
        {"eda.ipynb": NB, "docker/jupyter_notebook_config.py": "c.NotebookApp.ip = '*'\n"},
        1,
        True,
        1,
    ),
]


@pytest.mark.parametrize(
    ("files", "count", "only", "py_count"),
    CASES,
    ids=[
        "notebooks-only",
        "py-export-beside-notebook",
        "packaging-boilerplate-is-not-code",
        "import-only-init",
        "constants-module-is-code",
        "no-code-at-all",
        "scripts-only",
        "checkpoints-and-vendored-ignored",
        "jupyter-config-is-not-code",
    ],
)
def test_notebooks_and_python_files(snapshot_of, files, count, only, py_count):
    facts = find_notebooks(snapshot_of(files), {})
    assert facts["notebook_count"].value == count
    assert facts["notebooks_only"].value is only
    assert facts["python_file_count"].value == py_count
