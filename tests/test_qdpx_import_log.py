"""The change log of a .qdpx import, whose codings are logged in bulk by SQLite
(``ChangeWriter.insert_tuples``): each entry says what a per-row insert says, the log checks
clean, undo takes the import back exactly and redo brings it again, and a hub sync carries
the imported codings to another member intact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from qdpx_projects import enrich

from conftest import INTERVIEW_TEXT
from fieldcase.exchange.qdpx.import_project import import_qdpx
from fieldcase.reports.exporting import export_qdpx
from fieldcase.store import codings, history, memos, sources
from fieldcase.store.changes import STAMPS, as_inserted
from fieldcase.store.checks import Report
from fieldcase.store.log_check import check as log_check
from fieldcase.store.project import Project, open_project

MEMO = 'a "quoted" memo\twith a tab,\nnew line, \\ and 😀'  # every character JSON escapes or keeps


@pytest.fixture
def archive(sample: Path, tmp_path: Path) -> Path:
    """The enriched sample project (one coding memo full of characters JSON must escape),
    exported as a .qdpx."""
    out = tmp_path / "sample.qdpx"
    with open_project(sample, user="tester") as project:
        enrich(project)
        coding_id = project.query("SELECT id FROM codings ORDER BY id LIMIT 1")[0]["id"]
        codings.set_memo(project, coding_id, MEMO)
        export_qdpx(project, out, target="nvivo")
    return out


def dump(project: Project, *, modified: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the log, the search index and the texts kept for the
    log (``text_versions``: undo keeps a removed text there so that redo can bring it back),
    in id order; without the ``modified_`` stamps when not ``modified``."""
    tables = [r[0] for r in project.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' AND name NOT LIKE"
        " 'sqlite%' AND name NOT IN ('changes', 'change_groups', 'change_origins', 'text_versions') ORDER BY name")]
    out = {}
    for table in tables:
        cursor = project.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        keep = [i for i, d in enumerate(cursor.description) if modified or not d[0].startswith("modified_")]
        out[table] = [tuple(row[i] for i in keep) for row in cursor]
    return out


def dump_of(full: dict[str, list[tuple[Any, ...]]], project: Project, *, modified: bool) -> dict[str, Any]:
    """A :func:`dump` taken earlier, without the ``modified_`` stamps when not ``modified``."""
    out = {}
    for table, rows in full.items():
        names = [r[1] for r in project.conn.execute(f'PRAGMA table_info("{table}")')]
        keep = [i for i, n in enumerate(names) if modified or not n.startswith("modified_")]
        out[table] = [tuple(row[i] for i in keep) for row in rows]
    return out


def test_each_imported_coding_is_logged_as_a_row_insert_and_the_log_checks_clean(project, archive) -> None:
    sources.add(project, {"title": "already here", "text": INTERVIEW_TEXT, "kind": "interview"})
    import_qdpx(project, archive)
    group = project.query("SELECT * FROM change_groups ORDER BY id DESC LIMIT 1")[0]
    entries = {r["row_id"]: r for r in project.query(
        "SELECT * FROM changes WHERE group_id = ? AND table_name = 'codings'", [group["id"]])}
    rows = project.query("SELECT * FROM codings ORDER BY id")
    assert len(rows) > 40 and set(entries) == {r["id"] for r in rows}
    assert any(r["memo"] == MEMO for r in rows)
    texts = dict(project.conn.execute("SELECT id, text FROM sources").fetchall())
    for row in rows:
        words = codings.context(texts[row["source_id"]], row["start_offset"], row["end_offset"])
        assert {k: row[k] for k in words} == words  # stored as every other way of coding stores them
        entry = entries[row["id"]]
        assert entry["op"] == "insert" and entry["row_uuid"] == row["uuid"] and entry["before"] is None
        logged = as_inserted("codings", json.loads(entry["after"]), entry["row_id"], entry["row_uuid"],
                             group["at"], group["user"])
        defaults = ("quote", "context_before", "context_after", "status")  # words, and a default (as before)
        assert logged == {k: v for k, v in row.items() if k not in defaults} and row["status"] == "active"
        assert set(json.loads(entry["after"])) == {"source_id", "code_id", "start_offset", "end_offset", "coder",
                                                   "memo"}  # no stamp, UUID or words repeated
        assert all(row[s] == (group["at"] if s.endswith("_at") else group["user"]) for s in STAMPS)
    seqs = [r[0] for r in project.conn.execute("SELECT seq FROM changes WHERE group_id = ? ORDER BY id",
                                               [group["id"]])]
    assert seqs == list(range(1, len(seqs) + 1))
    assert list(log_check(project, Report(project.path))) == []


def test_undo_takes_the_import_back_exactly_and_redo_brings_it_again(project, archive) -> None:
    sources.add(project, {"title": "already here", "text": INTERVIEW_TEXT, "kind": "interview"})
    memos.add(project, "project", None, "kept")
    before = dump(project)
    import_qdpx(project, archive)
    imported = dump(project)
    assert len(imported["codings"]) > 40
    history.undo(project)
    assert dump(project) == before
    history.redo(project)
    again = dump(project)
    assert again["codings"] == imported["codings"]  # the bulk-logged rows, stamps and all
    # a redone update is stamped when it is redone (the import's own fields of cases and sources)
    assert dump(project, modified=False) == dump_of(imported, project, modified=False)
    assert list(log_check(project, Report(project.path))) == []


def test_an_imported_project_reaches_another_member_through_the_hub(pg_db, tmp_path, archive) -> None:
    from fieldcase.exchange.hub import clone, connect_project, sync_project
    from fieldcase.hubstore.schema import init_hub
    from fieldcase.store.project import init_project

    init_hub(pg_db.url)
    lead = init_project(tmp_path / "lead.fieldcase", user="lead", framework="none")
    sources.add(lead, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    connect_project(lead, pg_db.url)
    sync_project(lead)
    member, _ = clone(pg_db.url, tmp_path / "member.fieldcase", "zhao")
    try:
        import_qdpx(member, archive)
        sync_project(member)
        sync_project(lead)
        columns = "s.uuid, k.uuid, g.uuid, g.start_offset, g.end_offset, g.coder, g.memo, g.quote, g.status"
        query = (f"SELECT {columns} FROM codings g JOIN sources s ON s.id = g.source_id"
                 " JOIN codes k ON k.id = g.code_id ORDER BY g.uuid")
        theirs, ours = member.conn.execute(query).fetchall(), lead.conn.execute(query).fetchall()
        assert len(ours) > 40 and ours == theirs
        texts = "SELECT uuid, text FROM sources ORDER BY uuid"
        assert lead.conn.execute(texts).fetchall() == member.conn.execute(texts).fetchall()
        assert hub_codings(pg_db) == len(ours)
    finally:
        lead.close()
        member.close()


def hub_codings(hub: Any) -> int:
    """How many codings the hub holds."""
    found: int = hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0]
    return found
