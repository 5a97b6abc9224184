"""Suggested projects in the database: seed from files, list, save, retire, reorder, export.

Plain functions over a SQLAlchemy session (no request, no Flask): the views call them, and so
could a command or a job. Every write goes through the engine's schema first (the caller
passes a validated ``Suggestion``), so each row turns back into the same suggestion and
``export_files`` writes the canonical files of ``reviewer.suggestions`` — seeding from
``suggested_projects/`` and exporting again gives the same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer.suggestions import (
    CriteriaIndex,
    FieldProblem,
    Suggestion,
    dump_suggestions,
    load_suggestions,
    sort_suggestions,
)
from webapp.editor.models import SuggestedProject
from webapp.models import utcnow

POSITION_STEP = 10
#: A fixed timestamp for zip entries, so the same files always give the same archive.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Filters:
    """What the editor's list shows; ``None`` means any."""

    certification: str | None = None
    difficulty: str | None = None
    status: str | None = None

    def admits(self, s: Suggestion) -> bool:
        return (
            (self.certification is None or self.certification in s.certifications)
            and (self.difficulty is None or s.difficulty == self.difficulty)
            and (self.status is None or s.status == self.status)
        )


def _document(s: Suggestion) -> str:
    return json.dumps(s.model_dump(mode="json"), ensure_ascii=False, sort_keys=False)


def _fill(row: SuggestedProject, s: Suggestion) -> None:
    row.title = s.title
    row.status = s.status
    row.position = s.order
    row.difficulty = s.difficulty
    row.certifications = "," + ",".join(s.certifications) + ","
    row.updated = s.updated
    row.document = _document(s)


def suggestion_of(row: SuggestedProject) -> Suggestion:
    return Suggestion.model_validate(json.loads(row.document))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SuggestedProject)) or 0


def seed_from_files(session: Session, source: Path, criteria: CriteriaIndex | None) -> int:
    """Load ``source`` into an empty table (``DataError`` if the files do not validate);
    returns how many suggestions were added (0 when the table already had some)."""
    if count(session):
        return 0
    suggestions = load_suggestions(source, criteria)
    for s in suggestions:
        row = SuggestedProject(id=s.id, revision=1)
        _fill(row, s)
        session.add(row)
    session.flush()
    return len(suggestions)


def all_suggestions(session: Session) -> list[Suggestion]:
    rows = session.scalars(select(SuggestedProject).order_by(SuggestedProject.id))
    return sort_suggestions(suggestion_of(r) for r in rows)


def listed(session: Session, filters: Filters) -> list[Suggestion]:
    return [s for s in all_suggestions(session) if filters.admits(s)]


def get(session: Session, ident: str) -> SuggestedProject | None:
    return session.get(SuggestedProject, ident)


def next_position(session: Session) -> int:
    highest = session.scalar(select(func.max(SuggestedProject.position)))
    return (highest or 0) + POSITION_STEP


def create(session: Session, s: Suggestion, user_id: int | None) -> list[FieldProblem]:
    """Add a new suggestion; a problem (not an exception) when its id is taken."""
    if get(session, s.id) is not None:
        return [FieldProblem(("id",), f"{s.id!r} is already the id of another suggestion")]
    row = SuggestedProject(id=s.id, revision=1, changed_by_id=user_id)
    _fill(row, s)
    session.add(row)
    session.flush()
    return []


def update(
    session: Session, s: Suggestion, opened_at_revision: int, user_id: int | None
) -> list[FieldProblem]:
    """Save an edit, unless someone else saved the suggestion since the form was opened."""
    row = get(session, s.id)
    if row is None:
        return [FieldProblem((), "This suggestion no longer exists.")]
    if row.revision != opened_at_revision:
        return [
            FieldProblem(
                (),
                "Someone else saved this suggestion after you opened it. Your text is kept "
                "below; open the suggestion again in another tab to compare, then save.",
            )
        ]
    _fill(row, s)
    row.revision += 1
    row.changed_at = utcnow()
    row.changed_by_id = user_id
    session.flush()
    return []


def set_status(
    session: Session, ident: str, status: str, today: date, user_id: int | None
) -> Suggestion | None:
    """Retire (``retired``) or restore (``active``) a suggestion; ``None`` if it is unknown."""
    row = get(session, ident)
    if row is None:
        return None
    changed = suggestion_of(row).model_copy(update={"status": status, "updated": today})
    _save_row(row, changed, user_id)
    return changed


def move(
    session: Session,
    ident: str,
    direction: str,
    filters: Filters,
    today: date,
    user_id: int | None,
) -> bool:
    """Move a suggestion one place up or down *in the list the editor sees* (``filters``):
    it trades places with its neighbour there. False when there is no neighbour that way."""
    shown = listed(session, filters)
    ids = [s.id for s in shown]
    if ident not in ids or direction not in ("up", "down"):
        return False
    i = ids.index(ident)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(shown):
        return False
    a, b = shown[i], shown[j]
    if a.order == b.order:  # a tie (broken by id): number the shown list in its new order
        ids[i], ids[j] = ids[j], ids[i]
        _renumber(session, ids, min(s.order for s in shown), today, user_id)
        return True
    for s, order in ((a, b.order), (b, a.order)):
        row = get(session, s.id)
        assert row is not None
        _save_row(row, s.model_copy(update={"order": order, "updated": today}), user_id)
    return True


def _renumber(
    session: Session, ids: list[str], base: int, today: date, user_id: int | None
) -> None:
    for n, ident in enumerate(ids):
        row = get(session, ident)
        assert row is not None
        s = suggestion_of(row)
        order = base + n * POSITION_STEP
        if s.order != order:
            _save_row(row, s.model_copy(update={"order": order, "updated": today}), user_id)


def _save_row(row: SuggestedProject, s: Suggestion, user_id: int | None) -> None:
    _fill(row, s)
    row.revision += 1
    row.changed_at = utcnow()
    row.changed_by_id = user_id


def export_files(session: Session) -> dict[str, str]:
    """The canonical ``suggested_projects/`` files of every row (retired ones included)."""
    return dump_suggestions(all_suggestions(session))


def zip_bytes(files: Mapping[str, str], folder: str = "") -> bytes:
    """A deterministic zip of ``files`` (sorted names, fixed timestamps), under ``folder``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(f"{folder}{name}", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
