"""The certification program's rules (``shared/PROGRAM.md``) as pure functions over plain data.

Inputs: a :class:`CandidateHistory` (attempts, certificates, credits), ``today`` and a
:class:`ProgramConfig`. Nothing here reads a clock, a database or the environment. A refusal is a
value: a :class:`Decision` naming its rule (one of :data:`RULES`), a sentence for the candidate
and the date it lifts.

Rounds: a certification's attempts and granted credits, in date order, form *rounds*. A round
closes (the certificate is earned) on the day its second evaluation is passed or credited; the
certificate then blocks new attempts until it expires, after which attempts start a fresh round
(knowledge test first again, new attempts per evaluation). A credit counts in the round open on
its decision day. Same-day ties keep input order, attempts before credits.

Refunds are all-or-nothing: a claim is paid in full from the budget or recorded as
``eligible-unfunded``, and :func:`allocate_refunds` serves claims strictly in order of
eligibility, so no claim overtakes an earlier unfunded one.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from reviewer.program_config import (
    CERTIFICATION_IDS,
    CERTIFICATIONS,
    KIND_NAMES,
    KINDS,
    Attempt,
    CandidateHistory,
    Certificate,
    Certification,
    ExternalCredit,
    Kind,
    ProgramConfig,
    Waiver,
    add_months,
    add_years,
    certification,
    knowledge_attempt,
)

__all__ = [  # the rules, plus every public name of reviewer.program_config
    "CERTIFICATIONS", "CERTIFICATION_IDS", "KINDS", "KIND_NAMES", "RULES", "AIEngineerStatus",
    "Attempt", "CandidateHistory", "CandidateProgress", "Certificate", "CertificateStatus",
    "Certification", "CertificationOutcome", "CertificationProgress", "Decision",
    "EvaluationProgress", "EvaluationState", "ExternalCredit", "FeeLine", "Kind",
    "ProgramConfig", "RefundAllocation", "RefundAssessment", "Waiver", "add_months", "add_years",
    "ai_engineer_status", "allocate_refund", "allocate_refunds", "can_submit_project",
    "can_take_knowledge_test", "candidate_progress", "certificate_status", "certification",
    "certification_outcome", "certification_progress", "earned_certificates", "evaluate_refund",
    "fees", "knowledge_attempt",
]  # fmt: skip

#: Stable ids of :attr:`Decision.rule`, in the order they are checked ("ok" when allowed).
RULES = ("already-certified", "knowledge-test-first", "already-passed", "pending-evaluation",
         "max-attempts", "wait-after-failure", "ok")  # fmt: skip

EvaluationState = Literal["not-taken", "pending", "passed", "credited", "failed"]


@dataclass(frozen=True)
class Decision:
    """Allowed or not; the rule that decided; a sentence for the candidate; when it lifts.

    ``lifts_on`` is None when waiting alone will not lift a refusal (pending result, attempts
    used up, knowledge test not passed yet, evaluation already passed).
    """

    allowed: bool
    rule: str
    message: str
    lifts_on: date | None = None


@dataclass(frozen=True)
class EvaluationProgress:
    """One evaluation of one certification in a round. ``retry_on`` (set after a failure with
    attempts left) is the first day of a retry and may already be past."""

    kind: Kind
    state: EvaluationState
    attempts_used: int
    attempts_left: int
    score_percent: Decimal | None  # of the passing attempt, else of the latest one
    last_attempt_on: date | None
    passed_on: date | None  # day passed or credited
    retry_on: date | None
    credited_by: ExternalCredit | None


@dataclass(frozen=True)
class FeeLine:
    certification: str
    kind: Kind
    charged_on: date
    amount_cents: int


@dataclass(frozen=True)
class RefundAssessment:
    """Refund eligibility of a certification's latest award; ``amount_cents`` 0 if not."""

    certification: str
    eligible: bool
    reason: str
    eligible_on: date | None
    amount_cents: int


