"""From a report and a rubric to suggestions for the interviewer: never a score.

``evaluate(report, rubric)`` gives, per criterion, a suggested level (0..4) and the reasons:
which rule matched, on which fact values, with which evidence. It also lists the repository's
strengths and red flags (committed secrets, large files, a one-commit history, a fork presented
as own work, ...), which do not depend on the rubric except for the "off-topic" check against
``rubric.relevant_domains``. The flag tables below are data, in the rubric rule language.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from reviewer.report import FactValue, Report
from reviewer.rubrics import Condition, Criterion, Rubric

Severity = Literal["high", "medium", "low"]
#: How many evidence items one reason or flag carries at most.
MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Reason:
    """Why a criterion got its suggestion: one matched rule, or a note."""

    text: str
    effect: Literal["raise", "cap", "default", "unknown"]
    level: int | None
    facts: dict[str, FactValue] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    decisive: bool = False

    @property
    def fact(self) -> str | None:
        return next(iter(self.facts), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "effect": self.effect,
            "level": self.level,
            "fact": self.fact,
            "value": self.facts.get(self.fact) if self.fact else None,
            "facts": dict(self.facts),
            "evidence": list(self.evidence),
            "decisive": self.decisive,
        }


@dataclass(frozen=True)
class CriterionAssessment:
    id: str
    title: str
    weight: float
    suggested_level: int
    descriptor: str  # the rubric's words for the suggested level
    reasons: tuple[Reason, ...]
    unknown_facts: tuple[str, ...]  # facts the rules read that the report could not decide

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "weight": self.weight,
            "suggested_level": self.suggested_level,
            "descriptor": self.descriptor,
            "reasons": [r.to_json() for r in self.reasons],
            "unknown_facts": list(self.unknown_facts),
        }


@dataclass(frozen=True)
class Flag:
    """A strength or a red flag of the whole repository."""

    code: str
    severity: Severity
    message: str
    evidence: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Assessment:
    certification: str
    rubric_version: str
    commit: str
    criteria: tuple[CriterionAssessment, ...]
    strengths: tuple[Flag, ...]
    red_flags: tuple[Flag, ...]

    def levels(self) -> dict[str, int]:
        return {c.id: c.suggested_level for c in self.criteria}

    def to_json(self) -> dict[str, Any]:
        return {
            "certification": self.certification,
            "rubric_version": self.rubric_version,
            "commit": self.commit,
            "criteria": [c.to_json() for c in self.criteria],
            "strengths": [f.to_json() for f in self.strengths],
            "red_flags": [f.to_json() for f in self.red_flags],
        }


# -- formatting fact values into rubric text ---------------------------------------------------


def format_value(value: FactValue, limit: int = 6) -> str:
    """A fact value as words: lists joined, booleans as yes/no, None as "unknown"."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        if not value:
            return "none"
        items = [str(v) for v in value]
        shown = ", ".join(items[:limit])
        return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
    return str(value)


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "unknown"


def fill(template: str, report: Report, extra: dict[str, str] | None = None) -> str:
    """Fill ``{fact}`` placeholders (validated by the rubric loader) from a report."""
    names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    values = _Values({n: format_value(report.value(n)) for n in names})
    values.update(extra or {})
    return template.format_map(values)


