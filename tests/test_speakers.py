"""Speakers are people, and people are cases: labels linked to cases at import and by the
researcher, and codings counted and cited by the case of the speaker in whose turn they lie."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import bare_database, write
from fieldcase.analysis import tables
from fieldcase.coding.speakers import (
    BY_INTERVIEWER,
    BY_SOURCE,
    BY_SPEAKER,
    BY_SPEAKERS,
    BY_UNLINKED,
    INTERVIEWER,
    SPEAKER,
    CaseRef,
    SourceSpeakers,
    Speaker,
    cited_speaker,
    propose,
)
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.reports.case_report import render_case
from fieldcase.reports.summary import render_summary
from fieldcase.store import cases, codes, codings, history, pseudonyms, sites, sources, speakers
from fieldcase.text.turns import find_turns

GROUP = (
    "访谈者：几位好，今天随便聊聊村里的变化。\n"
    "村支书：没事，张大伯、王阿姨都是老实人。\n"
    "访谈者：张大伯，您家的地流转了吗？\n"
    "张大伯：流转了。2014年都租给茶园了，一年拿两千多块租金。\n"
    "王阿姨：张大伯你还有养老金呢。\n"
    "张大伯：那个一个月两百来块，不够的。\n"
    "王阿姨：我家开了民宿，四个房间，周末都住满。\n"
)


# ---------------------------------------------------------------- proposing links


def test_interviewer_words_and_the_headers_interviewer_ask():
    found = propose(["问", "答", "赵", "Q", "访谈者B"], interviewer="赵明")
    assert {label: s.role for label, s in found.items()} == {
        "问": INTERVIEWER, "答": SPEAKER, "赵": INTERVIEWER, "Q": INTERVIEWER, "访谈者B": INTERVIEWER}


def test_labels_link_to_a_case_by_name_alias_or_household_name():
    h, wang, zhang, committee = (CaseRef(1, "H"), CaseRef(2, "王阿姨 household", (), "household"),
                                 CaseRef(3, "张大伯家", (), "household"),
                                 CaseRef(4, "X village committee", ("村支书",), "organisation"))
    found = propose(["访谈者", "王阿姨", "张大伯", "村支书", "ｈ", "李四"],
                    source_cases=[wang, zhang, committee], other_cases=[h])
    assert {label: s.case_id for label, s in found.items()} == {
        "访谈者": None, "王阿姨": 2, "张大伯": 3, "村支书": 4, "ｈ": 1, "李四": None}


def test_one_interviewee_of_a_one_case_or_one_person_source_is_that_case():
    h = CaseRef(1, "H")
    committee = CaseRef(2, "X village committee", (), "organisation")
    assert propose(["问", "答"], source_cases=[h])["答"].case_id == 1
    assert propose(["访谈者", "刘"], source_cases=[h, committee])["刘"].case_id == 1
    # two people, or two interviewees: the researcher decides
    assert propose(["问", "答"], source_cases=[h, CaseRef(3, "W")])["答"].case_id is None
    assert propose(["问", "答", "妻子"], source_cases=[h])["答"].case_id is None


def test_a_name_two_cases_go_by_is_left_to_the_researcher():
    found = propose(["老李"], source_cases=[CaseRef(1, "李一", ("老李",)), CaseRef(2, "李二", ("老李",))])
    assert found["老李"].case_id is None


def test_what_the_researcher_decided_stands():
    decided = {"答": Speaker("答", SPEAKER, None)}
    assert propose(["问", "答"], source_cases=[CaseRef(1, "H")], decided=decided)["答"].case_id is None


# ---------------------------------------------------------------- attributing a span


def _oracle(text: str, turns, speakers_by_label, source_cases, start: int, end: int):
    """Plainly: the turns whose words the span touches decide; words outside every turn
    give the source's cases."""
    words = [i for i in range(start, end) if not text[i].isspace()]
    if not all(any(t.start <= i < t.end for t in turns) for i in words):
        return set(source_cases), BY_SOURCE
    touched = [t for t in turns if any(t.start <= i < t.end for i in words)]
    who = [speakers_by_label[t.speaker] for t in touched]
    cases = {w.case_id for w in who if w.role == SPEAKER and w.case_id is not None}
    if cases:
        return cases, BY_SPEAKER if len(touched) == 1 else BY_SPEAKERS
    if all(w.role == INTERVIEWER for w in who):
        return set(), BY_INTERVIEWER
    return set(), BY_UNLINKED