@dataclass(frozen=True)
class RefundAllocation:
    """``amount_cents``: paid when refunded, owed when eligible-unfunded, 0 when not eligible."""

    assessment: RefundAssessment
    status: Literal["refunded", "eligible-unfunded", "not-eligible"]
    amount_cents: int
    budget_remaining_cents: int


@dataclass(frozen=True)
class CertificateStatus:
    certificate: Certificate
    expires_on: date  # first day it is no longer valid
    state: Literal["valid", "expired", "not-yet-valid"]

    @property
    def valid(self) -> bool:
        return self.state == "valid"


@dataclass(frozen=True)
class CertificationOutcome:
    certification: str
    awarded: bool
    certificate: Certificate | None
    knowledge: EvaluationProgress
    portfolio: EvaluationProgress


@dataclass(frozen=True)
class AIEngineerStatus:
    """The composite on a day. It relies on the valid mandatory certificates and on the required
    number of valid optional ones that stay valid longest; ``expires_on`` is the earliest expiry
    among those (the first day it stops holding if nothing is renewed)."""

    awarded: bool
    expires_on: date | None
    relies_on: tuple[Certificate, ...]
    mandatory_missing: tuple[str, ...]
    optional_valid: tuple[str, ...]
    optional_needed: int
    message: str


@dataclass(frozen=True)
class CertificationProgress:
    """A dashboard row; ``certificate`` is the latest one, valid or not."""

    certification: Certification
    knowledge: EvaluationProgress
    portfolio: EvaluationProgress
    fees_cents: int
    certificate: CertificateStatus | None
    knowledge_test: Decision
    project_submission: Decision


@dataclass(frozen=True)
class CandidateProgress:
    certifications: tuple[CertificationProgress, ...]  # in CERTIFICATIONS order
    ai_engineer: AIEngineerStatus
    fees: tuple[FeeLine, ...]
    fees_total_cents: int


def can_take_knowledge_test(
    cert: str, history: CandidateHistory, today: date, config: ProgramConfig
) -> Decision:
    """Checks in order: already-certified, already-passed, pending-evaluation, max-attempts,
    wait-after-failure."""
    return _decide(cert, "knowledge", history, today, config)


def can_submit_project(
    cert: str, history: CandidateHistory, today: date, config: ProgramConfig
) -> Decision:
    """As :func:`can_take_knowledge_test`, with knowledge-test-first checked second: the
    knowledge test must be passed or credited in the current round."""
    return _decide(cert, "portfolio", history, today, config)


def fees(attempts: Iterable[Attempt], config: ProgramConfig) -> tuple[FeeLine, ...]:
    """The fee ledger: one line per attempt (pending and failed ones too), in date order."""
    fee = config.fee_per_attempt_cents
    lines = (FeeLine(a.certification, a.kind, a.taken_on, fee) for a in attempts)
    return tuple(sorted(lines, key=lambda line: line.charged_on))


def evaluate_refund(
    cert: str, history: CandidateHistory, config: ProgramConfig
) -> RefundAssessment:
    """Eligible iff the two passing attempts that earned ``cert``'s latest award each scored
    strictly over the threshold (a credited evaluation has no score). The amount is the fees of
    every attempt of that round; ``eligible_on`` is the award day."""
    name = certification(cert).name
    need = f"a refund needs both scores over {config.refund_threshold_percent}%"
    closed = [r for r in _rounds(cert, history) if r.awarded_on is not None]
    if not closed:
        return RefundAssessment(cert, False, f"The {name} certificate is not awarded yet.", None, 0)
    for kind in KINDS:
        won = next(e for e in closed[-1].events if e.kind == kind and e.passed is True)
        what = f"The {name} {KIND_NAMES[kind]}"
        if won.attempt is None:
            return RefundAssessment(cert, False, f"{what} was credited; {need}.", None, 0)
        score = won.attempt.score_percent
        if not config.qualifies_for_refund(score):
            shown = "without a score" if score is None else f"with {score}%"
            return RefundAssessment(cert, False, f"{what} was passed {shown}; {need}.", None, 0)
    count = sum(1 for e in closed[-1].events if e.attempt is not None)
    amount = count * config.fee_per_attempt_cents
    reason = (
        f"Both {name} evaluations scored over {config.refund_threshold_percent}%: the fees of "
        f"{count} attempts, {config.format_money(amount)}, are refundable."
    )
    return RefundAssessment(cert, True, reason, closed[-1].awarded_on, amount)


