"""The pseudonym table: speaker labels, places in two languages, clashes refused, and the
variants proposed from the texts and speaker labels."""

from __future__ import annotations

import pytest

from conftest import write
from fieldcase.errors import InputError
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.name_variants import variants
from fieldcase.reports.pseudonyms import renamer
from fieldcase.store import pseudonyms

TEXT = (
    "问：各位好。\n"
    "刘：我是刘霞，从杭州回来的。\n"
    "刘总：我们公司也来了。\n"
    "老刘：我去年回的村，刘海那边。\n"
    "王书记：大家听刘书记的。\n"
    "问：刘总，Liu Xia是您吗？\n"
    "刘：是我，叫我阿霞就行。\n"
)


@pytest.fixture
def talk(project, tmp_path):
    import_paths(project, [write(tmp_path / "group.txt", "---\ntitle: 座谈\n---\n" + TEXT)], ImportOptions())
    return project


def test_a_surname_alone_is_a_label_replaced_only_where_it_stands_alone(talk):
    pseudonyms.add(talk, "刘霞", "L")
    entry = pseudonyms.add(talk, "刘", "L", variant_of="刘霞", label=True)
    assert entry["real"] == "刘："
    assert pseudonyms.add(talk, "刘:", "L：", variant_of="刘霞")["id"] == entry["id"]  # the same entry
    rename = renamer(talk)
    assert rename("刘：是我。\n[00:01:02] 刘 ：好\n**刘**：对") == "L：是我。\n[00:01:02] L ：好\n**L**：对"
    assert rename("刘") == "L"  # a citation's speaker
    assert rename("刘海、刘总、老刘说刘霞") == "刘海、刘总、老刘说L"
    assert [r["where"] for r in pseudonyms.list_all(talk)] == ["anywhere", "label"]


def test_variants_propose_labels_surnames_alone_titles_and_pinyin(talk):
    pseudonyms.add(talk, "刘霞", "L")
    found = {r["variant"]: r for r in variants(talk, "刘霞")}
    assert found["刘："]["scope"] == "label" and found["刘："]["suggested"] == "L" and found["刘："]["count"] == 2
    assert found["刘总"]["where"] == "label, text" and found["刘总"]["suggested"] == "L总"
    assert found["老刘"]["suggested"] == "老L" and found["刘书记"]["where"] == "text"
    assert "Liu Xia" not in found  # the pinyin of a listed Chinese name is covered without asking
    assert found["阿霞"]["suggested"] == "阿L" and found["阿霞"]["count"] == 1
    assert "刘海" not in found and "王书记" not in found


def test_variants_propose_the_aliases_of_the_case_a_name_stands_for(talk):
    from fieldcase.store import cases

    cases.add(talk, "L", aliases=["霞姐", "刘"])
    pseudonyms.add(talk, "刘霞", "L")
    found = {r["variant"]: r for r in variants(talk, "刘霞")}
    assert found["霞姐"]["where"] == "alias" and found["霞姐"]["suggested"] == "L姐"
    assert found["刘："]["where"] == "alias, label" and found["刘："]["scope"] == "label"


def test_variants_leave_out_what_is_already_covered(talk):
    pseudonyms.add(talk, "刘霞", "L")
    pseudonyms.add(talk, "刘", "L", variant_of="刘霞", label=True)
    found = {r["variant"] for r in variants(talk, "刘霞")}
    assert "刘：" not in found and "Liu Xia" not in found and "刘总" in found


def test_the_variants_command_adds_labels_as_labels(cli, talk):
    cli("pseudonym", "add", "刘霞", "L")
    out = cli("pseudonym", "variants", "刘霞", "--yes").output
    assert "刘： → L" in out and "刘总 → L总" in out
    listed = cli("pseudonym", "list").output
    assert "刘：" in listed and "label" in listed
    added = cli("pseudonym", "add", "王", "W", "--label")
    assert added.exit_code == 0 and "王： → W (a speaker label, replaced where it stands alone)" in added.output
    assert "Removed" in cli("pseudonym", "remove", "王").output  # the label, named without its colon
    assert "王：" not in cli("pseudonym", "list").output


def test_clashes_an_export_could_not_tell_apart_are_refused(project):
    pseudonyms.add(project, "张三", "H")
    pseudonyms.add(project, "Y村", "X village")
    with pytest.raises(InputError, match="already covered as a spelling of '张三'"):
        pseudonyms.add(project, "張 三", "K")
    with pytest.raises(InputError, match="holds the listed real name '张三'"):
        pseudonyms.add(project, "李四", "张三的邻居")
    with pytest.raises(InputError, match="in 'Y村'.s pseudonym 'X village'"):
        pseudonyms.add(project, "X村", "Z村")  # X村 is also written X village
    with pytest.raises(InputError, match="still shows the real name 'Li'"):
        pseudonyms.add(project, "Li", "Ｌｉ先生")
    with pytest.raises(InputError, match="already covered as a spelling of '张三'"):
        pseudonyms.edit(project, "Y村", new_real="张 三")
    with pytest.raises(InputError, match="needs the real name"):
        pseudonyms.add(project, "：", "K")
    pseudonyms.add(project, "张三", "G")  # changing an entry's own pseudonym is no clash


