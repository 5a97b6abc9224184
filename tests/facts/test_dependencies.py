"""Dependency files and pins (FACTS.md: dependency_files, deps_pinned; declared_requirements)."""

from __future__ import annotations

import codecs

import pytest

from reviewer.facts.dependencies import declared_requirements, find_dependencies

FREEZE = "\n".join(f"{n}==1.0" for n in ("certifi", "idna", "urllib3", "numpy", "pandas", "six"))

FILES_CASES = [
    ({"requirements.txt": "numpy\n"}, ["requirements.txt"]),
    (
        {"requirements/dev.txt": "pytest\n", "requirements-gpu.txt": "torch\n"},
        ["requirements-gpu.txt", "requirements/dev.txt"],
    ),
    ({"pyproject.toml": "[project]\nname='x'\ndependencies=['numpy']\n"}, ["pyproject.toml"]),
    (
        {
            "setup.py": "from setuptools import setup\nsetup(install_requires=['a'])\n",
            "setup.cfg": "[metadata]\nname = x\n",
        },
        ["setup.cfg", "setup.py"],
    ),
    ({"environment.yml": "name: x\ndependencies:\n  - numpy\n"}, ["environment.yml"]),
    (
        {
            "MLproject": "name: x\nconda_env: conda.yaml\n",
            "conda.yaml": "channels: [defaults]\ndependencies:\n  - numpy\n",
        },
        ["conda.yaml"],
    ),
    ({"Pipfile": "[packages]\nnumpy = '*'\n", "Pipfile.lock": "{}\n"}, ["Pipfile", "Pipfile.lock"]),
    ({"poetry.lock": "# lock\n", "uv.lock": "version = 1\n"}, ["poetry.lock", "uv.lock"]),
    (
        {
            "mlruns/0/abc/artifacts/model/requirements.txt": "numpy\n",
            "models/m1/MLmodel": "flavors: {}\n",
            "models/m1/conda.yaml": "dependencies: [numpy]\n",
            "models/m1/requirements.txt": "numpy\n",
        },
        [],
    ),
    ({"venv/lib/site-packages/x/requirements.txt": "numpy\n", "dvc.lock": "schema: '2.0'\n"}, []),
    ({"README.md": "pip install numpy\n"}, []),
    ({"docker-compose.env.yml": "services: {}\n"}, []),
    ({"app/forms/setup.py": "from wtforms import Form\n\nclass SetupForm(Form):\n    pass\n"}, []),
]


@pytest.mark.parametrize(
    ("files", "expected"),
    FILES_CASES,
    ids=[
        "requirements",
        "requirements-dir-and-suffix",
        "pyproject",
        "setup-py-cfg",
        "environment-yml",
        "mlproject-conda",
        "pipfile-and-lock",
        "lock-files",
        "mlflow-written-excluded",
        "vendored-and-dvc-lock-excluded",
        "readme-only",
        "compose-env-is-not-conda",
        "module-named-setup-is-not-packaging",
    ],
)
def test_dependency_files_listed_by_name_and_content(snapshot_of, files, expected):
    facts = find_dependencies(snapshot_of(files), {})
    assert facts["dependency_files"].value == expected


