"""No real name survives any export: a group interview with names in speaker labels,
text, titles, attributes and memos, exported in every kind and format."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import write
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.exporting import default_name, export, export_codebook, export_to_folder
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.summary import render_summary
from fieldcase.store import cases, codes, codings, memos, pseudonyms, sites, sources

GROUP = (
    "---\ntitle: 张三、刘霞、王书记座谈（Y村）\ndate: 2024-07-20\nplace: Y村村委会\ninterviewer: 赵\n---\n"
    "问：请各位说说回村以后的事。\n"
    "张三：我是张三，2012年回到Y村。ZHANG SAN是我的英文名，名片上印的是Ｚｈａｎｇ Ｓａｎ。\n"
    "刘：我是从杭州回来的，张 三带我们办了红星合作社。\n"
    "王书记：张三的事大家都知道，張三那时候很难。Zhang  San和ZhangSan都是他。\n"
    "问：Y village的土地怎么办？\n"
    "刘：土地流转给红星合作社，老刘我也入了股。\n"
    "王书记：刘海那边的地也流转了。\n"
)
PSEUDONYMS = {"张三": "甲某", "Zhang San": "甲某", "刘霞": "乙某", "王建国": "丙某", "Y村": "X village",
              "红星合作社": "某合作社"}
VARIANTS = {"刘霞": {"刘：": "乙某", "老刘": "老乙"}, "王建国": {"王书记": "丙书记"}}
# Every way a real name is written in the project (Latin ones compared without case).
REAL = ["张三", "張三", "张 三", "刘霞", "王建国", "王书记", "Y村", "红星合作社", "老刘", "刘：", "刘:"]
REAL_LATIN = ["zhang san", "zhang  san", "zhangsan", "ｚｈａｎｇ", "y village", "ycun"]
SURNAME_ALONE = re.compile(r"(?<![^\W_])刘(?![^\W_])")


@pytest.fixture
def group(project, tmp_path):
    """A group interview coded and memoed, with real names everywhere a name can stand."""
    sites.add(project, "Y村", county="W县", notes="Y村由红星合作社带动", attrs={"english_name": "Y village"})
    cases.add(project, "张三", site="Y村", notes="张三的妻子是刘霞",
              attrs={"employer": "红星合作社", "mentor": "王建国"})
    (result,) = import_paths(project, [write(tmp_path / "group.txt", GROUP)],
                             ImportOptions(site="Y村", cases=["张三"]))
    text = sources.find(project, result.id)["text"]
    codes.add(project, name="返乡", key="talent", description="如张三那样回村的人", example="我是张三")
    in_vivo = codes.add(project, name="我是张三", parent="talent")
    assert in_vivo["key"] == "talent.woshizhangsan"

    def code(key: str, quote: str, memo: str | None = None) -> None:
        at = text.index(quote)
        codings.add(project, result.id, key, at, at + len(quote), memo=memo)

    code("talent", "我是从杭州回来的", memo="王书记也这么说，刘霞同意")
    code("talent", text[text.index("刘：我是从") : text.index("王书记：张三的事") + 20])  # two turns, labels inside
    code("talent", "刘海那边的地也流转了。")
    code("talent", "Y village的土地怎么办？")
    code(in_vivo["key"], "我是张三")
    memos.add(project, "code", "talent", "张三是关键人物，和Zhang San是一个人")
    memos.add(project, "case", "张三", "刘霞的丈夫也回来了")
    for real, fake in PSEUDONYMS.items():
        pseudonyms.add(project, real, fake)
    for real, forms in VARIANTS.items():
        for form, fake in forms.items():
            pseudonyms.add(project, form, fake, variant_of=real)
    return result.id


def content(path: Path) -> str:
    """Everything a file holds as text: every part of a Word or Excel zip."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                             if n.endswith((".xml", ".rels")))
    return path.read_text("utf-8-sig")


def leaks(text: str) -> list[str]:
    found = [r for r in REAL if r in text] + [r for r in REAL_LATIN if r in text.lower()]
    return found + (["刘 alone"] if SURNAME_ALONE.search(text) else [])


EXPORTS = [("summary", "md"), ("summary", "html"), ("case", "md"), ("case", "html"), ("case", "docx"),
           ("segments", "csv"), ("segments", "xlsx"), ("matrix", "csv"), ("matrix", "xlsx")]


