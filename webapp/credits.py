"""Staff decisions on certificates from other providers, and what each one credits.

The decision is recorded as staff make it; ``reviewer.program`` reads granted credits as passed
evaluations (see ``webapp.rules``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer import program
from webapp.accounts import normalise_email
from webapp.models import ExternalCredit, Role, User

DECISIONS = ("granted", "refused")


class CreditError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CreditRequest:
    email: str
    provider: str
    credential: str
    earned_on: date | None
    decision: str
    waivers: tuple[str, ...]  # "certification:kind"
    note: str


def waiver_choices() -> list[tuple[str, str]]:
    return [
        (f"{c.id}:{kind}", f"{c.name} — {program.KIND_NAMES[kind]}")
        for c in program.CERTIFICATIONS
        for kind in program.KINDS
    ]


def record(session: Session, request: CreditRequest, staff: User, today: date) -> ExternalCredit:
    """Validate and add the decision (the caller commits)."""
    candidate = session.scalar(select(User).where(User.email == normalise_email(request.email)))
    if candidate is None or candidate.role != Role.CANDIDATE:
        raise CreditError("email", "No candidate account uses this e-mail address.")
    if request.decision not in DECISIONS:
        raise CreditError("decision", "Choose whether the credit is granted or refused.")
    known = {value for value, _ in waiver_choices()}
    unknown = [w for w in request.waivers if w not in known]
    if unknown:
        raise CreditError("waivers", "Choose evaluations from the list.")
    if request.decision == "granted" and not request.waivers:
        raise CreditError("waivers", "A granted credit must name the evaluations it replaces.")
    if request.earned_on is not None and request.earned_on > today:
        raise CreditError("earned_on", "The certificate cannot be earned in the future.")
    credits = [
        {"certification": cert, "kind": kind}
        for cert, _, kind in (w.partition(":") for w in request.waivers)
    ]
    row = ExternalCredit(
        candidate_id=candidate.id,
        provider=request.provider.strip()[:200],
        credential=request.credential.strip()[:200],
        earned_on=request.earned_on,
        decision=request.decision,
        credits_json=json.dumps(credits if request.decision == "granted" else []),
        note=request.note.strip()[:4000],
        decided_by_id=staff.id,
        decided_on=today,
    )
    session.add(row)
    session.flush()
    return row


def recent(session: Session, limit: int = 100) -> list[tuple[ExternalCredit, User]]:
    rows = session.execute(
        select(ExternalCredit, User)
        .join(User, ExternalCredit.candidate_id == User.id)
        .order_by(ExternalCredit.created_at.desc(), ExternalCredit.id.desc())
        .limit(limit)
    )
    return [(c, u) for c, u in rows.all()]


def credited_labels(credit: ExternalCredit) -> list[str]:
    try:
        items = json.loads(credit.credits_json)
    except ValueError:
        return []
    labels = dict(waiver_choices())
    return [labels.get(f"{i.get('certification')}:{i.get('kind')}", str(i)) for i in items]
