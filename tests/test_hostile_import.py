"""Hostile input at import: every bad file is one error line naming it, the batch goes on
to the good file after it, and nothing stored changes. The corpus (tests/hostile.py) is
generated at test time: random bytes, lying encodings, broken and hostile zips, entity
attacks, deep nesting; beside it names that are not UTF-8, links and unreadable files."""

from __future__ import annotations

import ctypes
import json
import os
import random
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hostile import GOOD_TEXT, W_NS, docx, document_xml, hostile_docx, paragraph, write_corpus
from tui_helpers import import_in_dialog

from fieldcase.errors import InputError
from fieldcase.importers import import_paths
from fieldcase.importers.docx import read_docx
from fieldcase.importers.encoding import decode, readable_name
from fieldcase.importers.files import read_bytes
from fieldcase.store import sources
from fieldcase.store.project import open_project


def dump(project_path: Path) -> dict[str, list[tuple]]:
    """The schema and every row of every stored table (the change log and the search
    index's own tables too); virtual tables are read through the tables they keep."""
    conn = sqlite3.connect(project_path)
    try:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        tables = [name for kind, name, sql in schema
                  if kind == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL")]
        rows = {name: conn.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for name in tables}
    finally:
        conn.close()
    return {"sqlite_master": schema, **rows}


def error_lines(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ") and name in line]


def test_each_hostile_file_is_one_error_line_and_the_batch_goes_on(cli, tmp_path):
    cli("init")
    folder = tmp_path / "attack"
    attacks = write_corpus(folder)
    result = cli("import", str(folder))
    assert result.exit_code == 1
    wrong = []
    for name, _, fragment in attacks:
        lines = error_lines(result.stderr, f"{folder / name}: ")
        if len(lines) != 1 or fragment not in lines[0]:
            wrong.append((name, fragment, lines))
    assert not wrong, wrong
    assert len(result.stderr.splitlines()) == len(attacks)  # one line each, nothing else
    assert f"imported: {folder / 'zz-good.txt'} -> source 1" in result.stdout
    assert f"1 imported, {len(attacks)} failed" in result.stdout


def test_a_batch_of_only_bad_files_leaves_the_project_as_it_was(cli, project_path, tmp_path):
    cli("init")
    cli("import", str(write_good(tmp_path / "before.txt")))
    before = dump(project_path)
    folder = tmp_path / "attack"
    write_corpus(folder)
    (folder / "zz-good.txt").unlink()
    result = cli("import", str(folder))
    assert result.exit_code == 1 and "0 imported" in result.stdout
    assert dump(project_path) == before


def write_good(path: Path, text: str = GOOD_TEXT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_entry_that_lies_about_its_size_is_refused_without_unpacking_it():
    lying = dict((name, data) for name, data, _ in hostile_docx())["lying-size.docx"]
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="more than the 1,000 bytes its header declares"):
            read_docx(lying)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20  # the stream inflates to 2 GiB


@pytest.mark.parametrize(
    "document",
    [
        # a DOCTYPE the first chunk does not show: in UTF-16, and after 70 KB of comment
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM '
         f'"file:///etc/passwd">]><w:document xmlns:w="{W_NS}"><w:body>{paragraph("&xxe;")}'
         "</w:body></w:document>").encode("utf-16"),
        document_xml(paragraph("&xxe;"), "<!--" + "x" * 70_000 + "-->"
                     '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
    ],
)
def test_an_entity_declaration_anywhere_in_the_prolog_is_refused(document):
    with pytest.raises(InputError, match="declares a document type"):
        read_docx(docx(document))


def test_deep_nesting_within_the_parser_limit_still_reads():
    links = "<w:p>" + "<w:hyperlink>" * 250 + "<w:r><w:t>深</w:t></w:r>" + "</w:hyperlink>" * 250 + "</w:p>"
    tables = "<w:tbl><w:tr><w:tc>" * 82 + paragraph("浅") + "</w:tc></w:tr></w:tbl>" * 82
    assert read_docx(docx(document_xml(links + tables))).text.split("\n") == ["深", "浅"]


def test_random_bytes_are_rarely_text_and_tiny_texts_still_are():
    rng = random.Random(7)
    for size in range(1, 41):
        passed = 0
        for _ in range(2000):
            try:
                passed += bool(decode(rng.randbytes(size)).text.strip())
            except InputError:
                pass
        assert passed / 2000 < (0.05 if size < 8 else 0.01), size
        assert passed == 0 or 1 < size < 32, size
    for text, encoding in [("ok\n", "utf-8"), ("好", "utf-8"), ("好\n", "utf-16"), ("返乡", "gb18030"),
                           ("Café au lait", "cp1252")]:
        assert decode(text.encode(encoding)).text.removeprefix("\ufeff") == text


def test_tiny_texts_import(project, tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, data in [("ok.txt", b"ok\n"), ("hao.txt", "好".encode()), ("fanxiang.txt", "返乡".encode("gbk"))]:
        (folder / name).write_bytes(data)
    results = import_paths(project, [folder])
    assert [(r.status, r.title) for r in results] == [("imported", "fanxiang"), ("imported", "hao"),
                                                      ("imported", "ok")]


def make_named(folder: Path, raw_name: bytes, text: str) -> None:
    """A file whose name is these bytes, as unzip leaves a Windows zip's GBK names."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(os.fsencode(folder) + b"/" + raw_name, os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, text.encode("utf-8"))
    os.close(fd)


def test_file_names_that_are_not_utf8_import_with_readable_titles(cli, project_path, tmp_path):
    cli("init")
    folder = tmp_path / "from-windows"
    make_named(folder, "中文访谈.txt".encode("gbk"), GOOD_TEXT)
    make_named(folder, "竹編產業.txt".encode("big5"), "竹編產業在夏木村復興了，很多年輕人回來做直播。\n")
    make_named(folder, b"\xff\xfe bad \x81.txt", "Notes on the visit to the school.\n")
    make_named(folder, b"evil\x1b[31m\nname.txt", "A note whose name holds an escape and a newline.\n")
    make_named(folder / "子".encode("gbk").decode(sys.getfilesystemencoding(), "surrogateescape"),
               "访谈.txt".encode("gbk"), "访谈者：文件夹的名字也是GBK。\nH：是的。\n")
    result = cli("import", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(row["title"] for row in rows) == sorted(
        ["中文访谈", "竹編產業", "\ufffd\ufffd bad \ufffd", "evil\x1b[31m\u240aname", "访谈"])
    assert any(row["path"].endswith("/子/访谈.txt") for row in rows)
    with open_project(project_path) as project:
        stored = {row["title"]: row for row in sources.list_all(project)}
        assert stored["中文访谈"]["original_filename"] == "中文访谈.txt"
    history = cli("history")
    assert history.exit_code == 0 and "Imported 中文访谈" in history.stdout
    plain = cli("import", str(folder))  # the same files again: duplicates, each on one line
    lines = [line for line in plain.stdout.splitlines() if line.startswith("duplicate: ")]
    assert len(lines) == 5 and "5 duplicates skipped" in plain.stdout
    assert f"duplicate: {folder}/evil␛[31m␊name.txt: " in plain.stdout


def test_an_option_in_bytes_that_are_not_utf8_is_one_error_line(cli, tmp_path):
    cli("init")
    result = cli("import", str(write_good(tmp_path / "a.txt")), "--title", "b\udcffd")
    assert result.exit_code == 1
    assert result.stderr == "error: --title: not valid text (it holds bytes that are not UTF-8)\n"


def test_links_inside_a_folder_are_named_and_not_followed(cli, project_path, tmp_path):
    cli("init")
    secret = write_good(tmp_path / "elsewhere" / "secret.txt", "TOP SECRET root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "notes"
    write_good(folder / "zz-good.txt")
    (folder / "sub").mkdir()
    os.symlink(secret, folder / "pw.txt")
    os.symlink(secret.parent, folder / "sub" / "linked-folder")
    result = cli("import", str(folder))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"skipped: {folder / 'pw.txt'}: a symbolic link (to {secret}); not followed "
        "(fieldcase import --follow-links follows links in folders)",
        f"skipped: {folder / 'sub' / 'linked-folder'}: a symbolic link (to {secret.parent}); not followed "
        "(fieldcase import --follow-links follows links in folders)",
    ]
    assert "1 imported, 2 links not followed" in result.stdout
    assert "TOP SECRET" not in repr(dump(project_path))


def test_follow_links_follows_them_once_each(cli, tmp_path):
    cli("init")
    secret = write_good(tmp_path / "elsewhere" / "linked.txt", "访谈者：链接的文件。\nH：是。\n")
    folder = tmp_path / "notes"
    write_good(folder / "zz-good.txt")
    (folder / "sub").mkdir()
    os.symlink(secret, folder / "sub" / "file-link.txt")
    os.symlink(folder, folder / "sub" / "loop")
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")
    result = cli("import", str(folder), "--follow-links")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {folder / 'dangling.txt'}: a broken symbolic link (to {tmp_path / 'gone.txt'})",
        f"skipped: {folder / 'sub' / 'loop'}: a symbolic link (to {folder}) back into a folder already read; "
        "not followed",
    ]
    assert "2 imported, 1 link not followed, 1 failed" in result.stdout


def test_a_link_named_on_the_command_line_is_followed(cli, tmp_path):
    cli("init")
    target = write_good(tmp_path / "real.txt")
    os.symlink(target, tmp_path / "named.txt")
    result = cli("import", str(tmp_path / "named.txt"))
    assert result.exit_code == 0 and "1 imported" in result.stdout
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    broken = cli("import", str(tmp_path / "broken.txt"))
    assert broken.stderr == f"error: {tmp_path / 'broken.txt'}: a broken symbolic link (to {tmp_path / 'nowhere.txt'})\n"


def test_a_link_swapped_in_after_the_folder_was_read_is_not_followed(tmp_path):
    os.symlink(write_good(tmp_path / "secret.txt"), tmp_path / "swapped.txt")
    with pytest.raises(OSError):
        read_bytes(tmp_path / "swapped.txt", follow=False)
    assert read_bytes(tmp_path / "swapped.txt", follow=True) == GOOD_TEXT.encode()


def _unprivileged() -> None:  # pragma: no cover - runs in the child, before exec
    """As root, give up on exec every capability (file modes then bind, as for a researcher)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in range(64):
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fieldcase", *args], capture_output=True, text=True,
                          preexec_fn=_unprivileged if os.geteuid() == 0 else None, check=False)


def test_an_unreadable_folder_or_file_is_an_error_and_the_exit_status_says_so(project_path, tmp_path):
    folder = tmp_path / "fieldwork"
    closed = write_good(folder / "closed" / "a.txt").parent
    unreadable = write_good(folder / "unreadable.txt", "访谈者：读不到的文件。\n")
    write_good(folder / "zz-good.txt")
    closed.chmod(0)
    unreadable.chmod(0)
    try:
        probe = subprocess.run([sys.executable, "-c", f"open({str(unreadable)!r})"], capture_output=True,
                               preexec_fn=_unprivileged if os.geteuid() == 0 else None, check=False)
        if probe.returncode == 0:
            pytest.skip("cannot give up the right to read every file here")
        assert run_unprivileged("init", "-p", str(project_path)).returncode == 0
        done = run_unprivileged("import", str(folder), "-p", str(project_path))
    finally:
        closed.chmod(0o755)
        unreadable.chmod(0o644)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: {closed}: cannot read the folder (Permission denied)",
        f"error: {unreadable}: cannot read the file (Permission denied)",
    ]
    assert "1 imported, 2 failed" in done.stdout


async def test_the_import_dialog_reports_a_bad_file_and_imports_the_good_one(tui_project, tmp_path):
    folder = tmp_path / "batch"
    attacks = dict((name, data) for name, data, _ in hostile_docx())
    folder.mkdir()
    (folder / "xxe.docx").write_bytes(attacks["xxe.docx"])
    (folder / "lying-size.docx").write_bytes(attacks["lying-size.docx"])
    write_good(folder / "zz-good.txt")
    shown = "".join((await import_in_dialog(tui_project, str(folder))).split())  # lines wrap anywhere
    assert "lying-size.docx:refused:zipentry'word/document.xml'unpackstomorethan" in shown
    assert "xxe.docx:refused:word/document.xmldeclaresadocumenttype" in shown
    assert "1imported,2failed" in shown
    with open_project(tui_project) as project:
        assert [row["title"] for row in sources.list_all(project)][-1] == "zz-good"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("中文访谈.txt".encode("gbk"), "中文访谈.txt"),
        ("竹編產業.txt".encode("big5"), "竹編產業.txt"),
        ("访谈.txt".encode("utf-8"), "访谈.txt"),
        (b"\xff\xfe.txt", "\ufffd\ufffd.txt"),
        (b"a\tb\nc\x1b.txt", "a\tb\u240ac\x1b.txt"),
    ],
)
def test_readable_name(raw, expected):
    assert readable_name(os.fsdecode(raw)) == expected
