"""Churn prediction: synthetic data, a trained pipeline and its evaluation."""
