"""Word .docx import: paragraphs in order, tables as text, headings kept; hostile files refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from fieldcase.errors import InputError
from fieldcase.importers import import_paths
from fieldcase.importers.docx import read_docx
from fieldcase.store import sources


def make_docx(path: Path, *, title: str | None = None) -> Path:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading("周科长访谈", level=1)
    document.add_paragraph("问：您在县里负责哪一块？")
    document.add_paragraph("答：乡村人才和农村改革。")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数值"
    table.cell(1, 0).text = "城镇化率"
    table.cell(1, 1).text = "62.1%"
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "合并单元格"
    document.add_heading("第二部分", level=2)
    document.add_paragraph("问：还有呢？")
    document.add_paragraph("答：宅基地改革试点。")
    document.save(path)
    return path


def test_paragraphs_tables_and_headings_in_order(tmp_path):
    result = read_docx(make_docx(tmp_path / "a.docx").read_bytes())
    assert result.text.split("\n") == [
        "周科长访谈",
        "问：您在县里负责哪一块？",
        "答：乡村人才和农村改革。",
        "指标\t数值",
        "城镇化率\t62.1%",
        "合并单元格",
        "第二部分",
        "问：还有呢？",
        "答：宅基地改革试点。",
    ]
    assert result.title == "周科长访谈"


def test_core_title_wins_over_first_heading(tmp_path):
    assert read_docx(make_docx(tmp_path / "a.docx", title="Q县访谈").read_bytes()).title == "Q县访谈"


def test_docx_import_gets_turns_and_title(project, tmp_path):
    results = import_paths(project, [make_docx(tmp_path / "zhou.docx")])
    assert results[0].status == "imported", results[0].error
    stored = sources.get(project, results[0].id)
    assert stored["title"] == "周科长访谈" and stored["encoding"] == "docx"
    assert [t["speaker"] for t in stored["turns"]] == ["问", "答", "问", "答"]
    assert "城镇化率\t62.1%" in stored["text"]


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is plain text renamed to docx", "not a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old-format"),
        (_zip({"hello.txt": b"hi"}), "no word/document.xml"),
        (_zip({"word/document.xml": b"<w:document"}), "not a readable .docx"),
        (_zip({"word/document.xml": b"\x00" * 50_000_000}), "zip bomb"),
    ],
)
def test_hostile_or_broken_docx_is_refused(data, message):
    with pytest.raises(InputError, match=message):
        read_docx(data)


def test_truncated_docx_is_refused(tmp_path):
    whole = make_docx(tmp_path / "a.docx").read_bytes()
    with pytest.raises(InputError, match="not a valid .docx|not a readable .docx"):
        read_docx(whole[: len(whole) // 2])


def test_docx_with_external_entity_does_not_resolve_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = make_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = body.replace("?>", "?>" + doctype, 1).replace("还有呢？", "&xxe;")
    parts["word/document.xml"] = body.encode("utf-8")
    try:
        text = read_docx(_zip(parts)).text
    except InputError:
        return  # refusing the file is as good as not resolving the entity
    assert "TOP SECRET" not in text
