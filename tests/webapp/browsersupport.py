"""What the browser tests share (import as ``from browsersupport import ...``): Debian's Chromium
driven by Playwright, a live server running an app in a thread of this process, and axe-core's
accessibility check. The fixtures built on these (``browser``, ``serve``, ``axe``) are in
``conftest.py``.

Without Chromium the browser tests skip, except under ``CI=true`` where that is a failure.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from flask import Flask
from websupport import PASSWORD
from werkzeug.serving import make_server

from webapp.db import get_database
from webapp.queue import get_queue

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
)  # fmt: skip
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
TIMEOUT_MS = 15_000


def chromium_or_skip() -> None:
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {CHROMIUM} is not installed")
    pytest.skip(f"{CHROMIUM} is not installed")


@contextmanager
def serving(app: Flask, queue_workers: int = 0) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 (with ``queue_workers`` embedded workers running
    its job queue, if any) until the block ends; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with ExitStack() as stack:  # stops in reverse: workers, server, database connections
        stack.callback(get_database(app).dispose)
        stack.callback(server.shutdown)
        if queue_workers:
            consumer = get_queue(app).consumer(workers=queue_workers, embedded=True)
            consumer.start()
            stack.callback(consumer.stop, graceful=True)
        yield f"http://127.0.0.1:{server.server_port}"


def open_page(browser: Any, base_url: str, width: int, height: int, **options: Any) -> Any:
    """A page in a new browser context (its own cookies) of the given viewport size."""
    context = browser.new_context(
        base_url=base_url, viewport={"width": width, "height": height}, **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def log_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the log-in form (does not wait for the page that follows)."""
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


class AxeChecker:
    """Runs axe-core on a page; fails on any serious or critical violation and keeps the list
    of the pages checked (so a test can assert how many it covered)."""

    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def check(self, page: Any) -> None:
        results = self.axe.run(page)
        blocking = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in BLOCKING_IMPACTS
        ]
        assert blocking == [], f"{page.url}: {blocking}"
        self.checked.append(page.url)
