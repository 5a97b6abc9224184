"""Suggested portfolio projects: the schema, a line-aware loader, and the canonical file form.

**One YAML file per project**, ``suggested_projects/<id>.yaml``. Why not one file per
certification: a project may count for several certifications and would have no single home;
one file per project gives every edit a one-file diff, makes the file name the id (so ids are
unique by construction, and the loader checks that they agree), and lets the web app export a
row as exactly one file. The order on the blog is the ``order`` field (then the id), never the
position of a file.

A file, in the canonical form that :func:`dump_suggestions` writes (fields in this order)::

    id: drift-aware-churn-model            # slug; equals the file name
    title: Churn prediction that notices its own drift
    status: active                         # active | retired (retired ones leave the blog)
    order: 20                              # position on the blog pages, ascending
    updated: 2025-01-15                    # last change; the blog page's default date
    certifications: [mlops]                # one or more certification ids (program_config)
    difficulty: intermediate               # beginner | intermediate | advanced
    estimated_hours: 60
    summary: >-                            # folded; a blank line between paragraphs
      ...
    demonstrates:                          # per certification, the rubric criteria exercised
      mlops: [pipeline-automation, monitoring]
    datasets:
      - name: UCI Adult
        url: https://archive.ics.uci.edu/dataset/2/adult
        license: CC BY 4.0
        note: optional, one line
    milestones: [...]                      # at least three, in the order to do them
    stretch_goals: [...]
    interview_questions: [...]             # the kind of questions the interview asks about it

Whitespace inside text is normalised (runs of spaces and line breaks become one space; in the
summary each line break starts a new paragraph and blank lines are dropped), so a file that
passes ``reviewer suggestions check`` reads back the same after :func:`dump_suggestions`; the
shipped files are written by it, and a test proves load → dump reproduces them byte for byte.

Validation happens in two layers, both reported with the file and line of the offending value:
the pydantic models check shapes and values; :func:`criteria_problems` checks every criterion id
in ``demonstrates`` against the rubrics (``CriteriaIndex``: certification id → criterion id →
title). Expected problems are values (:class:`Checked`); :func:`load_suggestions` raises
:class:`~reviewer.errors.DataError` listing them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from reviewer.errors import DataError
from reviewer.program_config import CERTIFICATION_IDS
from reviewer.rubrics import Problem, format_loc, line_of, load_rubrics, parse_yaml, rubrics_dir
from reviewer.settings import Settings

CriteriaIndex = Mapping[str, Mapping[str, str]]
"""Certification id → {criterion id → criterion title}, built from the rubrics."""

Loc = tuple[str | int, ...]

DIFFICULTIES: tuple[str, ...] = ("beginner", "intermediate", "advanced")
STATUSES: tuple[str, ...] = ("active", "retired")
FILE_SUFFIX = ".yaml"
FILE_HEADER = "# Suggested portfolio project. Schema: reviewer/suggestions.py.\n"

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_URL_FORBIDDEN = re.compile(r"[\s\"'<>\\^`{|}]")


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains a control character")
    return value


def _one_line(value: object) -> object:
    """Collapse every run of whitespace (line breaks included) into one space."""
    if isinstance(value, str):
        return " ".join(_no_control(value).split())
    return value


def _paragraphs(value: object) -> object:
    """One paragraph per line: each line is normalised like :func:`_one_line`, blank lines are
    dropped, and paragraphs are joined by a single line break. (In a folded YAML block, ``>-``,
    as the dumper writes it, that is one blank line between paragraphs.)"""
    if isinstance(value, str):
        _no_control(value)
        lines = (" ".join(line.split()) for line in value.splitlines())
        return "\n".join(line for line in lines if line)
    return value


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            "must be a slug: lower-case letters and digits in words joined by single hyphens"
        )
    return value


def _certification(value: str) -> str:
    if value not in CERTIFICATION_IDS:
        raise ValueError(f"unknown certification {value!r}; known: {', '.join(CERTIFICATION_IDS)}")
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("must be an http(s) URL with a host, e.g. https://example.org/data")
    if _URL_FORBIDDEN.search(value):
        raise ValueError("must not contain spaces, quotes, backslashes, braces, < > | ^ or `")
    return value


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise ValueError(f"lists {seen[0]!r} twice")
    return values


Line = Annotated[str, Field(min_length=1, max_length=300), BeforeValidator(_one_line)]
Slug = Annotated[str, Field(max_length=80), BeforeValidator(_one_line), AfterValidator(_slug)]
CertificationId = Annotated[str, BeforeValidator(_one_line), AfterValidator(_certification)]
CriterionId = Annotated[
    str, Field(max_length=80), BeforeValidator(_one_line), AfterValidator(_slug)
]


class Dataset(BaseModel):
    """A public dataset a candidate may use, with its licence as its publisher states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=2, max_length=120), BeforeValidator(_one_line)]
    url: Annotated[str, Field(max_length=500), BeforeValidator(_one_line), AfterValidator(_url)]
    license: Annotated[str, Field(min_length=2, max_length=200), BeforeValidator(_one_line)]
    note: Annotated[str, Field(min_length=1, max_length=300), BeforeValidator(_one_line)] | None = (
        None
    )


