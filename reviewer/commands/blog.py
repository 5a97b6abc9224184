"""``reviewer export-blog`` and ``reviewer suggestions check|list|format``.

Exit codes: 0 ok, 2 bad input (data that does not validate, a bad option or configuration).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from reviewer.blog import FORMATS, export_blog, load_blog_config, write_export
from reviewer.errors import ConfigError, DataError
from reviewer.program_config import CERTIFICATION_IDS
from reviewer.settings import Settings
from reviewer.suggestions import (
    CriteriaIndex,
    check_suggestions,
    default_suggestions_dir,
    dump_suggestions,
    load_rubric_criteria,
)

_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


def _fail(message: str) -> None:
    click.echo(message, err=True)
    raise SystemExit(2)


def _criteria(settings: Settings) -> CriteriaIndex:
    try:
        return load_rubric_criteria(settings)
    except (DataError, ConfigError) as err:
        _fail(f"Cannot check the rubric criteria the suggestions name:\n{err}")
        raise  # unreachable: _fail exits


@click.command("export-blog")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write into (created if missing; other files in it are left alone).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jekyll", show_default=True)
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date for the pages' front matter (default: the newest 'updated' of their data).",
)
@click.option(
    "--source",
    type=_DIR,
    default=None,
    help="Directory of suggestion files (default: REVIEWER_SUGGESTIONS_DIR or the shipped one).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Blog configuration YAML (default: REVIEWER_BLOG_CONFIG); REVIEWER_BLOG_BIGIMG "
    "sets the header images.",
)
def export_blog_cmd(
    out: Path, fmt: str, on: datetime | None, source: Path | None, config_path: Path | None
) -> None:
    """Export the suggested projects for the blog: Jekyll pages, or JSON for other sites.

    Output is deterministic: the same data gives byte-identical files.
    """
    settings = Settings.from_env()
    criteria = _criteria(settings)
    checked = check_suggestions(source or default_suggestions_dir(settings), criteria)
    if checked.problems:
        _fail("\n".join(str(p) for p in checked.problems))
    try:
        config = load_blog_config(config_path or settings.blog_config, settings.blog_bigimg)
        files = export_blog(
            checked.suggestions,
            criteria=criteria,
            config=config,
            fmt="json" if fmt == "json" else "jekyll",
            on=on.date() if on is not None else None,
        )
    except ConfigError as err:
        _fail(str(err))
        return
    for path in write_export(files, out):
        click.echo(str(path))


@click.group("suggestions")
def suggestions_group() -> None:
    """Validate, list and format the suggested portfolio projects."""


@suggestions_group.command("check")
@click.argument("directory", required=False, type=_DIR)
def check_cmd(directory: Path | None) -> None:
    """Validate every suggestion file; problems are printed as FILE:LINE: message (exit 2)."""
    settings = Settings.from_env()
    checked = check_suggestions(directory or default_suggestions_dir(settings), _criteria(settings))
    if checked.problems:
        _fail(
            "\n".join(str(p) for p in checked.problems)
            + f"\n{len(checked.problems)} problem(s) in {checked.files} file(s)."
        )
    active = [s for s in checked.suggestions if s.active]
    per_cert = ", ".join(
        f"{c} {sum(c in s.certifications for s in active)}" for c in CERTIFICATION_IDS
    )
    click.echo(f"{checked.files} suggestion file(s) OK; active per certification: {per_cert}.")


@suggestions_group.command("list")
@click.argument("directory", required=False, type=_DIR)
@click.option("--cert", type=click.Choice(CERTIFICATION_IDS), default=None)
@click.option("--difficulty", type=click.Choice(["beginner", "intermediate", "advanced"]))
@click.option(
    "--status", type=click.Choice(["active", "retired", "all"]), default="all", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_cmd(
    directory: Path | None, cert: str | None, difficulty: str | None, status: str, as_json: bool
) -> None:
    """List the suggestions in blog order, optionally filtered."""
    settings = Settings.from_env()
    checked = check_suggestions(directory or default_suggestions_dir(settings))
    if checked.problems:
        _fail("\n".join(str(p) for p in checked.problems))
    rows = [
        s
        for s in checked.suggestions
        if (cert is None or cert in s.certifications)
        and (difficulty is None or s.difficulty == difficulty)
        and (status == "all" or s.status == status)
    ]
    if as_json:
        keys = ("id", "title", "certifications", "difficulty", "estimated_hours", "status")
        data = [{k: getattr(s, k) for k in keys} | {"order": s.order} for s in rows]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} suggested project(s)", box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("certifications")
    table.add_column("level", no_wrap=True)
    table.add_column("hours", justify="right", no_wrap=True)
    for s in rows:
        ident = s.id if s.active else f"{s.id} (retired)"
        table.add_row(
            str(s.order),
            ident,
            s.title,
            ", ".join(s.certifications),
            s.difficulty,
            str(s.estimated_hours),
        )
    Console(soft_wrap=False).print(table)


@suggestions_group.command("format")
@click.argument("directory", required=False, type=_DIR)
@click.option(
    "--check", "check_only", is_flag=True, help="Only report files not in canonical form."
)
def format_cmd(directory: Path | None, check_only: bool) -> None:
    """Rewrite the files in canonical form (what the web app's export writes)."""
    settings = Settings.from_env()
    source = directory or default_suggestions_dir(settings)
    checked = check_suggestions(source)
    if checked.problems:
        _fail("\n".join(str(p) for p in checked.problems))
    changed = []
    for name, text in dump_suggestions(checked.suggestions).items():
        path = source / name
        if path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check_only:
                path.write_text(text, encoding="utf-8", newline="\n")
    for path in changed:
        click.echo(f"{'would reformat' if check_only else 'reformatted'} {path}")
    if check_only and changed:
        raise SystemExit(1)
