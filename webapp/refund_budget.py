"""The refund budget staff set: a ledger of top-ups and the refunds drawn from it.

After a top-up the claims recorded as eligible-but-unfunded are served, oldest first and
strictly in order (``reviewer.program.allocate_refunds``): a claim never overtakes an earlier
one that the budget still cannot cover.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer import program
from webapp.models import Refund, RefundBudgetEntry, User, utcnow


def balance_cents(session: Session) -> int:
    total = session.scalar(select(func.coalesce(func.sum(RefundBudgetEntry.amount_cents), 0)))
    return int(total or 0)


def ledger(session: Session, limit: int = 100) -> list[RefundBudgetEntry]:
    return list(
        session.scalars(
            select(RefundBudgetEntry)
            .order_by(RefundBudgetEntry.created_at.desc(), RefundBudgetEntry.id.desc())
            .limit(limit)
        )
    )


def waiting_refunds(session: Session) -> list[Refund]:
    return list(
        session.scalars(
            select(Refund).where(Refund.status == "unfunded").order_by(Refund.decided_at, Refund.id)
        )
    )


def adjust(
    session: Session,
    amount_cents: int,
    reason: str,
    actor: User | None,
    now: datetime | None = None,
) -> list[Refund]:
    """Add ``amount_cents`` (negative to correct downwards, never below zero) and fund the
    waiting claims it now covers. Returns the refunds funded. ``ValueError`` if refused."""
    now = now or utcnow()
    if not reason.strip():
        raise ValueError("Say why the budget changes.")
    if amount_cents == 0:
        raise ValueError("Enter an amount other than zero.")
    session.execute(select(RefundBudgetEntry.id).with_for_update()).all()
    if balance_cents(session) + amount_cents < 0:
        raise ValueError("The budget cannot go below zero.")
    session.add(
        RefundBudgetEntry(
            amount_cents=amount_cents,
            reason=reason.strip()[:2000],
            actor_id=actor.id if actor else None,
            created_at=now,
        )
    )
    session.flush()
    waiting = waiting_refunds(session)
    claims = [
        program.RefundAssessment(r.certification, True, "", r.decided_at.date(), r.amount_cents)
        for r in waiting
    ]
    funded = []
    for row, alloc in zip(
        waiting, program.allocate_refunds(claims, max(0, balance_cents(session))), strict=True
    ):
        if alloc.status != "refunded":
            continue
        row.status, row.funded_at = "funded", now
        session.add(
            RefundBudgetEntry(
                amount_cents=-row.amount_cents,
                reason=f"Refund of the {row.certification} fees of candidate {row.candidate_id}",
                refund_id=row.id,
                actor_id=actor.id if actor else None,
                created_at=now,
            )
        )
        funded.append(row)
    session.flush()
    return funded
