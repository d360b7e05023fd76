"""The ``fieldcase`` command line: thin click wrappers over the core."""

from __future__ import annotations

import click

from fieldcase import __version__
from fieldcase.cli.common import FieldcaseGroup


@click.group(
    cls=FieldcaseGroup,
    invoke_without_command=True,
    # color: click leaves escape sequences alone, so the output shows them as signs (cli.output)
    context_settings={"help_option_names": ["-h", "--help"], "color": True},
)
@click.version_option(__version__, prog_name="fieldcase")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """fieldcase: offline case management and coding for qualitative field research.

    Without a command, opens the workspace on $FIELDCASE_PROJECT or the default
    project. Every command that works on a project takes -p/--project PATH (or
    $FIELDCASE_PROJECT; else a default project in your data folder).
    """
    if ctx.invoked_subcommand is None:
        from fieldcase.cli.workspace import run_workspace

        run_workspace(None, None)


def main() -> None:
    """Entry point of the ``fieldcase`` console script."""
    cli(prog_name="fieldcase")