_LINE = st.tuples(st.sampled_from(["问", "答", "王阿姨", "张大伯", "", "注"]),
                  st.text(alphabet="土地流转合作社。，\u3000 ", min_size=0, max_size=12))


@given(lines=st.lists(_LINE, min_size=1, max_size=10), data=st.data())
def test_attribution_agrees_with_the_plain_reading(lines, data):
    text = "".join(f"{label}：{words}\n" if label else f"{words}\n" for label, words in lines)
    turns = find_turns(text)
    table = {"问": Speaker("问", INTERVIEWER), "答": Speaker("答", SPEAKER, 1),
             "王阿姨": Speaker("王阿姨", SPEAKER, 2), "张大伯": Speaker("张大伯", SPEAKER, None)}
    by_label = {t.speaker: table.get(t.speaker, Speaker(t.speaker)) for t in turns}
    model = SourceSpeakers([t._asdict() for t in turns], by_label, [7, 8])
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if not quote.strip():
        return
    lead, trail = len(quote) - len(quote.lstrip()), len(quote) - len(quote.rstrip())
    got = model.attribute(start + lead, end - trail)
    assert (set(got.case_ids), got.basis) == _oracle(text, turns, by_label, [7, 8], start, end)


def test_citations_name_the_case_the_interviewer_by_role_and_never_a_bare_answer_label():
    assert cited_speaker("答", BY_SPEAKER, "H") == "H"
    assert cited_speaker("赵", BY_INTERVIEWER, None) == "访谈者"
    assert cited_speaker("Interviewer", BY_INTERVIEWER, None) == "Interviewer"
    assert cited_speaker("答", BY_UNLINKED, None) == ""
    assert cited_speaker("村支书", BY_UNLINKED, None) == "村支书"
    assert cited_speaker(None, BY_SOURCE, None) == ""


# ---------------------------------------------------------------- the store


@pytest.fixture
def village(project, tmp_path):
    """X village with H, two households and the committee, and the group interview."""
    sites.add(project, "X village")
    cases.add(project, "H", site="X village")
    cases.add(project, "王阿姨 household", site="X village", kind="household")
    cases.add(project, "张大伯 household", site="X village", kind="household")
    cases.add(project, "X village committee", site="X village", kind="organisation", aliases=["村支书"])
    header = "---\ntitle: 小组访谈\nsite: X village\ncases: H\nkind: interview\ninterviewer: 赵\n---\n"
    (result,) = import_paths(project, [write(tmp_path / "group.txt", header + GROUP)])
    codes.add(project, key="talent", name_zh="人才回流")
    codes.add(project, key="talent.ties", name_zh="社会关联", parent="talent")
    codes.add(project, key="land", name_zh="土地要素")
    return result.id


def _turn(project, source_id, label, nth=1):
    return [t for t in sources.turns_of(project, source_id) if t["speaker"] == label][nth - 1]


def test_import_links_speakers_and_the_source_to_their_cases(project, village):
    rows = {r["label"]: r for r in speakers.list_for(project, village)}
    assert rows["访谈者"]["role"] == INTERVIEWER
    assert {k: rows[k]["case_name"] for k in ("村支书", "张大伯", "王阿姨")} == {
        "村支书": "X village committee", "张大伯": "张大伯 household", "王阿姨": "王阿姨 household"}
    assert rows["张大伯"]["turns"] == 2 and not rows["张大伯"]["decided"]
    assert sorted(sources.get(project, village, with_text=False)["cases"]) == sorted([
        "H", "X village committee", "王阿姨 household", "张大伯 household"])


def test_a_coding_in_a_turn_counts_for_the_speakers_case_only(project, village):
    for label in ("王阿姨", "村支书", "张大伯"):
        turn = _turn(project, village, label)
        codings.add(project, village, "talent.ties", turn["speech"], turn["end"])
    question = _turn(project, village, "访谈者", 2)
    codings.add(project, village, "land", question["speech"], question["end"])
    by_case = {r["code"]: r for r in tables.matrix(project, by="case")}
    ties = by_case["talent.ties"]
    assert ties["total"] == 3 and ties["in_several"] == 0
    assert (ties["王阿姨 household"], ties["X village committee"], ties["张大伯 household"]) == (1, 1, 1)
    assert ties.get("H", 0) == 0
    assert by_case["land"]["(interviewer)"] == 1 and by_case["land"].get("H", 0) == 0
    # the parent rolls up its child's codings
    assert by_case["talent"]["total"] == 3 and by_case["talent"]["张大伯 household"] == 1
    # H's chapter quotes none of them; the households' do
    assert codings.query(project, case="H") == []
    assert [r["code_key"] for r in codings.query(project, case="张大伯 household")] == ["talent.ties"]


