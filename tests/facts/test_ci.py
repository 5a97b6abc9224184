"""CI facts (FACTS.md: has_ci, ci_systems, ci_runs_tests)."""

from __future__ import annotations

import time

import pytest

from reviewer.facts.ci import find_ci

GHA_PYTEST = (
    "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n      - name: Install\n        run: pip install pytest\n"
    "      - name: Test\n        run: |\n          python -m pip install -e .\n"
    "          python -m pytest tests/ -q\n"
)
GHA_ECHO = (
    'jobs:\n  test:\n    steps:\n      - name: Run tests\n        run: echo "running tests"\n'
    "      - run: pip install pytest\n"
)

TEST = {"tests/test_model.py": "def test_x():\n    assert True\n"}

CASES = [
    ({".github/workflows/ci.yml": GHA_PYTEST}, True, ["github-actions"], True),
    ({".github/workflows/ci.yaml": GHA_ECHO}, True, ["github-actions"], False),
    ({".github/workflows/ci.yml": ""}, False, [], False),
    ({".github/workflows/.gitkeep": ""}, False, [], False),
    ({".github/workflows/ci.yml": "# TODO\n\n"}, False, [], False),
    ({".github/workflows/old/ci.yml": GHA_PYTEST}, False, [], False),
    (
        {
            ".gitlab-ci.yml": "test:\n  script:\n    - pip install -r requirements.txt\n"
            "    - python -m unittest discover\n"
        },
        True,
        ["gitlab-ci"],
        True,
    ),
    (
        {
            ".circleci/config.yml": "jobs:\n  build:\n    steps:\n      - run:\n"
            "          command: tox -e py311\n"
        },
        True,
        ["circleci"],
        True,
    ),
    ({".travis.yml": "language: python\nscript: nosetests\n"}, True, ["travis"], True),
    (
        {"azure-pipelines.yml": "steps:\n- script: poetry run pytest\n"},
        True,
        ["azure-pipelines"],
        True,
    ),
    (
        {
            "Jenkinsfile": "pipeline {\n  stages {\n    stage('Test') {\n      steps {\n"
            "        sh 'make test'\n      }\n    }\n  }\n}\n",
            "Makefile": "test:\n\tpytest -q\n",
        },
        True,
        ["jenkins"],
        True,
    ),
    (
        {
            ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: make check\n",
            "Makefile": "check: lint test\nlint:\n\truff check .\ntest:\n\tpython -m pytest\n",
        },
        True,
        ["github-actions"],
        True,
    ),
    (
        {
            ".github/workflows/ci.yml": (
                "jobs:\n  t:\n    steps:\n      - run: bash scripts/ci.sh\n"
            ),
            "scripts/ci.sh": "set -e\necho start\npytest tests\n",
        },
        True,
        ["github-actions"],
        True,
    ),
    (
        {".github/workflows/train.yml": "jobs:\n  t:\n    steps:\n      - run: python train.py\n"},
        True,
        ["github-actions"],
        False,
    ),
    (
        {
            ".github/workflows/ci.yml": (
                "jobs:\n  t:\n    steps:\n     - name: Lint\n      uses: x\n"
                "    - name: Test\n      run: |\n        PYTHONPATH=. pytest\n"
            )
        },
        True,
        ["github-actions"],
        True,
    ),
    (
        {".github/workflows/a.yml": GHA_ECHO, ".gitlab-ci.yml": "t:\n  script: [make]\n"},
        True,
        ["github-actions", "gitlab-ci"],
        False,
    ),
]


@pytest.mark.parametrize(
    ("files", "has", "systems", "runs"),
    CASES,
    ids=[
        "gha-pytest",
        "echo-only-named-run-tests",
        "zero-byte",
        "gitkeep",
        "comments-only",
        "subdirectory-not-read-by-github",
        "gitlab-unittest",
        "circleci-tox",
        "travis-nose",
        "azure-poetry-pytest",
        "jenkins-make-test",
        "make-target-depends-on-test",
        "script-that-runs-pytest",
        "training-is-not-testing",
        "broken-yaml-still-counts",
        "two-systems",
    ],
)
def test_ci_configuration_and_test_step(snapshot_of, files, has, systems, runs):
    facts = find_ci(snapshot_of({**TEST, **files}), {})
    assert facts["has_ci"].value is has
    assert facts["ci_systems"].value == systems
    assert facts["ci_runs_tests"].value is runs


def test_runner_without_test_files_runs_no_tests(snapshot_of):
    facts = find_ci(snapshot_of({".github/workflows/ci.yml": GHA_PYTEST, "app.py": "x = 1\n"}), {})
    assert facts["has_ci"].value is True
    assert facts["ci_runs_tests"].value is False
    assert "no test files" in facts["ci_runs_tests"].reason


def test_evidence_names_the_step_line(snapshot_of):
    facts = find_ci(snapshot_of({**TEST, ".github/workflows/ci.yml": GHA_PYTEST}), {})
    assert facts["ci_runs_tests"].evidence == (".github/workflows/ci.yml:13",)


def test_yaml_bomb_is_read_in_bounded_time(snapshot_of):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    lines.append("jobs:\n  t:\n    steps:\n      - run: pytest")
    snap = snapshot_of({**TEST, ".github/workflows/bomb.yml": "\n".join(lines) + "\n"})
    started = time.perf_counter()
    facts = find_ci(snap, {})
    assert time.perf_counter() - started < 2.0
    assert facts["ci_runs_tests"].value is True
