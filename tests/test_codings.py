"""Codings: by offsets, quote, turn and in vivo; one per span/code/coder; retrieval; memos."""

from __future__ import annotations

import pytest

from conftest import INTERVIEW_TEXT, count
from fieldcase.errors import InputError
from fieldcase.store import cases, codes, codings, memos, sites, sources


def test_code_by_offsets_keeps_the_quote_and_reads_the_context_from_the_text(coded):
    project, source = coded
    start = INTERVIEW_TEXT.index("土地流转")
    row, created = codings.add(project, source, "land", start, start + 4, memo="first mention")
    assert created and row["text"] == "土地流转" and row["coder"] == "tester"
    stored = codings.find(project, row["id"])
    assert stored["quote"] == "土地流转"
    # an active coding stores no copy of the words around it: they are read from the text
    assert (stored["context_before"], stored["context_after"]) == ("", "")
    listed = codings.query(project, coding_ids=[row["id"]], with_context=True)[0]
    assert listed["context_before"] == INTERVIEW_TEXT[max(0, start - codings.CONTEXT):start]
    assert listed["context_after"] == INTERVIEW_TEXT[start + 4:start + 4 + codings.CONTEXT]


def test_a_coding_at_the_very_start_or_end_has_the_context_there_is(coded):
    project, source = coded
    text = sources.find(project, source)["text"]
    first, _ = codings.add(project, source, "land", 0, 3)
    last, _ = codings.add(project, source, "land", len(text) - 3, len(text))
    rows = {r["id"]: r for r in codings.query(project, coding_ids=[first["id"], last["id"]], with_context=True)}
    assert rows[first["id"]]["context_before"] == "" and rows[first["id"]]["context_after"] == text[3:33]
    assert rows[last["id"]]["context_before"] == text[-33:-3] and rows[last["id"]]["context_after"] == ""


def test_a_new_coding_is_logged_by_what_the_log_does_not_say_already(coded):
    import json

    from fieldcase.store.changes import as_inserted

    project, source = coded
    start = INTERVIEW_TEXT.index("土地流转")
    row, _ = codings.add(project, source, "land", start, start + 4, memo="first mention")
    entry = project.query("SELECT c.*, g.at, g.user FROM changes c JOIN change_groups g ON g.id = c.group_id"
                          " WHERE c.table_name = 'codings' AND c.row_id = ?", [row["id"]])[0]
    logged = json.loads(entry["after"])
    assert "土地流转" not in entry["after"] and "quote" not in logged and "context_before" not in logged
    assert logged["start_offset"] == start and logged["memo"] == "first mention"
    stored = codings.find(project, row["id"])
    full = as_inserted("codings", logged, entry["row_id"], entry["row_uuid"], entry["at"], entry["user"])
    # every column the insert wrote but its words (the rest are the table's defaults)
    assert full == {k: stored[k] for k in full} and set(stored) - set(full) == {
        "quote", "context_before", "context_after", "status"}


def test_same_span_code_and_coder_is_one_coding(coded):
    project, source = coded
    first, created = codings.add(project, source, "land", 5, 10)
    again, created_again = codings.add(project, source, "土地要素", 5, 10)
    assert created and not created_again and first["id"] == again["id"]
    other, created_other = codings.add(project, source, "land", 5, 10, coder="li")
    assert created_other and other["id"] != first["id"]
    codings.add(project, source, "talent", 5, 10)  # the same span may carry several codes
    codings.add(project, source, "talent", 7, 30)  # overlaps are normal
    assert count(project, "codings") == 4


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (9, 4), (0, 10_000)])
def test_offsets_out_of_range_are_refused(coded, start, end):
    project, source = coded
    with pytest.raises(InputError, match="outside source"):
        codings.add(project, source, "land", start, end)
    assert count(project, "codings") == 0


def test_quote_nth_and_turn(coded):
    project, source = coded
    text = sources.find(project, source)["text"]
    assert codings.locate_quote(text, "土地流转", 2) == (text.rindex("土地流转"), text.rindex("土地流转") + 4)
    with pytest.raises(InputError, match="only 2 times"):
        codings.locate_quote(text, "土地流转", 3)
    with pytest.raises(InputError, match="nowhere"):
        codings.locate_quote(text, "宅基地")
    start, end = codings.turn_span(project, source, 2)
    assert text[start:end] == "2012年。那时候杭州的生意不好做，父母年纪也大了。"
    with pytest.raises(InputError, match="has 4 speaker turns"):
        codings.turn_span(project, source, 9)


