"""``reviewer rubrics check [DIR]`` and ``reviewer rubrics list``."""

from __future__ import annotations

from pathlib import Path

import click

from reviewer.commands.common import EXIT_BAD_INPUT, fail, load_settings


@click.group("rubrics")
def rubrics_group() -> None:
    """Validate and list the certification rubrics."""


@rubrics_group.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_cmd(directory: Path | None) -> None:
    """Validate every rubric file in DIRECTORY (default: the rubrics in use).

    Prints each problem as FILE:LINE: message. Exit codes: 0 valid, 2 problems found.
    """
    from reviewer.errors import ReviewerError
    from reviewer.rubrics import check_dir, rubrics_dir

    if directory is None:
        try:
            directory = rubrics_dir(load_settings())
        except ReviewerError as err:
            fail(str(err))
    rubrics, problems = check_dir(directory)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        files = len({p.path for p in problems})
        click.echo(f"{len(problems)} problem(s) in {files} file(s) under {directory}.", err=True)
        raise SystemExit(EXIT_BAD_INPUT)
    click.echo(f"{len(rubrics)} rubric(s) valid in {directory}: {', '.join(sorted(rubrics))}")


@rubrics_group.command("list")
def list_cmd() -> None:
    """List the rubrics in use: id, version, pass mark, criteria."""
    from reviewer.errors import ReviewerError
    from reviewer.rubrics import load_rubrics, rubrics_dir

    try:
        rubrics = load_rubrics(rubrics_dir(load_settings()))
    except ReviewerError as err:
        fail(str(err))
    for rubric in rubrics.values():
        must = ", ".join(f"{m.criterion}>={m.min_level}" for m in rubric.must_pass) or "none"
        click.echo(f"{rubric.id} {rubric.version}: {rubric.title}")
        click.echo(f"  pass mark {rubric.pass_mark} of 4; must pass: {must}")
        for c in rubric.criteria:
            click.echo(f"  - {c.id} (weight {c.weight:g}): {c.title}")
