"""Work on a project until killed, for the kill -9 test (tests/test_kill_loop.py).

``python crash_worker.py PROJECT FOLDER SEED`` imports interviews, codes spans, edits
texts, undoes, redoes and backs up, at random, forever. It prints ``ready`` once it has
imported and coded once (so that a kill stops work, not Python loading modules), then
``committed UUID`` after each change group it commits: the commits a kill must not lose.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from fieldcase.errors import FieldcaseError
from fieldcase.importers import import_paths
from fieldcase.store import codings, history, texts
from fieldcase.store.backups import make_backup
from fieldcase.store.project import Project, open_project

WORDS = "土地流转 合作社 返乡 村民 入股 杭州 生意 父母 收入 电商 竹编 直播 培训 补贴 贷款".split()


def interview(rng: random.Random, tag: str) -> str:
    """A short interview transcript, unique by ``tag``."""
    turns = []
    for _ in range(rng.randint(2, 6)):
        turns.append(f"访谈者：{''.join(rng.choices(WORDS, k=3))}？")
        turns.append(f"H：{''.join(rng.choices(WORDS, k=rng.randint(5, 20)))}。")
    return f"{tag}\n" + "\n".join(turns) + "\n"


def do_import(project: Project, rng: random.Random, folder: Path, step: int) -> None:
    path = folder / f"{rng.random():.12f}-{step}.txt"
    path.write_text(interview(rng, path.stem), encoding="utf-8")
    import_paths(project, [path])


def do_code(project: Project, rng: random.Random, folder: Path, step: int) -> None:
    source = _source(project, rng)
    code = rng.choice(project.query("SELECT id FROM codes"))["id"]
    start = rng.randrange(0, source["chars"] - 1)
    codings.add(project, source["id"], code, start, rng.randint(start + 1, min(source["chars"], start + 30)))


def do_edit(project: Project, rng: random.Random, folder: Path, step: int) -> None:
    source = _source(project, rng)
    text = project.conn.execute("SELECT text FROM sources WHERE id = ?", [source["id"]]).fetchone()[0]
    at = rng.randrange(0, len(text))
    cut = rng.randint(0, 6)
    new = text[:at] + "".join(rng.choices(WORDS, k=rng.randint(0, 2))) + text[at + cut :]
    texts.replace_text(project, source["id"], new)


def do_undo(project: Project, rng: random.Random, folder: Path, step: int) -> None:
    history.undo(project)


def do_redo(project: Project, rng: random.Random, folder: Path, step: int) -> None:
    history.redo(project)


def do_backup(project: Project, rng: random.Random, folder: Path, step: int) -> None:
    make_backup(project, "periodic")


def _source(project: Project, rng: random.Random) -> dict:
    rows = project.query("SELECT id, chars FROM sources")
    if not rows:
        raise FieldcaseError("no source yet")
    return rng.choice(rows)


OPS = [do_import] * 3 + [do_code] * 6 + [do_edit] * 3 + [do_undo] * 3 + [do_redo] + [do_backup]


def main(project_path: Path, folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    with open_project(project_path, user="worker") as project:
        do_import(project, rng, folder, -1)  # loads what the first of each kind of work would load
        do_code(project, rng, folder, -1)
        print("ready", flush=True)
        for step in range(10**9):
            try:
                rng.choice(OPS)(project, rng, folder, step)
            except FieldcaseError:
                continue
            last = project.conn.execute("SELECT uuid FROM change_groups ORDER BY id DESC LIMIT 1").fetchone()
            if last:
                print("committed", last[0], flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
