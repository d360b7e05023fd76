"""Framework cells: a case under a code with the researcher's summary and its links, written
through the change log, carried by deletes and code merges, merged across copies, drafted
from the cell's key sentences; and ``fieldcase summary``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fieldcase.analysis import framework
from fieldcase.errors import InputError, NotFoundError
from fieldcase.exchange.merge import merge
from fieldcase.store import cases, cells, codes, codings, history
from fieldcase.store.merging import open_conflicts
from fieldcase.store.project import open_project
from fieldcase.text.key_sentences import draft, is_draft, key_sentence, nest_quotes
from framework_fixture import code_sample


@pytest.fixture
def study(sample):
    """The sample, coded from every keyword suggestion, with two pseudonyms."""
    return code_sample(sample)


def _segments(project, case, code):
    return framework.segments(project, case, code)


def test_a_summary_is_written_linked_changed_and_undone_through_the_log(study):
    with open_project(study, user="zhao") as project:
        found = _segments(project, "H", "talent.motive")
        assert found and all(s["code_key"].startswith("talent.motive") for s in found)
        cell = cells.write(project, "H", "talent.motive", "H 因父母年迈而返乡。", link=[found[0]["id"]])
        assert cell["summary"] == "H 因父母年迈而返乡。" and cell["links"] == [found[0]["id"]]
        assert cell["created_by"] == "zhao" and cell["uuid"]
        cells.write(project, "H", "talent.motive", "改写。", link=[found[1]["id"]], unlink=[found[0]["id"]])
        again = cells.get(project, "H", "talent.motive")
        assert again["summary"] == "改写。" and again["links"] == [found[1]["id"]]
        logged = project.query("SELECT DISTINCT table_name FROM changes WHERE table_name LIKE 'framework%'")
        assert {r["table_name"] for r in logged} == {"framework_cells", "framework_links"}
        history.undo(project)
        assert cells.get(project, "H", "talent.motive")["summary"] == "H 因父母年迈而返乡。"
        assert cells.get(project, "H", "talent.motive")["links"] == [found[0]["id"]]
        history.undo(project)
        assert cells.get(project, "H", "talent.motive") is None


def test_a_link_to_no_coding_is_refused_and_nothing_is_written(study):
    with open_project(study, user="zhao") as project:
        with pytest.raises(NotFoundError, match="no coding 999999"):
            cells.write(project, "H", "talent.motive", "x", link=[999999])
        assert cells.list_all(project) == []


def test_deleting_a_coding_takes_its_link_and_undo_brings_it_back(study):
    with open_project(study, user="zhao") as project:
        found = _segments(project, "H", "talent.motive")
        cells.write(project, "H", "talent.motive", "摘要", link=[found[0]["id"], found[1]["id"]])
        codings.remove(project, found[0]["id"])
        assert cells.get(project, "H", "talent.motive")["links"] == [found[1]["id"]]
        history.undo(project)
        assert cells.get(project, "H", "talent.motive")["links"] == [found[0]["id"], found[1]["id"]]


def test_deleting_a_code_takes_its_cells_and_merging_codes_moves_them(study):
    with open_project(study, user="zhao") as project:
        cells.write(project, "H", "talent.motive.push", "城市推力")
        cells.write(project, "H", "talent.motive.pull", "乡村拉力")
        cells.write(project, "刘霞", "talent.motive.push", "不稳定的工作")
        codes.merge(project, "talent.motive.push", "talent.motive.pull")
        pulled = {c["case_name"]: c["summary"] for c in cells.list_all(project, code="talent.motive.pull")}
        assert pulled == {"H": "乡村拉力\n\n城市推力", "刘霞": "不稳定的工作"}
        codes.delete(project, "talent.motive.pull")
        assert cells.list_all(project) == []
        history.undo(project)
        assert len(cells.list_all(project, code="talent.motive.pull")) == 2


def test_the_matrix_counts_each_cases_segments_under_the_second_level_themes(study):
    with open_project(study, user="zhao") as project:
        matrix = framework.build(project)
        assert {t.depth for t in matrix.themes} == {1}
        assert [s for s, _ in matrix.sites()] == sorted({c.site for c in matrix.cases})
        h = cases.find(project, "H")["id"]
        motive = codes.find(project, "talent.motive")["id"]
        assert matrix.cell(h, motive).count == len(_segments(project, "H", "talent.motive"))
        only = framework.build(project, cases=["H"], codes=["talent.motive.push"])
        assert [c.name for c in only.cases] == ["H"] and [t.key for t in only.themes] == ["talent.motive.push"]


def test_a_draft_is_the_speakers_key_sentences_marked_as_a_draft(study):
    with open_project(study, user="zhao") as project:
        text = framework.draft(project, "刘霞", "talent.motive")
        assert text.startswith("[草稿] ") and is_draft(text)
        words = "".join(s["text"] for s in _segments(project, "刘霞", "talent.motive"))
        for sentence in text.removeprefix("[草稿] ").strip("“”").split("”“"):
            assert sentence in words
        assert cells.get(project, "刘霞", "talent.motive") is None  # a draft is not stored by itself
        with pytest.raises(InputError, match="no segments"):
            framework.draft(project, "刘霞", "governance.mediation")


def test_key_sentences_leave_out_the_interviewer_and_prefer_the_themes_words():
    segment = "访谈者：你为什么回来？\nH：那时候杭州的生意不好做。父母年纪也大了，我就回来了。"
    assert key_sentence(segment, ["父母"]) == "父母年纪也大了，我就回来了。"
    assert "访谈者" not in draft([segment], ["父母"])
    assert draft(["Q: why?\nA: I came back because my parents were old."], ["parents"]).startswith("[Draft] ")
    assert draft(["访谈者：为什么？"], []) == ""


def test_a_quote_inside_a_drafted_quote_takes_single_marks():
    zh = draft(["H：城里人说的那个“城市病”，我是全都占了。"], [])
    assert zh == "[草稿] “城里人说的那个‘城市病’，我是全都占了。”"
    assert draft(['H：村里人叫我"老板"，我就回来了。'], []) == "[草稿] “村里人叫我‘老板’，我就回来了。”"
    assert nest_quotes("他说：“叫我‘老板’就行。”", "zh") == "他说：‘叫我“老板”就行。’"  # a third level: double again
    en = draft(['A: They called me "boss" and I came back.', "A: Some said “retreat” then."], [])
    assert en == "[Draft] \"They called me 'boss' and I came back.\" \"Some said ‘retreat’ then.\""
    assert nest_quotes("it's my parents' house", "en") == "it's my parents' house"  # apostrophes stay


def test_a_drafted_cell_of_the_sample_nests_its_speakers_quotes(study):
    with open_project(study, user="zhao") as project:
        text = framework.draft(project, "H", "talent.motive").removeprefix("[草稿] ")
        quotes = text[1:-1].split("”“")
        assert any("‘城市病’" in q for q in quotes)
        assert text[0] == "“" and text[-1] == "”" and not any("“" in q or "”" in q for q in quotes)


def test_copies_merge_cells_by_uuid_and_by_case_and_code(study, tmp_path):
    a, b = tmp_path / "a.fieldcase", tmp_path / "b.fieldcase"
    shutil.copyfile(study, a)
    shutil.copyfile(study, b)
    with open_project(a, user="zhao") as project:
        cells.write(project, "H", "talent.motive", "赵的摘要")
        cells.write(project, "李玲", "talent.motive", "同一格")
    with open_project(b, user="qian") as project:
        found = _segments(project, "H", "talent.resources")
        cells.write(project, "H", "talent.resources", "钱的摘要", link=[found[0]["id"]])
        cells.write(project, "李玲", "talent.motive", "同一格，另一说法")
    with open_project(a, user="zhao") as project:
        report = merge(project, b)
        got = {(c["case_name"], c["code_key"]): (c["summary"], len(c["links"])) for c in cells.list_all(project)}
        assert got[("H", "talent.motive")] == ("赵的摘要", 0)
        assert got[("H", "talent.resources")] == ("钱的摘要", 1)
        assert got[("李玲", "talent.motive")] == ("同一格", 0)  # made on both sides: one cell, mine kept
        listed = [c for c in open_conflicts(project) if c["table_name"] == "framework_cells"]
        assert [json.loads(c["theirs"]) for c in listed] == ["同一格，另一说法"]
        assert report.added.get("framework_cells") == 1
        assert merge(project, b).nothing


def test_a_withdrawn_case_takes_its_cells_with_it(study):
    from fieldcase.store.withdrawal import plan_case

    with open_project(study, user="zhao") as project:
        cells.write(project, "李玲", "talent.motive", "李玲说她想回家。")
        plan = plan_case(project, "李玲")
        assert plan.erase["framework_cells"] and "李玲说她想回家。" in plan.texts


def test_purging_a_case_takes_the_kept_drafts_of_its_summaries(study):
    from functools import partial

    from fieldcase.store import drafts, purge
    from fieldcase.store.withdrawal import plan_case

    with open_project(study, user="zhao") as project:
        li, code, h = cases.find(project, "李玲")["id"], codes.find(project, "talent.motive")["id"], \
            cases.find(project, "H")["id"]
        drafts.save_cell(project, None, li, code, "李玲说她想回家（未存）", "")  # typed, never saved
        drafts.save_cell(project, None, h, code, "H 的草稿", "")
        purge.run(project, partial(plan_case, ref="李玲"), backup=False)
        assert drafts.cell_draft(project, li, code) is None
        assert drafts.cell_draft(project, h, code)["text"] == "H 的草稿"


def test_the_summary_commands(study, tmp_path):
    from click.testing import CliRunner

    from fieldcase.cli import cli as command

    def run(*args: str):
        return CliRunner().invoke(command, [*args, "-p", str(study), "--user", "zhao"])

    result = run("summary", "draft", "--case", "H", "--code", "talent.motive")
    assert result.exit_code == 0 and result.output.startswith("[草稿] ")
    with open_project(study, user="zhao") as project:
        assert cells.list_all(project) == []
        coding = _segments(project, "H", "talent.motive")[0]["id"]
    assert run("summary", "set", "--case", "H", "--code", "talent.motive", "父母年迈", "--link", str(coding)).exit_code == 0
    assert run("summary", "draft", "--case", "刘霞", "--code", "talent.motive", "--save").exit_code == 0
    listed = json.loads(run("summary", "list", "--json").output)
    assert [(r["case_name"], r["code_key"], r["links"]) for r in listed] == [
        ("H", "talent.motive", [coding]), ("刘霞", "talent.motive", [])]
    assert listed[1]["summary"].startswith("[草稿]") and listed[0]["created_by"] == "zhao"
    assert json.loads(run("summary", "list", "--json", "--case", "刘霞").output)[0]["case_name"] == "刘霞"
    bad = run("summary", "set", "--case", "H", "--code", "talent.motive", "x", "--link", "999999")
    assert bad.exit_code == 1 and bad.output.strip().count("\n") == 0 and "999999" in bad.output
    assert run("summary", "set", "--case", "H", "--code", "talent.motive", "  ").exit_code != 0


def test_cells_travel_through_the_team_hub(pg_db, tmp_path):
    from conftest import INTERVIEW_TEXT
    from fieldcase.exchange.hub import clone, connect_project, sync_project
    from fieldcase.hubstore.schema import init_hub
    from fieldcase.store import sources
    from fieldcase.store.project import init_project

    init_hub(pg_db.url)
    lead = init_project(tmp_path / "lead.fieldcase", user="lead")
    try:
        cases.add(lead, "H")
        source = sources.add(lead, {"title": "H访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        coding, _ = codings.add(lead, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
        cells.write(lead, "H", "land", "H 带头搞土地流转。", link=[coding["id"]])
        connect_project(lead, pg_db.url)
        sync_project(lead)
        member, _ = clone(pg_db.url, tmp_path / "member.fieldcase", "zhao")
        try:
            got = cells.get(member, "H", "land")
            assert got is not None and got["summary"] == "H 带头搞土地流转。" and len(got["links"]) == 1
            assert codings.get(member, got["links"][0])["text"] == "土地流转"
            cells.write(member, "H", "land", "改过的摘要。")
            sync_project(member)
            sync_project(lead)
            assert cells.get(lead, "H", "land")["summary"] == "改过的摘要。"
            assert pg_db.execute("SELECT summary FROM fieldcase.framework_cells") == [("改过的摘要。",)]
        finally:
            member.close()
    finally:
        lead.close()


def test_purging_a_source_erases_its_links_and_purging_a_case_its_summaries(study):
    from fieldcase.store import purge, source_purge, withdrawal

    with open_project(study, user="zhao") as project:
        found = _segments(project, "刘霞", "talent.motive")
        cells.write(project, "刘霞", "talent.motive", "刘霞说城里的工作不稳定。", link=[s["id"] for s in found[:2]])
        cells.write(project, "H", "talent.motive", "H 的摘要")
        source = found[0]["source_id"]
        purge.run(project, lambda p: source_purge.plan_source(p, source), backup=False)
        kept = cells.get(project, "刘霞", "talent.motive")
        assert kept is not None and not {s["id"] for s in found if s["source_id"] == source} & set(kept["links"])
        purge.run(project, lambda p: withdrawal.plan_case(p, "刘霞"), backup=False)
        assert [c["case_name"] for c in cells.list_all(project)] == ["H"]
        logged = project.query("SELECT before, after FROM changes WHERE table_name = 'framework_cells'")
        assert not any("城里的工作" in (r["before"] or "") + (r["after"] or "") for r in logged)


def _turn_of(project, case: str, code: str, source_title: str) -> int:
    """A coding under ``code`` in ``case``'s own turn of the source ``source_title``."""
    return next(s["id"] for s in _segments(project, case, code) if s["source"] == source_title and s["speaker"])


