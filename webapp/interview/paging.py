"""Pages of long lists (past interviews, submissions awaiting assignment, the audit trail):
a bounded query plus a count, so a page costs the same with ten or ten thousand rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

PER_PAGE = 25
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int  # 1-based
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(text: str | None) -> int:
    """A page number from a query string; anything odd is page 1."""
    try:
        return max(1, min(int(text or "1"), 1_000_000))
    except ValueError:
        return 1


def paginate(
    session: Session,
    query: Any,
    number: int,
    per_page: int,
    convert: Callable[[Any], T],
    count: Any = None,
) -> Page[T]:
    """One page of ``query``; ``count`` is a cheaper query for the total (default: count the
    query's rows)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    if count is None:
        count = select(func.count()).select_from(query.order_by(None).subquery())
    total = int(session.scalar(count) or 0)
    pages = max(1, -(-total // per_page))
    number = max(1, min(number, pages))
    rows = session.execute(query.limit(per_page).offset((number - 1) * per_page)).all()
    return Page([convert(row) for row in rows], number, per_page, total)
