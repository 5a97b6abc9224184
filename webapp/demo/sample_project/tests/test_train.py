from churn.data import make_customers
from churn.train import build_pipeline, evaluate


def test_synthetic_data_is_reproducible():
    assert make_customers(200).equals(make_customers(200))


def test_pipeline_beats_chance():
    metrics = evaluate(make_customers(1500))
    assert metrics["cv_auc_mean"] > 0.7


def test_pipeline_has_two_steps():
    assert [name for name, _ in build_pipeline().steps] == ["features", "model"]
