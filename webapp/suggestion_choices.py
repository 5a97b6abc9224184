"""Which suggested projects a candidate may say their repository implements.

The editors' table is the source once it has rows; before an editor has ever opened the
editor pages it is empty, and the shipped files are read instead, so candidates always see the
published list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from reviewer import program
from reviewer.settings import Settings
from reviewer.suggestions import Suggestion, default_suggestions_dir, load_suggestions
from webapp.editor import store
from webapp.formchoices import choices as form_choices


def active_suggestions(session: Session, settings: Settings) -> list[Suggestion]:
    items = store.all_suggestions(session) if store.count(session) else None
    if items is None:
        items = list(load_suggestions(default_suggestions_dir(settings)))
    return [s for s in items if s.status == "active"]


def choices(items: list[Suggestion]) -> list[Any]:
    """Form choices: none first, then every active suggestion with the certifications it fits."""
    out = [("", "None: my own project idea")]
    for s in sorted(items, key=lambda s: s.title.lower()):
        names = ", ".join(program.certification(c).name for c in s.certifications)
        out.append((s.id, f"{s.title} ({names})"))
    return form_choices(out)


def refusal(items: list[Suggestion], ident: str, certification: str) -> str | None:
    """Why ``ident`` cannot be named for ``certification``; None when it can."""
    chosen = next((s for s in items if s.id == ident), None)
    if chosen is None:
        return "Choose a project from the list, or “None: my own project idea”."
    if certification not in chosen.certifications:
        names = ", ".join(program.certification(c).name for c in chosen.certifications)
        return (
            f"“{chosen.title}” is suggested for {names}, not for the certification chosen. "
            "Choose a project suggested for this certification, or “None”."
        )
    return None


def title_of(items: list[Suggestion], ident: str | None) -> str | None:
    chosen = next((s for s in items if s.id == ident), None) if ident else None
    return chosen.title if chosen else ident
