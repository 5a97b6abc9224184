"""In a real browser (Debian's Chromium through Playwright): staff assign two interviewers →
each scores with the keyboard alone → autosave survives a reload → neither sees the other
before finalising → reconciliation → the candidate sees the result and a certificate with its
expiry; a failed attempt shows the wait date. axe-core finds no serious or critical violation
on any page of the interview side that is visited.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import interviewsupport as support
import pytest
from browsersupport import AxeChecker, log_in, open_page
from sqlalchemy import select

from reviewer import program
from webapp.db import get_database
from webapp.models.interviews import InterviewResult

pytestmark = pytest.mark.browser

RUBRIC = support.rubric()


@pytest.fixture
def live(make_app, sqlite_url: str, serve: Callable[..., str]) -> tuple[Any, str]:
    app = make_app(
        sqlite_url,
        OPTIONAL_BLUEPRINTS=(("webapp.interview", "/interview"),),
        WTF_CSRF_ENABLED=True,
        RATE_LIMIT_LOGIN=(1000, 60),
    )
    return app, serve(app)


def _page_for(browser: Any, base_url: str, email: str) -> Any:
    page = open_page(browser, base_url, 1024, 900)
    log_in(page, email)
    page.wait_for_url(lambda url: "/auth/login" not in url)
    return page


def _focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => ({name: document.activeElement.name || '', type: document.activeElement.type || ''})"
    )


def _tab_to(page: Any, name: str, limit: int = 80) -> None:
    """Press Tab until the element named ``name`` has the focus (keyboard only)."""
    for _ in range(limit):
        if _focused(page)["name"] == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name}; focus is on {_focused(page)}")


def _score_with_keyboard(page: Any, levels: dict[str, int], who: str) -> None:
    """Every criterion: a digit chooses the level, Tab moves to the two notes, typing fills
    them, Tab goes on to the next criterion. No mouse."""
    first = RUBRIC.criteria[0].id
    _tab_to(page, f"level-{first}")
    for c in RUBRIC.criteria:
        assert _focused(page)["name"] == f"level-{c.id}"
        page.keyboard.press(str(levels[c.id]))
        page.keyboard.press("Tab")
        assert _focused(page)["name"] == f"cnote-{c.id}"
        page.keyboard.type(f"{who} tells: {c.id}")
        page.keyboard.press("Tab")
        assert _focused(page)["name"] == f"pnote-{c.id}"
        page.keyboard.type(f"{who} private")
        page.keyboard.press("Tab")


def _overall(app: Any, interview_id: int, interviewer: int) -> str:
    with get_database(app).session() as session:
        return support.card_of(session, interview_id, interviewer).overall_comment


def _wait_for(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.1)


def _finalise_with_keyboard(page: Any) -> None:
    _tab_to(page, "confirm_final")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.value") == "finalise"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your scores are final" in page.content()


def test_interview_flow_in_a_browser(live, browser, axe: AxeChecker) -> None:
    app, base_url = live
    support.user(app, "staff@example.org", "staff", "Sam Staff")
    alice = support.user(app, "alice@example.org", "interviewer", "Alice")
    bob = support.user(app, "bob@example.org", "interviewer", "Bob")
    _, submission = support.ready_submission(app, "cand@example.org", name="Cand Idate")

    # staff assign the two suggested interviewers
    staff = _page_for(browser, base_url, "staff@example.org")
    staff.goto("/interview/staff/assign")
    axe.check(staff)
    staff.get_by_role("link", name=re.compile(f"to submission {submission}")).click()
    assert staff.get_by_label(re.compile("^Alice")).is_checked()
    assert staff.get_by_label(re.compile("^Bob")).is_checked()
    when = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    staff.get_by_label("Date and time of the interview (UTC)").fill(when)
    axe.check(staff)
    staff.get_by_role("button", name="Assign").click()
    staff.wait_for_url(re.compile(r".*/interview/staff/interviews/\d+"))
    interview_id = int(staff.url.rstrip("/").split("/")[-1])
    axe.check(staff)

    # Alice scores with the keyboard; autosave keeps it through a reload
    alice_page = _page_for(browser, base_url, "alice@example.org")
    axe.check(alice_page)  # her dashboard
    alice_page.goto(f"/interview/{interview_id}")
    axe.check(alice_page)
    levels_a = {c.id: 3 for c in RUBRIC.criteria}
    levels_a[RUBRIC.criteria[0].id] = 4
    _score_with_keyboard(alice_page, levels_a, "Alice")
    last = RUBRIC.criteria[-1].id
    alice_page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent === 'All changes saved'"
    )
    alice_page.reload()
    for c in RUBRIC.criteria:
        assert alice_page.locator(f"#level-{c.id}-{levels_a[c.id]}").is_checked()
    assert alice_page.locator(f"#pnote-{last}").input_value() == "Alice private"
    assert alice_page.locator(f"#cnote-{last}").input_value() == f"Alice tells: {last}"
    # typing, then closing the tab at once: the page sends what is unsaved as it goes away
    _tab_to(alice_page, "overall_comment")
    alice_page.keyboard.type("Typed just before closing the tab")
    context = alice_page.context
    alice_page.close(run_before_unload=True)
    _wait_for(lambda: _overall(app, interview_id, alice) == "Typed just before closing the tab")
    alice_page = context.new_page()
    alice_page.goto(f"/interview/{interview_id}/sheet")
    axe.check(alice_page)
    alice_page.goto(f"/interview/{interview_id}")

    # Bob starts: nothing of Alice's is visible to him
    bob_page = _page_for(browser, base_url, "bob@example.org")
    bob_page.goto(f"/interview/{interview_id}")
    assert "Alice tells" not in bob_page.content()
    assert "Alice private" not in bob_page.content()
    levels_b = {c.id: 3 for c in RUBRIC.criteria}
    levels_b[RUBRIC.criteria[0].id] = 2  # a disagreement with Alice
    _score_with_keyboard(bob_page, levels_b, "Bob")

    _finalise_with_keyboard(alice_page)
    assert "Bob private" not in alice_page.content()  # Bob is still a draft
    bob_page.reload()
    assert "Alice private" not in bob_page.content()  # Alice is final, Bob is not
    _finalise_with_keyboard(bob_page)
    assert "Alice private" in bob_page.content()  # both final: now he sees her scores
    axe.check(bob_page)

    # reconciliation
    bob_page.get_by_role("link", name="Reconcile the scores").click()
    axe.check(bob_page)
    assert bob_page.locator("tr.disagree").count() == 1
    first = RUBRIC.criteria[0].id
    bob_page.get_by_label("Agreed level").first.select_option("3")
    bob_page.locator(f"#rationale-{first}").fill("Met in the middle after discussing leakage")
    bob_page.get_by_role("button", name=re.compile("Record the agreed levels")).click()
    assert "The result is recorded" in bob_page.content()
    axe.check(bob_page)
    with get_database(app).session() as session:
        result = session.scalar(select(InterviewResult))
        expires = program.add_years(result.interview_on, 5)

    # the candidate sees the result and the certificate's expiry, not private notes
    cand = _page_for(browser, base_url, "cand@example.org")
    cand.get_by_role("link", name="Interview results").click()
    axe.check(cand)
    cand.get_by_role("link", name=re.compile("Training and Evaluating")).click()
    axe.check(cand)
    text = cand.content()
    assert "Passed" in text and f"Bob tells: {first}" in text and "private" not in text
    assert cand.locator("#certificate-expiry").inner_text() == (
        "expires on " + expires.strftime("%d %b %Y").lstrip("0")
    )

    # a failed attempt shows the wait date
    _, failed_sub = support.ready_submission(app, "late@example.org", name="Late Learner")
    iid = support.assign(app, failed_sub, [alice], None)
    support.score(app, iid, alice, 1)
    support.decide(app, iid, alice, 1)
    with get_database(app).session() as session:
        retry = session.scalars(select(InterviewResult).order_by(InterviewResult.id)).all()[-1]
        retry_on = retry.retry_on
    late = _page_for(browser, base_url, "late@example.org")
    late.goto("/interview/results")
    late.get_by_role("link", name=re.compile("Training and Evaluating")).click()
    axe.check(late)
    assert late.locator("#retry-on").inner_text() == retry_on.strftime("%d %b %Y").lstrip("0")

    # staff pages after the fact
    staff.goto(f"/interview/staff/interviews/{interview_id}")
    axe.check(staff)
    staff.goto("/interview/staff/audit")
    axe.check(staff)
    staff.goto("/interview/staff/exports")
    axe.check(staff)
    staff.goto("/interview/")
    axe.check(staff)
    assert bob and len(axe.checked) >= 15