def evidence_of(report: Report, facts: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in facts:
        fact = report.facts.get(name)
        if fact is not None:
            seen.update(dict.fromkeys(fact.evidence))
    return tuple(seen)[:MAX_EVIDENCE]


# -- per criterion -----------------------------------------------------------------------------


def assess_criterion(report: Report, criterion: Criterion) -> CriterionAssessment:
    raises: list[tuple[int, Reason]] = []
    caps: list[tuple[int, Reason]] = []
    for rule in criterion.signals:
        if not rule.when.matches(report):
            continue
        names = rule.when.facts()
        primary = names[0]
        reason = Reason(
            text=fill(rule.reason, report, {"value": format_value(report.value(primary))}),
            effect=rule.effect,
            level=rule.target_level,
            facts={n: report.value(n) for n in names},
            evidence=evidence_of(report, names),
        )
        (raises if rule.effect == "raise" else caps).append((rule.target_level, reason))
    base = max((lv for lv, _ in raises), default=criterion.default_level)
    cap = min((lv for lv, _ in caps), default=None)
    level = base if cap is None else min(base, cap)
    reasons: list[Reason] = []
    for lv, r in sorted(raises, key=lambda x: -x[0]):
        reasons.append(_decisive(r, lv == base and (cap is None or base <= cap)))
    for lv, r in sorted(caps, key=lambda x: x[0]):
        reasons.append(_decisive(r, cap is not None and lv == cap and cap < base))
    if not raises:
        reasons.append(
            Reason(
                text=f"No signal raised this criterion: the default suggestion is "
                f"{criterion.default_level}.",
                effect="default",
                level=criterion.default_level,
                decisive=cap is None or criterion.default_level <= cap,
            )
        )
    unknown = tuple(n for n in criterion.facts() if report.value(n) is None)
    for name in unknown:
        fact = report.facts.get(name)
        why = fact.reason if fact is not None and fact.reason else "not in the report"
        reasons.append(
            Reason(
                text=f"{name} is undecided ({why})",
                effect="unknown",
                level=None,
                facts={name: None},
            )
        )
    return CriterionAssessment(
        id=criterion.id,
        title=criterion.title,
        weight=criterion.weight,
        suggested_level=level,
        descriptor=criterion.levels[level],
        reasons=tuple(reasons),
        unknown_facts=unknown,
    )


def _decisive(reason: Reason, decisive: bool) -> Reason:
    return Reason(reason.text, reason.effect, reason.level, reason.facts, reason.evidence, decisive)


# -- the whole repository ----------------------------------------------------------------------

#: (code, severity, condition, message). Conditions use the rubric rule language.
RED_FLAGS: tuple[tuple[str, Severity, dict[str, Any], str], ...] = (
    (
        "secrets-committed",
        "high",
        {"fact": "secrets_committed", "is": True},
        "A credential appears to be committed: ask the candidate to revoke it; never share it.",
    ),
    (
        "fork-or-copy",
        "high",
        {"any": [{"fact": "is_fork_or_copy", "is": True}, {"fact": "is_fork", "is": True}]},
        "The repository is a fork or a copy of other work: establish what the candidate wrote.",
    ),
    (
        "not-public",
        "high",
        {"fact": "visibility", "in": ["private", "internal"]},
        "The repository is not public ({visibility}); the program requires a public repository.",
    ),
    (
        "single-commit",
        "medium",
        {"fact": "commit_count", "max": 1},
        "The whole history is a single commit: ask how the work was developed.",
    ),
    (
        "short-history",
        "low",
        {"all": [{"fact": "commit_count", "min": 2}, {"fact": "commit_count", "max": 4}]},
        "Only {commit_count} commits: ask how the work evolved.",
    ),
    (
        "large-files",
        "medium",
        {"fact": "has_large_files_committed", "is": True},
        "Files over 10 MB are committed to git (data or weights belong in storage or LFS).",
    ),
    (
        "no-readme",
        "medium",
        {"fact": "has_readme", "is": False},
        "There is no README: the project does not explain itself.",
    ),
    (
        "no-tests",
        "medium",
        {"fact": "has_tests", "is": False},
        "No tests exercise the project's code.",
    ),
    (
        "notebooks-only",
        "low",
        {"fact": "notebooks_only", "is": True},
        "All the code lives in notebooks ({notebook_count}).",
    ),
    (
        "ci-failing",
        "low",
        {"fact": "ci_status", "in": ["failure", "startup_failure", "timed_out", "cancelled"]},
        "The latest CI run on the default branch ended with {ci_status}.",
    ),
    (
        "no-license",
        "low",
        {"fact": "has_license", "is": False},
        "No licence: others may not legally reuse the work.",
    ),
    (
        "unused-dependencies",
        "low",
        {"fact": "declared_unused_libraries", "min": 3},
        "Declared but never imported: {declared_unused_libraries}.",
    ),
    (
        "several-authors",
        "low",
        {"fact": "author_count", "min": 3},
        "{author_count} authors in the history: ask which parts are the candidate's own.",
    ),
)

STRENGTHS: tuple[tuple[str, dict[str, Any], str], ...] = (
    (
        "tests",
        {"fact": "has_tests", "is": True},
        "Tests exercise the code ({test_file_count} files, {test_framework}).",
    ),
    ("ci-runs-tests", {"fact": "ci_runs_tests", "is": True}, "CI runs the tests ({ci_systems})."),
    (
        "pinned-dependencies",
        {"fact": "deps_pinned", "is": "all"},
        "Every dependency is pinned or locked.",
    ),
    ("container", {"fact": "has_dockerfile", "is": True}, "A container image is defined."),
    (
        "documented",
        {
            "all": [
                {"fact": "readme_has_install_section", "is": True},
                {"fact": "readme_has_usage_section", "is": True},
            ]
        },
        "The README explains installation and usage.",
    ),
    (
        "results-reported",
        {"fact": "readme_has_results_section", "is": True},
        "The README reports results.",
    ),
    ("seeded", {"fact": "sets_random_seed", "is": True}, "Training or splitting code is seeded."),
    ("cross-validation", {"fact": "cross_validation", "is": True}, "Models are cross-validated."),
    (
        "hyperparameter-search",
        {"fact": "hyperparameter_search", "not_empty": True},
        "Hyper-parameters are searched ({hyperparameter_search}).",
    ),
    (
        "metrics",
        {"fact": "metrics_computed", "min": 2},
        "Several evaluation metrics are computed ({metrics_computed}).",
    ),
    (
        "experiment-tracking",
        {"fact": "experiment_tracking", "not_empty": True},
        "Experiments are tracked ({experiment_tracking}).",
    ),
    (
        "data-versioning",
        {"fact": "data_versioning", "not_empty": True},
        "Data is versioned ({data_versioning}).",
    ),
    (
        "data-validation",
        {"fact": "data_validation", "not_empty": True},
        "Data is validated ({data_validation}).",
    ),
    (
        "orchestration",
        {"fact": "orchestration", "not_empty": True},
        "Pipelines are orchestrated ({orchestration}).",
    ),
    ("serving", {"fact": "serving", "not_empty": True}, "The model is served ({serving})."),
    (
        "monitoring",
        {"fact": "monitoring", "not_empty": True},
        "The model is monitored ({monitoring}).",
    ),
    (
        "responsible-ai",
        {"fact": "responsible_ai", "not_empty": True},
        "Responsible-AI tooling or documentation ({responsible_ai}).",
    ),
    ("licensed", {"fact": "has_license", "is": True}, "Licensed ({license_spdx})."),
    (
        "sustained-history",
        {"fact": "commit_count", "min": 20},
        "A history of {commit_count} commits ({first_commit_date} to {last_commit_date}).",
    ),
)


@cache
def _red_flag_table() -> tuple[tuple[str, Severity, Condition, str], ...]:
    return tuple((c, s, Condition.model_validate(spec), m) for c, s, spec, m in RED_FLAGS)


@cache
def _strength_table() -> tuple[tuple[str, Condition, str], ...]:
    return tuple((c, Condition.model_validate(spec), m) for c, spec, m in STRENGTHS)


def red_flags(report: Report, rubric: Rubric | None = None) -> tuple[Flag, ...]:
    out: list[Flag] = []
    for code, severity, cond, message in _red_flag_table():
        if cond.matches(report):
            out.append(Flag(code, severity, fill(message, report), _flag_evidence(report, cond)))
    first, last, count = (
        report.value(n) for n in ("first_commit_date", "last_commit_date", "commit_count")
    )
    if isinstance(count, int) and count >= 5 and first is not None and first == last:
        out.append(
            Flag(
                "one-day-history",
                "medium",
                f"All {count} commits were authored on one day ({first}): ask whether "
                "the work was developed elsewhere.",
            )
        )
    if rubric is not None and rubric.relevant_domains:
        domains = report.value("domains")
        if (
            isinstance(domains, list)
            and domains
            and not set(domains) & set(rubric.relevant_domains)
        ):
            out.append(
                Flag(
                    "off-topic",
                    "medium",
                    f"The project looks like {format_value(domains)}, not "
                    f"{rubric.title}: ask how it relates to the certification.",
                    evidence_of(report, ("domains",)),
                )
            )
    order = {"high": 0, "medium": 1, "low": 2}
    return tuple(sorted(out, key=lambda f: order[f.severity]))


def strengths(report: Report) -> tuple[Flag, ...]:
    out = []
    for code, cond, message in _strength_table():
        if cond.matches(report):
            out.append(Flag(code, "low", fill(message, report), _flag_evidence(report, cond)))
    return tuple(out)


def _flag_evidence(report: Report, condition: Condition) -> tuple[str, ...]:
    return evidence_of(report, condition.facts())


def evaluate(report: Report, rubric: Rubric) -> Assessment:
    """Suggested levels with reasons, strengths and red flags. Humans decide the score."""
    return Assessment(
        certification=rubric.id,
        rubric_version=rubric.version,
        commit=report.commit,
        criteria=tuple(assess_criterion(report, c) for c in rubric.criteria),
        strengths=strengths(report),
        red_flags=red_flags(report, rubric),
    )
