"""The program's rules (PROGRAM.md) as tables: boundary dates, counts, scores and budgets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import pytest

from reviewer.errors import ConfigError
from reviewer.program import (
    CERTIFICATIONS,
    RULES,
    Attempt,
    CandidateHistory,
    Certificate,
    Decision,
    ExternalCredit,
    Kind,
    ProgramConfig,
    RefundAssessment,
    Waiver,
    add_months,
    add_years,
    ai_engineer_status,
    allocate_refund,
    allocate_refunds,
    can_submit_project,
    can_take_knowledge_test,
    candidate_progress,
    certificate_status,
    certification_outcome,
    earned_certificates,
    evaluate_refund,
    fees,
    knowledge_attempt,
)

CONFIG = ProgramConfig()
D = date.fromisoformat


def know(
    day: str, passed: bool | None = True, score: str | None = None, cert: str = "mlops"
) -> Attempt:
    value = Decimal(score) if score else (Decimal(80) if passed else None)
    return Attempt(cert, "knowledge", D(day), value, passed)


def port(
    day: str, passed: bool | None = True, score: str | None = None, cert: str = "mlops"
) -> Attempt:
    value = Decimal(score) if score else (Decimal(75) if passed else None)
    return Attempt(cert, "portfolio", D(day), value, passed)


def credit(
    day: str, *waivers: tuple[str, Kind], decision: Literal["granted", "refused"] = "granted"
) -> ExternalCredit:
    waived = tuple(Waiver(cert, kind) for cert, kind in waivers)
    return ExternalCredit(
        "Microsoft",
        "Azure AI Engineer",
        decision,
        waived,
        D(day),
        "staff@example.org",
    )


def history(
    *attempts: Attempt,
    certificates: Iterable[Certificate] = (),
    credits: Iterable[ExternalCredit] = (),
) -> CandidateHistory:
    return CandidateHistory.of(attempts, certificates, credits)


def check(decision: Decision, allowed: bool, rule: str, lifts_on: str | None) -> None:
    assert rule in RULES
    assert (decision.allowed, decision.rule) == (allowed, rule), decision.message
    assert decision.lifts_on == (D(lifts_on) if lifts_on else None)
    assert decision.message.endswith(".")


# -- configuration and vocabulary ------------------------------------------------------------


def test_config_defaults_match_program_md() -> None:
    assert CONFIG.fee_per_attempt_cents == 20_000 and CONFIG.currency == "EUR"
    assert CONFIG.wait_after_failure_months == 1
    assert CONFIG.max_attempts_per_evaluation == 3
    assert CONFIG.refund_threshold_percent == Decimal(90)
    assert CONFIG.certificate_validity_years == 5
    assert CONFIG.interviewers_per_interview == 2
    assert CONFIG.ai_engineer_mandatory == ("ml-expert", "mlops", "responsible-ai")
    assert CONFIG.ai_engineer_optional == ("computer-vision", "nlp", "multimodal", "genai")
    assert CONFIG.ai_engineer_min_optional == 3
    assert [(c.id, c.mandatory) for c in CERTIFICATIONS] == [
        ("ml-expert", True),
        ("mlops", True),
        ("responsible-ai", True),
        ("computer-vision", False),
        ("nlp", False),
        ("multimodal", False),
        ("genai", False),
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"fee_per_attempt_cents": -1},
        {"fee_per_attempt_cents": 199.5},
        {"max_attempts_per_evaluation": 0},
        {"certificate_validity_years": 0},
        {"refund_threshold_percent": 90.0},
        {"refund_threshold_percent": Decimal("100.5")},
        {"knowledge_pass_mark_percent": Decimal(-1)},
        {"ai_engineer_optional": ("nlp", "nope")},
        {"ai_engineer_optional": ("mlops",)},
        {"ai_engineer_min_optional": 5},
        {"interviewers_per_interview": 0},
    ],
    ids=[
        "negative-fee",
        "fractional-fee",
        "no-attempts",
        "no-validity",
        "float-threshold",
        "threshold-over-100",
        "negative-pass-mark",
        "unknown-optional",
        "mandatory-also-optional",
        "more-optional-needed-than-exist",
        "no-interviewer",
    ],
)
def test_config_refuses_value_that_cannot_work(changes: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="Program configuration is invalid"):
        replace(CONFIG, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"certification": "quantum"}, "Unknown certification"),
        ({"kind": "oral"}, "Unknown evaluation kind"),
        ({"score_percent": 95.0}, "Decimal from 0 to 100"),
        ({"score_percent": Decimal("100.01")}, "Decimal from 0 to 100"),
        ({"score_percent": Decimal(-1)}, "Decimal from 0 to 100"),
    ],
    ids=["unknown-cert", "unknown-kind", "float-score", "over-100", "negative"],
)
def test_attempt_refuses_bad_data(kwargs: dict[str, object], match: str) -> None:
    fields: dict[str, object] = {"certification": "mlops", "kind": "knowledge"}
    fields |= {"taken_on": D("2024-01-01"), "score_percent": None} | kwargs
    with pytest.raises(ValueError, match=match):
        Attempt(**fields)  # type: ignore[arg-type]


def test_credit_granted_without_waiver_is_refused() -> None:
    with pytest.raises(ValueError, match="must name the evaluations"):
        credit("2024-01-01")


@pytest.mark.parametrize(
    ("score", "passed"),
    [("59.99", False), ("60", True), ("60.01", True), ("0", False), ("100", True)],
    ids=["just-under", "pass-mark", "just-over", "zero", "full"],
)
def test_knowledge_attempt_passes_at_or_above_pass_mark(score: str, passed: bool) -> None:
    assert knowledge_attempt("nlp", D("2024-01-01"), Decimal(score), CONFIG).passed is passed


# -- calendar arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-12-31", 1, "2025-01-31"),
        ("2024-03-31", 1, "2024-04-30"),
        ("2024-02-29", 1, "2024-03-29"),
        ("2024-01-15", 1, "2024-02-15"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2100-01-31", 1, "2100-02-28"),
        ("2000-01-31", 1, "2000-02-29"),
    ],
    ids=[
        "jan31-leap",
        "jan31-common",
        "dec31-new-year",
        "mar31-to-30-day-month",
        "feb29-plus-one",
        "mid-month",
        "backwards",
        "feb29-plus-year",
        "century-not-leap",
        "400-year-leap",
    ],
)
def test_add_months_clamps_to_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(D(start), months) == D(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [("2024-02-29", "2029-02-28"), ("2024-03-10", "2029-03-10"), ("2023-12-31", "2028-12-31")],
    ids=["feb29-to-feb28", "plain", "dec31"],
)
def test_add_years_keeps_calendar_day(start: str, expected: str) -> None:
    assert add_years(D(start), 5) == D(expected) == CONFIG.expires_on(D(start))


def test_retry_date_is_one_calendar_month_later_for_every_day_of_a_decade() -> None:
    day = date(2020, 1, 1)  # 2020 and 2024 are leap years, 2100 is not: see the table above
    while day.year < 2030:
        retry = CONFIG.retry_on(day)
        assert 28 <= (retry - day).days <= 31
        assert (retry.year * 12 + retry.month) - (day.year * 12 + day.month) == 1
        month_end = (retry + timedelta(days=1)).month != retry.month
        assert retry.day == day.day or (month_end and retry.day < day.day)
        day += timedelta(days=1)


# -- knowledge test first ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "allowed", "rule"),
    [
        (history(), False, "knowledge-test-first"),
        (history(know("2024-01-10", passed=False)), False, "knowledge-test-first"),
        (history(know("2024-01-10", passed=None)), False, "knowledge-test-first"),
        (history(know("2024-01-10", cert="nlp")), False, "knowledge-test-first"),
        (history(know("2024-01-10")), True, "ok"),
        (history(credits=[credit("2024-01-10", ("mlops", "knowledge"))]), True, "ok"),
        (
            history(credits=[credit("2024-01-10", ("mlops", "knowledge"), decision="refused")]),
            False,
            "knowledge-test-first",
        ),
        (
            history(credits=[credit("2024-01-10", ("nlp", "knowledge"))]),
            False,
            "knowledge-test-first",
        ),
        (
            history(credits=[credit("2024-01-10", ("mlops", "portfolio"))]),
            False,
            "knowledge-test-first",
        ),
    ],
    ids=[
        "nothing-taken",
        "knowledge-failed",
        "knowledge-pending",
        "other-cert-passed",
        "knowledge-passed",
        "knowledge-credited",
        "credit-refused",
        "credit-for-other-cert",
        "credit-waives-portfolio-only",
    ],
)
def test_submit_project_needs_knowledge_test_first(
    record: CandidateHistory, allowed: bool, rule: str
) -> None:
    check(can_submit_project("mlops", record, D("2024-03-01"), CONFIG), allowed, rule, None)


def test_submit_refusal_mentions_pending_knowledge_result() -> None:
    decision = can_submit_project(
        "mlops", history(know("2024-01-10", None)), D("2024-01-11"), CONFIG
    )
    assert "still pending" in decision.message


# -- wait after a failure ----------------------------------------------------------------------

WAIT_TABLE = [
    ("2024-03-15", "2024-04-14", False),
    ("2024-03-15", "2024-04-15", True),
    ("2024-03-15", "2024-04-16", True),
    ("2024-01-31", "2024-02-28", False),
    ("2024-01-31", "2024-02-29", True),
    ("2024-01-31", "2024-03-01", True),
    ("2023-01-31", "2023-02-27", False),
    ("2023-01-31", "2023-02-28", True),
    ("2024-12-31", "2025-01-30", False),
    ("2024-12-31", "2025-01-31", True),
    ("2024-03-15", "2024-03-15", False),
]
WAIT_IDS = [
    "day-before",
    "day-of",
    "day-after",
    "jan31-leap-day-before",
    "jan31-leap-feb29",
    "jan31-leap-day-after",
    "jan31-common-day-before",
    "jan31-common-feb28",
    "dec31-day-before",
    "dec31-jan31",
    "same-day",
]


@pytest.mark.parametrize(("failed_on", "today", "allowed"), WAIT_TABLE, ids=WAIT_IDS)
def test_knowledge_retake_waits_a_month(failed_on: str, today: str, allowed: bool) -> None:
    record = history(know(failed_on, passed=False, score="40"))
    decision = can_take_knowledge_test("mlops", record, D(today), CONFIG)
    lifts = None if allowed else add_months(D(failed_on), 1).isoformat()
    check(decision, allowed, "ok" if allowed else "wait-after-failure", lifts)


@pytest.mark.parametrize(("failed_on", "today", "allowed"), WAIT_TABLE, ids=WAIT_IDS)
def test_project_resubmission_waits_a_month(failed_on: str, today: str, allowed: bool) -> None:
    record = history(know("2023-01-02"), port(failed_on, passed=False, score="30"))
    decision = can_submit_project("mlops", record, D(today), CONFIG)
    lifts = None if allowed else add_months(D(failed_on), 1).isoformat()
    check(decision, allowed, "ok" if allowed else "wait-after-failure", lifts)


def test_wait_message_names_failure_and_retry_dates() -> None:
    record = history(know("2024-01-31", passed=False))
    decision = can_take_knowledge_test("mlops", record, D("2024-02-10"), CONFIG)
    assert "31 January 2024" in decision.message
    assert "29 February 2024" in decision.message


def test_failure_of_one_kind_does_not_delay_the_other_certification() -> None:
    record = history(know("2024-03-01", passed=False, cert="nlp"))
    check(can_take_knowledge_test("mlops", record, D("2024-03-02"), CONFIG), True, "ok", None)


def test_wait_follows_configured_months() -> None:
    config = replace(CONFIG, wait_after_failure_months=3)
    record = history(know("2024-01-31", passed=False))
    decision = can_take_knowledge_test("mlops", record, D("2024-04-01"), config)
    check(decision, False, "wait-after-failure", "2024-04-30")


# -- attempts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "allowed", "rule", "attempt_no"),
    [(0, True, "ok", 1), (1, True, "ok", 2), (2, True, "ok", 3), (3, False, "max-attempts", None)],
    ids=["first", "second", "third", "fourth-refused"],
)
def test_at_most_three_attempts_per_evaluation(
    failures: int, allowed: bool, rule: str, attempt_no: int | None
) -> None:
    days = ["2024-01-10", "2024-02-10", "2024-03-10"][:failures]
    knowledge_record = history(*(know(d, passed=False) for d in days))
    portfolio_record = history(know("2023-12-01"), *(port(d, passed=False) for d in days))
    today = D("2025-01-01")
    for decision in (
        can_take_knowledge_test("mlops", knowledge_record, today, CONFIG),
        can_submit_project("mlops", portfolio_record, today, CONFIG),
    ):
        check(decision, allowed, rule, None)
        if attempt_no:
            assert f"attempt {attempt_no} of 3" in decision.message
            assert "200.00 EUR" in decision.message


def test_max_attempts_follows_configuration() -> None:
    record = history(*(know(d, passed=False) for d in ["2024-01-10", "2024-02-10", "2024-03-10"]))
    config = replace(CONFIG, max_attempts_per_evaluation=4)
    check(can_take_knowledge_test("mlops", record, D("2024-05-01"), config), True, "ok", None)


# -- pending, already passed, already certified --------------------------------------------


@pytest.mark.parametrize(
    ("record", "action", "rule", "says"),
    [
        (
            history(know("2024-01-10", None)),
            can_take_knowledge_test,
            "pending-evaluation",
            "MLOps knowledge test is awaiting its result",
        ),
        (
            history(know("2024-01-10"), port("2024-02-01", None)),
            can_submit_project,
            "pending-evaluation",
            "MLOps portfolio interview is awaiting its result",
        ),
        (
            history(know("2024-01-10")),
            can_take_knowledge_test,
            "already-passed",
            "was passed on 10 January 2024",
        ),
        (
            history(credits=[credit("2024-01-10", ("mlops", "knowledge"))]),
            can_take_knowledge_test,
            "already-passed",
            "was credited on 10 January 2024",
        ),
    ],
    ids=["knowledge-pending", "portfolio-pending", "knowledge-passed", "knowledge-credited"],
)
def test_refused_without_lift_date(
    record: CandidateHistory, action: Callable[..., Decision], rule: str, says: str
) -> None:
    decision = action("mlops", record, D("2024-06-01"), CONFIG)
    check(decision, False, rule, None)
    assert says in decision.message


CERTIFIED = history(know("2024-01-10"), port("2024-03-10"))


@pytest.mark.parametrize(
    ("today", "knowledge_rule", "submit_rule"),
    [
        ("2024-03-10", "already-certified", "already-certified"),
        ("2029-03-09", "already-certified", "already-certified"),
        ("2029-03-10", "ok", "knowledge-test-first"),
        ("2029-03-11", "ok", "knowledge-test-first"),
    ],
    ids=["award-day", "day-before-expiry", "expiry-day", "day-after-expiry"],
)
def test_valid_certificate_blocks_new_attempts_until_expiry(
    today: str, knowledge_rule: str, submit_rule: str
) -> None:
    lifts = "2029-03-10" if knowledge_rule == "already-certified" else None
    knowledge = can_take_knowledge_test("mlops", CERTIFIED, D(today), CONFIG)
    check(knowledge, knowledge_rule == "ok", knowledge_rule, lifts)
    check(can_submit_project("mlops", CERTIFIED, D(today), CONFIG), False, submit_rule, lifts)


def test_stored_certificate_counts_even_without_attempts() -> None:
    record = history(certificates=[Certificate("mlops", D("2022-05-01"))])
    decision = can_take_knowledge_test("mlops", record, D("2024-01-01"), CONFIG)
    check(decision, False, "already-certified", "2027-05-01")
    assert "30 April 2027" in decision.message


def test_renewal_round_starts_with_fresh_attempts() -> None:
    old = [know("2024-01-10", False), know("2024-02-10", False), know("2024-03-10")]
    record = history(*old, port("2024-04-01"), know("2029-04-02", passed=False))
    decision = can_take_knowledge_test("mlops", record, D("2029-05-02"), CONFIG)
    check(decision, True, "ok", None)
    assert "attempt 2 of 3" in decision.message


# -- outcome -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "awarded_on"),
    [
        (history(know("2024-01-10"), port("2024-03-10")), "2024-03-10"),
        (history(know("2024-01-10"), port("2024-02-10", False), port("2024-03-12")), "2024-03-12"),
        (history(know("2024-01-10"), port("2024-03-10", False)), None),
        (history(know("2024-01-10"), port("2024-03-10", None)), None),
        (
            history(port("2024-03-10"), credits=[credit("2024-01-10", ("mlops", "knowledge"))]),
            "2024-03-10",
        ),
        (
            history(credits=[credit("2024-05-02", ("mlops", "knowledge"), ("mlops", "portfolio"))]),
            "2024-05-02",
        ),
        (
            history(know("2024-01-10"), credits=[credit("2024-06-01", ("mlops", "portfolio"))]),
            "2024-06-01",
        ),
    ],
    ids=[
        "both-passed",
        "portfolio-second-attempt",
        "portfolio-failed",
        "portfolio-pending",
        "knowledge-credited",
        "both-credited",
        "portfolio-credited-later",
    ],
)
def test_certificate_awarded_on_the_later_pass(
    record: CandidateHistory, awarded_on: str | None
) -> None:
    outcome = certification_outcome("mlops", record, CONFIG)
    assert outcome.awarded is (awarded_on is not None)
    expected = Certificate("mlops", D(awarded_on)) if awarded_on else None
    assert outcome.certificate == expected
    assert earned_certificates(record) == ((expected,) if expected else ())


def test_outcome_reports_where_each_evaluation_stands() -> None:
    record = history(know("2024-01-10", score="72"), port("2024-02-10", False, score="40"))
    outcome = certification_outcome("mlops", record, CONFIG)
    assert (outcome.knowledge.state, outcome.knowledge.score_percent) == ("passed", Decimal(72))
    assert (outcome.portfolio.state, outcome.portfolio.attempts_left) == ("failed", 2)
    assert outcome.portfolio.retry_on == D("2024-03-10")


# -- certificate validity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("awarded_on", "today", "state"),
    [
        ("2024-03-10", "2024-03-09", "not-yet-valid"),
        ("2024-03-10", "2024-03-10", "valid"),
        ("2024-03-10", "2029-03-09", "valid"),
        ("2024-03-10", "2029-03-10", "expired"),
        ("2024-02-29", "2029-02-27", "valid"),
        ("2024-02-29", "2029-02-28", "expired"),
    ],
    ids=[
        "before-award",
        "award-day",
        "day-before-expiry",
        "expiry-day",
        "feb29-day-before",
        "feb29-expiry",
    ],
)
def test_certificate_valid_five_years(awarded_on: str, today: str, state: str) -> None:
    status = certificate_status(Certificate("nlp", D(awarded_on)), D(today), CONFIG)
    assert status.state == state
    assert status.valid is (state == "valid")
    assert status.expires_on == add_years(D(awarded_on), 5)


# -- fees --------------------------------------------------------------------------------------


def test_every_attempt_records_a_fee_in_date_order() -> None:
    attempts = [port("2024-03-10", None), know("2024-01-10", False), know("2024-02-10", cert="nlp")]
    lines = fees(attempts, CONFIG)
    assert [(x.charged_on, x.certification, x.kind) for x in lines] == [
        (D("2024-01-10"), "mlops", "knowledge"),
        (D("2024-02-10"), "nlp", "knowledge"),
        (D("2024-03-10"), "mlops", "portfolio"),
    ]
    assert {x.amount_cents for x in lines} == {20_000}
    assert fees(attempts, replace(CONFIG, fee_per_attempt_cents=15_050))[0].amount_cents == 15_050


# -- refunds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("knowledge_score", "portfolio_score", "eligible"),
    [
        ("90", "95", False),
        ("95", "90", False),
        ("90.01", "90.01", True),
        ("100", "100", True),
        ("89.99", "99", False),
    ],
    ids=["knowledge-90", "portfolio-90", "both-90.01", "both-100", "knowledge-89.99"],
)
def test_refund_needs_both_scores_strictly_over_90(
    knowledge_score: str, portfolio_score: str, eligible: bool
) -> None:
    record = history(
        know("2024-01-10", score=knowledge_score), port("2024-03-10", score=portfolio_score)
    )
    assessment = evaluate_refund("mlops", record, CONFIG)
    assert assessment.eligible is eligible, assessment.reason
    assert assessment.amount_cents == (40_000 if eligible else 0)
    assert assessment.eligible_on == (D("2024-03-10") if eligible else None)


def test_refund_covers_failed_attempts_and_uses_passing_scores() -> None:
    record = history(
        know("2024-01-10", False, score="30"),
        know("2024-02-10", score="95"),
        port("2024-03-10", False, score="50"),
        port("2024-04-10", score="92"),
    )
    assessment = evaluate_refund("mlops", record, CONFIG)
    assert assessment.eligible and assessment.amount_cents == 80_000
    assert "800.00 EUR" in assessment.reason


@pytest.mark.parametrize(
    "record",
    [
        history(know("2024-01-10", score="99")),
        history(
            port("2024-03-10", score="99"), credits=[credit("2024-01-10", ("mlops", "knowledge"))]
        ),
    ],
    ids=["not-awarded", "knowledge-credited"],
)
def test_refund_not_eligible_without_two_scores(record: CandidateHistory) -> None:
    assessment = evaluate_refund("mlops", record, CONFIG)
    assert not assessment.eligible and assessment.amount_cents == 0
    assert assessment.reason


def claim(amount: int, day: str = "2024-03-10") -> RefundAssessment:
    return RefundAssessment("mlops", True, "both over 90%", D(day), amount)


@pytest.mark.parametrize(
    ("budget", "status", "paid", "left"),
    [
        (40_000, "refunded", 40_000, 0),
        (100_000, "refunded", 40_000, 60_000),
        (39_999, "eligible-unfunded", 40_000, 39_999),
        (0, "eligible-unfunded", 40_000, 0),
    ],
    ids=["exactly-enough", "plenty", "one-cent-short", "exhausted"],
)
def test_refund_is_all_or_nothing(budget: int, status: str, paid: int, left: int) -> None:
    allocation = allocate_refund(claim(40_000), budget)
    assert (allocation.status, allocation.amount_cents, allocation.budget_remaining_cents) == (
        status,
        paid,
        left,
    )


def test_refund_not_eligible_draws_nothing() -> None:
    assessment = RefundAssessment("mlops", False, "no", None, 0)
    allocation = allocate_refund(assessment, 10_000)
    assert (allocation.status, allocation.budget_remaining_cents) == ("not-eligible", 10_000)


def test_refund_budget_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        allocate_refund(claim(1), -1)


def test_refund_queue_serves_oldest_first_and_nobody_overtakes() -> None:
    late_small = claim(20_000, "2024-05-01")
    early_big = claim(120_000, "2024-03-01")
    middle = claim(60_000, "2024-04-01")
    not_eligible = RefundAssessment("nlp", False, "no", None, 0)
    result = allocate_refunds([late_small, not_eligible, middle, early_big], 150_000)
    assert [a.assessment for a in result] == [late_small, not_eligible, middle, early_big]
    assert [a.status for a in result] == [
        "eligible-unfunded",
        "not-eligible",
        "eligible-unfunded",
        "refunded",
    ]
    assert result[3].budget_remaining_cents == 30_000
    assert result[0].budget_remaining_cents == 30_000  # the small claim did not jump the queue


# -- AI Engineer -------------------------------------------------------------------------------

MANDATORY = ("ml-expert", "mlops", "responsible-ai")


def certs(*ids: str, on: str = "2024-06-01") -> list[Certificate]:
    return [Certificate(i, D(on)) for i in ids]


@pytest.mark.parametrize(
    ("held", "awarded", "missing", "needed"),
    [
        (certs(*MANDATORY, "nlp", "genai"), False, (), 1),
        (certs(*MANDATORY, "nlp", "genai", "multimodal"), True, (), 0),
        (certs(*MANDATORY, "nlp", "genai", "multimodal", "computer-vision"), True, (), 0),
        (certs("mlops", "responsible-ai", "nlp", "genai", "multimodal"), False, ("ml-expert",), 0),
        (
            certs("ml-expert", on="2019-06-01")
            + certs("mlops", "responsible-ai", "nlp", "genai", "multimodal"),
            False,
            ("ml-expert",),
            0,
        ),
        (certs("nlp", "genai", "multimodal", "computer-vision"), False, MANDATORY, 0),
    ],
    ids=["3+2", "3+3", "3+4", "mandatory-missing", "mandatory-expired", "optional-only"],
)
def test_ai_engineer_needs_all_mandatory_and_three_optional_valid(
    held: list[Certificate], awarded: bool, missing: tuple[str, ...], needed: int
) -> None:
    status = ai_engineer_status(held, D("2024-07-01"), CONFIG)
    assert (status.awarded, status.mandatory_missing, status.optional_needed) == (
        awarded,
        missing,
        needed,
    )
    assert status.message
    if not awarded:
        assert status.expires_on is None and status.relies_on == ()
    for cert_id in missing:
        assert next(c.name for c in CERTIFICATIONS if c.id == cert_id) in status.message


def test_ai_engineer_expires_with_earliest_relied_upon_certificate() -> None:
    held = certs(*MANDATORY, on="2024-06-01") + certs("nlp", "genai", on="2024-09-01")
    held += certs("multimodal", on="2024-02-01") + certs("computer-vision", on="2024-08-01")
    status = ai_engineer_status(held, D("2024-10-01"), CONFIG)
    assert status.awarded
    assert {c.certification for c in status.relies_on} == {
        *MANDATORY,
        "nlp",
        "genai",
        "computer-vision",
    }
    assert status.expires_on == D("2029-06-01")
    assert "31 May 2029" in status.message
    assert not ai_engineer_status(held, D("2029-06-01"), CONFIG).awarded
    assert ai_engineer_status(held, D("2029-05-31"), CONFIG).awarded


def test_ai_engineer_uses_certificates_earned_through_credits() -> None:
    full = credit("2024-01-10", *[(c, k) for c in MANDATORY for k in ("knowledge", "portfolio")])
    record = history(
        *[
            a
            for c in ("nlp", "genai", "multimodal")
            for a in (know("2024-02-01", cert=c), port("2024-03-01", cert=c))
        ],
        credits=[full],
    )
    status = ai_engineer_status(earned_certificates(record), D("2024-04-01"), CONFIG)
    assert status.awarded and status.expires_on == D("2029-01-10")


# -- dashboard ---------------------------------------------------------------------------------


def test_progress_summarises_each_certification() -> None:
    record = history(
        know("2024-01-10", score="85"),
        port("2024-02-10", False, score="40"),
        know("2024-02-01", False, score="20", cert="nlp"),
        know("2024-01-01", cert="genai"),
        port("2024-01-20", cert="genai"),
    )
    progress = candidate_progress(record, D("2024-02-20"), CONFIG)
    rows = {row.certification.id: row for row in progress.certifications}
    assert list(rows) == [c.id for c in CERTIFICATIONS]
    mlops = rows["mlops"]
    assert (mlops.knowledge.state, mlops.knowledge.score_percent) == ("passed", Decimal(85))
    assert (mlops.portfolio.attempts_used, mlops.portfolio.attempts_left) == (1, 2)
    assert mlops.portfolio.retry_on == D("2024-03-10") == mlops.project_submission.lifts_on
    assert mlops.fees_cents == 40_000 and mlops.certificate is None
    assert rows["nlp"].knowledge_test.lifts_on == D("2024-03-01")
    assert rows["nlp"].project_submission.rule == "knowledge-test-first"
    genai = rows["genai"]
    assert genai.certificate is not None and genai.certificate.valid
    assert genai.certificate.expires_on == D("2029-01-20")
    assert (genai.knowledge.state, genai.portfolio.state) == ("passed", "passed")
    assert genai.knowledge_test.rule == "already-certified"
    assert rows["ml-expert"].knowledge.state == "not-taken"
    assert progress.fees_total_cents == 5 * 20_000 == sum(x.amount_cents for x in progress.fees)
    assert progress.ai_engineer.optional_valid == ("genai",)
    assert not progress.ai_engineer.awarded
