"""The framework matrix and the cross-case chapter, read back from the files written: cells,
the landscape section and repeated header row, the quotes sheet, the chart image, no real
names anywhere, and the Markdown and HTML."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fieldcase.analysis import framework
from fieldcase.cli import cli as command
from fieldcase.store import cells
from fieldcase.store.project import open_project
from framework_fixture import code_sample

REAL = ("李玲", "刘霞")  # listed as L and X in the fixture


@pytest.fixture
def summarised(sample):
    """The coded sample with summaries (one naming 刘霞, one a draft) and linked quotes."""
    code_sample(sample)
    with open_project(sample, user="zhao") as project:
        for case, code, text in (("H", "talent.motive", "H 因父母年迈、城市病而返乡。"),
                                 ("刘霞", "talent.motive", "刘霞因城市工作不稳定、家族竹编生意衰落而返乡。"),
                                 ("李玲", "value.heritage", "李玲的影楼让游客穿瑶族服装拍照。")):
            linked = [s["id"] for s in framework.segments(project, case, code)[:2]]
            cells.write(project, case, code, text, link=linked)
        cells.write(project, "H", "integration.land", framework.draft(project, "H", "integration.land"))
    return sample


def export(path, tmp_path, what, fmt, *args):
    out = tmp_path / f"{what}.{fmt}"
    result = CliRunner().invoke(command, ["export", what, "--format", fmt, "--out", str(out), *args,
                                          "--check-names", "-p", str(path)])
    assert result.exit_code == 0, result.output
    return out


def no_real_names(*texts: str) -> None:
    for text in texts:
        for name in REAL:
            assert name not in text


def docx_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


def test_the_matrix_in_word_is_a_landscape_table_with_a_repeated_header(summarised, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    out = export(summarised, tmp_path, "framework", "docx")
    document = docx.Document(str(out))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert abs(section.page_width.cm - 29.7) < 0.05 and abs(section.page_height.cm - 21.0) < 0.05
    first = document.tables[0]
    assert first.rows[0]._tr.trPr is not None and first.rows[0]._tr.trPr.xpath("./w:tblHeader")
    heads = [c.text for c in first.rows[0].cells]
    assert heads[:4] == ["地点", "个案", "返乡动因", "行动资源"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in first.rows[1:]}
    assert rows["H"][2] == "H 因父母年迈、城市病而返乡。"
    assert rows["X"][2] == "X因城市工作不稳定、家族竹编生意衰落而返乡。"
    assert rows["H"][3].endswith("个编码片段）")  # no summary: how many segments
    assert len(document.tables) == len({t["dimension"] for t in _themes(summarised)})
    no_real_names(docx_xml(out))


def _themes(path):
    from fieldcase.reports.framework import build

    with open_project(path, user="zhao") as project:
        return build(project)["themes"]


def test_the_matrix_in_excel_wraps_its_cells_and_lists_the_linked_quotes(summarised, tmp_path):
    from openpyxl import load_workbook

    out = export(summarised, tmp_path, "framework", "xlsx")
    book = load_workbook(out)
    matrix, quotes = book.worksheets
    heads = [c.value for c in matrix[1]]
    assert heads[:3] == ["地点", "个案", "返乡动因"]
    rows = {r[1]: r for r in matrix.iter_rows(min_row=2, values_only=True)}
    assert rows["H"][2] == "H 因父母年迈、城市病而返乡。" and rows["L"][0] == "Nandan County"
    assert matrix.cell(2, 3).alignment.wrap_text and matrix.column_dimensions["C"].width == 36
    listed = list(quotes.iter_rows(min_row=2, values_only=True))
    assert len(listed) == 6 and {r[0] for r in listed} == {"H", "X", "L"}
    with open_project(summarised, user="zhao") as project:
        words = {s["text"] for s in framework.segments(project, "H", "talent.motive")[:2]}
    assert {r[2] for r in listed if r[0] == "H" and r[1] == "返乡动因"} == words
    no_real_names(*(str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r if v))


def test_the_matrix_in_markdown_and_html_narrowed_to_cases_and_codes(summarised, tmp_path):
    md = export(summarised, tmp_path, "framework", "md", "--case", "H", "--case", "刘霞", "--code", "talent.motive",
                "--code", "integration.land").read_text("utf-8")
    assert "| 地点 | 个案 | 返乡动因 | 土地要素 |" in md
    assert "| X village | H | H 因父母年迈、城市病而返乡。 | **【草稿，待修订】**" in md
    assert "| Xiamu Village | X | X因城市工作不稳定" in md and "| L |" not in md
    html = export(summarised, tmp_path, "framework", "html", "--site", "Nandan County").read_text("utf-8")
    assert "<th>L</th>" in html and "瑶族服装" in html and "<th>H</th>" not in html
    no_real_names(md, html)


def test_the_comparison_chapter_in_word_has_its_sections_tables_and_chart(summarised, tmp_path):
    import docx

    out = export(summarised, tmp_path, "comparison", "docx", "--site", "X village", "--site", "Xiamu Village")
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[0] == "一、研究个案" and headings[1] == "二、人才回流" and headings[-1].endswith("比较与小结")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "H 因父母年迈、城市病而返乡。" in text and "X因城市工作不稳定" in text
    profile, closing = document.tables[0], document.tables[-1]
    assert [c.text for c in profile.rows[0].cells][:3] == ["个案", "地点", "类型"]  # one row a case
    assert [c.text for c in profile.rows[1].cells][:3] == ["H", "X village", "个人"]
    assert all(len(t.columns) <= 6 for t in document.tables[:-1])  # the profile fits an upright page
    assert closing.rows[0].cells[0].text == "主题" and closing.rows[1].cells[0].text == "返乡动因"
    with zipfile.ZipFile(out) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(pictures) == 1 and archive.read(pictures[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert document.inline_shapes[0].width.cm <= 15.01
    no_real_names(docx_xml(out))


def test_the_comparison_in_markdown_has_its_chart_beside_it_and_html_inside(summarised, tmp_path):
    out = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "刘霞", "--case", "李玲")
    md = out.read_text("utf-8")
    chart = tmp_path / "comparison-chart.png"
    assert "](comparison-chart.png)" in md and chart.read_bytes()[:4] == b"\x89PNG"
    assert oct(chart.stat().st_mode & 0o777) == "0o600"
    assert "本章比较3个个案：H、X、L。" in md and "> " in md and "访谈编号" in md
    html = export(summarised, tmp_path, "comparison", "html", "--case", "H", "--case", "刘霞").read_text("utf-8")
    data = html.split('src="data:image/png;base64,')[1].split('"')[0]
    assert base64.b64decode(data)[:4] == b"\x89PNG"
    assert '<h1 class="title">个案比较</h1>' in html and "<table>" in html
    no_real_names(md, html)


# A CJK font the tests bring (a subset of Droid Sans Fallback, Apache-2.0: tests/data/fonts),
# so that they never depend on the fonts of the machine they run on.
BUNDLED_FONT = Path(__file__).parent / "data" / "fonts" / "DroidSansFallback-subset.ttf"


@pytest.fixture
def cjk_font_installed(monkeypatch):
    """The bundled CJK font, as if installed on the machine: matplotlib's font search finds it."""
    from matplotlib import font_manager

    from fieldcase.reports import chart

    found = font_manager.findSystemFonts
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [*found(*a, **k), str(BUNDLED_FONT)])
    manager = font_manager.fontManager
    # matplotlib's font list as cached before the font was installed: no CJK face in it
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if f.name not in chart.CJK_FONTS])
    monkeypatch.setattr(manager, "fieldcase_before", len(manager.ttflist), raising=False)  # faces before the lookup
    chart.cjk_font.cache_clear()
    yield manager
    chart.cjk_font.cache_clear()


