"""``reviewer recheck URL --commit SHA``: has the repository changed since the pin?

Exit codes: 0 unchanged, 1 changed, 2 bad input, repository not found, or GitHub unable to
answer (rate limit, outage).
"""

from __future__ import annotations

import json

import click

from reviewer.errors import ReviewerError
from reviewer.github import GitHubClient
from reviewer.recheck import RecheckResult, normalise_sha, recheck
from reviewer.settings import Settings
from reviewer.targets import parse_repo_url

EXIT_UNCHANGED, EXIT_CHANGED, EXIT_BAD_INPUT = 0, 1, 2


@click.command("recheck")
@click.argument("url")
@click.option(
    "--commit", "pinned", required=True, metavar="SHA", help="The commit pinned at submission."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def recheck_cmd(url: str, pinned: str, fmt: str) -> None:
    """Say whether the repository at URL has changed since the pinned commit SHA.

    Reports new commits, a force-push that dropped the pinned commit, a rename, deletion, or a
    switch to private. Exit codes: 0 unchanged, 1 changed, 2 bad input or not found.
    """
    try:
        settings = Settings.from_env()
        ref = parse_repo_url(url, settings.allowed_hosts)
        sha = normalise_sha(pinned)
        result = recheck(GitHubClient(settings), ref, sha)
    except ReviewerError as err:
        if fmt == "json":
            click.echo(json.dumps({"error": str(err)}, indent=2))
        click.echo(f"Error: {err}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from err
    _print(result, fmt)
    if not result.found:
        raise SystemExit(EXIT_BAD_INPUT)
    raise SystemExit(EXIT_CHANGED if result.changed else EXIT_UNCHANGED)


def _print(result: RecheckResult, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    verdict = "changed: " + ", ".join(result.changes) if result.changed else "unchanged"
    click.echo(f"{result.requested} @ {result.pinned_sha[:12]}: {verdict}")
    click.echo(result.message)
