"""Real Huey workers (SQLite storage) running the review jobs: nothing is lost when a message
is lost or a worker dies, and a running job keeps its lease while it works."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from websupport import PASSWORD, create_user, pass_knowledge_test

from webapp import jobs
from webapp.db import get_database
from webapp.models import Job, JobState, Submission, utcnow
from webapp.queue import get_queue, job_policy

URL = "https://github.com/Ada/churn-model"


@pytest.fixture
def queued_app(make_app, sqlite_url: str, tmp_path: Path):
    app = make_app(sqlite_url, QUEUE_URL=f"sqlite:///{tmp_path / 'queue.db'}",
                   QUEUE_POLL_MAX_S=0.2)  # fmt: skip
    yield app
    get_database(app).dispose()


def login_candidate(app) -> object:
    create_user(app, "cand@example.org")
    pass_knowledge_test(app, "cand@example.org")
    client = app.test_client()
    client.post("/auth/login", data={"email": "cand@example.org", "password": PASSWORD})
    return client


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def submission_state(app) -> str | None:
    with get_database(app).session() as session:
        return session.scalar(select(Submission.state))


class Worker:
    def __init__(self, app, workers: int = 1) -> None:
        self.consumer = get_queue(app).consumer(workers=workers, embedded=True)

    def __enter__(self) -> Worker:
        self.consumer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.consumer.stop(graceful=True)


def test_a_worker_reviews_a_submission(queued_app, fake_engine) -> None:
    client = login_candidate(queued_app)
    client.post("/submissions/new", data={"certification": "ml-expert", "repo_url": URL})
    with Worker(queued_app):
        assert wait_for(lambda: submission_state(queued_app) == "ready")


def test_a_lost_message_is_sent_again_when_a_worker_starts(
    make_app, sqlite_url, tmp_path, fake_engine
) -> None:
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    web = make_app(sqlite_url, QUEUE_URL=queue_url, QUEUE_ENQUEUE=False)  # the send is lost
    client = login_candidate(web)
    client.post("/submissions/new", data={"certification": "ml-expert", "repo_url": URL})
    assert get_queue(web).huey.pending_count() == 0
    worker_app = make_app(sqlite_url, QUEUE_URL=queue_url, QUEUE_POLL_MAX_S=0.2)
    with Worker(worker_app):
        assert wait_for(lambda: submission_state(worker_app) == "ready")


def test_a_killed_workers_job_is_taken_over(queued_app, fake_engine) -> None:
    client = login_candidate(queued_app)
    client.post("/submissions/new", data={"certification": "ml-expert", "repo_url": URL})
    policy = job_policy(queued_app.config)
    database = get_database(queued_app)
    # a worker took the job and died: its lease ran out long ago, the message is gone
    with database.session() as session:
        job_id = session.scalar(select(Job.id))
    session = database.new_session()
    job = jobs.claim(session, job_id, "dead-worker", policy)
    assert job is not None
    job.lease_until = utcnow() - timedelta(seconds=1)  # no heartbeat came
    session.commit()
    session.close()
    get_queue(queued_app).huey.flush()
    with Worker(queued_app):
        assert wait_for(lambda: submission_state(queued_app) == "ready")
    with database.session() as session:
        job = session.get(Job, job_id)
        assert (job.state, job.attempts) == (JobState.DONE, 2)
        assert job.worker != "dead-worker"


def test_a_long_review_keeps_its_lease(make_app, sqlite_url, tmp_path,
                                       fake_engine, monkeypatch) -> None:  # fmt: skip
    app = make_app(sqlite_url, QUEUE_URL=f"sqlite:///{tmp_path / 'q.db'}", JOB_LEASE_S=0.4,
                   QUEUE_POLL_MAX_S=0.2)  # fmt: skip
    client = login_candidate(app)
    started, release = threading.Event(), threading.Event()
    real_inspect = fake_engine.inspect

    def slow_inspect(ref, commit, settings):
        started.set()
        release.wait(10)
        return real_inspect(ref, commit, settings)

    from webapp import reviews

    monkeypatch.setattr(reviews, "inspect", slow_inspect)
    client.post("/submissions/new", data={"certification": "ml-expert", "repo_url": URL})
    policy = job_policy(app.config)
    with Worker(app):
        assert started.wait(10)
        time.sleep(1.0)  # more than two lease lengths: only heartbeats keep the job
        session = get_database(app).new_session()
        with get_database(app).session() as s:
            job_id = s.scalar(select(Job.id))
        assert jobs.claim(session, job_id, "intruder", policy) is None
        session.close()
        release.set()
        assert wait_for(lambda: submission_state(app) == "ready")
    assert len(fake_engine.calls) == 1
