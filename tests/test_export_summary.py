"""The coded summary (Markdown, HTML), templates, and pseudonyms in every export."""

from __future__ import annotations

import csv
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from conftest import write
from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.name_variants import variants
from fieldcase.reports.pseudonyms import renamer
from fieldcase.reports.summary import render_summary
from fieldcase.store import cases, codes, codings, pseudonyms, sites, sources

TEXT = (
    "访谈者：张三书记，您是哪一年回到Y村的？\n"
    "张三：2012年。老张我那时候在杭州做生意，<不好做>。\n"
    "访谈者：Y村的村民怎么看？\n"
    "张三：# 一开始不信。后来土地流转，大家跟着张书记干。\n"
)


@pytest.fixture
def study(project, tmp_path):
    sites.add(project, "Y村")
    cases.add(project, "张三", site="Y村", attrs={"gender": "male"})
    (result,) = import_paths(project, [write(tmp_path / "zs.txt", "---\ntitle: 张三访谈\ndate: 2024-07-20\n---\n" + TEXT)],
                             ImportOptions(site="Y村", cases=["张三"]))
    talent = codes.add(project, name="返乡", key="talent")
    land = codes.add(project, name="土地", key="land", parent="talent")
    text = sources.find(project, result.id)["text"]
    spans = {"talent": "2012年。老张我那时候在杭州做生意，<不好做>。", "land": "# 一开始不信。后来土地流转，大家跟着张书记干。"}
    ids = {}
    for key, quote in spans.items():
        at = text.index(quote)
        coding, _ = codings.add(project, result.id, key, at, at + len(quote), memo=f"{key} 张三的备忘")
        ids[key] = coding["id"]
    return {"source": result.id, "codings": ids, "codes": (talent, land)}


def test_markdown_summary_has_every_code_quote_and_citation(project, study):
    md = render_summary(project, "md", pseudonyms=False)
    assert "## 返乡 (`talent`)" in md and "### 土地 (`land`)" in md
    assert "> 2012年。老张我那时候在杭州做生意，<不好做>。" in md
    assert "> \\# 一开始不信。后来土地流转，大家跟着张书记干。" in md  # stays text, not a heading
    assert "— 张三，《张三访谈》，2024-07-20\n" in md  # the speaker is the case: named once
    assert "*1 segment · 1 source · 1 case*" in md and "张三的备忘" in md


class _Quotes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth, self.quotes = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.depth += 1
            self.quotes.append("")

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.quotes[-1] += data


def test_html_summary_escapes_and_holds_every_quote(project, study):
    html = render_summary(project, "html", pseudonyms=False)
    assert "&lt;不好做&gt;" in html and "<不好做>" not in html
    parser = _Quotes()
    parser.feed(html)
    assert len(parser.quotes) == 2
    assert any("2012年。老张我那时候在杭州做生意，<不好做>。" in q for q in parser.quotes)


def test_summary_scope(project, study):
    only_land = render_summary(project, "md", pseudonyms=False, code="land")
    assert "土地流转" in only_land and "杭州" not in only_land and "## 返乡" in only_land  # the parent heads it
    assert "0 coded segments" in render_summary(project, "md", kind="observation")


def test_user_template_overrides_and_extends_and_errors_name_the_line(project, study, tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", str(config))
    folder = config / "templates"
    folder.mkdir(parents=True)
    (folder / "summary.md.j2").write_text("{% for c in codes %}{{ c.key }}={{ c.segments }};{% endfor %}", "utf-8")
    assert render_summary(project, "md") == "talent=1;land=1;"
    (folder / "summary.md.j2").write_text('{% extends "default:summary.md.j2" %}', "utf-8")
    assert "## 返乡 (`talent`)" in render_summary(project, "md", pseudonyms=False)
    (folder / "mine.md.j2").write_text("line one\n{% for c in codes %}\n{{ c.key }\n", "utf-8")
    with pytest.raises(InputError, match=r"template mine\.md\.j2, line 3"):
        render_summary(project, "md", template="mine.md.j2")


REAL = ["张三", "Y村", "老张", "张书记"]


def test_no_real_name_survives_in_any_export(project, study, tmp_path, cli):
    pseudonyms.add(project, "张三", "H")
    pseudonyms.add(project, "Y村", "X village")
    found = {v["variant"]: v for v in variants(project, "张三")}
    assert {"老张", "张书记"} <= set(found)
    for form in ("老张", "张书记"):
        pseudonyms.add(project, form, found[form]["suggested"], variant_of="张三")
    assert renamer(project)("老张和张书记") == "老H和H书记"
    outputs = {}
    for what, fmt in (("summary", "md"), ("summary", "html"), ("segments", "csv"), ("segments", "xlsx"),
                      ("matrix", "csv"), ("matrix", "xlsx")):
        out = tmp_path / f"{what}.{fmt}"
        assert cli("export", what, "--out", str(out)).exit_code == 0
        if fmt == "xlsx":
            book = load_workbook(out)
            outputs[out.name] = "\n".join(str(c.value) for row in book.active.iter_rows() for c in row)
        else:
            outputs[out.name] = out.read_text("utf-8-sig")
    for name, content in outputs.items():
        for real in REAL:
            assert real not in content, (name, real)
    assert "H" in outputs["matrix.csv"].splitlines()[0]  # the case column is the pseudonym
    internal = tmp_path / "internal.csv"
    cli("export", "segments", "--out", str(internal), "--no-pseudonyms")
    rows = list(csv.DictReader(internal.open(encoding="utf-8-sig")))
    assert rows[0]["cases"] == "张三" and any("老张" in r["text"] for r in rows)
    assert "张三" in sources.find(project, study["source"])["text"]  # the stored text is untouched


def test_pseudonym_commands(cli, project, study):
    assert "张三 → H" in cli("pseudonym", "add", "张三", "H").output
    out = cli("pseudonym", "variants", "张三", "--yes").output
    assert "老张 → 老H" in out and "张书记 → H书记" in out
    listed = cli("pseudonym", "list").output
    assert "老H" in listed and "H书记" in listed
    assert "Removed" in cli("pseudonym", "remove", "张三").output
    assert "(none)" in cli("pseudonym", "list").output  # variants went with their name
    bad = cli("pseudonym", "add", "张三", "张三")
    assert bad.exit_code == 1 and "stay as it is" in bad.output


def test_a_template_may_be_given_by_its_path(project, study, tmp_path):
    mine = tmp_path / "mine" / "brief.md.j2"
    mine.parent.mkdir()
    mine.write_text("{{ total }} segments", "utf-8")
    assert render_summary(project, "md", template=str(mine)) == "2 segments"
    with pytest.raises(InputError, match="no such file"):
        render_summary(project, "md", template=str(tmp_path / "missing" / "x.md.j2"))
