"""Conflicts as the team's shared facts: a conflict one member's sync finds is listed by every
member after their next sync, stored once on the hub, and settling it on any member reaches
all of them; their content stays the same throughout."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import INTERVIEW_TEXT
from fieldcase.cli import cli
from fieldcase.exchange.conflicts import settle
from fieldcase.exchange.hub import clone, connect_project, hub_status, sync_project
from fieldcase.exchange.merge import merge
from fieldcase.exchange.shared_conflicts import conflict_id
from fieldcase.hubstore.schema import init_hub
from fieldcase.store import codes, sources
from fieldcase.store.merging import all_conflicts, open_conflicts, side_in_place
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text
from test_hub_team import content, sync_path

PHRASE = "合作社"


@pytest.fixture
def trio(pg_db, tmp_path):
    """A lead's project with one interview on a new hub, and two members' clones of it."""
    init_hub(pg_db.url)
    lead_path = tmp_path / "m0.fieldcase"
    with init_project(lead_path, user="m0") as lead:
        sources.add(lead, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        connect_project(lead, pg_db.url)
        sync_project(lead)
    paths = [lead_path]
    for n in (1, 2):
        project, _ = clone(pg_db.url, tmp_path / f"m{n}.fieldcase", f"m{n}")
        project.close()
        paths.append(tmp_path / f"m{n}.fieldcase")
    return paths, pg_db


def both_sides(path: Path, user: str, mark: str) -> None:
    """Rename a code and edit the shared text at the same place as the other member does."""
    with open_project(path, user=user) as project:
        codes.update(project, "talent", {"name_zh": f"人才{mark}"})
        shared = sources.all_ids(project)[0]
        text = sources.get(project, shared)["text"]
        replace_text(project, shared, text.replace(PHRASE, f"{PHRASE}{mark}", 1))


def listed(path: Path, everything: bool = False) -> list[tuple[object, ...]]:
    """The conflicts a member lists, as what they are about and both values (and state)."""
    with open_project(path) as project:
        rows = all_conflicts(project) if everything else open_conflicts(project)
        return sorted((r["table_name"], r["row_uuid"], r["field"], r["what"], r["mine"], r["theirs"], r["status"])
                      for r in rows)


def state(path: Path) -> dict[str, object]:
    """A member's content, code names and texts included."""
    with open_project(path) as project:
        names = sorted((r["uuid"], r["name_zh"]) for r in project.query("SELECT uuid, name_zh FROM codes"))
        texts = sorted(r["text"] for r in project.query("SELECT text FROM sources"))
    return {**content(path), "codes": names, "text": texts}


def sync_all(paths: list[Path], rounds: int = 2) -> None:
    """Every member syncs, ``rounds`` rounds and then on until a round moves nothing."""
    for n in range(max(rounds, 4)):
        if sum(sync_path(path) for path in paths) == 0 and n + 1 >= rounds:
            return
    raise AssertionError("four rounds of syncs still moved change groups")


def test_a_conflict_found_by_one_member_is_listed_by_every_member(trio):
    paths, hub = trio
    both_sides(paths[0], "m0", "甲")
    both_sides(paths[1], "m1", "乙")
    sync_path(paths[0])
    sync_path(paths[1])  # finds both conflicts: its rename and text stay, m0's are kept
    found = listed(paths[1])
    assert sorted((c[2], c[3]) for c in found) == [("name_zh", "value"), ("text_sha256", "text")]
    assert ("codes", next(c[1] for c in found if c[2] == "name_zh"), "name_zh", "value", '"人才乙"', '"人才甲"',
            "open") in found
    told = CliRunner().invoke(cli, ["sync", "-p", str(paths[2])])
    assert told.exit_code == 0 and "the team's conflicts: 2 found by others, 0 settled" in told.output, told.output
    sync_all(paths)
    assert listed(paths[0]) == listed(paths[2]) == found, "the same open conflicts on every member"
    status = CliRunner().invoke(cli, ["hub", "status", "-p", str(paths[0])])
    assert "Open conflicts on the hub: 2" in status.output, status.output
    assert hub.execute("SELECT count(*) FROM fieldcase.conflicts_found")[0][0] == 2
    assert hub.execute("SELECT count(*) FROM fieldcase.conflicts WHERE status = 'open'")[0][0] == 2
    first = state(paths[0])
    assert all(state(p) == first for p in paths[1:])
    assert "人才乙" in {n for _, n in first["codes"]}  # type: ignore[union-attr]
    for path in paths:  # every member is told which side it holds meanwhile: the finder's
        with open_project(path) as project:
            row = next(r for r in open_conflicts(project) if r["field"] == "name_zh")
            held = side_in_place(project, row)
            assert held is not None and json.loads(row[held]) == "人才乙", (path, row)
    for path in paths:
        with open_project(path) as project:
            status = hub_status(project)
            assert status["open_conflicts"] == 2 and status["local_open_conflicts"] == 2
    shown = CliRunner().invoke(cli, ["conflicts", "-p", str(paths[2]), "--json"])
    assert shown.exit_code == 0, shown.output
    assert {r["theirs"] for r in json.loads(shown.output)} >= {"人才甲"}
    assert all(r["from"].startswith("found by tester merging the hub") for r in json.loads(shown.output))


