"""``fieldcase check``: a clean project passes; each kind of damage, made to a real file
with plain SQL (or, for SQLite's own pages, plain bytes), is reported in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fieldcase.store import codings, history, pseudonyms, texts
from fieldcase.store.project import open_project
from conftest import INTERVIEW_TEXT, write


@pytest.fixture
def worked(coded, project_path: Path) -> Path:
    """A project with codings, a text edit, an undo and a redo, a pseudonym, closed."""
    project, source_id = coded
    codings.add(project, source_id, "talent.motive", 10, 20)
    codings.add(project, source_id, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    texts.replace_text(project, source_id, INTERVIEW_TEXT.replace("2012年", "2013年春天"))
    history.undo(project)
    history.redo(project)
    pseudonyms.add(project, "张三", "H")
    project.close()
    return project_path


def damage(path: Path, *statements: str) -> None:
    """Run plain SQL on the file, with foreign keys and the log's triggers out of the way."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for trigger in ("change_groups_append_only_update", "changes_append_only_update"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def findings(cli, *, kind: str | None = None) -> list[str]:
    """The finding lines ``fieldcase check`` prints (of one kind), after checking it failed."""
    result = cli("check")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if ": " in line]
    return [line for line in lines if kind is None or line.startswith(f"{kind}: ")]


def test_a_worked_project_is_clean(worked, cli):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{worked}: no problems (")
    assert "1 source, 2 codings" in result.output
    data = json.loads(cli("check", "--json").output)
    assert data["clean"] is True and data["findings"] == [] and data["checked"]["sources"] == 1


def test_a_damaged_page_is_an_integrity_finding(worked, cli):
    conn = sqlite3.connect(worked)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'codings_source'").fetchone()[0]
    conn.close()
    with worked.open("r+b") as file:  # an index page: the file still opens, the index is wrong
        file.seek((root - 1) * page_size + 8)
        file.write(b"\x00\x07" * 40)
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("integrity: ") for line in lines)
    assert "integrity: row 1 missing from index codings_source" in lines
    data = json.loads(cli("check", "--json").stdout)
    assert all("\n" not in f["message"] for f in data["findings"])


def test_a_file_that_is_not_a_database_is_one_error(tmp_path, cli, project_path):
    project_path.write_bytes(b"not sqlite at all " * 300)
    result = cli("check")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "not a fieldcase project" in result.output


def test_a_row_pointing_nowhere_is_a_foreign_key_finding(worked, cli):
    damage(worked, "UPDATE codings SET code_id = 999 WHERE id = (SELECT min(id) FROM codings)")
    (line,) = findings(cli, kind="foreign-key")
    assert line.startswith("foreign-key: codings row ") and "code_id 999 names no row of codes" in line


def test_a_text_changed_behind_its_hash_is_a_text_finding(worked, cli):
    damage(worked, "UPDATE sources SET text = replace(text, '杭州', '苏州')")
    (line,) = findings(cli, kind="text")
    assert line == f"text: source 1: its text does not match its stored hash {_hash(worked)[:12]}…"
    assert findings(cli, kind="search-index")  # the index still holds 杭州


def test_a_coding_whose_quote_is_not_its_words_is_a_quote_finding(worked, cli):
    damage(worked, "UPDATE codings SET quote = '别的话' WHERE id = (SELECT min(id) FROM codings)")
    (line,) = findings(cli, kind="quote")
    assert "the coding's quote '别的话'" in line and line.startswith("quote: coding ")
    assert any("quote is '别的话'" in f for f in findings(cli, kind="change-log"))  # and it was not logged


def test_a_coding_past_the_end_of_its_text_is_a_quote_finding(worked, cli):
    damage(worked, "UPDATE codings SET end_offset = 10000 WHERE id = (SELECT min(id) FROM codings)")
    assert any("ends past the text's" in f for f in findings(cli, kind="quote"))


def test_index_terms_that_are_not_the_text_are_a_search_index_finding(worked, cli):
    with open_project(worked) as project:  # bring the index up to date before damaging it
        from fieldcase.store import search_index

        search_index.sync(project)
    damage(worked, "INSERT INTO search_grams (rowid, grams) SELECT id, 'zz01 zz02' FROM search_docs WHERE live = 1")
    (line,) = findings(cli, kind="search-index")
    assert line.startswith("search-index: source 1: entry #") and "does not hold its text's terms" in line


def test_two_live_index_entries_for_one_source_are_a_search_index_finding(worked, cli):
    damage(worked, "INSERT INTO search_docs (source_id, text_sha256) SELECT id, text_sha256 FROM sources")
    lines = findings(cli, kind="search-index")
    assert any("source 1: expected one entry for its text" in f for f in lines)


