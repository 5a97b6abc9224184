"""The question sheet: which questions one candidate is asked, in what order, for how long.

Selection, for a (candidate, certification, pinned report):

1. every ``gap`` question whose condition matches is on the sheet (a detected gap that the rubric
   cares about is always probed);
2. every criterion gets one bank question: an ``evidence`` question if one applies (its
   ``{path}`` filled from one evidence item, linked at the pinned commit), else a deep dive
   unless a gap question already covers the criterion;
3. ``SAMPLED`` more evidence or deep-dive questions are drawn from everything that applies (so
   that two candidates' sheets differ even when gaps fill the interview); then, while time is
   left, more evidence questions, then deep dives, criteria taken by weight;
4. a random draw of the rest (up to ``RESERVE``) is listed as reserve.

Every choice (which evidence item, which bank question, the order of candidates) comes from a
``random.Random`` seeded with ``sha256(candidate, certification, commit)``: the same candidate
gets the same sheet for the same commit, another candidate gets another sample.

The time plan: intro, one block per criterion, wrap-up, summing to the interview length. Each
question takes the rubric's minutes for its kind; a crowded sheet is squeezed down to
``min_minutes_per_question``, and what still does not fit becomes reserve (never a criterion's
only question).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reviewer.assessment import fill, format_value
from reviewer.report import Report
from reviewer.rubrics import Criterion, Question, Rubric

#: At most this many reserve questions are printed after the plan.
RESERVE = 4
#: Bank questions drawn at random from everything that applies, whatever the plan's crowding.
SAMPLED = 2
#: Evidence items cited beside one question.
MAX_CITED = 2
_KIND_ORDER = {"evidence": 0, "gap": 1, "deep_dive": 2}


@dataclass(frozen=True)
class EvidenceLink:
    ref: str  # as in the report: path, path:line, path#cell=N[:line]
    path: str
    label: str  # for people: "src/train.py line 12", "nb.ipynb cell 3"
    url: str | None  # at the pinned commit, when the repository is on GitHub


@dataclass(frozen=True)
class SheetQuestion:
    ref: str  # stable id of the bank question: "<criterion>/<kind>-<n>"
    criterion: str
    criterion_title: str
    kind: str
    text: str
    guidance: str
    follow_ups: tuple[str, ...]
    evidence: tuple[EvidenceLink, ...]
    minutes: int
    reserve: bool = False
    number: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "ref": self.ref,
            "criterion": self.criterion,
            "kind": self.kind,
            "text": self.text,
            "guidance": self.guidance,
            "follow_ups": list(self.follow_ups),
            "evidence": [e.ref for e in self.evidence],
            "evidence_urls": [e.url for e in self.evidence],
            "minutes": self.minutes,
            "reserve": self.reserve,
        }


@dataclass(frozen=True)
class TimeSlot:
    label: str
    start_minute: int
    minutes: int
    criterion: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start_minute": self.start_minute,
            "minutes": self.minutes,
            "criterion": self.criterion,
        }


@dataclass(frozen=True)
class Sheet:
    candidate: str
    certification: str
    rubric_title: str
    rubric_version: str
    commit: str
    repository: str
    seed: str  # hex digest prefix, printed so a sheet can be traced
    duration_minutes: int
    questions: tuple[SheetQuestion, ...]
    time_plan: tuple[TimeSlot, ...] = field(default=())

    @property
    def planned(self) -> tuple[SheetQuestion, ...]:
        return tuple(q for q in self.questions if not q.reserve)

    @property
    def reserve(self) -> tuple[SheetQuestion, ...]:
        return tuple(q for q in self.questions if q.reserve)

    def to_json(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "certification": self.certification,
            "rubric_version": self.rubric_version,
            "commit": self.commit,
            "repository": self.repository,
            "seed": self.seed,
            "duration_minutes": self.duration_minutes,
            "questions": [q.to_json() for q in self.questions],
            "time_plan": [s.to_json() for s in self.time_plan],
        }


def sheet_seed(candidate: str, certification: str, commit: str) -> str:
    """The hex seed of a sheet; the candidate's name is compared case- and space-insensitively."""
    name = " ".join(candidate.split()).casefold()
    material = "\x1f".join((name, certification.strip().lower(), commit.strip().lower()))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def evidence_link(report: Report, ref: str) -> EvidenceLink:
    path, _, line = ref.partition(":")
    path, _, cell = path.partition("#")
    label = path
    if cell.startswith("cell="):
        label += f" cell {cell.removeprefix('cell=')}"
        if line:
            label += f", line {line}"
    elif line:
        label += f" line {line}"
    return EvidenceLink(ref=ref, path=path, label=label, url=report.evidence_url(ref))