def allocate_refund(assessment: RefundAssessment, budget_remaining_cents: int) -> RefundAllocation:
    """Pay an eligible claim in full from the budget, or record it as eligible-unfunded (a budget
    one cent short pays nothing). ``ValueError`` on a negative budget."""
    budget = budget_remaining_cents
    if budget < 0:
        raise ValueError(f"A refund budget cannot be negative ({budget} cents).")
    if not assessment.eligible:
        return RefundAllocation(assessment, "not-eligible", 0, budget)
    amount = assessment.amount_cents
    if amount <= budget:
        return RefundAllocation(assessment, "refunded", amount, budget - amount)
    return RefundAllocation(assessment, "eligible-unfunded", amount, budget)


def allocate_refunds(
    assessments: Sequence[RefundAssessment], budget_remaining_cents: int
) -> tuple[RefundAllocation, ...]:
    """Serve claims oldest ``eligible_on`` first (ties: given order). Once one is unfunded, all
    later ones are too; re-run with the unfunded ones after a top-up. Returns one allocation per
    assessment, in the order given; the last served one carries the remaining budget."""
    order = sorted(
        range(len(assessments)), key=lambda i: (assessments[i].eligible_on or date.max, i)
    )
    budget, blocked = budget_remaining_cents, False
    found: dict[int, RefundAllocation] = {}
    for i in order:
        alloc = allocate_refund(assessments[i], budget)
        if blocked and alloc.status == "refunded":
            alloc = RefundAllocation(
                assessments[i], "eligible-unfunded", alloc.amount_cents, budget
            )
        blocked = blocked or alloc.status == "eligible-unfunded"
        budget = alloc.budget_remaining_cents
        found[i] = alloc
    return tuple(found[i] for i in range(len(assessments)))


def certificate_status(
    certificate: Certificate, today: date, config: ProgramConfig
) -> CertificateStatus:
    """Valid from ``awarded_on`` up to the day before :meth:`ProgramConfig.expires_on`."""
    expires = config.expires_on(certificate.awarded_on)
    state: Literal["valid", "expired", "not-yet-valid"] = "valid"
    if today < certificate.awarded_on:
        state = "not-yet-valid"
    elif today >= expires:
        state = "expired"
    return CertificateStatus(certificate, expires, state)


def certification_outcome(
    cert: str, history: CandidateHistory, config: ProgramConfig
) -> CertificationOutcome:
    """The latest round of ``cert``: awarded on the day of the later pass (or credit), or where
    each evaluation stands. Store the returned certificate; the rules also derive it."""
    rounds = _rounds(cert, history)
    rnd = rounds[-2] if len(rounds) > 1 and not rounds[-1].events else rounds[-1]
    earned = None if rnd.awarded_on is None else Certificate(cert, rnd.awarded_on)
    knowledge, portfolio = (_progress(rnd, k, config) for k in KINDS)
    return CertificationOutcome(cert, earned is not None, earned, knowledge, portfolio)


def earned_certificates(history: CandidateHistory) -> tuple[Certificate, ...]:
    """The stored certificates plus every one the attempts and credits earned, without repeats."""
    return tuple(c for cert in CERTIFICATION_IDS for c in _owned(cert, history))


