"""``fieldcase export``: coded segments and matrices as tables (CSV, XLSX)."""

from __future__ import annotations

from pathlib import Path

import click

from fieldcase.cli.common import UserError, project_command
from fieldcase.store.project import Project


@click.command()
@click.argument("what", type=click.Choice(["segments", "matrix"]))
@click.option("--code", help="Only this code and its sub-codes (segments).")
@click.option("--case", "case_", help="Only this case's sources (segments).")
@click.option("--site", help="Only this site's sources (segments).")
@click.option("--coder", help="Only this coder's codings (segments).")
@click.option("--by", default="case", show_default=True,
              help="Matrix columns: case, site, attr:NAME (a case attribute), or overlap / turn for "
                   "code co-occurrence.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Default: from --out, else csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@project_command
def export(project: Project, what: str, code: str | None, case_: str | None, site: str | None,
           coder: str | None, by: str, fmt: str | None, out: Path | None) -> None:
    """Export coded segments (one row a coding) or a matrix of counts as CSV or XLSX."""
    from fieldcase.reports import tables

    fmt = fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else "csv")
    if fmt not in ("csv", "xlsx"):
        raise UserError(f"{out}: export {what} as csv or xlsx")
    out = out or Path(f"{project.path.stem}-{what}.{fmt}")
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    if what == "segments":
        rows = tables.segments(project, code=code, case=case_, site=site, coder=coder)
    elif by in ("overlap", "turn"):
        rows = tables.cooccurrence(project, within=by)
    else:
        rows = tables.matrix(project, by=by)
    tables.write_table(rows, out, sheet=what)
    click.echo(f"Wrote {len(rows)} rows to {out}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(export)