def test_the_chart_is_drawn_with_the_cjk_font_found_on_the_machine(cjk_font_installed):
    from PIL import Image  # matplotlib brings Pillow

    from fieldcase.reports import chart

    assert chart.cjk_font() in chart.CJK_FONTS
    png = chart.heatmap(["返乡动因", "土地要素"], ["H", "X"], [[3, 0], [1, 2]])
    wide, high = chart.figure_size(["返乡动因", "土地要素"], ["H", "X"])
    assert png[:4] == b"\x89PNG" and Image.open(io.BytesIO(png)).size == (int(wide * 200), int(high * 200))


def test_a_cjk_font_installed_after_matplotlibs_font_cache_was_made_is_found(cjk_font_installed):
    from fieldcase.reports import chart

    assert chart.cjk_font() in chart.CJK_FONTS
    added = {Path(f.fname).name for f in cjk_font_installed.ttflist if f.name in chart.CJK_FONTS}
    assert BUNDLED_FONT.name in added and all(chart._CJK_FILES.search(name) for name in added)
    # only CJK files were added (a .ttc collection adds several faces: Noto Sans CJK KR, HK … too)
    assert all(chart._CJK_FILES.search(Path(f.fname).name)
               for f in cjk_font_installed.ttflist[cjk_font_installed.fieldcase_before:])