def test_a_link_to_another_cases_turn_in_a_shared_source_is_refused_in_one_line(study, tmp_path):
    # 刘霞访谈 is linked to 刘霞 and to her cooperative; her own turns count for her alone
    with open_project(study, user="zhao") as project:
        hers = _turn_of(project, "刘霞", "value.heritage", "刘霞访谈")
        assert hers not in {s["id"] for s in _segments(project, "夏木竹编合作社", "value.heritage")}
        with pytest.raises(InputError, match=f"^coding {hers} is not one of 夏木竹编合作社 × value.heritage's "
                                             "segments: it counts for 刘霞, not 夏木竹编合作社$"):
            framework.save(project, "夏木竹编合作社", "value.heritage", "合作社的竹编传承", link=[hers])
        assert cells.list_all(project) == []
        framework.save(project, "刘霞", "value.heritage", "竹编传承", link=[hers])  # her own cell takes it
        assert cells.get(project, "刘霞", "value.heritage")["links"] == [hers]


def test_the_summary_command_refuses_a_link_under_another_code_and_writes_nothing(study, cli, project_path):
    shutil.copy(study, project_path)
    with open_project(project_path, user="zhao") as project:
        other = _segments(project, "H", "integration.land")[0]["id"]
        mine = _segments(project, "H", "talent.motive")[0]["id"]
    result = cli("summary", "set", "--case", "H", "--code", "talent.motive", "摘要", "--link", str(mine),
                 "--link", str(other))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: coding {other} is not one of H × talent.motive's segments: it is coded "
        f"{_code_of(project_path, other)}, not under talent.motive"]
    with open_project(project_path, user="zhao") as project:
        assert cells.list_all(project) == []


