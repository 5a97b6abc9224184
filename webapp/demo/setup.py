"""Demo accounts for ``reviewer serve`` (created once, on a database with no accounts).

The passwords are random, printed at first start and kept in ``<data dir>/demo-credentials.txt``
(readable by the owner only) so they can be found again.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from webapp import accounts
from webapp.db import get_database
from webapp.demo.forge import DEMO_HOST, build_sample_repository, clone_template, demo_url
from webapp.knowledge_tests import ResultRow, import_results
from webapp.models import Role, User, utcnow

CREDENTIALS_FILE = "demo-credentials.txt"
DEMO_ACCOUNTS = (
    ("staff@demo.invalid", Role.STAFF, "Demo Staff"),
    ("interviewer@demo.invalid", Role.INTERVIEWER, "Demo Interviewer"),
    ("candidate@demo.invalid", Role.CANDIDATE, "Demo Candidate"),
)
DEMO_CERTIFICATION = "ml-expert"


@dataclass(frozen=True)
class DemoInfo:
    created: bool
    credentials: tuple[tuple[str, str, str], ...]  # (role, email, password)
    repository_url: str
    credentials_file: Path

    def describe(self) -> str:
        lines = ["Demo accounts (also in " + str(self.credentials_file) + "):"]
        for role, email, password in self.credentials:
            lines.append(f"  {role:<12} {email:<28} {password}")
        lines += [
            "",
            "Try it: log in as the candidate and submit",
            f"  {self.repository_url}",
            f"for '{DEMO_CERTIFICATION}' (its knowledge test is already passed); other",
            "certifications are refused until staff record a knowledge-test result.",
        ]
        return "\n".join(lines)


def configure(config: dict[str, Any] | Any, data_dir: Path) -> None:
    """Serve the demo host from the local forge (the rest of the world is untouched)."""
    forges = [pair for pair in (config.get("LOCAL_FORGES") or ()) if pair[0] != DEMO_HOST]
    config["LOCAL_FORGES"] = (*forges, (DEMO_HOST, clone_template(data_dir)))


def ensure_demo(app: Flask) -> DemoInfo:
    data_dir: Path = app.config["REVIEWER_SETTINGS"].data_dir
    build_sample_repository(data_dir)
    path = data_dir / CREDENTIALS_FILE
    database = get_database(app)
    with database.session() as session:
        if session.scalar(select(func.count(User.id))):
            return DemoInfo(False, _read_credentials(path), demo_url(), path)
        policy = accounts.PasswordPolicy(
            min_length=int(app.config["PASSWORD_MIN_LENGTH"]),
            hash_method=app.config["PASSWORD_HASH_METHOD"],
        )
        credentials = []
        for email, role, name in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            accounts.create_user(session, email, password, role, policy, name=name)
            credentials.append((role.value, email, password))
        session.flush()
        taken_on = utcnow().date() - timedelta(days=7)
        result = import_results(
            session,
            [ResultRow(1, "candidate@demo.invalid", DEMO_CERTIFICATION, taken_on, Decimal("82"))],
            app.config["PROGRAM_CONFIG"],
            utcnow().date(),
            source="manual",
        )
        assert result.ok, result.errors
    _write_credentials(path, credentials)
    return DemoInfo(True, tuple(credentials), demo_url(), path)


def _write_credentials(path: Path, credentials: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for role, email, password in credentials:
            fh.write(f"{role}\t{email}\t{password}\n")


def _read_credentials(path: Path) -> tuple[tuple[str, str, str], ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    out = []
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return tuple(out)
