"""A scratch hub for a benchmark: a new database on the test server made a hub, and a
folder for the projects; both removed at the end."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from fieldcase.hubstore.schema import init_hub

SERVER = os.environ.get("FIELDCASE_TEST_PG") or "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_hub(prefix: str) -> Iterator[tuple[str, Path]]:
    """The URL of a new hub and a temporary folder."""
    name = f"fcbench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        url = psycopg.conninfo.make_conninfo(SERVER, dbname=name)
        init_hub(url)
        yield url, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