class Suggestion(BaseModel):
    """One suggested portfolio project (see the module docstring for the file form)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    title: Annotated[str, Field(min_length=5, max_length=120), BeforeValidator(_one_line)]
    status: Literal["active", "retired"] = "active"
    order: Annotated[int, Field(ge=0, le=1_000_000)]
    updated: date
    certifications: Annotated[
        tuple[CertificationId, ...], Field(min_length=1), AfterValidator(_distinct)
    ]
    difficulty: Literal["beginner", "intermediate", "advanced"]
    estimated_hours: Annotated[int, Field(ge=1, le=1000)]
    summary: Annotated[str, Field(min_length=60, max_length=3000), BeforeValidator(_paragraphs)]
    demonstrates: dict[
        CertificationId,
        Annotated[tuple[CriterionId, ...], Field(min_length=1), AfterValidator(_distinct)],
    ]
    datasets: Annotated[tuple[Dataset, ...], Field(min_length=1, max_length=12)]
    milestones: Annotated[tuple[Line, ...], Field(min_length=3, max_length=20)]
    stretch_goals: Annotated[tuple[Line, ...], Field(min_length=1, max_length=12)]
    interview_questions: Annotated[tuple[Line, ...], Field(min_length=2, max_length=12)]

    @field_validator("demonstrates")
    @classmethod
    def _covers_each_certification(
        cls, value: dict[str, tuple[str, ...]], info: ValidationInfo
    ) -> dict[str, tuple[str, ...]]:
        certs = info.data.get("certifications")
        if certs is None:  # certifications itself failed; that error is reported already
            return value
        missing = [c for c in certs if c not in value]
        extra = [c for c in value if c not in certs]
        if missing:
            raise ValueError(f"names no criteria for certification {missing[0]!r}")
        if extra:
            raise ValueError(f"names certification {extra[0]!r}, which is not in certifications")
        return {c: value[c] for c in certs}  # canonical order: that of ``certifications``

    @property
    def active(self) -> bool:
        return self.status == "active"

    def sort_key(self) -> tuple[int, str]:
        return (self.order, self.id)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one value: where (a pydantic-style location) and what."""

    loc: Loc
    message: str
    kind: str = ""  # pydantic's error type, when the schema found it ("missing", "too_short")

    @property
    def field(self) -> str:
        """The location as ``datasets[0].license``; ``""`` for the whole record."""
        return format_loc(self.loc)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.loc else self.message


@dataclass(frozen=True)
class Validated:
    """The outcome of :func:`validate_suggestion`: a suggestion, or every problem found."""

    suggestion: Suggestion | None
    problems: tuple[FieldProblem, ...]


@dataclass(frozen=True)
class Checked:
    """The outcome of :func:`check_suggestions`: the valid suggestions and every problem."""

    suggestions: tuple[Suggestion, ...]
    problems: tuple[Problem, ...]
    files: int

    @property
    def ok(self) -> bool:
        return not self.problems


def _plural(n: object, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _message(kind: str, ctx: dict[str, Any], default: str) -> str:
    """A pydantic error in words for the person who wrote the data (a file or a form)."""
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "string_too_short":
        return (
            "is empty"
            if ctx.get("min_length") == 1
            else (f"is too short: write at least {_plural(ctx.get('min_length'), 'character')}")
        )
    if kind == "string_too_long":
        return f"is too long: at most {_plural(ctx.get('max_length'), 'character')}"
    if kind in ("too_short", "too_long") and "actual_length" in ctx:
        bound = "at least" if kind == "too_short" else "at most"
        limit = ctx.get("min_length", ctx.get("max_length"))
        return f"needs {bound} {_plural(limit, 'item')} (has {ctx['actual_length']})"
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '').replace(' or ', ', ')}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less"
    if kind.startswith("date_"):
        return "must be a date written like 2025-01-31"
    if kind == "string_type":
        return "must be text"
    if kind in ("list_type", "tuple_type"):
        return "must be a list"
    if kind in ("dict_type", "model_type"):
        return "must be a mapping of names to values"
    return default.removeprefix("Value error, ")


