"""The interviewer's documents: a one-page brief and the question sheet, as HTML (autoescaped,
with a print stylesheet for A4), Markdown, or PDF (WeasyPrint, an optional extra, imported only
when a PDF is asked for)."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from reviewer.assessment import format_value
from reviewer.errors import ReviewerError
from reviewer.facts.catalog import FACTS
from reviewer.questions import evidence_link
from reviewer.review import Review
from reviewer.rubrics import facts_used

PDF_EXTRA_MESSAGE = "PDF output needs the optional extra: pip install 'portfolio-reviewer[pdf]'"
#: Evidence links shown per fact row, strength or red flag in the brief.
BRIEF_EVIDENCE = 3
#: Top-level entries shown under "Structure".
STRUCTURE_ENTRIES = 10
FORMATS = ("json", "markdown", "html")

_CODE_SPAN = re.compile(r"`([^`]+)`")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")
#: Facts that describe what the project is (shown in the brief's "About" list).
_ABOUT = (
    ("domains", "Domains"),
    ("ml_libraries", "ML libraries"),
    ("pretrained_models", "Pretrained models"),
    ("dataset_sources", "Datasets"),
    ("serving", "Serving"),
    ("experiment_tracking", "Tracking"),
    ("vector_stores", "Vector stores"),
)


def inline_code(text: str) -> Markup:
    """Escape ``text`` for HTML, then show `backticked` spans as <code>."""
    escaped = str(escape(text))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))


def md_escape(value: object) -> str:
    """Text that Markdown shows literally, on one line (paths, values from the repository)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def md_text(value: object) -> str:
    """Rubric prose for Markdown: keeps `code spans`, escapes what could become markup."""
    text = " ".join(str(value).split())
    parts = text.split("`")
    out = []
    for i, part in enumerate(parts):
        if i % 2 and i < len(parts) - 1:
            out.append(f"`{part}`")
        else:
            out.append(re.sub(r"([\\*_\[\]<>#|])", r"\\\1", part))
    return "".join(out)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reviewer", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = inline_code
    env.filters["md"] = md_escape
    env.filters["mdtext"] = md_text
    env.filters["value"] = format_value
    return env


# -- view model --------------------------------------------------------------------------------


def _links(review: Review, refs: tuple[str, ...] | list[str], limit: int) -> list[dict[str, Any]]:
    out = []
    for ref in list(refs)[:limit]:
        link = evidence_link(review.report, ref)
        out.append({"ref": ref, "label": link.label, "url": link.url})
    return out


def _structure(review: Review) -> list[dict[str, Any]]:
    """Top-level entries of the repository as the evidence shows them, most cited first."""
    groups: OrderedDict[str, set[str]] = OrderedDict()
    for fact in review.report.facts.values():
        for ref in fact.evidence:
            path = evidence_link(review.report, ref).path.strip("/")
            if not path:
                continue
            top, sep, rest = path.partition("/")
            key = top + ("/" if sep else "")
            groups.setdefault(key, set())
            if rest:
                groups[key].add(rest)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:STRUCTURE_ENTRIES]
    return [
        {"name": name, "files": sorted(files)[:4], "more": max(0, len(files) - 4)}
        for name, files in sorted(ranked)
    ]


def _facts_rows(review: Review) -> list[dict[str, Any]]:
    used = set(facts_used(review.rubric))
    rows = []
    for spec in FACTS:
        fact = review.report.facts.get(spec.name)
        if spec.name not in used or fact is None:
            continue
        rows.append(
            {
                "name": spec.name,
                "summary": spec.summary,
                "value": format_value(fact.value),
                "undecided": fact.value is None,
                "reason": fact.reason,
                "evidence": _links(review, fact.evidence, BRIEF_EVIDENCE),
                "more": max(0, len(fact.evidence) - BRIEF_EVIDENCE),
            }
        )
    return rows


def _flags(review: Review, flags: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "severity": f.severity,
            "message": f.message,
            "evidence": _links(review, f.evidence, BRIEF_EVIDENCE),
        }
        for f in flags
    ]


def _criteria(review: Review) -> list[dict[str, Any]]:
    must = {m.criterion: m.min_level for m in review.rubric.must_pass}
    weights = review.rubric.weights()
    slots = {s.criterion: s for s in review.sheet.time_plan if s.criterion}
    assessed = {c.id: c for c in review.assessment.criteria}
    out = []
    for criterion in review.rubric.criteria:
        a = assessed[criterion.id]
        slot = slots.get(criterion.id)
        reasons = [
            {
                "text": r.text,
                "effect": r.effect,
                "level": r.level,
                "decisive": r.decisive,
                "evidence": _links(review, r.evidence, 2),
            }
            for r in a.reasons
        ]
        out.append(
            {
                "id": criterion.id,
                "title": criterion.title,
                "covers": " ".join(criterion.covers.split()),
                "weight_percent": round(weights[criterion.id] * 100),
                "must_pass": must.get(criterion.id),
                "suggested": a.suggested_level,
                "descriptor": a.descriptor,
                "reasons": reasons,
                "levels": criterion.levels,
                "start": slot.start_minute if slot else None,
                "minutes": slot.minutes if slot else 0,
                "questions": [q for q in review.sheet.planned if q.criterion == criterion.id],
            }
        )
    return out


