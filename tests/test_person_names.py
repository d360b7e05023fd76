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
