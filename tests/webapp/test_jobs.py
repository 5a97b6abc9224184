"""The durable job table: one claimant at a time, leases, backoff, the sweep. Both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from webapp import jobs
from webapp.db import get_database
from webapp.models import Job, JobState

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
POLICY = jobs.JobPolicy(
    max_attempts=3, retry_base_s=30, retry_max_s=100, lease_s=60, requeue_after_s=120
)


@pytest.fixture
def database(make_app, db_url):
    app = make_app(db_url)
    yield get_database(app)
    get_database(app).dispose()


def new_job(database, now=T0) -> int:
    with database.session() as session:
        return jobs.create_job(session, "inspect", POLICY, now=now).id


def test_a_job_is_claimed_once(database) -> None:
    job_id = new_job(database)
    first, second = database.new_session(), database.new_session()
    try:
        assert jobs.claim(first, job_id, "w1", POLICY, T0) is not None
        assert jobs.claim(second, job_id, "w2", POLICY, T0) is None
        job = second.get(Job, job_id)
        assert (job.state, job.worker, job.attempts) == (JobState.RUNNING, "w1", 1)
    finally:
        first.close()
        second.close()


def test_a_job_is_not_claimed_before_it_is_due(database) -> None:
    job_id = new_job(database, now=T0 + timedelta(minutes=5))
    session = database.new_session()
    assert jobs.claim(session, job_id, "w1", POLICY, T0) is None
    assert jobs.claim(session, job_id, "w1", POLICY, T0 + timedelta(minutes=5)) is not None
    session.close()


@pytest.mark.parametrize(
    ("elapsed_s", "claimable"),
    [(59, False), (60, False), (61, True)],
    ids=["before-lease-end", "at-lease-end", "after-lease-end"],
)
def test_a_dead_workers_job_is_claimable_after_its_lease(
    database, elapsed_s: int, claimable: bool
) -> None:
    job_id = new_job(database)
    session = database.new_session()
    assert jobs.claim(session, job_id, "dead", POLICY, T0) is not None
    taken = jobs.claim(session, job_id, "alive", POLICY, T0 + timedelta(seconds=elapsed_s))
    assert (taken is not None) == claimable
    if taken is not None:
        assert (taken.worker, taken.attempts) == ("alive", 2)
    session.close()


def test_heartbeat_extends_only_the_owners_lease(database) -> None:
    job_id = new_job(database)
    session = database.new_session()
    jobs.claim(session, job_id, "w1", POLICY, T0)
    assert jobs.heartbeat(session, job_id, "w1", POLICY, T0 + timedelta(seconds=50))
    assert not jobs.heartbeat(session, job_id, "w2", POLICY, T0 + timedelta(seconds=50))
    # the renewed lease keeps another worker out past the first lease's end
    assert jobs.claim(session, job_id, "w2", POLICY, T0 + timedelta(seconds=100)) is None
    session.close()


@pytest.mark.parametrize(
    ("attempt", "delay"),
    [(1, 30), (2, 60), (3, 100), (9, 100)],
    ids=["first", "doubles", "capped", "stays-capped"],
)
def test_backoff_doubles_up_to_its_cap(attempt: int, delay: float) -> None:
    assert POLICY.backoff_s(attempt) == delay


def test_transient_failures_retry_until_attempts_run_out(database) -> None:
    job_id = new_job(database)
    session = database.new_session()
    now = T0
    outcomes = []
    for _ in range(3):
        job = jobs.claim(session, job_id, "w", POLICY, now)
        assert job is not None
        outcome = jobs.fail(job, "GitHub is down", True, POLICY, now)
        session.commit()
        outcomes.append(outcome.retry_in_s)
        now = job.run_after if outcome.retry_in_s is not None else now
    job = session.get(Job, job_id)
    assert outcomes == [30, 60, None]
    assert (job.state, job.last_error, job.last_error_transient) == (
        JobState.FAILED,
        "GitHub is down",
        True,
    )
    session.close()


def test_a_permanent_failure_is_final_at_once(database) -> None:
    job_id = new_job(database)
    session = database.new_session()
    job = jobs.claim(session, job_id, "w", POLICY, T0)
    assert jobs.fail(job, "too large", False, POLICY, T0).final
    session.commit()
    assert session.get(Job, job_id).state == JobState.FAILED
    session.close()


def test_sweep_finds_lost_and_orphaned_jobs(database) -> None:
    never_sent = new_job(database)
    sent_recently = new_job(database)
    sent_long_ago = new_job(database)
    running_alive = new_job(database)
    running_dead = new_job(database)
    scheduled_later = new_job(database, now=T0 + timedelta(hours=1))
    session = database.new_session()
    now = T0 + timedelta(minutes=10)
    jobs.mark_enqueued(session, [sent_recently], now - timedelta(seconds=30))
    jobs.mark_enqueued(session, [sent_long_ago], now - timedelta(minutes=5))
    session.commit()
    jobs.claim(session, running_alive, "w1", POLICY, now - timedelta(seconds=10))
    jobs.claim(session, running_dead, "w2", POLICY, now - timedelta(minutes=5))
    due = jobs.stale_job_ids(session, POLICY, now)
    assert due == sorted([never_sent, sent_long_ago, running_dead])
    assert scheduled_later not in due
    session.close()
