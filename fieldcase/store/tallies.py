"""Small reads for refreshing the workspace after one change, none of which walks a text.

A source's row stores its text before its turns and hashes, so reading any column after
``text`` follows the text's overflow pages: the navigator's listing reads only the columns
before it. (The workspace works out the counts a coding changes from the codings of its one
source, which it reads anyway to colour the reader.)
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
