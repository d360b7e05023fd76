"""A purge remembers a keyed fingerprint of each text it erased (never the words), so that
re-importing the fieldwork folder refuses the withdrawn participant's file with one line,
unless the researcher says they consented again (``--allow-purged``)."""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import INTERVIEW_TEXT, write
from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions
from fieldcase.importers.typed import store_typed
from fieldcase.store import purge, sources
from fieldcase.store.project import Project, open_project
from fieldcase.store.source_purge import plan_source
from fieldcase.text.normalize import normalize_text, text_hash
from test_purge import GONE, KEPT, WITHDRAWN, raw
from tui_helpers import import_in_dialog

REFUSAL = re.compile(r"^error: (.+): this text was erased \(purged\) on (\d{4}-\d\d-\d\d) by (\S+), when a "
                     r"participant withdrew; import it again only with their consent: --allow-purged$")
Cli = Callable[..., Any]  # the conftest ``cli`` fixture: runs fieldcase, returns click's result
OTHER = "---\ntitle: 赵六访谈\nkind: interview\n---\n访谈者：您好。\n赵六：我们村种茶。\n"


def body_hash(text: str) -> str:
    """The ``text_sha256`` a source stores of a file written with a metadata header."""
    return text_hash(normalize_text(text).split("---\n", 2)[2])


def counts(path: Path) -> tuple[int, int, int, int]:
    """Sources, cases, sites and change groups in the project."""
    conn = sqlite3.connect(path)
    try:
        found: tuple[int, int, int, int] = conn.execute(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM cases),"
            " (SELECT count(*) FROM sites), (SELECT count(*) FROM change_groups)").fetchone()
        return found
    finally:
        conn.close()


@pytest.fixture
def purged(cli: Cli, tmp_path: Path) -> Path:
    """A project whose withdrawn participant was purged with their case; returns the file."""
    assert cli("init", "--framework", "none").exit_code == 0
    withdrawn = write(tmp_path / "field" / "w.txt", WITHDRAWN)
    assert cli("import", str(withdrawn), str(write(tmp_path / "field" / "k.txt", KEPT))).exit_code == 0
    done = cli("case", "purge", "王五", "--yes", "--no-backup")
    assert done.exit_code == 0, done.output
    return withdrawn


def test_reimporting_a_purged_file_is_refused_with_one_line_and_the_batch_goes_on(
        cli: Cli, project_path: Path, purged: Path) -> None:
    write(purged.parent / "z.txt", OTHER)
    before = counts(project_path)
    result = cli("import", str(purged.parent))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 1, result.stderr
    match = REFUSAL.match(errors[0])
    assert match and match.group(1).endswith("w.txt"), errors[0]
    with open_project(project_path) as project:
        group = project.query("SELECT at, user FROM change_groups WHERE action = 'purge'")[0]
        assert match.group(2, 3) == (group["at"][:10], group["user"])
        titles = [s["title"] for s in sources.list_all(project)]
        assert titles == ["李四访谈", "赵六访谈"]  # k.txt is a duplicate, z.txt is new, w.txt is refused
        assert not project.query("SELECT id FROM cases WHERE name = '王五'")  # its header's case not made again
    assert counts(project_path) == (before[0] + 1, before[1], before[2], before[3] + 1)
    assert "1 imported, 1 duplicate skipped, 1 failed" in result.stdout
    for word in ("ZEBRAQUOKKA", "独特的句子"):
        assert word.encode() not in raw(project_path)


def test_allow_purged_brings_it_back_and_the_fingerprint_stays(cli: Cli, project_path: Path, purged: Path) -> None:
    result = cli("import", str(purged), "--allow-purged")
    assert result.exit_code == 0, result.output
    with open_project(project_path) as project:
        assert sources.duplicate_of(project, body_hash(WITHDRAWN)) is not None
        assert project.query("SELECT count(*) AS n FROM purged_texts")[0]["n"] == 1  # kept, as a record