def test_settling_on_a_member_that_did_not_find_it_reaches_every_member(trio):
    paths, hub = trio
    both_sides(paths[0], "m0", "甲")
    both_sides(paths[1], "m1", "乙")
    sync_all(paths)
    with open_project(paths[2], user="m2") as third:  # took no part: keeps m0's side of both
        for row in open_conflicts(third):
            settle(third, row["id"], "theirs")
        assert codes.find(third, "talent")["name_zh"] == "人才甲"
        assert f"{PHRASE}甲" in sources.get(third, sources.all_ids(third)[0])["text"]
    sync_all(paths)
    for path in paths:
        assert listed(path) == [], path.name
        assert {c[6] for c in listed(path, everything=True)} == {"theirs"}
    assert hub.execute("SELECT count(*) FROM fieldcase.conflict_settlements")[0][0] == 2
    assert hub.execute("SELECT array_agg(DISTINCT settled_by) FROM fieldcase.conflicts")[0][0] == ["m2"]
    first = state(paths[0])
    assert all(state(p) == first for p in paths[1:])
    assert ("人才甲" in {n for _, n in first["codes"]}  # type: ignore[union-attr]
            and any(f"{PHRASE}甲" in t for t in first["text"]))  # type: ignore[union-attr]


def test_two_settlements_of_one_conflict_end_the_same_everywhere(trio):
    paths, hub = trio
    both_sides(paths[0], "m0", "甲")
    both_sides(paths[1], "m1", "乙")
    sync_all(paths)
    for path, user, keep in ((paths[0], "m0", "theirs"), (paths[2], "m2", "mine")):
        with open_project(path, user=user) as project:
            row = next(r for r in open_conflicts(project) if r["field"] == "name_zh")
            settle(project, row["id"], keep)
    sync_all(paths, rounds=3)
    states = [listed(p, everything=True) for p in paths]
    assert all(s == states[0] for s in states[1:]), "one settlement stands on every member"
    assert hub.execute("SELECT count(*) FROM fieldcase.conflict_settlements")[0][0] == 1
    first = state(paths[0])
    assert all(state(p) == first for p in paths[1:])


def test_the_same_conflict_found_by_two_members_is_stored_once(trio, tmp_path):
    paths, hub = trio
    with open_project(paths[0], user="m0") as a:
        codes.update(a, "talent", {"name_zh": "人才甲"})
    with open_project(paths[1], user="m1") as b:
        codes.update(b, "talent", {"name_zh": "人才乙"})
    copy_a, copy_b = tmp_path / "a-copy.fieldcase", tmp_path / "b-copy.fieldcase"
    copy_a.write_bytes(paths[0].read_bytes())
    copy_b.write_bytes(paths[1].read_bytes())
    with open_project(paths[0], user="m0") as a:  # each finds it from its own side
        assert [c["field"] for c in merge(a, copy_b).conflicts] == ["name_zh"]
    with open_project(paths[1], user="m1") as b:
        assert [c["field"] for c in merge(b, copy_a).conflicts] == ["name_zh"]
    mine, theirs = listed(paths[0])[0], listed(paths[1])[0]
    assert (mine[4], mine[5]) == (theirs[5], theirs[4])
    as_rows = [dict(zip(("table_name", "row_uuid", "field", "what", "mine", "theirs"), c[:6], strict=True))
               for c in (mine, theirs)]
    assert conflict_id(as_rows[0]) == conflict_id(as_rows[1])
    sync_all(paths)
    assert hub.execute("SELECT count(*) FROM fieldcase.conflicts_found")[0][0] == 1
    assert len(listed(paths[2])) == 1
    with open_project(paths[1], user="m1") as b:  # settled the other way round: the value travels
        settle(b, open_conflicts(b)[0]["id"], "mine")
        kept = codes.find(b, "talent")["name_zh"]
    sync_all(paths)
    assert all(listed(p) == [] for p in paths)
    with open_project(paths[0]) as a:
        row = all_conflicts(a)[0]
        assert json.loads(row[row["status"]]) == kept == codes.find(a, "talent")["name_zh"]


TWIN = "访谈者：你好。\n受访者：我们村的合作社是前年办起来的，村民都来入股。"


def import_and_code(path: Path, user: str, phrase: str, code: str) -> str:
    """Import the same file as another member does, offline, and code it; its UUID here."""
    from fieldcase.store import codings

    with open_project(path, user=user) as project:
        source = sources.add(project, {"title": "合作社访谈", "text": TWIN, "kind": "interview"})
        codings.add(project, source, code, *codings.locate_quote(TWIN, phrase))
        return str(sources.get(project, source)["uuid"])