def ai_engineer_status(
    certificates: Iterable[Certificate], today: date, config: ProgramConfig
) -> AIEngineerStatus:
    """AI Engineer on ``today``: every mandatory and enough optional certificates valid.
    Credits count through the certificates they help earn (:func:`earned_certificates`)."""
    held = tuple(certificates)
    best = {c: _best_valid(c, held, today, config) for c in CERTIFICATION_IDS}
    mandatory = [v for c in config.ai_engineer_mandatory if (v := best[c]) is not None]
    missing = tuple(c for c in config.ai_engineer_mandatory if best[c] is None)
    optional = [v for c in config.ai_engineer_optional if (v := best[c]) is not None]
    optional.sort(key=lambda v: v.awarded_on, reverse=True)  # latest award = latest expiry
    optional_ids = tuple(v.certification for v in optional)
    needed = max(0, config.ai_engineer_min_optional - len(optional))
    if missing or needed:
        wanted = [f"a valid {certification(c).name} certificate" for c in missing]
        if needed:
            free = [certification(c).name for c in config.ai_engineer_optional if not best[c]]
            wanted.append(f"{needed} more valid certificate(s) among {_and(free, 'or')}")
        message = f"For the AI Engineer certification you still need {_and(wanted, 'and')}."
        return AIEngineerStatus(False, None, (), missing, optional_ids, needed, message)
    relies = (*mandatory, *optional[: config.ai_engineer_min_optional])
    expires = min((config.expires_on(c.awarded_on) for c in relies), default=None)
    message = "You hold the AI Engineer certification"
    message += f", valid through {_last_day(expires)}." if expires else "."
    return AIEngineerStatus(True, expires, relies, (), optional_ids, 0, message)


def certification_progress(
    cert: str, history: CandidateHistory, today: date, config: ProgramConfig
) -> CertificationProgress:
    """One dashboard row; while a certificate is valid it shows the round that earned it."""
    rounds = _rounds(cert, history)
    owned = _owned(cert, history, rounds)
    rnd = rounds[-1]
    if len(rounds) > 1 and not rnd.events and _best_valid(cert, owned, today, config):
        rnd = rounds[-2]
    latest = max(owned, key=lambda c: c.awarded_on, default=None)
    used = sum(1 for a in history.attempts if a.certification == cert)
    return CertificationProgress(
        certification=certification(cert),
        knowledge=_progress(rnd, "knowledge", config),
        portfolio=_progress(rnd, "portfolio", config),
        fees_cents=used * config.fee_per_attempt_cents,
        certificate=None if latest is None else certificate_status(latest, today, config),
        knowledge_test=can_take_knowledge_test(cert, history, today, config),
        project_submission=can_submit_project(cert, history, today, config),
    )


def candidate_progress(
    history: CandidateHistory, today: date, config: ProgramConfig
) -> CandidateProgress:
    """The whole dashboard: every certification, the fee ledger and the AI Engineer status."""
    rows = tuple(certification_progress(c, history, today, config) for c in CERTIFICATION_IDS)
    ai_engineer = ai_engineer_status(earned_certificates(history), today, config)
    lines = fees(history.attempts, config)
    return CandidateProgress(rows, ai_engineer, lines, sum(x.amount_cents for x in lines))


# -- internals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    on: date
    kind: Kind
    passed: bool | None
    attempt: Attempt | None = None
    credit: ExternalCredit | None = None


@dataclass(frozen=True)
class _Round:
    events: tuple[_Event, ...]
    awarded_on: date | None  # None while open


def _rounds(cert: str, history: CandidateHistory) -> list[_Round]:
    """The closed rounds in order, then the open one (possibly empty)."""
    certification(cert)
    events = [_Event(a.taken_on, a.kind, a.passed, attempt=a) for a in history.attempts]
    events += [
        _Event(c.decided_on, w.kind, True, credit=c)
        for c in history.credits
        if c.decision == "granted"
        for w in c.credits
        if w.certification == cert
    ]
    events = sorted(
        (e for e in events if not e.attempt or e.attempt.certification == cert), key=lambda e: e.on
    )
    rounds: list[_Round] = []
    current: list[_Event] = []
    for event in events:
        current.append(event)
        if all(any(e.passed is True and e.kind == k for e in current) for k in KINDS):
            rounds.append(_Round(tuple(current), event.on))
            current = []
    return [*rounds, _Round(tuple(current), None)]


