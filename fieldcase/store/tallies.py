"""Small reads for refreshing the workspace after one change, none of which walks a text.

A source's row stores its text before its turns and hashes, so reading any column after
``text`` follows the text's overflow pages: the navigator's listing reads only the columns
before it. Counts come from the partial index ``codings_once`` (active codings by source)
and ``codings_code`` (codings by code), never from a scan of every coding.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldcase.store.project import Project


def navigator_sources(project: Project) -> list[dict[str, Any]]:
    """Every source as the navigator shows it (id, title, kind, date, site, cases), in the
    order of :func:`fieldcase.store.sources.list_all`, without reading a text."""
    rows = project.query(
        "SELECT s.id, s.title, s.kind, s.date, s.site_id, st.name AS site,"
        " (SELECT json_group_array(c.name) FROM source_cases sc JOIN cases c ON c.id = sc.case_id"
        "  WHERE sc.source_id = s.id) AS cases"
        " FROM sources s LEFT JOIN sites st ON st.id = s.site_id"
        " ORDER BY st.name IS NULL, st.name, s.date IS NULL, s.date, s.id"
    )
    for row in rows:
        row["cases"] = sorted(json.loads(row["cases"]))
    return rows


def first_source(project: Project) -> int | None:
    """The id of the source the navigator lists first, if any."""
    row = project.conn.execute(
        "SELECT s.id FROM sources s LEFT JOIN sites st ON st.id = s.site_id"
        " ORDER BY st.name IS NULL, st.name, s.date IS NULL, s.date, s.id LIMIT 1"
    ).fetchone()
    return int(row[0]) if row else None


def source_exists(project: Project, source_id: int) -> bool:
    """Whether the source is (still) there."""
    return project.conn.execute("SELECT 1 FROM sources WHERE id = ?", [source_id]).fetchone() is not None


def codings_in_source(project: Project, source_id: int) -> int:
    """How many active codings one source has."""
    row = project.conn.execute(
        "SELECT count(*) FROM codings WHERE source_id = ? AND status = 'active'", [source_id]
    ).fetchone()
    return int(row[0])


def code_counts(project: Project, code_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{code_id: (active codings, sources they are in)}`` for the given codes (a code
    with none is ``(0, 0)``)."""
    counts = {code_id: (0, 0) for code_id in code_ids}
    for code_id, codings, sources in project.conn.execute(
        "SELECT code_id, count(*), count(DISTINCT source_id) FROM codings"
        " WHERE code_id IN (SELECT value FROM json_each(?)) AND status = 'active' GROUP BY code_id",
        [json.dumps(code_ids)],
    ):
        counts[code_id] = (codings, sources)
    return counts