def test_a_place_pseudonym_covers_its_other_language_unless_that_form_is_listed_too(project):
    pseudonyms.add(project, "X village", "Y village")
    assert renamer(project)("到X村去，X Village很远，X cun") == "到Y村去，Y village很远，Y village"
    pseudonyms.add(project, "夏木村", "某村")
    assert renamer(project)("Xiamu Village") == "Mou village"
    pseudonyms.add(project, "Xiamu Village", "M village")  # an English form of one's own
    assert renamer(project)("夏木村, Xiamu Village") == "某村, M village"


def test_names_written_elsewhere_are_covered_or_proposed(project, tmp_path):
    from fieldcase.store import cases, memos, sites

    sites.add(project, "Xiamu Village")
    cases.add(project, "王阿姨", site="Xiamu Village")
    text = "访谈者：你们村叫什么？\n王阿姨：我们夏木村做竹编做了几百年了，隔壁一个六十岁的阿姨也会。\n"
    import_paths(project, [write(tmp_path / "x.txt", text)], ImportOptions())
    memos.add(project, "case", "王阿姨", "刘霞 (Liu Xia) 的表姐；老刘也认识她")
    pseudonyms.add(project, "Xiamu Village", "S village")
    pseudonyms.add(project, "刘霞", "L")
    rename = renamer(project)
    # a place listed in pinyin is found in its Chinese spelling in the texts; a Chinese name in pinyin
    assert rename("我们夏木村做竹编") == "我们S村做竹编"
    assert rename("刘霞 (Liu Xia), LIU XIA, LiuXia") == "L (L), L, L"
    # variants are looked for in memos too (老刘 stands only in a memo)
    assert "老刘" in {r["variant"] for r in variants(project, "刘霞")}
    # a generic word is never proposed as a name's variant: 阿姨 for 王阿姨, village for a village
    pseudonyms.add(project, "王阿姨", "W阿姨")
    assert not {"阿姨", "village", "Village"} & {r["variant"] for r in variants(project, "王阿姨")}
    assert not {"village", "Village"} & {r["variant"] for r in variants(project, "Xiamu Village")}


def test_variants_never_propose_what_names_someone_else_in_the_demo(sample, cli):
    """In the demo 老李 is 张大伯's neighbour in X village, not 李玲 of Nandan County: it stands
    only in a source about other cases, so it is shown as ambiguous, never proposed or added."""
    from fieldcase.store.project import open_project

    with open_project(sample, user="tester") as project:
        pseudonyms.add(project, "李玲", "L")
        found = {r["variant"]: r for r in variants(project, "李玲")}
        assert found["老李"]["suggested"] is None and "only in sources not about 李玲" in str(found["老李"]["note"])
        assert found["李家"]["suggested"] is None
    out = cli("pseudonym", "variants", "李玲", "--yes", "-p", str(sample), project=False).output
    assert "老李 left out (ambiguous" in out and "老李 →" not in out
    with open_project(sample, user="tester") as project:
        assert "老李" not in pseudonyms.mapping(project)


def test_variants_leave_out_the_names_aliases_labels_and_shared_surnames_of_others(project, tmp_path):
    from fieldcase.store import cases, speakers

    cases.add(project, "李玲")
    cases.add(project, "李明", aliases=["阿玲"])
    text = "---\ntitle: 访谈\ncases: 李玲\n---\n问：您好。\n玲：老李和小玲都来了，李书记也在。阿玲也在。\n"
    import_paths(project, [write(tmp_path / "li.txt", text)], ImportOptions())
    speakers.link(project, "访谈", "玲", "李明")  # this transcript's 玲 is 李明's label
    pseudonyms.add(project, "李玲", "L")
    pseudonyms.add(project, "小玲", "X")  # a name listed on its own: someone else
    found = {r["variant"]: r for r in variants(project, "李玲")}
    assert found["老李"]["note"] == "ambiguous: 李明 is also 李" and found["老李"]["suggested"] is None
    assert found["李书记"]["note"] == "ambiguous: 李明 is also 李"
    assert found["阿玲"]["note"] == "another's: an alias of case 李明"
    assert found["玲："]["note"] == "another's: a speaker label of case 李明"
    assert "小玲" not in found  # listed already
    assert all(r["suggested"] is None for r in found.values() if r["note"])
