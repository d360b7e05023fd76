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
    from openpyxl import load_workbook

    book = load_workbook(export(summarised, tmp_path, "framework", "xlsx"))
    values = [str(v) for r in book.worksheets[0].iter_rows(values_only=True) for v in r if v]
    assert "见第十三条：流转补助。" in values and not any("**" in v for v in values)


def test_a_document_is_cited_as_a_document_not_as_a_persons_words(summarised, tmp_path):  # noqa: F811
    md = export(summarised, tmp_path, "case", "md", "--case", "周科长").read_text("utf-8")
    quoted = [line for line in md.splitlines() if line.startswith("> ") and "第一条" in line]
    assert quoted and quoted[0].endswith("（文件：《Q县关于支持青年人才返乡入乡创业的若干措施（虚构示例文本）》，2024-09-01）")
    assert "周科长，文件" not in md and "文件：周科长-" not in md
    # the source list gives the document no code made from a person's name
    listed = next(line for line in md.splitlines() if line.startswith("- ") and "文件" in line)
    assert listed.startswith("- 《Q县")


def test_memos_on_codings_both_ways_and_memo_titles_are_printed(summarised, tmp_path):  # noqa: F811
    from fieldcase.analysis import framework
    from fieldcase.store import codings, memos

    with open_project(summarised, user="zhao") as project:
        coding = framework.segments(project, "H", "talent.motive")[0]["id"]
        memos.add(project, "coding", coding, "父母年迈是直接原因。")
        codings.set_memo(project, coding, "另见土地。")
        memos.add(project, "case", "H", "从性别看返乡。", title="性别视角")
        memos.add(project, "code", "talent.motive", "推力多于拉力。", title="跨个案")
    md = export(summarised, tmp_path, "case", "md", "--case", "H").read_text("utf-8")
    assert "**分析**：另见土地。　父母年迈是直接原因。" in md
    assert "**分析**：【性别视角】从性别看返乡。" in md
    text = "\n".join(p.text for p in docx.Document(str(export(summarised, tmp_path, "case", "docx",
                                                                "--case", "H"))).paragraphs)
    assert "分析：另见土地。　父母年迈是直接原因。" in text and "分析：【性别视角】从性别看返乡。" in text
    # the comparison prints the memos on the codings its summaries link
    comparison = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "刘霞").read_text("utf-8")
    assert "**分析**：另见土地。　父母年迈是直接原因。" in comparison
    assert "## （一）返乡动因\n\n**分析**：【跨个案】推力多于拉力。" in comparison


def test_the_same_memo_written_both_ways_on_a_coding_is_printed_once(summarised, tmp_path):  # noqa: F811
    from fieldcase.analysis import framework
    from fieldcase.store import codings, memos

    with open_project(summarised, user="zhao") as project:
        coding = framework.segments(project, "H", "talent.motive")[0]["id"]
        codings.set_memo(project, coding, "与H的“跑步机”隐喻可对照。")
        memos.add(project, "coding", coding, "与H的“跑步机”隐喻可对照。\n")  # the same words, as a memo on it
    md = export(summarised, tmp_path, "case", "md", "--case", "H").read_text("utf-8")
    assert md.count("隐喻可对照") == 1 and "**分析**：与H的“跑步机”隐喻可对照。" in md


def test_a_short_summary_is_its_own_paragraph_and_themes_with_nothing_written_are_listed_once(summarised, tmp_path):  # noqa: F811,E501
    with open_project(summarised, user="zhao") as project:
        cells.write(project, "李玲", "talent.motive", "L：无")
    md = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "刘霞",
                "--case", "李玲").read_text("utf-8")
    assert "**L**：L：无\n\n" in md
    # 行动资源 has coded segments but no summary or quote: no section of placeholders, one line at the end
    assert "## （" in md and "行动资源" not in "".join(line for line in md.splitlines() if line.startswith("#"))
    closing = md.split("、比较与小结\n")[1]
    assert "以下主题尚无摘要或引文（括号内为各个案的编码片段数）：" in closing and "行动资源（H " in closing
    assert md.count("行动资源（") == 1
    document = docx.Document(str(export(summarised, tmp_path, "comparison", "docx", "--case", "H", "--case", "刘霞",
                                        "--case", "李玲")))
    paragraphs = [p.text for p in document.paragraphs]
    assert "L：L：无" in paragraphs and not any("L：无" in p and "\n" in p for p in paragraphs)
    assert not any(r.element.xpath("./w:br") for p in document.paragraphs if "L：无" in p.text for r in p.runs)


