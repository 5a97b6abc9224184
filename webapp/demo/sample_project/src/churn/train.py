"""Train and evaluate the churn model: ``python -m churn.train --data FILE --out DIR``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = ["tenure_months", "monthly_fee", "support_calls"]
CATEGORICAL = ["contract"]
RANDOM_STATE = 42


def build_pipeline() -> Pipeline:
    features = ColumnTransformer(
        [
            ("numeric", StandardScaler(), NUMERIC),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
        ]
    )
    model = GradientBoostingClassifier(random_state=RANDOM_STATE)
    return Pipeline([("features", features), ("model", model)])


def evaluate(frame: pd.DataFrame) -> dict[str, float]:
    x, y = frame[NUMERIC + CATEGORICAL], frame["churned"]
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.2, stratify=y, random_state=RANDOM_STATE
    )
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=RANDOM_STATE)
    scores = cross_val_score(build_pipeline(), x_train, y_train, cv=folds, scoring="roc_auc")
    pipeline = build_pipeline().fit(x_train, y_train)
    test_accuracy = float(pipeline.score(x_test, y_test))
    return {
        "cv_auc_mean": float(scores.mean()),
        "cv_auc_std": float(scores.std()),
        "test_accuracy": test_accuracy,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    metrics = evaluate(pd.read_csv(args.data))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
