"""What a push lists of each logged change: an insert's columns read from its logged names
alone are those its logged row holds, as a merge reads them (the hub's history says the same
whichever way it was read)."""

from __future__ import annotations

import json

from fieldcase.store import codings, memos, merging, sources
from fieldcase.store.changes import OMIT_FROM_LOG, WORDS_OF_INSERT
from fieldcase.store.project import open_project
from fieldcase.store.texts import replace_text


def reference_columns(table: str, op: str, before: str | None, after: str | None) -> tuple[str, ...]:
    """An entry's columns worked out from its whole payloads, the plain way."""
    new, old = (json.loads(p) if p else {} for p in (after, before))
    new = {} if new.get("purged") else new
    skip = OMIT_FROM_LOG.get(table, frozenset()) | WORDS_OF_INSERT.get(table, frozenset())
    columns = [] if op == "delete" else [c for c, v in new.items()
                                         if c not in skip and (op == "insert" or old.get(c) != v)]
    if op == "insert" and table == "sources" and "text_sha256" not in columns:
        columns.append("text_sha256")
    return tuple(columns)


def test_an_inserts_columns_come_from_its_logged_names(sample):
    with open_project(sample, user="zhao") as project:
        source = sources.all_ids(project)[0]
        text = sources.get(project, source)["text"]
        codings.add(project, source, "land", 0, 4)
        memos.add(project, "source", source, "备忘")
        replace_text(project, source, "补充。" + text)
        ids = [r[0] for r in project.conn.execute("SELECT id FROM change_groups ORDER BY id")]
        copy = merging.read_copy(project)
        listed = list(merging.entries(copy, ids))
        logged = project.query(
            "SELECT c.table_name, c.op, c.before, c.after, c.seq, g.uuid FROM changes c"
            " JOIN change_groups g ON g.id = c.group_id ORDER BY c.id")
    expected = {(r["uuid"], r["seq"]): reference_columns(r["table_name"], r["op"], r["before"], r["after"])
                for r in logged if r["table_name"] in merging.TABLES}
    got = {(e.group, e.seq): e.columns for e in listed}
    inserts = [e for e in listed if e.op == "insert"]
    assert len(inserts) > 100 and {e.table for e in inserts} >= {"sources", "codes", "codings", "memos"}
    assert got == {k: v for k, v in expected.items() if k in got}
    assert len(got) >= len(expected) - sum(1 for r in logged if r["table_name"] in merging.JOINS)
