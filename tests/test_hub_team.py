"""Three members of one hub: a day's work each offline, syncs in every order, at once from
separate processes, and killed at random moments; they end with the same content."""

from __future__ import annotations

import itertools
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import INTERVIEW_TEXT
from fieldcase.exchange.hub import clone, connect_project, sync_project
from fieldcase.hubstore.schema import init_hub
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.store import cases, codes, codings, memos, sites, sources
from fieldcase.store.changes import STAMPS
from fieldcase.store.merging import JOINS, MEMO_TARGETS, TABLES
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text

PHRASES = ["土地流转", "父母年纪也大了", "合作社", "村民都来入股", "那时候杭州的生意不好做"]


def content(path: Path) -> dict[str, object]:
    """Everything a project holds that a team shares: every row of every table a sync carries,
    every column (texts included) with row ids as their lasting keys, and the change groups
    it knows. Left out: a row's local id and its stamps (created_ and modified_at and _by),
    which say who wrote the row into this copy: each copy stamps the team's change it writes,
    as a file merge does, finds a source's speakers again in a text edit it takes, and keeps
    its own creation of a twin (the same text imported on two laptops).
    """
    project = open_project(path)
    try:
        keys = {t: dict(project.conn.execute(f'SELECT id, uuid FROM "{t}"').fetchall())
                for t in TABLES if t not in JOINS}
        held: dict[str, object] = {}
        for table, pointers in TABLES.items():
            rows = []
            for row in project.query(f'SELECT * FROM "{table}"'):
                shared = {c: v for c, v in dict(row).items() if c != "id" and c not in STAMPS}
                for column, target in pointers.items():
                    shared[column] = keys[target].get(shared[column], "?") if shared[column] is not None else None
                if table == "memos" and shared["target_id"] is not None:
                    shared["target_id"] = keys[MEMO_TARGETS[shared["target_type"]]][shared["target_id"]]
                rows.append(json.dumps(shared, sort_keys=True, ensure_ascii=False))
            held[table] = sorted(rows)
        held["groups"] = sorted({r[0] for r in project.conn.execute(
            "SELECT uuid FROM change_groups UNION SELECT uuid FROM known_groups")})
        return held
    finally:
        project.close()


def same_everywhere(paths: list[Path], hub) -> dict[str, object]:
    """Assert every member holds the same content, the hub's readable tables too; returns it."""
    first = content(paths[0])
    for path in paths[1:]:
        other = content(path)
        for table in first:
            assert first[table] == other[table], (path.name, table, set(first[table]) ^ set(other[table]))
    codings = {(r["uuid"], r["coder"], r["quote"]) for r in map(json.loads, first["codings"])}
    assert set(hub.execute("SELECT uuid, coder, quote FROM fieldcase.codings")) == codings
    memo_bodies = {(r["uuid"], r["body"]) for r in map(json.loads, first["memos"])}
    assert set(hub.execute("SELECT uuid, body FROM fieldcase.memos")) == memo_bodies
    for table in ("sites", "cases", "sources", "codes"):
        assert {r[0] for r in hub.execute(f"SELECT uuid FROM fieldcase.{table}")} == {
            json.loads(r)["uuid"] for r in first[table]}, table
    return first


def day_of_work(path: Path, user: str, seed: int) -> None:
    """A day's work offline: codings and a memo on the shared interview, an interview of
    one's own imported from a file into a new site and case, coded, a memo on that coding;
    the first member also corrects the shared text, the second renames a code."""
    rng = random.Random(seed)
    project = open_project(path, user=user)
    try:
        shared = sources.all_ids(project)[0]
        text = sources.get(project, shared)["text"]
        for phrase in rng.sample(PHRASES, 3):
            start = text.index(phrase)
            codings.add(project, shared, rng.choice(["land", "talent", "governance"]), start, start + len(phrase))
        memos.add(project, "source", shared, f"{user} 的备忘")
        sites.add(project, f"{user} 村")
        cases.add(project, f"{user} 的受访者", site=f"{user} 村")
        words = f"访谈者：你好。\n受访者：{user} 的村子。"
        interview = path.parent / f"{user}-访谈.txt"
        interview.write_text(words, encoding="utf-8")
        done = import_paths(project, [interview], ImportOptions(site=f"{user} 村", cases=[f"{user} 的受访者"],
                                                               kind="interview"))
        assert [r.status for r in done] == ["imported"], done
        mine = done[0].id
        assert mine is not None
        coding, _ = codings.add(project, mine, "land", *codings.locate_quote(words, "村子"))
        memos.add(project, "coding", coding["id"], f"{user}：村子指的是哪一个？")
        if seed == 0:
            replace_text(project, shared, "（整理稿）" + text)
        if seed == 1:
            codes.update(project, "talent", {"name_zh": "人才回流（修订）"})
    finally:
        project.close()


