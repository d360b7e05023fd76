"""Faults an author's QA of the chapters and the framework matrix found (issue 18), each read
back from the file written."""

from __future__ import annotations

import docx

from fieldcase.store import cells
from fieldcase.store.project import open_project
from test_export_framework import docx_xml, export, no_real_names, summarised  # noqa: F401 - the fixture


def test_the_comparisons_html_tables_have_real_captions(summarised, tmp_path):  # noqa: F811
    html = export(summarised, tmp_path, "comparison", "html", "--case", "H", "--case", "刘霞",
                  "--case", "李玲").read_text("utf-8")
    assert "Table:" not in html
    assert "<table>\n<caption>表 1　个案概况</caption>" in html
    assert "<caption>表 2　各个案在各主题下的编码片段数</caption>" in html
    no_real_names(html)


def test_markdown_emphasis_in_a_cell_is_read_not_printed_in_every_format(summarised, tmp_path):  # noqa: F811
    with open_project(summarised, user="zhao") as project:
        cells.write(project, "H", "talent.motive", "见**第十三条**：流转补助。")
    out = export(summarised, tmp_path, "framework", "docx")
    document = docx.Document(str(out))
    runs = [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert "**" not in docx_xml(out)
    assert any(r.text == "第十三条" and r.bold for r in runs)
    html = export(summarised, tmp_path, "framework", "html").read_text("utf-8")
    assert "见<strong>第十三条</strong>：流转补助。" in html and "**" not in html
    comparison = export(summarised, tmp_path, "comparison", "docx", "--case", "H")
    bold = [r for p in docx.Document(str(comparison)).paragraphs for r in p.runs if r.bold]
    assert any(r.text == "第十三条" for r in bold)
