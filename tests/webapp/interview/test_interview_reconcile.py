"""Reconciliation: scores side by side, disagreements marked, agreed levels with rationale,
raw scores kept, the result recorded."""

from __future__ import annotations

import interviewsupport as support
import pytest
from sqlalchemy import select

from webapp.db import get_database
from webapp.interview import reconcile
from webapp.models import Attempt
from webapp.models.interviews import AgreedLevel, InterviewResult, Scorecard

RUBRIC = support.rubric()
IDS = RUBRIC.criterion_ids


def _split(app, cast):
    """Alice and Bob disagree on the first criterion only (4 vs 2), agree on 3 elsewhere."""
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    support.score(app, iid, cast.alice, {c: (4 if c == IDS[0] else 3) for c in IDS})
    support.score(app, iid, cast.bob, {c: (2 if c == IDS[0] else 3) for c in IDS})
    return iid


def _rows(levels_by_card: list[list[int | None]]) -> tuple[reconcile.ComparisonRow, ...]:
    return tuple(
        reconcile.ComparisonRow(
            RUBRIC.criteria[0],
            tuple(reconcile.RawScore(f"I{n}", lv, "", "") for n, lv in enumerate(levels)),
            None,
        )
        for levels in levels_by_card
    )


@pytest.mark.parametrize(
    ("levels", "form", "ok"),
    [
        ([3, 3], {"agreed-X": "3"}, True),
        ([3, 3], {"agreed-X": "2"}, False),
        ([3, 3], {"agreed-X": "2", "rationale-X": "Both missed the leak"}, True),
        ([2, 4], {"agreed-X": "3"}, False),
        ([2, 4], {"agreed-X": "3", "rationale-X": "Split the difference after discussion"}, True),
        ([2, 4], {"agreed-X": ""}, False),
        ([2, 4], {"agreed-X": "7", "rationale-X": "x"}, False),
    ],
    ids=[
        "unanimous-kept",
        "unanimous-changed-no-why",
        "unanimous-changed-with-why",
        "disagree-no-why",
        "disagree-with-why",
        "no-level",
        "bad-level",
    ],
)
def test_check_choices_rationale_rules(levels: list[int], form: dict[str, str], ok: bool) -> None:
    rows = _rows([levels])
    cid = rows[0].criterion.id
    data = {k.replace("X", cid): v for k, v in form.items()}
    choices, problems = reconcile.check_choices(rows, data)
    assert (not problems) is ok
    if ok:
        assert choices[cid].rationale


def test_reconcile_page_marks_disagreements(app, cast, login) -> None:
    iid = _split(app, cast)
    html = login("alice@example.org").get(f"/interview/{iid}/reconcile").get_data(as_text=True)
    assert "<strong>1</strong> of" in html
    assert html.count('<tr class="disagree">') == 1
    assert "interviewers disagree" in html


def test_reconcile_before_everyone_is_final_redirects_with_reason(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice, cast.bob], cast.staff)
    support.score(app, iid, cast.alice, 3)
    response = login("alice@example.org").get(f"/interview/{iid}/reconcile", follow_redirects=True)
    assert "Waiting for 1 interviewer(s)" in response.get_data(as_text=True)


def test_reconcile_post_records_result_and_keeps_raw_scores(app, cast, login) -> None:
    iid = _split(app, cast)
    client = login("bob@example.org")
    missing = client.post(f"/interview/{iid}/reconcile", data={f"agreed-{c}": "3" for c in IDS})
    assert missing.status_code == 422
    assert "explain the agreed level" in missing.get_data(as_text=True)
    data = {f"agreed-{c}": "3" for c in IDS}
    data[f"rationale-{IDS[0]}"] = "Good baseline, weak on one point"
    assert client.post(f"/interview/{iid}/reconcile", data=data).status_code == 302
    with get_database(app).session() as session:
        agreed = {a.criterion_id: a for a in session.scalars(select(AgreedLevel))}
        assert agreed[IDS[0]].rationale == "Good baseline, weak on one point"
        assert agreed[IDS[1]].rationale == "All 2 interviewers chose level 3."
        raw = {c.interviewer_id: c for c in session.scalars(select(Scorecard))}
        first = {
            c.interviewer_id: next(s.level for s in c.scores if s.criterion_id == IDS[0])
            for c in raw.values()
        }
        assert first == {cast.alice: 4, cast.bob: 2}
        result = session.scalar(select(InterviewResult))
        assert result.passed and result.score_percent == 75
        attempt = session.get(Attempt, result.attempt_id)
        assert attempt.source == "interview"
    again = client.get(f"/interview/{iid}/reconcile", follow_redirects=True)
    assert "The result is recorded" in again.get_data(as_text=True)