def test_a_coding_across_turns_counts_for_each_speaker_in_it_and_the_table_says_so(project, village):
    first, second = _turn(project, village, "张大伯"), _turn(project, village, "王阿姨")
    codings.add(project, village, "land", first["speech"], second["end"])
    line = {r["code"]: r for r in tables.matrix(project, by="case")}["land"]
    assert (line["张大伯 household"], line["王阿姨 household"]) == (1, 1)
    assert line.get("H", 0) == 0 and line.get("X village committee", 0) == 0  # they said none of it
    assert line["total"] == 1 and line["in_several"] == 1
    (segment,) = tables.segments(project, code="land")
    assert segment["counted_by"] == "speakers" and segment["speaker"] == ""


def test_link_unlink_and_role_are_decisions_that_undo_and_survive_new_proposals(project, village):
    speakers.link(project, village, "村支书", "H")
    assert speakers.find(project, village, "村支书")["case_name"] == "H"
    assert speakers.find(project, village, "村支书")["decided"] == 1
    sources.link(project, village, ["X village committee"])  # proposes again what is undecided
    assert speakers.find(project, village, "村支书")["case_name"] == "H"
    speakers.set_role(project, village, "张大伯", "interviewer")
    assert speakers.find(project, village, "张大伯")["case_id"] is None
    history.undo(project)
    history.undo(project)
    assert speakers.find(project, village, "张大伯")["case_name"] == "张大伯 household"
    assert speakers.find(project, village, "村支书")["case_name"] == "X village committee"
    speakers.unlink(project, village, "王阿姨")
    turn = _turn(project, village, "王阿姨")
    codings.add(project, village, "land", turn["speech"], turn["end"])
    assert tables.matrix(project, by="case")[-1]["(speaker not linked)"] == 1


def test_linking_a_speaker_to_another_case_links_the_source_too(project, village):
    cases.add(project, "W", site="X village")
    speakers.link(project, village, "王阿姨", "W")
    assert "W" in sources.get(project, village, with_text=False)["cases"]
    with pytest.raises(Exception, match="no speaker '李四'.*访谈者"):
        speakers.link(project, village, "李四", "W")


def test_an_alias_added_later_links_the_label_in_the_cases_sources(project, tmp_path):
    cases.add(project, "H")
    text = "问：您好。\n答：好。\n老何：我也说两句。\n问：请讲。\n老何：好的。\n"
    (result,) = import_paths(project, [write(tmp_path / "x.txt", text)], ImportOptions(cases=["H"]))
    assert speakers.find(project, result.id, "老何")["case_id"] is None
    cases.update(project, "H", {"aliases": ["老何"]})
    assert speakers.find(project, result.id, "老何")["case_name"] == "H"


def test_a_corrected_text_brings_its_new_speakers(project, village):
    from fieldcase.store.texts import replace_text

    text = sources.get(project, village)["text"] + "\nH：我补充一句，茶园是2014年开始的。\n"
    replace_text(project, village, text)
    assert speakers.find(project, village, "H")["case_name"] == "H"


def test_a_project_from_before_speakers_gets_them_when_it_opens(tmp_path):
    from fieldcase.store import migrations
    from fieldcase.store.project import open_project

    path = tmp_path / "old.fieldcase"
    db = bare_database(path)
    migrations.migrate(db, upto=6)
    stamp = ["t", "zhao", "t", "zhao"]
    db.execute("INSERT INTO project_info (key, value) VALUES ('name', 'old')")
    db.execute("INSERT INTO cases (uuid, name, kind, created_at, created_by, modified_at, modified_by)"
               " VALUES ('c1', 'H', 'person', ?, ?, ?, ?)", stamp)
    text = "问：哪一年回村的？\n答：2012年。\n问：为什么？\n答：父母老了。\n"
    turns = json.dumps([list(t) for t in find_turns(text)], ensure_ascii=False)
    db.execute("INSERT INTO sources (uuid, kind, title, interviewer, text, text_sha256, chars, turns, created_at,"
               " created_by, modified_at, modified_by) VALUES ('s1', 'interview', 'H访谈', '赵', ?, 'x', ?, ?,"
               " ?, ?, ?, ?)", [text, len(text), turns, *stamp])
    db.execute("INSERT INTO source_cases (source_id, case_id) VALUES (1, 1)")
    db.close()
    with open_project(path) as project:
        rows = {r["label"]: (r["role"], r["case_name"]) for r in speakers.list_for(project, 1)}
        assert rows == {"问": (INTERVIEWER, None), "答": (SPEAKER, "H")}


