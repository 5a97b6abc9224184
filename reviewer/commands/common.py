"""What every subcommand shares: settings from the environment, errors, output files."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from reviewer.errors import ConfigError
from reviewer.settings import Settings

EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Print a one-line reason to stderr and exit."""
    click.echo("reviewer: " + " ".join(message.split()), err=True)
    raise SystemExit(code)


def load_settings(*, offline: bool = False) -> Settings:
    try:
        settings = Settings.from_env()
    except ConfigError as err:
        fail(str(err))
    return settings.with_(use_github_api=False) if offline else settings


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"Could not write {out}: {err.strerror or err}.")
    click.echo(f"Wrote {out}", err=True)
