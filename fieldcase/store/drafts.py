"""Drafts of sources being typed: saved often, offered back after a crash, then stored.

Drafts are a safety net, not project content, so their saves are not change groups;
turning a draft into a source is (:func:`fieldcase.importers.drafts.finish`). An edit
draft (one with a ``source_id``) remembers in its fields the hash of the text it started
from (``BASE``), so that continuing or saving it can tell when someone has changed that
text since.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import NotFoundError
from fieldcase.store.changes import new_uuid, now
from fieldcase.store.private import create_private, private_folder

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project


BASE = "base_sha256"  # in an edit draft's fields: the hash of the text the edit started from
CELL = "cell"  # in a summary draft's fields: [case id, code id] of the framework cell being written
CELL_BASE = "base_summary"  # in a summary draft's fields: the stored summary the editor began from


def save(
    project: Project,
    draft_id: int | None,
    text: str,
    fields: dict[str, Any],
    *,
    source_id: int | None = None,
) -> int:
    """Create or overwrite a draft; returns its id. Commits at once, durably."""
    payload = json.dumps(fields, ensure_ascii=False)
    stamp = now()
    conn = project.conn
    with project.transaction():
        if draft_id is not None and conn.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone():
            conn.execute(
                "UPDATE drafts SET fields = ?, text = ?, saved_at = ? WHERE id = ?",
                [payload, text, stamp, draft_id],
            )
            return draft_id
        cursor = conn.execute(
            "INSERT INTO drafts (uuid, source_id, fields, text, created_at, created_by, saved_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [new_uuid(), source_id, payload, text, stamp, project.user, stamp],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def list_all(project: Project) -> list[dict[str, Any]]:
    """Open drafts of sources (new ones and edits), newest first, with their fields decoded."""
    return [_decoded(r) for r in project.query(
        f"SELECT * FROM drafts WHERE json_extract(fields, '$.{CELL}') IS NULL ORDER BY saved_at DESC, id DESC")]


def save_cell(project: Project, draft_id: int | None, case_id: int, code_id: int, text: str, base: str) -> int:
    """Create or overwrite the draft of a framework cell's summary being typed (``base``: the
    stored summary the editor began from); returns its id."""
    return save(project, draft_id, text, {CELL: [case_id, code_id], CELL_BASE: base})


def cell_draft(project: Project, case_id: int, code_id: int) -> dict[str, Any] | None:
    """The newest kept draft of this cell's summary, or None."""
    rows = project.query(
        f"SELECT * FROM drafts WHERE json_extract(fields, '$.{CELL}') = json_array(?, ?)"
        " ORDER BY saved_at DESC, id DESC LIMIT 1", [case_id, code_id])
    return _decoded(rows[0]) if rows else None


def discard_cell(project: Project, case_id: int, code_id: int) -> None:
    """Throw away every kept draft of this cell's summary."""
    with project.transaction():
        project.conn.execute(f"DELETE FROM drafts WHERE json_extract(fields, '$.{CELL}') = json_array(?, ?)",
                             [case_id, code_id])


def cell_drafts(project: Project) -> list[dict[str, Any]]:
    """Every kept draft of a framework summary, newest first, each with ``case_id`` and
    ``code_id``, the names of its case and code (``case_name``, ``code_label``; from the
    change log when one is gone) and ``gone``: which of the two was deleted (a draft is
    kept when its case or code goes, and is its cell's again once undo brings that back:
    ids are never given twice)."""
    rows = project.query(
        f"SELECT d.*, k.name AS case_name, c.key AS code_key, c.name_zh, c.name_en,"
        f" k.id IS NULL AS case_gone, c.id IS NULL AS code_gone FROM drafts d"
        f" LEFT JOIN cases k ON k.id = json_extract(d.fields, '$.{CELL}[0]')"
        f" LEFT JOIN codes c ON c.id = json_extract(d.fields, '$.{CELL}[1]')"
        f" WHERE json_extract(d.fields, '$.{CELL}') IS NOT NULL ORDER BY d.saved_at DESC, d.id DESC")
    out = []
    for row in rows:
        draft = _decoded(row)
        case_id, code_id = draft["fields"][CELL]
        case = _deleted(project, "cases", case_id) if row["case_gone"] else row
        code = _deleted(project, "codes", code_id) if row["code_gone"] else row
        label = (code.get("name_zh") or code.get("name_en") or code.get("key") or code.get("code_key")
                 or f"code {code_id}")
        draft.update(case_id=case_id, code_id=code_id, case_name=case.get("case_name") or case.get("name")
                     or f"case {case_id}", code_label=label,
                     gone=[w for w, g in (("case", row["case_gone"]), ("code", row["code_gone"])) if g])
        out.append(draft)
    return out


def orphaned_cells(project: Project) -> list[dict[str, Any]]:
    """The kept summary drafts whose case or code was deleted (see :func:`cell_drafts`)."""
    return [d for d in cell_drafts(project) if d["gone"]]


def _deleted(project: Project, table: str, row_id: int) -> dict[str, Any]:
    """A deleted row as the change log last held it ({} when it has none)."""
    found = project.conn.execute(
        "SELECT before FROM changes WHERE table_name = ? AND row_id = ? AND op = 'delete' ORDER BY id DESC LIMIT 1",
        [table, row_id]).fetchone()
    return dict(json.loads(found[0])) if found and found[0] else {}


