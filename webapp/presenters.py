"""Reports and assessments turned into what a page shows (plain data for the templates).

Everything here is text from the candidate's repository and is shown through Jinja's
autoescaping; links are built only to the configured host at the pinned commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp import reviews

MAX_EVIDENCE = 5


@dataclass(frozen=True)
class EvidenceView:
    text: str
    url: str | None


@dataclass(frozen=True)
class FactView:
    name: str
    summary: str
    value: str
    decided: bool
    reason: str
    evidence: tuple[EvidenceView, ...]
    more_evidence: int


@dataclass(frozen=True)
class ReportView:
    commit: str
    inspected_at: str
    facts: tuple[FactView, ...]
    warnings: tuple[str, ...]
    description: str | None


def _value_text(value: object) -> str:
    if value is None:
        return "undecided"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


def report_view(report_json: str) -> ReportView | None:
    try:
        report = reviews.report_from_json(report_json)
    except (ValueError, KeyError, TypeError):
        return None
    summaries = reviews.fact_summaries()
    facts = []
    for name in sorted(report.facts):
        fact = report.facts[name]
        evidence = tuple(
            EvidenceView(text=e, url=report.evidence_url(e)) for e in fact.evidence[:MAX_EVIDENCE]
        )
        facts.append(
            FactView(
                name=name,
                summary=summaries.get(name, ""),
                value=_value_text(fact.value),
                decided=fact.value is not None,
                reason=fact.reason,
                evidence=evidence,
                more_evidence=max(0, len(fact.evidence) - MAX_EVIDENCE),
            )
        )
    description = report.metadata.get("description") if report.metadata else None
    return ReportView(
        commit=report.commit,
        inspected_at=report.inspected_at,
        facts=tuple(facts),
        warnings=tuple(w.message for w in report.warnings),
        description=str(description) if description else None,
    )