def test_without_a_cjk_font_the_chart_is_still_drawn_with_one_warning(monkeypatch):
    import warnings

    from fieldcase.reports import chart

    monkeypatch.setattr(chart, "cjk_font", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fallback = chart.heatmap(["返乡动因"], ["H"], [[1]])
    assert [w.category for w in caught] == [chart.NoCJKFontWarning] and "fonts-noto-cjk" in str(caught[0].message)
    assert fallback[:4] == b"\x89PNG"


def test_a_comparison_needs_cases_and_one_export_several_only_across_cases(summarised, tmp_path):
    runner = CliRunner()
    result = runner.invoke(command, ["export", "comparison", "--format", "md", "--out", str(tmp_path / "c.md"),
                                     "-p", str(summarised)])
    assert result.exit_code == 1 and "give them (--case" in result.output and not (tmp_path / "c.md").exists()
    result = runner.invoke(command, ["export", "case", "--case", "H", "--case", "刘霞", "--out",
                                     str(tmp_path / "x.md"), "-p", str(summarised)])
    assert result.exit_code == 2 and "several only for framework and comparison" in result.output


def test_in_english_the_matrix_and_chapter_say_their_words_in_english(summarised, tmp_path):
    md = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "李玲", "--lang", "en").read_text()
    assert "title: A comparison of cases" in md and "# The cases" in md and "# Talent return" in md
    assert "| Case | Site | Kind |" in md and "| H | X village | Person |" in md and "| L | Nandan County |" in md
    assert "Table: Table 2. Coded segments of each case under each theme" in md
    framework_md = export(summarised, tmp_path, "framework", "md", "--lang", "en", "--code", "talent.motive")
    assert "| Site | Case | Return motives |" in framework_md.read_text()
    no_real_names(md, framework_md.read_text())