def unsaved_under(project: Project, *, case_ids: Iterable[int] = (), code_ids: Iterable[int] = ()) -> list[int]:
    """The kept summary drafts of these cases' or codes' cells that hold words never saved
    (their text is not the cell's summary as stored); their ids."""
    cases, codes = json.dumps(sorted(case_ids)), json.dumps(sorted(code_ids))
    return [r["id"] for r in project.query(
        f"SELECT d.id FROM drafts d LEFT JOIN framework_cells f"
        f" ON f.case_id = json_extract(d.fields, '$.{CELL}[0]') AND f.code_id = json_extract(d.fields, '$.{CELL}[1]')"
        f" WHERE json_extract(d.fields, '$.{CELL}') IS NOT NULL"
        f" AND (json_extract(d.fields, '$.{CELL}[0]') IN (SELECT value FROM json_each(?))"
        f"  OR json_extract(d.fields, '$.{CELL}[1]') IN (SELECT value FROM json_each(?)))"
        f" AND trim(d.text) != trim(coalesce(f.summary, ''))", [cases, codes])]


def settle_cells(project: Project, code_id: int, *, into: int | None = None) -> None:
    """Before code ``code_id`` goes: the kept drafts of its cells that hold nothing unsaved go
    (their words are the summary, which the logged delete keeps for undo); the others stay
    (:func:`orphaned_cells` lists them; undo puts them back in their cells), or with
    ``into`` (a code merge) move to the merged cell, joined to a draft kept there."""
    keep = set(unsaved_under(project, code_ids=[code_id]))
    for row in project.query(f"SELECT * FROM drafts WHERE json_extract(fields, '$.{CELL}[1]') = ? ORDER BY id",
                             [code_id]):
        draft = _decoded(row)
        if draft["id"] not in keep:
            project.conn.execute("DELETE FROM drafts WHERE id = ?", [draft["id"]])
        elif into is not None:
            case_id = draft["fields"][CELL][0]
            there = cell_draft(project, case_id, into)
            if there is None:
                fields = {**draft["fields"], CELL: [case_id, into]}
                project.conn.execute("UPDATE drafts SET fields = ? WHERE id = ?",
                                     [json.dumps(fields, ensure_ascii=False), draft["id"]])
            else:
                joined = "\n\n".join(t for t in (there["text"], draft["text"]) if t.strip())
                project.conn.execute("UPDATE drafts SET text = ? WHERE id = ?", [joined, there["id"]])
                project.conn.execute("DELETE FROM drafts WHERE id = ?", [draft["id"]])


def get(project: Project, draft_id: int) -> dict[str, Any]:
    """One draft."""
    rows = project.query("SELECT * FROM drafts WHERE id = ?", [draft_id])
    if not rows:
        raise NotFoundError(f"no draft {draft_id}")
    return _decoded(rows[0])


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "fields": json.loads(row["fields"])}


def discard(project: Project, draft_id: int) -> None:
    """Throw a draft away."""
    with project.transaction():
        project.conn.execute("DELETE FROM drafts WHERE id = ?", [draft_id])


def take_edits(project: Project, w: ChangeWriter, source_id: int) -> list[tuple[dict[str, Any], str]]:
    """Before a source goes by a merge or a settled conflict: its kept edits go with it as
    logged deletes (undo brings them back), never dropped unseen by the database's cascade;
    returns (the source, the words) of each that differs from its text, for the caller to
    set aside with :func:`keep_aside` once it knows the change stands."""
    source = project.query("SELECT * FROM sources WHERE id = ?", [source_id])[0]
    out = []
    for draft in project.query("SELECT id, text FROM drafts WHERE source_id = ? ORDER BY id", [source_id]):
        w.delete("drafts", draft["id"])
        if draft["text"] != source["text"]:
            out.append((source, str(draft["text"])))
    return out


def changed_under(project: Project, draft: dict[str, Any]) -> list[dict[str, Any]] | None:
    """None while the source an edit draft corrects still has the text the draft began
    from; else the logged changes to that text since (who, when), oldest first."""
    from fieldcase.store.texts import changed_since

    return changed_since(project, draft["source_id"], draft["fields"].get(BASE), draft["created_at"])


def keep_aside(project: Project, source: Mapping[str, Any], text: str) -> str:
    """Set an edit aside for the user to copy from; returns where, in words.

    In a plain project it is written to a private file (:func:`keep_as_file`). An
    encrypted project keeps it inside itself, as a draft of a new source titled after the
    source (ctrl+n opens it): a file beside it would hold the words unencrypted."""
    from fieldcase.store import cipher

    if cipher.encrypted(project.conn):
        save(project, None, text, {"title": f"Kept edit of {source['title']}", "kind": source.get("kind") or "interview"})
        return f"a new-source draft 'Kept edit of {source['title']}' (ctrl+n opens it)"
    return str(keep_as_file(project, source, text))


def keep_as_file(project: Project, source: Mapping[str, Any], text: str) -> Path:
    """Write an edit's text to a file beside the project (``NAME-kept-edits/``), for the
    user to copy from or to apply with ``fieldcase source edit --from-file``; returns it."""
    stamp = re.sub(r"[^0-9]", "", now())[:14]
    folder = private_folder(kept_folder(project))
    path = folder / f"source-{source['id']}-{stamp}.txt"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"source-{source['id']}-{stamp}-{number}.txt"
    with os.fdopen(create_private(path), "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


def kept_folder(project: Project) -> Path:
    """Where :func:`keep_as_file` writes (it may not exist yet)."""
    return kept_folder_beside(project.path)


def kept_folder_beside(project_path: Path) -> Path:
    """The kept-edits folder of the project file at ``project_path``."""
    return project_path.with_name(f"{project_path.stem}-kept-edits")


def kept_files(project: Project, source_id: int) -> list[Path]:
    """The edits of one source kept as files by :func:`keep_as_file`."""
    folder = kept_folder(project)
    return sorted(folder.glob(f"source-{source_id}-*.txt")) if folder.is_dir() else []