def test_no_real_name_survives_any_export_kind_and_format(project, group, tmp_path):
    written = [export_to_folder(project, what, fmt, tmp_path / "out", case="张三" if what == "case" else None)
               for what, fmt in EXPORTS]
    written.append(export(project, "matrix", "csv", tmp_path / "out" / "overlap.csv", by="overlap"))
    written.append(export(project, "case", "docx", tmp_path / "out" / "site.docx", site="Y村"))
    for fmt in ("md", "qdc"):
        export_codebook(project, tmp_path / "out" / f"codebook.{fmt}", fmt)
        written.append(tmp_path / "out" / f"codebook.{fmt}")
    for path in written:
        assert leaks(path.name) == [], path.name
        assert leaks(content(path)) == [], path.name
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "study-case-甲某.docx" in names and not [n for n in names if n.startswith(".")]
    summary = content(tmp_path / "out" / "study-summary.md")
    assert "talent.woshijiamou" in summary and "刘海" in summary  # a surname inside a word is kept
    assert "乙某：我是从杭州回来的" in summary and "丙书记：" in summary  # labels inside quoted text
    assert "— 乙某，《" in summary  # the citation names the speaker (unlinked: by their label)
    chapter = content(tmp_path / "out" / "study-case-甲某.md")
    assert "某合作社" in chapter and "X village" in chapter and "丙某" in chapter  # profile and site
    assert "talent.woshijiamou" in content(tmp_path / "out" / "codebook.qdc")


def test_every_spelling_of_a_listed_name_is_replaced(project, group):
    rename = renamer(project)
    for form in ("张三", "張三", "张 三", "张　三", "ZHANG SAN", "Ｚｈａｎｇ Ｓａｎ", "Zhang  San", "ZhangSan", "zhang-san"):
        assert rename(f"（{form}）") == "（甲某）", form
    assert rename("Y village和Y村和Y Cun") == "X village和X village和X village"
    assert rename("Like Li") == "Like Li"
    assert rename("刘：好\n老刘说刘海（劉，2024）") == "乙某：好\n老乙说刘海（乙某，2024）"


def test_the_stored_text_is_untouched(project, group):
    export_to_folder(project, "summary", "md", project.path.parent / "out")
    assert "张三" in sources.find(project, group)["text"]


def test_word_properties_carry_the_title_and_no_one(project, group, tmp_path):
    out = export(project, "case", "docx", tmp_path / "c.docx", case="张三")
    core = docx.Document(str(out)).core_properties
    assert core.title == "甲某"
    assert (core.author, core.last_modified_by, core.comments, core.subject, core.keywords, core.category) == \
        ("", "", "", "", "", "")
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]


def test_a_reference_documents_headers_footers_and_properties_are_pseudonymised(project, group, tmp_path):
    reference = docx.Document()
    section = reference.sections[0]
    section.header.paragraphs[0].text = "张三访谈稿"
    section.footer.add_paragraph("整理：").add_run("刘霞")
    reference.core_properties.author = "王建国"
    reference.core_properties.comments = "红星合作社"
    reference.add_paragraph("正文张三")
    reference.save(str(tmp_path / "ref.docx"))
    out = export(project, "case", "docx", tmp_path / "c.docx", case="张三", reference_docx=tmp_path / "ref.docx",
                 check_names=True)
    assert leaks(content(out)) == []
    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == "甲某访谈稿"
    assert "整理：乙某" in [p.text for p in document.sections[0].footer.paragraphs]


