"""The web app's ``reviewer`` subcommands: serve, worker, users, knowledge-tests, db.

Exit codes as everywhere: 0 ok, 2 bad input (the reason on one line).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from flask import Flask

EXIT_BAD_INPUT = 2


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo("reviewer: " + " ".join(message.split()), err=True)
    raise SystemExit(code)


def _app(extra: dict[str, Any] | None = None) -> Flask:
    from reviewer.errors import ConfigError
    from webapp import create_app

    try:
        return create_app(extra)
    except ConfigError as err:
        _fail(str(err))


def _require_schema(app: Flask) -> None:
    from webapp.migrate import is_up_to_date

    if not is_up_to_date(app.config["DATABASE_URL"]):
        _fail("The database schema is missing or out of date: run `reviewer db upgrade` first.")


# -- db --------------------------------------------------------------------------------------


@click.group("db")
def db_group() -> None:
    """Create or update the web app's database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION (the latest by default)."""
    from webapp.migrate import current_revision, upgrade

    app = _app()
    url = app.config["DATABASE_URL"]
    upgrade(url, revision)
    click.echo(f"Database at revision {current_revision(url)}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Undo migrations down to REVISION ("base" removes every table)."""
    from webapp.migrate import current_revision, downgrade

    app = _app()
    downgrade(app.config["DATABASE_URL"], revision)
    click.echo(f"Database at revision {current_revision(app.config['DATABASE_URL'])}.")


@db_group.command("current")
def db_current() -> None:
    """Print the schema revision of the database and the latest one."""
    from webapp.migrate import current_revision, head_revision

    app = _app()
    click.echo(f"current: {current_revision(app.config['DATABASE_URL'])}")
    click.echo(f"latest:  {head_revision()}")


# -- users -----------------------------------------------------------------------------------


@click.group("users")
def users_group() -> None:
    """Create and list accounts (candidates can also register themselves)."""


@users_group.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["candidate", "interviewer", "editor", "staff"]),
    required=True,
    help="What the account may do.",
)
@click.option("--name", default="", help="The person's name.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def users_create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create the account EMAIL with ROLE; the password is prompted for (or read from stdin)."""
    from webapp import accounts
    from webapp.db import get_database

    app = _app()
    _require_schema(app)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    policy = accounts.PasswordPolicy(
        min_length=int(app.config["PASSWORD_MIN_LENGTH"]),
        hash_method=app.config["PASSWORD_HASH_METHOD"],
    )
    try:
        with get_database(app).session() as session:
            user = accounts.create_user(session, email, password, role, policy, name=name)
            created = f"Created {user.email} ({user.role})."
    except accounts.AccountError as err:
        _fail(f"{err.field}: {err.message}")
    click.echo(created)


@users_group.command("list")
@click.option(
    "--role", type=click.Choice(["candidate", "interviewer", "editor", "staff"]), default=None
)
def users_list(role: str | None) -> None:
    """List accounts (e-mail, role, name), tab-separated."""
    from webapp import accounts
    from webapp.db import get_database

    app = _app()
    _require_schema(app)
    with get_database(app).session() as session:
        for user in accounts.list_users(session, role):
            state = "" if user.active else "\t(inactive)"
            click.echo(f"{user.email}\t{user.role}\t{user.name}{state}")


# -- knowledge tests -------------------------------------------------------------------------


@click.group("knowledge-tests")
def knowledge_tests_group() -> None:
    """Knowledge-test results (CSV: candidate e-mail, certification id, date, score %)."""


@knowledge_tests_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def knowledge_tests_import(file: Path) -> None:
    """Import FILE. Every bad row is reported with its row number and nothing is imported
    unless all rows are right; importing the same file again changes nothing."""
    from webapp import knowledge_tests
    from webapp.db import get_database
    from webapp.models import utcnow

    app = _app()
    _require_schema(app)
    data = file.read_bytes()
    database = get_database(app)
    session = database.new_session()
    try:
        try:
            result = knowledge_tests.import_file(
                session, data, app.config["PROGRAM_CONFIG"], utcnow().date(), filename=file.name
            )
        except knowledge_tests.ImportFileError as err:
            _fail(f"{file}: {err}")
        if not result.ok:
            session.rollback()
            for error in result.errors:
                click.echo(f"{file}: row {error.row}: {error.message}", err=True)
            _fail(f"{file}: nothing imported ({len(result.errors)} problem(s)).")
        session.commit()
    finally:
        session.close()
    click.echo(f"Imported {result.created} new result(s); {result.unchanged} already recorded.")


# -- worker and serve ------------------------------------------------------------------------


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("werkzeug", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _worker_type_option(fn: Any) -> Any:
    return click.option(
        "--worker-type",
        type=click.Choice(["thread", "process"]),
        default="thread",
        show_default=True,
        help="Threads share one process; processes use several cores.",
    )(fn)


@click.command("worker")
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=1, show_default=True)
@_worker_type_option
@click.option("--demo", is_flag=True, help="Also serve the demo repository's host.")
def worker_cmd(workers: int, worker_type: str, demo: bool) -> None:
    """Run review workers (SQLite queue by default; REVIEWER_QUEUE_URL=redis://… to share the
    work between machines). Stop with Ctrl-C; an interrupted review is retried."""
    from webapp.queue import get_queue

    _logging()
    app = _app()
    _require_schema(app)
    if demo:
        from webapp.demo import setup

        setup.configure(app.config, app.config["REVIEWER_SETTINGS"].data_dir)
    queue = get_queue(app)
    click.echo(f"reviewer worker: {workers} {worker_type} worker(s) on {_queue_label(app)}")
    queue.consumer(workers=workers, worker_type=worker_type).run()


def _queue_label(app: Flask) -> str:
    url = str(app.config["QUEUE_URL"])
    if "@" in url:  # hide credentials
        scheme, _, rest = url.partition("://")
        url = f"{scheme}://…@{rest.rpartition('@')[2]}"
    return url


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(0, 16),
    default=1,
    show_default=True,
    help="Review workers in this process (0: run `reviewer worker` separately).",
)
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="Demo accounts on an empty database and a local sample repository.",
)
def serve_cmd(host: str, port: int, workers: int, demo: bool) -> None:
    """Run the web app and a review worker in one process, on embedded defaults (SQLite in
    REVIEWER_DATA_DIR). The database schema is brought up to date first.

    For production, run the app under gunicorn ("webapp:create_app()") and `reviewer worker`.
    """
    from werkzeug.serving import make_server

    from webapp.migrate import upgrade
    from webapp.queue import get_queue

    _logging()
    app = _app()
    upgrade(app.config["DATABASE_URL"])
    if demo:
        from webapp.demo import setup

        setup.configure(app.config, app.config["REVIEWER_SETTINGS"].data_dir)
        info = setup.ensure_demo(app)
        click.echo(info.describe() if info.credentials else "Demo repository: "
                   + info.repository_url)  # fmt: skip
    consumer = get_queue(app).consumer(workers=workers, embedded=True) if workers else None
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as err:
        _fail(f"Cannot listen on {host}:{port}: {err.strerror or err}.")
    if consumer is not None:
        consumer.start()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)  # also when started in the background or by systemd
    click.echo(f"\nServing on http://{host}:{server.server_port}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if consumer is not None:
            click.echo("Stopping the worker (an unfinished review is retried at next start)…")
            stopper = threading.Thread(target=consumer.stop, kwargs={"graceful": True})
            stopper.start()
            stopper.join(timeout=10)
