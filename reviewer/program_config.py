"""The certification program's vocabulary (``shared/PROGRAM.md``): numbers, names, records.

Every number a rule uses lives in one frozen :class:`ProgramConfig`; change it with
``dataclasses.replace(ProgramConfig(), fee_per_attempt_cents=...)``. Nothing is read from the
environment here. The records the rules read (:class:`Attempt`, :class:`Certificate`,
:class:`ExternalCredit`, bundled per candidate in :class:`CandidateHistory`) are defined here
too; the rules are in :mod:`reviewer.program`, which re-exports every public name of this
module, so callers import from there.

Calendar arithmetic (documented once, used by every rule):

* ``add_months(d, n)`` keeps the day of the month and clamps it to the last day of a shorter
  month: 31 January + 1 month = 28 February (29 in a leap year); 31 December + 1 = 31 January.
* ``add_years(d, n)`` keeps month and day; 29 February becomes 28 February in a common year.
* A *period ends on* the computed date: a failed evaluation on 31 January may be retaken from
  28/29 February (that day included); a certificate awarded on 10 March 2024 is valid through
  9 March 2029 and *expires on* 10 March 2029 (that day it is no longer valid).

Money is integer cents (never floats); scores are ``Decimal`` percentages from 0 to 100.
A record built with an unknown certification id, evaluation kind or impossible score raises
``ValueError`` (a caller's bug, caught before any rule runs); an impossible configuration raises
``ConfigError``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from reviewer.errors import ConfigError

Kind = Literal["knowledge", "portfolio"]
"""The two evaluations of every certification: the knowledge test and the portfolio interview."""

KINDS: tuple[Kind, ...] = ("knowledge", "portfolio")

KIND_NAMES: dict[Kind, str] = {"knowledge": "knowledge test", "portfolio": "portfolio interview"}


@dataclass(frozen=True)
class Certification:
    """One of the seven AI Expert certifications; ``mandatory`` for the AI Engineer composite."""

    id: str
    name: str
    mandatory: bool


CERTIFICATIONS: tuple[Certification, ...] = (
    Certification("ml-expert", "Training and Evaluating Machine Learning Models (ML Expert)", True),
    Certification("mlops", "MLOps", True),
    Certification("responsible-ai", "Responsible AI", True),
    Certification("computer-vision", "Computer Vision", False),
    Certification("nlp", "Natural Language Processing", False),
    Certification("multimodal", "Multimodal ML", False),
    Certification("genai", "Generative AI", False),
)

CERTIFICATION_IDS: tuple[str, ...] = tuple(c.id for c in CERTIFICATIONS)


def certification(cert_id: str) -> Certification:
    """The certification with this id; ``ValueError`` naming the known ids otherwise."""
    for cert in CERTIFICATIONS:
        if cert.id == cert_id:
            return cert
    raise ValueError(f"Unknown certification {cert_id!r}; known: {', '.join(CERTIFICATION_IDS)}.")


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` years; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class ProgramConfig:
    """Every number of the program, with PROGRAM.md's values (or a documented choice) as defaults.

    ``knowledge_pass_mark_percent``: PROGRAM.md does not give one; a score *at or above* it
    passes (default 60). The portfolio interview's pass mark is not here: the rubric decides it
    and the result reaches the rules as ``Attempt.passed``. A refund needs each of the two
    passing scores *strictly over* ``refund_threshold_percent`` (90 does not qualify, 90.01 does).
    """

    currency: str = "EUR"
    fee_per_attempt_cents: int = 20_000
    wait_after_failure_months: int = 1
    max_attempts_per_evaluation: int = 3
    refund_threshold_percent: Decimal = Decimal("90")
    certificate_validity_years: int = 5
    knowledge_pass_mark_percent: Decimal = Decimal("60")
    interviewers_per_interview: int = 2
    ai_engineer_mandatory: tuple[str, ...] = tuple(c.id for c in CERTIFICATIONS if c.mandatory)
    ai_engineer_optional: tuple[str, ...] = tuple(c.id for c in CERTIFICATIONS if not c.mandatory)
    ai_engineer_min_optional: int = 3

    def __post_init__(self) -> None:
        problems = []
        for name in ("fee_per_attempt_cents", "wait_after_failure_months"):
            if _not_int(getattr(self, name), 0):
                problems.append(f"{name} must be a whole number of 0 or more")
        for name in (
            "max_attempts_per_evaluation",
            "certificate_validity_years",
            "interviewers_per_interview",
        ):
            if _not_int(getattr(self, name), 1):
                problems.append(f"{name} must be a whole number of 1 or more")
        for name in ("refund_threshold_percent", "knowledge_pass_mark_percent"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not Decimal(0) <= value <= Decimal(100):
                problems.append(f"{name} must be a Decimal from 0 to 100")
        ids = self.ai_engineer_mandatory + self.ai_engineer_optional
        unknown = [i for i in ids if i not in CERTIFICATION_IDS]
        if unknown or len(set(ids)) != len(ids):
            problems.append("the AI Engineer lists must name distinct known certifications")
        if _not_int(self.ai_engineer_min_optional, 0) or self.ai_engineer_min_optional > len(
            self.ai_engineer_optional
        ):
            problems.append("ai_engineer_min_optional must be between 0 and the optional count")
        if problems:
            raise ConfigError("Program configuration is invalid: " + "; ".join(problems) + ".")

    def retry_on(self, failed_on: date) -> date:
        """First day a failed evaluation (taken on ``failed_on``) may be attempted again."""
        return add_months(failed_on, self.wait_after_failure_months)

    def expires_on(self, awarded_on: date) -> date:
        """First day a certificate awarded on ``awarded_on`` is no longer valid."""
        return add_years(awarded_on, self.certificate_validity_years)

    def knowledge_passed(self, score_percent: Decimal) -> bool:
        """Whether a knowledge-test score passes (at or above the pass mark)."""
        return score_percent >= self.knowledge_pass_mark_percent

    def qualifies_for_refund(self, score_percent: Decimal | None) -> bool:
        """Whether one evaluation's score is strictly over the refund threshold."""
        return score_percent is not None and score_percent > self.refund_threshold_percent

    def format_money(self, cents: int) -> str:
        """``20000`` → ``"200.00 EUR"``."""
        sign = "-" if cents < 0 else ""
        whole, part = divmod(abs(cents), 100)
        return f"{sign}{whole}.{part:02d} {self.currency}"


