"""Every table in every Word export, read back from its XML: the caption kept with the
table, rows that do not split, a repeated header, cells in the table style (no first-line
indent), columns sized from their words across the full text width."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from conftest import write
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.case_report import write_case
from fieldcase.reports.docx_tables import EMU_PER_TWIP, HAN_CM, PADDING_CM, TWIPS_PER_CM, column_widths, measure
from fieldcase.store import cases, codings, sites, sources
from fieldcase.store.project import init_project
from test_export_framework import export, summarised  # noqa: F401  (a fixture)

CM = TWIPS_PER_CM


def test_column_widths_keep_labels_whole_and_fill_the_room():
    rows = [["项目", "内容"], ["Gender", "Female"], ["受教育程度", "高中"], ["Y女士", "x" * 3],
            ["prior urban job", "她在城市里做过很多年的服装销售，后来因为家里的老人需要照顾回到了村里。" * 2]]
    room = int(15.92 * CM)
    widths = column_widths(rows, room)
    assert sum(widths) == room
    label = (PADDING_CM + HAN_CM * 5) * CM  # 受教育程度: five Chinese characters
    assert widths[0] >= label and widths[0] < widths[1]  # whole, and narrower than the text it labels


def test_short_columns_share_the_room_after_their_length_and_too_many_are_shrunk_alike():
    room = int(25 * CM)
    widths = column_widths([["地点", "个案", "返乡动因"], ["X village", "H", "很长的总结。" * 20]], room)
    assert sum(widths) == room and widths[2] > 2 * (widths[0] + widths[1])
    crowded = column_widths([["Educational-background"] * 12], room)
    assert sum(crowded) == room and len(set(crowded[:-1])) == 1


def _style_chain(document, style_id):
    """The paragraph styles from ``style_id`` up through its bases."""
    by_id = {s.style_id: s for s in document.styles if s.type == 1}
    style = by_id.get(style_id or "Normal")
    while style is not None:
        yield style
        style = style.base_style


def _first_line(document, paragraph) -> str:
    """The first-line indent (twips, or chars ×100) that applies to a paragraph."""
    for element in (paragraph, *(s.element for s in _style_chain(document, paragraph.style))):
        ind = element.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        if ind is not None and (ind.get(qn("w:firstLine")) is not None or ind.get(qn("w:firstLineChars"))):
            return ind.get(qn("w:firstLineChars")) or ind.get(qn("w:firstLine"))
    return "0"


def check_tables(path) -> docx.Document:
    """Assert what every table of a Word export must be; returns the document."""
    document = docx.Document(str(path))
    body = list(document.element.body)
    sections = iter(document.sections)
    section = next(sections)
    assert document.tables
    for element in body:
        if element.tag == qn("w:tbl"):
            table = element
            rows = table.findall(qn("w:tr"))
            assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
            assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            room = (section.page_width - section.left_margin - section.right_margin) // EMU_PER_TWIP
            grid = [int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid"))]
            assert abs(sum(grid) - room) <= 1, (sum(grid), room)
            for p in table.iter(qn("w:p")):
                assert _first_line(document, p) == "0"
                style = next(_style_chain(document, p.style))
                assert style.paragraph_format.line_spacing in (1.0, 1.15)
                assert style.font.size is not None and style.font.size.pt < 12
            before = table.getprevious()
            while before is not None and before.tag == qn("w:p") and not "".join(before.itertext()).strip():
                before = before.getprevious()
            if before is not None and before.style == document.styles["Caption"].style_id:
                assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
        elif element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            section = next(sections)
    return document


def test_every_framework_table_keeps_its_caption_rows_and_width(summarised, tmp_path):  # noqa: F811
    out = export(summarised, tmp_path, "framework", "docx", "--toc")
    document = check_tables(out)
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(document.tables)
    first = document.tables[0]
    widths = [c.width for c in first.columns]
    summarised_column = next(i for i, c in enumerate(first.rows[0].cells) if c.text == "返乡动因")
    assert max(widths[:2]) < widths[summarised_column] / 1.5  # site and case narrow, summaries wide
    for table in document.tables:  # ten columns or three: every header on one line
        for cell, column in zip(table.rows[0].cells, table.columns, strict=True):
            assert column.width / EMU_PER_TWIP >= (PADDING_CM + measure(cell.text)) * CM, cell.text
    # the sections the contents list: a heading per table, then the quotes; no quote a heading
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:-1] == [c.text.split("　", 1)[1] for c in captions] and headings[-1] == "引文"
    toc = [p.text for p in document.paragraphs if p.style.name.startswith("toc")]
    assert toc == headings
    titles = [p.text for p in document.paragraphs if p.style.name in ("Title", "Subtitle")]
    assert titles == ["框架矩阵"]  # the sample's English project name does not head a Chinese chapter


def test_the_english_matrix_keeps_its_english_subtitle(summarised, tmp_path):  # noqa: F811
    out = export(summarised, tmp_path, "framework", "docx", "--lang", "en")
    document = check_tables(out)
    subtitle = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    assert subtitle == ["fieldcase sample (fictional)"]


def test_the_comparison_chapter_tables_are_set_alike(summarised, tmp_path):  # noqa: F811
    check_tables(export(summarised, tmp_path, "comparison", "docx", "--case", "H", "--case", "李玲"))


@pytest.fixture
def described(tmp_path):
    path = tmp_path / "study.fieldcase"
    project = init_project(path, user="tester")
    sites.add(project, "Y村")
    cases.add(project, "张三", site="Y村", notes="A returnee who ran a shop in Hangzhou.",
              attrs={"gender": "female", "education": "Educational background unknown", "return_year": 2012})
    text = "访谈者：您哪一年回来的？\n张三：2012年。\n"
    (result,) = import_paths(project, [write(tmp_path / "zs.txt", "---\ntitle: 张三访谈\ndate: 2024-07-20\n---\n"
                                             + text)], ImportOptions(site="Y村", cases=["张三"]))
    at = sources.find(project, result.id)["text"].index("2012年")
    codings.add(project, result.id, "talent.motive.push", at, at + 5)
    yield project
    project.close()


def test_the_case_chapter_labels_its_description_inside_the_profile(described, tmp_path):
    out = write_case(described, tmp_path / "case.docx", "docx", case="张三", pseudonyms=False)
    document = check_tables(out)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    profile = next(i for i, t in enumerate(texts) if "个案概况" in t)
    assert texts[profile + 1].startswith("个案简介：A returnee")
    assert not any(t.startswith("A returnee") for t in texts)
    label, value = (c.width for c in document.tables[0].columns)
    assert label < value
