"""The filters an export is asked for (certification, date range), checked all at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from reviewer import program


@dataclass(frozen=True)
class ExportFilter:
    certification: str | None
    date_from: date | None
    date_to: date | None

    def narrow(self, query: Any, certification: Any, day: Any) -> Any:
        """``query`` kept to the rows whose ``certification`` column is the one asked for (if
        any) and whose ``day`` column lies in the date range (both ends included)."""
        if self.certification:
            query = query.where(certification == self.certification)
        if self.date_from:
            query = query.where(day >= self.date_from)
        if self.date_to:
            query = query.where(day <= self.date_to)
        return query


class FilterError(ValueError):
    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def _date(text: str, field: str, problems: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems[field] = "Enter a date like 2025-03-31."
        return None


def parse_filter(args: Mapping[str, str], need_certification: bool = False) -> ExportFilter:
    problems: dict[str, str] = {}
    cert = (args.get("certification") or "").strip() or None
    if cert is not None and cert not in program.CERTIFICATION_IDS:
        problems["certification"] = "Choose one of the certifications listed."
    elif cert is None and need_certification:
        problems["certification"] = (
            "Choose a certification: each has its own criteria, one column per criterion."
        )
    start = _date((args.get("from") or "").strip(), "from", problems)
    end = _date((args.get("to") or "").strip(), "to", problems)
    if start and end and start > end:
        problems["to"] = "The end date is before the start date."
    if problems:
        raise FilterError(problems)
    return ExportFilter(cert, start, end)
