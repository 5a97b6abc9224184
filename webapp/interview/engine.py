"""The interview side's one door into the engine: rubrics, the suggested levels of an
assessment, and the interviewer's brief + question sheet.

Everything imported from ``reviewer.rubrics``, ``reviewer.review`` and ``reviewer.render`` is
imported here, lazily, so a change in the engine's API is a change in this file only.

A :class:`RubricSnapshot` is what an interview keeps of its rubric (stored as JSON on the
interview when staff assign it): the criteria with their weights and level descriptors, the
pass mark and the must-pass criteria, and the rubric's version. Results are totalled from the
snapshot, never from whatever the rubric files say later.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from reviewer.settings import Settings

logger = logging.getLogger(__name__)

LEVELS: tuple[int, ...] = (0, 1, 2, 3, 4)
MAX_LEVEL = LEVELS[-1]


class RubricUnavailable(Exception):
    """No rubric could be loaded for a certification (message written for staff)."""


@dataclass(frozen=True)
class CriterionSpec:
    id: str
    title: str
    weight: Decimal
    covers: str
    levels: tuple[str, ...]  # descriptor of level 0..4, by index

    def descriptor(self, level: int | None) -> str:
        return self.levels[level] if level is not None and 0 <= level < len(self.levels) else ""


@dataclass(frozen=True)
class MustPassSpec:
    criterion: str
    min_level: int


@dataclass(frozen=True)
class RubricSnapshot:
    id: str
    title: str
    version: str
    pass_mark: Decimal  # on the 0..4 level scale
    must_pass: tuple[MustPassSpec, ...]
    criteria: tuple[CriterionSpec, ...]

    def criterion(self, criterion_id: str) -> CriterionSpec:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def min_level(self, criterion_id: str) -> int | None:
        return next((m.min_level for m in self.must_pass if m.criterion == criterion_id), None)

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "title": self.title,
                "version": self.version,
                "pass_mark": str(self.pass_mark),
                "must_pass": [
                    {"criterion": m.criterion, "min_level": m.min_level} for m in self.must_pass
                ],
                "criteria": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "weight": str(c.weight),
                        "covers": c.covers,
                        "levels": list(c.levels),
                    }
                    for c in self.criteria
                ],
            },
            sort_keys=True,
        )

    @staticmethod
    def from_json(text: str) -> RubricSnapshot:
        return _parse_snapshot(text)


@lru_cache(maxsize=64)
def _parse_snapshot(text: str) -> RubricSnapshot:
    data = json.loads(text)
    return RubricSnapshot(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        pass_mark=Decimal(data["pass_mark"]),
        must_pass=tuple(
            MustPassSpec(m["criterion"], int(m["min_level"])) for m in data["must_pass"]
        ),
        criteria=tuple(
            CriterionSpec(
                id=c["id"],
                title=c["title"],
                weight=Decimal(c["weight"]),
                covers=c["covers"],
                levels=tuple(c["levels"]),
            )
            for c in data["criteria"]
        ),
    )


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def snapshot_of(rubric: Any) -> RubricSnapshot:
    """A ``reviewer.rubrics.Rubric`` reduced to what scoring needs."""
    return RubricSnapshot(
        id=rubric.id,
        title=rubric.title,
        version=str(rubric.version),
        pass_mark=_decimal(rubric.pass_mark),
        must_pass=tuple(MustPassSpec(m.criterion, int(m.min_level)) for m in rubric.must_pass),
        criteria=tuple(
            CriterionSpec(
                id=c.id,
                title=c.title,
                weight=_decimal(c.weight),
                covers=" ".join(str(c.covers).split()),
                levels=tuple(str(c.levels[level]) for level in LEVELS),
            )
            for c in rubric.criteria
        ),
    )


def _engine_rubric(certification: str, settings: Settings) -> Any:
    from reviewer.errors import ReviewerError
    from reviewer.rubrics import get_rubric

    try:
        return get_rubric(certification, settings)
    except ReviewerError as err:
        raise RubricUnavailable(str(err)) from err


def load_rubric(certification: str, settings: Settings) -> RubricSnapshot:
    """The current rubric of ``certification``; ``RubricUnavailable`` says why not."""
    return snapshot_of(_engine_rubric(certification, settings))


# -- what the assessment suggested ---------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    level: int
    reasons: tuple[str, ...]


def suggestions(assessment_json: str | None) -> Mapping[str, Suggestion]:
    """Criterion id -> the engine's suggested level and its reasons (empty when unknown)."""
    if not assessment_json:
        return {}
    return _suggestions(assessment_json)


