"""In a real browser (Debian's Chromium through Playwright): a blog editor logs in, creates a
suggestion (first with mistakes, which are shown beside their fields without losing what was
typed), previews it (button and live preview), saves it and downloads the blog export — with
axe-core finding no serious or critical violation on any page visited.

Skipped when Chromium is missing, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websupport import FAST_HASH, PASSWORD
from werkzeug.serving import make_server

from webapp import accounts
from webapp.db import get_database

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
BLOCKING_IMPACTS = {"serious", "critical"}
TITLE = "Speech commands on a microcontroller"
SHIPPED = Path(__file__).resolve().parents[2] / "suggested_projects"


@pytest.fixture
def live_app(make_app, sqlite_url: str) -> Iterator[str]:
    app = make_app(
        sqlite_url, WTF_CSRF_ENABLED=True, OPTIONAL_BLUEPRINTS=(("webapp.editor", "/editor"),)
    )
    with get_database(app).session() as session:
        accounts.create_user(
            session, "editor@example.org", PASSWORD, "editor",
            accounts.PasswordPolicy(hash_method=FAST_HASH),
        )  # fmt: skip
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        get_database(app).dispose()


@pytest.fixture
def page(live_app: str) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is not installed")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        context = browser.new_context(
            base_url=live_app, viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def assert_accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    assert blocking == [], f"{page.url}: {blocking}"


def test_editor_creates_previews_saves_and_exports_a_suggestion(page: Any) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill("editor@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Suggested projects").first.click()
    page.wait_for_url("**/editor/")
    shipped = len(list(SHIPPED.glob("*.yaml")))  # seeded from the files on the first visit
    assert page.get_by_role("heading", name=f"{shipped} suggestions").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="New suggestion").click()
    page.get_by_label("Title").fill("KWS")  # too short, and nothing else filled in
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "The title is too short" in summary.inner_text()
    assert page.get_by_label("Title").input_value() == "KWS"  # kept
    assert page.get_by_label("Title").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

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
    assert_accessible(page)

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
    assert_accessible(page)

    page.get_by_role("link", name="Back to the suggestions").click()
    page.get_by_label("What to download").select_option("jekyll")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    download = info.value
    assert download.suggested_filename == "suggested-projects-blog.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        page_text = archive.read("suggested-projects/multimodal.md").decode()
    assert f"## {TITLE} (v2)" in page_text
