"""``reviewer batch FILE.csv --cert ID --out DIR [--jobs N]``: review a cohort."""

from __future__ import annotations

import os
from pathlib import Path

import click

from reviewer.commands.common import EXIT_PROBLEMS, fail, load_settings


@click.command("batch")
@click.argument(
    "csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--cert", "certification", required=True, metavar="ID", help="Certification id.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    metavar="N",
    help="Repositories reviewed in parallel (processes). Default: CPU count, max 4.",
)
@click.option(
    "--sheet-format",
    type=click.Choice(["html", "md", "pdf"]),
    default="html",
    show_default=True,
    help="Format of each candidate's brief + sheet.",
)
@click.option("--offline", is_flag=True, help="Do not consult the GitHub API.")
def batch_cmd(
    csv_file: Path,
    certification: str,
    out_dir: Path,
    jobs: int | None,
    sheet_format: str,
    offline: bool,
) -> None:
    """Review every repository of FILE.csv (columns: candidate, url) for one certification.

    Writes DIR/<candidate>/{report.json, review.json, sheet.*} and DIR/summary.csv (commit,
    suggested levels, red flags, status per candidate). A failing repository does not stop the
    others; a rerun skips candidates already reviewed at the same commit.
    Exit codes: 0 all reviewed, 1 some repositories failed (see summary.csv), 2 bad input.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from reviewer.cohort import SUMMARY, read_entries, run_cohort, write_summary
    from reviewer.errors import ReviewerError
    from reviewer.rubrics import get_rubric

    settings = load_settings(offline=offline)
    try:
        rubric = get_rubric(certification, settings)
        entries, problems = read_entries(csv_file.read_text(encoding="utf-8"))
    except ReviewerError as err:
        fail(str(err))
    except (OSError, UnicodeDecodeError) as err:
        fail(f"Could not read {csv_file}: {err}.")
    console = Console(stderr=True)
    for problem in problems:
        console.print(f"[yellow]skipped[/] {csv_file.name} {problem}")
    if not entries:
        fail(f"{csv_file} lists no candidate to review.")
    jobs = jobs or max(1, min(4, os.cpu_count() or 1))
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(f"Reviewing for {rubric.id}", total=len(entries))

        def done(outcome: object) -> None:
            progress.advance(task)

        outcomes = run_cohort(
            entries,
            rubric.id,
            out_dir,
            settings,
            jobs=jobs,
            sheet_suffix=f".{sheet_format}",
            on_done=done,
        )
    write_summary(out_dir / SUMMARY, outcomes, [c.id for c in rubric.criteria])
    counts = {s: sum(o.status == s for o in outcomes) for s in ("reviewed", "skipped", "failed")}
    for o in outcomes:
        if o.status == "failed":
            console.print(f"[red]failed[/] {o.candidate}: {o.error}")
    console.print(
        f"{counts['reviewed']} reviewed, {counts['skipped']} unchanged (skipped), "
        f"{counts['failed']} failed; summary in {out_dir / SUMMARY}"
    )
    if counts["failed"]:
        raise SystemExit(EXIT_PROBLEMS)
