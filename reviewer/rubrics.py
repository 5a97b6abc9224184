"""Rubrics: what each certification's portfolio interview expects, as validated data.

A rubric is one YAML file ``rubrics/<certification-id>.yaml``::

    id: mlops                       # the certification id; equals the file name
    title: MLOps
    version: "1.0.0"                # semver; results record the version they were scored with
    summary: ...                    # what the interview is looking for (optional)
    pass_mark: 2.0                  # see "Pass mark" below
    must_pass:                      # optional; see "Pass mark"
      - {criterion: testing, min_level: 2}
    relevant_domains: [mlops, ...]  # optional; FACTS.md ``domains`` values the project should touch
    interview:                      # defaults for the question sheet (all optional)
      duration_minutes: 40          # 30..45
      intro_minutes: 3
      wrap_up_minutes: 4
      minutes_per_question: {evidence: 4, gap: 3, deep_dive: 5}
      min_minutes_per_question: 2   # how far a crowded plan may squeeze a question
    criteria:                       # 5..8 criteria
      - id: testing                 # kebab-case, unique in the rubric; never rename once used
        title: Testing ML code, data and models
        weight: 1.25                # positive; weights are normalised, they need not sum to 1
        covers: what the criterion covers
        cite: [fact, ...]           # where to look in the repository for this criterion
        levels: {0: ..., 1: ..., 2: ..., 3: ..., 4: ...}   # what an interviewer observes
        default_level: 0            # the suggestion when no signal matches
        signals: [rule, ...]        # facts -> suggested level (below)
        questions: [question, ...]  # the bank (below)

**Pass mark.** Each criterion is scored 0..4. The *portfolio score* is the weighted mean level,
``sum(w_i * level_i) / sum(w_i)`` (0..4; as a percentage ``score / 4 * 100``, which is the figure
the program's "over 90%" refund rule reads). The interview is passed when the score is at least
``pass_mark`` (a level on the 0..4 scale) **and** every ``must_pass`` criterion is at or above
its ``min_level``: a strong area must not hide a missing one (the ML Test Score takes the
minimum over its sections for the same reason). :meth:`Rubric.decide` implements this.

**Rules** (criterion ``signals``, question ``when``) test facts of ``reviewer.facts.catalog``::

    {fact: has_tests, is: true, level: 2, reason: "Tests exist ({test_file_count} files)"}
    {fact: ci_status, in: [failure, timed_out], cap: 2, reason: "CI is red ({ci_status})"}
    {all: [{fact: has_tests, is: true}, {fact: ci_runs_tests, is: true}], level: 3, reason: ...}

A condition is ``fact`` plus exactly one operator, or ``all:`` / ``any:`` of conditions:

==================  ==========================  ===============================================
operator            fact kinds                  matches when the value ...
==================  ==========================  ===============================================
``is``              bool, int, str, enum, date  equals the operand
``in``              str, enum                   is one of the listed operands
``contains``        list                        holds the operand
``contains_any``    list                        holds at least one of the operands
``contains_all``    list                        holds every operand
``not_contains_any`` list                       holds none of the operands (an empty list too)
``min`` / ``max``   int, list, date             is >= / <= the operand (a list: its length;
                                                a date: ISO ``YYYY-MM-DD``)
``empty``           list, str                   is empty (``empty: false``: is not empty)
``not_empty``       list, str                   is not empty
==================  ==========================  ===============================================

List and string comparisons ignore case. A fact that is undecided (``null``) or missing from a
report never matches, so ``is: false`` is never a guess about an unknown value.

A signal carries ``level: N`` (raise) or ``cap: N`` and a ``reason``. The suggested level of a
criterion is the highest ``level`` among matching raise rules (``default_level`` when none
matches), then lowered to the lowest matching ``cap``. Reasons may name facts in braces
(``{test_file_count}``) and ``{value}`` (the rule's own fact). It is a suggestion for the
interviewer, never a score.

**Questions** have ``kind``, ``text``, ``guidance`` (what a strong answer contains) and
``follow_ups``:

- ``evidence``: tied to ``fact``; asked when the fact has evidence and its optional ``when``
  matches (without ``when``: when the value is true / non-empty / non-zero). Its text may use
  ``{path}``, ``{evidence}`` (``path:line``) and ``{location}`` from one evidence item.
- ``gap``: asked whenever ``when`` matches (every matching gap is on the sheet).
- ``deep_dive``: general questions, optionally guarded by ``when``; each criterion needs at least
  one unguarded deep dive so that every criterion can always be covered.

Any kind may list ``cite: [fact, ...]``: evidence of those facts is linked beside the question.
A question that cites nothing of its own cites its criterion's ``cite`` facts instead (the first
that have evidence), so general questions still point the interviewer at the relevant files.
Texts may name facts in braces and ``{value}``; unknown names are errors.

Where the files are found: :func:`rubrics_dir`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from reviewer.errors import ConfigError, DataError, UnknownCertificationError
from reviewer.facts.catalog import BY_NAME
from reviewer.report import FactValue, Report
from reviewer.settings import Settings

LEVELS = (0, 1, 2, 3, 4)
MAX_LEVEL = LEVELS[-1]
#: The interview length a rubric may ask for (minutes, inclusive).
INTERVIEW_MINUTES_RANGE = (30, 45)
#: How many criteria a rubric has (inclusive).
CRITERIA_PER_RUBRIC = (5, 8)
#: FACTS.md's vocabulary of ``domains``.
DOMAINS = ("tabular-ml", "cv", "nlp", "multimodal", "genai", "mlops", "responsible-ai")

KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEMVER = r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"

Operator = Literal[
    "is",
    "in",
    "contains",
    "contains_any",
    "contains_all",
    "not_contains_any",
    "min",
    "max",
    "empty",
    "not_empty",
]
OPERATORS: tuple[str, ...] = Operator.__args__  # type: ignore[attr-defined]

#: Which operators make sense for which kind of fact (catalog ``FactSpec.kind``).
OPERATORS_BY_KIND: dict[str, frozenset[str]] = {
    "bool": frozenset({"is"}),
    "int": frozenset({"is", "min", "max"}),
    "str": frozenset({"is", "in", "empty", "not_empty"}),
    "enum": frozenset({"is", "in"}),
    "list": frozenset(
        {
            "contains",
            "contains_any",
            "contains_all",
            "not_contains_any",
            "min",
            "max",
            "empty",
            "not_empty",
        }
    ),
    "date": frozenset({"is", "min", "max"}),
}
_LIST_OPERANDS = frozenset({"in", "contains_any", "contains_all", "not_contains_any"})
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

QuestionKind = Literal["evidence", "gap", "deep_dive"]
QUESTION_KINDS: tuple[str, ...] = QuestionKind.__args__  # type: ignore[attr-defined]
#: Placeholders an evidence question's text may use besides fact names and ``value``.
EVIDENCE_PLACEHOLDERS = frozenset({"path", "evidence", "location"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# -- conditions and rules ----------------------------------------------------------------------


class Condition(_Frozen):
    """``fact`` + one operator, or ``all`` / ``any`` of conditions (see the module docstring)."""

    fact: str | None = None
    op: Operator | None = None
    operand: Any = None
    all_of: tuple[Condition, ...] = Field(default=(), alias="all")
    any_of: tuple[Condition, ...] = Field(default=(), alias="any")

    @model_validator(mode="before")
    @classmethod
    def _split_operator(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError("a condition must be a mapping such as {fact: has_tests, is: true}")
        data = dict(data)
        if "all" in data or "any" in data:
            if "fact" in data or set(data) & set(OPERATORS):
                raise ValueError("a condition has either `all`/`any` or `fact` + operator")
            return data
        ops = [key for key in data if key in OPERATORS]
        if "fact" not in data:
            raise ValueError("a condition needs `fact` (or `all:` / `any:`)")
        if len(ops) != 1:
            unknown = sorted(str(k) for k in data if k not in {"fact", "op", "operand"})
            hint = f" (unknown key {', '.join(unknown)})" if unknown else ""
            raise ValueError(
                f"a condition needs exactly one operator among {', '.join(OPERATORS)}{hint}"
            )
        op = ops[0]
        data["op"], data["operand"] = op, data.pop(op)
        return data

    @model_validator(mode="after")
    def _check_against_catalog(self) -> Condition:
        if self.fact is None:
            if not self.all_of and not self.any_of:
                raise ValueError("`all` / `any` needs at least one condition")
            return self
        spec = BY_NAME.get(self.fact)
        if spec is None:
            raise ValueError(f"unknown fact {self.fact!r} (see reviewer/facts/catalog.py)")
        assert self.op is not None
        if self.op not in OPERATORS_BY_KIND[spec.kind]:
            allowed = ", ".join(sorted(OPERATORS_BY_KIND[spec.kind]))
            raise ValueError(
                f"operator `{self.op}` does not apply to {self.fact} ({spec.kind}); "
                f"use one of {allowed}"
            )
        _check_operand(self.fact, spec.kind, spec.choices, self.op, self.operand)
        return self

    def facts(self) -> tuple[str, ...]:
        """Every fact this condition reads, in order, without repeats."""
        if self.fact is not None:
            return (self.fact,)
        seen: dict[str, None] = {}
        for sub in (*self.all_of, *self.any_of):
            seen.update(dict.fromkeys(sub.facts()))
        return tuple(seen)

    def matches(self, report: Report) -> bool:
        if self.fact is None:
            if self.all_of:
                return all(sub.matches(report) for sub in self.all_of)
            return any(sub.matches(report) for sub in self.any_of)
        assert self.op is not None
        return value_matches(report.value(self.fact), self.op, self.operand)


def _check_operand(fact: str, kind: str, choices: tuple[str, ...], op: str, operand: Any) -> None:
    def fail(expected: str) -> None:
        raise ValueError(f"`{op}` on {fact} ({kind}) needs {expected}, not {operand!r}")

    if op in {"empty", "not_empty"}:
        if not isinstance(operand, bool):
            fail("true or false")
        return
    if op in _LIST_OPERANDS:
        if not isinstance(operand, list) or not operand:
            fail("a non-empty list")
        items = operand
    else:
        items = [operand]
    for item in items:
        if kind == "bool" and not isinstance(item, bool):
            fail("true or false")
        if kind == "int" or (kind == "list" and op in {"min", "max"}):
            if isinstance(item, bool) or not isinstance(item, int) or item < 0:
                fail("a whole number >= 0")
        elif kind in {"str", "enum", "list"} and not isinstance(item, str):
            fail("text")
        if kind == "date" and not (isinstance(item, str) and _DATE_RE.match(item)):
            fail('an ISO date in quotes, e.g. "2024-01-31"')
        if kind == "enum" and item not in choices:
            fail(f"one of {', '.join(choices)}")


def value_matches(value: FactValue, op: str, operand: Any) -> bool:
    """Does a fact value satisfy ``op operand``? An undecided value (None) never does."""
    if value is None:
        return False
    if op == "is":
        if isinstance(operand, bool) or isinstance(value, bool):
            return isinstance(value, bool) and isinstance(operand, bool) and value is operand
        if isinstance(value, str) and isinstance(operand, str):
            return value.casefold() == operand.casefold()
        return bool(value == operand)
    if op == "in":
        return isinstance(value, str) and value.casefold() in {str(o).casefold() for o in operand}
    if op in {"min", "max"}:
        if isinstance(value, bool):
            return False
        measure = len(value) if isinstance(value, list) else value
        if isinstance(measure, int) and isinstance(operand, int) and not isinstance(operand, bool):
            return measure >= operand if op == "min" else measure <= operand
        if isinstance(measure, str) and isinstance(operand, str):  # ISO dates
            return measure >= operand if op == "min" else measure <= operand
        return False
    if op in {"empty", "not_empty"}:
        if not isinstance(value, (list, str)):
            return False
        empty = len(value) == 0
        return empty is bool(operand) if op == "empty" else (not empty) is bool(operand)
    if not isinstance(value, list):
        return False
    have = {str(v).casefold() for v in value}
    if op == "contains":
        return str(operand).casefold() in have
    wanted = {str(o).casefold() for o in operand}
    if op == "contains_any":
        return bool(have & wanted)
    if op == "contains_all":
        return wanted <= have
    if op == "not_contains_any":
        return not have & wanted
    raise AssertionError(f"unknown operator {op}")


_CONDITION_KEYS = frozenset({"fact", "all", "any", *OPERATORS})


class Rule(_Frozen):
    """A signal: a condition, and the level it raises the suggestion to (or caps it at)."""

    when: Condition
    level: int | None = Field(default=None, ge=0, le=MAX_LEVEL)
    cap: int | None = Field(default=None, ge=0, le=MAX_LEVEL)
    reason: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _gather_condition(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise ValueError("a signal must be a mapping such as {fact: ..., is: ..., level: ...}")
        data = dict(data)
        if "when" not in data:
            data["when"] = {k: data.pop(k) for k in list(data) if k in _CONDITION_KEYS}
        return data

    @model_validator(mode="after")
    def _one_effect(self) -> Rule:
        if (self.level is None) == (self.cap is None):
            raise ValueError("a signal needs exactly one of `level` (raise) or `cap`")
        _check_placeholders(self.reason, frozenset(), "reason")
        return self

    @property
    def effect(self) -> Literal["raise", "cap"]:
        return "raise" if self.level is not None else "cap"

    @property
    def target_level(self) -> int:
        return self.level if self.level is not None else int(self.cap or 0)


def _check_placeholders(text: str, extra: frozenset[str], where: str) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as err:
        raise ValueError(
            f"{where}: bad braces ({err}); write {{{{ and }}}} for literal braces"
        ) from err
    for name in fields:
        if name in extra or name == "value" or name in BY_NAME:
            continue
        allowed = "fact names, {value}" + "".join(f", {{{e}}}" for e in sorted(extra))
        raise ValueError(f"{where}: unknown placeholder {{{name}}} (allowed: {allowed})")


# -- questions, criteria, rubric ---------------------------------------------------------------


class Question(_Frozen):
    kind: QuestionKind
    text: str = Field(min_length=1)
    guidance: str = Field(min_length=1)
    follow_ups: tuple[str, ...] = ()
    fact: str | None = None
    when: Condition | None = None
    cite: tuple[str, ...] = ()

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str | None) -> str | None:
        if value is not None and value not in BY_NAME:
            raise ValueError(f"unknown fact {value!r} (see reviewer/facts/catalog.py)")
        return value

    @field_validator("cite")
    @classmethod
    def _known_cited(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in value if f not in BY_NAME]
        if unknown:
            raise ValueError(f"unknown fact(s) {', '.join(map(repr, unknown))} in cite")
        return value

    @model_validator(mode="after")
    def _kind_fields(self) -> Question:
        if self.kind == "evidence" and self.fact is None:
            raise ValueError("an evidence question needs `fact` (whose evidence gives {path})")
        if self.kind != "evidence" and self.fact is not None:
            raise ValueError(f"`fact` is only for evidence questions; a {self.kind} has `when`")
        if self.kind == "gap" and self.when is None:
            raise ValueError("a gap question needs `when` (the condition of the gap)")
        extra = EVIDENCE_PLACEHOLDERS if self.kind == "evidence" else frozenset()
        _check_placeholders(self.text, extra, "text")
        return self

    @property
    def value_fact(self) -> str | None:
        """The fact ``{value}`` stands for: the evidence fact, else a simple ``when``'s fact."""
        if self.fact is not None:
            return self.fact
        return self.when.fact if self.when is not None else None