# ---------------------------------------------------------------- reports


def test_summary_and_chapter_cite_each_speaker_by_their_own_case_pseudonym(project, village):
    for label in ("王阿姨", "村支书", "张大伯"):
        turn = _turn(project, village, label)
        codings.add(project, village, "talent.ties", turn["speech"], turn["end"])
    pseudonyms.add(project, "王阿姨", "W阿姨")
    pseudonyms.add(project, "张大伯", "Z大伯")
    summary = render_summary(project, "md")
    cites = re.findall(r"— (.+)", summary)
    assert cites == ["X village committee，《小组访谈》", "Z大伯 household，《小组访谈》",
                     "W阿姨 household，《小组访谈》"]
    assert "*3 segments · 1 source · 3 cases*" in summary
    assert "*3 segments (0 here, 3 in sub-codes) · 1 source · 3 cases*" in summary  # the parent takes them in
    chapter = render_case(project, "md", site="X village")
    assert re.findall(r"（(.+?)，访谈编号：X village）", chapter) == [
        "X village committee", "Z大伯 household", "W阿姨 household"]
    assert "（尚无编码片段" in render_case(project, "md", case="H")


def test_an_answer_label_is_cited_as_its_case(project, tmp_path):
    cases.add(project, "H")
    text = "问：您是哪一年回村的？\n答：2012年回来的。\n问：为什么？\n答：父母年纪大了。\n"
    (result,) = import_paths(project, [write(tmp_path / "interview.txt", text)], ImportOptions(cases=["H"]))
    codes.add(project, key="family", name_zh="家庭")
    for turn in sources.turns_of(project, result.id)[1::2]:
        codings.add(project, result.id, "family", turn["speech"], turn["end"])
    pseudonyms.add(project, "H", "甲先生")  # (Ｈ先生 would still show H, in full width)
    summary = render_summary(project, "md")
    assert "，答" not in summary and summary.count("— 甲先生，《interview》") == 2


def test_the_sample_group_interview_counts_each_coding_once_and_cites_its_speaker(tmp_path):
    from fieldcase.importers.sample import build_sample

    project, _ = build_sample(tmp_path / "demo.fieldcase", user="tester")
    with project:
        (group,) = [s for s in sources.list_all(project) if s["title"].startswith("X村村民小组访谈")]
        turns = [t for t in sources.turns_of(project, group["id"]) if t["speaker"] != "访谈者"]
        for turn in turns:
            codings.add(project, group["id"], "talent.embedding.ties", turn["speech"], turn["end"])
        for real, fake in (("王阿姨", "W阿姨"), ("张大伯", "Z大伯"), ("X village committee", "村委会甲")):
            pseudonyms.add(project, real, fake)
        line = {r["code"]: r for r in tables.matrix(project, by="case", rename=lambda t: t)}["talent.embedding.ties"]
        assert line["total"] == len(turns) and line["in_several"] == 0
        assert sum(v for k, v in line.items() if k not in ("code", "name", "total", "in_several")) == len(turns)
        summary = render_summary(project, "md", code="talent.embedding.ties")
        said = {"村支书": "村委会甲", "张大伯": "Z大伯 household", "王阿姨": "W阿姨 household"}
        cites = re.findall(r"— (.+?)，《", summary)
        assert cites == [said[t["speaker"]] for t in turns]
        chapter = render_case(project, "md", case="王阿姨 household")
        assert chapter.count("（W阿姨 household，访谈编号：X village-20230716）") == sum(t["speaker"] == "王阿姨" for t in turns)
        assert "（尚无编码片段" in render_case(project, "md", case="H")