def test_default_file_names_use_the_pseudonym(project, group, cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_name(project, "case", "docx", case="张三") == "study-case-甲某.docx"
    assert default_name(project, "case", "docx", case="张三", pseudonyms=False) == "study-case-张三.docx"
    assert default_name(project, "case", "html", site="Y村") == "study-case-X village.html"
    result = cli("export", "case", "--case", "张三")
    assert result.exit_code == 0 and "study-case-甲某.docx" in result.output


def test_no_pseudonyms_keeps_real_names_for_internal_use(project, group, tmp_path):
    md = render_summary(project, "md", pseudonyms=False)
    assert "张三" in md and "talent.woshizhangsan" in md and "刘：我是从杭州" in md
    export_codebook(project, tmp_path / "cb.md", "md", pseudonyms=False)
    assert "woshizhangsan" in (tmp_path / "cb.md").read_text("utf-8")


# -- --check-names ----------------------------------------------------------------------------

@pytest.mark.parametrize("what,fmt", EXPORTS)
def test_check_names_refuses_an_export_with_real_names_and_lists_each_place(project, group, cli, tmp_path,
                                                                            monkeypatch, what, fmt):
    monkeypatch.chdir(tmp_path)
    args = ["export", what, "--format", fmt, "--no-pseudonyms", "--check-names"]
    if what == "case":
        args += ["--case", "张三"]
    result = cli(*args)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "not written: a listed real name is still in" in lines[0]
    assert all(line.startswith("  ") for line in lines[1:]) and len(lines) > 3
    assert not list(Path.cwd().glob("study-*"))  # nothing written, not even a partial file
    places = "\n".join(lines[1:])
    where = {"md": ": line ", "html": ": line ", "csv": ": row ", "xlsx": ": sheet ", "docx": "word/document.xml"}
    assert where[fmt] in places
    if what == "case":
        assert "file name: 张三" in places
    if fmt == "docx":
        assert "docProps/core.xml, dc:title: 张三" in places and "table 1, row " in places
    if what == "segments":
        assert "woshizhangsan" not in places and "zhangsan (for 张三)" in places  # the in-vivo key
        assert "speaker" in places and ": 刘 (for 刘：)" in places


@pytest.mark.parametrize("what,fmt", EXPORTS)
def test_check_names_passes_a_pseudonymised_export(project, group, cli, tmp_path, what, fmt):
    out = tmp_path / f"x.{fmt}"
    args = ["export", what, "--out", str(out), "--check-names"] + (["--case", "张三"] if what == "case" else [])
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_check_names_catches_a_user_template_and_a_chosen_file_name(project, group, cli, tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", str(config))
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "mine.md.j2").write_text("致谢张三与Zhang San。\n{{ total }}\n", "utf-8")
    result = cli("export", "summary", "--template", "mine.md.j2", "--out", str(tmp_path / "s.md"), "--check-names")
    assert result.exit_code == 1 and not (tmp_path / "s.md").exists()
    assert "s.md: line 1: 张三\n" in result.output and "s.md: line 1: Zhang San (for 张三)" not in result.output
    assert "s.md: line 1: Zhang San" in result.output
    chosen = cli("export", "segments", "--out", str(tmp_path / "刘霞.csv"), "--check-names")
    assert chosen.exit_code == 1 and "刘霞.csv: file name: 刘霞" in chosen.output
    folder = cli("export", "segments", "--out", str(tmp_path / "張三" / "out.csv"), "--check-names")
    assert folder.exit_code == 1 and "folder name: 張三 (for 张三)" in folder.output
    assert not (tmp_path / "張三").exists()  # the folder is not made
    (tmp_path / "ZhangSan").mkdir()
    there = cli("export", "segments", "--out", str(tmp_path / "ZhangSan" / "out.csv"), "--check-names")
    assert there.exit_code == 1 and "folder name: ZhangSan (for Zhang San)" in there.output  # one that exists too


@pytest.mark.parametrize("fmt", ["md", "qdc"])
def test_codebook_export_is_pseudonymised_and_checked(project, group, cli, tmp_path, fmt):
    out = tmp_path / f"book.{fmt}"
    assert cli("codebook", "export", str(out), "--check-names").exit_code == 0
    assert leaks(out.read_text("utf-8")) == [] and "woshijiamou" in out.read_text("utf-8")
    refused = cli("codebook", "export", str(tmp_path / f"raw.{fmt}"), "--no-pseudonyms", "--check-names")
    assert refused.exit_code == 1 and not (tmp_path / f"raw.{fmt}").exists()
    assert "woshizhangsan" not in refused.output and "zhangsan (for 张三)" in refused.output


def test_a_code_filter_is_named_by_its_pseudonymised_name(project, group, tmp_path):
    from fieldcase.reports.summary import render_summary

    md = render_summary(project, "md", code=["talent.woshizhangsan"])
    assert "(codes: 我是甲某)" in md and "张三" not in md and "['" not in md