# -- applicability -----------------------------------------------------------------------------


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (list, str)):
        return len(value) > 0
    if isinstance(value, int):
        return value > 0
    return False


def _applies(q: Question, report: Report) -> bool:
    if q.kind == "evidence":
        assert q.fact is not None
        fact = report.facts.get(q.fact)
        if fact is None or not fact.evidence:
            return False
        return q.when.matches(report) if q.when is not None else _truthy(fact.value)
    return q.when is None or q.when.matches(report)


@dataclass(frozen=True)
class _Candidate:
    question: Question
    ref: str
    criterion: Criterion


def _instantiate(c: _Candidate, report: Report, rng: random.Random, minutes: int) -> SheetQuestion:
    q = c.question
    extra: dict[str, str] = {}
    cited: list[str] = []
    if q.value_fact is not None:
        extra["value"] = format_value(report.value(q.value_fact))
    if q.kind == "evidence":
        assert q.fact is not None
        chosen = rng.choice(sorted(set(report.facts[q.fact].evidence)))
        link = evidence_link(report, chosen)
        extra.update(path=link.path, evidence=chosen, location=link.label)
        cited.append(chosen)
    _cite(q.cite, report, rng, cited)
    if not cited:  # the criterion's files are the fallback for a question citing nothing
        _cite(c.criterion.cite, report, rng, cited)
    return SheetQuestion(
        ref=c.ref,
        criterion=c.criterion.id,
        criterion_title=c.criterion.title,
        kind=q.kind,
        text=fill(q.text, report, extra),
        guidance=" ".join(q.guidance.split()),
        follow_ups=q.follow_ups,
        evidence=tuple(evidence_link(report, r) for r in cited),
        minutes=minutes,
    )


def _cite(names: Sequence[str], report: Report, rng: random.Random, cited: list[str]) -> None:
    for name in names:
        fact = report.facts.get(name)
        if len(cited) >= MAX_CITED or fact is None or not fact.evidence:
            continue
        pool = sorted(set(fact.evidence) - set(cited))
        if pool:
            cited.append(rng.choice(pool))


# -- selection ---------------------------------------------------------------------------------


def build_sheet(
    report: Report,
    rubric: Rubric,
    candidate: str,
    *,
    duration_minutes: int | None = None,
) -> Sheet:
    """The question sheet for ``candidate`` (see the module docstring)."""
    plan = rubric.interview
    duration = duration_minutes or plan.duration_minutes
    seed = sheet_seed(candidate, rubric.id, report.commit)
    rng = random.Random(int(seed, 16))
    budget = duration - plan.intro_minutes - plan.wrap_up_minutes
    kind_minutes = plan.minutes_per_question

    by_kind: dict[str, list[_Candidate]] = {"evidence": [], "gap": [], "deep_dive": []}
    per_criterion: dict[str, dict[str, list[_Candidate]]] = {}
    for criterion in rubric.criteria:
        slots: dict[str, list[_Candidate]] = {"evidence": [], "gap": [], "deep_dive": []}
        counters = {"evidence": 0, "gap": 0, "deep_dive": 0}
        for q in criterion.questions:
            counters[q.kind] += 1
            ref = f"{criterion.id}/{q.kind}-{counters[q.kind]}"
            if _applies(q, report):
                cand = _Candidate(q, ref, criterion)
                slots[q.kind].append(cand)
                by_kind[q.kind].append(cand)
        for kind in ("evidence", "deep_dive"):
            rng.shuffle(slots[kind])
        per_criterion[criterion.id] = slots

    chosen: list[_Candidate] = []
    # 1. one bank question per criterion (evidence preferred), 2. every gap.
    gapped = {c.criterion.id for c in by_kind["gap"]}
    for criterion in rubric.criteria:
        slots = per_criterion[criterion.id]
        if slots["evidence"]:
            chosen.append(slots["evidence"].pop(0))
        elif criterion.id not in gapped:
            chosen.append(slots["deep_dive"].pop(0))
    chosen += by_kind["gap"]
    # 3. a few questions drawn from the whole remaining bank, so that sheets differ between
    #    candidates even when gaps fill the plan; then fill the time left, evidence first,
    #    criteria by weight (ties: random).
    pool = [c for kind in ("evidence", "deep_dive") for c in by_kind[kind] if c not in chosen]
    drawn = rng.sample(pool, min(SAMPLED, len(pool)))
    chosen += drawn
    for cand in drawn:
        per_criterion[cand.criterion.id][cand.question.kind].remove(cand)
    weights = {c.id: c.weight for c in rubric.criteria}
    order = sorted(rubric.criteria, key=lambda c: (-c.weight, rng.random()))
    extras: list[_Candidate] = []
    for kind in ("evidence", "deep_dive"):
        queues = [list(per_criterion[c.id][kind]) for c in order]
        while any(queues):
            for queue in queues:
                if queue:
                    extras.append(queue.pop(0))
    minutes = {id(c): kind_minutes[c.question.kind] for c in chosen}
    used = sum(minutes.values())
    reserve: list[_Candidate] = []
    left: list[_Candidate] = []
    for cand in extras:
        need = kind_minutes[cand.question.kind]
        if used + need <= budget:
            chosen.append(cand)
            minutes[id(cand)] = need
            used += need
        else:
            left.append(cand)
    reserve = rng.sample(left, min(RESERVE, len(left)))
    # Squeeze a crowded plan, then move what still does not fit to reserve.
    chosen, squeezed = _fit(chosen, minutes, budget, plan.min_minutes_per_question, weights)
    reserve = squeezed + reserve
    _spread_slack(chosen, minutes, budget, weights)

    planned = [_instantiate(c, report, rng, minutes[id(c)]) for c in chosen]
    extra = [replace(_instantiate(c, report, rng, 0), reserve=True) for c in reserve]
    rank = {c.id: i for i, c in enumerate(rubric.criteria)}
    planned.sort(key=lambda q: (rank[q.criterion], _KIND_ORDER[q.kind]))
    extra.sort(key=lambda q: (rank[q.criterion], _KIND_ORDER[q.kind]))
    numbered = tuple(replace(q, number=i + 1) for i, q in enumerate([*planned, *extra]))
    sheet = Sheet(
        candidate=" ".join(candidate.split()),
        certification=rubric.id,
        rubric_title=rubric.title,
        rubric_version=rubric.version,
        commit=report.commit,
        repository=report.target.web_url if report.target else report.target_url,
        seed=seed[:12],
        duration_minutes=duration,
        questions=numbered,
    )
    return replace(sheet, time_plan=time_plan(sheet, rubric))