def test_the_table_holds_no_words_and_no_plain_hash_and_info_hides_the_secret(
        cli: Cli, project_path: Path, purged: Path) -> None:
    plain = body_hash(WITHDRAWN)
    with open_project(project_path) as project:
        rows = project.query("SELECT * FROM purged_texts")
        assert rows and all(re.fullmatch(r"[0-9a-f]{64}", r["fingerprint"]) for r in rows)
        secret = project.query("SELECT value FROM project_info WHERE key = 'purge.secret'")[0]["value"]
        assert not any(key.endswith("secret") for key in project.info())  # exports never see it
    keyed = hmac.new(bytes.fromhex(secret), plain.encode(), hashlib.sha256).hexdigest()
    assert keyed in {r["fingerprint"] for r in rows} and plain not in {r["fingerprint"] for r in rows}
    data = raw(project_path)
    assert plain.encode() not in data  # a plain hash would let anyone confirm a guessed text
    for word in GONE:
        assert word.encode() not in data


def test_a_second_purge_of_the_same_text_keeps_one_row_with_the_newest_purge(
        cli: Cli, project_path: Path, purged: Path) -> None:
    assert cli("import", str(purged), "--allow-purged").exit_code == 0
    assert cli("source", "purge", "王五访谈 ZEBRAQUOKKA", "--yes", "--no-backup").exit_code == 0
    with open_project(project_path) as project:
        purges = [r["id"] for r in project.query("SELECT id FROM change_groups WHERE action = 'purge' ORDER BY id")]
        rows = project.query("SELECT change_id FROM purged_texts")
        assert len(purges) == 2 and [r["change_id"] for r in rows] == [purges[1]]


def test_a_purge_of_the_history_refuses_the_file_as_it_was_first_imported(
        cli: Cli, project_path: Path, tmp_path: Path) -> None:
    assert cli("init", "--framework", "none").exit_code == 0
    original = write(tmp_path / "w.txt", WITHDRAWN)
    assert cli("import", str(original)).exit_code == 0
    edited = write(tmp_path / "edited.txt", WITHDRAWN.replace("独特的句子甲乙丙", "（删去）"))
    assert cli("source", "edit", "1", "--from-file", str(edited)).exit_code == 0
    assert cli("source", "purge", "1", "--history", "--yes", "--no-backup").exit_code == 0
    result = cli("import", str(original))
    assert result.exit_code == 1 and REFUSAL.match(result.stderr.strip()), result.stderr
    assert counts(project_path)[0] == 1


def test_typed_text_that_was_purged_is_refused(project: Project) -> None:
    text = "访谈者：您好。\n王五：ZEBRAQUOKKA 我不想再参加了。\n"
    source_id = store_typed(project, text, ImportOptions(title="typed"), [])
    purge.run(project, lambda p: plan_source(p, source_id), backup=False)
    with pytest.raises(InputError, match=r"^this text was erased \(purged\) on .* by tester, "):
        store_typed(project, text, ImportOptions(title="again"), [])
    assert project.query("SELECT count(*) AS n FROM sources")[0]["n"] == 0


async def test_the_import_dialog_shows_the_refusal(tui_project: Path, tmp_path: Path) -> None:
    with open_project(tui_project, user="tester") as project:
        purge.run(project, lambda p: plan_source(p, 1), backup=False)
    folder = tmp_path / "again"
    write(folder / "h.txt", INTERVIEW_TEXT)
    write(folder / "z.txt", OTHER)
    shown = "".join((await import_in_dialog(tui_project, str(folder))).split())  # lines wrap anywhere
    assert re.search(r"h\.txt:thistextwaserased\(purged\)on\d{4}-\d\d-\d\dbytester,whenaparticipantwithdrew", shown)
    assert "1imported,1failed" in shown
    with open_project(tui_project) as project:
        assert [s["title"] for s in sources.list_all(project)] == ["赵六访谈"]
