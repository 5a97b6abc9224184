"""A small rate limiter kept in the database, so every web worker process sees the same counts.

A sliding window: ``hit`` counts the key's events inside the window, refuses when the limit is
reached (saying when the oldest one leaves the window) and records the event otherwise.
``enforce`` is the form a view uses: it saves the count and answers 429 when the limit is reached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from webapp.models import RateLimitEvent, utcnow

#: Events older than this are deleted by the periodic sweep whatever their key.
KEEP_EVENTS = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    count: int
    window_s: float

    @classmethod
    def of(cls, value: tuple[int, float] | Limit) -> Limit:
        return value if isinstance(value, Limit) else cls(int(value[0]), float(value[1]))


@dataclass(frozen=True)
class LimitResult:
    allowed: bool
    retry_after_s: int = 0

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after_s / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return f"Too many attempts. Please try again in {minutes} {unit}."


def hit(session: Session, key: str, limit: Limit, now: datetime | None = None) -> LimitResult:
    """Count one event for ``key`` unless the limit is reached (the caller commits)."""
    now = now or utcnow()
    cutoff = now - timedelta(seconds=limit.window_s)
    session.execute(
        delete(RateLimitEvent).where(RateLimitEvent.key == key, RateLimitEvent.created_at <= cutoff)
    )
    count, oldest = session.execute(
        select(func.count(RateLimitEvent.id), func.min(RateLimitEvent.created_at)).where(
            RateLimitEvent.key == key, RateLimitEvent.created_at > cutoff
        )
    ).one()
    if count >= limit.count:
        oldest_at = oldest.replace(tzinfo=now.tzinfo) if oldest.tzinfo is None else oldest
        wait = (oldest_at + timedelta(seconds=limit.window_s) - now).total_seconds()
        return LimitResult(False, max(1, math.ceil(wait)))
    session.add(RateLimitEvent(key=key[:300], created_at=now))
    return LimitResult(True)


def enforce(session: Session, key: str, limit: Limit | tuple[int, float]) -> None:
    """Count this request for ``key`` and commit; abort with 429 (and the wait) when refused."""
    result = hit(session, key, Limit.of(limit))
    session.commit()
    if not result.allowed:
        abort(429, description=result.message)


def clear(session: Session, key: str) -> None:
    session.execute(delete(RateLimitEvent).where(RateLimitEvent.key == key))


def prune(session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    result = session.execute(
        delete(RateLimitEvent).where(RateLimitEvent.created_at <= now - KEEP_EVENTS)
    )
    return int(getattr(result, "rowcount", 0) or 0)
