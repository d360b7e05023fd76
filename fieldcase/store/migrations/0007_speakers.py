"""Speakers: each source's speaker labels, their role, the case each stands for, and whether
the researcher decided that (else fieldcase proposed it and may propose again); and the
other names a case goes by. Existing sources get their speakers linked as an import
would link them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

SCHEMA = (
    """
    CREATE TABLE speakers (
        id          INTEGER PRIMARY KEY,
        uuid        TEXT NOT NULL UNIQUE,
        source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        role        TEXT NOT NULL DEFAULT 'speaker' CHECK (role IN ('interviewer', 'speaker')),
        case_id     INTEGER REFERENCES cases(id) ON DELETE SET NULL,
        decided     INTEGER NOT NULL DEFAULT 0 CHECK (decided IN (0, 1)),
        created_at  TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        modified_by TEXT NOT NULL,
        UNIQUE (source_id, label)
    )
    """,
    "CREATE INDEX speakers_case ON speakers (case_id)",
    "ALTER TABLE cases ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases))",
)


def migrate(db: Database) -> None:
    """Create the tables, then link the speakers of every source already stored."""
    from fieldcase.store.speakers import initial_rows

    for statement in SCHEMA:
        db.execute(statement)
    db.table("speakers").insert_all(initial_rows(db.conn))