class Criterion(_Frozen):
    id: str = Field(pattern=KEBAB)
    title: str = Field(min_length=1)
    weight: float = Field(gt=0)
    covers: str = Field(min_length=1)
    cite: tuple[str, ...] = ()
    levels: dict[int, str]
    default_level: int = Field(default=0, ge=0, le=MAX_LEVEL)
    signals: tuple[Rule, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)

    @field_validator("cite")
    @classmethod
    def _known_cited(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return Question._known_cited(value)

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, value: dict[int, str]) -> dict[int, str]:
        missing = [lv for lv in LEVELS if lv not in value]
        extra = sorted(k for k in value if k not in LEVELS)
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing level(s) {', '.join(map(str, missing))}")
            if extra:
                parts.append(f"unknown level(s) {', '.join(map(str, extra))}")
            raise ValueError("levels must describe exactly 0, 1, 2, 3 and 4: " + "; ".join(parts))
        empty = [k for k, v in value.items() if not str(v).strip()]
        if empty:
            raise ValueError(f"level(s) {', '.join(map(str, empty))} have no descriptor")
        return dict(sorted(value.items()))

    @model_validator(mode="after")
    def _always_coverable(self) -> Criterion:
        if not any(q.kind == "deep_dive" and q.when is None for q in self.questions):
            raise ValueError(
                "needs at least one deep_dive question without `when`, so that every "
                "interview can cover this criterion"
            )
        return self

    def facts(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for rule in self.signals:
            seen.update(dict.fromkeys(rule.when.facts()))
        return tuple(seen)


class MustPass(_Frozen):
    criterion: str
    min_level: int = Field(ge=1, le=MAX_LEVEL)


def _default_minutes() -> dict[QuestionKind, int]:
    return {"evidence": 4, "gap": 3, "deep_dive": 5}


class InterviewDefaults(_Frozen):
    duration_minutes: int = Field(
        default=40, ge=INTERVIEW_MINUTES_RANGE[0], le=INTERVIEW_MINUTES_RANGE[1]
    )
    intro_minutes: int = Field(default=3, ge=0, le=10)
    wrap_up_minutes: int = Field(default=4, ge=0, le=10)
    minutes_per_question: dict[QuestionKind, int] = Field(default_factory=_default_minutes)
    min_minutes_per_question: int = Field(default=2, ge=1, le=10)

    @field_validator("minutes_per_question")
    @classmethod
    def _every_kind(cls, value: dict[str, int]) -> dict[str, int]:
        missing = [k for k in QUESTION_KINDS if k not in value]
        if missing:
            raise ValueError(f"minutes_per_question needs {', '.join(missing)}")
        if any(not 1 <= m <= 15 for m in value.values()):
            raise ValueError("minutes per question must be between 1 and 15")
        return value

    @model_validator(mode="after")
    def _room_for_questions(self) -> InterviewDefaults:
        if self.duration_minutes - self.intro_minutes - self.wrap_up_minutes < 15:
            raise ValueError("intro and wrap-up leave less than 15 minutes for questions")
        return self


@dataclass(frozen=True)
class Outcome:
    """What :meth:`Rubric.decide` says about a set of levels (see "Pass mark")."""

    score: float  # weighted mean level, 0..4
    percent: float  # score / 4 * 100
    passed: bool
    below_pass_mark: bool
    failed_must_pass: tuple[str, ...]  # criterion ids below their min_level


class Rubric(_Frozen):
    id: str = Field(pattern=KEBAB)
    title: str = Field(min_length=1)
    version: str = Field(pattern=SEMVER)
    summary: str = ""
    pass_mark: float = Field(gt=0, le=MAX_LEVEL)
    must_pass: tuple[MustPass, ...] = ()
    relevant_domains: tuple[str, ...] = ()
    interview: InterviewDefaults = Field(default_factory=InterviewDefaults)
    criteria: tuple[Criterion, ...] = Field(
        min_length=CRITERIA_PER_RUBRIC[0], max_length=CRITERIA_PER_RUBRIC[1]
    )

    @field_validator("relevant_domains")
    @classmethod
    def _known_domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [d for d in value if d not in DOMAINS]
        if unknown:
            raise ValueError(f"unknown domain(s) {', '.join(unknown)}; use {', '.join(DOMAINS)}")
        return value

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def weights(self) -> dict[str, float]:
        """Criterion weights normalised to sum to 1."""
        total = sum(c.weight for c in self.criteria)
        return {c.id: c.weight / total for c in self.criteria}

    def decide(self, levels: Mapping[str, int]) -> Outcome:
        """Pass or fail for agreed levels (every criterion must have one, 0..4)."""
        missing = [c.id for c in self.criteria if c.id not in levels]
        if missing:
            raise ValueError(f"no level for criterion(s) {', '.join(missing)}")
        bad = {k: v for k, v in levels.items() if v not in LEVELS}
        if bad:
            raise ValueError(f"levels must be 0..4, got {bad}")
        score = sum(w * levels[cid] for cid, w in self.weights().items())
        score = round(score, 6)
        failed = tuple(m.criterion for m in self.must_pass if levels[m.criterion] < m.min_level)
        below = score < self.pass_mark
        return Outcome(
            score, round(score / MAX_LEVEL * 100, 4), not below and not failed, below, failed
        )


# -- YAML with line numbers --------------------------------------------------------------------

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> tuple[Any, dict[Loc, int], list[tuple[int, str]]]:
    """Parse one YAML document safely; return the data, the 1-based line of every mapping key
    and sequence item by its location, and (line, message) for keys given twice."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    dupes: list[tuple[int, str]] = []
    if node is not None:
        _index_lines(node, (), lines, dupes)
    return data, lines, dupes


def _index_lines(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], dupes: list[tuple[int, str]]
) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            raw = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            key: str | int = int(raw) if raw.isdigit() else raw
            line = key_node.start_mark.line + 1
            if raw in seen:
                dupes.append((line, f"{format_loc((*loc, key))}: key given twice"))
                continue
            seen.add(raw)
            lines[(*loc, key)] = line
            _index_lines(value_node, (*loc, key), lines, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*loc, i), lines, dupes)


def format_loc(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def line_of(loc: Sequence[str | int], lines: Mapping[Loc, int]) -> int:
    """The line of the longest known prefix of ``loc`` (pydantic adds parts YAML lacks)."""
    norm: list[str | int] = []
    for part in loc:
        norm.append(int(part) if isinstance(part, str) and part.isdigit() else part)
    for end in range(len(norm), -1, -1):
        if tuple(norm[:end]) in lines:
            return lines[tuple(norm[:end])]
    return 1


def _pydantic_problems(path: str, err: ValidationError, lines: Mapping[Loc, int]) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if p not in {"when", "function-after"})
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (misspelt?)"
        elif e["type"] == "missing":
            msg = "is required"
        out.append(Problem(path, line_of(e["loc"], lines), f"{format_loc(loc)}: {msg}"))
    return out


def _cross_problems(path: Path, data: Any, lines: Mapping[Loc, int]) -> list[Problem]:
    """Checks that span several fields, on the raw data (so they run even when other parts of
    the file are invalid): the id matches the file name, criterion ids are unique, must-pass
    entries name existing criteria."""
    out: list[Problem] = []
    if not isinstance(data, Mapping):
        return out
    where = str(path)
    rid = data.get("id")
    if isinstance(rid, str) and rid != path.stem:
        out.append(
            Problem(
                where,
                line_of(("id",), lines),
                f"id: {rid!r} must equal the file name ({path.stem!r})",
            )
        )
    criteria = data.get("criteria")
    ids: dict[str, int] = {}
    if isinstance(criteria, list):
        for i, c in enumerate(criteria):
            cid = c.get("id") if isinstance(c, Mapping) else None
            if not isinstance(cid, str):
                continue
            if cid in ids:
                out.append(
                    Problem(
                        where,
                        line_of(("criteria", i, "id"), lines),
                        f"criteria[{i}].id: duplicate id {cid!r} (also criteria[{ids[cid]}])",
                    )
                )
            else:
                ids[cid] = i
    must = data.get("must_pass")
    if isinstance(must, list):
        named: set[str] = set()
        for i, m in enumerate(must):
            name = m.get("criterion") if isinstance(m, Mapping) else None
            if not isinstance(name, str):
                continue
            if name not in ids:
                out.append(
                    Problem(
                        where,
                        line_of(("must_pass", i, "criterion"), lines),
                        f"must_pass[{i}].criterion: no criterion has id {name!r}",
                    )
                )
            if name in named:
                out.append(
                    Problem(
                        where,
                        line_of(("must_pass", i), lines),
                        f"must_pass[{i}]: {name!r} is listed twice",
                    )
                )
            named.add(name)
    return out


def check_file(path: Path) -> tuple[Rubric | None, list[Problem]]:
    """Validate one rubric file; every problem found carries the file and line."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem(where, 1, f"cannot read the file ({err})")]
    try:
        data, lines, dupes = parse_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(err, "problem", None) or str(err)
        return None, [Problem(where, line, f"not valid YAML: {problem}")]
    problems = [Problem(where, line, msg) for line, msg in dupes]
    if not isinstance(data, Mapping):
        return None, [*problems, Problem(where, 1, "a rubric file must be a YAML mapping")]
    problems += _cross_problems(path, data, lines)
    rubric: Rubric | None = None
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as err:
        problems += _pydantic_problems(where, err, lines)
    problems.sort(key=lambda p: p.line)
    return (rubric if not problems else None), problems


def rubric_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.y*ml") if p.suffix in {".yaml", ".yml"})


def check_dir(directory: Path) -> tuple[dict[str, Rubric], list[Problem]]:
    """Validate every rubric file of ``directory``."""
    if not directory.is_dir():
        return {}, [Problem(str(directory), 1, "is not a directory")]
    files = rubric_files(directory)
    if not files:
        return {}, [Problem(str(directory), 1, "holds no rubric (*.yaml) file")]
    rubrics: dict[str, Rubric] = {}
    problems: list[Problem] = []
    for path in files:
        rubric, found = check_file(path)
        problems += found
        if rubric is not None:
            rubrics[rubric.id] = rubric
    return rubrics, problems


# -- where the files are -----------------------------------------------------------------------


def rubrics_dir(settings: Settings | None = None) -> Path:
    """``settings.rubrics_dir`` (``REVIEWER_RUBRICS_DIR``), else the copy packaged in the wheel
    (``reviewer/_data/rubrics``), else the checkout's ``rubrics/`` beside the package."""
    if settings is not None and settings.rubrics_dir is not None:
        return Path(settings.rubrics_dir)
    package = Path(__file__).resolve().parent
    for candidate in (package / "_data" / "rubrics", package.parent / "rubrics"):
        if candidate.is_dir():
            return candidate
    raise ConfigError(
        "No rubric directory was found: set REVIEWER_RUBRICS_DIR to the folder of rubric files."
    )


def load_rubrics(directory: Path) -> dict[str, Rubric]:
    """Every rubric of ``directory`` by id; raises DataError listing every problem."""
    directory = Path(directory)
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in rubric_files(directory))
    return dict(_load_cached(directory.resolve(), stamp))


