"""``reviewer review TARGET --cert ID``: inspect, assess against the rubric, draw the sheet."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from reviewer.commands.common import fail, load_settings, write_output

FORMATS = ("json", "markdown", "html")


@click.command("review")
@click.argument("target", required=False)
@click.option(
    "--cert",
    "certification",
    required=True,
    metavar="ID",
    help="Certification id, e.g. ml-expert, mlops, genai.",
)
@click.option(
    "--candidate",
    metavar="NAME",
    help="Candidate name; seeds the question sample. Default: the repository owner.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="What to print: the review as JSON, or brief + sheet as Markdown or HTML.",
)
@click.option(
    "--sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write brief + question sheet to FILE (.html, .md or .pdf).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write the output to FILE instead of standard output.",
)
@click.option(
    "--duration",
    type=click.IntRange(30, 45),
    metavar="MINUTES",
    help="Interview length (30-45); default: the rubric's.",
)
@click.option(
    "--from-report",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Use a saved `reviewer inspect --format json` report.",
)
@click.option("--offline", is_flag=True, help="Do not consult the GitHub API.")
def review_cmd(
    target: str | None,
    certification: str,
    candidate: str | None,
    fmt: str,
    sheet: Path | None,
    out: Path | None,
    duration: int | None,
    from_report: Path | None,
    offline: bool,
) -> None:
    """Review TARGET (a GitHub URL or a local repository) for a certification: suggested
    levels per rubric criterion with their reasons, strengths, red flags, and the candidate's
    question sheet with a time plan.

    Exit codes: 0 ok, 2 bad input (unknown certification, bad target, unreadable report) or a
    repository that could not be inspected; the reason is printed on one line.
    """
    from reviewer.errors import ReviewerError
    from reviewer.render import render, write_sheet
    from reviewer.report import Report
    from reviewer.review import build_review
    from reviewer.rubrics import get_rubric

    logging.basicConfig(level=logging.WARNING, format="reviewer: %(message)s")
    if (target is None) == (from_report is None):
        fail("Give either TARGET or --from-report FILE.")
    if sheet is not None and sheet.suffix.lower() not in {".html", ".htm", ".md", ".pdf"}:
        fail(f"--sheet {sheet}: the file name must end in .html, .md or .pdf.")
    settings = load_settings(offline=offline)
    try:
        rubric = get_rubric(certification, settings)
    except ReviewerError as err:
        fail(str(err))
    if from_report is not None:
        try:
            report = Report.from_json(json.loads(from_report.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            fail(f"{from_report} is not a readable report ({err}).")
    else:
        from reviewer.inspect import inspect_repository

        assert target is not None
        try:
            report = inspect_repository(target, settings)
        except ReviewerError as err:
            fail(str(err))
    name = candidate or (report.target.owner if report.target else Path(report.target_url).name)
    review = build_review(report, rubric, name, duration_minutes=duration)
    if sheet is not None:
        try:
            sheet.parent.mkdir(parents=True, exist_ok=True)
            write_sheet(review, sheet)
        except ReviewerError as err:
            fail(str(err))
        except OSError as err:
            fail(f"Could not write {sheet}: {err.strerror or err}.")
        click.echo(f"Wrote {sheet}", err=True)
    write_output(render(review, fmt), out)