def _code_of(path: Path, coding_id: int) -> str:
    with open_project(path, user="zhao") as project:
        return codings.get(project, coding_id)["code_key"]


def test_summary_delete_is_logged_and_undone(study, cli, project_path):
    shutil.copy(study, project_path)
    cli("summary", "set", "--case", "H", "--code", "talent.motive", "摘要")
    out = cli("summary", "delete", "--case", "H", "--code", "talent.motive")
    assert out.exit_code == 0 and "Deleted the summary of H under talent.motive" in out.output
    with open_project(project_path, user="tester") as project:
        assert cells.list_all(project) == []
        assert project.query("SELECT action FROM change_groups ORDER BY id DESC LIMIT 1")[0]["action"] == "cell.delete"
    assert cli("undo").exit_code == 0
    with open_project(project_path, user="tester") as project:
        assert cells.get(project, "H", "talent.motive")["summary"] == "摘要"
    missing = cli("summary", "delete", "--case", "刘霞", "--code", "talent.motive")
    assert missing.exit_code == 1 and "no summary of case" in missing.output


def test_a_summary_on_a_top_level_or_third_level_code_is_a_column_of_the_matrix(study):
    with open_project(study, user="zhao") as project:
        cells.write(project, "H", "talent", "H 的人才回流总体情况")
        cells.write(project, "刘霞", "talent.motive.push", "城市推力")
        matrix = framework.build(project)
        keys = [t.key for t in matrix.themes]
        assert {"talent", "talent.motive.push", "talent.motive"} <= set(keys)
        assert keys.index("talent") < keys.index("talent.motive") < keys.index("talent.motive.push")  # codebook order
        h, top = cases.find(project, "H")["id"], codes.find(project, "talent")["id"]
        assert matrix.cell(h, top).summary == "H 的人才回流总体情况" and matrix.cell(h, top).count > 0