def context(review: Review) -> dict[str, Any]:
    report = review.report
    title = report.target.slug if report.target else Path(report.target_url).name
    commit_url = (
        f"{report.target.web_url}/tree/{report.commit}"
        if report.target and report.target.host == "github.com"
        else None
    )
    about = []
    for name, label in _ABOUT:
        value = report.value(name)
        if value:
            about.append({"label": label, "value": format_value(value)})
    languages = report.metadata.get("languages")
    if isinstance(languages, dict) and languages:
        about.append({"label": "Languages", "value": ", ".join(list(languages)[:5])})
    size = []
    for name, label in (
        ("python_file_count", "Python file"),
        ("notebook_count", "notebook"),
        ("test_file_count", "test file"),
        ("commit_count", "commit"),
        ("author_count", "author"),
    ):
        value = report.value(name)
        if isinstance(value, int) and not isinstance(value, bool):
            size.append(f"{value} {label}{'' if value == 1 else 's'}")
    first, last = report.value("first_commit_date"), report.value("last_commit_date")
    history = f"{first} to {last}" if first and last else None
    return {
        "review": review,
        "title": title,
        "repository": review.sheet.repository,
        "commit": report.commit,
        "commit_url": commit_url,
        "description": report.metadata.get("description") or "",
        "about": about,
        "size": size,
        "history": history,
        "structure": _structure(review),
        "facts": _facts_rows(review),
        "strengths": _flags(review, review.assessment.strengths),
        "red_flags": _flags(review, review.assessment.red_flags),
        "warnings": [w.message for w in report.warnings],
        "criteria": _criteria(review),
        "reserve": review.sheet.reserve,
        "sheet": review.sheet,
        "rubric": review.rubric,
        "evidence_label": lambda ref: evidence_link(report, ref).label,
        "kind_label": {"evidence": "Evidence", "gap": "Gap", "deep_dive": "Deep dive"},
    }


# -- outputs -----------------------------------------------------------------------------------


def render_html(review: Review, *, standalone: bool = True) -> str:
    """Brief + sheet as one HTML document (``standalone=False``: the body fragment only, for
    embedding in another page with the same stylesheet, :func:`stylesheet`)."""
    env = _environment()
    name = "review.html.j2" if standalone else "review_body.html.j2"
    return env.get_template(name).render(**context(review))


def stylesheet() -> str:
    return _environment().get_template("review.css").render()


def render_markdown(review: Review) -> str:
    return _environment().get_template("review.md.j2").render(**context(review))


def render_json(review: Review) -> str:
    return json.dumps(review.to_json(), indent=2, ensure_ascii=False) + "\n"


def render(review: Review, fmt: str) -> str:
    if fmt == "json":
        return render_json(review)
    if fmt == "markdown":
        return render_markdown(review)
    if fmt == "html":
        return render_html(review)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def html_to_pdf(html: str) -> bytes:
    """Print HTML to PDF with WeasyPrint (the ``pdf`` extra)."""
    try:
        import weasyprint
    except ImportError as err:  # also OSError-free: missing Pango shows up as ImportError/OSError
        raise ReviewerError(PDF_EXTRA_MESSAGE) from err
    except OSError as err:
        raise ReviewerError(f"{PDF_EXTRA_MESSAGE} (WeasyPrint could not load: {err})") from err
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf


def write_sheet(review: Review, path: Path) -> Path:
    """Write brief + sheet to ``path`` as HTML, Markdown or PDF, chosen by its suffix."""
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        path.write_text(render_html(review), encoding="utf-8")
    elif suffix in {".md", ".markdown"}:
        path.write_text(render_markdown(review), encoding="utf-8")
    elif suffix == ".pdf":
        path.write_bytes(html_to_pdf(render_html(review)))
    else:
        raise ValueError(f"{path.name}: the sheet's file name must end in .html, .md or .pdf")
    return path


def sheet_suffix_ok(path: Path) -> bool:
    return path.suffix.lower() in {".html", ".htm", ".md", ".markdown", ".pdf"}


__all__ = [
    "FORMATS",
    "PDF_EXTRA_MESSAGE",
    "html_to_pdf",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "stylesheet",
    "write_sheet",
]