def _fit(
    chosen: list[_Candidate],
    minutes: dict[int, int],
    budget: int,
    floor: int,
    weights: dict[str, float],
) -> tuple[list[_Candidate], list[_Candidate]]:
    """Shorten the longest questions down to ``floor`` minutes until the plan fits; if it still
    does not, move questions of criteria that keep another one to reserve: bank questions
    before gap questions, lightest criteria first."""
    while sum(minutes[id(c)] for c in chosen) > budget:
        longest = max(chosen, key=lambda c: minutes[id(c)])
        if minutes[id(longest)] <= floor:
            break
        minutes[id(longest)] -= 1
    moved: list[_Candidate] = []
    ranked = sorted(
        reversed(chosen), key=lambda c: (c.question.kind == "gap", weights[c.criterion.id])
    )
    for cand in ranked:
        if sum(minutes[id(c)] for c in chosen) <= budget:
            break
        siblings = [c for c in chosen if c.criterion.id == cand.criterion.id]
        if len(siblings) > 1:
            chosen.remove(cand)
            moved.append(cand)
    return chosen, moved


def _spread_slack(
    chosen: Sequence[_Candidate], minutes: dict[int, int], budget: int, weights: dict[str, float]
) -> None:
    """Give minutes left over to questions, heaviest criteria and deep dives first."""
    slack = budget - sum(minutes[id(c)] for c in chosen)
    order = sorted(
        chosen,
        key=lambda c: (-weights[c.criterion.id], -_KIND_ORDER[c.question.kind]),
    )
    i = 0
    while slack > 0 and order:
        minutes[id(order[i % len(order)])] += 1
        slack -= 1
        i += 1


def time_plan(sheet: Sheet, rubric: Rubric) -> tuple[TimeSlot, ...]:
    """Intro, one block per criterion (its planned questions' minutes), wrap-up."""
    plan = rubric.interview
    slots = [TimeSlot("Introduction: the candidate presents the project", 0, plan.intro_minutes)]
    start = plan.intro_minutes
    for criterion in rubric.criteria:
        block = sum(q.minutes for q in sheet.planned if q.criterion == criterion.id)
        if block:
            slots.append(TimeSlot(criterion.title, start, block, criterion.id))
            start += block
    slots.append(
        TimeSlot(
            "Wrap-up: the candidate's questions, next steps", start, sheet.duration_minutes - start
        )
    )
    return tuple(slots)