@pytest.fixture
def members(pg_db, tmp_path):
    init_hub(pg_db.url)
    lead_path = tmp_path / "m0.fieldcase"
    lead = init_project(lead_path, user="m0")
    sources.add(lead, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    connect_project(lead, pg_db.url)
    sync_project(lead)
    lead.close()
    paths = [lead_path]
    for n in (1, 2):
        project, _ = clone(pg_db.url, tmp_path / f"m{n}.fieldcase", f"m{n}")
        project.close()
        paths.append(tmp_path / f"m{n}.fieldcase")
    for n, path in enumerate(paths):
        day_of_work(path, f"m{n}", n)
    return paths, pg_db


def sync_path(path: Path) -> int:
    """Sync one member; how many change groups it pulled and pushed."""
    project = open_project(path)
    try:
        report = sync_project(project)
        return report.pulled.groups + report.pushed_groups
    finally:
        project.close()


def settle(paths: list[Path]) -> None:
    """Every member syncs, round after round, until a round moves nothing (within four)."""
    for _ in range(4):
        if sum(sync_path(path) for path in paths) == 0:
            return
    raise AssertionError("four rounds of syncs still moved change groups")


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_syncing_in_any_order_ends_with_the_same_content(members, order):
    paths, hub = members
    for n in order:
        sync_path(paths[n])
    settle(paths)
    first = same_everywhere(paths, hub)
    assert len(first["codings"]) == 3 * 4 and len(first["memos"]) == 3 * 2 and len(first["sources"]) == 4
    assert len(first["cases"]) == 3 and len(first["sites"]) == 3 and len(first["source_cases"]) == 3
    assert "（整理稿）" in next(json.loads(r)["text"] for r in first["sources"] if "刘霞访谈" in r)
    assert any(json.loads(r)["name_zh"] == "人才回流（修订）" for r in first["codes"])


def _sync_process(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "fieldcase", "sync", "-p", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})


def test_three_members_syncing_at_once_in_loops_converge(members):
    paths, hub = members
    for _ in range(3):
        running = [_sync_process(p) for p in paths]
        for process in running:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err.decode()
    settle(paths)
    first = same_everywhere(paths, hub)
    assert len(first["codings"]) == 12 and len(first["memos"]) == 6
    groups = hub.execute("SELECT count(*), count(DISTINCT uuid) FROM fieldcase.groups")[0]
    assert groups[0] == groups[1]


# A sync that says each step as it starts, so that a kill can be aimed inside one.
STAGED_SYNC = """
import sys
from fieldcase.exchange.hub import sync_project
from fieldcase.store.project import open_project
project = open_project(sys.argv[1])
sync_project(project, stage=lambda step: print(step, flush=True))
print("done", flush=True)
"""


def _killed_in(path: Path, step: str, after: float) -> bool:
    """Start a sync of ``path``, kill it ``after`` seconds into ``step``; whether it was
    still running when killed."""
    process = subprocess.Popen([sys.executable, "-c", STAGED_SYNC, str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env={**os.environ})
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == step:
            break
    time.sleep(after)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    return running


def test_syncs_killed_at_random_moments_change_nothing_of_the_end(members):
    paths, hub = members
    rng = random.Random(7)
    for _ in range(4):  # whole `fieldcase sync` processes, killed anywhere from their start
        process = _sync_process(rng.choice(paths))
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    mid_sync = sum(_killed_in(rng.choice(paths), step, rng.uniform(0, 0.02))
                   for step in ["connecting", "pulling", "merging", "pushing"] * 3)
    assert mid_sync >= 6, mid_sync  # most kills land inside a sync, not after it
    settle(paths)
    first = same_everywhere(paths, hub)
    assert len(first["codings"]) == 12 and len(first["memos"]) == 6 and len(first["sources"]) == 4
    assert len(first["cases"]) == 3 and len(first["source_cases"]) == 3
    groups = hub.execute("SELECT count(*), count(DISTINCT uuid) FROM fieldcase.groups")[0]
    assert groups[0] == groups[1] == len(first["groups"])