@lru_cache(maxsize=8)
def _load_cached(
    directory: Path, stamp: tuple[tuple[str, int, int], ...]
) -> tuple[tuple[str, Rubric], ...]:
    rubrics, problems = check_dir(directory)
    if problems:
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DataError(f"The rubric data does not validate:\n{shown}{more}")
    return tuple(sorted(rubrics.items()))


def get_rubric(certification: str, settings: Settings | None = None) -> Rubric:
    """The rubric of one certification; UnknownCertificationError lists the valid ids."""
    rubrics = load_rubrics(rubrics_dir(settings))
    rubric = rubrics.get(certification.strip().lower())
    if rubric is None:
        raise UnknownCertificationError(
            f"Unknown certification {certification!r}; valid ids: {', '.join(sorted(rubrics))}."
        )
    return rubric


def known_certifications(settings: Settings | None = None) -> tuple[str, ...]:
    return tuple(sorted(load_rubrics(rubrics_dir(settings))))


def facts_used(rubric: Rubric) -> tuple[str, ...]:
    """Every fact name a rubric reads (signals, question conditions, evidence and citations)."""
    seen: dict[str, None] = {}
    for c in rubric.criteria:
        seen.update(dict.fromkeys(c.facts()))
        for q in c.questions:
            parts: Iterable[str] = (
                *((q.fact,) if q.fact else ()),
                *(q.when.facts() if q.when else ()),
                *q.cite,
            )
            seen.update(dict.fromkeys(parts))
    return tuple(seen)
