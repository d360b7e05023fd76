"""Erasure: a purged source or case leaves none of its words in the project file, its -wal,
its log or its search index; the purge is logged, cannot be undone, and names what still
holds the words (backups, places written by hand, sources shared with others)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import bare_database, write
from fieldcase.store import drafts, history, remnants
from fieldcase.store.project import open_project
from fieldcase.text.fold import fold_case
from fieldcase.text.grams import index_terms

SECRET = "ZEBRAQUOKKA 独特的句子甲乙丙"
WITHDRAWN = (
    "---\ntitle: 王五访谈 ZEBRAQUOKKA\ncases: 王五\nkind: interview\n---\n"
    "访谈者：您是哪一年回村的？\n"
    f"王五：{SECRET}，我在杭州开过一家小厂。\n"
    "访谈者：后来呢？\n"
    "王五：后来土地流转，我就回来办合作社了。独特的句子甲乙丙，丁戊己庚。\n"
)
KEPT = "---\ntitle: 李四访谈\ncases: 李四\nkind: interview\n---\n访谈者：您是哪一年回村的？\n李四：2015年，回来以后搞民宿，土地流转。\n"
# Words only the withdrawn source held, in every version of it.
GONE = ("ZEBRAQUOKKA", "独特的句子", "甲乙丙", "丁戊己庚", "小厂", "EDITEDZEBRA", "小工厂", "王五访谈")


def raw(path: Path) -> bytes:
    """The bytes of a project file and of its -wal, if any."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def assert_gone(path: Path, words=GONE) -> None:
    data = raw(path)
    for word in words:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            found = word.encode(encoding)
            if word.isdigit() and encoding == "utf-8":
                # a number inside a UUID or a hash (hex digits either side) is no leak
                hex_digit = rb"[0-9a-fA-F]"
                assert not re.search(rb"(?<!" + hex_digit + rb")" + found + rb"(?!" + hex_digit + rb")", data), word
            else:
                assert found not in data, (word, encoding)


