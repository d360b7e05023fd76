"""A Word chapter an editor would accept: A4 and the margins of Chinese print, a title block,
headings and labels in one language, memos labelled, quotes cited by interview code (after
the quote or in real footnotes), Chinese punctuation in the East Asian font; read back from
the .docx with python-docx and lxml."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

from conftest import write
from fieldcase.coding.attribute_names import attribute_name, attribute_value
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.case_report import render_case, write_case
from fieldcase.reports.citations import interview_codes
from fieldcase.reports.docx_page import choose_paper
from fieldcase.reports.docx_writer import front_matter
from fieldcase.reports.exporting import export
from fieldcase.store import cases, codings, memos, pseudonyms, sites, sources
from fieldcase.store.project import init_project
from fieldcase.text.language import chapter_language

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = ("访谈者：您是哪一年回到Y村的？\n张三：2012年。老张我那时候在杭州做生意，不好做。\n"
        "访谈者：村里的土地怎么办？\n张三：后来土地流转，大家跟着“张书记”干。合作社也办起来了。\n")
ENGLISH = ("Interviewer: Why did you come back?\nLi Ling: We saw an opportunity, and our daughter could go to "
           "school here.\n")
HAN = "张三"


@pytest.fixture
def study(tmp_path):
    project = init_project(tmp_path / "study.fieldcase", user="tester")
    sites.add(project, "Y村")
    cases.add(project, HAN, site="Y村", attrs={"gender": "male", "birth_year": 1971,
                                               "prior_urban_job": "杭州建材生意", "land_transferred": True})
    cases.add(project, "李玲", site="Y村", attrs={"gender": "female", "birth_year": 1992})
    for name, case, text, day in (("zs.txt", HAN, TEXT, "2024-07-20"), ("ll.txt", "李玲", ENGLISH, "2024-11-21")):
        header = f"---\ntitle: {case}访谈\ndate: {day}\ninterviewer: 赵\n---\n"
        (result,) = import_paths(project, [write(tmp_path / name, header + text)],
                                 ImportOptions(site="Y村", cases=[case]))
        body = sources.find(project, result.id)["text"]
        quotes = (("integration.land", "后来土地流转，大家跟着“张书记”干。"), ("talent.motive.push", "不好做。")) \
            if case == HAN else (("talent.motive.pull", "We saw an opportunity"),)
        for key, quote in quotes:
            at = body.index(quote)
            codings.add(project, result.id, key, at, at + len(quote), memo="这里的“跟着干”说明了信任。"
                        if key == "integration.land" else None)
    memos.add(project, "code", "integration.land", "土地流转先于合作社。")
    yield project
    project.close()


def _read(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _styles(document):
    return {s.name: s for s in document.styles}


def test_an_a4_page_with_the_margins_and_spacing_of_chinese_print(study, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # a US machine: a Chinese chapter is still A4
    document = docx.Document(str(write_case(study, tmp_path / "c.docx", "docx", case=HAN, pseudonyms=False)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.top_margin.cm, 2) == 2.54 and round(section.left_margin.cm, 2) == 3.17
    styles = _styles(document)
    assert styles["Normal"].paragraph_format.line_spacing == 1.5
    indent = styles["Normal"].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"  # two characters, as Chinese paragraphs open
    assert styles["Quote"].element.pPr.find(qn("w:ind")).get(qn("w:leftChars")) == "200"
    fonts = styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), fonts.get(qn("w:hint"))) == \
        ("SimSun", "Times New Roman", "eastAsia")
    language = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert language.get(qn("w:eastAsia")) == "zh-CN" and document.core_properties.language == "zh-CN"


def test_letter_when_asked_or_for_an_english_chapter_in_a_us_locale(study, tmp_path, monkeypatch):
    def size(**options):
        out = write_case(study, tmp_path / "p.docx", "docx", case=HAN, pseudonyms=False, **options)
        section = docx.Document(str(out)).sections[0]
        return round(section.page_width.cm, 2), round(section.page_height.cm, 2)

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_PAPER", raising=False)
    assert size(paper="letter") == (21.59, 27.94)
    assert size(lang="en") == (21.59, 27.94)
    assert size(lang="en", paper="a4") == (21.0, 29.7)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert size(lang="en") == (21.0, 29.7)
    assert choose_paper(None, "en", {"LC_PAPER": "en_CA.UTF-8"}) == "letter"
    assert choose_paper(None, "zh", {"LANG": "en_US.UTF-8"}) == "a4"


def test_a_title_block_above_the_sections_and_a_table_of_contents(study, tmp_path):
    out = write_case(study, tmp_path / "t.docx", "docx", case=HAN, pseudonyms=False, title="返乡与治理",
                     subtitle="X村个案研究", author="赵老师", toc=True)
    document = docx.Document(str(out))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[:3] == [("Title", "返乡与治理"), ("Subtitle", "X村个案研究"), ("Author", "赵老师")]
    assert paragraphs[3][0] == "Date" and paragraphs[3][1].endswith("日")
    assert paragraphs[4] == ("TOC Heading", "目录")
    entries = [(s, t) for s, t in paragraphs if s.startswith("toc ")]
    assert entries[:3] == [("toc 1", "一、个案概况"), ("toc 1", "二、资料来源"), ("toc 1", "三、人才回流")]
    assert ("toc 2", "（一）土地要素") in entries
    styles = _styles(document)
    assert styles["Title"].font.size.pt >= 1.25 * styles["Heading 1"].font.size.pt
    body = document.element.body
    assert any("TOC" in (t.text or "") for t in body.iter(f"{W}instrText"))
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    assert document.core_properties.title == "返乡与治理"


def test_headings_captions_and_labels_in_the_chapters_language_only(study, tmp_path):
    zh = docx.Document(str(write_case(study, tmp_path / "zh.docx", "docx", case=HAN, pseudonyms=False)))
    en = docx.Document(str(write_case(study, tmp_path / "en.docx", "docx", case=HAN, pseudonyms=False, lang="en")))
    for document, other in ((zh, str.isascii), (en, lambda t: not any("\u4e00" <= c <= "\u9fff" for c in t))):
        labelled = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Caption"))]
        labelled += [c.text for c in document.tables[0].columns[0].cells]
        assert labelled and all(not other(t) if document is zh else other(t.replace(HAN, "")) for t in labelled), \
            labelled
    zh_rows = [[c.text for c in r.cells] for r in zh.tables[0].rows]
    en_rows = [[c.text for c in r.cells] for r in en.tables[0].rows]
    assert ["出生年份", "1971"] in zh_rows and ["返乡前城市职业", "杭州建材生意"] in zh_rows and ["性别", "男"] in zh_rows
    assert ["土地是否流转", "是"] in zh_rows
    assert ["Birth year", "1971"] in en_rows and ["Prior urban job", "杭州建材生意"] in en_rows
    assert ["Item", "Value"] == en_rows[0] and ["项目", "内容"] == zh_rows[0]
    for rows in (zh_rows, en_rows):
        assert not any("_" in name or name in ("birth year", "prior urban job") for name, _ in rows)
    assert "Profile" in [p.text for p in en.paragraphs if p.style.name == "Heading 1"]
    assert "一、个案概况" in [p.text for p in zh.paragraphs if p.style.name == "Heading 1"]


def test_the_language_is_taken_from_the_texts(study):
    assert "\nlang: en-US\n" in render_case(study, "md", case="李玲", pseudonyms=False).split("---")[1]
    assert "lang: zh-CN" in render_case(study, "md", case=HAN, pseudonyms=False)
    assert chapter_language(["土地流转，大家跟着干。", "OK"]) == "zh"
    assert chapter_language(["We saw an opportunity and came back home.", "好"]) == "en"
    assert chapter_language([]) == "zh"


def test_memos_are_labelled_analysis_and_quotes_cite_an_interview_code(study, tmp_path):
    document = docx.Document(str(write_case(study, tmp_path / "m.docx", "docx", case=HAN, pseudonyms=False)))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    at = paragraphs.index(("Quote", "后来土地流转，大家跟着“张书记”干。（张三，访谈编号：张三-20240720）"))
    assert paragraphs[at + 1] == ("Normal", "分析：这里的“跟着干”说明了信任。")
    label = document.paragraphs[at + 1].runs[0]
    assert label.text == "分析" and label.bold
    assert ("Normal", "分析：土地流转先于合作社。") in paragraphs
    assert "张三-20240720　《张三访谈》，访谈，2024-07-20，访谈人：赵" in [t for s, t in paragraphs if s == "List Bullet"]
    # a run of Chinese text sets “” and ， in the East Asian font
    quote = document.paragraphs[at].runs[0]
    assert quote._r.rPr.find(qn("w:rFonts")).get(qn("w:hint")) == "eastAsia"
    english = docx.Document(str(write_case(study, tmp_path / "e.docx", "docx", case="李玲", pseudonyms=False)))
    assert ("Quote", "We saw an opportunity (李玲, interview 李玲-20241121)") in \
        [(p.style.name, p.text) for p in english.paragraphs]


def test_citations_as_word_footnotes(study, tmp_path):
    out = write_case(study, tmp_path / "f.docx", "docx", case=HAN, pseudonyms=False, citations="footnotes")
    parts = _read(out)
    notes = etree.fromstring(parts["word/footnotes.xml"])
    kinds = [(n.get(f"{W}type"), n.get(f"{W}id")) for n in notes.iter(f"{W}footnote")]
    assert kinds[:2] == [("separator", "-1"), ("continuationSeparator", "0")]
    texts = {n.get(f"{W}id"): "".join(t.text or "" for t in n.iter(f"{W}t")) for n in notes.iter(f"{W}footnote")}
    body = etree.fromstring(parts["word/document.xml"])
    referenced = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    assert referenced == ["1", "2"] and all(texts[i].strip() == "张三，访谈编号：张三-20240720。" for i in referenced)
    assert b"footnotes.xml" in parts["word/_rels/document.xml.rels"]
    assert b"wordprocessingml.footnotes+xml" in parts["[Content_Types].xml"]
    assert etree.fromstring(parts["word/settings.xml"]).find(f"{W}footnotePr") is not None
    document = docx.Document(str(out))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert "后来土地流转，大家跟着“张书记”干。" in quotes and not any("访谈编号" in q for q in quotes)
    md = render_case(study, "md", case=HAN, pseudonyms=False, citations="footnotes")
    assert "[^q" in md and "]: 张三，访谈编号：张三-20240720。" in md


def test_no_real_name_in_the_title_block_footnotes_or_citations(study, tmp_path):
    pseudonyms.add(study, HAN, "H")
    pseudonyms.add(study, "Y村", "X village")
    pseudonyms.add(study, "张书记", "H书记", variant_of=HAN)
    out = export(study, "case", "docx", tmp_path / "h.docx", case=HAN, check_names=True,
                 chapter={"citations": "footnotes", "subtitle": f"{HAN}的返乡", "toc": True})
    parts = _read(out)
    everything = b"".join(parts[name] for name in parts if name.endswith((".xml", ".rels"))).decode("utf-8")
    for real in (HAN, "Y村", "张书记", "老张"):
        assert real not in everything, real
    assert "H，访谈编号：H-20240720。" in etree.fromstring(parts["word/footnotes.xml"]).xpath("string()")
    assert docx.Document(str(out)).paragraphs[1].text == "H的返乡"


def test_a_reference_document_keeps_its_styles_page_and_loses_its_notes(study, tmp_path):
    first = write_case(study, tmp_path / "first.docx", "docx", case="李玲", pseudonyms=False, citations="footnotes")
    reference = docx.Document(str(first))  # a house style whose file still holds old notes naming someone
    reference.styles["Title"].font.size = docx.shared.Pt(30)
    reference.sections[0].left_margin = Cm(5)
    reference.save(str(tmp_path / "noted.docx"))
    reference.save(str(tmp_path / "house.docx"))
    out = write_case(study, tmp_path / "r.docx", "docx", case=HAN, citations="footnotes",
                     reference_docx=tmp_path / "noted.docx")
    document = docx.Document(str(out))
    assert _styles(document)["Title"].font.size.pt == 30
    assert round(document.sections[0].left_margin.cm, 1) == 5.0
    assert len([n for n in etree.fromstring(_read(out)["word/footnotes.xml"]).iter(f"{W}footnote")]) == 4
    assert "李玲" not in _read(out)["word/footnotes.xml"].decode("utf-8")
    letter = write_case(study, tmp_path / "l.docx", "docx", case=HAN, paper="letter",
                        reference_docx=tmp_path / "house.docx")
    section = docx.Document(str(letter)).sections[0]
    assert round(section.page_height.cm, 2) == 27.94 and round(section.left_margin.cm, 1) == 5.0


def test_a_users_template_shapes_the_title_block(study, tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", str(config))
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "case.md.j2").write_text(
        '{% import "chapter.md.j2" as chapter with context %}'
        '{{ chapter.front("第三章　" ~ title, "个案研究", "赵", date) }}\n\n# 引言\n\n本章据{{ sources | length }}份材料写成。\n',
        "utf-8")
    document = docx.Document(str(write_case(study, tmp_path / "t.docx", "docx", case=HAN, pseudonyms=False)))
    assert [(p.style.name, p.text) for p in document.paragraphs][:3] == \
        [("Title", "第三章　张三"), ("Subtitle", "个案研究"), ("Author", "赵")]
    assert ("Normal", "本章据1份材料写成。") in [(p.style.name, p.text) for p in document.paragraphs]


def test_interview_codes_names_and_the_metadata_block():
    listing = [{"id": 1, "cases": ["H"], "site": "X", "date": "2023-07-14"},
               {"id": 2, "cases": ["H", "村委"], "speaking": ["H"], "site": "X", "date": "2023-07-14"},
               {"id": 3, "cases": ["A", "B"], "site": "X", "date": "2023-07-16"},
               {"id": 4, "cases": [], "site": "", "date": None}]
    assert interview_codes(listing, str) == {1: "H-20230714a", 2: "H-20230714b", 3: "X-20230716", 4: "S4"}
    assert interview_codes(listing[:1], lambda t: t.replace("H", "K")) == {1: "K-20230714"}
    assert attribute_name("birth_year", "zh") == "出生年份" and attribute_name("Birth Year", "en") == "Birth year"
    assert attribute_name("household_income", "en") == "Household income"
    assert attribute_name("月收入", "en") == "月收入"
    assert attribute_value(False, "zh") == "否" and attribute_value("female", "en") == "Female"
    meta, rest = front_matter("intro\n\n---\ntitle: 标题：副\nlang: zh-CN\n---\n# A\n\n---\n\ntext\n")
    assert meta == {"title": "标题：副", "lang": "zh-CN"} and rest == "intro\n\n# A\n\n---\n\ntext\n"


def test_cli_takes_the_chapter_settings(cli, study, tmp_path):
    from click.testing import CliRunner

    from fieldcase.cli import cli as root

    out = tmp_path / "c.docx"
    args = ["export", "case", "--case", HAN, "--out", str(out), "-p", str(study.path), "--lang", "en", "--paper",
            "letter", "--toc", "--citations", "footnotes", "--subtitle", "A case study", "--author", "Zhao"]
    result = CliRunner().invoke(root, args)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs][1:3] == ["A case study", "Zhao"]
    assert round(document.sections[0].page_width.cm, 2) == 21.59
    assert "word/footnotes.xml" in _read(out)
    bad = CliRunner().invoke(root, ["export", "case", "--case", HAN, "--lang", "fr", "-p", str(study.path)])
    assert bad.exit_code != 0 and "--lang" in bad.output


def test_the_shared_pieces_build_a_document_directly(tmp_path):
    """What the framework and comparison exports build with: styles, page, language, title
    block, a landscape section, analysis, block quotes with footnotes."""
    from fieldcase.reports.docx_blocks import Footnotes, analysis, block_quote, title_block
    from fieldcase.reports.docx_page import landscape_section, set_language, set_page
    from fieldcase.reports.docx_styles import chapter_styles

    document = docx.Document()
    styles = chapter_styles(document, lang="zh")
    set_page(document.sections[0], "a4")
    set_language(document, "zh")
    title_block(document, styles, {"title": "框架矩阵", "author": "赵"})
    notes = Footnotes(document, styles)
    block_quote(document, styles, "合作社也办起来了。", "H，访谈编号：H-20240720。", notes)
    block_quote(document, styles, "先搞土地流转。", "（H，访谈编号：H-20230714）")
    analysis(document, styles, "分析", "土地先于合作社。")
    wide = landscape_section(document, "a4")
    document.save(str(tmp_path / "m.docx"))
    read = docx.Document(str(tmp_path / "m.docx"))
    assert [(p.style.name, p.text) for p in read.paragraphs] == [
        ("Title", "框架矩阵"), ("Author", "赵"), ("Quote", "合作社也办起来了。"),
        ("Quote", "先搞土地流转。（H，访谈编号：H-20230714）"), ("Normal", "分析：土地先于合作社。"),
        ("Normal", "")]  # the paragraph that ends the upright section
    assert wide.orientation == 1 and round(read.sections[1].page_width.cm, 1) == 29.7
    assert round(read.sections[1].left_margin.cm, 2) == 2.54  # the margins turn with the page
    notes_xml = etree.fromstring(_read(tmp_path / "m.docx")["word/footnotes.xml"])
    assert "H，访谈编号：H-20240720。" in notes_xml.xpath("string()")
