"""The audit trail: every change to a score, a result or a decision once it is final.

Each entry names the actor, the time, the interview, what changed (entity, id and field), the
value before and after, and the reason. Staff amendments must give a reason
(:func:`require_reason`); events the software records itself (finalising, reconciling) carry a
fixed sentence. Entries are only ever added, never edited or deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import User, utcnow
from webapp.models.interviews import AuditEntry

MAX_REASON = 2000


class ReasonRequired(ValueError):
    """A staff change was asked for without a reason."""


def require_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ReasonRequired("Give the reason for this change; it is kept in the audit trail.")
    if len(text) > MAX_REASON:
        raise ReasonRequired(f"Keep the reason under {MAX_REASON} characters.")
    return text


def record(
    session: Session,
    *,
    actor_id: int | None,
    interview_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    reason: str,
    field: str = "",
    before: str | None = None,
    after: str | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=at or utcnow(),
        actor_id=actor_id,
        interview_id=interview_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        field=field,
        before=before,
        after=after,
        reason=reason,
    )
    session.add(entry)
    return entry


def record_changes(
    session: Session,
    *,
    actor_id: int | None,
    interview_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    changes: Mapping[str, tuple[str, str]],
    reason: str,
) -> list[AuditEntry]:
    """One entry per changed field (``field -> (before, after)``), all at the same time."""
    now = utcnow()
    return [
        record(
            session,
            actor_id=actor_id,
            interview_id=interview_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            field=name,
            before=before,
            after=after,
            reason=reason,
            at=now,
        )
        for name, (before, after) in changes.items()
    ]


@dataclass(frozen=True)
class EntryView:
    id: int
    at: datetime
    actor: str
    interview_id: int | None
    action: str
    entity: str
    entity_id: int | None
    field: str
    before: str
    after: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "interview_id": self.interview_id,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


COLUMNS = tuple(EntryView.__dataclass_fields__)


def _query(interview_id: int | None) -> Any:
    query = select(AuditEntry, User.email).outerjoin(User, AuditEntry.actor_id == User.id)
    if interview_id is not None:
        query = query.where(AuditEntry.interview_id == interview_id)
    return query


def _view(entry: AuditEntry, email: str | None) -> EntryView:
    return EntryView(
        id=entry.id,
        at=entry.at,
        actor=email or "system",
        interview_id=entry.interview_id,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        field=entry.field,
        before=entry.before or "",
        after=entry.after or "",
        reason=entry.reason,
    )


def count(session: Session, interview_id: int | None = None) -> int:
    query = select(func.count(AuditEntry.id))
    if interview_id is not None:
        query = query.where(AuditEntry.interview_id == interview_id)
    return int(session.scalar(query) or 0)


def entries(
    session: Session,
    interview_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = True,
) -> list[EntryView]:
    order = (AuditEntry.id.desc(),) if newest_first else (AuditEntry.id,)
    query = _query(interview_id).order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_view(entry, email) for entry, email in session.execute(query).all()]