def test_in_the_word_matrix_a_long_summary_gets_the_width_not_the_labels_or_counts(summarised, tmp_path):  # noqa: F811
    long = "承包地经营权流转面积50亩以上、流转期限5年以上并签订规范合同的，由县财政给予补助。" * 4
    with open_project(summarised, user="zhao") as project:
        cells.write(project, "H", "integration.land", long)
    document = docx.Document(str(export(summarised, tmp_path, "framework", "docx")))
    table = next(t for t in document.tables if "土地要素" in [c.text for c in t.rows[0].cells])
    heads = [c.text for c in table.rows[0].cells]
    widths = [g.w for g in table._tbl.tblGrid.gridCol_lst]
    land = widths[heads.index("土地要素")]
    assert land > 1.5 * max(widths[:2])  # site and case narrow
    assert all(land > 1.8 * w for h, w in zip(heads[2:], widths[2:], strict=True) if h != "土地要素"), (heads, widths)


def test_the_matrix_quotes_have_one_label_a_cell_and_an_upright_page(summarised, tmp_path):  # noqa: F811
    from docx.enum.section import WD_ORIENT

    out = export(summarised, tmp_path, "framework", "docx")
    document = docx.Document(str(out))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[-1].orientation == WD_ORIENT.PORTRAIT
    labels = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold and " · " in p.text]
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert labels.count("H · 返乡动因") == 1 and len(quotes) > len(labels)  # the fixture links two quotes a cell
    md = export(summarised, tmp_path, "framework", "md").read_text("utf-8")
    assert md.count("**H · 返乡动因**") == 1
    html = export(summarised, tmp_path, "framework", "html").read_text("utf-8")
    assert html.count("<h3>H · 返乡动因</h3>") == 1


def test_no_profile_header_or_word_is_broken_in_the_comparisons_tables(summarised, tmp_path):  # noqa: F811
    from fieldcase.reports.docx_tables import EMU_PER_TWIP, LABEL, PADDING_CM, TWIPS_PER_CM, unbreakable

    for lang in ("zh", "en"):
        out = export(summarised, tmp_path, "comparison", "docx", "--site", "X village", "--site", "Xiamu Village",
                     "--lang", lang)
        document = docx.Document(str(out))
        heads = set()
        for table in document.tables[:-1]:  # the profile tables
            for column, cells in zip(table.columns, zip(*(r.cells for r in table.rows)), strict=True):
                twips = column.width / EMU_PER_TWIP
                heads.add(cells[0].text)
                # a header whole (a long one may break between its words, never inside one)
                assert twips >= (PADDING_CM + unbreakable(cells[0].text, LABEL)) * TWIPS_PER_CM, cells[0].text
                assert all(twips >= (PADDING_CM + unbreakable(c.text)) * TWIPS_PER_CM for c in cells), cells[0].text
        assert {"受教育程度", "家庭常住人口"} <= heads if lang == "zh" else {"Gender", "Education"} <= heads


def test_english_words_plurals_and_punctuation_are_english(summarised, tmp_path):  # noqa: F811
    from click.testing import CliRunner

    from fieldcase.analysis import framework
    from fieldcase.cli import cli as command

    md = export(summarised, tmp_path, "framework", "md", "--lang", "en").read_text("utf-8")
    assert "(1 coded segment)" in md and "(1 coded segments)" not in md and "(2 coded segments)" in md
    assert "，" not in md.split("Table:")[0]  # the line under the title: "name, 1 December 2026"
    assert "Table: Table 1. Framework matrix" in md
    html = export(summarised, tmp_path, "framework", "html", "--lang", "en").read_text("utf-8")
    assert "(1 coded segment)" in html and "(1 coded segments)" not in html
    with open_project(summarised, user="zhao") as project:
        one = framework.segments(project, "H", "talent.resources")[0]["id"]
    said = CliRunner().invoke(command, ["summary", "set", "--case", "H", "--code", "talent.resources", "一句。",
                                        "--link", str(one), "-p", str(summarised)])
    assert said.exit_code == 0 and said.output.strip().endswith(": 1 linked coding"), said.output


