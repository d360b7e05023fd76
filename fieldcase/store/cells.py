"""Framework cells: one case under one code (a theme of the framework method), holding the
researcher's summary and links to the codings it rests on.

A cell is an entity (UUID, who wrote it and when) matched across copies by its UUID or by
its case and code; its links join it to codings and are matched by the two they join.
Every write goes through the change log, so undo and merges see cells like memos.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fieldcase.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from fieldcase.store.changes import ChangeWriter
    from fieldcase.store.project import Project

CELLS = "framework_cells"
LINKS = "framework_links"
_LISTED = (
    "SELECT f.*, k.name AS case_name, k.site_id, s.name AS site, c.key AS code_key, c.name_zh, c.name_en,"
    " (SELECT json_group_array(coding_id) FROM (SELECT coding_id FROM framework_links l"
    "   WHERE l.cell_id = f.id{seen} ORDER BY coding_id)) AS links"
    " FROM framework_cells f JOIN cases k ON k.id = f.case_id JOIN codes c ON c.id = f.code_id"
    " LEFT JOIN sites s ON s.id = k.site_id"
)
_SEEN_LINK = " AND (SELECT coder FROM codings g WHERE g.id = l.coding_id) = ?"


def _ids(project: Project, case: str | int, code: str | int) -> tuple[dict[str, Any], dict[str, Any]]:
    from fieldcase.store import cases, codes

    return cases.find(project, case), dict(codes.find(project, code))


def _about(case: dict[str, Any], code: dict[str, Any]) -> str:
    name = code.get("name_zh") or code.get("name_en") or code["key"]
    return f"{case['name']} × {name}"


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    import json

    return {**row, "links": json.loads(row["links"] or "[]")}


def get(project: Project, case: str | int, code: str | int) -> dict[str, Any] | None:
    """The cell of ``case`` under ``code`` (with its case and code names and its links), or None."""
    found_case, found_code = _ids(project, case, code)
    return by_ids(project, found_case["id"], found_code["id"])


def by_ids(project: Project, case_id: int, code_id: int, *, hidden: bool = False) -> dict[str, Any] | None:
    """The cell of case ``case_id`` under code ``code_id``, or None; while blind coding is on,
    None for a cell another coder wrote last, unless ``hidden`` (what is stored, seen or not)."""
    listed, mine, params = _blind(project, hidden)
    rows = project.query(f"{listed} WHERE f.case_id = ? AND f.code_id = ?{mine}",
                         [*params[:-1], case_id, code_id, *params[-1:]])
    return _shaped(rows[0]) if rows else None


def _blind(project: Project, hidden: bool = False) -> tuple[str, str, list[str]]:
    """The listing query, and the condition that keeps, while blind coding is on, only the
    cells the user wrote last, with their parameters (the first the listing's, the last the
    condition's): while blind, a cell's links are only to the user's own codings."""
    from fieldcase.store.blinding import blind_as

    me = None if hidden else blind_as(project)
    if me is None:
        return _LISTED.format(seen=""), "", []
    return _LISTED.format(seen=_SEEN_LINK), " AND f.modified_by = ?", [me, me]


def list_all(project: Project, *, case: str | int | None = None, code: str | int | None = None,
             case_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Cells, by site, case and codebook order; narrowed to one case, one code, or these cases."""
    from fieldcase.store import cases, codes

    where, params = ["1"], []
    if case is not None:
        where.append("f.case_id = ?")
        params.append(cases.find(project, case)["id"])
    if code is not None:
        where.append("f.code_id = ?")
        params.append(codes.find(project, code)["id"])
    if case_ids is not None:
        import json

        where.append("f.case_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(case_ids)))
    listed, mine, seen = _blind(project)
    rows = project.query(f"{listed} WHERE {' AND '.join(where)}{mine} ORDER BY s.name, k.name, c.key",
                         [*seen[:-1], *params, *seen[-1:]])
    return [_shaped(r) for r in rows]


class StaleCellError(InputError):
    """The cell's summary is no longer the one an edit started from (someone changed it)."""

    def __init__(self, message: str, cell: dict[str, Any] | None, about: str = "") -> None:
        super().__init__(message)
        self.cell = cell  # the cell as it is now stored (None: it is gone)
        self.about = about  # the cell, as messages name it (case × theme)


def write(project: Project, case: str | int, code: str | int, summary: str | None = None, *,
          link: Iterable[int] = (), unlink: Iterable[int] = (), writer: ChangeWriter | None = None,
          expected: str | None = None) -> dict[str, Any]:
    """Set a cell's summary (``None``: leave it) and add or take away links to codings, in one
    logged change; the cell is made when first written. Returns the cell.

    With ``expected`` (the summary as the edit read it, ``""`` for no cell yet), the write is
    refused with :class:`StaleCellError` unless the stored summary is still that one,
    checked inside the writing transaction."""
    found_case, found_code = _ids(project, case, code)
    adding, taking = list(dict.fromkeys(int(c) for c in link)), {int(c) for c in unlink}
    _check_codings(project, adding)
    about = _about(found_case, found_code)
    with project.writing(writer, "cell.write", f"Summary of {about}") as w:
        cell = by_ids(project, found_case["id"], found_code["id"], hidden=True)
        if cell is not None and by_ids(project, found_case["id"], found_code["id"]) is None:
            raise InputError(f"{about}: another coder's summary is there, hidden while blind coding is on "
                             "(`fieldcase blind off` shows it)")
        if expected is not None and (cell["summary"] if cell else "") != expected.strip():
            raise StaleCellError(f"{about}: the summary was changed {changed_by(cell)} after this edit "
                                 "began; nothing was written", cell, about)
        if cell is None:
            cell_id = w.insert(CELLS, {"case_id": found_case["id"], "code_id": found_code["id"],
                                       "summary": (summary or "").strip()})
            have: set[int] = set()
        else:
            cell_id, have = cell["id"], set(cell["links"])
            if summary is not None and summary.strip() != cell["summary"]:
                w.update(CELLS, cell_id, {"summary": summary.strip()})
        new = [{"cell_id": cell_id, "coding_id": c} for c in adding if c not in have]
        if new:
            w.insert_many(LINKS, new)
        for row in project.query("SELECT id, coding_id FROM framework_links WHERE cell_id = ?", [cell_id]):
            if row["coding_id"] in taking:
                w.delete(LINKS, row["id"])
    written = by_ids(project, found_case["id"], found_code["id"], hidden=True)
    assert written is not None
    return written


def changed_by(cell: dict[str, Any] | None) -> str:
    """Who wrote a cell last and when, e.g. ``by zhao on 2026-05-02 14:03`` (or that it is gone)."""
    from fieldcase.text.times import local as when

    if cell is None:
        return "(it was deleted)"
    return f"by {cell['modified_by']} on {when(cell['modified_at'])}"


def _check_codings(project: Project, ids: list[int]) -> None:
    """Refuse a link to a coding that does not exist, naming it."""
    import json

    if not ids:
        return
    known = {r["id"] for r in project.query(
        "SELECT id FROM codings WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])}
    missing = [i for i in ids if i not in known]
    if missing:
        raise NotFoundError(f"no coding {', '.join(map(str, missing))} to link")


def delete(project: Project, case: str | int, code: str | int) -> None:
    """Delete a cell with its links."""
    cell = get(project, case, code)
    if cell is None:
        raise NotFoundError(f"no summary of case {case!r} under code {code!r}")
    with project.change("cell.delete", f"Deleted the summary of {cell['case_name']} × {cell['code_key']}") as w:
        remove(project, w, [cell["id"]])


def remove(project: Project, w: ChangeWriter, cell_ids: Iterable[int]) -> None:
    """Delete these cells and their links, logged (a case, code or the cell going)."""
    for cell_id in cell_ids:
        for link in project.query("SELECT id FROM framework_links WHERE cell_id = ? ORDER BY id", [cell_id]):
            w.delete(LINKS, link["id"])
        w.delete(CELLS, cell_id)


def coding_goes(project: Project, w: ChangeWriter, coding_id: int, into: int | None = None) -> None:
    """Before a coding is deleted: its links go, logged, or with ``into`` (a twin that now
    covers the same words) move to that coding."""
    for link in project.query("SELECT id, cell_id FROM framework_links WHERE coding_id = ? ORDER BY id",
                              [coding_id]):
        twin = into is not None and project.query(
            "SELECT 1 FROM framework_links WHERE cell_id = ? AND coding_id = ?", [link["cell_id"], into])
        if into is None or twin:
            w.delete(LINKS, link["id"])
        else:
            w.update(LINKS, link["id"], {"coding_id": into})


def code_goes(project: Project, w: ChangeWriter, code_id: int, into: int | None = None) -> None:
    """Before a code is deleted: its cells go, logged, or with ``into`` (a code merge) move
    there; a case that has a cell under both keeps one, the two summaries joined."""
    for cell in project.query("SELECT * FROM framework_cells WHERE code_id = ? ORDER BY id", [code_id]):
        twin = None if into is None else project.query(
            "SELECT * FROM framework_cells WHERE case_id = ? AND code_id = ?", [cell["case_id"], into])
        if into is None:
            remove(project, w, [cell["id"]])
        elif not twin:
            w.update(CELLS, cell["id"], {"code_id": into})
        else:
            joined = "\n\n".join(s for s in (twin[0]["summary"], cell["summary"]) if s)
            w.update(CELLS, twin[0]["id"], {"summary": joined})
            for link in project.query("SELECT coding_id FROM framework_links WHERE cell_id = ?", [cell["id"]]):
                if not project.query("SELECT 1 FROM framework_links WHERE cell_id = ? AND coding_id = ?",
                                     [twin[0]["id"], link["coding_id"]]):
                    w.insert(LINKS, {"cell_id": twin[0]["id"], "coding_id": link["coding_id"]})
            remove(project, w, [cell["id"]])


def counts(project: Project) -> dict[str, int]:
    """How many cells hold a summary, and how many links there are."""
    cells = project.conn.execute("SELECT count(*) FROM framework_cells WHERE summary != ''").fetchone()[0]
    links = project.conn.execute("SELECT count(*) FROM framework_links").fetchone()[0]
    return {"cells": int(cells), "links": int(links)}


def check_text(text: str) -> str:
    """A summary as stored: stripped; refuses one of nothing but blanks when one is required."""
    if not text or not text.strip():
        raise InputError("a summary needs some text")
    return text.strip()