# ---------------------------------------------------------------- commands and the F5 screen


def test_speaker_commands_list_link_unlink_and_mark_the_interviewer(cli, project, village):
    out = cli("speaker", "list", str(village)).output
    assert re.search(r"王阿姨\s+speaker\s+王阿姨 household\s+2", out) and "fieldcase" in out
    assert "王阿姨 is case H" in cli("speaker", "link", str(village), "王阿姨", "H").output
    assert "the interviewer" in cli("speaker", "role", str(village), "张大伯", "interviewer").output
    assert "linked to no case" in cli("speaker", "unlink", str(village), "王阿姨").output
    rows = {r["label"]: r for r in json.loads(cli("speaker", "list", str(village), "--json").output)}
    assert rows["王阿姨"]["case_id"] is None and rows["王阿姨"]["decided"] == 1
    bad = cli("speaker", "link", str(village), "刘", "H")
    assert bad.exit_code == 1 and "no speaker '刘'" in bad.output


def test_case_aliases_from_the_command_line(cli, project):
    cli("case", "add", "刘霞", "--alias", "刘", "--alias", "刘总")
    assert cases.get(project, "刘霞")["aliases"] == ["刘", "刘总"]
    cli("case", "set", "刘霞", "--alias", "霞姐", "--drop-alias", "刘总")
    assert cases.get(project, "刘霞")["aliases"] == ["刘", "霞姐"]
    assert cases.find(project, "霞姐")["name"] == "刘霞"  # a case is found by another name too


