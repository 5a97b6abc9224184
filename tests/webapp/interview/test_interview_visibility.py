"""Independence: no interviewer sees another's scores until their own are final; a draft is
never shown to anyone but its author."""

from __future__ import annotations

import interviewsupport as support
import pytest

from webapp.db import get_database
from webapp.interview import scoring, visibility
from webapp.interview.engine import RubricSnapshot
from webapp.models import utcnow
from webapp.models.interviews import Interview, InterviewState, Scorecard, ScorecardState

ALICE_SECRET = "ALICE-ONLY private remark"
ALICE_NOTE = "alice-note-for-candidate"


def _cards(*states: str) -> list[Scorecard]:
    return [Scorecard(id=n, interviewer_id=n, state=s) for n, s in enumerate(states, start=1)]


@pytest.mark.parametrize(
    ("states", "viewer", "visible"),
    [
        (("draft", "draft"), visibility.Viewer(1, False), [1]),
        (("draft", "final"), visibility.Viewer(1, False), [1]),
        (("final", "draft"), visibility.Viewer(1, False), [1]),
        (("final", "final"), visibility.Viewer(1, False), [1, 2]),
        (("draft", "final"), visibility.Viewer(9, True), [2]),
        (("final", "final"), visibility.Viewer(9, False), []),
    ],
    ids=[
        "both-drafts",
        "other-final-own-draft",
        "own-final-other-draft",
        "both-final",
        "staff-sees-finals-only",
        "stranger",
    ],
)
def test_visible_cards(
    states: tuple[str, ...], viewer: visibility.Viewer, visible: list[int]
) -> None:
    cards = _cards(*states)
    assert [c.id for c in visibility.visible_cards(cards, viewer)] == visible


def test_may_reconcile_only_when_everyone_is_final() -> None:
    interview = Interview(state=InterviewState.OPEN)
    alice = visibility.Viewer(1, False)
    assert not visibility.may_reconcile(interview, _cards("final", "draft"), alice).allowed
    assert not visibility.may_reconcile(interview, _cards("draft", "final"), alice).allowed
    assert visibility.may_reconcile(interview, _cards("final", "final"), alice).allowed
    decided = Interview(state=InterviewState.DECIDED)
    assert not visibility.may_reconcile(decided, _cards("final", "final"), alice).allowed


def _alice_scores(app, iid, alice, finalise: bool) -> None:
    support.score(
        app,
        iid,
        alice,
        {c.id: (4 if i % 2 else 1) for i, c in enumerate(support.rubric().criteria)},
        finalise=False,
    )
    with get_database(app).session() as session:
        interview = session.get(Interview, iid)
        snap = RubricSnapshot.from_json(interview.rubric_json)
        card = support.card_of(session, iid, alice)
        base = scoring.fingerprints(scoring.current_values(snap, card))
        first = snap.criteria[0].id
        scoring.save_draft(
            snap,
            card,
            {f"pnote-{first}": ALICE_SECRET, f"cnote-{first}": ALICE_NOTE},
            base,
            utcnow(),
        )
        if finalise:
            scoring.finalise(card, utcnow())
            assert card.state == ScorecardState.FINAL


@pytest.mark.parametrize("alice_final", [False, True], ids=["alice-draft", "alice-final"])
def test_bob_sees_nothing_of_alice_before_his_own_is_final(
    app, cast, login, alice_final: bool
) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    _alice_scores(app, iid, cast.alice, finalise=alice_final)
    bob = login("bob@example.org")
    pages = [
        bob.get(f"/interview/{iid}"),
        bob.get(f"/interview/{iid}/sheet"),
        bob.get(f"/interview/{iid}/reconcile", follow_redirects=True),
        bob.get("/interview/"),
        bob.post(f"/interview/{iid}/autosave", data={"base": "{}", "overall_comment": "hi"}),
    ]
    for response in pages:
        text = response.get_data(as_text=True)
        assert ALICE_SECRET not in text and ALICE_NOTE not in text
        assert 'class="lv lv--4"' not in text  # no level of hers either
    assert "not shown" in pages[0].get_data(as_text=True)


def test_bob_sees_alice_once_both_are_final(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    _alice_scores(app, iid, cast.alice, finalise=True)
    support.score(app, iid, cast.bob, 2)
    html = login("bob@example.org").get(f"/interview/{iid}").get_data(as_text=True)
    assert ALICE_SECRET in html and ALICE_NOTE in html


def test_bob_final_but_alice_draft_still_hidden(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    _alice_scores(app, iid, cast.alice, finalise=False)
    support.score(app, iid, cast.bob, 2)
    html = login("bob@example.org").get(f"/interview/{iid}").get_data(as_text=True)
    assert ALICE_SECRET not in html


def test_staff_do_not_see_drafts(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    _alice_scores(app, iid, cast.alice, finalise=False)
    staff = login("staff@example.org")
    for path in (f"/interview/{iid}", f"/interview/staff/interviews/{iid}"):
        assert ALICE_SECRET not in staff.get(path).get_data(as_text=True)
