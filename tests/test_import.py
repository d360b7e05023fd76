"""Import: formats, metadata, defaults, duplicates, bad input and all-or-nothing files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import count, write
from fieldcase.errors import InputError, NotFoundError
from fieldcase.importers import MAX_FILE_BYTES, ImportOptions, import_paths
from fieldcase.store import attributes, cases, sites, sources
from fieldcase.store.project import open_project
from fieldcase.text.turns import find_turns

INTERVIEW = "访谈者：您是哪一年回来的？\nH：2012年。父母年纪大了。\n访谈者：回来做什么？\nH：搞土地流转，办合作社。\n"
HEADER = (
    "---\ntitle: H访谈\nsite: X village\ncases: H, 张大伯\nkind: interview\ndate: 2023-07-14\n"
    "interviewer: 赵\nplace: 村委会\nlanguage: zh\nconsent: written\nhousehold_size: 5\n---\n"
)


def test_txt_with_header_creates_site_cases_and_attributes(project, tmp_path):
    result = import_paths(project, [write(tmp_path / "h.txt", HEADER + INTERVIEW)])[0]
    assert result.status == "imported", result.error
    assert sorted(result.created) == ["case H", "case 张大伯", "site X village"]
    stored = sources.get(project, result.id)
    assert {k: stored[k] for k in ("title", "site", "kind", "date", "interviewer", "place", "language", "consent")} == {
        "title": "H访谈",
        "site": "X village",
        "kind": "interview",
        "date": "2023-07-14",
        "interviewer": "赵",
        "place": "村委会",
        "language": "zh",
        "consent": "written",
    }
    assert stored["cases"] == ["H", "张大伯"]
    assert stored["attributes"] == {"household_size": 5}
    assert stored["text"] == INTERVIEW.rstrip()
    assert [t["speaker"] for t in stored["turns"]] == ["访谈者", "H", "访谈者", "H"]
    assert cases.find(project, "H")["site_id"] == sites.find(project, "X village")["id"]


def test_options_fill_what_the_header_leaves_out(project, tmp_path):
    sites.add(project, "X village")
    sites.add(project, "Xiamu Village")
    cases.add(project, "刘霞", site="Xiamu Village")
    path = write(tmp_path / "liu.txt", "---\ntitle: 刘霞访谈\nsite: Xiamu Village\n---\n" + INTERVIEW)
    options = ImportOptions(site="X village", cases=["刘霞"], date="2024-10-18", interviewer="陈", title="ignored")
    result = import_paths(project, [path], options)[0]
    stored = sources.get(project, result.id)
    assert stored["title"] == "刘霞访谈"  # the header wins
    assert stored["site"] == "Xiamu Village"  # the header wins
    assert stored["date"] == "2024-10-18" and stored["interviewer"] == "陈"  # options fill in
    assert stored["cases"] == ["刘霞"]


def test_markdown_and_kind_guess(project, tmp_path):
    note = write(tmp_path / "notes" / "walk.md", "# 村内走访\n\n今天下午走访了竹编车间。")
    talk = write(tmp_path / "notes" / "talk.md", INTERVIEW)
    results = {Path(r.path).name: r for r in import_paths(project, [tmp_path / "notes"])}
    assert sources.get(project, results["walk.md"].id)["kind"] == "document"
    assert results["walk.md"].turns == 0
    assert sources.get(project, results["talk.md"].id)["kind"] == "interview"
    assert results["talk.md"].turns == 4
    assert note.exists() and talk.exists()


def test_observation_kind_has_no_turns(project, tmp_path):
    path = write(tmp_path / "obs.txt", "---\nkind: observation\n---\n时间：上午\n地点：村委会\n时间：下午\n地点：车间")
    result = import_paths(project, [path])[0]
    assert result.turns == 0 and sources.get(project, result.id)["kind"] == "observation"


def test_folder_import_recurses_and_skips_hidden_and_temporary_files(project, tmp_path):
    write(tmp_path / "in" / "a.txt", "第一份材料")
    write(tmp_path / "in" / "sub" / "b.md", "第二份材料")
    write(tmp_path / "in" / ".hidden.txt", "隐藏")
    write(tmp_path / "in" / ".DS_Store", "Finder")
    write(tmp_path / "in" / "~$lock.docx", "Office lock file")
    write(tmp_path / "in" / "Thumbs.db", "thumbnails")
    write(tmp_path / "in" / "a.txt~", "editor backup")
    write(tmp_path / "in" / "photo.jpg", "not text")
    results = import_paths(project, [tmp_path / "in"])
    assert sorted((Path(r.path).name, r.status) for r in results) == [
        ("a.txt", "imported"), ("b.md", "imported"), ("photo.jpg", "ignored")]


def test_documents_a_folder_import_cannot_read_are_each_named_with_what_to_do(project, tmp_path):
    from fieldcase.importers import summary

    folder = tmp_path / "fieldwork"
    write(folder / "a.txt", "访谈者：好。\nH：好。")
    for name in ("王阿姨.doc", "policy.pdf", "notes.rtf", "notes.odt", "村志.wps", "diary.pages",
                 "roster.xls", "roster2.xlsx"):
        write(folder / "old" / name, "binary")
    write(folder / "recording.m4a", "audio")
    results = import_paths(project, [folder])
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["a.txt"].status == "imported"  # the batch goes on past them
    assert by_name["王阿姨.doc"].status == "unsupported"
    assert by_name["王阿姨.doc"].error == "old Word .doc format: save it as .docx or .txt and import that"
    unread = [r for r in results if r.status == "unsupported"]
    assert len(unread) == 8 and all("import that" in r.error for r in unread)
    assert summary(results) == ("1 imported, 8 not imported (a format fieldcase "
                                "cannot read); 1 other file left alone (.m4a)")


def test_text_is_stored_nfc_with_newline_ends_and_offsets_hold(project, tmp_path):
    decomposed = unicodedata.normalize("NFD", "Interviewer: café?\r\nLi Ling: Noël, résumé.\r\nLi Ling: Zoë.\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbf" + decomposed.encode("utf-8"))
    result = import_paths(project, [path])[0]
    stored = sources.get(project, result.id)
    assert stored["text"] == "Interviewer: café?\nLi Ling: Noël, résumé.\nLi Ling: Zoë."
    assert stored["encoding"] == "utf-8-sig"
    second = stored["turns"][1]
    assert stored["text"][second["speech"] : second["end"]] == "Noël, résumé."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "big5"])
def test_each_encoding_imports_the_same_text(project, tmp_path, encoding):
    text = "訪談者：您好。\nH：回來以後，村裡變化很大。" if encoding == "big5" else INTERVIEW
    result = import_paths(project, [write(tmp_path / f"{encoding}.txt", text, encoding)])[0]
    assert result.status == "imported", result.error
    assert sources.get(project, result.id)["text"] == text.rstrip()
    assert result.encoding == ("gb18030" if encoding == "gbk" else encoding)


def test_identical_text_is_reported_and_skipped(project, tmp_path):
    first = import_paths(project, [write(tmp_path / "a.txt", INTERVIEW)])[0]
    second = import_paths(project, [write(tmp_path / "b.txt", INTERVIEW, "gb18030")])[0]
    assert second.status == "duplicate" and second.duplicate_of == first.id
    assert count(project, "sources") == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n\t \r\n", "no text in the file"),
        ("only-header.txt", b"---\ntitle: x\n---\n\n", "no text in the file after its metadata header"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("fake.docx", b"plain text, not a zip", "not a valid .docx"),
        ("bad-date.txt", b"---\ndate: 2023-02-30\n---\ntext", "metadata header date"),
        ("bad-kind.txt", b"---\nkind: poem\n---\ntext", "unknown source kind"),
        ("bad-consent.txt", b"---\nconsent: maybe\n---\ntext", "unknown consent status"),
        ("bad-header.txt", b"---\ntitle: x\nno colon here\n---\ntext", "metadata header line 3"),
        ("scan.pdf", b"%PDF-1.4", "PDF: fieldcase cannot take text out of a PDF"),
    ],
)
def test_bad_files_get_one_clear_error_and_store_nothing(project, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = import_paths(project, [path])[0]
    assert result.status == "error"
    assert message in result.error and "\n" not in result.error
    assert count(project, "sources") == 0 and count(project, "change_groups") == 0


def test_huge_file_is_refused(project, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    result = import_paths(project, [path])[0]
    assert result.status == "error" and "too large" in result.error


def test_missing_path_and_good_files_in_one_batch(project, tmp_path):
    good = write(tmp_path / "good.txt", INTERVIEW)
    empty = write(tmp_path / "empty.txt", "")
    results = import_paths(project, [good, tmp_path / "missing.txt", empty])
    assert [r.status for r in results] == ["imported", "error", "error"]
    assert "no such file" in results[1].error
    assert count(project, "sources") == 1


def test_unknown_site_or_case_option_stops_the_batch_before_any_file(project, tmp_path):
    path = write(tmp_path / "a.txt", INTERVIEW)
    with pytest.raises(NotFoundError, match="no site 'Nowhere'"):
        import_paths(project, [path], ImportOptions(site="Nowhere"))
    with pytest.raises(NotFoundError, match="no case 'Nobody'"):
        import_paths(project, [path], ImportOptions(cases=["Nobody"]))
    assert count(project, "sources") == 0


def test_failure_while_storing_rolls_back_the_whole_file(project, tmp_path):
    attributes.define(project, "source", "household_size", "integer")
    before = count(project, "change_groups")
    bad = HEADER.replace("household_size: 5", "household_size: five") + INTERVIEW
    result = import_paths(project, [write(tmp_path / "h.txt", bad)])[0]
    assert result.status == "error" and "household_size" in result.error
    # The site and cases the header named were created inside the file's transaction: gone too.
    for table in ("sites", "cases", "sources", "turns", "source_cases"):
        assert count(project, table) == 0, table
    assert count(project, "change_groups") == before
    assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


KILL_SCRIPT = """
import sys
from fieldcase.store.project import open_project
from fieldcase.importers import import_paths
project = open_project(sys.argv[1])
# "begun" at each write transaction's start: the test kills the process inside one
project.conn.set_trace_callback(lambda sql: sql.startswith("BEGIN") and print("begun", flush=True))
for path in sys.argv[2:]:
    import_paths(project, [path])
    print("done", path, flush=True)
