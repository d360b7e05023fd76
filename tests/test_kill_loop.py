"""kill -9 at random moments during import, coding, text edits, undo and backups: the file
stays whole, every row is explained by a committed change group, no commit is lost, and
no half-written backup is listed.

(The concurrent-writer test, several processes writing at once, lives with the lock tests.)
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from fieldcase.store.backups import backups
from fieldcase.store.project import init_project, open_project
from fieldcase.store.restoring import inspect

WORKER = Path(__file__).with_name("crash_worker.py")
KILLS = 20


def run_until_killed(project: Path, folder: Path, seed: int, after: float) -> list[str]:
    """Start a worker, let it work ``after`` seconds once ready, SIGKILL it; returns the
    uuids of the change groups it said it had committed."""
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(project), str(folder), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert worker.stdout is not None
        ready = worker.stdout.readline()
        assert ready == "ready\n", ready + worker.stderr.read() if worker.stderr else ""
        time.sleep(after)
        os.kill(worker.pid, signal.SIGKILL)
        out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL, err  # it was working, not failing, when killed
    # a line the kill cut short (no newline yet) is an announcement not finished: not counted
    return [line.split()[1] for line in out.splitlines(keepends=True)
            if line.startswith("committed ") and line.endswith("\n")]


def test_kill_minus_nine_loses_nothing_committed_and_leaves_a_whole_explained_file(tmp_path, cli):
    project_path = tmp_path / "study.fieldcase"
    init_project(project_path, user="tester").close()
    folder = tmp_path / "texts"
    folder.mkdir()
    timing = random.Random(12)
    committed: list[str] = []
    for kill in range(KILLS):
        committed += run_until_killed(project_path, folder, seed=kill, after=timing.uniform(0.05, 0.5))

    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
    with open_project(project_path) as project:
        groups = {r[0] for r in project.conn.execute("SELECT uuid FROM change_groups")}
        assert set(committed) <= groups
        made = dict(project.conn.execute("SELECT 'sources', count(*) FROM sources UNION ALL "
                                         "SELECT 'codings', count(*) FROM codings").fetchall())
    assert made["sources"] > 0 and made["codings"] > 0 and len(committed) > KILLS  # the work really ran
    for kept in backups(project_path):
        assert inspect(kept.path)["uuid"]  # every backup listed is a whole project
