"""In a real browser (Debian's Chromium through Playwright): a blog editor logs in, creates a
suggestion (first with mistakes, which are shown beside their fields without losing what was
typed), previews it (button and live preview), saves it and downloads the blog export — with
axe-core finding no serious or critical violation on any page visited.

Skipped when Chromium is missing, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browsersupport import AxeChecker, log_in, open_page
from websupport import create_user

pytestmark = pytest.mark.browser

TITLE = "Speech commands on a microcontroller"
SHIPPED = Path(__file__).resolve().parents[2] / "suggested_projects"


@pytest.fixture
def live_app(make_app, sqlite_url: str, serve: Callable[..., str]) -> str:
    app = make_app(
        sqlite_url, WTF_CSRF_ENABLED=True, OPTIONAL_BLUEPRINTS=(("webapp.editor", "/editor"),)
    )
    create_user(app, "editor@example.org", "editor")
    return serve(app)


@pytest.fixture
def page(live_app: str, browser: Any) -> Any:
    return open_page(browser, live_app, 1280, 900, accept_downloads=True)


def test_editor_creates_previews_saves_and_exports_a_suggestion(page: Any, axe: AxeChecker) -> None:
    log_in(page, "editor@example.org")

    page.get_by_role("link", name="Suggested projects").first.click()
    page.wait_for_url("**/editor/")
    shipped = len(list(SHIPPED.glob("*.yaml")))  # seeded from the files on the first visit
    assert page.get_by_role("heading", name=f"{shipped} suggestions").is_visible()
    axe.check(page)

    page.get_by_role("link", name="New suggestion").click()
    page.get_by_label("Title").fill("KWS")  # too short, and nothing else filled in
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "The title is too short" in summary.inner_text()
    assert page.get_by_label("Title").input_value() == "KWS"  # kept
    assert page.get_by_label("Title").get_attribute("aria-invalid") == "true"
    axe.check(page)

    page.get_by_label("Id", exact=True).fill("keyword-spotting-mcu")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill(
        "Train a keyword-spotting model small enough for a microcontroller.\n\n"
        "Measure accuracy against latency, memory and energy on a stated board."
    )
    page.get_by_label("Counts for Multimodal ML").check()
    page.get_by_label("Application, efficiency and serving").check()
    page.get_by_label("Evaluation of multimodal systems").check()
    page.get_by_label("Advanced").check()
    page.get_by_label("Estimated hours").fill("60")
    dataset = page.get_by_role("group", name="Dataset 1")
    dataset.get_by_label("Name").fill("Speech Commands v2")
    dataset.get_by_label("Web address").fill(
        "https://www.tensorflow.org/datasets/catalog/speech_commands"
    )
    dataset.get_by_label("License").fill("CC BY 4.0")
    page.get_by_label("Milestones").fill("Baseline on a laptop\nQuantise to int8\nRun on the board")
    page.get_by_label("Stretch goals").fill("Add a wake-word false-alarm study")
    page.get_by_label("Interview questions").fill("Why int8?\nHow did you measure energy?")

    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview-body")
    assert preview.get_by_role("heading", name=TITLE).is_visible()
    assert "Application, efficiency and serving" in preview.inner_text()
    axe.check(page)

    # The live preview follows the typing (the small script), without pressing the button.
    page.get_by_label("Title").fill(TITLE + " (v2)")
    preview.get_by_role("heading", name=TITLE + " (v2)").wait_for()

    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/editor/")
    assert page.get_by_text(f"Saved \u201c{TITLE} (v2)\u201d.").is_visible()
    assert page.get_by_role("link", name=TITLE + " (v2)").is_visible()

    page.get_by_role("link", name="Preview the blog pages").click()
    page.get_by_role("navigation", name="Blog pages").get_by_role(
        "link", name="Multimodal ML"
    ).click()
    assert page.get_by_role("heading", name=TITLE + " (v2)").is_visible()
    axe.check(page)

    page.get_by_role("link", name="Back to the suggestions").click()
    page.get_by_label("What to download").select_option("jekyll")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    download = info.value
    assert download.suggested_filename == "suggested-projects-blog.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        page_text = archive.read("suggested-projects/multimodal.md").decode()
    assert f"## {TITLE} (v2)" in page_text