"""


def test_kill_mid_import_leaves_only_whole_files(project, project_path, tmp_path):
    paths = []
    for i in range(300):
        body = "".join(f"访谈者：第{i}份第{j}问？\nH：回答{i}-{j}，土地流转和合作社。\n" for j in range(200))
        paths.append(str(write(tmp_path / "many" / f"{i:03d}.txt", body)))
    project.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(project_path), *paths],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
    )
    assert proc.stdout is not None

    def said() -> str:
        line = proc.stdout.readline()
        assert line, "the import ended before it could be killed"
        return line

    done = 0
    while done < 20:  # twenty files stored, then inside the next write, whatever it is
        done += said().startswith("done")
    while not said().startswith("begun"):
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open_project(project_path) as reopened:
        assert reopened.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = reopened.query("SELECT id, text, original_filename FROM sources")
        assert 20 <= len(stored) < 300
        for row in stored:
            turns = reopened.db.execute("SELECT count(*) FROM turns WHERE source_id = ?", [row["id"]]).fetchone()[0]
            assert turns == len(find_turns(row["text"])) == 400
        groups = reopened.db.execute("SELECT count(*) FROM change_groups").fetchone()[0]
        assert groups == len(stored)
        # Importing again completes the rest and skips what is there.
        results = import_paths(reopened, paths)
        assert {r.status for r in results} <= {"imported", "duplicate"}
        assert count(reopened, "sources") == 300


def test_a_typed_date_wins_over_a_date_line_in_the_text(project):
    from fieldcase.importers import ImportOptions
    from fieldcase.importers.typed import store_typed
    from fieldcase.store import sources as stored

    text = "时间：2025年7月12日\n问：好。\n答：好。"
    typed = store_typed(project, text, ImportOptions(date="2024-01-02"), [])
    from_line = store_typed(project, text + "\n问：再见。", ImportOptions(), [])
    assert [stored.get(project, i)["date"] for i in (typed, from_line)] == ["2024-01-02", "2025-07-12"]


def test_typing_a_source_leaves_the_callers_options_as_they_were(project):
    from dataclasses import asdict

    from fieldcase.importers import ImportOptions
    from fieldcase.importers.typed import store_typed
    from fieldcase.store import sources as stored

    options = ImportOptions(site="新村", kind="interview", date="2024-01-02")
    given = asdict(options)
    source_id = store_typed(project, "问：好。\n答：好。", options, ["李"])
    assert asdict(options) == given
    assert stored.get(project, source_id)["site"] == "新村"  # the new site was made all the same
    with pytest.raises(InputError, match="already has exactly this text"):
        store_typed(project, "问：好。\n答：好。", options, [])
    assert asdict(options) == given


def test_a_header_name_like_an_existing_case_says_which_it_may_mean(project, tmp_path, cli):
    from fieldcase.store import cases, sites

    sites.add(project, "柳树村")
    cases.add(project, "王阿姨", site="柳树村")
    path = write(tmp_path / "w.txt", "---\nsite: 柳树\ncases: 王啊姨\nkind: interview\n---\n问：好吗？\n答：好。\n")
    out = cli("import", str(path)).output
    assert "created site 柳树 (new; did you mean 柳树村?), case 王啊姨 (new; did you mean 王阿姨?)" in out


def test_a_place_line_gives_the_place_and_a_header_place_wins(project, tmp_path):
    from fieldcase.importers import ImportOptions

    line = write(tmp_path / "a.txt", "时间：2025年7月12日\n地点：X村村委会\n问：您好。\n答：您好。")
    header = write(tmp_path / "b.txt", "---\nplace: 竹编车间\n---\n地点：X村村委会\n问：好。\n答：好。")
    neither = write(tmp_path / "c.txt", "问：还有呢？\n答：没有了。")
    results = import_paths(project, [line, header, neither], ImportOptions(place="县城"))
    assert [sources.get(project, r.id)["place"] for r in results] == ["X村村委会", "竹编车间", "县城"]
