"""One interviewer's scorecard: the form's fields, saving drafts without losing anything, and
finalising.

The form has, per rubric criterion, ``level-<id>`` (0..4 or empty), ``cnote-<id>`` (a note for
the candidate) and ``pnote-<id>`` (a private note), plus ``overall_comment`` (shown to the
candidate) and ``recommendation``.

**Saving merges field by field.** Every form carries, for each field, the fingerprint of the
value it was loaded with (its *base*). A submitted field is

* skipped when it still equals its base (the user did not touch it: an untouched field of a
  stale form never undoes what another tab saved), or when it equals the saved value;
* applied when the saved value still equals the base (nobody else changed it meanwhile), or
  when no base was sent and nothing is saved in the field yet (nothing can be lost);
* otherwise a :class:`Conflict`: the user and someone else (another tab) both changed it. The
  saved value is kept and the user is told, with both texts; their text stays in their form.

Two tabs editing different fields therefore both keep their work, and a stale form is detected
instead of silently overwriting. Each save also bumps the scorecard's ``version`` (checked by
SQLAlchemy on update), so two saves racing each other are serialised: the loser is merged
again against what the winner wrote (:func:`with_retry`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from webapp.interview.engine import LEVELS, RubricSnapshot
from webapp.models.interviews import (
    CriterionScore,
    Recommendation,
    Scorecard,
    ScorecardState,
)

MAX_NOTE = 20_000
OVERALL = "overall_comment"
RECOMMENDATION = "recommendation"
KINDS = ("level", "cnote", "pnote")

T = TypeVar("T")


def level_field(criterion_id: str) -> str:
    return f"level-{criterion_id}"


def cnote_field(criterion_id: str) -> str:
    return f"cnote-{criterion_id}"


def pnote_field(criterion_id: str) -> str:
    return f"pnote-{criterion_id}"


def field_names(rubric: RubricSnapshot) -> tuple[str, ...]:
    names = [f"{kind}-{c.id}" for c in rubric.criteria for kind in KINDS]
    return (*names, OVERALL, RECOMMENDATION)


def field_label(rubric: RubricSnapshot, name: str) -> str:
    if name == OVERALL:
        return "Overall comment"
    if name == RECOMMENDATION:
        return "Recommendation"
    kind, _, cid = name.partition("-")
    try:
        title = rubric.criterion(cid).title
    except KeyError:
        return name
    what = {"level": "level", "cnote": "note for the candidate", "pnote": "private note"}[kind]
    return f"{title}: {what}"


def normalise(value: str) -> str:
    """Browsers send textarea line breaks as CRLF; stored text uses LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def fingerprint(value: str) -> str:
    return hashlib.sha256(normalise(value).encode("utf-8")).hexdigest()[:16]


def current_values(rubric: RubricSnapshot, card: Scorecard) -> dict[str, str]:
    by_id = {s.criterion_id: s for s in card.scores}
    values: dict[str, str] = {}
    for c in rubric.criteria:
        row = by_id.get(c.id)
        values[level_field(c.id)] = "" if row is None or row.level is None else str(row.level)
        values[cnote_field(c.id)] = row.candidate_note if row else ""
        values[pnote_field(c.id)] = row.private_note if row else ""
    values[OVERALL] = card.overall_comment or ""
    values[RECOMMENDATION] = card.recommendation or Recommendation.NO_DECISION
    return values


def fingerprints(values: Mapping[str, str]) -> dict[str, str]:
    return {name: fingerprint(value) for name, value in values.items()}


@dataclass(frozen=True)
class Conflict:
    field: str
    label: str
    saved: str
    yours: str
    saved_fingerprint: str


@dataclass(frozen=True)
class SaveOutcome:
    status: Literal["saved", "unchanged", "conflict", "invalid", "locked"]
    applied: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    errors: Mapping[str, str] = field(default_factory=dict)
    version: int = 0
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    saved_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("saved", "unchanged")


