"""Build ``Report`` objects directly, without inspecting a repository (shared test helper).

    from reportfactory import make_report
    report = make_report({"has_tests": (True, ["tests/test_a.py"]), "test_file_count": 1})
    bare = make_report({"has_tests": False}, base="bare")

A fact is given as a plain value (no evidence), as ``(value, [evidence, ...])`` or as a
``Fact``. ``base`` picks the facts everything starts from: ``"typical"`` (a reasonable ML
project with evidence everywhere), ``"bare"`` (a weak, notebook-only project) or ``"none"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reviewer.report import Fact, RepoRef, Report

DEFAULT_COMMIT = "0123456789abcdef0123456789abcdef01234567"

TYPICAL: dict[str, Any] = {
    "has_readme": (True, ["README.md"]),
    "readme_has_install_section": (True, ["README.md:5"]),
    "readme_has_usage_section": (True, ["README.md:14"]),
    "readme_has_results_section": (True, ["README.md:30"]),
    "has_license": (True, ["LICENSE"]),
    "license_spdx": ("MIT", ["LICENSE"]),
    "dependency_files": (["requirements.txt"], ["requirements.txt"]),
    "deps_pinned": ("some", ["requirements.txt:3"]),
    "has_tests": (True, ["tests/test_features.py", "tests/test_train.py"]),
    "test_framework": ("pytest", ["tests/test_features.py:1"]),
    "test_file_count": 2,
    "has_ci": (True, [".github/workflows/ci.yml"]),
    "ci_systems": (["github-actions"], [".github/workflows/ci.yml"]),
    "ci_runs_tests": (True, [".github/workflows/ci.yml:21"]),
    "has_dockerfile": (False, []),
    "has_docker_compose": (False, []),
    "notebook_count": (1, ["notebooks/eda.ipynb"]),
    "notebooks_only": False,
    "experiment_tracking": (["mlflow"], ["src/train.py:8", "src/train.py:40"]),
    "data_versioning": [],
    "has_large_files_committed": False,
    "orchestration": [],
    "serving": (["fastapi"], ["src/serve.py:5"]),
    "monitoring": [],
    "responsible_ai": (["shap"], ["notebooks/eda.ipynb#cell=12:3"]),
    "domains": (["tabular-ml"], ["src/train.py:3"]),
    "ml_libraries": (["sklearn", "xgboost"], ["src/train.py:3", "src/model.py:2"]),
    "sets_random_seed": (True, ["src/train.py:17"]),
    "is_fork_or_copy": False,
    "commit_count": 37,
    "author_count": 1,
    "first_commit_date": "2024-01-10",
    "last_commit_date": "2024-03-02",
    "secrets_committed": False,
    "metrics_computed": (["f1", "roc_auc", "confusion_matrix"], ["src/evaluate.py:22"]),
    "hyperparameter_search": (["optuna"], ["src/tune.py:12"]),
    "cross_validation": (True, ["src/train.py:55"]),
    "dataset_sources": (["openml:credit-g"], ["src/data.py:9"]),
    "pretrained_models": [],
    "vector_stores": [],
    "data_validation": [],
    "python_file_count": 9,
    "declared_unused_libraries": [],
    "visibility": "public",
    "is_fork": False,
    "ci_status": "success",
}

BARE: dict[str, Any] = {
    "has_readme": (True, ["README.md"]),
    "readme_has_install_section": False,
    "readme_has_usage_section": False,
    "readme_has_results_section": False,
    "has_license": False,
    "license_spdx": None,
    "dependency_files": [],
    "deps_pinned": "n/a",
    "has_tests": False,
    "test_framework": None,
    "test_file_count": 0,
    "has_ci": False,
    "ci_systems": [],
    "ci_runs_tests": False,
    "has_dockerfile": False,
    "has_docker_compose": False,
    "notebook_count": (1, ["Untitled.ipynb"]),
    "notebooks_only": (True, ["Untitled.ipynb"]),
    "experiment_tracking": [],
    "data_versioning": [],
    "has_large_files_committed": (True, ["data/train.csv"]),
    "orchestration": [],
    "serving": [],
    "monitoring": [],
    "responsible_ai": [],
    "domains": (["tabular-ml"], ["Untitled.ipynb#cell=2"]),
    "ml_libraries": (["sklearn"], ["Untitled.ipynb#cell=2:1"]),
    "sets_random_seed": False,
    "is_fork_or_copy": False,
    "commit_count": 1,
    "author_count": 1,
    "first_commit_date": "2024-05-01",
    "last_commit_date": "2024-05-01",
    "secrets_committed": False,
    "metrics_computed": (["accuracy"], ["Untitled.ipynb#cell=9:4"]),
    "hyperparameter_search": [],
    "cross_validation": False,
    "dataset_sources": [],
    "pretrained_models": [],
    "vector_stores": [],
    "data_validation": [],
    "python_file_count": 0,
    "declared_unused_libraries": [],
    "visibility": None,
    "is_fork": None,
    "ci_status": None,
}

BASES: dict[str, dict[str, Any]] = {"typical": TYPICAL, "bare": BARE, "none": {}}


def as_fact(spec: Any) -> Fact:
    if isinstance(spec, Fact):
        return spec
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], (list, tuple)):
        value, evidence = spec
        return Fact(value, tuple(evidence), "" if value is not None else "undecided in test")
    return Fact(spec, (), "" if spec is not None else "undecided in test")


def make_report(
    facts: Mapping[str, Any] | None = None,
    *,
    base: str = "typical",
    commit: str = DEFAULT_COMMIT,
    owner: str | None = "alice",
    name: str = "churn-model",
    drop: Sequence[str] = (),
    metadata: Mapping[str, Any] | None = None,
) -> Report:
    """A Report at ``commit`` of ``github.com/owner/name`` (``owner=None``: a local path)."""
    merged = {**BASES[base], **(facts or {})}
    for name_ in drop:
        merged.pop(name_, None)
    target = RepoRef("github.com", owner, name) if owner is not None else None
    url = target.web_url if target is not None else f"/tmp/{name}"
    return Report(
        target_url=url,
        target=target,
        commit=commit,
        inspected_at="2024-06-01T10:00:00+00:00",
        tool_version="0.1.0",
        facts={k: as_fact(v) for k, v in merged.items()},
        metadata=dict(metadata or {}),
    )