def _progress(rnd: _Round, kind: Kind, config: ProgramConfig) -> EvaluationProgress:
    events = [e for e in rnd.events if e.kind == kind]
    tried = [e.attempt for e in events if e.attempt is not None]
    left = max(0, config.max_attempts_per_evaluation - len(tried))
    last = tried[-1] if tried else None
    won = next((e for e in events if e.passed is True), None)
    state: EvaluationState = "not-taken"
    if won is not None:
        state = "credited" if won.credit else "passed"
    elif any(a.passed is None for a in tried):
        state = "pending"
    elif last is not None:
        state = "failed"
    scored = won.attempt if won else last
    return EvaluationProgress(
        kind=kind,
        state=state,
        attempts_used=len(tried),
        attempts_left=left,
        score_percent=scored.score_percent if scored else None,
        last_attempt_on=last.taken_on if last else None,
        passed_on=won.on if won else None,
        retry_on=config.retry_on(last.taken_on) if last and state == "failed" and left else None,
        credited_by=won.credit if won else None,
    )


def _decide(
    cert: str, kind: Kind, history: CandidateHistory, today: date, config: ProgramConfig
) -> Decision:
    name = certification(cert).name
    what = f"{name} {KIND_NAMES[kind]}"
    rounds = _rounds(cert, history)
    held = _best_valid(cert, _owned(cert, history, rounds), today, config)
    if held is not None:
        ends = config.expires_on(held.awarded_on)
        text = f"You hold a {name} certificate valid through {_last_day(ends)}"
        return _no("already-certified", f"{text}; you may renew it from {_day(ends)}.", ends)
    knowledge = _progress(rounds[-1], "knowledge", config)
    if kind == "portfolio" and knowledge.passed_on is None:
        text = f"Pass the {name} knowledge test before submitting a project."
        if knowledge.state == "pending":
            text += " Your latest result is still pending."
        return _no("knowledge-test-first", text)
    progress = knowledge if kind == "knowledge" else _progress(rounds[-1], kind, config)
    if progress.passed_on is not None:
        how = "passed" if progress.credited_by is None else "credited"
        text = f"Your {what} was {how} on {_day(progress.passed_on)}"
        return _no("already-passed", f"{text}; it need not be taken again.")
    if progress.state == "pending":
        text = f"Your {what} is awaiting its result"
        return _no("pending-evaluation", f"{text}; please wait for it before trying again.")
    limit = config.max_attempts_per_evaluation
    if progress.attempts_left == 0:
        text = f"You have used all {limit} attempts at the {what}."
        return _no("max-attempts", f"{text} Please contact program staff about your options.")
    if progress.retry_on and progress.last_attempt_on and today < progress.retry_on:
        text = f"Your {what} of {_day(progress.last_attempt_on)} was not passed."
        when = progress.retry_on
        return _no("wait-after-failure", f"{text} You may try again from {_day(when)}.", when)
    action = "take the knowledge test" if kind == "knowledge" else "submit a project"
    fee = config.format_money(config.fee_per_attempt_cents)
    text = f"You may {action} for {name}: attempt {progress.attempts_used + 1} of {limit}"
    return Decision(True, "ok", f"{text}, fee {fee}.")


def _no(rule: str, message: str, lifts_on: date | None = None) -> Decision:
    return Decision(False, rule, message, lifts_on)


def _owned(
    cert: str, history: CandidateHistory, rounds: list[_Round] | None = None
) -> list[Certificate]:
    """Stored certificates of ``cert`` plus those its closed rounds earned."""
    found = [c for c in history.certificates if c.certification == cert]
    rounds = _rounds(cert, history) if rounds is None else rounds
    earned = [Certificate(cert, r.awarded_on) for r in rounds if r.awarded_on is not None]
    return found + [c for c in earned if c not in found]


def _best_valid(
    cert: str, certificates: Iterable[Certificate], today: date, config: ProgramConfig
) -> Certificate | None:
    mine = (c for c in certificates if c.certification == cert)
    valid = [c for c in mine if certificate_status(c, today, config).valid]
    return max(valid, key=lambda c: c.awarded_on, default=None)


def _day(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _last_day(expires_on: date) -> str:
    return _day(expires_on - timedelta(days=1))


def _and(items: Sequence[str], word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"
