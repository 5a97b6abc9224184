"""Question sheets: coverage, gaps, evidence, determinism per candidate, time plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportfactory import make_report

from reviewer.questions import build_sheet, sheet_seed
from reviewer.rubrics import load_rubrics

SHIPPED = Path(__file__).resolve().parents[1] / "rubrics"
RUBRICS = load_rubrics(SHIPPED)
BASES = ("typical", "bare")
CASES = [(cert, base) for cert in sorted(RUBRICS) for base in BASES]
IDS = [f"{c}-{b}" for c, b in CASES]


def _sheet(cert: str, base: str, candidate: str = "Ada Lovelace", **facts: object):
    report = make_report(dict(facts), base=base)
    return report, build_sheet(report, RUBRICS[cert], candidate)


@pytest.mark.parametrize(("cert", "base"), CASES, ids=IDS)
def test_every_criterion_has_a_planned_question(cert: str, base: str) -> None:
    _, sheet = _sheet(cert, base)
    planned = {q.criterion for q in sheet.planned}
    assert planned == {c.id for c in RUBRICS[cert].criteria}


@pytest.mark.parametrize(("cert", "base"), CASES, ids=IDS)
def test_at_least_half_of_questions_cite_a_repository_path(cert: str, base: str) -> None:
    report, sheet = _sheet(cert, base)
    paths = {ev.split(":")[0].split("#")[0] for f in report.facts.values() for ev in f.evidence}
    citing = [q for q in sheet.questions if q.evidence and all(e.path in paths for e in q.evidence)]
    assert len(citing) * 2 >= len(sheet.questions)


@pytest.mark.parametrize(("cert", "base"), CASES, ids=IDS)
def test_every_matching_gap_question_is_on_the_sheet(cert: str, base: str) -> None:
    report, sheet = _sheet(cert, base)
    expected = {
        f"{c.id}/gap-{n}"
        for c in RUBRICS[cert].criteria
        for n, q in enumerate([q for q in c.questions if q.kind == "gap"], 1)
        if q.when is not None and q.when.matches(report)
    }
    assert expected <= {q.ref for q in sheet.questions}


@pytest.mark.parametrize(("cert", "base"), CASES, ids=IDS)
def test_time_plan_fits_the_interview(cert: str, base: str) -> None:
    _, sheet = _sheet(cert, base)
    assert 30 <= sheet.duration_minutes <= 45
    assert sum(s.minutes for s in sheet.time_plan) == sheet.duration_minutes
    assert (
        sum(q.minutes for q in sheet.planned)
        + sheet.time_plan[0].minutes
        + (sheet.time_plan[-1].minutes)
        == sheet.duration_minutes
    )
    starts = [s.start_minute for s in sheet.time_plan]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(q.minutes >= RUBRICS[cert].interview.min_minutes_per_question for q in sheet.planned)


def test_same_candidate_same_sheet_other_candidate_other_sheet() -> None:
    for cert in RUBRICS:
        for base in BASES:
            _, first = _sheet(cert, base, "Ada Lovelace")
            _, again = _sheet(cert, base, "  ada   LOVELACE ")
            _, other = _sheet(cert, base, "Grace Hopper")
            assert again.to_json()["questions"] == first.to_json()["questions"]
            assert other.to_json()["questions"] != first.to_json()["questions"], (cert, base)


def test_new_commit_changes_the_seed() -> None:
    assert sheet_seed("Ada", "nlp", "a" * 40) != sheet_seed("Ada", "nlp", "b" * 40)
    assert sheet_seed("Ada", "nlp", "a" * 40) != sheet_seed("Ada", "genai", "a" * 40)


def test_evidence_question_fills_path_and_links_pinned_commit() -> None:
    report, sheet = _sheet("mlops", "typical")
    question = next(q for q in sheet.questions if q.ref.startswith("testing/evidence-1"))
    assert question.evidence[0].path in {"tests/test_features.py", "tests/test_train.py"}
    assert f"`{question.evidence[0].path}`" in question.text
    assert question.evidence[0].url == (
        f"https://github.com/alice/churn-model/blob/{report.commit}/{question.evidence[0].path}"
    )
    assert "{" not in question.text


def test_notebook_evidence_is_labelled_by_cell() -> None:
    _, sheet = _sheet("ml-expert", "bare")
    labels = [e.label for q in sheet.questions for e in q.evidence]
    assert "Untitled.ipynb cell 2, line 1" in labels


def test_gap_question_appears_only_when_its_gap_is_detected() -> None:
    _, with_seed = _sheet("ml-expert", "typical", sets_random_seed=True)
    _, no_seed = _sheet("ml-expert", "typical", sets_random_seed=False)
    _, unknown = _sheet("ml-expert", "typical", sets_random_seed=None)
    text = "How would you make this training run reproducible?"
    assert text in {q.text for q in no_seed.questions}
    assert text not in {q.text for q in with_seed.questions}
    assert text not in {q.text for q in unknown.questions}


def test_shorter_interview_plans_fewer_minutes() -> None:
    report = make_report()
    short = build_sheet(report, RUBRICS["mlops"], "Ada", duration_minutes=30)
    long = build_sheet(report, RUBRICS["mlops"], "Ada", duration_minutes=45)
    assert sum(s.minutes for s in short.time_plan) == 30
    assert len(short.planned) <= len(long.planned)
    assert {q.criterion for q in short.planned} == {c.id for c in RUBRICS["mlops"].criteria}