def test_in_vivo_makes_a_code_named_by_the_words(coded):
    project, source = coded
    start = INTERVIEW_TEXT.index("村民都来入股")
    coding, code = codings.add_in_vivo(project, source, start, start + 6, parent="land")
    assert code["name_zh"] == "村民都来入股" and code["origin"] == "in-vivo"
    assert code["key"].startswith("land.") and coding["code_key"] == code["key"]
    assert count(project, "change_groups") == 5  # import, three codes, one in-vivo


def test_in_vivo_trims_punctuation_takes_a_given_name_and_refuses_punctuation(coded):
    project, source = coded
    comma = INTERVIEW_TEXT.index("，")
    with pytest.raises(InputError, match="no letters or characters"):
        codings.add_in_vivo(project, source, comma, comma + 1)
    with pytest.raises(InputError, match="not only '，'"):
        codings.add_in_vivo(project, source, comma + 1, comma + 3, name=" ，")
    start = INTERVIEW_TEXT.index("，后来办了合作社，")
    _, code = codings.add_in_vivo(project, source, start, start + 9)
    assert code["name_zh"] == "后来办了合作社"
    _, named = codings.add_in_vivo(project, source, start, start + 9, name="办合作社", parent="land")
    assert named["name_zh"] == "办合作社" and named["key"].startswith("land.")
    assert codes.find(project, "办合作社")["origin"] == "in-vivo"


def test_in_vivo_names_are_cut_at_a_clause_or_word_break():
    from fieldcase.coding.keys import in_vivo_name

    assert in_vivo_name(" “跑步机上”， ") == "跑步机上"
    assert in_vivo_name("，。") == ""
    assert in_vivo_name("涨了50%。") == "涨了50%"
    assert in_vivo_name("先搞土地流转，后来办了合作社，村民都来入股。土地流转以后，大家收入高了。") == "先搞土地流转"
    assert in_vivo_name("我在外面打了十几年工，觉得还是回来好") == "我在外面打了十几年工"  # 18 characters, once whole
    assert in_vivo_name("那时候杭州的生意不好做、父母年纪也大了") == "那时候杭州的生意不好做"
    assert in_vivo_name("对，城里的压力太大了；回来轻松") == "对，城里的压力太大了"
    assert in_vivo_name("其实，城里压力太大") == "其实，城里压力太大"  # a clause too short to name it goes on
    assert in_vivo_name("收入涨了3,000元: 比在城里强") == "收入涨了3,000元"
    assert in_vivo_name("Well, the city was hard on us") == "Well, the city was hard on us"
    assert in_vivo_name("城里人说的那个“城市病”，堵车、空气、压力，我是全都占了。") == "城里人说的那个城市病"
    assert in_vivo_name("他说“城市病”太累") == "他说“城市病”太累"  # a whole quote stays
    assert in_vivo_name("the city was like a treadmill that never stops, and I wanted out") == "the city was like a treadmill that"
    assert len(in_vivo_name("一" * 50)) == 20


def test_uncode_removes_coding_and_its_memos(coded):
    project, source = coded
    row, _ = codings.add(project, source, "land", 0, 3)
    memos.add(project, "coding", row["id"], "note")
    codings.remove(project, row["id"])
    assert count(project, "codings") == 0 and count(project, "memos") == 0


