"""Suggested levels with reasons, strengths and red flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportfactory import make_report

from reviewer.assessment import assess_criterion, evaluate, red_flags, strengths
from reviewer.rubrics import Criterion, load_rubrics

SHIPPED = Path(__file__).resolve().parents[1] / "rubrics"


@pytest.fixture(scope="module")
def rubrics() -> dict:
    return load_rubrics(SHIPPED)


def _criterion(signals: list[dict], default: int = 1) -> Criterion:
    return Criterion.model_validate(
        {
            "id": "testing",
            "title": "Testing",
            "weight": 1,
            "covers": "tests",
            "levels": {i: f"level {i}" for i in range(5)},
            "default_level": default,
            "signals": signals,
            "questions": [{"kind": "deep_dive", "text": "Why?", "guidance": "Because."}],
        }
    )


SIGNALS = [
    {"fact": "has_tests", "is": True, "level": 2, "reason": "Tests ({test_file_count} files)"},
    {"fact": "ci_runs_tests", "is": True, "level": 3, "reason": "CI runs them"},
    {"fact": "ci_status", "is": "failure", "cap": 2, "reason": "CI is {value}"},
]

LEVEL_CASES = [
    ({"has_tests": False, "ci_runs_tests": False}, 1),
    ({"has_tests": True, "ci_runs_tests": False, "test_file_count": 4}, 2),
    ({"has_tests": True, "ci_runs_tests": True, "ci_status": "success"}, 3),
    ({"has_tests": True, "ci_runs_tests": True, "ci_status": "failure"}, 2),
    ({"has_tests": None, "ci_runs_tests": None, "ci_status": None}, 1),
]


@pytest.mark.parametrize(
    ("facts", "level"),
    LEVEL_CASES,
    ids=["nothing", "tests", "tests-in-ci", "capped-by-red-ci", "unknown"],
)
def test_suggested_level_is_max_of_raises_then_min_of_caps(facts: dict, level: int) -> None:
    result = assess_criterion(make_report(facts, base="none"), _criterion(SIGNALS))
    assert result.suggested_level == level
    assert result.descriptor == f"level {level}"


def test_reasons_carry_fact_values_evidence_and_filled_text() -> None:
    report = make_report(
        {
            "has_tests": (True, ["tests/test_a.py"]),
            "test_file_count": 4,
            "ci_runs_tests": (True, [".github/workflows/ci.yml:9"]),
            "ci_status": "failure",
        },
        base="none",
    )
    result = assess_criterion(report, _criterion(SIGNALS))
    by_text = {r.text: r for r in result.reasons}
    assert by_text["Tests (4 files)"].evidence == ("tests/test_a.py",)
    assert by_text["Tests (4 files)"].facts == {"has_tests": True}
    assert by_text["CI is failure"].effect == "cap" and by_text["CI is failure"].decisive
    assert not by_text["CI runs them"].decisive


def test_undecided_facts_are_listed_not_guessed() -> None:
    result = assess_criterion(make_report({"has_tests": True}, base="none"), _criterion(SIGNALS))
    assert result.unknown_facts == ("ci_runs_tests", "ci_status")
    assert any(r.effect == "unknown" and "ci_status" in r.text for r in result.reasons)


def test_evaluate_covers_every_criterion_in_rubric_order(rubrics: dict) -> None:
    rubric = rubrics["mlops"]
    assessment = evaluate(make_report(), rubric)
    assert [c.id for c in assessment.criteria] == [c.id for c in rubric.criteria]
    assert assessment.rubric_version == rubric.version
    data = assessment.to_json()
    assert all(0 <= c["suggested_level"] <= 4 and c["reasons"] for c in data["criteria"])
    assert "score" not in data and "passed" not in data  # suggestions, never a verdict


def test_stronger_repository_gets_higher_suggestions(rubrics: dict) -> None:
    for rubric in rubrics.values():
        weak = sum(evaluate(make_report(base="bare"), rubric).levels().values())
        strong = sum(evaluate(make_report(), rubric).levels().values())
        assert strong > weak, rubric.id


FLAG_CASES = [
    ({"secrets_committed": (True, [".env:2"])}, "secrets-committed", "high"),
    ({"is_fork": True}, "fork-or-copy", "high"),
    ({"is_fork_or_copy": True}, "fork-or-copy", "high"),
    ({"commit_count": 1}, "single-commit", "medium"),
    ({"has_large_files_committed": (True, ["data/big.csv"])}, "large-files", "medium"),
    ({"notebooks_only": True}, "notebooks-only", "low"),
    ({"has_tests": False}, "no-tests", "medium"),
    ({"visibility": "private"}, "not-public", "high"),
    (
        {"commit_count": 9, "first_commit_date": "2024-05-01", "last_commit_date": "2024-05-01"},
        "one-day-history",
        "medium",
    ),
]


@pytest.mark.parametrize(
    ("facts", "code", "severity"), FLAG_CASES, ids=[c for _, c, _ in FLAG_CASES]
)
def test_red_flag_raised_when_fact_says_so(facts: dict, code: str, severity: str) -> None:
    assert code not in {f.code for f in red_flags(make_report())}
    flags = {f.code: f for f in red_flags(make_report(facts))}
    assert flags[code].severity == severity
    first = next(iter(facts.values()))
    if isinstance(first, tuple):
        assert flags[code].evidence == tuple(first[1])


def test_red_flags_sorted_high_first_and_secret_never_printed() -> None:
    report = make_report({"secrets_committed": (True, ["config.py:3"]), "notebooks_only": True})
    flags = red_flags(report)
    assert flags[0].code == "secrets-committed"
    assert "sk-" not in flags[0].message and "config.py:3" in flags[0].evidence


def test_off_topic_flag_compares_domains_with_rubric(rubrics: dict) -> None:
    report = make_report({"domains": ["nlp"]})
    assert "off-topic" in {f.code for f in red_flags(report, rubrics["computer-vision"])}
    assert "off-topic" not in {f.code for f in red_flags(report, rubrics["nlp"])}


def test_strengths_name_the_practice_with_evidence() -> None:
    found = {f.code: f for f in strengths(make_report())}
    assert "ci-runs-tests" in found and "github-actions" in found["ci-runs-tests"].message
    assert found["experiment-tracking"].evidence[0] == "src/train.py:8"
    assert strengths(make_report(base="none")) == ()