def test_english_captions_have_a_full_stop_after_the_number_and_kinds_match(summarised, tmp_path):  # noqa: F811
    md = export(summarised, tmp_path, "case", "md", "--case", "李玲", "--lang", "en").read_text("utf-8")
    assert "Table: Table 1. Profile of L" in md
    html = export(summarised, tmp_path, "case", "html", "--case", "李玲", "--lang", "en").read_text("utf-8")
    assert "<caption>Table 1. Profile of L</caption>" in html
    comparison = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "李玲",
                        "--lang", "en").read_text("utf-8")
    assert "Table: Table 1. Profiles of the cases" in comparison and "| H | X village | Person |" in comparison
    assert "| Kind | Person |" in md and "Figure 1. " in comparison


def test_a_reference_that_is_not_word_is_refused_in_one_line_of_our_words(summarised, tmp_path):  # noqa: F811
    from click.testing import CliRunner

    from fieldcase.cli import cli as command

    fake = tmp_path / "fake.docx"
    fake.write_text("not a word file", encoding="utf-8")
    result = CliRunner().invoke(command, ["export", "comparison", "--case", "H", "--format", "docx",
                                          "--out", str(tmp_path / "c.docx"), "--reference-docx", str(fake),
                                          "-p", str(summarised)])
    assert result.exit_code != 0
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "fake.docx: not a usable Word document (it is not a .docx" in message
    assert "Package not found" not in message and not (tmp_path / "c.docx").exists()


def test_check_names_with_no_pseudonyms_lists_the_content_as_well_as_the_folder(summarised, tmp_path):  # noqa: F811
    from click.testing import CliRunner

    from fieldcase.cli import cli as command

    folder = tmp_path / "刘霞"
    result = CliRunner().invoke(command, ["export", "case", "--case", "刘霞", "--format", "md", "--out",
                                          str(folder / "t.md"), "--no-pseudonyms", "--check-names",
                                          "-p", str(summarised)])
    assert result.exit_code == 1
    places = result.output.splitlines()[1:]
    assert any(p.endswith("刘霞: folder name: 刘霞") for p in places)
    assert sum(": line " in p for p in places) > 3  # the chapter itself, full of the name
    assert not folder.exists() and not list(tmp_path.glob("**/*t.md*"))


def test_a_pinyin_name_no_one_listed_is_warned_about_and_goes_once_listed(summarised, tmp_path):  # noqa: F811
    from click.testing import CliRunner

    from fieldcase.cli import cli as command
    from fieldcase.text.person_names import pinyin_names

    found = pinyin_names(["My husband, Wei Gang, sold cars. Wei Gang's uncle. In Nanning. Zhang Xiaojun came."])
    assert found == {"Wei Gang": 2, "Zhang Xiaojun": 1}

    def run(*args):
        return CliRunner().invoke(command, [*args, "-p", str(summarised)])

    out = tmp_path / "case-Y-en.docx"
    result = run("export", "case", "--case", "李玲", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0 and "Wei Gang" in docx_xml(out)
    assert "not listed for pseudonyms" in result.stderr and "Wei Gang (" in result.stderr
    assert "Li Ling" not in result.stderr  # listed (李玲 → L): not a warning
    assert run("pseudonym", "add", "Wei Gang", "W").exit_code == 0
    result = run("export", "case", "--case", "李玲", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0 and "Wei Gang" not in result.stderr and "Wei Gang" not in docx_xml(out)


def test_what_was_written_on_a_case_stands_in_the_comparison_after_its_profile(summarised, tmp_path):  # noqa: F811
    from fieldcase.store import memos
    from fieldcase.store.project import open_project

    with open_project(summarised, user="zhao") as project:
        memos.add(project, "case", "刘霞", "刘霞返乡前在深圳做电商客服。", title="背景")
        memos.add(project, "case", "H", "H 是村里最早返乡的人。")
    md = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "刘霞").read_text("utf-8")
    profiles, themes = md.split("\n# ", 2)[1], md.split("\n# ", 2)[2]
    assert "**分析（X）**：【背景】X返乡前在深圳做电商客服。" in profiles  # the pseudonym, in the memo too
    assert "**分析（H）**：H 是村里最早返乡的人。" in profiles
    assert "电商客服" not in themes
    no_real_names(md)
    docx = docx_xml(export(summarised, tmp_path, "comparison", "docx", "--case", "H", "--case", "刘霞"))
    assert "电商客服" in docx and "刘霞" not in docx