def test_the_word_matrix_takes_a_reference_docx_a_contents_field_and_footnotes(summarised, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    reference = tmp_path / "house.docx"
    house = docx.Document()
    house.styles["Heading 1"].font.size = Pt(22)
    house.sections[0].left_margin = house.sections[0].right_margin = Cm(2.0)
    house.save(str(reference))
    out = export(summarised, tmp_path, "framework", "docx", "--reference-docx", str(reference), "--toc",
                 "--citations", "footnotes")
    document = docx.Document(str(out))
    assert document.styles["Heading 1"].font.size == Pt(22)  # the reference's style wins
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert abs(section.top_margin.cm - 2.0) < 0.01  # the reference's margins, turned with its page
    xml = docx_xml(out)
    assert 'TOC \\o "1-3"' in xml and "w:footnoteReference" in xml
    with zipfile.ZipFile(out) as archive:
        notes = archive.read("word/footnotes.xml").decode("utf-8")
    assert "访谈编号：" in notes and "（" not in notes.split("访谈编号")[0][-40:]  # a note, not a bracket
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes and all("访谈编号" not in p.text for p in quotes)
    no_real_names(xml)


def test_a_refused_markdown_comparison_leaves_neither_chapter_nor_chart(summarised, tmp_path):
    folder = tmp_path / "exports"
    result = CliRunner().invoke(command, ["export", "comparison", "--format", "md", "--out", str(folder / "c.md"),
                                          "--case", "H", "--case", "刘霞", "--no-pseudonyms", "--check-names",
                                          "-p", str(summarised)])
    assert result.exit_code == 1 and "刘霞" in result.output
    assert list(folder.iterdir()) == []  # no chapter, no chart, nothing half written
    written = export(summarised, folder, "comparison", "md", "--case", "H", "--case", "刘霞")
    assert sorted(p.name for p in folder.iterdir()) == ["comparison-chart.png", written.name]


def test_the_profile_of_many_cases_is_one_row_a_case_and_a_wide_table_goes_on_a_landscape_page(summarised, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    out = export(summarised, tmp_path, "comparison", "docx", *[a for s in ("X village", "Xiamu Village",
                                                                           "Nandan County", "Q county, Quzhou")
                                                               for a in ("--site", s)])
    document = docx.Document(str(out))
    profile = [t for t in document.tables if t.rows[0].cells[0].text == "个案"]
    assert len(profile) >= 2 and all(len(t.columns) <= 6 for t in profile)
    assert [len(t.rows) for t in profile] == [9] * len(profile)  # a header and the eight cases
    closing = document.tables[-1]
    assert len(closing.columns) == 9  # a theme and eight cases: too wide for an upright page
    body = list(document.element.body)
    at = body.index(closing._tbl)
    breaks = [i for i, el in enumerate(body) if el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    before = [i for i in breaks if i < at]
    after = [i for i in breaks if i > at]
    turned = document.sections[len(before)]  # the section the closing table is in
    assert turned.orientation == WD_ORIENT.LANDSCAPE and turned.page_width > turned.page_height
    assert document.sections[len(before) + 1].orientation == WD_ORIENT.PORTRAIT and after
    heading, caption = (("".join(t.text or "" for t in body[i].iter(qn("w:t")))) for i in (before[-1] + 1,
                                                                                           before[-1] + 2))
    assert heading.endswith("比较与小结") and "各个案在各主题下的编码片段数" in caption  # on the table's page
    widths = [c.width for c in closing.columns]
    assert widths[0] > widths[1] and sum(widths) <= turned.page_width - turned.left_margin - turned.right_margin
    no_real_names(docx_xml(out))


def test_a_comparison_of_cases_with_nothing_coded_is_written_without_a_chart(summarised, tmp_path):
    from fieldcase.store import cases

    with open_project(summarised, user="zhao") as project:
        cases.add(project, "新来的人", site="X village")  # nothing coded for it
    folder = tmp_path / "out"
    result = CliRunner().invoke(command, ["export", "comparison", "--format", "md", "--out", str(folder / "c.md"),
                                          "--case", "新来的人", "-p", str(summarised)])
    assert result.exit_code == 0 and result.exception is None, result.output
    md = (folder / "c.md").read_text("utf-8")
    assert "尚无编码材料" in md and "![" not in md and "# 二、比较与小结" in md
    assert sorted(p.name for p in folder.iterdir()) == ["c.md"]  # no chart beside it
    out = export(summarised, tmp_path, "comparison", "docx", "--case", "新来的人")
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
    html = export(summarised, tmp_path, "comparison", "html", "--case", "新来的人").read_text("utf-8")
    assert "尚无编码材料" in html and "<img" not in html


def test_the_chart_has_a_figure_caption_and_a_theme_without_material_no_heading(summarised, tmp_path):
    import docx

    from fieldcase.store import codes

    with open_project(summarised, user="zhao") as project:
        codes.add(project, name_zh="空主题", key="talent.empty", parent="talent")  # nothing coded with it
    out = export(summarised, tmp_path, "comparison", "md", "--case", "H", "--case", "刘霞",
                 "--code", "talent.motive", "--code", "talent.empty")
    md = out.read_text("utf-8")
    assert "Table: 图" not in md and "![图 1　各主题编码片段在个案间的分布](comparison-chart.png)" in md
    assert "## （一）返乡动因" in md and "## （二）" not in md and "空主题" in md.split("# 三、")[1]  # in the table
    for section in md.split("\n## ")[1:]:  # every theme heading has something under it
        body = section.split("\n", 1)[1].split("\n# ")[0].split("\n## ")[0]
        assert body.strip(), section
    document = docx.Document(str(export(summarised, tmp_path, "comparison", "docx", "--case", "H", "--case", "刘霞")))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "图 1　各主题编码片段在个案间的分布" in captions
    html = export(summarised, tmp_path, "comparison", "html", "--case", "H", "--case", "刘霞").read_text("utf-8")
    assert "<figcaption>图 1　各主题编码片段在个案间的分布</figcaption>" in html


def test_drafts_are_printed_marked_and_the_export_warns_how_many(summarised, tmp_path):
    import docx

    for what, fmt in (("comparison", "md"), ("framework", "md"), ("framework", "docx"), ("comparison", "docx")):
        out = tmp_path / f"{what}.{fmt}"
        result = CliRunner().invoke(command, ["export", what, "--format", fmt, "--out", str(out),
                                              "--case", "H", "--case", "刘霞", "-p", str(summarised)])
        assert result.exit_code == 0, result.output
        assert "warning: 1 summary is still a draft" in result.stderr and "warning" not in result.stdout
        text = out.read_text("utf-8") if fmt == "md" else docx_xml(out)
        assert "【草稿，待修订】" in text and "[草稿]" not in text
    document = docx.Document(str(tmp_path / "comparison.docx"))
    marked = [r for p in document.paragraphs for r in p.runs if r.text == "【草稿，待修订】"]
    assert marked and all(r.bold for r in marked)
    result = CliRunner().invoke(command, ["export", "comparison", "--format", "md", "--out", str(tmp_path / "l.md"),
                                          "--case", "李玲", "-p", str(summarised)])
    assert result.exit_code == 0 and "draft" not in result.stderr


def _chart_of(out):
    """The comparison's chart as placed in the Word file (cm) and as drawn (pixels)."""
    import docx
    from PIL import Image

    shape = docx.Document(str(out)).inline_shapes[0]
    with zipfile.ZipFile(out) as archive:
        [name] = [n for n in archive.namelist() if n.startswith("word/media/")]
        pixels = Image.open(io.BytesIO(archive.read(name))).size
    return (shape.width.cm, shape.height.cm), pixels


def test_a_comparisons_chart_is_sized_from_its_rows_a_single_one_a_short_strip(summarised, tmp_path):
    sites = ("--site", "X village", "--site", "Xiamu Village")
    (wide, high), (px_wide, px_high) = _chart_of(export(summarised, tmp_path / "all", "comparison", "docx", *sites))
    assert high > wide and 10 < high <= 18.01  # 6 cases across, many themes down: tall, within the page
    (wide, high), (px_wide, px_high) = _chart_of(export(summarised, tmp_path / "code", "comparison", "docx", *sites,
                                                        "--code", "talent.motive"))
    assert high < 5 and wide > 2 * high and px_high < 400  # one theme: a strip
    (wide, high), (px_wide, px_high) = _chart_of(export(summarised, tmp_path / "case", "comparison", "docx",
                                                        "--case", "H"))
    assert high < 5 and wide > 3 * high and px_wide > 3 * px_high  # one case: one row, themes across
    assert abs(wide / high - px_wide / px_high) < 0.01  # placed as drawn, not stretched


def test_a_heat_maps_size_follows_its_rows_and_columns_within_bounds():
    from fieldcase.reports import chart

    one = chart.figure_size(["返乡动因"], ["H", "X"])
    many = chart.figure_size([f"主题{i}" for i in range(20)], ["H", "X"])
    huge = chart.figure_size([f"主题{i}" for i in range(80)], [f"个案{i}" for i in range(40)])
    assert one[1] < 1.5 and many[1] > 6 and huge == chart.MAX_SIZE
    assert chart.figure_size([], []) == chart.MIN_SIZE


def test_only_the_kinds_the_registry_says_print_summaries_warn_of_drafts(summarised):
    """Which exports warn of draft summaries is read from the export registry, as every
    other property of a kind is: no module keeps a list of kinds of its own."""
    from fieldcase.reports import registry
    from fieldcase.reports.exporting import drafts_left

    with open_project(summarised, user="zhao") as project:
        warned = {kind.name for kind in registry.KINDS
                  if drafts_left(project, kind.name, cases=("H", "刘霞")) is not None}
    assert warned == {kind.name for kind in registry.KINDS if kind.summaries} == {"framework", "comparison"}