def test_a_write_over_a_summary_changed_since_it_was_read_is_refused_naming_who(study):
    with open_project(study, user="tester") as project:
        cells.write(project, "H", "talent.motive", "第一稿")
    with open_project(study, user="colleague") as project:
        cells.write(project, "H", "talent.motive", "同事的稿")
    with open_project(study, user="tester") as project:
        with pytest.raises(cells.StaleCellError, match="changed by colleague on ") as caught:
            framework.save(project, "H", "talent.motive", "我的稿", expected="第一稿")
        assert caught.value.cell is not None and caught.value.cell["summary"] == "同事的稿"
        assert cells.get(project, "H", "talent.motive")["summary"] == "同事的稿"  # nothing written
        written = cells.write(project, "H", "talent.motive", "我的稿", expected="同事的稿")
        assert written["summary"] == "我的稿"
        cells.write(project, "刘霞", "talent.motive", "别人先写的")
        with pytest.raises(cells.StaleCellError):  # a cell made meanwhile is a change too
            cells.write(project, "刘霞", "talent.motive", "新", expected="")
        cells.write(project, "李玲", "value.heritage", "新的", expected="")
        assert cells.get(project, "李玲", "value.heritage")["summary"] == "新的"


def test_summary_case_is_found_as_every_command_finds_one_and_a_bare_label_is_refused_naming_its_case(
        study, cli, project_path):
    shutil.copy(study, project_path)
    # an alias (a speaker label of the villager group, linked by it) and site/name, as everywhere
    assert cli("summary", "set", "--case", "村支书", "--code", "talent.motive", "议事会").exit_code == 0
    assert cli("summary", "set", "--case", "Xiamu Village/刘霞", "--code", "talent.motive", "竹编").exit_code == 0
    # 刘 is only a speaker label (linked to 刘霞 in one transcript): no case's name, yet the error says whose
    bad = cli("summary", "set", "--case", "刘", "--code", "talent.motive", "x")
    assert bad.exit_code == 1 and bad.output.strip().splitlines() == [
        "error: no case '刘': '刘' is a speaker label of '刘霞'; name the case (or add the label as its alias)"]
    assert "speaker label of '刘霞'" in cli("codings", "--case", "刘").output  # the one resolver, every command
    with open_project(project_path, user="tester") as project:
        assert sorted((c["case_name"], c["summary"]) for c in cells.list_all(project)) == [
            ("X village committee", "议事会"), ("刘霞", "竹编")]


