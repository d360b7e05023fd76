"""Three members of one hub: a day's work each offline, syncs in every order, at once from
separate processes, and killed at random moments; they end with the same content."""

from __future__ import annotations

import itertools
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
from fieldcase.store import codings, memos, sources
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text

PHRASES = ["土地流转", "父母年纪也大了", "合作社", "村民都来入股", "那时候杭州的生意不好做"]


def content(path: Path) -> dict[str, object]:
    project = open_project(path)
    try:
        return {
            "codings": sorted((r["uuid"], r["start_offset"], r["end_offset"], r["quote"], r["status"])
                              for r in project.query("SELECT * FROM codings")),
            "memos": sorted((r["uuid"], r["body"]) for r in project.query("SELECT * FROM memos")),
            "texts": sorted((r["uuid"], r["text_sha256"]) for r in project.query("SELECT * FROM sources")),
        }
    finally:
        project.close()


def day_of_work(path: Path, user: str, seed: int) -> None:
    """Codings, a memo, a new interview; the first member also corrects the shared text."""
    rng = random.Random(seed)
    project = open_project(path, user=user)
    try:
        shared = sources.all_ids(project)[0]
        text = sources.get(project, shared)["text"]
        for phrase in rng.sample(PHRASES, 3):
            start = text.index(phrase)
            codings.add(project, shared, rng.choice(["land", "talent", "governance"]), start, start + len(phrase))
        memos.add(project, "source", shared, f"{user} 的备忘")
        mine = sources.add(project, {"title": f"{user} 访谈", "text": f"访谈者：你好。\n受访者：{user} 的村子。",
                                     "kind": "interview"})
        codings.add(project, mine, "land", *codings.locate_quote(f"访谈者：你好。\n受访者：{user} 的村子。", "村子"))
        if seed == 0:
            replace_text(project, shared, "（整理稿）" + text)
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


def sync_path(path: Path) -> None:
    project = open_project(path)
    try:
        sync_project(project)
    finally:
        project.close()


def settle(paths: list[Path]) -> None:
    for _ in range(2):
        for path in paths:
            sync_path(path)


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_syncing_in_any_order_ends_with_the_same_content(members, order):
    paths, hub = members
    for n in order:
        sync_path(paths[n])
    settle(paths)
    first = content(paths[0])
    for p in paths[1:]:
        other = content(p)
        for k in first:
            assert set(first[k]) ^ set(other[k]) == set(), (p.name, k)
    assert len(first["codings"]) == 3 * 4 and len(first["memos"]) == 3 and len(first["texts"]) == 4
    assert hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0] == 12


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
    first = content(paths[0])
    assert all(content(p) == first for p in paths[1:])
    assert hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0] == 12
    groups = hub.execute("SELECT count(*), count(DISTINCT uuid) FROM fieldcase.groups")[0]
    assert groups[0] == groups[1]


def test_syncs_killed_at_random_moments_change_nothing_of_the_end(members):
    paths, hub = members
    rng = random.Random(7)
    for _ in range(6):
        path = rng.choice(paths)
        process = _sync_process(path)
        time.sleep(rng.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    settle(paths)
    first = content(paths[0])
    assert all(content(p) == first for p in paths[1:])
    assert len(first["codings"]) == 12 and len(first["memos"]) == 3
    assert hub.execute("SELECT count(*) FROM fieldcase.codings")[0][0] == 12
