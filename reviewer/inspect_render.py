"""The inspection report as text: JSON (the contract of ARCHITECTURE.md) or a Markdown brief."""

from __future__ import annotations

import json
import re
from typing import Any

import jinja2

from reviewer.report import Fact, Report

MAX_EVIDENCE = 5
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def md_escape(value: object) -> str:
    """Text that Markdown shows literally, on one table line. Control, bidirectional and other
    invisible characters (a hostile file name's) are shown as ``\\u....`` escapes, never sent
    to a terminal or page as they are."""
    text = " ".join(str(value).split())
    if not text.isprintable():
        text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def format_value(value: Any) -> str:
    if value is None:
        return "undecided"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reviewer", "templates"),
        autoescape=False,  # Markdown: every value goes through the md filter instead
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: Report) -> str:
    rows = [_row(name, fact, report) for name, fact in report.facts.items()]
    title = report.target.slug if report.target else report.target_url
    return (
        _environment()
        .get_template("inspect.md.j2")
        .render(report=report, rows=rows, title=md_escape(title))
    )


def _row(name: str, fact: Fact, report: Report) -> dict[str, Any]:
    evidence = [{"text": ev, "url": report.evidence_url(ev)} for ev in fact.evidence[:MAX_EVIDENCE]]
    return {
        "name": name,
        "value": format_value(fact.value),
        "evidence": evidence,
        "more": max(0, len(fact.evidence) - MAX_EVIDENCE),
        "reason": fact.reason,
    }