def test_summary_set_with_expect_refuses_a_summary_changed_meanwhile_in_one_line(study, cli, project_path):
    shutil.copy(study, project_path)
    args = ("summary", "set", "--case", "H", "--code", "talent.motive")
    none = cli(*args, "第一稿", "--expect", "初稿")  # there is none yet: said so, with what was expected
    assert none.exit_code == 1 and "there is no summary yet (you expected “初稿”); nothing was written" in none.output
    assert cli(*args, "第一稿", "--expect-empty").exit_code == 0
    with open_project(project_path, user="colleague") as project:
        cells.write(project, "H", "talent.motive", "同事的稿")
    stale = cli(*args, "我的稿", "--expect", "第一稿")
    lines = stale.output.strip().splitlines()
    assert stale.exit_code == 1 and len(lines) == 1 and "changed by colleague on " in lines[0]
    again = cli(*args, "我的稿", "--expect-empty")  # there is one now
    assert again.exit_code == 1 and "there is a summary already, by colleague on " in again.output
    assert "“同事的稿”; nothing was written" in again.output
    with open_project(project_path, user="tester") as project:
        assert cells.get(project, "H", "talent.motive")["summary"] == "同事的稿"  # nothing changed
    assert cli(*args, "我的稿", "--expect", "同事的稿").exit_code == 0
    both = cli(*args, "x", "--expect", "我的稿", "--expect-empty")
    assert both.exit_code == 2 and "not both" in both.output
    with open_project(project_path, user="tester") as project:
        assert cells.get(project, "H", "talent.motive")["summary"] == "我的稿"


