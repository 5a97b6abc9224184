"""README facts (FACTS.md: has_readme and the install / usage / results sections)."""

from __future__ import annotations

import pytest

from reviewer.facts.readme import analyse, find_readme, parse_sections


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"README.md": "# x\n"}, "README.md"),
        ({"readme.rst": "x\n=\n"}, "readme.rst"),
        ({"Readme.txt": "x\n"}, "Readme.txt"),
        ({"README": "x\n"}, "README"),
        ({"README.rst": "x\n", "README.md": "# x\n"}, "README.md"),
        ({"docs/README.md": "# x\n"}, None),
        ({"README.md.bak": "# x\n"}, None),
    ],
    ids=[
        "md",
        "rst-lower",
        "txt-mixed-case",
        "no-extension",
        "markdown-preferred",
        "not-at-root",
        "backup-is-not-readme",
    ],
)
def test_has_readme_at_root_any_case_and_extension(snapshot_of, files, expected):
    facts = find_readme(snapshot_of(files), {})
    assert facts["has_readme"].value is (expected is not None)
    if expected:
        assert facts["has_readme"].evidence == (expected,)


INSTALL = [
    ("## Installation\n\n```bash\npip install -r requirements.txt\n```\n", True),
    ("# Setup\n\nCreate the environment with `conda env create -f environment.yml`.\n", True),
    ("Steps\n-----\n\n1. Install the dependencies listed in requirements.txt\n", True),
    ("## Getting started\n\n    $ poetry install\n", True),
    ("## Environment\n\n```\ninvoke bootstrap   # create venv and install deps\n```\n", True),
    ("## Prerequisites\n\n- Python 3.10\n- PyTorch\n- CUDA\n", False),
    ("## Requirements\n\n* numpy\n* pandas\n", False),
    ("```\n├── requirements.txt   # Python dependencies\n```\n", False),
    ("```mermaid\nflowchart TD\n  A[docker build] --> B\n```\n", False),
    ("Installation\n============\n\nSee requirements.txt for the dependencies.\n", True),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    INSTALL,
    ids=[
        "pip-block",
        "conda-inline",
        "setext-install-prose",
        "indented-poetry",
        "tool-command-with-install-comment",
        "bare-prerequisites-list",
        "bare-requirements-list",
        "tree-listing-is-not-install",
        "diagram-is-not-install",
        "install-heading-with-pointer",
    ],
)
def test_install_section_needs_instructions(text, expected):
    assert bool(analyse(text).install) is expected


USAGE = [
    ("## Usage\n\n```\nstreamlit run app.py\n```\n", True),
    ("Run `python train.py --epochs 3` to train.\n", True),
    ("## Quickstart\n\n```python\nfrom pkg import Model\nModel().predict(x)\n```\n", True),
    ("Open the notebook and run all cells.\n", True),
    ("Try the live demo: https://my-app.streamlit.app\n", True),
    ("## Tests\n\n```\npython -m pytest tests/\n```\n", False),
    ("## Install\n\n```\npip install -r requirements.txt\n```\n", False),
    ("## Project structure\n\n```\n├── app.py\n└── train.py\n```\n", False),
    ("```\n$ docker compose up\n```\n", True),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    USAGE,
    ids=[
        "streamlit-block",
        "inline-python-command",
        "quickstart-api-example",
        "notebook-steps",
        "demo-link",
        "tests-are-not-usage",
        "install-only",
        "tree-only",
        "compose-up",
    ],
)
def test_usage_section_needs_a_way_to_run(text, expected):
    assert bool(analyse(text).usage) is expected


RESULTS = [
    ("## Results\n\nThe model reaches an accuracy of 0.93 on the test set.\n", True),
    ("| Model | Accuracy | F1 |\n|---|---|---|\n| LR | 0.85 | 0.80 |\n", True),
    ("We achieved **92% accuracy** with the CNN.\n", True),
    ("- **RMSE**: 3.21\n", True),
    ("It was found that reweighing improved fairness more than oversampling.\n", True),
    ("## Evaluation\n\nMetrics (RMSE, R²) will be logged to MLflow.\n", False),
    ("Accuracy, precision and F1 are computed on a 20% test split.\n", False),
    ("## Results\n\nTBD\n", False),
    ("Requires Python 3.10 and CUDA 11.8.\n", False),
    ("Trained for 10 epochs with cross-entropy loss.\n", False),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    RESULTS,
    ids=[
        "results-heading-value",
        "metric-table",
        "bold-percent",
        "metric-list-item",
        "stated-finding",
        "metrics-will-be-logged",
        "metric-names-and-split-size",
        "empty-results-heading",
        "versions-are-not-metrics",
        "epochs-are-not-metrics",
    ],
)
def test_results_section_needs_values_or_findings(text, expected):
    assert bool(analyse(text).results) is expected


def test_sections_parse_rst_and_setext_headings():
    text = (
        "Title\n=====\n\nIntro\n\nUsage\n-----\n\nrun it\n\n.. code-block:: bash\n\n   make run\n"
    )
    headings = [(s.line, s.heading) for s in parse_sections(text) if s.line]
    assert headings == [(1, "title"), (6, "usage")]
    code = [ln.text.strip() for s in parse_sections(text) for ln in s.body if ln.code]
    assert code == ["make run"]


def test_list_items_before_fences_are_not_headings():
    text = "## Getting Started\n1. Install:\n\t```\n\tnpm install\n\t```\n"
    assert [s.heading for s in parse_sections(text) if s.line] == ["getting started"]
    assert analyse(text).install == (1,)


def test_facts_give_readme_line_evidence(snapshot_of):
    readme = (
        "# Demo\n\nIntro.\n\n## Installation\n\n```\npip install .\n```\n\n## Usage\n\nRun it.\n"
    )
    facts = find_readme(snapshot_of({"README.md": readme}), {})
    assert facts["readme_has_install_section"].evidence == ("README.md:5",)
    assert facts["readme_has_usage_section"].evidence == ("README.md:11",)
    assert facts["readme_has_results_section"].value is False


def test_missing_readme_makes_every_section_false(snapshot_of):
    facts = find_readme(snapshot_of({"main.py": "print(1)\n"}), {})
    assert [f.value for f in facts.values()] == [False, False, False, False]


def test_binary_readme_is_undecided_not_guessed(snapshot_of):
    facts = find_readme(snapshot_of({"README.md": b"\x00\x01binary"}), {})
    assert facts["has_readme"].value is True
    assert facts["readme_has_usage_section"].value is None