def _pydantic_problems(err: ValidationError) -> list[FieldProblem]:
    details = err.errors(include_url=False)
    locs = [tuple(d["loc"]) for d in details]
    problems = []
    for detail, loc in zip(details, locs, strict=True):
        if detail["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc and isinstance(other[len(loc)], int)
            for other in locs
        ):
            continue  # "too few valid items" only repeats the items' own errors
        message = _message(detail["type"], dict(detail.get("ctx") or {}), detail["msg"])
        problems.append(FieldProblem(loc, message, detail["type"]))
    return problems


def criteria_problems(demonstrates: object, criteria: CriteriaIndex) -> list[FieldProblem]:
    """Every criterion id in ``demonstrates`` (a suggestion's, or raw data from a file or form)
    that the certification's rubric does not have. Shapes are the models' business: values
    that are not a mapping of lists of strings are skipped here."""
    problems: list[FieldProblem] = []
    if not isinstance(demonstrates, Mapping):
        return problems
    for cert, ids in demonstrates.items():
        if not isinstance(cert, str) or cert not in CERTIFICATION_IDS:
            continue
        known = criteria.get(cert)
        if known is None:
            message = f"no rubric was found for certification {cert!r}"
            problems.append(FieldProblem(("demonstrates", cert), message))
            continue
        if not isinstance(ids, (list, tuple)):
            continue
        for index, criterion in enumerate(ids):
            if isinstance(criterion, str) and criterion.strip() not in known:
                problems.append(
                    FieldProblem(
                        ("demonstrates", cert, index),
                        f"{criterion.strip()!r} is not a criterion of the {cert} rubric; "
                        f"known: {', '.join(sorted(known))}",
                    )
                )
    return problems


def validate_suggestion(data: object, criteria: CriteriaIndex | None = None) -> Validated:
    """Validate one record (a mapping from a file or a form). With ``criteria``, criterion ids
    are checked against the rubrics too. Every problem is collected, none raised."""
    if not isinstance(data, Mapping):
        return Validated(None, (FieldProblem((), "must be a mapping of field names to values"),))
    problems: list[FieldProblem] = []
    suggestion: Suggestion | None = None
    try:
        suggestion = Suggestion.model_validate(dict(data))
    except ValidationError as err:
        problems += _pydantic_problems(err)
    if criteria is not None:
        problems += criteria_problems(data.get("demonstrates"), criteria)
    return Validated(None if problems else suggestion, tuple(problems))


# -- files -----------------------------------------------------------------------------------


