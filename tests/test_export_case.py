"""Case reports: Markdown, HTML and Word chapters, read back and checked."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from conftest import write
from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.case_report import render_case, write_case
from fieldcase.store import cases, codings, memos, pseudonyms, sites, sources
from fieldcase.store.project import init_project

TEXT = (
    "访谈者：张三书记，您是哪一年回到Y村的？\n"
    "张三：2012年。老张我那时候在杭州做生意，不好做。\n"
    "访谈者：村里的土地怎么办？\n"
    "张三：后来土地流转，大家跟着张书记干。合作社也办起来了。\n"
    "访谈者：村里的事怎么商量？\n"
    "张三：开村民代表大会，议事会先讨论。\n"
)
QUOTES = {
    "talent.motive.push": "老张我那时候在杭州做生意，不好做。",
    "integration.land": "后来土地流转，大家跟着张书记干。",
    "integration.industry": "合作社也办起来了。",
    "governance.participation": "开村民代表大会，议事会先讨论。",
}


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.fieldcase"
    project = init_project(path, user="tester")  # the built-in framework: the chapter's sections
    sites.add(project, "Y村")
    cases.add(project, "张三", site="Y村", attrs={"gender": "male", "return_year": 2012})
    (result,) = import_paths(project, [write(tmp_path / "zs.txt", "---\ntitle: 张三访谈\ndate: 2024-07-20\n---\n" + TEXT)],
                             ImportOptions(site="Y村", cases=["张三"]))
    text = sources.find(project, result.id)["text"]
    for key, quote in QUOTES.items():
        at = text.index(quote)
        codings.add(project, result.id, key, at, at + len(quote))
    memos.add(project, "code", "integration.land", "土地流转先于合作社：张三先解决了土地。")
    yield project
    project.close()


def east_asian(style) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_word_chapter_has_styles_fonts_quotes_and_page_numbers(study, tmp_path):
    out = write_case(study, tmp_path / "zs.docx", "docx", case="张三", pseudonyms=False)
    document = docx.Document(str(out))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "张三")
    headings1 = [t for s, t in paragraphs if s == "Heading 1"]
    assert headings1[:2] == ["一、个案概况", "二、资料来源"]
    for name in ("人才回流", "要素整合", "基层治理"):
        assert any(t.endswith("、" + name) for t in headings1), name
    assert "（一）土地要素" in [t for s, t in paragraphs if s == "Heading 2"]
    quotes = [t for s, t in paragraphs if s == "Quote"]
    for quote in QUOTES.values():
        assert quote + "（张三，访谈编号：张三-20240720）" in quotes, quote
    assert "分析：土地流转先于合作社：张三先解决了土地。" in [t for s, t in paragraphs if s == "Normal"]
    assert any(s == "Caption" and "张三的基本情况" in t for s, t in paragraphs)
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["项目", "内容"]
    assert ["返乡年份", "2012"] in [[c.text for c in row.cells] for row in table.rows]
    styles = {s.name: s for s in document.styles}
    assert east_asian(styles["Normal"]) == "SimSun" and east_asian(styles["Quote"]) == "SimSun"
    assert east_asian(styles["Heading 1"]) == "SimHei" and east_asian(styles["Heading 2"]) == "SimHei"
    assert styles["Normal"].font.name == "Times New Roman"
    footer = document.sections[0].footer._element
    assert any(f.get(qn("w:instr")) == "PAGE" for f in footer.iter(qn("w:fldSimple")))
    # every paragraph names its style by id; no run carries direct font formatting
    assert not any(r.font.name for p in document.paragraphs for r in p.runs)


def test_fonts_are_configurable(study, tmp_path):
    out = write_case(study, tmp_path / "f.docx", "docx", case="张三", fonts={"body": "FangSong", "heading": "KaiTi"})
    styles = {s.name: s for s in docx.Document(str(out)).styles}
    assert east_asian(styles["Normal"]) == "FangSong" and east_asian(styles["Heading 2"]) == "KaiTi"


def test_reference_docx_gives_its_styles_and_page_setup(study, tmp_path):
    reference = docx.Document()
    normal = reference.styles["Normal"]
    normal.element.get_or_add_rPr()
    fonts = normal.element.rPr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), "KaiTi")
    reference.sections[0].left_margin = Cm(4)
    reference.add_paragraph("REFERENCE BODY TEXT")
    reference.save(str(tmp_path / "house.docx"))
    out = write_case(study, tmp_path / "r.docx", "docx", case="张三", reference_docx=tmp_path / "house.docx")
    document = docx.Document(str(out))
    assert east_asian({s.name: s for s in document.styles}["Normal"]) == "KaiTi"
    assert document.sections[0].left_margin == docx.Document(str(tmp_path / "house.docx")).sections[0].left_margin
    assert "REFERENCE BODY TEXT" not in [p.text for p in document.paragraphs]
    assert document.paragraphs[0].style.name == "Title"
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="broken.docx: not a usable Word document"):
        write_case(study, tmp_path / "x.docx", "docx", case="张三", reference_docx=tmp_path / "broken.docx")


def test_markdown_and_html_chapters(study):
    md = render_case(study, "md", case="张三", pseudonyms=False)
    assert md.startswith("---\ntitle: 张三\n") and "| 返乡年份 | 2012 |" in md
    assert "- 张三-20240720　《张三访谈》，访谈，2024-07-20" in md
    assert "> 后来土地流转，大家跟着张书记干。（张三，访谈编号：张三-20240720）" in md
    html = render_case(study, "html", site="Y村", pseudonyms=False)
    assert "<h1>Y村</h1>" in html and "<blockquote><p>合作社也办起来了。<span class=\"cite\">" in html
    assert "<h2>地点概况</h2>" in html and "Profile" not in html
    with pytest.raises(InputError, match="one case"):
        render_case(study, "md")
    assert "尚无编码片段" not in md


def test_an_uncoded_case_and_an_observation_say_so(study, tmp_path):
    cases.add(study, "李四", site="Y村")
    note = write(tmp_path / "obs.txt", "---\ntitle: 村口观察\nkind: observation\ninterviewer: 赵\n---\n村口很热闹。")
    import_paths(study, [note], ImportOptions(cases=["李四"]))
    md = render_case(study, "md", case="李四", pseudonyms=False)
    assert "- 李四　《村口观察》，田野观察笔记，记录人：赵" in md
    assert "（尚无编码片段。）" in md
    assert "尚无编码片段" in render_case(study, "html", case="李四", pseudonyms=False)


def test_a_template_change_reaches_the_word_chapter(study, tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", str(config))
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "case.md.j2").write_text(
        "# 第三章　{{ title }}\n\n本章据{{ sources | length }}份材料写成。\n\n{% include 'default:case.md.j2' %}", "utf-8")
    document = docx.Document(str(write_case(study, tmp_path / "t.docx", "docx", case="张三")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    # the included chapter's title block still heads the document; the user's heading and text follow it
    assert paragraphs[0] == ("Title", "张三")
    assert paragraphs[2:4] == [("Heading 1", "第三章　张三"), ("Normal", "本章据1份材料写成。")]


def test_no_real_name_in_the_case_chapter_in_any_format(study, tmp_path):
    pseudonyms.add(study, "张三", "H")
    pseudonyms.add(study, "Y村", "X village")
    for form, fake in (("老张", "老H"), ("张书记", "H书记")):
        pseudonyms.add(study, form, fake, variant_of="张三")
    for fmt in ("md", "html", "docx"):
        out = write_case(study, tmp_path / f"c.{fmt}", fmt, case="张三")
        if fmt == "docx":
            document = docx.Document(str(out))
            content = "\n".join([p.text for p in document.paragraphs]
                                + [c.text for t in document.tables for r in t.rows for c in r.cells])
        else:
            content = out.read_text("utf-8")
        for real in ("张三", "Y村", "老张", "张书记"):
            assert real not in content, (fmt, real)
        assert "老H" in content and "X village" in content


def test_cli_export_case(cli, study, tmp_path):
    from click.testing import CliRunner

    from fieldcase.cli import cli as root

    out = tmp_path / "chapter.docx"
    result = CliRunner().invoke(root, ["export", "case", "--case", "张三", "--out", str(out), "-p", str(study.path)])
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).paragraphs[0].style.name == "Title"


def test_coding_memos_are_analysis_text_and_several_codes_narrow_a_summary(study, tmp_path):
    from fieldcase.reports.summary import render_summary
    from fieldcase.analysis.tables import segments

    (land,) = codings.query(study, code="integration.land")
    codings.set_memo(study, land["id"], "这里的“跟着干”说明了信任。")
    document = docx.Document(str(write_case(study, tmp_path / "m.docx", "docx", case="张三", pseudonyms=False)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    at = next(i for i, (s, t) in enumerate(paragraphs) if s == "Quote" and t.startswith(QUOTES["integration.land"]))
    assert paragraphs[at + 1] == ("Normal", "分析：这里的“跟着干”说明了信任。")
    two = render_summary(study, "md", code=["integration.land", "governance.participation"], pseudonyms=False)
    assert QUOTES["integration.land"] in two and QUOTES["governance.participation"] in two
    assert QUOTES["integration.industry"] not in two
    rows = segments(study, code=["integration", "talent"])
    assert {r["code"] for r in rows} == {"integration.land", "integration.industry", "talent.motive.push"}


def test_a_chapter_takes_the_codes_it_is_asked_for(study, tmp_path):
    from fieldcase.errors import NotFoundError
    from fieldcase.reports.exporting import export

    project = study
    whole = render_case(project, "md", case="张三", pseudonyms=False)
    assert "后来土地流转" in whole and "开村民代表大会" in whole
    only = export(project, "case", "md", tmp_path / "land.md", case="张三", code=["integration"],
                  pseudonyms=False).read_text("utf-8")
    assert "后来土地流转" in only and "合作社也办起来了" in only  # integration and its sub-codes
    assert "开村民代表大会" not in only and "老张我那时候" not in only
    with pytest.raises(NotFoundError, match="no code 'nonexistent'"):
        export(project, "case", "md", tmp_path / "x.md", case="张三", code=["nonexistent"])
