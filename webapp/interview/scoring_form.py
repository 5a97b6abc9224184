"""The unchanging parts of the scoring form, prepared once per rubric snapshot and assessment.

The criteria, their level descriptors and the engine's suggested levels are the same for
every request of one interview: their HTML is rendered once (``_criterion.html``) and kept,
so a page view only fills in the interviewer's values, the problems and the CSRF token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from flask import current_app
from markupsafe import Markup

from webapp.interview import engine, scoring
from webapp.interview.engine import LEVELS, RubricSnapshot


@dataclass(frozen=True)
class CriterionForm:
    id: str
    level_name: str
    cnote_name: str
    pnote_name: str
    described_by: str  # the ids describing the fieldset (problems aside)
    head: Markup  # legend, what the criterion covers, the suggested level
    # the level choices by the value checked ("" for "not scored yet", "0".."4"); under None
    # the choices with none checked (a value that is not a level)
    levels_html: Mapping[str | None, Markup]


def criteria_form(rubric_json: str, assessment_json: str | None) -> tuple[CriterionForm, ...]:
    """One :class:`CriterionForm` per criterion of the snapshot, in rubric order."""
    return _criteria_form(rubric_json, assessment_json or "")


@lru_cache(maxsize=256)
def _criteria_form(rubric_json: str, assessment_json: str) -> tuple[CriterionForm, ...]:
    rubric = RubricSnapshot.from_json(rubric_json)
    suggestions = engine.suggestions(assessment_json)
    macros = current_app.jinja_env.get_template("interview/_criterion.html").module
    out = []
    for number, c in enumerate(rubric.criteria, start=1):
        sug = suggestions.get(c.id)
        described = f"covers-{c.id}" + (f" suggestion-{c.id}" if sug else "")
        head = macros.head(c, number, sug, rubric.min_level(c.id))  # type: ignore[attr-defined]
        name = scoring.level_field(c.id)
        levels = {
            chosen: Markup(macros.levels(name, c, sug, chosen))  # type: ignore[attr-defined]
            for chosen in (None, "", *(str(lv) for lv in LEVELS))
        }
        out.append(
            CriterionForm(
                id=c.id,
                level_name=name,
                cnote_name=scoring.cnote_field(c.id),
                pnote_name=scoring.pnote_field(c.id),
                described_by=described,
                head=Markup(head),
                levels_html=MappingProxyType(levels),
            )
        )
    return tuple(out)
