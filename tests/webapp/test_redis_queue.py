"""Redis storage: two workers (separate Huey instances, as on two machines) share the work.

Uses ``REVIEWER_TEST_REDIS_URL`` when set; otherwise starts a throw-away ``redis-server`` on a
free port (skipped when none is installed, failed under ``CI=true``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from websupport import PASSWORD, create_user, fake_report, pass_knowledge_test

from webapp import reviews
from webapp.db import get_database
from webapp.models import Job, Submission
from webapp.queue import get_queue

pytestmark = pytest.mark.redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("REVIEWER_TEST_REDIS_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    pidfile = workdir / "redis.pid"
    subprocess.run(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes",
         "--save", "", "--appendonly", "no", "--dir", str(workdir),
         "--pidfile", str(pidfile)],
        check=True, capture_output=True, timeout=10,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(pidfile)


def _stop(pidfile: Path) -> None:
    deadline = time.monotonic() + 5
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if pidfile.exists():
        pid = int(pidfile.read_text().strip())
        os.kill(pid, 15)  # the server we started, by its own pid


def test_two_workers_share_the_reviews(make_app, sqlite_url, redis_url, monkeypatch) -> None:
    name = f"reviewer-test-{uuid.uuid4().hex[:8]}"
    web, worker_a, worker_b = (
        make_app(sqlite_url, QUEUE_URL=redis_url, QUEUE_NAME=name, QUEUE_POLL_MAX_S=0.2)
        for _ in range(3)
    )
    both_running = threading.Barrier(2, timeout=15)
    seen_threads: set[int] = set()

    def inspect_in_parallel(ref, commit, settings):
        seen_threads.add(threading.get_ident())
        both_running.wait()  # only two workers at once get past this
        return fake_report(ref, commit or "d" * 40)

    monkeypatch.setattr(reviews, "inspect", inspect_in_parallel)
    create_user(web, "cand@example.org")
    pass_knowledge_test(web, "cand@example.org", "ml-expert")
    pass_knowledge_test(web, "cand@example.org", "mlops")
    client = web.test_client()
    client.post("/auth/login", data={"email": "cand@example.org", "password": PASSWORD})
    for cert, repo in (("ml-expert", "one"), ("mlops", "two")):
        response = client.post(
            "/submissions/new",
            data={"certification": cert, "repo_url": f"https://github.com/Ada/{repo}"},
        )
        assert response.status_code == 302
    assert get_queue(web).huey.pending_count() == 2
    consumers = [get_queue(w).consumer(workers=1, embedded=True) for w in (worker_a, worker_b)]
    for consumer in consumers:
        consumer.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with get_database(web).session() as session:
                states = session.scalars(select(Submission.state)).all()
            if states and all(s == "ready" for s in states):
                break
            time.sleep(0.1)
    finally:
        for consumer in consumers:
            consumer.stop(graceful=True)
        get_queue(web).huey.flush()
    assert states == ["ready", "ready"]
    assert len(seen_threads) == 2
    with get_database(web).session() as session:
        workers = set(session.scalars(select(Job.worker).where(Job.worker.is_not(None))))
    assert len(workers) == 2