def test_query_filters_and_descendants(coded, tmp_path):
    project, source = coded
    sites.add(project, "X village")
    cases.add(project, "H", site="X village")
    sources.update(project, source, {"site": "X village"})
    sources.link(project, source, ["H"])
    codings.add(project, source, "talent", 0, 3)
    codings.add(project, source, "talent.motive", 20, 30, coder="li")
    codings.add(project, source, "land", 40, 44)
    assert len(codings.query(project, code="talent")) == 1
    assert len(codings.query(project, code="talent", descendants=True)) == 2
    assert [r["code_key"] for r in codings.query(project, coder="li")] == ["talent.motive"]
    # [0, 3) is the interviewer's turn: it counts for no case; [20, 30) lies in H's turn;
    # [40, 44) runs across two turns and counts for the source's case, H.
    assert [r["code_key"] for r in codings.query(project, case="H")] == ["talent.motive", "land"]
    assert len(codings.query(project, site="X village")) == 3
    assert len(codings.query(project, source=source)) == 3
    row = codings.query(project, code="land")[0]
    assert row["text"] == INTERVIEW_TEXT[40:44] and row["source_title"] == "h"


def test_memos_on_every_target(coded):
    project, source = coded
    sites.add(project, "X village")
    cases.add(project, "H")
    coding, _ = codings.add(project, source, "land", 0, 3)
    memos.add(project, "project", None, "project memo", title="Plan")
    memos.add(project, "site", "X village", "site memo")
    memos.add(project, "case", "H", "case memo")
    memos.add(project, "source", source, "source memo")
    memos.add(project, "code", "land", "code memo")
    memos.add(project, "coding", coding["id"], "coding memo")
    assert len(memos.list_all(project)) == 6
    assert memos.list_all(project, "case", "H")[0]["body"] == "case memo"
    assert memos.list_all(project, "project")[0]["title"] == "Plan"
    with pytest.raises(InputError, match="needs some text"):
        memos.add(project, "project", None, "  ")
    codings.set_memo(project, coding["id"], "short note")
    assert codings.get(project, coding["id"])["memo"] == "short note"
    assert codes.find(project, "land")


def test_history_names_codes_by_name_and_sources_by_title(coded):
    from fieldcase.store import history, suggestions
    from fieldcase.store.texts import replace_text
    from fieldcase.analysis.suggest import suggest

    project, source = coded
    sources.update(project, source, {"title": "刘霞访谈"})

    def said() -> str:
        return history.history(project, 1)[0]["summary"]

    row, _ = codings.add(project, source, "land", 0, 3)
    assert said() == "Coded 土地要素 in 刘霞访谈"
    codings.set_memo(project, row["id"], "why")
    assert said() == "Memo on the coding of 土地要素 in 刘霞访谈"
    codings.add_many(project, "talent", [(source, 0, 3), (source, 5, 9)])
    assert said() == "Coded 人才回流 in 2 places in 刘霞访谈"
    codings.add_many(project, "talent", [(source, 20, 25)])
    assert said() == "Coded 人才回流 in 刘霞访谈"
    codings.remove(project, row["id"])
    assert said() == "Uncoded 土地要素 in 刘霞访谈"
    codes.move(project, "land", "talent")
    assert said() == "Moved code 土地要素 under 人才回流"
    codes.move(project, "land", None)
    assert said() == "Moved code 土地要素 to the top level"
    memos.add(project, "code", "land", "a note")
    assert said() == "Memo on code 土地要素"
    memos.add(project, "source", source, "a note")
    assert said() == "Memo on source 刘霞访谈"
    suggest(project, source=source)
    offered = suggestions.list_all(project)[0]
    suggestions.accept(project, offered["id"])
    assert said() == f"Coded 土地要素 in 刘霞访谈 (accepted suggestion {offered['id']})"
    replace_text(project, source, INTERVIEW_TEXT.replace("杭州", "杭州市"))
    assert said() == "Edited the text of 刘霞访谈"
    codes.merge(project, "talent.motive", "talent")
    assert said() == "Merged code 返乡动因 into 人才回流"
    codes.delete(project, "talent")
    assert said() == "Deleted code 人才回流 (3 codings)"


def test_an_in_vivo_code_gets_a_colour_of_its_own(coded):
    project, source = coded
    parent = codes.find(project, "land")
    _, first = codings.add_in_vivo(project, source, 0, 4, parent="land")
    _, second = codings.add_in_vivo(project, source, 20, 26, parent="land")
    colours = {parent["color"], first["color"], second["color"]}
    assert len(colours) == 3  # neither takes its parent's colour, nor its sibling's
    _, top = codings.add_in_vivo(project, source, 30, 36)
    assert top["color"] in codes.PALETTE
