"""Build the historic project files in this folder with the fieldcase of an older commit.

Each ``vN.fieldcase.gz`` (gzipped to keep the repository small) holds three sources of the
bundled sample and one coding (from version 2 on), made by the last commit whose newest
migration was ``N``: a file as a user of that version has it. The upgrade tests
(``tests/test_migrations_historic.py``) open copies of them with today's fieldcase. When a
migration is added, run from the repository root, adding the last commit before it:

    .venv/bin/python tests/data/historic/make.py 1=f45cfee 2=ddba71d 3=f4cbcb2 4=709de71 \
        5=5dbc948 6=3ae07c9 7=0c986bb 8=e4e500f 9=76a333f 10=ca9c45c 11=a79ec46 12=39215d6

then `.venv/bin/python tests/test_migrations_historic.py` to record what they upgrade to.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

BUILD = """
import sys
from fieldcase.importers import import_paths
from fieldcase.importers.manifest import load_manifest
from fieldcase.resources import shipped
from fieldcase.store.project import init_project

folder = shipped("sample_cases")
project = init_project(sys.argv[1], user="zhao", name="fieldcase sample (fictional)")
load_manifest(project, folder / "project.toml")
names = ["x_village_h_interview_1.txt", "xiamu_liu_interview.txt", "quzhou_official_interview.docx"]
results = import_paths(project, [folder / "sources" / name for name in names])
assert all(r.status != "error" for r in results), results
source = project.query("SELECT id FROM sources ORDER BY id LIMIT 1")[0]["id"]
try:
    from fieldcase.store import codings  # no codes before version 2
except ImportError:
    pass
else:
    codings.add(project, source, "talent.motive.push", 0, 12)
conn = project.conn if hasattr(project, "conn") else project.db.conn  # early versions: only .db
assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == int(sys.argv[2])
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
project.close()
"""


def build(version: int, commit: str) -> Path:
    """``vN.fieldcase`` made by the fieldcase of ``commit``."""
    target = HERE / f"v{version}.fieldcase"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tree:
        archive = subprocess.run(["git", "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": tree, "FIELDCASE_USER": "zhao"}
        subprocess.run([sys.executable, "-c", BUILD, str(target), str(version)], check=True, env=env, cwd=tree)
    for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    packed = target.with_name(target.name + ".gz")
    packed.write_bytes(gzip.compress(target.read_bytes(), mtime=0))
    target.unlink()
    return packed


if __name__ == "__main__":
    for pair in sys.argv[1:]:
        version, commit = pair.split("=")
        print(build(int(version), commit))
