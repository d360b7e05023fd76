"""Commands for bringing in and reading back sources: import, sources, source …"""

from __future__ import annotations

from typing import Any

import click

from fieldcase.cli.common import json_option, project_command, scope_from, scope_options
from fieldcase.cli.output import json_text, print_json, table
from fieldcase.cli.speakers import say_speakers_linked
from fieldcase.errors import FieldcaseError, InputError
from fieldcase.importers import ImportOptions, import_paths, summary
from fieldcase.importers.safety import backup_before_import
from fieldcase.store import attributes
from fieldcase.store import sources as store
from fieldcase.store.project import Project
from fieldcase.text.english import count


@click.command("import")
@click.argument("paths", nargs=-1, required=True, metavar="FILE_OR_DIR...")
@click.option("--site", help="Site for files whose header names none (must exist).")
@click.option("--case", "cases", multiple=True, help="Case the files concern (repeatable; must exist).")
@click.option("--kind", help="interview, observation or document.")
@click.option("--date", help="YYYY-MM-DD (or YYYY-MM, YYYY).")
@click.option("--interviewer")
@click.option("--title", help="Title (default: the header's, else the file name).")
@click.option("--place")
@click.option("--language", help="e.g. zh or en (default: guessed).")
@click.option("--consent", help="written, oral, not-needed, pending or withdrawn.")
@click.option("--encoding", help="Read text files in this encoding instead of detecting it.")
@click.option("--no-index", is_flag=True, help="Leave search indexing to the first search (faster for big batches).")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links inside folders (by default each is named and left alone).")
@click.option("--allow-purged", is_flag=True,
              help="Import texts a purge erased (only when the participant consented again).")
@project_command
@json_option
def import_(project: Project, paths: tuple[str, ...], cases: tuple[str, ...], as_json: bool, no_index: bool,
            follow_links: bool, allow_purged: bool, **opts: str) -> None:
    """Import .txt, .md and .docx files, or every such file in a folder.

    A file may begin with a metadata header between --- lines (title, site,
    cases, kind, date, interviewer, place, language, consent); these options
    fill what a header leaves out. Sites and cases named in headers are created.
    Documents in a folder that fieldcase cannot read (.doc, .pdf, .rtf, .odt,
    .wps, .pages, .xls/.xlsx …) are each named with what to do, and the exit
    status is then 1, as for a failure; the other files are still imported.
    A symbolic link inside a folder is named and not followed unless
    --follow-links is given; a file or folder named here is read even if it
    is a link. A folder, or ten files or more, is backed up first (fieldcase
    backups). A text that a purge erased is refused (an error line) unless
    --allow-purged is given.
    With --json, prints one JSON object per file, one per line.
    """
    options = ImportOptions(cases=list(cases), **opts)
    kept = backup_before_import(project, paths)
    if kept:
        click.echo(f"Backed the project up first: {kept}", err=as_json)
    results = import_paths(project, paths, options, index=not no_index, follow_links=follow_links,
                           allow_purged=allow_purged)
    failed = 0
    for result in results:
        if as_json:
            data = result.to_json()
            click.echo(json_text({k: data[k] for k in _JSON_KEYS}))
        if result.status in ("error", "unsupported"):
            failed += 1
            label = "error" if result.status == "error" else "not imported"
            click.echo(f"{label}: {result.path}: {result.error}", err=True)
        elif result.status == "skipped":
            click.echo(f"skipped: {result.path}: {result.error}", err=True)
        elif result.status == "ignored":
            continue  # counted in the summary line
        elif not as_json:
            if result.status == "duplicate":
                click.echo(f"duplicate: {result.path}: {result.error}")
            else:
                made = f"; created {', '.join(result.created)}" if result.created else ""
                click.echo(
                    f"imported: {result.path} -> source {result.id} {result.title!r} "
                    f"({result.chars:,} chars, {result.encoding}, {count(result.turns, 'turn')}{made})"
                )
    if not as_json:
        click.echo(summary(results))
    if failed:
        raise SystemExit(1)


_JSON_KEYS = ("id", "title", "chars", "encoding", "turns", "status", "error", "path", "duplicate_of")


@click.command("sources")
@scope_options("site", "case", "kind", "source_set", site="Only sources of this site.",
               case="Only sources concerning this case.",
               kind="Only this kind.")
@project_command
@json_option
def sources_list(project: Project, as_json: bool, **options: Any) -> None:
    """List sources (without their text)."""
    rows = store.list_all(project, scope_from(options))
    if as_json:
        keys = ("id", "uuid", "title", "kind", "site", "cases", "date", "chars", "turns", "encoding",
                "interviewer", "place", "language", "consent", "original_filename")
        print_json([{k: r[k] for k in keys} for r in map(dict, rows)])
    else:
        table(rows, ["id", "site", "kind", "date", "title", "cases", "chars", "turns", "encoding"])


@click.group()
def source() -> None:
    """One source: show it, change its metadata, link it to cases, edit its text, delete or purge it."""


