"""Finding records by what a user types: an id, a UUID (or its prefix) or a name."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from fieldcase.errors import AmbiguousError, NotFoundError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fieldcase.store.project import Project

_UUIDISH = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{0,4}){0,4}[0-9a-f-]*$", re.I)
_NOUNS = {"sites": "site", "cases": "case", "sources": "source", "attributes": "attribute"}


def find_row(
    project: Project,
    table: str,
    ref: str | int,
    *,
    name_column: str | None = "name",
    where: str = "",
    params: list[Any] | None = None,
) -> dict[str, Any]:
    """One row of ``table`` named by id, UUID or UUID prefix, or ``name_column``.

    ``where``/``params`` narrow the search (e.g. to one site). Raises
    ``NotFoundError`` or ``AmbiguousError`` with a message naming ``ref``.
    """
    noun = _NOUNS.get(table, table.rstrip("s"))
    extra = f" AND ({where})" if where else ""
    params = list(params or [])
    text = str(ref).strip()
    if isinstance(ref, int) or text.isdigit():
        rows = project.query(f'SELECT * FROM "{table}" WHERE id = ?{extra}', [int(text), *params])
        if rows:
            return rows[0]
    if name_column:
        rows = project.query(
            f'SELECT * FROM "{table}" WHERE "{name_column}" = ? COLLATE NOCASE{extra}',
            [text, *params],
        )
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise AmbiguousError(
                f"{len(rows)} {noun}s are named {text!r}; use an id: "
                + ", ".join(str(r["id"]) for r in rows)
            )
    if _UUIDISH.match(text):
        rows = project.query(
            f'SELECT * FROM "{table}" WHERE uuid LIKE ? || \'%\'{extra}', [text.lower(), *params]
        )
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            raise AmbiguousError(f"{text!r} is the start of {len(rows)} {noun} ids; type more of it")
    raise NotFoundError(f"no {noun} {text!r}")


def taken_uuids(project: Project, table: str, uuids: Iterable[str]) -> set[str]:
    """Which of ``uuids`` rows of ``table`` hold already (one query, however many; the
    UUIDs are not read at all when the table is empty)."""
    import json

    if project.conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is None:
        return set()  # an empty table (an import into a new project) holds none
    wanted = list(uuids)
    if not wanted:
        return set()
    return {r[0] for r in project.conn.execute(
        f'SELECT uuid FROM "{table}" WHERE uuid IN (SELECT value FROM json_each(?))', [json.dumps(wanted)])}
