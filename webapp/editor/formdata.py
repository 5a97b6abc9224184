"""The editor's form as plain data: from a suggestion, from the posted fields, to the record
the engine's schema validates, and the schema's problems back onto the form's fields.

The schema (``reviewer.suggestions``) is the only validator: what an editor is told is what
``reviewer suggestions check`` would say about the same text in a file. The form keeps every
value exactly as typed, so nothing is lost when the answer is "there is a problem".

Lists are edited as text, one item per line (milestones, stretch goals, interview questions);
datasets as rows of four inputs (empty rows are ignored); the certifications and the rubric
criteria a suggestion demonstrates as one group of checkboxes per certification.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from reviewer.program_config import CERTIFICATION_IDS, certification
from reviewer.suggestions import CriteriaIndex, FieldProblem, Suggestion

TEXT_FIELDS = ("id", "title", "status", "order", "difficulty", "estimated_hours", "summary")
LINE_FIELDS = ("milestones", "stretch_goals", "interview_questions")
DATASET_PARTS = ("name", "url", "license", "note")
EXTRA_DATASET_ROWS = 2
MAX_DATASET_ROWS = 12


class FormData(Protocol):
    """What the views hand in: werkzeug's ``MultiDict`` (``request.form``)."""

    def get(self, key: str, default: Any = ...) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


@dataclass
class EditorForm:
    """Everything the edit page shows, as the strings and choices the editor sees."""

    values: dict[str, str] = field(default_factory=dict)
    certifications: list[str] = field(default_factory=list)
    demonstrates: dict[str, list[str]] = field(default_factory=dict)
    datasets: list[dict[str, str]] = field(default_factory=list)
    revision: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    general_errors: list[str] = field(default_factory=list)

    def add_error(self, field_id: str | None, message: str) -> None:
        if field_id is None:
            self.general_errors.append(message)
        else:
            self.errors.setdefault(field_id, []).append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.general_errors)

    def dataset_rows(self) -> list[dict[str, str]]:
        """The rows to show: the given ones plus a few empty ones to fill in."""
        rows = [dict(r) for r in self.datasets]
        rows += [dict.fromkeys(DATASET_PARTS, "") for _ in range(EXTRA_DATASET_ROWS)]
        return rows[: max(MAX_DATASET_ROWS, len(self.datasets))]


def blank(order: int) -> EditorForm:
    return EditorForm(values={"status": "active", "order": str(order), "difficulty": ""})


def from_suggestion(s: Suggestion, revision: int) -> EditorForm:
    return EditorForm(
        values={
            "id": s.id,
            "title": s.title,
            "status": s.status,
            "order": str(s.order),
            "difficulty": s.difficulty,
            "estimated_hours": str(s.estimated_hours),
            # One paragraph per line in the schema; a blank line between them reads better.
            "summary": s.summary.replace("\n", "\n\n"),
            **{name: "\n".join(getattr(s, name)) for name in LINE_FIELDS},
        },
        certifications=list(s.certifications),
        demonstrates={c: list(ids) for c, ids in s.demonstrates.items()},
        datasets=[
            {"name": d.name, "url": d.url, "license": d.license, "note": d.note or ""}
            for d in s.datasets
        ],
        revision=revision,
    )


def _ordered(chosen: Sequence[str], before: Sequence[str], natural: Sequence[str]) -> list[str]:
    """``chosen`` in the order they had before, new ones after them in ``natural`` order (so an
    edit that changes nothing here leaves the exported file unchanged)."""

    def key(item: str) -> tuple[int, int]:
        if item in before:
            return (0, before.index(item))
        return (1, natural.index(item) if item in natural else len(natural))

    return sorted(dict.fromkeys(chosen), key=key)


