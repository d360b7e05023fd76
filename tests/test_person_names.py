"""Names no one listed: words that look like a person's name in Chinese characters are found
(a husband, a neighbour, 黄阿姐), common words that start with a surname are not, and an
export that holds one says so."""

from __future__ import annotations

from fieldcase.reports.namecheck import unlisted_people
from fieldcase.store import pseudonyms, words
from fieldcase.store.project import init_project
from fieldcase.text.person_names import han_names

SPOKEN = ("我老公王建国在广东打工，邻居刘霞也回来了。谢谢您！资金周转不开，张罗了半天。"
          "欧阳明说的。黄阿姐家在村口。田是我们自己的。农房改造了，农资也涨了。")


def test_names_in_characters_are_found_and_common_words_with_a_surname_are_not():
    found = han_names([SPOKEN, "No Chinese here at all."])
    assert set(found) == {"王建国", "刘霞", "欧阳明", "黄阿姐"}
    assert found["刘霞"] == 1
    assert han_names([SPOKEN * 3])["王建国"] == 3


def test_a_glossary_word_is_never_a_name():
    assert "刘霞" not in han_names([SPOKEN], terms=["刘霞"])


def test_an_export_holding_an_unlisted_name_says_which_and_a_listed_one_or_a_pseudonym_is_not(tmp_path):
    with init_project(tmp_path / "p.fieldcase", user="li", framework="none") as project:
        out = tmp_path / "chapter.md"
        out.write_text(f"# 访谈\n\n> {SPOKEN}\n\n> 后来 Wei Gang 来了。\n", encoding="utf-8")
        found = unlisted_people(project, out, "md")
        assert {"王建国", "刘霞", "欧阳明", "黄阿姐", "Wei Gang"} <= set(found)
        pseudonyms.add(project, "王建国", "W")
        words.add(project, "黄阿姐")
        out.write_text(out.read_text(encoding="utf-8") + "\nW 说。\n", encoding="utf-8")
        found = unlisted_people(project, out, "md")
        assert "王建国" not in found and "黄阿姐" not in found and "W" not in found
        assert "刘霞" in found


# A surname the segmenter cut from a given name that is a word (韦/国庆), from a title
# (李/会计), a name glued to the character before it (村医莫小燕), and 老李, 小张.
CUT = ("我老公韦国庆在工地上做钢筋。蒙德才说我们赚了钱不分。陆永福是贫困户。谭志强会从县里请人来录像。"
       "王书记不在就找李会计。莫医生说不能挑担子。由谢老板代办。老李人实在，小张是镇里派下来的。她的信息来源是村医莫小燕。")
# Rural words and speech in which a surname's character is a word of its own: none is a name.
WORDS = ("这段讲完后再说，一张纸写不下。流出方补助五百元。一户姓陈一户姓吴。钱花在刀刃上。小于五亩的不算。"
         "要向老师请教技术。他是个小白，什么都不懂。小孔里漏水。我们夏木村做竹编。高产油茶和林下经济，金融服务站方便群众。"
         "农房改造以后，土地流转给合作社。田间管理靠老人。黄金百香果比去年高，周边几个屯都来学。林权证发到户了。")


def test_names_the_segmenter_cut_in_two_are_found():
    found = han_names([CUT])
    assert set(found) == {"韦国庆", "蒙德才", "陆永福", "谭志强", "王书记", "李会计", "莫医生", "谢老板", "老李", "小张",
                          "莫小燕"}
    assert "国庆" not in found and han_names([CUT * 2])["韦国庆"] == 2


def test_words_that_start_with_a_surname_are_no_names_and_the_glossary_covers_longer_words():
    assert set(han_names([WORDS])) == {"林权证"}  # a word of forestry the dictionary does not know
    assert han_names([WORDS], terms=["林权"]) == {}  # the glossary's 林权 covers 林权证
    assert "老李" not in han_names([CUT], terms=["老李"])


def test_a_pinyin_name_after_a_capitalised_word_is_found():
    from fieldcase.text.person_names import pinyin_names

    found = pinyin_names(["Compare Liu Xia in Xiamu. Secretary Wang Gang came. He met Zhang Xiaojun."])
    assert found == {"Liu Xia": 1, "Wang Gang": 1, "Zhang Xiaojun": 1}


def test_the_warning_counts_every_name_and_says_what_to_do_where_it_is_read(tmp_path):
    from fieldcase.reports.exporting import SHOWN_UNLISTED, unlisted_warning

    with init_project(tmp_path / "p.fieldcase", user="li", framework="none") as project:
        out = tmp_path / "chapter.md"
        out.write_text(f"# 访谈\n\n> {SPOKEN}{CUT}\n", encoding="utf-8")
        total = len(unlisted_people(project, out, "md"))
        assert total > SHOWN_UNLISTED
        told = unlisted_warning(project, out, "md")
        assert told is not None and f"warning: {total} names" in told
        assert f"and {total - SHOWN_UNLISTED} more" in told and "fieldcase pseudonym add" in told
        in_workspace = unlisted_warning(project, out, "md", workspace=True)
        assert in_workspace is not None and "F6" in in_workspace and "fieldcase" not in in_workspace.split(":", 2)[2]
        out.write_text("# 访谈\n\n> 我老公韦国庆在工地上做钢筋。\n", encoding="utf-8")
        one = "warning: a name that looks like a person's and is not listed for pseudonyms stands in chapter.md"
        assert (unlisted_warning(project, out, "md") or "").startswith(f"{one}: 韦国庆 (1);")
