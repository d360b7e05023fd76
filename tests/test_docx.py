"""Word .docx import: paragraphs in order, tables as aligned rows, headings kept, a date line
read; hostile files refused."""

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
        "指标     │ 数值",
        "城镇化率 │ 62.1%",
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
    assert "城镇化率 │ 62.1%" in stored["text"]


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


SAMPLE = Path(__file__).parent.parent / "sample_cases" / "sources" / "quzhou_official_interview.docx"


def test_a_table_shows_as_aligned_rows_and_a_cell_can_be_coded(project):
    from fieldcase.store import codes, codings
    from fieldcase.text.width import display_width

    (result,) = import_paths(project, [SAMPLE])
    text = sources.get(project, result.id)["text"]
    start = text.index("指标")
    table = text[start : text.index("\n问：", start)].split("\n")
    assert len(table) == 9 and set(table[1]) == {"─", "┼"}  # a rule under the bold header row
    rows = [table[0], *table[2:]]
    assert all(line.count(" │ ") == 1 for line in rows)
    bars = {display_width(line[: line.index("│")]) for line in rows}
    assert len(bars) == 1  # the separator in one column, Chinese counted two wide
    assert bars.pop() == display_width(table[1][: table[1].index("┼")])
    cells = [part.strip() for part in rows[1].split("│")]
    assert cells == ["常住人口城镇化率（全市，2024年）", "62.1%"]
    at = text.index("62.1%", start)  # offsets are plain indexes; a coding takes exactly a cell
    code = codes.add(project, name="城镇化", key="urban")
    coding, _ = codings.add(project, result.id, code["id"], at, at + len("62.1%"))
    assert coding["text"] == "62.1%"
    from fieldcase.analysis.search import search

    hits = search(project, "下山搬迁转移农民").hits
    assert any(h.source_id == result.id and h.right.startswith("（全市，截至2024年11月） │ 3万余人") for h in hits)


def test_merged_cells_span_and_are_not_repeated(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row in range(3):
        for column in range(3):
            table.cell(row, column).text = f"格{row}{column}"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "村"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "跨两列的单元格"
    document.save(tmp_path / "m.docx")
    lines = read_docx((tmp_path / "m.docx").read_bytes()).text.split("\n")
    assert lines == [
        "村   │ 格01 │ 格02",
        "     │ 格11 │ 格12",  # merged down: blank, not 村 again
        "格20 │ 跨两列的单元格",
    ]


def _docx_with(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


@pytest.mark.parametrize(("line", "expected"), [
    ("时间：2025年7月12日", "2025-07-12"),
    ("日期：2025-7-12 下午", "2025-07-12"),
    ("访谈时间: 二〇二五年七月十二日上午九点", "2025-07-12"),
    ("时间：2025年7月", "2025-07"),
    ("时间：晚上七点半至十点", None),
])
def test_a_date_line_in_the_first_lines_is_the_date(project, tmp_path, line, expected):
    path = _docx_with(tmp_path / "d.docx", "村支书访谈", line, "问：您好。", "答：您好。")
    (result,) = import_paths(project, [path])
    assert sources.get(project, result.id)["date"] == expected


def test_a_header_date_wins_and_a_late_date_line_is_text(project, tmp_path):
    from fieldcase.importers import ImportOptions

    header = _docx_with(tmp_path / "h.docx", "---", "date: 2024-03-01", "---", "时间：2025年7月12日", "问：好。")
    late = _docx_with(tmp_path / "l.docx", *[f"问：第{i}个问题。" for i in range(10)], "时间：2025年7月12日")
    default = _docx_with(tmp_path / "o.docx", "时间：2025年7月12日", "问：好。答：好。")
    results = import_paths(project, [header, late, default], ImportOptions(date="2020-01-01"))
    assert [sources.get(project, r.id)["date"] for r in results] == ["2024-03-01", "2020-01-01", "2025-07-12"]
