"""The job queue: Huey carries job ids from the web app to the workers.

SQLite storage in the data directory by default; Redis storage when ``REVIEWER_QUEUE_URL`` is
``redis://…`` so several worker machines share the work. The durable state is the ``jobs``
table (``webapp.jobs``): a message that is lost, duplicated or delivered to a worker that dies
is made good by the sweep, which runs every minute and whenever a worker starts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

from reviewer.errors import ConfigError
from webapp import inspections, jobs, ratelimit
from webapp.db import get_database

if TYPE_CHECKING:
    from flask import Flask

logger = logging.getLogger(__name__)


def make_huey(url: str, name: str = "reviewer", immediate: bool = False) -> Huey:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False, immediate=immediate)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False, immediate=immediate)
    if url == "memory://":
        return MemoryHuey(name, results=False, immediate=immediate)
    raise ConfigError(
        f"REVIEWER_QUEUE_URL must start with sqlite:/// or redis://, not {url.split(':')[0]!r}."
    )


class NoOpConsumer(Consumer):
    """A consumer that leaves signal handling to its host (``reviewer serve``, tests)."""

    def _set_signal_handlers(self) -> None:
        return None


class JobQueue:
    """The app's queue: sends job ids, and defines the tasks workers run."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = make_huey(
            app.config["QUEUE_URL"],
            name=app.config.get("QUEUE_NAME", "reviewer"),
            immediate=bool(app.config.get("QUEUE_IMMEDIATE")),
        )
        self._register_tasks()
        app.extensions["job_queue"] = self

    # -- the tasks ------------------------------------------------------------------------------
    def _register_tasks(self) -> None:
        huey = self.huey

        @huey.task(name="run_review_job")
        def run_review_job(job_id: int) -> None:
            self.run(job_id)

        @huey.periodic_task(
            crontab(minute=f"*/{self.app.config['JOB_SWEEP_EVERY_MIN']}"), name="sweep_jobs"
        )
        def sweep_jobs() -> None:
            self.sweep()

        @huey.on_startup(name="sweep_at_start")
        def sweep_at_start() -> None:
            try:
                self.sweep()
            except Exception:
                logger.exception("The start-up sweep of the job table failed")

        self._run_task = run_review_job

    def context(self) -> inspections.PipelineContext:
        return pipeline_context(self.app.config)

    def run(self, job_id: int) -> inspections.RunOutcome:
        outcome = inspections.run_job(get_database(self.app), job_id, self.context())
        if outcome.status == "retry" and outcome.retry_in_s is not None:
            self._send(job_id, delay=outcome.retry_in_s)
        return outcome

    # -- sending ------------------------------------------------------------------------------
    def _send(self, job_id: int, delay: float | None = None) -> None:
        if delay:
            self._run_task.schedule(args=(job_id,), delay=delay)
        else:
            self._run_task(job_id)

    def send(self, job_ids: list[int]) -> None:
        """Send committed jobs to the workers; a failure to send is repaired by the sweep."""
        if not job_ids or not self.app.config.get("QUEUE_ENQUEUE", True):
            return
        sent: list[int] = []
        for job_id in job_ids:
            try:
                self._send(job_id)
            except Exception:
                logger.warning("Could not queue job %s; the sweep will", job_id, exc_info=True)
            else:
                sent.append(job_id)
        if sent and not self.huey.immediate:
            with get_database(self.app).session() as session:
                jobs.mark_enqueued(session, sent)

    def sweep(self) -> list[int]:
        """Send again every job that is due but not in flight (lost, or its worker died)."""
        database = get_database(self.app)
        with database.session() as session:
            due = jobs.stale_job_ids(session, job_policy(self.app.config))
            ratelimit.prune(session)
        if due:
            logger.info("Sweep: sending jobs %s again", due)
            self.send(due)
        return due

    # -- workers ------------------------------------------------------------------------------
    def consumer(
        self, workers: int = 1, worker_type: str = "thread", embedded: bool = False
    ) -> Consumer:
        cls = NoOpConsumer if embedded else Consumer
        options: dict[str, Any] = {
            "workers": workers,
            "worker_type": worker_type,
            "periodic": True,
            "max_delay": float(self.app.config["QUEUE_POLL_MAX_S"]),
            "check_worker_health": True,
        }
        return cls(self.huey, **options)


def job_policy(config: Any) -> jobs.JobPolicy:
    return jobs.JobPolicy(
        max_attempts=int(config["JOB_MAX_ATTEMPTS"]),
        retry_base_s=float(config["JOB_RETRY_BASE_S"]),
        retry_max_s=float(config["JOB_RETRY_MAX_S"]),
        lease_s=float(config["JOB_LEASE_S"]),
        requeue_after_s=float(config["JOB_REQUEUE_AFTER_S"]),
    )


def pipeline_context(config: Any) -> inspections.PipelineContext:
    return inspections.PipelineContext(
        settings=config["REVIEWER_SETTINGS"],
        policy=job_policy(config),
        program=config["PROGRAM_CONFIG"],
        local_forges=tuple(config.get("LOCAL_FORGES") or ()),
    )


def get_queue(app: Flask | None = None) -> JobQueue:
    from flask import current_app

    queue: JobQueue = (app or current_app).extensions["job_queue"]
    return queue