def _not_int(value: object, minimum: int) -> bool:
    return isinstance(value, bool) or not isinstance(value, int) or value < minimum


@dataclass(frozen=True)
class Attempt:
    """One attempt at one evaluation; every attempt carries a fee.

    ``taken_on`` is the day of the evaluation (test day, interview day; while a portfolio attempt
    is pending, its submission day). ``passed`` is None while the result is pending. The
    portfolio's pass/fail comes from its rubric; for knowledge tests use :func:`knowledge_attempt`.
    """

    certification: str
    kind: Kind
    taken_on: date
    score_percent: Decimal | None = None
    passed: bool | None = None

    def __post_init__(self) -> None:
        certification(self.certification)
        if self.kind not in KINDS:
            raise ValueError(f"Unknown evaluation kind {self.kind!r}; known: {KINDS}.")
        score = self.score_percent
        if score is not None and not (isinstance(score, Decimal) and 0 <= score <= 100):
            raise ValueError(f"A score must be a Decimal from 0 to 100, not {score!r}.")


@dataclass(frozen=True)
class Certificate:
    certification: str
    awarded_on: date

    def __post_init__(self) -> None:
        certification(self.certification)


@dataclass(frozen=True)
class Waiver:
    """One evaluation an external credit replaces: ``kind`` of ``certification``."""

    certification: str
    kind: Kind

    def __post_init__(self) -> None:
        certification(self.certification)
        if self.kind not in KINDS:
            raise ValueError(f"Unknown evaluation kind {self.kind!r}; known: {KINDS}.")


@dataclass(frozen=True)
class ExternalCredit:
    """A staff decision on another provider's certificate and what it credits.

    Only ``granted`` decisions with their ``credits`` affect the rules; a refused one is kept as
    the record of the decision. Staff may waive either evaluation, or both, of any certification.
    """

    provider: str
    name: str
    decision: Literal["granted", "refused"]
    credits: tuple[Waiver, ...]
    decided_on: date
    decided_by: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.decision not in ("granted", "refused"):
            raise ValueError(f"A credit decision is 'granted' or 'refused', not {self.decision!r}.")
        if self.decision == "granted" and not self.credits:
            raise ValueError("A granted credit must name the evaluations it waives.")
        if not self.decided_by:
            raise ValueError("A credit decision must name the staff member who made it.")


@dataclass(frozen=True)
class CandidateHistory:
    """Everything the rules know about one candidate, as loaded from storage."""

    attempts: tuple[Attempt, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    credits: tuple[ExternalCredit, ...] = ()

    @classmethod
    def of(
        cls,
        attempts: Iterable[Attempt] = (),
        certificates: Iterable[Certificate] = (),
        credits: Iterable[ExternalCredit] = (),
    ) -> CandidateHistory:
        """Build from any iterables (lists, query results)."""
        return cls(tuple(attempts), tuple(certificates), tuple(credits))


def knowledge_attempt(
    cert_id: str, taken_on: date, score_percent: Decimal, config: ProgramConfig
) -> Attempt:
    """A knowledge-test attempt whose pass/fail follows the configured pass mark."""
    passed = config.knowledge_passed(score_percent)
    return Attempt(cert_id, "knowledge", taken_on, score_percent, passed)