PIN_CASES = [
    ({"requirements.txt": "numpy==1.26.4\npandas==2.2.0  # data\n"}, "all"),
    ({"requirements.txt": "numpy==1.26.4\npandas>=2\n"}, "some"),
    ({"requirements.txt": "numpy\npandas~=2.0\ntorch==2.*\n"}, "none"),
    ({"requirements.txt": "numpy\n", "poetry.lock": "[[package]]\n"}, "all"),
    ({"requirements.txt": "numpy\n", "requirements-lock.txt": "numpy==1.0\n"}, "all"),
    (
        {
            "pyproject.toml": "[project]\nname='x'\ndependencies=['numpy>=1']\n",
            "requirements.txt": FREEZE,
        },
        "all",
    ),
    (
        {
            "environment.yml": "dependencies:\n  - python=3.10\n  - numpy=1.26.4=py310h\n"
            "  - pip\n  - pip:\n    - torch==2.1.0\n"
        },
        "all",
    ),
    (
        {
            "environment.yml": "dependencies:\n  - python=3.10\n  - numpy\n  - pip:\n"
            "    - torch==2.1.0\n"
        },
        "some",
    ),
    (
        {
            "pyproject.toml": "[tool.poetry]\nname='x'\n[tool.poetry.dependencies]\n"
            "python='^3.10'\nnumpy='1.26.4'\ntorch={version='2.1.0', source='pt'}\n"
        },
        "all",
    ),
    ({"pyproject.toml": "[tool.poetry.dependencies]\npython='^3.10'\nnumpy='^1.26'\n"}, "none"),
    ({"Pipfile": "[packages]\nnumpy = '==1.2'\nflask = '*'\n"}, "some"),
    (
        {
            "setup.py": "from setuptools import setup\nREQ = ['numpy==1.0', 'scipy==1.1']\n"
            "setup(name='x', install_requires=REQ)\n"
        },
        "all",
    ),
    ({"setup.cfg": "[options]\ninstall_requires =\n    numpy>=1\n    scipy==1.1\n"}, "some"),
    ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, "n/a"),
    ({"README.md": "# x\n"}, "n/a"),
    (
        {
            "requirements.txt": codecs.BOM_UTF16_LE
            + "numpy==1.0\r\nscipy==1.1\r\n".encode("utf-16-le")
        },
        "all",
    ),
    (
        {
            "requirements.txt": (
                "-r base.txt\n-e .\ngit+https://github.com/a/b.git\n--index-url x\n"
            ),
            "base.txt": "numpy==1.0 ; python_version > '3'\nscipy>=1 \\\n  --hash=sha256:abc\n",
        },
        "some",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"),
    PIN_CASES,
    ids=[
        "all-exact",
        "mixed",
        "no-exact-wildcard-is-not-exact",
        "lock-file-pins-all",
        "requirements-lock-pins-all",
        "pip-freeze-pins-all",
        "conda-export",
        "conda-mixed",
        "poetry-exact",
        "poetry-caret",
        "pipfile-mixed",
        "setup-py-name-bound-list",
        "setup-cfg-mixed",
        "pyproject-without-deps",
        "no-files",
        "utf16-requirements",
        "include-options-urls",
    ],
)
def test_deps_pinned_judged_over_all_declarations(snapshot_of, files, expected):
    assert find_dependencies(snapshot_of(files), {})["deps_pinned"].value == expected


def test_declared_requirements_normalise_names_and_keep_lines(snapshot_of):
    snap = snapshot_of(
        {
            "requirements.txt": "# comment\nScikit_Learn[all]==1.4.0\n\nsentence.transformers>=2\n",
            "environment.yml": (
                "channels: [conda-forge]\ndependencies:\n  - conda-forge::OpenCV=4.8\n"
            ),
        }
    )
    got = {(r.name, r.spec, r.path, r.line, r.pinned) for r in declared_requirements(snap)}
    assert got == {
        ("scikit-learn", "==1.4.0", "requirements.txt", 2, True),
        ("sentence-transformers", ">=2", "requirements.txt", 4, False),
        ("opencv", "=4.8", "environment.yml", 3, True),
    }


def test_declared_requirements_follow_includes_once(snapshot_of):
    snap = snapshot_of(
        {
            "requirements.txt": "-r reqs/common.in\n",
            "reqs/common.in": "torch==2.1\n-r ../requirements.txt\n",
        }
    )
    reqs = declared_requirements(snap)
    assert [(r.name, r.path) for r in reqs] == [("torch", "reqs/common.in")]
    assert find_dependencies(snap, {})["dependency_files"].value == [
        "reqs/common.in",
        "requirements.txt",
    ]


def test_declared_requirements_read_pyproject_groups(snapshot_of):
    snap = snapshot_of(
        {
            "pyproject.toml": (
                "[project]\nname = 'x'\ndependencies = [\n  \"fastapi>=0.110\",\n]\n"
                "[project.optional-dependencies]\ndev = ['pytest==8.0']\n"
                "[tool.poetry.group.test.dependencies]\nhypothesis = '6.0.0'\n"
            )
        }
    )
    got = {(r.name, r.line, r.pinned) for r in declared_requirements(snap)}
    assert got == {("fastapi", 4, False), ("pytest", 7, True), ("hypothesis", 9, True)}


def test_deps_pinned_evidence_points_at_loose_lines(snapshot_of):
    fact = find_dependencies(snapshot_of({"requirements.txt": "numpy==1\npandas\n"}), {})
    assert fact["deps_pinned"].evidence == ("requirements.txt:2",)
    assert "pandas" in fact["deps_pinned"].reason


def test_malformed_files_do_not_crash(snapshot_of):
    snap = snapshot_of(
        {
            "pyproject.toml": "[project\nname=",
            "environment.yml": "dependencies: [a, b\n",
            "setup.py": "setup(install_requires=[",
            "Pipfile": "[[[",
        }
    )
    facts = find_dependencies(snap, {})
    assert facts["deps_pinned"].value == "n/a"
    assert "setup.py" in facts["dependency_files"].value
