"""The database: one engine per app, one session per request (or per job), closed after it.

``Database`` is created unbound and bound with ``init_app`` (the extension pattern); jobs and
commands open their own sessions with ``Database.session()``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs use psycopg 3 (the driver we install)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
        # A fresh connection per checkout: several threads (web + worker) and processes share
        # the file; WAL lets readers proceed while one writer writes.
        engine = create_engine(
            url, poolclass=NullPool, connect_args={"timeout": 30, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fewer fsyncs
            cur.close()

        return engine
    engine = create_engine(url, pool_pre_ping=True)
    # A forked worker process must not reuse the parent's connections.
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    return engine


class Database:
    def __init__(self, app: Flask | None = None) -> None:
        self.engine: Engine | None = None
        self._factory: sessionmaker[Session] | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        app.extensions["database"] = self
        app.teardown_appcontext(_close_request_session)

    @property
    def url(self) -> str:
        assert self.engine is not None
        return self.engine.url.render_as_string(hide_password=False)

    def new_session(self) -> Session:
        assert self._factory is not None, "Database.init_app was not called"
        return self._factory()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for work outside a request: committed on success, rolled back on error."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def get_database(app: Flask | None = None) -> Database:
    database: Database = (app or current_app).extensions["database"]
    return database


def get_session() -> Session:
    """The current request's session (created on first use, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = get_database().new_session()
    session: Session = g.db_session
    return session


def _close_request_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
