"""The names and types of every fact an inspection reports (the contract of FACTS.md).

Rubrics may only refer to names listed here; ``kind`` tells rule authors which operators make
sense (``bool``, ``int``, ``str``, ``list``, ``enum``, ``date``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: str  # bool | int | str | list | enum | date
    summary: str
    choices: tuple[str, ...] = ()
    source: str = "clone"  # clone | github


_DEPS_PINNED = ("all", "some", "none", "n/a")

FACTS: tuple[FactSpec, ...] = (
    # -- FACTS.md -------------------------------------------------------------------------------
    FactSpec("has_readme", "bool", "a README at the root"),
    FactSpec("readme_has_install_section", "bool", "the README says how to install / set up"),
    FactSpec("readme_has_usage_section", "bool", "the README says how to run or use it"),
    FactSpec("readme_has_results_section", "bool", "the README reports results or metrics"),
    FactSpec("has_license", "bool", "a license file or declared license"),
    FactSpec("license_spdx", "str", "SPDX id of the license"),
    FactSpec("dependency_files", "list", "dependency declaration files"),
    FactSpec("deps_pinned", "enum", "exact pins of Python dependencies", _DEPS_PINNED),
    FactSpec("has_tests", "bool", "test files exercising the project's own code"),
    FactSpec("test_framework", "enum", "pytest or unittest", ("pytest", "unittest")),
    FactSpec("test_file_count", "int", "number of test files"),
    FactSpec("has_ci", "bool", "any CI configuration"),
    FactSpec("ci_systems", "list", "CI systems configured"),
    FactSpec("ci_runs_tests", "bool", "a CI configuration runs the tests"),
    FactSpec("has_dockerfile", "bool", "a Dockerfile or Containerfile"),
    FactSpec("has_docker_compose", "bool", "a compose file"),
    FactSpec("notebook_count", "int", "number of .ipynb files"),
    FactSpec("notebooks_only", "bool", "the ML code lives only in notebooks"),
    FactSpec("experiment_tracking", "list", "experiment trackers really used"),
    FactSpec("data_versioning", "list", "dvc / git-lfs / lakefs"),
    FactSpec("has_large_files_committed", "bool", "a committed blob over 10 MB"),
    FactSpec("orchestration", "list", "pipeline orchestrators used"),
    FactSpec("serving", "list", "model serving / app frameworks used"),
    FactSpec("monitoring", "list", "model / data monitoring tools used"),
    FactSpec("responsible_ai", "list", "fairness / explainability tools, model cards, datasheets"),
    FactSpec("domains", "list", "what the project is about"),
    FactSpec("ml_libraries", "list", "ML/AI libraries imported"),
    FactSpec("sets_random_seed", "bool", "training or splitting code sets a seed"),
    FactSpec("is_fork_or_copy", "bool", "a GitHub fork or an obvious copy"),
    FactSpec("commit_count", "int", "commits reachable from the pin"),
    FactSpec("author_count", "int", "distinct author e-mail addresses"),
    FactSpec("first_commit_date", "date", "earliest author date (UTC)"),
    FactSpec("last_commit_date", "date", "latest author date (UTC)"),
    FactSpec("secrets_committed", "bool", "a real credential committed at the pin"),
    # -- extra facts, each defined precisely in the docstring of the finder module producing it
    FactSpec("metrics_computed", "list", "evaluation metrics computed in code"),
    FactSpec("hyperparameter_search", "list", "hyper-parameter search tools used"),
    FactSpec("cross_validation", "bool", "k-fold / cross-validation used in code"),
    FactSpec("dataset_sources", "list", "datasets loaded by name or URL in code"),
    FactSpec("pretrained_models", "list", "pretrained model ids loaded in code"),
    FactSpec("vector_stores", "list", "vector databases / indexes used"),
    FactSpec("data_validation", "list", "data validation libraries used"),
    FactSpec("python_file_count", "int", "the candidate's own .py files"),
    FactSpec("declared_unused_libraries", "list", "declared in requirements, never imported"),
    # -- from the GitHub API (None with a reason when the API was not reachable) ------------
    FactSpec(
        "visibility",
        "enum",
        "repository visibility on GitHub",
        ("public", "private", "internal"),
        source="github",
    ),
    FactSpec("is_fork", "bool", "GitHub says the repository is a fork", source="github"),
    FactSpec(
        "ci_status",
        "enum",
        "conclusion of the latest CI run on the default branch",
        (
            "success",
            "failure",
            "cancelled",
            "skipped",
            "timed_out",
            "action_required",
            "neutral",
            "stale",
            "startup_failure",
            "in_progress",
        ),
        source="github",
    ),
    FactSpec("github_archived", "bool", "the repository is archived on GitHub", source="github"),
    FactSpec("github_stars", "int", "stargazers on GitHub", source="github"),
    FactSpec("github_topics", "list", "topics set on GitHub", source="github"),
    FactSpec("github_license_spdx", "str", "license GitHub detects", source="github"),
)

FACT_NAMES: frozenset[str] = frozenset(f.name for f in FACTS)
BY_NAME: dict[str, FactSpec] = {f.name: f for f in FACTS}
