"""In a real browser (Debian's Chromium through Playwright): register → log in → a submission
refused before the knowledge test (reason shown) → staff import → submit → "Ready for
interview", with axe-core finding no serious or critical violation on any page visited.

The live server and a review worker run in threads of this process; the repository is a real
git repository served by the clone template; the GitHub API is off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from browsersupport import AxeChecker, log_in, open_page
from gitrepo import commit, make_repo, publish
from websupport import PASSWORD, create_user

from webapp.models import utcnow

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(
    make_app, sqlite_url: str, tmp_path: Path, forge: Path, serve: Callable[..., str]
) -> str:
    repo = make_repo(tmp_path / "iris", {
        "README.md": "# Iris classifier\n\n## Installation\n\npip install -r requirements.txt\n"
                     "\n## Usage\n\npython train.py\n\n## Results\n\nAccuracy 0.95\n",
        "requirements.txt": "scikit-learn==1.5.1\n",
        "train.py": "from sklearn.linear_model import LogisticRegression\n"
                    "model = LogisticRegression(random_state=0)\n",
    })  # fmt: skip
    commit(repo, {"tests/test_train.py": "import train\n\ndef test_model():\n    assert train\n"},
           "Add a test")  # fmt: skip
    publish(repo, forge, "Ada", "iris")
    app = make_app(
        sqlite_url,
        WTF_CSRF_ENABLED=True,
        QUEUE_URL=f"sqlite:///{tmp_path / 'queue.db'}",
        QUEUE_POLL_MAX_S=0.2,
    )
    create_user(app, "staff@example.org", "staff")
    return serve(app, queue_workers=1)


@pytest.fixture
def page(live_app: str, browser: Any) -> Any:
    return open_page(browser, live_app, 390, 844)


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/login")


def test_candidate_journey_to_ready_for_interview(
    page: Any, axe: AxeChecker, tmp_path: Path
) -> None:
    page.goto("/")
    axe.check(page)

    # register (with a mistake first: the errors are tied to their fields)
    page.get_by_role("link", name="Create a candidate account").first.click()
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("There is a problem").is_visible()
    email_box = page.get_by_label("E-mail address")
    assert email_box.get_attribute("aria-invalid") == "true"
    assert "email-error" in (email_box.get_attribute("aria-describedby") or "")
    axe.check(page)
    page.get_by_label("Your name").fill("Ada Lovelace")
    email_box.fill("ada@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")
    axe.check(page)

    # log out and in again
    log_out(page)
    axe.check(page)
    log_in(page, "ada@example.org", PASSWORD)
    page.wait_for_url("**/dashboard")

    # a submission before the knowledge test is refused, with the reason
    page.get_by_role("link", name="Submit a project").first.click()
    page.get_by_label("Certification").select_option("ml-expert")
    page.get_by_label("Repository address on GitHub").fill("https://github.com/Ada/iris")
    page.get_by_role("button", name="Submit for review").click()
    refusal = page.get_by_role("note")
    assert "Why this submission was refused" in refusal.inner_text()
    assert "knowledge-test-first" in refusal.inner_text()
    axe.check(page)
    log_out(page)

    # staff import the knowledge-test result
    log_in(page, "staff@example.org", PASSWORD)
    page.wait_for_url("**/admin/")
    axe.check(page)
    page.get_by_role("link", name="Knowledge tests").first.click()
    axe.check(page)
    taken = (utcnow().date() - timedelta(days=2)).isoformat()
    csv = tmp_path / "results.csv"
    csv.write_text(f"email,certification,date,score\nada@example.org,ml-expert,{taken},91\n")
    page.get_by_label("CSV file", exact=True).set_input_files(str(csv))
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("Imported 1 new result(s)").is_visible()
    axe.check(page)
    page.get_by_role("link", name="Accounts").first.click()
    axe.check(page)
    log_out(page)

    # now the submission goes through and its review finishes
    log_in(page, "ada@example.org", PASSWORD)
    page.goto("/submissions/new?certification=ml-expert")
    page.get_by_label("Repository address on GitHub").fill("https://github.com/Ada/iris")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/submissions/*")
    axe.check(page)
    label = page.locator("#status-label")
    for _ in range(60):
        if label.inner_text() == "Ready for interview":
            break
        page.wait_for_timeout(500)
        if label.inner_text() != "Ready for interview":
            page.reload()
    assert label.inner_text() == "Ready for interview"
    assert page.get_by_text("What the inspection found").is_visible()
    axe.check(page)
    page.get_by_role("link", name="My progress").first.click()
    assert "91.00%" in page.content()
    axe.check(page)

    # staff see it too
    log_out(page)
    log_in(page, "staff@example.org", PASSWORD)
    page.goto("/admin/submissions")
    assert "Ready for interview" in page.content()
    axe.check(page)
    for path in ("/admin/credits", "/admin/refund-budget"):
        page.goto(path)
        page.get_by_role("button", name="Record").first.click()  # empty: errors shown
        assert page.get_by_text("There is a problem").is_visible()
        axe.check(page)
    assert len(axe.checked) >= 14
