"""Reconciliation: the finalised scorecards side by side, one agreed level per criterion with
its rationale, then the result.

A criterion is a *disagreement* when the interviewers chose different levels. The agreed level
of a disagreement, or any agreed level that differs from what everyone chose, needs a written
rationale; a unanimous level kept as is gets a generated one. The raw scores are never changed
here: they stay on the scorecards, and the agreed levels are stored beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from reviewer import program
from webapp import audit, results
from webapp.interview.engine import LEVELS, CriterionSpec, RubricSnapshot
from webapp.models.interviews import (
    AgreedLevel,
    Interview,
    InterviewResult,
    InterviewState,
    Scorecard,
)

MAX_RATIONALE = 5000


def agreed_field(criterion_id: str) -> str:
    return f"agreed-{criterion_id}"


def rationale_field(criterion_id: str) -> str:
    return f"rationale-{criterion_id}"


@dataclass(frozen=True)
class RawScore:
    interviewer: str
    level: int | None
    candidate_note: str
    private_note: str


@dataclass(frozen=True)
class ComparisonRow:
    criterion: CriterionSpec
    raw: tuple[RawScore, ...]
    min_level: int | None  # must-pass minimum, if any

    @property
    def levels(self) -> tuple[int | None, ...]:
        return tuple(r.level for r in self.raw)

    @property
    def unanimous(self) -> bool:
        return len(set(self.levels)) == 1 and self.levels[0] is not None

    @property
    def proposed(self) -> int | None:
        return self.levels[0] if self.unanimous else None

    @property
    def spread(self) -> int:
        chosen = [lv for lv in self.levels if lv is not None]
        return max(chosen) - min(chosen) if chosen else 0


def compare(
    rubric: RubricSnapshot, cards: Sequence[Scorecard], names: Mapping[int, str]
) -> tuple[ComparisonRow, ...]:
    rows = []
    for c in rubric.criteria:
        raw = []
        for card in cards:
            score = next((s for s in card.scores if s.criterion_id == c.id), None)
            raw.append(
                RawScore(
                    interviewer=names.get(
                        card.interviewer_id, f"Interviewer {card.interviewer_id}"
                    ),
                    level=score.level if score else None,
                    candidate_note=score.candidate_note if score else "",
                    private_note=score.private_note if score else "",
                )
            )
        rows.append(ComparisonRow(c, tuple(raw), rubric.min_level(c.id)))
    return tuple(rows)


@dataclass(frozen=True)
class AgreedChoice:
    level: int
    rationale: str


def check_choices(
    rows: Sequence[ComparisonRow], form: Mapping[str, str]
) -> tuple[dict[str, AgreedChoice], dict[str, str]]:
    """The agreed level and rationale per criterion from the form, or the problems (all)."""
    choices: dict[str, AgreedChoice] = {}
    problems: dict[str, str] = {}
    for row in rows:
        cid, title = row.criterion.id, row.criterion.title
        text = (form.get(agreed_field(cid)) or "").strip()
        rationale = " ".join((form.get(rationale_field(cid)) or "").split())
        if text not in {str(lv) for lv in LEVELS}:
            problems[agreed_field(cid)] = f"{title}: choose the agreed level (0 to 4)."
            continue
        level = int(text)
        if len(rationale) > MAX_RATIONALE:
            problems[rationale_field(cid)] = (
                f"{title}: keep the rationale under {MAX_RATIONALE} characters."
            )
            continue
        if not rationale:
            if row.proposed == level:
                n = len(row.raw)
                rationale = (
                    f"The interviewer chose level {level}."
                    if n == 1
                    else f"All {n} interviewers chose level {level}."
                )
            else:
                why = "the interviewers disagree" if not row.unanimous else "it differs"
                problems[rationale_field(cid)] = f"{title}: explain the agreed level ({why})."
                continue
        choices[cid] = AgreedChoice(level, rationale)
    return choices, problems


def record(
    session: Session,
    interview: Interview,
    rubric: RubricSnapshot,
    choices: Mapping[str, AgreedChoice],
    actor_id: int | None,
    today: date,
    config: program.ProgramConfig,
) -> InterviewResult:
    """Store the agreed levels, mark the interview decided and record its result."""
    for c in rubric.criteria:
        choice = choices[c.id]
        row = AgreedLevel(
            interview_id=interview.id,
            criterion_id=c.id,
            level=choice.level,
            rationale=choice.rationale,
            decided_by_id=actor_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor_id=actor_id,
            interview_id=interview.id,
            action="reconcile",
            entity="agreed_level",
            entity_id=row.id,
            field=c.id,
            before=None,
            after=f"{choice.level}: {choice.rationale}",
            reason="Agreed level recorded at reconciliation.",
        )
    interview.state = InterviewState.DECIDED
    result = results.record_result(
        session,
        interview,
        rubric,
        {cid: ch.level for cid, ch in choices.items()},
        actor_id,
        today,
        config,
    )
    audit.record(
        session,
        actor_id=actor_id,
        interview_id=interview.id,
        action="decide",
        entity="result",
        entity_id=result.id,
        field="score_percent",
        before=None,
        after=f"{result.score_percent}% ({'passed' if result.passed else 'not passed'})",
        reason="Result recorded from the agreed levels.",
    )
    return result