def _problem(rubric: RubricSnapshot, name: str, value: str) -> str | None:
    if name.startswith("level-"):
        if value != "" and value not in {str(lv) for lv in LEVELS}:
            return f"{field_label(rubric, name)}: choose a level from 0 to 4."
        return None
    if name == RECOMMENDATION:
        if value not in {r.value for r in Recommendation}:
            return "Recommendation: choose pass, fail or no decision."
        return None
    if len(value) > MAX_NOTE:
        return f"{field_label(rubric, name)}: keep it under {MAX_NOTE} characters."
    return None


def _row(card: Scorecard, criterion_id: str) -> CriterionScore:
    for row in card.scores:
        if row.criterion_id == criterion_id:
            return row
    row = CriterionScore(criterion_id=criterion_id, level=None, candidate_note="", private_note="")
    card.scores.append(row)
    return row


def _write(card: Scorecard, name: str, value: str) -> None:
    if name == OVERALL:
        card.overall_comment = value
    elif name == RECOMMENDATION:
        card.recommendation = value
    else:
        kind, _, cid = name.partition("-")
        row = _row(card, cid)
        if kind == "level":
            row.level = int(value) if value != "" else None
        elif kind == "cnote":
            row.candidate_note = value
        else:
            row.private_note = value


def save_draft(
    rubric: RubricSnapshot,
    card: Scorecard,
    submitted: Mapping[str, str],
    base: Mapping[str, str],
    now: datetime,
) -> SaveOutcome:
    """Merge ``submitted`` fields into ``card`` (see the module docstring). Unknown field names
    are ignored; invalid values are reported and not applied; valid ones are applied anyway so
    that nothing typed is lost. The caller flushes and commits."""
    if card.is_final:
        return SaveOutcome("locked", version=card.version)
    known = set(field_names(rubric))
    saved = current_values(rubric, card)
    applied: list[str] = []
    conflicts: list[Conflict] = []
    errors: dict[str, str] = {}
    for name, raw in submitted.items():
        if name not in known:
            continue
        value = normalise(raw)
        if name.startswith("level-") or name == RECOMMENDATION:
            value = value.strip()
        problem = _problem(rubric, name, value)
        if problem:
            errors[name] = problem
            continue
        mine, theirs, start = fingerprint(value), fingerprint(saved[name]), base.get(name)
        if mine == start or value == saved[name]:
            continue
        if start == theirs or (start is None and saved[name] == ""):
            _write(card, name, value)
            applied.append(name)
            continue
        conflicts.append(Conflict(name, field_label(rubric, name), saved[name], value, theirs))
    if applied:
        card.updated_at = now
    status: Literal["saved", "unchanged", "conflict", "invalid"]
    if conflicts:
        status = "conflict"
    elif errors:
        status = "invalid"
    else:
        status = "saved" if applied else "unchanged"
    return SaveOutcome(status, tuple(applied), tuple(conflicts), errors, card.version)


def finalise_problems(rubric: RubricSnapshot, card: Scorecard) -> dict[str, str]:
    """What stops the scorecard from being finalised: every criterion needs a level."""
    values = current_values(rubric, card)
    return {
        level_field(c.id): f"{c.title}: choose a level before finalising."
        for c in rubric.criteria
        if values[level_field(c.id)] == ""
    }


def finalise(card: Scorecard, now: datetime) -> None:
    card.state = ScorecardState.FINAL
    card.finalised_at = now
    card.updated_at = now


def is_retryable(err: Exception) -> bool:
    """A lost race: another transaction updated the same scorecard (or held SQLite's lock)."""
    if isinstance(err, StaleDataError):
        return True
    return isinstance(err, OperationalError) and "locked" in str(err.orig).lower()


def with_retry(session: Session, attempt: Callable[[], T], tries: int = 5) -> T:
    """Run ``attempt`` (which reloads what it needs, changes and commits) again after a lost
    race, up to ``tries`` times; each retry starts from a fresh transaction."""
    for n in range(tries):
        try:
            return attempt()
        except (StaleDataError, OperationalError) as err:
            session.rollback()
            if not is_retryable(err) or n == tries - 1:
                raise
            session.expire_all()
            time.sleep(0.02 * (n + 1))
    raise AssertionError("unreachable")
