"""Fixtures of the web app's tests: flaskr's app/client/runner/auth set, with a temporary
database per test (a copy of a migrated SQLite file, or a fresh PostgreSQL schema).

PostgreSQL runs when ``REVIEWER_TEST_POSTGRES_URL`` is set; without it those parameters skip,
except under ``CI=true`` where they fail (CI must not silently lose the PostgreSQL half).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browsersupport import CHROMIUM, LAUNCH_ARGS, AxeChecker, chromium_or_skip, serving
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, inspect, text
from websupport import FAST_HASH, PASSWORD, FakeEngine, create_user

from reviewer.settings import Settings
from webapp import create_app
from webapp.db import get_database, normalise_url
from webapp.migrate import upgrade

POSTGRES_ENV = "REVIEWER_TEST_POSTGRES_URL"


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: the PostgreSQL tests cannot run.")
    pytest.skip(f"{POSTGRES_ENV} is not set")


# -- databases ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once to the latest schema; each test gets a copy."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A schema of its own in the test server, migrated once, dropped at the end."""
    base = postgres_url_or_skip()
    schema = f"rt_{uuid.uuid4().hex[:10]}"
    engine = create_engine(normalise_url(base))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        upgrade(url)
        yield url
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _truncate_postgres(url: str) -> None:
    engine = create_engine(normalise_url(url))
    try:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        names = ", ".join(f'"{t}"' for t in tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Persistence tests run on both databases (use this fixture to opt in)."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_schema_url")
        _truncate_postgres(url)
        return url
    copy = tmp_path / "reviewer.db"
    shutil.copyfile(sqlite_template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    copy = tmp_path / "reviewer.db"
    shutil.copyfile(sqlite_template, copy)
    return f"sqlite:///{copy}"


# -- the app -----------------------------------------------------------------------------------


@pytest.fixture
def forge(tmp_path: Path) -> Path:
    """Where test repositories are published (``gitrepo.publish``) for the clone template."""
    path = tmp_path / "forge"
    path.mkdir()
    return path


@pytest.fixture
def settings(tmp_path: Path, forge: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        use_github_api=False,
        clone_url_template=str(forge / "{owner}" / "{name}.git"),
    )


@pytest.fixture
def make_app(tmp_path: Path, settings: Settings) -> Callable[..., Flask]:
    def build(database_url: str, **overrides: Any) -> Flask:
        config: dict[str, Any] = {
            "TESTING": True,
            "REVIEWER_SETTINGS": settings,
            "DATABASE_URL": database_url,
            "QUEUE_URL": "memory://",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "JOB_RETRY_BASE_S": 0.0,
            "JOB_LEASE_S": 60.0,
            # the other sides of the app are tested by their own suites (test_access adds them)
            "OPTIONAL_BLUEPRINTS": (),
        }
        config.update(overrides)
        return create_app(config)

    return build


@pytest.fixture
def app(make_app: Callable[..., Flask], sqlite_url: str) -> Iterator[Flask]:
    application = make_app(sqlite_url)
    yield application
    get_database(application).dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# -- people ------------------------------------------------------------------------------------


@pytest.fixture
def make_user(app: Flask) -> Callable[..., int]:
    def create(email: str, role: str = "candidate", password: str = PASSWORD) -> int:
        return create_user(app, email, role, password)

    return create


@dataclass
class AuthActions:
    client: FlaskClient

    def register(
        self, email: str = "cand@example.org", password: str = PASSWORD, name: str = "Cand"
    ) -> Any:
        return self.client.post(
            "/auth/register",
            data={"name": name, "email": email, "password": password, "confirm": password},
        )

    def login(self, email: str = "cand@example.org", password: str = PASSWORD) -> Any:
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


# -- the engine, faked where a test is about the web side --------------------------------------


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    from webapp import reviews

    engine = FakeEngine(calls=[])
    monkeypatch.setattr(reviews, "inspect", engine.inspect)
    return engine


# -- browsers (the tests marked ``browser``; helpers in browsersupport.py) ---------------------


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """``serve(app, queue_workers=0)`` serves ``app`` live until the test ends; returns its URL."""
    with ExitStack() as stack:
        yield lambda app, queue_workers=0: stack.enter_context(serving(app, queue_workers))


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium, launched through Playwright (never a downloaded browser)."""
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=list(LAUNCH_ARGS))
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def axe() -> AxeChecker:
    return AxeChecker()
