"""Benchmark ``reviewer batch`` over a cohort of local repositories with 1 and 2 jobs.

    python bench/bench_batch.py [--repos 24] [--files 80] [--rounds 2] [--cert mlops]

Builds the cohort in a temporary directory (real git repositories with Python modules, tests,
a notebook and a README), then runs ``reviewer batch --jobs 1`` and ``--jobs 2``, each with a
fresh data directory so no run profits from another's cache, and prints repositories per
second (best of ``--rounds``, since a shared machine is noisy) and the speed-up. On 2 cores,
2 jobs should reach at least 1.6x the rate of 1 job.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from gitrepo import commit, make_repo  # noqa: E402

MODULE = '''"""Module {i} of the {name} project."""
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split


def train_{i}(X, y, seed: int = {i}):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    model = RandomForestClassifier(n_estimators=100, random_state=seed)
    for fold, (a, b) in enumerate(StratifiedKFold(5).split(X_train, y_train)):
        model.fit(X_train[a], y_train[a])
    model.fit(X_train, y_train)
    return f1_score(y_test, model.predict(X_test)), roc_auc_score(y_test, model.predict(X_test))


def features_{i}(rows):
    return np.asarray([[len(str(r)), hash(r) % 7] for r in rows], dtype=float)
'''

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Exploration\n"]},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "outputs": [],
            "source": [
                "import pandas as pd\n",
                "from sklearn.metrics import confusion_matrix\n",
                "df = pd.DataFrame({'a': [1, 2]})\n",
                "confusion_matrix([0, 1], [0, 1])\n",
            ],
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def build_cohort(root: Path, repos: int, files: int) -> Path:
    rows = ["candidate,url"]
    for r in range(repos):
        name = f"project{r:02d}"
        content: dict[str, str] = {
            "README.md": f"# {name}\n\n## Installation\n\n```\npip install -r requirements.txt"
            "\n```\n\n## Usage\n\nRun `python -m src.model_0`.\n\n## Results\n\n"
            "F1 0.8\n",
            "requirements.txt": "scikit-learn==1.4.0\nnumpy==1.26.4\npandas==2.2.0\n",
            "notebooks/eda.ipynb": json.dumps(NOTEBOOK),
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - run: pytest tests\n",
        }
        for i in range(files):
            content[f"src/model_{i}.py"] = MODULE.format(i=i, name=name)
        for i in range(max(1, files // 5)):
            content[f"tests/test_model_{i}.py"] = (
                f"from src.model_{i} import features_{i}\n\n\n"
                f"def test_features_{i}():\n    assert features_{i}(['a']).shape == (1, 2)\n"
            )
        repo = make_repo(root / name, content)
        for c in range(3):
            commit(
                repo,
                {f"src/extra_{c}.py": f"VALUE = {c}\n"},
                f"step {c}",
                date=f"2024-02-{10 + c}T10:00:00+00:00",
            )
        rows.append(f"Candidate {r:02d},{repo}")
    cohort = root / "cohort.csv"
    cohort.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return cohort


def run_batch(cohort: Path, work: Path, jobs: int, cert: str) -> float:
    env = dict(os.environ, REVIEWER_DATA_DIR=str(work / "data"), REVIEWER_OFFLINE="1")
    argv = ["batch", str(cohort), "--cert", cert, "--out", str(work / "out"), "--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from reviewer.cli import main; main(sys.argv[1:])",
            *argv,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"batch --jobs {jobs} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=24)
    parser.add_argument("--files", type=int, default=80, help="Python modules per repository")
    parser.add_argument("--rounds", type=int, default=2, help="runs per job count (best kept)")
    parser.add_argument("--cert", default="mlops")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        cohort = build_cohort(root / "repos", args.repos, args.files)
        print(
            f"cohort: {args.repos} repositories x {args.files} modules, built in "
            f"{time.perf_counter() - t0:.1f}s; cores: {os.cpu_count()}"
        )
        rates = {}
        try:
            load = f"{os.getloadavg()[0]:.1f}"
        except OSError:
            load = "unknown"
        print(f"load average before the runs: {load}")
        for jobs in (1, 2):
            elapsed = min(
                run_batch(cohort, root / f"run{jobs}-{n}", jobs, args.cert)
                for n in range(args.rounds)
            )
            rates[jobs] = args.repos / elapsed
            print(f"--jobs {jobs}: {elapsed:6.2f}s  {rates[jobs]:6.2f} repos/s")
        ratio = rates[2] / rates[1]
        print(f"speed-up 2 jobs / 1 job: {ratio:.2f}x (target >= 1.60x)")


if __name__ == "__main__":
    main()
