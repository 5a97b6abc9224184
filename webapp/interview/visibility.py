"""Who may see which scores: interviewers judge on their own before seeing anyone else's.

* An interviewer sees only their own scorecard until they finalise it; after that, the other
  interviewers' *finalised* scorecards. A draft is never shown to anyone but its author.
* Staff (not assigned to the interview) see finalised scorecards only.
* Reconciliation opens once every assigned interviewer has finalised, for the assigned
  interviewers and for staff.

Plain functions over rows; the views call them and never decide visibility themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from webapp.models.interviews import Interview, InterviewState, Scorecard


@dataclass(frozen=True)
class Viewer:
    user_id: int
    is_staff: bool


def own_card(cards: Sequence[Scorecard], viewer: Viewer) -> Scorecard | None:
    return next((c for c in cards if c.interviewer_id == viewer.user_id), None)


def may_open(cards: Sequence[Scorecard], viewer: Viewer) -> bool:
    """The interview page: its assigned interviewers and staff."""
    return viewer.is_staff or own_card(cards, viewer) is not None


def visible_cards(cards: Sequence[Scorecard], viewer: Viewer) -> list[Scorecard]:
    """The scorecards ``viewer`` may read, own first."""
    own = own_card(cards, viewer)
    if own is not None and not own.is_final:
        return [own]
    if own is None and not viewer.is_staff:
        return []
    others = [c for c in cards if c.is_final and c is not own]
    return ([own] if own is not None else []) + others


def waiting_for(cards: Sequence[Scorecard]) -> list[Scorecard]:
    return [c for c in cards if not c.is_final]


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str = ""


def may_reconcile(interview: Interview, cards: Sequence[Scorecard], viewer: Viewer) -> Permission:
    if not may_open(cards, viewer):
        return Permission(False, "You are not assigned to this interview.")
    if interview.state == InterviewState.DECIDED:
        return Permission(False, "The result is recorded; staff may amend it with a reason.")
    if not cards:
        return Permission(False, "No interviewer is assigned yet.")
    own = own_card(cards, viewer)
    if own is not None and not own.is_final:
        return Permission(False, "Finalise your own scores first.")
    pending = waiting_for(cards)
    if pending:
        return Permission(
            False, f"Waiting for {len(pending)} interviewer(s) to finalise their scores."
        )
    return Permission(True)