def test_an_undo_of_a_change_that_does_not_exist_is_a_change_log_finding(worked, cli):
    damage(worked, "INSERT INTO change_groups (uuid, at, user, action, summary, undoes)"
                   " VALUES ('x', '2030-01-01', 'tester', 'undo', 'Undid: nothing', 999)")
    lines = findings(cli, kind="change-log")
    assert any(f.endswith("steps back change #999, which does not exist") for f in lines)


def test_an_undo_of_someone_elses_change_is_a_change_log_finding(worked, cli):
    damage(worked, "INSERT INTO change_groups (uuid, at, user, action, summary, undoes)"
                   " VALUES ('x', '2030-01-01', 'li', 'undo', 'Undid', (SELECT min(id) FROM change_groups))")
    assert any("is li's undo of change #" in f for f in findings(cli, kind="change-log"))


def test_a_row_written_behind_the_log_is_a_change_log_finding(worked, cli):
    damage(worked, "INSERT INTO codes (uuid, key, name_en, created_at, created_by, modified_at, modified_by)"
                   " VALUES ('u', 'sneaky', 'Sneaky', 't', 'x', 't', 'x')")
    assert any(f.startswith("change-log: codes row ") and f.endswith("is in no change of the log")
               for f in findings(cli, kind="change-log"))


def test_a_row_changed_behind_the_log_is_a_change_log_finding(worked, cli):
    damage(worked, "UPDATE pseudonyms SET pseudonym = 'Q'")
    (line,) = findings(cli)
    assert line.startswith("change-log: pseudonyms row ") and "pseudonym is 'Q', but log entry" in line


def test_a_row_deleted_behind_the_log_is_a_change_log_finding(worked, cli):
    damage(worked, "DELETE FROM pseudonyms")
    (line,) = findings(cli)
    assert line.startswith("change-log: pseudonyms row ") and line.endswith("left it in place")


def test_a_broken_chain_of_states_is_a_change_log_finding(worked, cli):
    damage(worked, "UPDATE changes SET before = json_set(before, '$.start_offset', 77)"
                   " WHERE table_name = 'codings' AND op = 'update'")
    assert any("start_offset was 77 before it, but entry" in f for f in findings(cli, kind="change-log"))


def test_entries_out_of_order_are_a_change_log_finding(worked, cli):
    damage(worked, "UPDATE changes SET seq = seq + 5 WHERE id = (SELECT max(id) FROM changes)")
    assert any("entries are not numbered 1, 2, …" in f for f in findings(cli, kind="change-log"))


def test_findings_print_one_line_each_and_json_lists_them(worked, cli):
    damage(worked, "UPDATE pseudonyms SET pseudonym = 'Q'", "UPDATE codings SET quote = 'x'")
    result = cli("check", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["clean"] is False
    kinds = {f["kind"] for f in data["findings"]}
    assert kinds == {"quote", "change-log"}
    assert all("\n" not in f["message"] for f in data["findings"])


def _hash(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT text_sha256 FROM sources").fetchone()[0]
    finally:
        conn.close()


def test_a_command_on_a_damaged_file_is_one_line_naming_it_and_the_way_back(tmp_path):
    """A page SQLite cannot read: every command says the file is damaged and how to get
    back (check, backups, restore) in one line, not a traceback."""
    import subprocess
    import sys

    from fieldcase.importers import import_paths
    from fieldcase.store.project import init_project

    path = tmp_path / "damaged.fieldcase"
    with init_project(path, user="tester") as project:
        import_paths(project, [write(tmp_path / "a.txt", "问：你好\n答：回来了。\n" * 200)])
    with path.open("r+b") as handle:  # no connection is open in this process
        handle.seek(4096 * 11 + 3)
        handle.write(b"\xff" * 40)
    run = subprocess.run([sys.executable, "-m", "fieldcase", "sources", "-p", str(path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"error: {path}: the file is damaged (database disk image is malformed); `fieldcase check` lists "
        "what, `fieldcase backups` and `fieldcase restore` bring back a copy"]


def test_a_project_cut_short_is_called_damaged_not_a_stranger(tmp_path, cli):
    from fieldcase.store.project import init_project

    path = tmp_path / "short.fieldcase"
    init_project(path, user="tester").close()
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 3 + 100)
    result = cli("sources", "-p", str(path), project=False)
    assert result.exit_code == 1
    assert "the file is damaged or cut short" in result.output and "fieldcase restore" in result.output


def test_an_empty_file_is_one_error_and_stays_empty(cli, project_path):
    project_path.write_bytes(b"")
    for args in (("check",), ("info",), ("qdpx", "import", "nothing-there.qdpx")):
        result = cli(*args)
        assert result.exit_code == 1 and "an empty file, not a fieldcase project" in result.output, args
        assert project_path.stat().st_size == 0  # not made into a database