async def test_f5_links_a_speaker_to_a_case_and_marks_the_interviewer(tmp_path):
    from textual.widgets import DataTable

    from fieldcase.store.project import init_project, open_project
    from fieldcase.tui.app import FieldcaseApp
    from fieldcase.tui.dialogs.case_picker import CasePicker
    from fieldcase.tui.screens.sites_cases import SitesCasesScreen

    path = tmp_path / "f5.fieldcase"
    with init_project(path, user="tester", framework="none") as project:
        cases.add(project, "王阿姨 household", kind="household")
        cases.add(project, "W")
        import_paths(project, [write(tmp_path / "g.txt", GROUP)])
    app = FieldcaseApp(path, user="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
        table = app.screen.query_one("#speakers", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["访谈者", "村支书", "张大伯", "王阿姨"]
        table.focus()
        table.move_cursor(row=3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CasePicker)
        await pilot.press("w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
        assert table.get_row_at(3)[2] == "W" and table.get_row_at(3)[5] == "tester"
        table.move_cursor(row=1)
        await pilot.press("i")
        await pilot.pause()
        assert table.get_row_at(1)[1] == "interviewer"
    with open_project(path) as project:
        assert speakers.find(project, 1, "王阿姨")["case_name"] == "W"
        assert speakers.find(project, 1, "村支书")["role"] == INTERVIEWER


def test_a_label_linked_to_a_case_with_a_pseudonym_never_shows_in_an_export(project, tmp_path):
    from fieldcase.reports.pseudonyms import renamer

    cases.add(project, "刘霞")
    cases.add(project, "刘强")
    text = "访谈者：您哪年回来的？\n刘：2019年。刘海那边的厂子关了。\n访谈者：后来呢？\n刘：开了合作社。\n"
    (result,) = import_paths(project, [write(tmp_path / "liu.txt", text)], ImportOptions(cases=["刘霞"]))
    codes.add(project, key="push", name_zh="城市推力")
    turns = sources.turns_of(project, result.id)
    codings.add(project, result.id, "push", turns[1]["speech"], turns[3]["end"])  # across turns: holds 刘：
    pseudonyms.add(project, "刘霞", "L")
    summary = render_summary(project, "md")
    assert "> L：2019年。刘海那边的厂子关了。\n> 访谈者：后来呢？\n> L：开了合作社。" in summary  # 刘海 is no name
    assert renamer(project)("（刘，2019）") == "（L，2019）"
    # the same label standing for people with different pseudonyms is left to the researcher
    (other,) = import_paths(project, [write(tmp_path / "liu2.txt", text.replace("回来", "回村"))],
                            ImportOptions(cases=["刘强"]))
    pseudonyms.add(project, "刘强", "Q")
    assert not [f for f in pseudonyms.forms(project) if f.text == "刘"]


def test_a_quote_across_turns_names_whose_words_open_it(project, village):
    first, second = _turn(project, village, "王阿姨"), _turn(project, village, "张大伯", 2)
    codings.add(project, village, "land", first["speech"], second["end"])
    summary = render_summary(project, "md")
    assert "> 王阿姨：张大伯你还有养老金呢。\n> 张大伯：那个一个月两百来块" in summary
    assert "— 王阿姨 household、张大伯 household，《小组访谈》" in summary


def test_traditional_role_words_ask_and_answer(project, tmp_path):
    cases.add(project, "H")
    text = "問：您哪一年回來的？\n答：2012年。\n訪談者：為什麼？\n受訪者：父母老了。\n"
    (result,) = import_paths(project, [write(tmp_path / "big5.txt", text)], ImportOptions(cases=["H"]))
    rows = {r["label"]: (r["role"], r["case_name"]) for r in speakers.list_for(project, result.id)}
    assert rows["問"] == (INTERVIEWER, None) and rows["訪談者"] == (INTERVIEWER, None)
    assert cited_speaker("受訪者", BY_UNLINKED, None) == ""


def test_who_decided_a_speaker_is_named(cli, project, village):
    cli("speaker", "role", str(village), "张大伯", "interviewer", "--user", "zhao")
    out = cli("speaker", "list", str(village)).output
    assert re.search(r"张大伯\s+interviewer\s+\S*\s*2\s+\d+\s+zhao", out)
    assert re.search(r"王阿姨\s+speaker\s+王阿姨 household\s+2\s+\d+\s+fieldcase", out)


def test_a_quote_across_question_and_answer_names_who_speaks(project, tmp_path):
    cases.add(project, "H")
    text = "[00:01:40] 问：现在运行得怎么样？\n答：积分制是去年八月份开始搞的。\n问：效果呢？\n答：还行。\n"
    (result,) = import_paths(project, [write(tmp_path / "h2.txt", text)], ImportOptions(cases=["H"]))
    codes.add(project, key="points", name_zh="积分制")
    turns = sources.turns_of(project, result.id)
    codings.add(project, result.id, "points", turns[0]["speech"], turns[1]["end"])
    pseudonyms.add(project, "H", "甲")
    summary = render_summary(project, "md")
    assert "> 访谈者：现在运行得怎么样？\n> 甲：积分制是去年八月份开始搞的。" in summary  # never 问： / 答：
    chapter = render_case(project, "md", case="H")
    assert "（甲，访谈编号：甲）" in chapter  # the chapter's citation names who it counts for, and the source


def test_a_source_about_a_case_of_another_site_is_in_the_navigator(project, tmp_path):
    from fieldcase.tui.widgets.navigator import Navigator

    sites.add(project, "X village")
    sites.add(project, "Xiamu Village")
    cases.add(project, "刘霞", site="Xiamu Village")
    text = "访谈者：您好。\n刘霞：您好。\n访谈者：再见。\n刘霞：再见。\n"
    (result,) = import_paths(project, [write(tmp_path / "liu.txt", text)], ImportOptions(site="X village"))
    listing = sources.list_all(project)
    assert listing[0]["site"] == "X village" and listing[0]["cases"] == ["刘霞"]
    tree = Navigator()
    tree.show(sites.list_all(project), cases.list_all(project), listing, {})
    found = [leaf.data["source"] for site in tree.root.children for node in site.children
             for leaf in ([node] if not node.children else node.children) if leaf.data and "source" in leaf.data]
    assert found == [result.id]


def test_a_label_of_a_case_named_by_its_pseudonym_is_replaced_too(project, tmp_path):
    pseudonyms.add(project, "张三", "H")
    cases.add(project, "H")  # the case is named by the pseudonym; fieldcase knows 张三 is H
    text = "问：您哪年回来的？\n张：2012年。\n问：为什么？\n张：父母老了。\n"
    (result,) = import_paths(project, [write(tmp_path / "z.txt", text)], ImportOptions(cases=["H"]))
    assert speakers.find(project, result.id, "张")["case_name"] == "H"
    codes.add(project, key="family", name_zh="家庭")
    turns = sources.turns_of(project, result.id)
    codings.add(project, result.id, "family", turns[1]["speech"], turns[3]["end"])
    summary = render_summary(project, "md")
    assert "张：" not in summary and "> H：2012年。" in summary
