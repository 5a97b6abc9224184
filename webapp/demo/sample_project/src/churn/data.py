"""A synthetic customer table with a known churn mechanism (so results are checkable)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20240115


def make_customers(n: int = 5000, seed: int = SEED) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 72, size=n)
    monthly_fee = rng.normal(45.0, 12.0, size=n).clip(10, 120)
    support_calls = rng.poisson(1.2, size=n)
    contract = rng.choice(["monthly", "yearly", "two-year"], size=n, p=[0.55, 0.3, 0.15])
    logit = (
        -1.5
        - 0.04 * tenure
        + 0.03 * (monthly_fee - 45)
        + 0.45 * support_calls
        + np.where(contract == "monthly", 1.1, -0.6)
    )
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame(
        {
            "tenure_months": tenure,
            "monthly_fee": monthly_fee.round(2),
            "support_calls": support_calls,
            "contract": contract,
            "churned": churned.astype(int),
        }
    )