@pytest.mark.parametrize("importers", [2, 3])
@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_the_same_text_imported_by_members_is_one_source_everywhere(trio, order, importers):
    paths, hub = trio
    work = [("合作社", "land"), ("村民都来入股", "talent"), ("前年办起来的", "governance")][:importers]
    uuids = [import_and_code(paths[n], f"m{n}", phrase, code) for n, (phrase, code) in enumerate(work)]
    for n in order:
        sync_path(paths[n])
    sync_all(paths)
    for path in paths:
        with open_project(path) as project:
            twins = project.query("SELECT id, uuid FROM sources WHERE text = ?", [TWIN])
            assert [t["uuid"] for t in twins] == [min(uuids)], path.name
            quotes = {r["quote"] for r in project.query(
                "SELECT quote FROM codings WHERE source_id = ? AND status = 'active'", [twins[0]["id"]])}
            assert quotes == {phrase for phrase, _ in work}, path.name
    first = state(paths[0])
    for p in paths[1:]:
        other = state(p)
        assert {k: set(first[k]) ^ set(other[k]) for k in first if first[k] != other[k]} == {}
    assert hub.execute("SELECT uuid FROM fieldcase.sources WHERE title = '合作社访谈'") == [(min(uuids),)]
    assert hub.execute("SELECT DISTINCT source_uuid FROM fieldcase.codings c JOIN fieldcase.codes k"
                       " ON k.uuid = c.code_uuid WHERE c.quote = ANY(%s)", [[p for p, _ in work]]) == [(min(uuids),)]


def test_a_member_role_stores_and_settles_a_conflict_on_the_hub(trio, pg_role, monkeypatch):
    from fieldcase.hubstore.schema import grant
    from fieldcase.store import hub_link

    paths, hub = trio
    role = pg_role("m1-pw")
    grant(hub.url, role, read_only=False)
    monkeypatch.setenv("PGPASSWORD", "m1-pw")
    with open_project(paths[1], user="m1") as member:
        hub_link.set_hub_url(member, hub.url_as(role))
    with open_project(paths[0], user="m0") as a:
        codes.update(a, "talent", {"name_zh": "人才甲"})
    with open_project(paths[1], user="m1") as b:
        codes.update(b, "talent", {"name_zh": "人才乙"})
    sync_path(paths[0])
    sync_path(paths[1])  # as the member role: it finds the conflict and stores it
    assert hub.execute("SELECT pushed_by FROM fieldcase.conflicts_found") == [(role,)]
    with open_project(paths[1], user="m1") as b:
        settle(b, open_conflicts(b)[0]["id"], "theirs")
    sync_path(paths[1])
    assert hub.execute("SELECT keep, pushed_by FROM fieldcase.conflict_settlements") == [("theirs", role)]
    with pytest.raises(Exception, match="append-only"):
        hub.execute("UPDATE fieldcase.conflict_settlements SET keep = 'mine'")


def test_a_purge_takes_the_conflicts_about_its_source_off_the_hub_and_every_member(trio):
    from fieldcase.store import purge
    from fieldcase.store.source_purge import plan_source

    paths, hub = trio
    both_sides(paths[0], "m0", "甲")
    both_sides(paths[1], "m1", "乙")
    sync_all(paths)
    assert hub.execute("SELECT count(*) FROM fieldcase.conflicts WHERE table_name = 'sources'")[0][0] == 1
    with open_project(paths[0], user="m0") as lead:
        purge.run(lead, lambda p: plan_source(p, sources.all_ids(p)[0]), backup=False)
    sync_all(paths)
    assert hub.execute("SELECT count(*) FROM fieldcase.conflicts WHERE table_name = 'sources'")[0][0] == 0
    assert hub.execute("SELECT count(*) FROM fieldcase.conflicts_found WHERE mine LIKE %s OR theirs LIKE %s",
                       [f"%{PHRASE}%", f"%{PHRASE}%"])[0][0] == 0
    for path in paths:
        assert [c[0] for c in listed(path, everything=True)] == ["codes"], path.name


def test_a_pulled_text_edit_leaves_a_coding_and_its_memo_with_their_coder_on_every_member(trio):
    """Each member re-anchors a pulled text edit itself: the codings that follow their words stay
    last changed by their coder on all of them (a coding memo listed as written by whoever pulled or
    edited the text, and different on each member, was what a team saw)."""
    from fieldcase.store import codings, memos

    paths, _ = trio
    with open_project(paths[1], user="m1") as project:
        shared = sources.all_ids(project)[0]
        text = sources.get(project, shared)["text"]
        codings.add(project, shared, "land", *codings.locate_quote(text, "土地流转"), memo="m1 的备注")
    sync_all(paths)
    with open_project(paths[2], user="m2") as project:
        shared = sources.all_ids(project)[0]
        replace_text(project, shared, "补一句。" + sources.get(project, shared)["text"])  # every coding moves
    sync_all(paths)
    for path in paths:
        with open_project(path) as project:
            assert [(r["modified_by"], r["start_offset"] > 0) for r in project.query(
                "SELECT modified_by, start_offset FROM codings")] == [("m1", True)], path
            assert [(n["body"], n["created_by"]) for n in memos.coding_notes(project)] == [("m1 的备注", "m1")], path
