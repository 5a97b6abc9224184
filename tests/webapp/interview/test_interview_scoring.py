"""webapp.interview.scoring: saving merges field by field, never silently overwriting a change
made elsewhere, and finalising locks."""

from __future__ import annotations

from datetime import UTC, datetime

import interviewsupport as support
import pytest

from webapp.interview import scoring
from webapp.models.interviews import CriterionScore, Scorecard, ScorecardState

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
RUBRIC = support.rubric("mlops")
FIRST, SECOND = RUBRIC.criteria[0].id, RUBRIC.criteria[1].id


def _card() -> Scorecard:
    card = Scorecard(
        state=ScorecardState.DRAFT, overall_comment="", recommendation="no-decision", version=1
    )
    card.scores = [
        CriterionScore(criterion_id=c.id, level=None, candidate_note="", private_note="")
        for c in RUBRIC.criteria
    ]
    return card


def _form(card: Scorecard) -> dict[str, str]:
    """What a page loaded now carries as its base."""
    return scoring.fingerprints(scoring.current_values(RUBRIC, card))


def test_save_applies_changed_fields() -> None:
    card = _card()
    out = scoring.save_draft(
        RUBRIC, card, {f"level-{FIRST}": "3", f"cnote-{FIRST}": "Good"}, _form(card), NOW
    )
    assert out.status == "saved"
    values = scoring.current_values(RUBRIC, card)
    assert (values[f"level-{FIRST}"], values[f"cnote-{FIRST}"]) == ("3", "Good")


def test_save_two_tabs_editing_different_fields_both_kept() -> None:
    card = _card()
    tab_a, tab_b = _form(card), _form(card)
    scoring.save_draft(RUBRIC, card, {f"cnote-{FIRST}": "from A"}, tab_a, NOW)
    out = scoring.save_draft(RUBRIC, card, {f"cnote-{SECOND}": "from B"}, tab_b, NOW)
    assert out.status == "saved"
    values = scoring.current_values(RUBRIC, card)
    assert (values[f"cnote-{FIRST}"], values[f"cnote-{SECOND}"]) == ("from A", "from B")


def test_save_stale_full_form_does_not_undo_another_tabs_change() -> None:
    card = _card()
    stale_base = _form(card)
    stale_values = scoring.current_values(RUBRIC, card)  # everything the stale page shows
    scoring.save_draft(RUBRIC, card, {f"pnote-{FIRST}": "typed in tab A"}, _form(card), NOW)
    out = scoring.save_draft(
        RUBRIC, card, {**stale_values, f"level-{SECOND}": "2"}, stale_base, NOW
    )
    assert out.status == "saved" and out.applied == (f"level-{SECOND}",)
    assert scoring.current_values(RUBRIC, card)[f"pnote-{FIRST}"] == "typed in tab A"


def test_save_same_field_changed_in_two_tabs_is_a_conflict_not_an_overwrite() -> None:
    card = _card()
    tab_a, tab_b = _form(card), _form(card)
    scoring.save_draft(RUBRIC, card, {f"cnote-{FIRST}": "A's words"}, tab_a, NOW)
    out = scoring.save_draft(RUBRIC, card, {f"cnote-{FIRST}": "B's words"}, tab_b, NOW)
    assert out.status == "conflict"
    (conflict,) = out.conflicts
    assert (conflict.saved, conflict.yours) == ("A's words", "B's words")
    assert scoring.current_values(RUBRIC, card)[f"cnote-{FIRST}"] == "A's words"
    # choosing to keep B's words: base = the saved version's fingerprint
    again = scoring.save_draft(
        RUBRIC,
        card,
        {f"cnote-{FIRST}": "B's words"},
        {f"cnote-{FIRST}": conflict.saved_fingerprint},
        NOW,
    )
    assert again.status == "saved"
    assert scoring.current_values(RUBRIC, card)[f"cnote-{FIRST}"] == "B's words"


def test_save_same_value_in_two_tabs_is_not_a_conflict() -> None:
    card = _card()
    tab_a, tab_b = _form(card), _form(card)
    scoring.save_draft(RUBRIC, card, {f"level-{FIRST}": "4"}, tab_a, NOW)
    assert scoring.save_draft(RUBRIC, card, {f"level-{FIRST}": "4"}, tab_b, NOW).ok


def test_save_without_base_for_a_changed_field_is_a_conflict() -> None:
    card = _card()
    scoring.save_draft(RUBRIC, card, {"overall_comment": "first"}, _form(card), NOW)
    out = scoring.save_draft(RUBRIC, card, {"overall_comment": "second"}, {}, NOW)
    assert out.status == "conflict"


def test_save_without_base_fills_an_empty_field() -> None:
    card = _card()
    out = scoring.save_draft(RUBRIC, card, {"overall_comment": "first"}, {}, NOW)
    assert out.status == "saved" and card.overall_comment == "first"


def test_save_normalises_crlf_from_browsers() -> None:
    card = _card()
    scoring.save_draft(RUBRIC, card, {"overall_comment": "a\r\nb"}, _form(card), NOW)
    assert card.overall_comment == "a\nb"
    assert (
        scoring.save_draft(RUBRIC, card, {"overall_comment": "a\r\nb"}, _form(card), NOW).status
        == "unchanged"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (f"level-{FIRST}", "5"),
        (f"level-{FIRST}", "two"),
        ("recommendation", "maybe"),
        (f"cnote-{FIRST}", "x" * (scoring.MAX_NOTE + 1)),
    ],
    ids=["level-5", "level-word", "recommendation", "note-too-long"],
)
def test_save_reports_invalid_values_and_keeps_the_valid_ones(name: str, value: str) -> None:
    card = _card()
    out = scoring.save_draft(
        RUBRIC, card, {name: value, f"pnote-{SECOND}": "kept"}, _form(card), NOW
    )
    assert out.status == "invalid" and name in out.errors
    assert scoring.current_values(RUBRIC, card)[f"pnote-{SECOND}"] == "kept"


def test_save_ignores_unknown_fields() -> None:
    card = _card()
    out = scoring.save_draft(
        RUBRIC, card, {"level-not-a-criterion": "4", "state": "final"}, _form(card), NOW
    )
    assert out.status == "unchanged" and card.state == ScorecardState.DRAFT


def test_finalise_needs_every_level_then_locks() -> None:
    card = _card()
    assert set(scoring.finalise_problems(RUBRIC, card)) == {
        f"level-{c.id}" for c in RUBRIC.criteria
    }
    levels = {f"level-{c.id}": "2" for c in RUBRIC.criteria}
    scoring.save_draft(RUBRIC, card, levels, _form(card), NOW)
    assert scoring.finalise_problems(RUBRIC, card) == {}
    scoring.finalise(card, NOW)
    out = scoring.save_draft(RUBRIC, card, {f"level-{FIRST}": "4"}, _form(card), NOW)
    assert out.status == "locked"
    assert scoring.current_values(RUBRIC, card)[f"level-{FIRST}"] == "2"
