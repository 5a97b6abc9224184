"""The app's configuration, built from ``Settings`` and the environment by the factory.

``REVIEWER_DATABASE_URL``  default ``sqlite:///<data dir>/reviewer.db``
``REVIEWER_QUEUE_URL``     default ``sqlite:///<data dir>/queue.db``; ``redis://…`` for Redis
``REVIEWER_SECRET_KEY``    default: generated once, stored in ``<data dir>/secret_key`` (0600)
``REVIEWER_PROXY_COUNT``   reverse proxies in front of the app (client address for rate limits)
``REVIEWER_SECURE_COOKIES`` ``1`` when served over HTTPS
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reviewer.settings import Settings

SECRET_KEY_FILE = "secret_key"

#: Tunables of the web app (the program's own numbers live in ``reviewer.program``).
DEFAULTS: dict[str, Any] = {
    # rate limits: (count, window in seconds)
    "RATE_LIMIT_LOGIN": (10, 15 * 60),  # per account
    "RATE_LIMIT_LOGIN_ADDRESS": (50, 15 * 60),  # per client address (offices share one)
    "RATE_LIMIT_REGISTER": (10, 60 * 60),  # per client address
    "RATE_LIMIT_SUBMIT": (10, 60 * 60),  # per candidate
    # background jobs
    "JOB_MAX_ATTEMPTS": 5,
    "JOB_RETRY_BASE_S": 30.0,  # 30 s, 60 s, 120 s, … (doubling)
    "JOB_RETRY_MAX_S": 3600.0,
    "JOB_LEASE_S": 300.0,  # a running job not heard from for this long is retried
    "JOB_REQUEUE_AFTER_S": 120.0,  # a queued job not picked up for this long is re-sent
    "JOB_SWEEP_EVERY_MIN": 1,
    "QUEUE_POLL_MAX_S": 2.0,  # an idle worker polls SQLite at least this often
    "PASSWORD_HASH_METHOD": "scrypt",
    "PASSWORD_MIN_LENGTH": 10,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # uploads (knowledge-test CSV)
    "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead of a clock
    "QUEUE_IMMEDIATE": False,
    "QUEUE_ENQUEUE": True,  # tests may turn off sending to the queue (rows stay queued)
}


def load_secret_key(data_dir: Path) -> str:
    """The key in ``data_dir/secret_key``, created (0600) on first use."""
    path = data_dir / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.encode())
    finally:
        os.close(fd)
    return key


def build_config(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    data_dir = settings.data_dir
    config = dict(DEFAULTS)
    config["REVIEWER_SETTINGS"] = settings
    config["DATA_DIR"] = data_dir
    config["DATABASE_URL"] = env.get("REVIEWER_DATABASE_URL") or (
        f"sqlite:///{data_dir / 'reviewer.db'}"
    )
    config["QUEUE_URL"] = env.get("REVIEWER_QUEUE_URL") or f"sqlite:///{data_dir / 'queue.db'}"
    config["SECRET_KEY"] = env.get("REVIEWER_SECRET_KEY") or None  # loaded lazily if unset
    proxies = env.get("REVIEWER_PROXY_COUNT", "").strip()
    config["PROXY_COUNT"] = int(proxies) if proxies.isdigit() else 0
    if env.get("REVIEWER_SECURE_COOKIES", "").lower() in {"1", "true", "yes"}:
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    return config