def test_a_deleted_codes_unsaved_cell_drafts_are_kept_listed_and_back_in_their_cells_on_undo(study):
    from fieldcase.store import drafts

    with open_project(study, user="zhao") as project:
        h, liu = cases.find(project, "H")["id"], cases.find(project, "刘霞")["id"]
        code = codes.find(project, "talent.motive.push")
        cells.write(project, "H", code["id"], "已存的摘要。")
        cells.write(project, "刘霞", code["id"], "刘霞的摘要。")
        drafts.save_cell(project, None, h, code["id"], "已存的摘要。又写了一句，没存。", "已存的摘要。")
        drafts.save_cell(project, None, liu, code["id"], "刘霞的摘要。", "刘霞的摘要。")  # nothing unsaved in it
        assert codes.impact(project, code["id"])["drafts"] == 1
        codes.delete(project, code["id"])
        [kept] = drafts.orphaned_cells(project)
        assert kept["text"] == "已存的摘要。又写了一句，没存。" and kept["gone"] == ["code"]
        assert kept["case_name"] == "H" and kept["code_label"] == code["name_zh"]  # named from the change log
        assert drafts.cell_draft(project, liu, code["id"]) is None  # its words are the summary undo brings back
        history.undo(project)
        assert drafts.orphaned_cells(project) == []
        assert drafts.cell_draft(project, h, code["id"])["text"] == "已存的摘要。又写了一句，没存。"
        assert cells.by_ids(project, h, code["id"])["summary"] == "已存的摘要。"


def test_a_case_gone_by_undo_keeps_its_summary_draft_listed(study):
    from fieldcase.store import drafts
    from fieldcase.tui.kept_drafts import notice

    with open_project(study, user="zhao") as project:
        new = cases.add(project, "新个案")
        code = codes.find(project, "talent.motive")["id"]
        drafts.save_cell(project, None, new["id"], code, "还没存的话", "")
        history.undo(project)  # the case added is taken away again
        [kept] = drafts.orphaned_cells(project)
        assert kept["case_name"] == "新个案" and kept["gone"] == ["case"] and kept["text"] == "还没存的话"
        told = notice([], drafts.orphaned_cells(project))
        assert "新个案" in told and "fieldcase summary kept" in told and "case was deleted" in told


def test_merging_codes_moves_a_cells_unsaved_draft_to_the_merged_cell(study):
    from fieldcase.store import drafts

    with open_project(study, user="zhao") as project:
        h = cases.find(project, "H")["id"]
        push, pull = codes.find(project, "talent.motive.push")["id"], codes.find(project, "talent.motive.pull")["id"]
        drafts.save_cell(project, None, h, push, "推力：没存", "")
        drafts.save_cell(project, None, h, pull, "拉力：没存", "")
        codes.merge(project, push, pull)
        assert drafts.cell_draft(project, h, pull)["text"] == "拉力：没存\n\n推力：没存"
        assert drafts.orphaned_cells(project) == [] and drafts.cell_draft(project, h, push) is None


def test_code_delete_says_what_is_kept_and_summary_kept_shows_and_discards_it(study):
    from click.testing import CliRunner

    from fieldcase.cli import cli as command
    from fieldcase.store import drafts

    def run(*args):
        return CliRunner().invoke(command, [*args, "-p", str(study), "--user", "zhao"])

    with open_project(study, user="zhao") as project:
        h, code = cases.find(project, "H")["id"], codes.find(project, "talent.motive.push")["id"]
        drafts.save_cell(project, None, h, code, "一段没存的摘要", "")
    deleted = run("codes", "delete", "talent.motive.push", "--yes")
    assert deleted.exit_code == 0 and "1 draft never saved: kept" in deleted.output
    shown = run("summary", "kept")
    assert shown.exit_code == 0 and "H × " in shown.output and "(code deleted)" in shown.output
    assert "一段没存的摘要" in shown.output
    listed = json.loads(run("summary", "kept", "--json").output)
    assert [d["text"] for d in listed] == ["一段没存的摘要"]
    assert run("summary", "kept", "--discard", "999").exit_code == 2
    assert run("summary", "kept", "--discard", str(listed[0]["id"])).exit_code == 0
    assert "No kept summary drafts." in run("summary", "kept").output
