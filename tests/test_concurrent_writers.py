"""Several processes writing one project at once: three code and import while three more
rebuild the search index, make suggestions, and fill the word cache and save drafts. None
may fail with "database is locked" (each waits its turn), and nothing is lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fieldcase.importers import import_paths
from fieldcase.store.project import init_project, open_project

WORKER = r'''
import json, sys
from pathlib import Path
from fieldcase.store.project import open_project

role, path, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
done = {}


def more():
    return not stop.exists()


with open_project(path, user=role) as project:
    if role.startswith("coder"):
        from fieldcase.store import codings
        lane, k = int(role[-1]), 0
        while more() or k < 20:
            _, new = codings.add(project, 1 + k % 3, "talent", 300 * lane + k % 280, 300 * lane + k % 280 + 2 + k // 280)
            done["codings"] = done.get("codings", 0) + new
            k += 1
    elif role == "importer":
        from fieldcase.importers import import_paths
        folder = path.parent / "arriving"
        folder.mkdir(exist_ok=True)
        k = 0
        while more() or k < 5:
            new = folder / f"late-{k}.txt"
            new.write_text(f"访谈者：第{k}次回访？\nH：合作社{k}的土地流转以后收入高了。\n", encoding="utf-8")
            done["sources"] = done.get("sources", 0) + sum(r.status == "imported" for r in import_paths(project, [new]))
            k += 1
    elif role == "reindexer":
        from fieldcase.store import search_index
        for k in range(6):
            done["indexed"] = search_index.rebuild(project)
    elif role == "suggester":
        from fieldcase.analysis.suggest import suggest
        for k in range(6):
            suggest(project)
    else:
        from fieldcase.store import drafts, words
        from fieldcase.analysis.words import word_counts
        for k in range(4):
            words.add(project, f"回访{k}")  # a new glossary: every source's words are counted again
            done["words"] = len(word_counts(project))
            for d in range(5):
                draft = drafts.save(project, None, f"草稿{k}", {"title": f"draft {k}"})
                drafts.save(project, draft, f"草稿{k}，改过", {"title": f"draft {k}"})
                done["drafts"] = done.get("drafts", 0) + 1
print(json.dumps(done))
'''


def start(role: str, path: Path, stop: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WORKER, role, str(path), str(stop)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(role: str, process: subprocess.Popen[str]) -> dict[str, int]:
    """What a worker says it committed; it must have ended well."""
    out, err = process.communicate(timeout=120)
    assert "database is locked" not in err, role
    assert process.returncode == 0, f"{role}: {err.strip().splitlines()[-1:]}"
    return json.loads(out)


def test_writers_reindex_suggest_word_cache_and_drafts_wait_for_each_other(tmp_path):
    path = tmp_path / "shared.fieldcase"
    with init_project(path, user="setup") as project:
        for i in range(3):
            (tmp_path / f"s{i}.txt").write_text(f"访谈者：您是哪一年回村的？（{i}）\nH：" + "土地流转以后，大家收入高了。"
                                               "合作社办起来了。" * 40 + "\n", encoding="utf-8")
        import_paths(project, [tmp_path / f"s{i}.txt" for i in range(3)])
    stop = tmp_path / "stop"
    writers = {role: start(role, path, stop) for role in ("coder0", "coder1", "importer")}
    others = {role: start(role, path, stop) for role in ("reindexer", "suggester", "cacher")}
    try:
        reports = {role: finish(role, process) for role, process in others.items()}
        stop.touch()  # the writers go on until the others are done
        reports.update({role: finish(role, process) for role, process in writers.items()})
    finally:
        stop.touch()
        for process in [*writers.values(), *others.values()]:
            if process.poll() is None:  # after a failure: stop what is left
                process.kill()
                process.wait()
    with open_project(path, user="check") as project:
        def count(sql: str) -> int:
            return project.conn.execute(sql).fetchone()[0]

        assert count("SELECT count(*) FROM codings") == reports["coder0"]["codings"] + reports["coder1"]["codings"]
        assert count("SELECT count(*) FROM sources") == 3 + reports["importer"]["sources"]
        assert count("SELECT count(*) FROM drafts") == reports["cacher"]["drafts"] == 20
        assert count("SELECT count(*) FROM glossary") == 4
        assert count("SELECT count(*) FROM search_docs WHERE live = 1") == count("SELECT count(*) FROM sources")
        assert count("SELECT count(*) FROM suggestions") > 0 and count("SELECT count(*) FROM word_cache") > 0
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
