"""The ``fieldcase`` command line: thin click wrappers over the core."""

from __future__ import annotations

import click

from fieldcase import __version__
from fieldcase.cli.common import FieldcaseGroup


@click.group(cls=FieldcaseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fieldcase")
def cli() -> None:
    """fieldcase: offline case management and coding for qualitative field research.

    Every command that works on a project takes -p/--project PATH (or
    $FIELDCASE_PROJECT; else a default project in your data folder).
    """


def main() -> None:
    """Entry point of the ``fieldcase`` console script."""
    cli(prog_name="fieldcase")


from fieldcase.cli import codebook, coding, history, places, project, sources  # noqa: E402

for module in (project, places, sources, coding, history, codebook):
    module.register(cli)
