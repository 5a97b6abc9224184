"""A review: one report, assessed against one rubric, with one candidate's question sheet.

This is what ``reviewer review`` prints, what ``reviewer batch`` stores per candidate and what
the web app shows the interviewer. Its JSON carries the certification, rubric version, commit,
per-criterion suggestions with reasons, the questions with their evidence, strengths, red flags
and the time plan, plus the report it was built from: the sheet is deterministic, so building
the review again from that report and rubric gives the same sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.assessment import Assessment, evaluate
from reviewer.questions import Sheet, build_sheet
from reviewer.report import Report
from reviewer.rubrics import Rubric

REVIEW_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Review:
    report: Report
    rubric: Rubric
    assessment: Assessment
    sheet: Sheet

    @property
    def candidate(self) -> str:
        return self.sheet.candidate

    def to_json(self) -> dict[str, Any]:
        assessment = self.assessment.to_json()
        sheet = self.sheet.to_json()
        return {
            "schema_version": REVIEW_SCHEMA_VERSION,
            "certification": self.rubric.id,
            "certification_title": self.rubric.title,
            "rubric_version": self.rubric.version,
            "candidate": self.sheet.candidate,
            "repository": self.sheet.repository,
            "commit": self.report.commit,
            "criteria": assessment["criteria"],
            "questions": sheet["questions"],
            "strengths": assessment["strengths"],
            "red_flags": assessment["red_flags"],
            "time_plan": sheet["time_plan"],
            "duration_minutes": self.sheet.duration_minutes,
            "sheet_seed": self.sheet.seed,
            "note": "Suggested levels are prompts for the interviewer, not scores.",
            "report": self.report.to_json(),
        }


def build_review(
    report: Report, rubric: Rubric, candidate: str, *, duration_minutes: int | None = None
) -> Review:
    """Assess ``report`` against ``rubric`` and draw ``candidate``'s question sheet."""
    return Review(
        report=report,
        rubric=rubric,
        assessment=evaluate(report, rubric),
        sheet=build_sheet(report, rubric, candidate, duration_minutes=duration_minutes),
    )
