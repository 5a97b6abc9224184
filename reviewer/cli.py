"""The ``reviewer`` command. Subcommands live in their own modules and load on demand."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from reviewer.version import __version__

#: name -> ("module:attribute" of a click command, one-line help). One explicit table, no
#: plugin magic; a module loads only when its command runs, so ``reviewer inspect`` never pays
#: for the web app's imports (the engine itself never imports Flask).
COMMANDS: dict[str, tuple[str, str]] = {
    "inspect": ("reviewer.commands.inspect:inspect_cmd", "Every fact of a repository, with evidence."),
    "review": ("reviewer.commands.review:review_cmd", "Inspect, assess against a rubric, make a question sheet."),
    "batch": ("reviewer.commands.batch:batch_cmd", "Review a cohort of repositories listed in a CSV file."),
    "rubrics": ("reviewer.commands.rubrics:rubrics_group", "Check and list the certification rubrics."),
    "recheck": ("reviewer.commands.recheck:recheck_cmd", "Tell whether a pinned repository changed since the pin."),
    "export-blog": ("reviewer.commands.blog:export_blog_cmd", "Export suggested projects for the blog."),
    "suggestions": ("reviewer.commands.blog:suggestions_group", "Check and list suggested portfolio projects."),
    "serve": ("webapp.commands:serve_cmd", "Run the web app and a job worker on embedded defaults."),
    "worker": ("webapp.commands:worker_cmd", "Run background review workers."),
    "users": ("webapp.commands:users_group", "Create and list accounts."),
    "knowledge-tests": ("webapp.commands:knowledge_tests_group", "Import knowledge-test results."),
    "db": ("webapp.commands:db_group", "Database migrations."),
}  # fmt: skip


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, _, attr = entry[0].partition(":")
        command: Any = getattr(importlib.import_module(module_name), attr)
        return command  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reviewer")
def cli() -> None:
    """Portfolio review and interview tooling for the AI Expert certification program.

    Exit codes: 0 ok, 1 the review found problems, 2 bad input.
    """


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="reviewer")