def check_file(
    path: Path, criteria: CriteriaIndex | None = None
) -> tuple[Suggestion | None, list[Problem]]:
    """Validate one suggestion file; problems carry the file and line."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return None, [Problem(where, 1, f"cannot be read as UTF-8 text: {err}")]
    try:
        data, lines, structural = parse_yaml(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(err, "problem", None) or str(err)
        return None, [Problem(where, line, f"not valid YAML: {reason}")]
    problems = [Problem(where, line, message) for line, message in structural]
    result = validate_suggestion(data, criteria)
    problems += [Problem(where, line_of(p.loc, lines), str(p)) for p in result.problems]
    given_id = data.get("id") if isinstance(data, Mapping) else None
    if isinstance(given_id, str) and given_id.strip() != path.stem:
        problems.append(
            Problem(
                where,
                line_of(("id",), lines),
                f"id: {given_id.strip()!r} must equal the file name ({path.stem!r})",
            )
        )
    problems.sort(key=lambda p: p.line)
    return (result.suggestion if not problems else None), problems


def suggestion_files(source: Path) -> list[Path]:
    """The suggestion files of a directory, in name order (hidden files skipped)."""
    return sorted(p for p in source.glob(f"*{FILE_SUFFIX}") if not p.name.startswith("."))


def check_suggestions(source: Path, criteria: CriteriaIndex | None = None) -> Checked:
    """Validate every file of ``source``; collect all problems, never raise for bad data."""
    if not source.is_dir():
        return Checked((), (Problem(str(source), 1, "is not a directory of suggestion files"),), 0)
    files = suggestion_files(source)
    suggestions: list[Suggestion] = []
    problems: list[Problem] = []
    for path in files:
        suggestion, found = check_file(path, criteria)
        problems += found
        if suggestion is not None:
            suggestions.append(suggestion)
    if not files:
        problems.append(Problem(str(source), 1, f"holds no *{FILE_SUFFIX} suggestion files"))
    return Checked(tuple(sort_suggestions(suggestions)), tuple(problems), len(files))


def load_suggestions(source: Path, criteria: CriteriaIndex | None = None) -> tuple[Suggestion, ...]:
    """All suggestions of ``source`` in blog order; ``DataError`` listing every problem."""
    checked = check_suggestions(source, criteria)
    if checked.problems:
        raise DataError(
            f"{len(checked.problems)} problem(s) in the suggested projects:\n"
            + "\n".join(str(p) for p in checked.problems)
        )
    return checked.suggestions


def sort_suggestions(items: Iterable[Suggestion]) -> list[Suggestion]:
    return sorted(items, key=Suggestion.sort_key)


def for_certification(items: Iterable[Suggestion], cert_id: str) -> list[Suggestion]:
    """The active suggestions that count for ``cert_id``, in blog order."""
    return sort_suggestions(s for s in items if s.active and cert_id in s.certifications)


# -- the canonical file form ------------------------------------------------------------------


class _CanonicalDumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, multi-paragraph text folded."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _Folded(str):
    """A string the dumper writes as a folded block (``>-``): long prose, paragraphs kept."""


def _represent_folded(dumper: yaml.SafeDumper, value: _Folded) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=">")


_CanonicalDumper.add_representer(_Folded, _represent_folded)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def suggestion_to_data(suggestion: Suggestion) -> dict[str, Any]:
    """Plain data (dicts, lists, str, int, date) in canonical field order; ``None`` omitted."""
    data: dict[str, Any] = _plain(suggestion.model_dump(mode="python"))
    return data


def dump_suggestion(suggestion: Suggestion) -> str:
    """The canonical text of one suggestion file."""
    data = suggestion_to_data(suggestion)
    data["summary"] = _Folded(data["summary"])
    body = yaml.dump(
        data,
        Dumper=_CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        width=96,
        default_flow_style=False,
    )
    return FILE_HEADER + body


def dump_suggestions(items: Iterable[Suggestion]) -> dict[str, str]:
    """The canonical files for ``items``: relative path (``<id>.yaml``) → text."""
    out: dict[str, str] = {}
    for suggestion in sort_suggestions(items):
        name = f"{suggestion.id}{FILE_SUFFIX}"
        if name in out:
            raise DataError(f"Two suggestions share the id {suggestion.id!r}.")
        out[name] = dump_suggestion(suggestion)
    return dict(sorted(out.items()))


def criteria_index(rubrics: Sequence[Any]) -> dict[str, dict[str, str]]:
    """Build a :data:`CriteriaIndex` from rubric objects with ``id`` and ``criteria`` (each with
    ``id`` and ``title``), as ``reviewer.rubrics`` loads them."""
    return {r.id: {c.id: c.title for c in r.criteria} for r in rubrics}


# -- where the data lives ---------------------------------------------------------------------


def default_suggestions_dir(settings: Settings | None = None) -> Path:
    """``settings.suggestions_dir`` (``REVIEWER_SUGGESTIONS_DIR``), else the copy packaged in
    the wheel (``reviewer/_data/suggested_projects``), else the checkout's folder."""
    if settings is not None and settings.suggestions_dir is not None:
        return Path(settings.suggestions_dir)
    package = Path(__file__).resolve().parent
    for candidate in (
        package / "_data" / "suggested_projects",
        package.parent / "suggested_projects",
    ):
        if candidate.is_dir():
            return candidate
    return package.parent / "suggested_projects"


def load_rubric_criteria(settings: Settings | None = None) -> dict[str, dict[str, str]]:
    """The :data:`CriteriaIndex` of the rubrics the settings point at (``DataError`` when they
    do not validate, ``ConfigError`` when none are found)."""
    return criteria_index(list(load_rubrics(rubrics_dir(settings)).values()))
