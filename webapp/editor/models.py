"""The suggested projects as blog editors maintain them.

One row per suggestion. ``document`` holds the whole validated suggestion as JSON (the same
fields as a ``suggested_projects/<id>.yaml`` file, see ``reviewer.suggestions``); the other
columns repeat what the editor pages sort and filter on. Rows are written only through
``webapp.editor.store``, which validates with the engine's schema first, so a row always
turns back into a valid ``Suggestion`` and the export gives back the files it was seeded from.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, UTCDateTime, utcnow


class SuggestedProject(Base):
    __tablename__ = "suggested_projects"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # the suggestion's slug
    title: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), index=True)  # active | retired
    position: Mapped[int] = mapped_column(Integer, index=True)  # the suggestion's ``order``
    difficulty: Mapped[str] = mapped_column(String(20))
    #: Certification ids joined as ",nlp,genai," (so a LIKE finds one; the list is short).
    certifications: Mapped[str] = mapped_column(String(200))
    updated: Mapped[date] = mapped_column(Date)  # the suggestion's own "last changed" date
    document: Mapped[str] = mapped_column(Text)  # the whole suggestion as JSON
    #: Bumped on every save; a form carries the revision it was opened at, so an edit made
    #: meanwhile by someone else is not overwritten silently.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
