"""webapp.results: the weighted total, pass/fail by the rubric the interview kept, and what the
program's rules make of a result (wait date, certificate, refund, AI Engineer)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import interviewsupport as support
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from reviewer import program
from reviewer.rubrics import get_rubric
from webapp import refund_budget, results
from webapp.db import get_database
from webapp.interview.engine import CriterionSpec, MustPassSpec, RubricSnapshot, snapshot_of
from webapp.models import Attempt, Certificate, Refund, RefundBudgetEntry, utcnow
from webapp.models.interviews import InterviewResult


def _rubric(
    weights: tuple[str, ...], pass_mark: str = "2.0", must: tuple[tuple[str, int], ...] = ()
) -> RubricSnapshot:
    criteria = tuple(
        CriterionSpec(f"c{i}", f"C{i}", Decimal(w), "", ("a", "b", "c", "d", "e"))
        for i, w in enumerate(weights)
    )
    return RubricSnapshot(
        "ml-expert",
        "T",
        "1.0.0",
        Decimal(pass_mark),
        tuple(MustPassSpec(c, m) for c, m in must),
        criteria,
    )


EQUAL = _rubric(("1", "1", "1", "1", "1"))


@pytest.mark.parametrize(
    ("levels", "percent", "passed"),
    [
        ((2, 2, 2, 2, 2), "50.00", True),  # exactly the pass mark passes
        ((2, 2, 2, 2, 1), "45.00", False),  # just under
        ((4, 4, 4, 3, 3), "90.00", True),  # 3.6 = exactly 90%: recorded 90.00
        ((4, 4, 4, 4, 3), "95.00", True),
        ((0, 0, 0, 0, 0), "0.00", False),
        ((4, 4, 4, 4, 4), "100.00", True),
    ],
    ids=["at-pass-mark", "below-pass-mark", "exactly-90", "95", "zero", "full"],
)
def test_weighted_score_equal_weights(levels: tuple[int, ...], percent: str, passed: bool) -> None:
    score = results.weighted_score(EQUAL, {f"c{i}": lv for i, lv in enumerate(levels)})
    assert score.percent == Decimal(percent)
    assert score.passed is passed


def test_weighted_score_weights_matter() -> None:
    rubric = _rubric(("3", "1"))
    score = results.weighted_score(rubric, {"c0": 4, "c1": 0})
    assert score.score == Decimal(3)
    assert score.percent == Decimal("75.00")


def test_weighted_score_rounds_percent_up_so_over_90_stays_over_90() -> None:
    # (4*2 + 3*1) / 3 = 3.6667 -> 91.666..% -> 91.67; a true 90.008% is recorded as 90.01
    rubric = _rubric(("2", "1"))
    assert results.weighted_score(rubric, {"c0": 4, "c1": 3}).percent == Decimal("91.67")
    weights = ("1",) * 5 + ("0.001",)
    tiny = _rubric(weights)
    levels = {"c0": 4, "c1": 4, "c2": 4, "c3": 3, "c4": 3, "c5": 4}
    score = results.weighted_score(tiny, levels)
    assert Decimal(90) < score.score * 25 < Decimal("90.01")
    assert score.percent == Decimal("90.01")
    assert program.ProgramConfig().qualifies_for_refund(score.percent)


def test_weighted_score_must_pass_fails_a_high_total() -> None:
    rubric = _rubric(("1", "1", "1"), must=(("c2", 2),))
    score = results.weighted_score(rubric, {"c0": 4, "c1": 4, "c2": 1})
    assert not score.passed
    assert not score.below_pass_mark
    assert score.failed_must_pass == ("c2",)


@pytest.mark.parametrize(
    "levels",
    [{"c0": 1}, {"c0": 5, "c1": 1, "c2": 1, "c3": 1, "c4": 1}],
    ids=["missing", "out-of-range"],
)
def test_weighted_score_refuses_incomplete_or_bad_levels(levels: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        results.weighted_score(EQUAL, levels)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_weighted_score_agrees_with_the_rubric_engine(data: st.DataObject) -> None:
    cert = data.draw(st.sampled_from(program.CERTIFICATION_IDS))
    engine_rubric = get_rubric(cert)
    levels = {c.id: data.draw(st.integers(0, 4)) for c in engine_rubric.criteria}
    mine = results.weighted_score(snapshot_of(engine_rubric), levels)
    theirs = engine_rubric.decide(levels)
    assert mine.passed == theirs.passed
    assert mine.failed_must_pass == theirs.failed_must_pass
    assert abs(float(mine.score) - theirs.score) < 1e-6


def test_snapshot_survives_json() -> None:
    snap = snapshot_of(get_rubric("mlops"))
    assert RubricSnapshot.from_json(snap.to_json()) == snap


# -- program_outcome (pure) ---------------------------------------------------------------------

CONFIG = program.ProgramConfig()
DAY = date(2025, 1, 31)


def _history(*portfolio: tuple[date, str, bool], knowledge: str = "95") -> program.CandidateHistory:
    attempts = [
        program.knowledge_attempt("ml-expert", DAY - timedelta(days=40), Decimal(knowledge), CONFIG)
    ]
    attempts += [
        program.Attempt("ml-expert", "portfolio", d, Decimal(p), ok) for d, p, ok in portfolio
    ]
    return program.CandidateHistory.of(attempts)


def test_program_outcome_failure_gives_wait_date_and_attempts_left() -> None:
    outcome = results.program_outcome("ml-expert", _history((DAY, "40", False)), DAY, CONFIG)
    assert not outcome.passed
    assert outcome.retry_on == date(2025, 2, 28)  # a month after 31 January, clamped
    assert outcome.attempts_left == 2
    assert outcome.certificate is None


def test_program_outcome_third_failure_leaves_no_attempt_and_no_date() -> None:
    history = _history(
        (DAY - timedelta(days=90), "40", False),
        (DAY - timedelta(days=45), "40", False),
        (DAY, "40", False),
    )
    outcome = results.program_outcome("ml-expert", history, DAY, CONFIG)
    assert outcome.attempts_left == 0
    assert outcome.retry_on is None


def test_program_outcome_pass_awards_a_five_year_certificate() -> None:
    outcome = results.program_outcome("ml-expert", _history((DAY, "70", True)), DAY, CONFIG)
    assert outcome.certificate == program.Certificate("ml-expert", DAY)
    assert outcome.expires_on == date(2030, 1, 31)
    assert not outcome.refund.eligible


@pytest.mark.parametrize(
    ("knowledge", "portfolio", "eligible"),
    [("95", "90.01", True), ("95", "90.00", False), ("90", "99", False)],
    ids=["both-over-90", "portfolio-exactly-90", "knowledge-exactly-90"],
)
def test_program_outcome_refund_needs_both_over_90(
    knowledge: str, portfolio: str, eligible: bool
) -> None:
    history = _history((DAY, portfolio, True), knowledge=knowledge)
    assert results.program_outcome("ml-expert", history, DAY, CONFIG).refund.eligible is eligible


# -- record_result (database) -------------------------------------------------------------------


def test_record_result_writes_attempt_certificate_and_funded_refund(app, cast) -> None:
    with get_database(app).session() as session:
        session.add(RefundBudgetEntry(amount_cents=100_000, reason="top-up"))
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 4)
    rid = support.decide(app, iid, cast.alice, 4)
    with get_database(app).session() as session:
        result = session.get(InterviewResult, rid)
        attempt = session.get(Attempt, result.attempt_id)
        assert (attempt.evaluation, attempt.passed, attempt.score_percent) == (
            "portfolio",
            True,
            Decimal("100.00"),
        )
        assert attempt.submission_id == cast.submission
        cert = session.get(Certificate, result.certificate_id)
        assert cert.expires_on == program.add_years(cert.awarded_on, 5)
        refund = session.get(Refund, result.refund_id)
        assert (refund.status, refund.amount_cents) == ("funded", 40_000)  # two attempts' fees
        assert result.refund_status == "refunded"
        assert refund_budget.balance_cents(session) == 60_000


def test_record_result_without_budget_keeps_eligible_unfunded(app, cast) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 4)
    rid = support.decide(app, iid, cast.alice, 4)
    with get_database(app).session() as session:
        result = session.get(InterviewResult, rid)
        assert result.refund_status == "eligible-unfunded"
        assert session.get(Refund, result.refund_id).status == "unfunded"
        assert session.scalars(select(RefundBudgetEntry)).all() == []


def test_record_result_serves_waiting_claims_before_a_new_one(app, cast) -> None:
    first = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, first, cast.alice, 4)
    support.decide(app, first, cast.alice, 4)  # unfunded: no budget yet
    with get_database(app).session() as session:
        session.add(RefundBudgetEntry(amount_cents=40_000, reason="top-up for one claim"))
    _, sub2 = support.ready_submission(app, "second@example.org")
    second = support.assign(app, sub2, [cast.alice], cast.staff)
    support.score(app, second, cast.alice, 4)
    rid = support.decide(app, second, cast.alice, 4)
    with get_database(app).session() as session:
        statuses = {r.candidate_id: r.status for r in session.scalars(select(Refund))}
        assert statuses[cast.candidate] == "funded"  # the older claim took the budget
        assert session.get(InterviewResult, rid).refund_status == "eligible-unfunded"


def test_record_result_failure_records_wait_date(app, cast) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 1)
    rid = support.decide(app, iid, cast.alice, 1)
    with get_database(app).session() as session:
        result = session.get(InterviewResult, rid)
        assert not result.passed and result.certificate_id is None
        assert result.retry_on == program.add_months(result.interview_on, 1)
        assert result.attempts_left == 2
        assert result.refund_status == "not-eligible"


def test_record_result_ai_engineer_when_composite_holds(app, cast) -> None:
    today = utcnow().date()
    with get_database(app).session() as session:
        for cert in ("mlops", "responsible-ai", "computer-vision", "nlp", "genai"):
            session.add(
                Certificate(
                    candidate_id=cast.candidate,
                    certification=cert,
                    awarded_on=today,
                    expires_on=program.add_years(today, 5),
                )
            )
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, 3)
    rid = support.decide(app, iid, cast.alice, 3)
    with get_database(app).session() as session:
        assert session.get(InterviewResult, rid).ai_engineer is True
