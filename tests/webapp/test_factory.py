"""The application factory: configuration sources, the secret key, the queue, blueprints."""

from __future__ import annotations

import stat
import sys
import textwrap
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from reviewer.errors import ConfigError
from reviewer.settings import Settings
from webapp import blueprints, create_app
from webapp.config import build_config, load_secret_key
from webapp.db import normalise_url
from webapp.queue import get_queue


def test_config_defaults_live_in_the_data_dir(tmp_path: Path) -> None:
    config = build_config(Settings(data_dir=tmp_path), env={})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'reviewer.db'}"
    assert config["QUEUE_URL"] == f"sqlite:///{tmp_path / 'queue.db'}"
    assert config["SECRET_KEY"] is None


def test_config_reads_database_queue_and_secret_from_env(tmp_path: Path) -> None:
    env = {
        "REVIEWER_DATABASE_URL": "postgresql://u:p@db/reviewer",
        "REVIEWER_QUEUE_URL": "redis://queue:6379/0",
        "REVIEWER_SECRET_KEY": "s3cret",
    }
    config = build_config(Settings(data_dir=tmp_path), env=env)
    assert (config["DATABASE_URL"], config["QUEUE_URL"], config["SECRET_KEY"]) == (
        "postgresql://u:p@db/reviewer",
        "redis://queue:6379/0",
        "s3cret",
    )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
    ids=["postgresql", "postgres-alias", "explicit-driver", "sqlite"],
)
def test_database_url_uses_psycopg3(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_secret_key_is_generated_once_with_owner_only_permissions(tmp_path: Path) -> None:
    first = load_secret_key(tmp_path / "data")
    second = load_secret_key(tmp_path / "data")
    path = tmp_path / "data" / "secret_key"
    assert first == second and len(first) >= 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_app_without_secret_key_uses_the_stored_one(tmp_path: Path, sqlite_url: str) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    app = create_app({"REVIEWER_SETTINGS": settings, "DATABASE_URL": sqlite_url})
    assert app.config["SECRET_KEY"] == (tmp_path / "d" / "secret_key").read_text()


@pytest.mark.parametrize(
    ("url", "kind"),
    [("redis://127.0.0.1:1/0", RedisHuey), ("sqlite:///{tmp}/q.db", SqliteHuey)],
    ids=["redis", "sqlite"],
)
def test_queue_storage_follows_the_queue_url(
    make_app, sqlite_url: str, tmp_path: Path, url: str, kind: type
) -> None:
    app = make_app(sqlite_url, QUEUE_URL=url.format(tmp=tmp_path))
    assert isinstance(get_queue(app).huey, kind)


def test_queue_url_of_unknown_kind_is_a_config_error(make_app, sqlite_url: str) -> None:
    with pytest.raises(ConfigError, match="REVIEWER_QUEUE_URL"):
        make_app(sqlite_url, QUEUE_URL="amqp://broker")


def test_optional_blueprint_is_registered_when_its_module_exists(
    make_app, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pkgs" / "extra_side"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        textwrap.dedent(
            """
            from flask import Blueprint
            bp = Blueprint("extra_side", __name__)

            @bp.route("/hello")
            def hello():
                return "hello from the extra side"
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    optional = (("extra_side", "/extra"), ("no_such_side_module", "/none"))
    monkeypatch.setattr(blueprints, "OPTIONAL", optional)
    try:
        app = make_app(sqlite_url, OPTIONAL_BLUEPRINTS=blueprints.OPTIONAL)
        assert app.test_client().get("/extra/hello").data == b"hello from the extra side"
        assert "no_such_side_module" not in app.extensions["blueprint_modules"]
    finally:
        sys.modules.pop("extra_side", None)


def test_responses_carry_security_headers(client) -> None:
    response = client.get("/auth/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
