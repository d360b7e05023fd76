"""Every word a reader of a Word document sees is imported: tracked insertions, content
controls, smart tags, fields, text boxes, also in tables; deletions, field instructions,
hidden text and headers are not. The XML is what Word writes for each structure."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml

from fieldcase.importers import import_paths
from fieldcase.importers.docx import read_docx
from fieldcase.store import sources

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
STAMP = 'w:author="赵" w:date="2025-07-13T09:00:00Z"'


def run(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def inserted(text: str, n: int = 1) -> str:
    return f'<w:ins w:id="{n}" {STAMP}>{run(text)}</w:ins>'


def deleted(text: str, n: int = 2) -> str:
    return f'<w:del w:id="{n}" {STAMP}><w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'


def paragraph(inner: str, props: str = "") -> str:
    return f'<w:p {NS}>{f"<w:pPr>{props}</w:pPr>" if props else ""}{inner}</w:p>'


def complex_field(instruction: str, result: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{run(result)}'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def content_control(inner: str, *, placeholder: bool = False) -> str:
    shown = "<w:showingPlcHdr/>" if placeholder else ""
    return (f'<w:sdt><w:sdtPr><w:alias w:val="受访者"/><w:id w:val="-1"/>{shown}</w:sdtPr>'
            f'<w:sdtContent>{inner}</w:sdtContent></w:sdt>')


TEXT_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
    'distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
    'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="文本框 1"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp><wps:txbx><w:txbxContent><w:p>' + run("旁注：合作社2016年成立") + '</w:p></w:txbxContent>'
    '</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p>' + run("旁注：合作社2016年成立")
    + '</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
)


def build(path: Path, *blocks: str, header: str | None = None) -> Path:
    """A Word file whose body holds ``blocks`` (raw ``w:p`` / ``w:tbl`` / ``w:sdt`` XML)."""
    document = docx.Document()
    body = document.element.body
    anchor = body[-1]  # the section properties stay last
    for block in blocks:
        anchor.addprevious(parse_xml(block))
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.save(path)
    return path


def lines_of(path: Path) -> list[str]:
    return read_docx(path.read_bytes()).text.split("\n")


def test_tracked_insertions_are_read_and_deletions_left_out(tmp_path):
    path = build(tmp_path / "t.docx", paragraph(
        run("答：我是") + inserted("2012年") + deleted("2013年") + run("回来的，") + inserted("父母年纪大了。", 3)))
    assert lines_of(path) == ["答：我是2012年回来的，父母年纪大了。"]


def test_content_controls_inline_and_around_paragraphs_are_read_but_not_placeholders(tmp_path):
    path = build(
        tmp_path / "c.docx",
        paragraph(run("受访者：") + content_control(run("王阿姨")) + run("（村民）")),
        f'<w:sdt {NS}><w:sdtPr><w:id w:val="7"/></w:sdtPr><w:sdtContent>'
        + paragraph(run("问：您家几口人？")) + paragraph(run("答：五口。")) + '</w:sdtContent></w:sdt>',
        paragraph(run("备注：") + content_control(run("单击此处输入文字。"), placeholder=True)),
    )
    assert lines_of(path) == ["受访者：王阿姨（村民）", "问：您家几口人？", "答：五口。", "备注："]


def test_smart_tags_custom_xml_and_hyperlinks_are_read(tmp_path):
    smart = '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
    path = build(tmp_path / "s.docx", paragraph(
        run("我们去了") + smart + run("衢州") + "</w:smartTag>" + run("的")
        + '<w:customXml w:element="村"><w:r><w:t>X村</w:t></w:r></w:customXml>'
        + '<w:hyperlink w:anchor="_Toc1" w:history="1">' + run("合作社的网站") + "</w:hyperlink>" + run("。")))
    assert lines_of(path) == ["我们去了衢州的X村合作社的网站。"]


def test_fields_show_their_result_never_their_instructions(tmp_path):
    path = build(
        tmp_path / "f.docx",
        paragraph(run("时间：") + '<w:fldSimple w:instr=" DATE \\@ &quot;yyyy年M月d日&quot; ">'
                  + run("2025年7月12日") + "</w:fldSimple>"),
        paragraph(run("见") + complex_field('REF _Ref1 \\h', "第二节") + run("。")),
        paragraph(run("答：") + complex_field("MERGEFIELD 姓名", "刘霞") + run("说的。")),
    )
    assert lines_of(path) == ["时间：2025年7月12日", "见第二节。", "答：刘霞说的。"]
    assert "REF" not in read_docx(path.read_bytes()).text


def test_a_field_result_over_several_paragraphs_is_kept_and_its_instruction_is_not(tmp_path):
    begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
    path = build(
        tmp_path / "toc.docx",
        paragraph(begin + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("一、返乡动因")),
        paragraph(run("二、土地流转") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'),
        paragraph(run("正文。")),
    )
    assert lines_of(path) == ["一、返乡动因", "二、土地流转", "正文。"]


def test_moves_hidden_text_deleted_paragraph_marks_and_text_boxes(tmp_path):
    moved = 'w:id="9" ' + STAMP
    path = build(
        tmp_path / "m.docx",
        paragraph(f"<w:moveFrom {moved}>" + run("先说土地。") + "</w:moveFrom>" + run("问：还有呢？")),
        # the paragraph mark deleted: once accepted, the two paragraphs are one
        paragraph(run("答：先搞"), f'<w:rPr><w:del w:id="4" {STAMP}/></w:rPr>'),
        paragraph(run("土地流转。") + run("（此处为隐藏批注）", "<w:vanish/>") + f'<w:moveTo w:id="10" {STAMP}>'
                  + run("先说土地。") + "</w:moveTo>" + TEXT_BOX),
    )
    assert lines_of(path) == ["问：还有呢？", "答：先搞土地流转。先说土地。", "旁注：合作社2016年成立"]


def test_tables_read_insertions_controls_and_leave_out_deleted_rows(tmp_path):
    def cell(inner: str) -> str:
        return f"<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr><w:p>{inner}</w:p></w:tc>"

    table = (
        f'<w:tbl {NS}><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
        '<w:tr>' + cell(run("姓名")) + cell(run("年龄")) + '</w:tr>'
        '<w:tr>' + cell(run("王") + inserted("阿姨")) + cell(deleted("六十") + inserted("62")) + '</w:tr>'
        f'<w:tr><w:trPr><w:del w:id="5" {STAMP}/></w:trPr>' + cell(deleted("删掉的行")) + cell("") + '</w:tr>'
        '<w:sdt><w:sdtPr><w:id w:val="3"/></w:sdtPr><w:sdtContent><w:tr>'
        + cell(run("张大伯")) + content_control("<w:tc><w:p>" + run("70") + "</w:p></w:tc>")
        + '</w:tr></w:sdtContent></w:sdt></w:tbl>'
    )
    path = build(tmp_path / "tb.docx", paragraph(run("名单")), table)
    assert [line.rstrip() for line in lines_of(path)] == [
        "名单", "姓名   │ 年龄", "王阿姨 │ 62", "张大伯 │ 70"]


def test_headers_are_not_the_body_and_an_import_keeps_every_word(project, tmp_path):
    path = build(
        tmp_path / "王阿姨访谈.docx",
        paragraph(run("问：您是哪一年回来的？")),
        paragraph(run("答：") + inserted("2012年") + content_control(run("腊月")) + run("回来的。")),
        header="内部资料 请勿外传",
    )
    (result,) = import_paths(project, [path])
    text = sources.get(project, result.id)["text"]
    assert text == "问：您是哪一年回来的？\n答：2012年腊月回来的。"
    assert result.turns == 2