@source.command("show")
@click.argument("ref", metavar="SOURCE")
@click.option("--turns", "list_turns", is_flag=True, help="List the numbered speaker turns instead of the text.")
@project_command
@json_option
def source_show(project: Project, ref: str, list_turns: bool, as_json: bool) -> None:
    """Show a source's metadata, speaker turns and text."""
    row = store.get(project, ref)
    if as_json:
        print_json(row)
        return
    if list_turns:
        text = row["text"]
        table(
            [{**t, "words": text[t["speech"] : t["end"]]} for t in row["turns"]],
            ["seq", "speaker", "start", "end", "timestamp", "words"],
            max_col=60,
        )
        return
    fields: dict[str, Any] = dict(row)
    for key in ("id", "title", "kind", "site", "cases", "date", "place", "interviewer",
                "language", "consent", "original_filename", "encoding", "chars"):
        value = ", ".join(fields[key]) if isinstance(fields[key], list) else fields[key]
        if value not in (None, ""):  # a field never filled in is left out, not printed as None
            click.echo(f"{key:>17}: {value}")
    if row["attributes"]:
        click.echo(f"{'attributes':>17}: " + ", ".join(f"{k}={v}" for k, v in row["attributes"].items()))
    speakers = sorted({t["speaker"] for t in row["turns"]})
    click.echo(f"{'turns':>17}: {len(row['turns'])} ({', '.join(speakers)})")
    click.echo()
    click.echo(row["text"])


@source.command("set")
@click.argument("ref", metavar="SOURCE")
@click.argument("assignments", nargs=-1, metavar="[NAME=VALUE]...")
@click.option("--title")
@click.option("--kind")
@click.option("--date")
@click.option("--place")
@click.option("--interviewer")
@click.option("--language")
@click.option("--consent")
@click.option("--site")
@project_command
@json_option
def source_set(project: Project, ref: str, assignments: tuple[str, ...], as_json: bool, **fields: str) -> None:
    """Change a source's metadata, or set its attributes as NAME=VALUE."""
    row = store.update(project, ref, fields)
    values = attributes.parse_assignments(assignments)
    if values:
        attributes.set_values(project, "source", row["id"], values)
        row = store.get(project, row["id"], with_text=False)
    if as_json:
        print_json(row)
    else:
        click.echo(f"Updated source {row['id']} {row['title']!r}")


@source.command("link")
@click.argument("ref", metavar="SOURCE")
@click.argument("case_refs", nargs=-1, required=True, metavar="CASE...")
@click.option("--unlink", is_flag=True, help="Remove the links instead.")
@project_command
def source_link(project: Project, ref: str, case_refs: tuple[str, ...], unlink: bool) -> None:
    """Say which cases a source concerns (or, with --unlink, no longer concerns)."""
    names = store.link(project, ref, list(case_refs), unlink=unlink)
    click.echo(f"Source {ref} concerns: {', '.join(names) or '(no cases)'}")
    say_speakers_linked(project)


@source.command("delete")
@click.argument("ref", metavar="SOURCE")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@project_command
def source_delete(project: Project, ref: str, yes: bool) -> None:
    """Delete a source with its text, codings, memos, case links and attributes (undo brings them back)."""
    row = store.find(project, ref)
    counts = store.impact(project, row["id"])
    click.echo(
        f"Deleting source {row['id']} {row['title']!r} removes its text, {count(counts['codings'], 'coding')}, "
        f"{count(counts['memos'], 'memo')}, {count(counts['cases'], 'case link')} and "
        f"{count(counts['attributes'], 'attribute value')}."
    )
    if not yes and not click.confirm("Delete?", default=False):
        click.echo("Nothing deleted.")
        return
    store.delete(project, row["id"])
    click.echo("Deleted. (fieldcase undo brings it back.)")


@source.command("edit")
@click.argument("ref", metavar="SOURCE")
@click.option("--from-file", "from_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="A file holding the corrected text.")
@click.option("--encoding", help="The file's encoding (default: detected).")
@project_command
@json_option
def source_edit(project: Project, ref: str, from_file: str, encoding: str | None, as_json: bool) -> None:
    """Replace a source's text (a transcription fix); its codings follow their words.

    Codings whose words were deleted are listed and kept as orphaned (see
    `fieldcase codings --orphaned`); `fieldcase undo` reverses the edit.
    """
    from dataclasses import asdict
    from pathlib import Path

    from fieldcase.importers.encoding import decode
    from fieldcase.store.texts import replace_text

    path = Path(from_file)
    try:
        text = decode(path.read_bytes(), encoding).text
    except FieldcaseError as err:
        raise InputError(f"{path}: {err}") from err
    report = replace_text(project, ref, text)
    if as_json:
        print_json(asdict(report))
        return
    if not report.changed_text:
        click.echo("The text is unchanged.")
        return
    click.echo(
        f"Source {report.source_id} updated: {report.unchanged} codings unchanged, "
        f"{report.moved} moved with their words, {len(report.changed)} changed, "
        f"{len(report.orphaned)} orphaned"
    )
    for item in report.changed:
        click.echo(f"  changed: coding {item['id']} ({item['code_key']}) now reads {item['now']!r}")
    for item in report.orphaned:
        click.echo(
            f"warning: coding {item['id']} ({item['code_key']}) lost all its words "
            f"({item['quote']!r}); kept as orphaned", err=True
        )


@source.command("versions")
@click.argument("ref", metavar="ID")
@project_command
@json_option
def source_versions(project: Project, ref: str, as_json: bool) -> None:
    """Every text source ID has had, oldest first (and texts merges kept from other copies)."""
    from fieldcase.store.texts import versions

    rows = versions(project, ref)
    if as_json:
        from fieldcase.store.texts import version

        now = store.find(project, ref)["text"]
        print_json([{**r, "text": now if r["current"] else version(project, r["sha256"])} for r in rows])
        return
    table([{**r, "sha256": r["sha256"][:12], "now": "yes" if r["current"] else "",
            "words": "kept" if r["kept"] else "not kept", "from": r["theirs"] or r["set_by"] or ""} for r in rows],
          ["sha256", "now", "chars", "set_at", "from", "change", "words", "summary"])


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    from fieldcase.cli.purge import source_purge

    source.add_command(source_purge)
    for command in (import_, sources_list, source):
        cli.add_command(command)