@lru_cache(maxsize=256)
def _suggestions(assessment_json: str) -> Mapping[str, Suggestion]:
    try:
        data = json.loads(assessment_json)
        out = {}
        for c in data.get("criteria", ()):
            reasons = tuple(str(r.get("text", "")) for r in c.get("reasons", ()) if r.get("text"))
            out[str(c["id"])] = Suggestion(int(c["suggested_level"]), reasons)
        return MappingProxyType(out)
    except (ValueError, KeyError, TypeError, AttributeError):
        logger.warning("An assessment could not be read; no suggested levels are shown")
        return {}


# -- the brief and the question sheet ------------------------------------------------------------


@dataclass(frozen=True)
class BriefDocument:
    """The engine's brief + question sheet: the printable HTML fragment (autoescaped by the
    engine) and the same content as JSON for the interview page (:func:`sheet_view`)."""

    html: str
    sheet_json: str
    rubric_version: str


def brief_document(
    report_json: str, certification: str, candidate: str, settings: Settings
) -> BriefDocument:
    """Build the brief and the question sheet of one candidate's report (deterministic for the
    same candidate, certification and commit). Raises ``RubricUnavailable`` or ``ValueError``."""
    from reviewer.render import render_html
    from reviewer.report import Report
    from reviewer.review import build_review

    rubric = _engine_rubric(certification, settings)
    report = Report.from_json(json.loads(report_json))
    review = build_review(report, rubric, candidate)
    data = review.to_json()
    kept = {k: data.get(k) for k in ("duration_minutes", "questions", "red_flags", "strengths")}
    return BriefDocument(
        render_html(review, standalone=False), json.dumps(kept), str(rubric.version)
    )


@dataclass(frozen=True)
class SheetQuestion:
    number: int
    criterion: str
    kind: str  # evidence | gap | deep_dive
    text: str
    guidance: str
    follow_ups: tuple[str, ...]
    minutes: int
    reserve: bool
    evidence: tuple[tuple[str, str | None], ...]  # (reference, link at the pinned commit)


@dataclass(frozen=True)
class Flag:
    severity: str
    message: str


@dataclass(frozen=True)
class SheetView:
    duration_minutes: int
    questions: tuple[SheetQuestion, ...]
    red_flags: tuple[Flag, ...]
    strengths: tuple[Flag, ...]


@lru_cache(maxsize=256)
def sheet_view(sheet_json: str) -> SheetView | None:
    """The question sheet and the brief's flags for the interview page (None if unreadable)."""
    try:
        data = json.loads(sheet_json)
        questions = tuple(
            SheetQuestion(
                number=int(q.get("number") or 0),
                criterion=str(q.get("criterion", "")),
                kind=str(q.get("kind", "")),
                text=str(q.get("text", "")),
                guidance=str(q.get("guidance", "")),
                follow_ups=tuple(str(f) for f in q.get("follow_ups", ())),
                minutes=int(q.get("minutes") or 0),
                reserve=bool(q.get("reserve")),
                evidence=tuple(
                    zip(
                        (str(e) for e in q.get("evidence", ())),
                        (u or None for u in q.get("evidence_urls", ())),
                        strict=False,
                    )
                ),
            )
            for q in data.get("questions") or ()
        )
        flags = {
            key: tuple(
                Flag(str(f.get("severity", "")), str(f.get("message", "")))
                for f in data.get(key) or ()
            )
            for key in ("red_flags", "strengths")
        }
        return SheetView(
            int(data.get("duration_minutes") or 0),
            questions,
            flags["red_flags"],
            flags["strengths"],
        )
    except (ValueError, TypeError, AttributeError):
        logger.warning("A stored question sheet could not be read")
        return None


def brief_stylesheet() -> str:
    """The engine's stylesheet for the brief and the sheet (screen and print)."""
    from reviewer.render import stylesheet

    return stylesheet()
