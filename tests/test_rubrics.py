"""Rubric schema, rule language, loader errors with lines, and the shipped rubrics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reportfactory import make_report

from reviewer.errors import DataError, UnknownCertificationError
from reviewer.facts.catalog import FACT_NAMES
from reviewer.rubrics import (
    Condition,
    check_dir,
    check_file,
    facts_used,
    get_rubric,
    load_rubrics,
    rubrics_dir,
)
from reviewer.settings import Settings

SHIPPED = Path(__file__).resolve().parents[1] / "rubrics"
CERTIFICATIONS = (
    "ml-expert",
    "mlops",
    "responsible-ai",
    "computer-vision",
    "nlp",
    "multimodal",
    "genai",
)


@pytest.fixture(scope="module")
def shipped() -> dict:
    return load_rubrics(SHIPPED)


def test_shipped_rubrics_validate_for_every_certification() -> None:
    rubrics, problems = check_dir(SHIPPED)
    assert problems == []
    assert sorted(rubrics) == sorted(CERTIFICATIONS)


@pytest.mark.parametrize("cert", CERTIFICATIONS)
def test_shipped_rubric_has_substance(shipped: dict, cert: str) -> None:
    rubric = shipped[cert]
    assert 5 <= len(rubric.criteria) <= 8
    assert rubric.must_pass, "every certification names at least one must-pass criterion"
    for c in rubric.criteria:
        kinds = {q.kind for q in c.questions}
        assert "deep_dive" in kinds and kinds & {"evidence", "gap"}, c.id
        assert all(len(q.guidance) > 40 for q in c.questions), c.id
        assert sum(len(q.follow_ups) for q in c.questions) >= len(c.questions) - 1, c.id
        assert c.signals, f"{cert}/{c.id} has no signal"
    assert set(facts_used(rubric)) <= FACT_NAMES


def test_shipped_rubrics_probe_the_common_gaps(shipped: dict) -> None:
    gap_facts = {
        q.when.fact
        for r in shipped.values()
        for c in r.criteria
        for q in c.questions
        if q.kind == "gap" and q.when is not None
    }
    for fact in ("has_tests", "sets_random_seed", "responsible_ai", "metrics_computed", "has_ci"):
        assert fact in gap_facts


WRITE = 'id: demo\ntitle: Demo\nversion: "1.0.0"\npass_mark: 2\n'


DEFAULT_SIGNAL = "      - {fact: has_tests, is: true, level: 2, reason: r}\n"


def _criterion(cid: str, extra: str = "", signals: str = "") -> str:
    levels = "".join(f"      {i}: level {i}\n" for i in range(5))
    return (
        f"  - id: {cid}\n    title: T {cid}\n    weight: 1\n    covers: c\n"
        f"    levels:\n{levels}{extra}"
        f"    signals:\n{signals or DEFAULT_SIGNAL}"
        "    questions:\n"
        "      - kind: deep_dive\n        text: Why?\n        guidance: Because.\n"
    )


def _rubric(tmp_path: Path, body: str, name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _valid_body(**replace: str) -> str:
    crits = [_criterion(f"c{i}") for i in range(5)]
    for key, value in replace.items():
        crits[int(key[1:])] = value
    return WRITE + "criteria:\n" + "".join(crits)


def test_valid_minimal_rubric_loads(tmp_path: Path) -> None:
    rubric, problems = check_file(_rubric(tmp_path, _valid_body()))
    assert problems == [] and rubric is not None
    assert rubric.weights() == {f"c{i}": 0.2 for i in range(5)}


BROKEN = [
    (
        "unknown-fact",
        _criterion("c2", signals="      - {fact: has_testz, is: true, level: 2, reason: r}\n"),
        "unknown fact 'has_testz'",
    ),
    (
        "operator-for-kind",
        _criterion("c2", signals="      - {fact: has_tests, min: 2, level: 2, reason: r}\n"),
        "operator `min` does not apply to has_tests",
    ),
    (
        "enum-choice",
        _criterion("c2", signals="      - {fact: deps_pinned, is: most, level: 2, reason: r}\n"),
        "one of all, some, none, n/a",
    ),
    (
        "two-effects",
        _criterion(
            "c2", signals="      - {fact: has_tests, is: true, level: 2, cap: 1, reason: r}\n"
        ),
        "exactly one of `level` (raise) or `cap`",
    ),
    (
        "bad-placeholder",
        _criterion(
            "c2", signals="      - {fact: has_tests, is: true, level: 2, reason: 'n={nope}'}\n"
        ),
        "unknown placeholder {nope}",
    ),
    ("negative-weight", _criterion("c2").replace("weight: 1", "weight: -1"), "greater than 0"),
    ("missing-level", _criterion("c2").replace("      3: level 3\n", ""), "missing level(s) 3"),
    ("duplicate-id", _criterion("c1"), "duplicate id 'c1'"),
]


@pytest.mark.parametrize(
    ("crit", "expected"), [(b, e) for _, b, e in BROKEN], ids=[i for i, _, _ in BROKEN]
)
def test_broken_rubric_reports_problem_with_line(tmp_path: Path, crit: str, expected: str) -> None:
    body = _valid_body(c2=crit)
    path = _rubric(tmp_path, body)
    rubric, problems = check_file(path)
    assert rubric is None
    matching = [p for p in problems if expected in p.message]
    assert matching, problems
    starts = [i for i, line in enumerate(body.splitlines(), 1) if line.startswith("  - id: ")]
    start = starts[2]  # the broken criterion is the third
    end = start + len(crit.splitlines())
    assert start <= matching[0].line < end, (matching[0], start, end)
    assert str(matching[0]).startswith(f"{path}:{matching[0].line}: ")


def test_duplicate_yaml_key_and_bad_must_pass_are_reported(tmp_path: Path) -> None:
    body = _valid_body().replace(
        "pass_mark: 2\n",
        "pass_mark: 2\npass_mark: 3\nmust_pass:\n  - {criterion: nope, min_level: 2}\n",
    )
    _, problems = check_file(_rubric(tmp_path, body))
    text = [str(p) for p in problems]
    assert any(":5: pass_mark: key given twice" in t for t in text), text
    assert any(":7: must_pass[0].criterion: no criterion has id 'nope'" in t for t in text), text


def test_id_must_match_file_name(tmp_path: Path) -> None:
    _, problems = check_file(_rubric(tmp_path, _valid_body(), name="other"))
    assert [p.line for p in problems if "file name" in p.message] == [1]


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    _, problems = check_file(_rubric(tmp_path, WRITE + "criteria: [\n  - : :\n"))
    assert len(problems) == 1 and "not valid YAML" in problems[0].message
    assert problems[0].line >= 5


def test_broken_copy_of_shipped_rubric_fails_with_file_and_line(tmp_path: Path) -> None:
    copy = tmp_path / "rubrics"
    shutil.copytree(SHIPPED, copy)
    path = copy / "mlops.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if "fact: has_tests, is: true" in line)
    lines[target] = lines[target].replace("has_tests", "has_unit_tests")
    path.write_text("".join(lines), encoding="utf-8")
    rubrics, problems = check_dir(copy)
    assert [(p.path, p.line) for p in problems] == [(str(path), target + 1)]
    assert "mlops" not in rubrics and len(rubrics) == 6
    with pytest.raises(DataError, match=r"mlops\.yaml:\d+: .*has_unit_tests"):
        load_rubrics(copy)


CONDITIONS = [
    ({"fact": "has_tests", "is": True}, {"has_tests": True}, True),
    ({"fact": "has_tests", "is": False}, {"has_tests": None}, False),
    ({"fact": "has_tests", "is": False}, {}, False),
    ({"fact": "deps_pinned", "in": ["some", "none"]}, {"deps_pinned": "none"}, True),
    ({"fact": "ml_libraries", "contains": "Torch"}, {"ml_libraries": ["torch"]}, True),
    ({"fact": "ml_libraries", "contains_any": ["a", "torch"]}, {"ml_libraries": ["torch"]}, True),
    ({"fact": "ml_libraries", "contains_all": ["a", "torch"]}, {"ml_libraries": ["torch"]}, False),
    ({"fact": "ml_libraries", "not_contains_any": ["a"]}, {"ml_libraries": []}, True),
    ({"fact": "ml_libraries", "min": 2}, {"ml_libraries": ["a", "b"]}, True),
    ({"fact": "test_file_count", "max": 1}, {"test_file_count": 2}, False),
    ({"fact": "serving", "empty": True}, {"serving": []}, True),
    ({"fact": "serving", "not_empty": True}, {"serving": []}, False),
    ({"fact": "first_commit_date", "min": "2024-01-01"}, {"first_commit_date": "2024-02-01"}, True),
    (
        {"all": [{"fact": "has_tests", "is": True}, {"fact": "ci_runs_tests", "is": True}]},
        {"has_tests": True, "ci_runs_tests": False},
        False,
    ),
    (
        {"any": [{"fact": "has_tests", "is": True}, {"fact": "ci_runs_tests", "is": True}]},
        {"has_tests": True, "ci_runs_tests": None},
        True,
    ),
]


@pytest.mark.parametrize(
    ("spec", "facts", "expected"),
    CONDITIONS,
    ids=[f"{i}-{next(iter(s))}" for i, (s, _, _) in enumerate(CONDITIONS)],
)
def test_condition_matches_fact_values(spec: dict, facts: dict, expected: bool) -> None:
    report = make_report(facts, base="none")
    assert Condition.model_validate(spec).matches(report) is expected


def test_decide_applies_weighted_mean_and_must_pass(shipped: dict) -> None:
    rubric = shipped["ml-expert"]
    strong = {c.id: 3 for c in rubric.criteria}
    assert rubric.decide(strong).passed and rubric.decide(strong).percent == 75.0
    weak_core = dict(strong, **{"evaluation-metrics": 1})
    outcome = rubric.decide(weak_core)
    assert outcome.score > rubric.pass_mark
    assert not outcome.passed and outcome.failed_must_pass == ("evaluation-metrics",)
    with pytest.raises(ValueError, match="no level"):
        rubric.decide({})


def test_rubrics_dir_prefers_settings_then_package(tmp_path: Path) -> None:
    assert rubrics_dir(Settings(data_dir=tmp_path, rubrics_dir=tmp_path)) == tmp_path
    assert rubrics_dir(Settings(data_dir=tmp_path)).joinpath("mlops.yaml").is_file()


def test_get_rubric_unknown_id_lists_valid_ids(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, rubrics_dir=SHIPPED)
    assert get_rubric(" MLOps ", settings).id == "mlops"
    with pytest.raises(UnknownCertificationError, match="valid ids: computer-vision, genai"):
        get_rubric("devops", settings)
