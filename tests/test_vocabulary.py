"""Rubric rules and finders speak the same words.

A rubric rule such as ``{fact: ml_libraries, contains_any: [lavis]}`` silently never matches when
no finder can produce ``lavis``; these tests list every value a rubric names for a list fact that
the finders cannot produce, so a renamed canonical name cannot quietly lower suggested levels.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from reviewer.facts import domains, evaluation, libraries, tools

RUBRICS = Path(__file__).resolve().parents[1] / "rubrics"
OPERATORS = ("contains", "contains_any", "contains_all", "not_contains_any")
#: ragas/deepeval metric classes are named from the imported name, an open set; these are the
#: ones the rubrics may use.
RAG_METRICS = {
    "context-precision",
    "context-recall",
    "faithfulness",
    "answer-relevancy",
    "answer-correctness",
    "context-relevancy",
    "hallucination",
}


def producible() -> dict[str, set[str]]:
    metrics: set[str] = set(RAG_METRICS)
    for table in (
        evaluation.SKLEARN,
        evaluation.METRIC_OBJECTS,
        evaluation.NAMED,
        evaluation.PACKAGE_CALLS,
    ):
        for names in table.values():
            metrics.update(names)
    metrics.update(evaluation._OWN_NAMES.values())
    own = evaluation._OWN_METRIC.pattern
    metrics.update(n.replace("_", "-") for n in re.findall(r"[a-z_]+", own.split("(", 2)[2]))
    out: dict[str, set[str]] = {
        "ml_libraries": set(libraries.IMPORT_NAMES.values())
        | set(libraries.REQUIREMENT_NAMES.values())
        | {"langchain", "llama-index"},
        "metrics_computed": metrics,
        "domains": set(domains.DOMAINS),
    }
    for rule in tools.RULES:
        out.setdefault(rule.fact, set()).add(rule.name)
    for fact, name, _needles, _pattern in tools._COMMANDS:
        out.setdefault(fact, set()).add(name)
    out.setdefault("responsible_ai", set()).update({"model-card", "datasheet"})
    return out


def rule_values(node: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if "fact" in node:
            for op in OPERATORS:
                if op in node:
                    values = node[op] if isinstance(node[op], list) else [node[op]]
                    found += [(node["fact"], v) for v in values if isinstance(v, str)]
        for value in node.values():
            found += rule_values(value)
    elif isinstance(node, list):
        for value in node:
            found += rule_values(value)
    return found


@pytest.mark.parametrize("path", sorted(RUBRICS.glob("*.yaml")), ids=lambda p: p.stem)
def test_rubric_list_values_are_ones_the_finders_produce(path: Path) -> None:
    vocab = producible()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unknown = sorted(
        {
            f"{fact}: {value}"
            for fact, value in rule_values(data)
            if fact in vocab and value not in vocab[fact]
        }
    )
    assert unknown == []


def test_vocabulary_is_really_collected() -> None:
    vocab = producible()
    assert {"sklearn", "torch", "langchain"} <= vocab["ml_libraries"]
    assert {"accuracy", "bleu", "iou", "recall-at-k"} <= vocab["metrics_computed"]
    assert {"mlflow", "wandb", "dvc-exp"} <= vocab["experiment_tracking"]
    assert {"fairlearn", "model-card"} <= vocab["responsible_ai"]
