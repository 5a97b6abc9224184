"""``reviewer inspect TARGET``: every fact of the repository, with evidence."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from reviewer.commands.common import fail, load_settings, write_output


@click.command("inspect")
@click.argument("target")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"]),
    default="json",
    show_default=True,
    help="JSON report (the documented schema) or a readable Markdown brief.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--no-cache", is_flag=True, help="Inspect again even if this commit was seen.")
@click.option("--offline", is_flag=True, help="Do not consult the GitHub API.")
def inspect_cmd(target: str, fmt: str, out: Path | None, no_cache: bool, offline: bool) -> None:
    """Inspect TARGET (a GitHub URL, or a local work tree or bare repository) at its default
    branch's head and report every fact with its evidence.

    Exit codes: 0 ok, 2 the target or repository could not be inspected (the reason is
    printed on one line).
    """
    from reviewer.errors import ReviewerError
    from reviewer.inspect import inspect_repository
    from reviewer.inspect_render import render_json, render_markdown

    logging.basicConfig(level=logging.WARNING, format="reviewer: %(message)s")
    settings = load_settings(offline=offline)
    try:
        report = inspect_repository(target, settings, use_cache=not no_cache)
    except ReviewerError as err:
        fail(str(err))
    text = render_json(report) if fmt == "json" else render_markdown(report)
    write_output(text, out)
