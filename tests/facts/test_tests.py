"""Test-suite facts (FACTS.md: has_tests, test_framework, test_file_count)."""

from __future__ import annotations

import pytest

from reviewer.facts.tests import find_tests

MODEL = "def predict(x):\n    return x * 2\n"
PYTEST_TEST = "from model import predict\n\n\ndef test_predict():\n    assert predict(2) == 4\n"
UNITTEST_TEST = (
    "import unittest\nfrom model import predict\n\n\nclass TestModel(unittest.TestCase):\n"
    "    def test_predict(self):\n        self.assertEqual(predict(2), 4)\n"
)

CASES = [
    ({"model.py": MODEL, "tests/test_model.py": PYTEST_TEST}, True, "pytest", 1),
    ({"model.py": MODEL, "test_unit.py": UNITTEST_TEST}, True, "unittest", 1),
    (
        {
            "model.py": MODEL,
            "tests/test_model.py": UNITTEST_TEST,
            ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: pytest\n",
        },
        True,
        "pytest",
        1,
    ),
    (
        {
            "src/pkg/__init__.py": "",
            "src/pkg/core.py": MODEL,
            "tests/test_core.py": (
                "from pkg.core import predict\n\ndef test_it():\n    assert predict(1)\n"
            ),
            "tests/conftest.py": "import pytest\n\n@pytest.fixture\ndef x():\n    assert True\n",
            "tests/__init__.py": "assert True\n",
        },
        True,
        "pytest",
        1,
    ),
    (
        {"model.py": MODEL, "tests/test_model.py": "def test_smoke():\n    assert 1 + 1 == 2\n"},
        False,
        None,
        0,
    ),
    (
        {"app.py": MODEL, "test.py": "import requests\nprint(requests.post('http://x').json())\n"},
        False,
        None,
        0,
    ),
    (
        {
            "model.py": MODEL,
            "test_model.py": (
                "import argparse\nfrom model import predict\n\nif __name__ == '__main__':\n"
                "    p = argparse.ArgumentParser()\n    assert p\n    print(predict(3))\n"
            ),
        },
        False,
        None,
        0,
    ),
    (
        {
            "test_environment.py": "import sys\nREQUIRED_PYTHON = 'python3'\n\ndef main():\n"
            "    assert sys.version_info.major == 3\n"
        },
        False,
        None,
        0,
    ),
    (
        {"venv/lib/python3.11/site-packages/pkg/tests/test_x.py": PYTEST_TEST, "model.py": MODEL},
        False,
        None,
        0,
    ),
    (
        {
            "tests/test_api.py": (
                "import requests\n\nURL = 'http://localhost:8000/predict'\n\ndef test_api():\n"
                "    assert requests.post(URL, json={}).status_code == 200\n"
            )
        },
        True,
        "pytest",
        1,
    ),
    (
        {
            "configs/config.yaml": "seed: 1\n",
            "tests/test_config.py": (
                "import yaml\n\ndef test_seed():\n"
                "    cfg = yaml.safe_load(open('configs/config.yaml'))\n"
                "    assert cfg['seed'] == 1\n"
            ),
        },
        True,
        "pytest",
        1,
    ),
    (
        {
            "model.py": MODEL,
            "tests/test_model.py": ("from model import predict\n\nr = predict(2)\nassert r == 4\n"),
        },
        True,
        None,
        1,
    ),
    (
        {
            "model.py": MODEL,
            "tests/test_a.py": PYTEST_TEST,
            "tests/unit/test_b.py": PYTEST_TEST,
            "tests/test_empty.py": "",
        },
        True,
        "pytest",
        2,
    ),
]


@pytest.mark.parametrize(
    ("files", "has", "framework", "count"),
    CASES,
    ids=[
        "pytest-function",
        "unittest-testcase",
        "unittest-run-by-pytest-in-ci",
        "src-layout-package-ignores-init-and-conftest",
        "placeholder-test-on-nothing",
        "test-py-that-only-prints",
        "evaluation-script-named-test",
        "cookiecutter-environment-check",
        "vendored-tests",
        "integration-test-against-own-service",
        "test-on-own-config-artefact",
        "plain-asserting-script",
        "counts-files-not-empty-ones",
    ],
)
def test_tests_exercise_own_code(snapshot_of, files, has, framework, count):
    facts = find_tests(snapshot_of(files), {})
    assert facts["has_tests"].value is has
    assert facts["test_framework"].value == framework
    assert facts["test_file_count"].value == count


def test_runner_documented_beside_the_tests_makes_it_pytest(snapshot_of):
    files = {
        "pkg/model.py": MODEL,
        "pkg/tests/test_unit.py": UNITTEST_TEST.replace("model", "pkg.model"),
        "pkg/tests/README.md": "Run the tests with `pytest tests/`.\n",
    }
    facts = find_tests(snapshot_of(files), {})
    assert facts["test_framework"].value == "pytest"
    assert facts["test_framework"].evidence == ("pkg/tests/README.md",)


def test_evidence_points_at_first_test(snapshot_of):
    facts = find_tests(snapshot_of({"model.py": MODEL, "tests/test_model.py": PYTEST_TEST}), {})
    assert facts["has_tests"].evidence == ("tests/test_model.py:4",)
