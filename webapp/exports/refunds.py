"""The refund ledger: budget top-ups and the refunds drawn from them, with the running
balance, followed by the claims that are eligible but still unfunded."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.exports.filters import ExportFilter
from webapp.models import Refund, RefundBudgetEntry, User

COLUMNS = (
    "entry_id",
    "date",
    "kind",
    "amount",
    "currency",
    "balance",
    "candidate_email",
    "certification",
    "refund_status",
    "reason",
)


def _money(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def rows(session: Session, flt: ExportFilter) -> list[dict[str, Any]]:
    """Ledger entries in order (the balance counts every earlier entry, whatever the filter),
    then the unfunded claims. The filter keeps entries of one certification (top-ups have
    none and are always kept) and of a date range."""
    entries = session.execute(
        select(RefundBudgetEntry, Refund, User.email)
        .outerjoin(Refund, Refund.id == RefundBudgetEntry.refund_id)
        .outerjoin(User, User.id == Refund.candidate_id)
        .order_by(RefundBudgetEntry.created_at, RefundBudgetEntry.id)
    ).all()
    out: list[dict[str, Any]] = []
    balance = 0
    for entry, refund, email in entries:
        balance += entry.amount_cents
        day = entry.created_at.date()
        if flt.date_from and day < flt.date_from or flt.date_to and day > flt.date_to:
            continue
        if flt.certification and refund is not None and refund.certification != flt.certification:
            continue
        out.append(
            {
                "entry_id": entry.id,
                "date": day,
                "kind": "refund"
                if refund is not None
                else ("top-up" if entry.amount_cents >= 0 else "adjustment"),
                "amount": _money(entry.amount_cents),
                "currency": entry.currency,
                "balance": _money(balance),
                "candidate_email": email,
                "certification": refund.certification if refund is not None else None,
                "refund_status": refund.status if refund is not None else None,
                "reason": entry.reason,
            }
        )
    unfunded = (
        select(Refund, User.email)
        .join(User, User.id == Refund.candidate_id)
        .where(Refund.status == "unfunded")
    )
    if flt.certification:
        unfunded = unfunded.where(Refund.certification == flt.certification)
    for refund, email in session.execute(unfunded.order_by(Refund.decided_at, Refund.id)).all():
        out.append(
            {
                "entry_id": None,
                "date": refund.decided_at.date(),
                "kind": "eligible-unfunded",
                "amount": _money(refund.amount_cents),
                "currency": refund.currency,
                "balance": None,
                "candidate_email": email,
                "certification": refund.certification,
                "refund_status": refund.status,
                "reason": "Eligible for a refund; waiting for the budget to be topped up.",
            }
        )
    return out
