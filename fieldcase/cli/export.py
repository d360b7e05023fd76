"""``fieldcase export``: the coded summary (Markdown, HTML), coded segments and matrices
as tables (CSV, XLSX)."""

from __future__ import annotations

from pathlib import Path

import click

from fieldcase.cli.common import UserError, project_command
from fieldcase.store.project import Project


@click.command()
@click.argument("what", type=click.Choice(["summary", "case", "segments", "matrix"]))
@click.option("--code", help="Only this code and its sub-codes.")
@click.option("--case", "case_", help="Only this case's sources.")
@click.option("--site", help="Only this site's sources.")
@click.option("--kind", help="Only interviews, observations or documents (summary).")
@click.option("--coder", help="Only this coder's codings.")
@click.option("--template", help="A template of yours to use instead (see fieldcase templates).")
@click.option("--by", default="case", show_default=True,
              help="Matrix columns: case, site, attr:NAME (a case attribute), or overlap / turn for "
                   "code co-occurrence.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "csv", "xlsx"]),
              help="Default: from --out, else md for the summary, docx for a case, csv for tables.")
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Word document whose styles and page setup the chapter takes (a journal's house style).")
@click.option("--title", help="The chapter's title (default: the case or site name).")
@click.option("--body-font", help="East Asian font of the body text (default SimSun 宋体).")
@click.option("--heading-font", help="East Asian font of headings (default SimHei 黑体).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option("--no-pseudonyms", is_flag=True, help="Keep real names (for internal use only).")
@project_command
def export(project: Project, what: str, code: str | None, case_: str | None, site: str | None, kind: str | None,
           coder: str | None, template: str | None, by: str, fmt: str | None, reference_docx: Path | None,
           title: str | None, body_font: str | None, heading_font: str | None, out: Path | None,
           no_pseudonyms: bool) -> None:
    """Export the coded summary (md, html), coded segments (one row a coding) or a matrix
    of counts (csv, xlsx).

    Real names in the pseudonym table (fieldcase pseudonym) are replaced in every export.
    """
    from fieldcase.reports import tables
    from fieldcase.reports.pseudonyms import renamer

    rename = renamer(project, enabled=not no_pseudonyms)
    allowed = {"summary": ("md", "html"), "case": ("docx", "md", "html")}.get(what, ("csv", "xlsx"))
    fmt = fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else allowed[0])
    if fmt not in allowed:
        raise UserError(f"{out or fmt}: export {what} as {' or '.join(allowed)}")
    out = out or Path(f"{project.path.stem}-{what}{'-' + str(case_ or site) if what == 'case' else ''}.{fmt}")
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    if what == "summary":
        from fieldcase.reports.summary import render_summary

        text = render_summary(project, fmt, template=template, pseudonyms=not no_pseudonyms, code=code,
                              case=case_, site=site, kind=kind, coder=coder)
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote the coded summary to {out}")
        return
    if what == "case":
        from fieldcase.reports.case_report import write_case

        fonts = {k: v for k, v in {"body": body_font, "heading": heading_font}.items() if v}
        write_case(project, out, fmt, template=template, reference_docx=reference_docx, fonts=fonts,
                   case=case_, site=site if case_ is None else None, pseudonyms=not no_pseudonyms, title=title)
        click.echo(f"Wrote the case report to {out}")
        return
    if what == "segments":
        rows = tables.segments(project, code=code, case=case_, site=site, coder=coder, rename=rename)
    elif by in ("overlap", "turn"):
        rows = tables.cooccurrence(project, within=by)
    else:
        rows = tables.matrix(project, by=by, rename=rename)
    tables.write_table(rows, out, sheet=what)
    click.echo(f"Wrote {len(rows)} rows to {out}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    cli.add_command(export)