def stored_terms(path: Path) -> set[str]:
    """Every term the search index holds (its FTS5 vocabulary)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_grams, row)")
        return {r[0] for r in conn.execute("SELECT term FROM temp.vocab")}
    finally:
        conn.close()


def terms_of(*texts: str) -> set[str]:
    return {t for text in texts for t in index_terms(fold_case(text)).split()}


@pytest.fixture
def worked(cli, project_path, tmp_path):
    """A project where the withdrawn interview was coded, searched, edited, counted, suggested
    on, written about, undone and redone, drafted and kept as an edit file."""
    assert cli("init", "--framework", "builtin").exit_code == 0
    result = cli("import", str(write(tmp_path / "w.txt", WITHDRAWN)), str(write(tmp_path / "k.txt", KEPT)))
    assert result.exit_code == 0, result.output
    assert cli("code", "1", "城市推力", "--quote", "独特的句子甲乙丙").exit_code == 0
    out = cli("code", "1", "--quote", "ZEBRAQUOKKA 独特", "--in-vivo").output
    coding = out.strip().splitlines()[-1]
    assert cli("coding", "memo", coding, "ZEBRAQUOKKA 的备注").exit_code == 0
    assert cli("memo", "add", "王五 said ZEBRAQUOKKA 独特的句子甲乙丙", "--source", "1").exit_code == 0
    assert cli("memo", "add", "甲乙丙 on the coding", "--coding", coding).exit_code == 0
    assert "2 hits" in cli("search", "独特的句子").output
    edited = WITHDRAWN.replace("小厂", "小工厂 EDITEDZEBRA")
    assert cli("source", "edit", "1", "--from-file", str(write(tmp_path / "w2.txt", edited))).exit_code == 0
    assert cli("words", "--top", "5").exit_code == 0
    assert cli("suggest").exit_code == 0
    assert cli("undo").exit_code == 0 and cli("redo").exit_code == 0
    assert cli("uncode", coding).exit_code == 0  # a coding only the log still holds
    with open_project(project_path) as project:
        text = project.query("SELECT text FROM sources WHERE id = 1")[0]["text"]
        drafts.save(project, None, text + "补：ZEBRAQUOKKA 草稿", {}, source_id=1)
        kept = drafts.keep_as_file(project, {"id": 1}, text + " 留存")
        counts = project.query("SELECT (SELECT count(*) FROM word_cache) AS words,"
                               " (SELECT count(*) FROM suggestions WHERE source_id = 1) AS suggested,"
                               " (SELECT count(*) FROM text_versions) AS versions")[0]
    assert counts["words"] == 2 and counts["suggested"] and counts["versions"] >= 2
    assert kept.exists()
    assert b"ZEBRAQUOKKA" in raw(project_path) and "独特的句子".encode() in raw(project_path)
    return kept


def test_a_purged_source_leaves_none_of_its_words_anywhere_in_the_file(cli, project_path, worked):
    result = cli("source", "purge", "1", "--yes")
    assert result.exit_code == 0, result.output
    assert "王五访谈 ZEBRAQUOKKA" in result.output and "codings with their quotes" in result.output
    assert f"{project_path.name} holds none of its words now." in result.output
    assert_gone(project_path)
    assert not worked.exists()  # the kept edit file
    with open_project(project_path) as project:
        for table, column in (("sources", "id"), ("codings", "source_id"), ("memos", "target_id"),
                              ("speakers", "source_id"), ("suggestions", "source_id"), ("drafts", "source_id"),
                              ("word_cache", "source_id"), ("search_docs", "source_id")):
            assert project.query(f"SELECT count(*) AS n FROM {table} WHERE {column} = 1")[0]["n"] == 0, table
        assert project.query("SELECT count(*) AS n FROM text_versions")[0]["n"] == 0
        assert project.query("SELECT count(*) AS n FROM codes WHERE origin = 'in-vivo'")[0]["n"] == 0
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert project.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        kept_text = project.query("SELECT text FROM sources")[0]["text"]
    # the index holds exactly the terms of what stays: not one character pair of the purged text
    assert stored_terms(project_path) == terms_of(kept_text)
    assert terms_of(SECRET) - terms_of(kept_text) and not (terms_of(SECRET) - terms_of(kept_text)) & stored_terms(
        project_path)
    assert "0 hits" in cli("search", "独特").output and "1 hit" in cli("search", "民宿").output


def test_the_purge_is_logged_as_a_tombstone_and_history_shows_it(cli, project_path, worked):
    cli("source", "purge", "1", "--yes")
    rows = json.loads(cli("history", "--json", "--limit", "0").output)
    purge = rows[0]
    assert purge["action"] == "purge" and purge["summary"].startswith("Purged source 1 (")
    assert all("王五访谈" not in r["summary"] and "ZEBRA" not in r["summary"] for r in rows)
    assert {r["state"] for r in rows if r["action"] == "coding.add"} == {"purged"}
    assert any(r["summary"] == "Imported source 1" for r in rows)
    assert any(r["summary"] == "Imported 李四访谈" and r["state"] == "" for r in rows)
    with open_project(project_path) as project:
        stones = [json.loads(r["before"] or r["after"]) for r in project.query(
            "SELECT before, after FROM changes WHERE json_extract(coalesce(before, after), '$.purged') = 1")]
    assert stones and {(s["change"], s["by"], s["what"]) for s in stones} == {(purge["id"], "tester", "source 1")}
    table = cli("history").output
    assert "purge" in table and "purged" in table


def test_undo_and_revert_refuse_a_purge_and_what_it_erased_with_one_line(cli, project_path, worked):
    cli("source", "purge", "1", "--yes")
    for args in (("undo",), ("revert", "4", "--of", "tester"), ("redo",)):
        result = cli(*args)
        assert result.exit_code == 1
        assert result.output.count("\n") == 1 and result.output.startswith("error: "), result.output
    assert "a purge cannot be undone" in cli("undo").output
    purge_id = json.loads(cli("history", "--json", "--limit", "1").output)[0]["id"]
    refused = cli("revert", str(purge_id), "--of", "tester").output
    assert refused.startswith(f"error: cannot revert #{purge_id}") and "a purge cannot be undone" in refused
    erased = cli("revert", "4", "--of", "tester").output
    assert f"erased by purge #{purge_id} (source 1, by tester)" in erased
    assert_gone(project_path)


def test_a_colleagues_redo_of_erased_work_is_refused_not_a_crash(cli, project_path, tmp_path):
    cli("init", "--framework", "builtin")
    cli("import", str(write(tmp_path / "w.txt", WITHDRAWN)), str(write(tmp_path / "k.txt", KEPT)))
    cli("code", "1", "城市推力", "--quote", "独特的句子甲乙丙", "--user", "li")
    assert cli("undo", "--user", "li").exit_code == 0
    assert cli("source", "purge", "1", "--yes", "--no-backup").exit_code == 0
    result = cli("redo", "--user", "li")
    assert result.exit_code == 1 and "a purge cannot be undone" in result.output
    assert cli("code", "2", "城市推力", "--quote", "民宿", "--user", "li").exit_code == 0
    assert cli("undo", "--user", "li").exit_code == 0  # work after the purge undoes as ever
    assert_gone(project_path)


def test_it_asks_first_and_a_no_changes_nothing(cli, project_path, worked):
    before = raw(project_path)
    result = cli("source", "purge", "1", input="n\n")
    assert "Purging source 1 '王五访谈 ZEBRAQUOKKA' erases for good" in result.output
    assert "memos" in result.output and "earlier version" in result.output and "Nothing purged." in result.output
    assert b"ZEBRAQUOKKA" in raw(project_path) and len(raw(project_path)) >= len(before) // 2
    assert cli("source", "show", "1").exit_code == 0


def test_backups_that_still_hold_the_words_are_listed(cli, project_path, worked):
    from fieldcase.store.backups import list_backups, make_backup

    with open_project(project_path) as project:
        older = make_backup(project, "manual")
    result = cli("source", "purge", "1", "--yes")
    backups = list_backups(project_path)
    assert len(backups) == 2 and older in backups
    assert all(str(b) in result.output for b in backups) and "(made just now, before the purge)" in result.output
    assert all(b"ZEBRAQUOKKA" in b_.read_bytes() for b_ in backups)
    assert oct(backups[-1].stat().st_mode & 0o777) == "0o600"
    with open_project(project_path) as project:
        after = make_backup(project, "manual")
        assert not remnants.holding(project, [after], remnants.pick_pieces(project, [WITHDRAWN.split("---\n")[-1]]), [], [])
    second = cli("case", "purge", "李四", "--yes", "--no-backup")
    assert str(after) in second.output  # it holds 李四's source, which that purge took


def test_a_deleted_source_is_purged_by_its_id(cli, project_path, worked):
    assert cli("source", "delete", "1", "--yes").exit_code == 0
    assert b"ZEBRAQUOKKA" in raw(project_path)
    result = cli("source", "purge", "1", "--yes", "--no-backup")
    assert "(deleted, but undo could bring it back)" in result.output, result.output
    assert_gone(project_path)
    assert cli("undo").exit_code == 1
    again = cli("source", "purge", "1", "--yes")
    assert again.exit_code == 1 and "source 1 was purged already" in again.output


def test_words_quoted_elsewhere_are_named_and_the_logs_copies_erased(cli, project_path, worked):
    quote = "他说：王五：ZEBRAQUOKKA 独特的句子甲乙丙，我在杭州开过一家小工厂 EDITEDZEBRA。"
    cli("codes", "set", "城市推力", "--example", quote)
    asked = cli("source", "purge", "1", input="n\n").output
    assert "Quoted elsewhere, and kept" in asked and "code 3 (example)" in asked, asked
    cli("codes", "set", "城市推力", "--example", "他说了一句话。")  # changed first, as it advises
    result = cli("source", "purge", "1", "--yes", "--no-backup")
    assert "holds none of its words now" in result.output, result.output
    assert_gone(project_path)
    states = {r["summary"]: r["state"] for r in json.loads(cli("history", "--json", "--limit", "0").output)}
    assert states["Changed code 城市推力"] == "purged"


def test_words_still_quoted_after_a_purge_are_named(cli, project_path, worked):
    cli("memo", "add", "原话：独特的句子甲乙丙，我在杭州开过一家小工厂", "--code", "城市推力")
    result = cli("source", "purge", "1", "--yes", "--no-backup")
    assert "warning: the project still holds some of its words, quoted elsewhere" in result.output
    assert "  memo 3 (body)" in result.output


def test_purging_the_history_keeps_the_source_as_it_is_now(cli, project_path, tmp_path):
    cli("init", "--framework", "builtin")
    cli("import", str(write(tmp_path / "w.txt", WITHDRAWN)), str(write(tmp_path / "k.txt", KEPT)))
    cli("code", "1", "城市推力", "--quote", "甲乙丙，丁戊己庚")
    cli("code", "1", "土地要素", "--quote", "后来土地流转")
    body = WITHDRAWN.split("---\n")[-1]
    without = body.replace(f"王五：{SECRET}，我在杭州开过一家小厂。\n", "").replace("独特的句子甲乙丙，丁戊己庚。", "")
    assert cli("source", "edit", "1", "--from-file", str(write(tmp_path / "w2.txt", without))).exit_code == 0
    assert b"ZEBRAQUOKKA" in raw(project_path)
    result = cli("source", "purge", "1", "--history", "--yes", "--no-backup")
    assert result.exit_code == 0, result.output
    assert "the earlier versions of source 1" in result.output and "orphaned" not in result.output
    assert_gone(project_path, ("独特的句子", "丁戊己庚", "小厂"))
    shown = cli("source", "show", "1").output
    assert "后来土地流转" in shown and "王五访谈 ZEBRAQUOKKA" in shown  # its title stays with it
    assert [r["text"] for r in json.loads(cli("codings", "--json").output)] == ["后来土地流转"]
    assert "1 hit" in cli("search", "合作社").output
    assert cli("undo").exit_code == 1
    assert cli("code", "1", "城市推力", "--quote", "合作社").exit_code == 0  # new work on it is ordinary
    assert cli("undo").exit_code == 0


GROUP = (
    "---\ntitle: 村民座谈会\ncases: 王五, 李四\nkind: interview\n---\n"
    "访谈者：大家说说回村的事。\n王五：我是为了照顾父母，老王家里都知道。\n李四：我是看好民宿。\n王五：对，民宿也行。\n"
)


def test_a_case_purge_takes_its_own_sources_and_names_what_it_shares(cli, project_path, tmp_path):
    cli("init", "--framework", "builtin")
    for name, text in (("w.txt", WITHDRAWN), ("k.txt", KEPT), ("g.txt", GROUP)):
        assert cli("import", str(write(tmp_path / name, text))).exit_code == 0
    cli("case", "set", "王五", "--alias", "老王", "--alias", "五哥", "birth_year=1971")
    cli("memo", "add", "王五 withdrew ZEBRAQUOKKA", "--case", "王五")
    cli("pseudonym", "add", "王五", "W")
    cli("pseudonym", "add", "五哥", "W2")  # a name nothing that stays holds
    cli("pseudonym", "add", "李四", "L")
    result = cli("case", "purge", "王五", "--yes")
    assert result.exit_code == 0, result.output
    assert "case 1 '王五'" in result.output and "source 1 '王五访谈 ZEBRAQUOKKA'" in result.output
    assert "source 3 '村民座谈会' still names them: 王五 ×2, 老王 ×1" in result.output
    assert "source 3: 王五 speaks in 2 turns (now linked to no case)" in result.output
    assert "the pseudonym 王五 → W is kept" in result.output
    assert_gone(project_path, ("ZEBRAQUOKKA", "独特的句子", "小厂", "1971", "五哥"))
    cases = {c["name"] for c in json.loads(cli("case", "list", "--json").output)}
    assert cases == {"李四"}
    titles = {s["title"] for s in json.loads(cli("sources", "--json").output)}
    assert titles == {"李四访谈", "村民座谈会"}
    speakers = {s["label"]: s["case_id"] for s in json.loads(cli("speaker", "list", "3", "--json").output)}
    assert speakers["王五"] is None and speakers["李四"] is not None
    reals = {r["real"] for r in json.loads(cli("pseudonym", "list", "--json").output)}
    assert reals == {"王五", "李四"}  # exports must keep hiding 王五 while source 3 names him
    with open_project(project_path) as project:
        assert history.history(project, 1)[0]["action"] == "purge"


def test_a_case_pseudonym_goes_when_nothing_left_names_them(cli, project_path, tmp_path):
    cli("init", "--framework", "none")
    assert cli("import", str(write(tmp_path / "w.txt", WITHDRAWN)), str(write(tmp_path / "k.txt", KEPT))).exit_code == 0
    cli("pseudonym", "add", "王五", "W")
    cli("pseudonym", "add", "李四", "L")
    result = cli("case", "purge", "王五", "--yes", "--no-backup")
    assert result.exit_code == 0 and "still names them" not in result.output, result.output
    reals = [r["real"] for r in json.loads(cli("pseudonym", "list", "--json").output)]
    assert reals == ["李四"]
    assert_gone(project_path, ("王五", "ZEBRAQUOKKA", "独特的句子"))


def test_the_change_log_stays_append_only_outside_a_purge(project, coded):
    from fieldcase.store import codings

    project, source = coded
    codings.add(project, source, "land", 0, 3)
    stone = json.dumps({"purged": True, "change": 1, "by": "x", "at": "now", "what": "source 1"})
    for sql, params in (
        ("UPDATE changes SET before = ? WHERE id = 1", [stone]),
        ("UPDATE changes SET after = ? WHERE id = (SELECT max(id) FROM changes)", [stone]),
        ("UPDATE change_groups SET summary = ? WHERE id = 1", ["rewritten"]),
        ("DELETE FROM changes WHERE id = 1", []),
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            project.conn.execute(sql, params)


def test_a_project_of_the_previous_version_gains_the_purge_exception(tmp_path):
    from fieldcase.store import migrations

    path = tmp_path / "old.fieldcase"
    db = bare_database(path)
    migrations.migrate(db, upto=7)
    db.execute("INSERT INTO project_info (key, value) VALUES ('name', 'old')")
    db.conn.close()
    with open_project(path, user="tester") as project:
        assert migrations.current_version(project.conn) == len(migrations.all_migrations())
        triggers = project.query("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%update'")
        assert all("'purge'" in t["sql"] for t in triggers) and len(triggers) == 2
        assert project.query("SELECT count(*) AS n FROM purged_texts")[0]["n"] == 0  # and the purges' memory


def test_a_reader_holding_old_pages_is_reported_and_compact_finishes_the_job(cli, project_path, worked):
    reader = sqlite3.connect(project_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM sources").fetchone()  # a snapshot from before the purge
    try:
        result = cli("source", "purge", "1", "--yes", "--no-backup")
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert result.exit_code == 0
    assert "warning: another program has study.fieldcase open" in result.output
    assert "fieldcase compact" in result.output
    assert cli("compact").exit_code == 0
    assert_gone(project_path)


async def test_the_workspace_survives_a_purge_and_refuses_to_undo_what_it_erased(tui_project, tmp_path):
    from fieldcase.importers import import_paths
    from fieldcase.store import purge, source_purge
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.screens.history import HistoryScreen

    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "t", "c", *"cstl", "enter")  # coder1 codes a turn of source 1
        await pilot.pause()
        with open_project(tui_project, user="other") as other:
            import_paths(other, [write(tmp_path / "k.txt", KEPT)])
            purge.run(other, lambda p: source_purge.plan_source(p, 1), backup=False)
        await pilot.pause(1.5)  # the workspace sees what others change within a second
        await pilot.press("ctrl+z")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert "erased by purge" in notes[-1] and "a purge cannot be undone" in notes[-1]
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("r")  # the newest change: the purge
        await pilot.pause()
        assert [n.message for n in app._notifications][-1].endswith("a purge cannot be undone")
    assert b"cstl" not in raw(tui_project) and "父母年纪".encode() not in raw(tui_project)


def test_an_encrypted_project_is_purged_and_its_encrypted_backups_are_named(cli, project_path, tmp_path,
                                                                          monkeypatch):
    from fieldcase.store import cipher

    monkeypatch.setenv(cipher.PASSPHRASE_ENV, "correct horse battery staple")
    assert cli("init", "--encrypt", "--framework", "builtin").exit_code == 0
    cli("import", str(write(tmp_path / "w.txt", WITHDRAWN)), str(write(tmp_path / "k.txt", KEPT)))
    cli("code", "1", "城市推力", "--quote", "独特的句子甲乙丙")
    cli("codes", "set", "城市推力", "--example", "原话：独特的句子甲乙丙，我在杭州开过一家小厂")
    result = cli("source", "purge", "1", "--yes")
    assert result.exit_code == 0, result.output
    assert "code 3 (example)" in result.output  # found through the key, not in the encrypted bytes
    assert "(made just now, before the purge)" in result.output
    with open_project(project_path) as project:
        assert project.query("SELECT count(*) AS n FROM sources")[0]["n"] == 1
        assert not remnants.places(project, remnants.pick_pieces(project, [SECRET + "，我在杭州开过一家小厂"]),
                                   only=("changes", "text_versions", "codings"))
    assert "0 hits" in cli("search", "独特").output