def from_request(
    form: FormData, criteria: CriteriaIndex, previous: Suggestion | None = None
) -> EditorForm:
    """The posted form, kept as typed (values are only stripped of surrounding whitespace)."""
    values = {name: str(form.get(name, "") or "") for name in (*TEXT_FIELDS, *LINE_FIELDS)}
    known_certs = [c for c in form.getlist("certifications") if c in CERTIFICATION_IDS]
    before_certs = list(previous.certifications) if previous else []
    demonstrates = {}
    for cert in CERTIFICATION_IDS:
        natural = list(criteria.get(cert, {}))
        before = list(previous.demonstrates.get(cert, ())) if previous else []
        demonstrates[cert] = _ordered(form.getlist(f"demonstrates-{cert}"), before, natural)
    datasets = []
    for i in range(MAX_DATASET_ROWS + EXTRA_DATASET_ROWS):
        row = {part: str(form.get(f"datasets-{i}-{part}", "") or "") for part in DATASET_PARTS}
        if any(value.strip() for value in row.values()):
            datasets.append(row)
    try:
        revision = int(str(form.get("revision", "0")))
    except ValueError:
        revision = 0
    return EditorForm(
        values=values,
        certifications=_ordered(known_certs, before_certs, CERTIFICATION_IDS),
        demonstrates=demonstrates,
        datasets=datasets,
        revision=revision,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _number(text: str) -> int | str:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


@dataclass(frozen=True)
class Record:
    """What the schema validates, and where each dataset came from on the form."""

    data: dict[str, Any]
    dataset_rows: list[int]


def to_record(form: EditorForm, updated: date) -> Record:
    """The record for ``validate_suggestion``; ``updated`` is the day of this edit."""
    v = form.values
    rows = [(i, r) for i, r in enumerate(form.datasets) if any(x.strip() for x in r.values())]
    data: dict[str, Any] = {
        "id": v.get("id", "").strip(),
        "title": v.get("title", ""),
        "status": v.get("status", "").strip(),
        "order": _number(v.get("order", "")),
        "updated": updated,
        "certifications": list(form.certifications),
        "difficulty": v.get("difficulty", "").strip(),
        "estimated_hours": _number(v.get("estimated_hours", "")),
        "summary": v.get("summary", ""),
        "demonstrates": {c: form.demonstrates.get(c, []) for c in form.certifications},
        "datasets": [{k: r[k] for k in DATASET_PARTS if r.get(k, "").strip()} for _, r in rows],
        **{name: _lines(v.get(name, "")) for name in LINE_FIELDS},
    }
    # An input left empty is a missing value ("is required"), not an empty or invalid one.
    data = {k: x for k, x in data.items() if not (isinstance(x, str) and not x.strip())}
    return Record(data, [i for i, _ in rows])


LABELS = {
    "id": "The id",
    "title": "The title",
    "status": "The status",
    "order": "The position",
    "difficulty": "The difficulty",
    "estimated_hours": "The estimated hours",
    "summary": "The summary",
    "certifications": "Certifications",
    "datasets": "Datasets",
    "milestones": "Milestones",
    "stretch_goals": "Stretch goals",
    "interview_questions": "Interview questions",
    "updated": "The date",
}
PART_LABELS = {"name": "name", "url": "web address", "license": "license", "note": "note"}


def describe(problem: FieldProblem, record: Record) -> tuple[str | None, str]:
    """The form field a schema problem belongs to, and the message in words for an editor;
    the same sentence is shown beside the field and in the error summary."""
    loc, kind, message = problem.loc, problem.kind, problem.message
    if not loc:
        return None, _sentence(message)
    head = str(loc[0])
    if head == "certifications":
        if kind == "too_short":
            return "certifications", "Tick at least one certification."
        return "certifications", _sentence(f"Certifications: {message}")
    if head == "demonstrates":
        cert = str(loc[1]) if len(loc) > 1 else ""
        if cert not in CERTIFICATION_IDS:
            return "certifications", _sentence(f"Criteria: {message}")
        name = certification(cert).name
        if kind == "too_short":
            return f"demonstrates-{cert}", f"Tick at least one criterion of the {name} rubric."
        return f"demonstrates-{cert}", _sentence(f"Criteria for {name}: {message}")
    if head == "datasets":
        if len(loc) == 1:
            if kind == "too_short":
                text = "Give at least one dataset: its name, web address and license."
                return "datasets-0-name", text
            return "datasets-0-name", _sentence(f"Datasets {message}")
        index = loc[1] if isinstance(loc[1], int) else 0
        row = record.dataset_rows[index] if index < len(record.dataset_rows) else index
        part = str(loc[2]) if len(loc) > 2 and str(loc[2]) in DATASET_PARTS else "name"
        text = f"Dataset {row + 1}: the {PART_LABELS[part]} {message}"
        return f"datasets-{row}-{part}", _sentence(text)
    if head in LINE_FIELDS:
        where = f", line {loc[1] + 1}" if len(loc) > 1 and isinstance(loc[1], int) else ""
        return head, _sentence(f"{LABELS[head]}{where}: {message}")
    if head in ("difficulty", "status") and kind in ("literal_error", "missing"):
        return head, f"Choose {'a difficulty' if head == 'difficulty' else 'a status'}."
    if head in LABELS and head != "updated":
        return head, _sentence(f"{LABELS[head]} {message}")
    return None, _sentence(f"{LABELS.get(head, problem.field)} {message}")


def attach(form: EditorForm, problems: Sequence[FieldProblem], record: Record) -> None:
    """Put each problem next to its field, in words for the editor."""
    for problem in problems:
        field_id, message = describe(problem, record)
        form.add_error(field_id, message)


def _sentence(message: str) -> str:
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def first_field_id(form: EditorForm, field_id: str) -> str:
    """The element an error link should focus (a checkbox group's first box)."""
    if field_id == "certifications":
        return f"certifications-{CERTIFICATION_IDS[0]}"
    if field_id.startswith("demonstrates-"):
        cert = field_id.removeprefix("demonstrates-")
        return f"certifications-{cert}"
    return field_id


def error_links(form: EditorForm, order: Mapping[str, int]) -> list[tuple[str, str]]:
    """(element id, message) for the error summary, in the order the fields appear."""
    items = sorted(form.errors.items(), key=lambda kv: order.get(kv[0], 999))
    return [(first_field_id(form, k), m) for k, ms in items for m in ms]
