"""Staff changes after finalising: a reason is required, a stale form is refused, every change
is in the audit trail with actor, time, before and after; a changed agreed level re-totals the
result and re-applies the program's rules."""

from __future__ import annotations

import csv
import io

import interviewsupport as support
from sqlalchemy import select

from webapp.db import get_database
from webapp.models import Certificate
from webapp.models.interviews import AgreedLevel, AuditEntry, InterviewResult

RUBRIC = support.rubric()
IDS = RUBRIC.criterion_ids


def _decided(app, cast, level: int = 3) -> int:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    support.score(app, iid, cast.alice, level, note="n")
    support.decide(app, iid, cast.alice, level)
    return iid


def _agreed(app, iid: int, cid: str) -> AgreedLevel:
    with get_database(app).session() as session:
        return session.scalar(
            select(AgreedLevel).where(
                AgreedLevel.interview_id == iid, AgreedLevel.criterion_id == cid
            )
        )


def test_amend_agreed_level_needs_a_reason(app, cast, login) -> None:
    iid = _decided(app, cast)
    agreed = _agreed(app, iid, IDS[0])
    response = login("staff@example.org").post(
        f"/interview/staff/interviews/{iid}/agreed",
        data={
            "criterion": IDS[0],
            "version": agreed.version,
            "level": "1",
            "rationale": "x",
            "reason": "   ",
        },
    )
    assert response.status_code == 422
    assert "Give the reason for this change" in response.get_data(as_text=True)
    assert _agreed(app, iid, IDS[0]).level == 3


def test_amend_agreed_level_failing_must_pass_removes_certificate_and_is_audited(
    app, cast, login
) -> None:
    iid = _decided(app, cast)
    must = RUBRIC.must_pass[0].criterion
    agreed = _agreed(app, iid, must)
    response = login("staff@example.org").post(
        f"/interview/staff/interviews/{iid}/agreed",
        data={
            "criterion": must,
            "version": agreed.version,
            "level": "1",
            "rationale": "Recording showed a leak",
            "reason": "Appeal review, ticket 42",
        },
    )
    assert response.status_code == 302
    with get_database(app).session() as session:
        result = session.scalar(select(InterviewResult))
        assert not result.passed and result.certificate_id is None
        assert session.scalar(select(Certificate)) is None
        assert result.retry_on is not None
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "amend")).all()
    changed = {(e.entity, e.field): (e.before, e.after) for e in entries}
    assert changed[("agreed_level", f"{must}.level")] == ("3", "1")
    assert changed[("result", "passed")] == ("yes", "no")
    assert all(e.reason == "Appeal review, ticket 42" and e.actor_id == cast.staff for e in entries)


def test_amend_with_stale_version_is_refused(app, cast, login) -> None:
    iid = _decided(app, cast)
    agreed = _agreed(app, iid, IDS[0])
    staff = login("staff@example.org")
    form = {
        "criterion": IDS[0],
        "version": agreed.version,
        "level": "2",
        "rationale": "first change",
        "reason": "r1",
    }
    assert staff.post(f"/interview/staff/interviews/{iid}/agreed", data=form).status_code == 302
    stale = staff.post(
        f"/interview/staff/interviews/{iid}/agreed",
        data={**form, "level": "4", "rationale": "second", "reason": "r2"},
    )
    assert stale.status_code == 409
    assert "Someone changed this after you loaded the page" in stale.get_data(as_text=True)
    assert _agreed(app, iid, IDS[0]).level == 2


def test_amend_raw_score_keeps_before_and_after(app, cast, login) -> None:
    iid = _decided(app, cast)
    with get_database(app).session() as session:
        card = support.card_of(session, iid, cast.alice)
        card_id, version = card.id, card.version
    response = login("staff@example.org").post(
        f"/interview/staff/interviews/{iid}/scores/{card_id}",
        data={
            "criterion": IDS[1],
            "version": version,
            "level": "2",
            "candidate_note": "n for " + IDS[1],
            "private_note": "corrected",
            "reason": "Typo reported by the interviewer",
        },
    )
    assert response.status_code == 302
    with get_database(app).session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "amend")).all()
    assert {(e.field, e.before, e.after) for e in entries} == {
        (f"{IDS[1]}.level", "3", "2"),
        (f"{IDS[1]}.private_note", f"PRIVATE n {IDS[1]}", "corrected"),
    }


def test_amend_is_staff_only(app, cast, login) -> None:
    iid = _decided(app, cast)
    agreed = _agreed(app, iid, IDS[0])
    response = login("alice@example.org").post(
        f"/interview/staff/interviews/{iid}/agreed",
        data={
            "criterion": IDS[0],
            "version": agreed.version,
            "level": "0",
            "rationale": "x",
            "reason": "y",
        },
    )
    assert response.status_code == 403


def test_audit_trail_view_and_csv_export(app, cast, login) -> None:
    iid = support.assign(app, cast.submission, [cast.alice], cast.staff)
    levels = {f"level-{c}": "3" for c in IDS}
    login("alice@example.org").post(
        f"/interview/{iid}/scores",
        data={"base": "{}", "action": "finalise", "confirm_final": "yes", **levels},
    )
    staff = login("staff@example.org")
    staff.post(f"/interview/{iid}/reconcile", data={f"agreed-{c}": "3" for c in IDS})
    page = staff.get(f"/interview/staff/audit?interview={iid}").get_data(as_text=True)
    assert "finalise" in page and "reconcile" in page and "decide" in page
    export = staff.get(f"/interview/staff/audit.csv?interview={iid}")
    assert export.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert {"at", "actor", "before", "after", "reason"} <= set(rows[0])
    assert rows[0]["action"] == "finalise" and rows[0]["actor"] == "alice@example.org"
    data = staff.get(f"/interview/staff/audit.json?interview={iid}").get_json()
    assert len(data) == len(rows)
