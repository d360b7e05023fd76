"""Blind coding beyond the workspace panes: while it is on (the project's setting, or
`fieldcase open --blind` for a session), every list, count, search, table, export and
suggestion list shows only the user's own work, and comparing coders is refused."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from conftest import INTERVIEW_TEXT
from tui_helpers import wait_until

from fieldcase.analysis import tables
from fieldcase.cli import cli
from fieldcase.errors import InputError
from fieldcase.store import blinding, codings, suggestions
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.screens.workspace import WorkspaceScreen

PUSH, CAPITAL = "talent.motive.push", "talent.resources.capital"
MINE, HIS = "父母年纪也大了", "先搞土地流转"


def two_coders(path) -> dict[str, int]:
    """tester codes MINE and li codes HIS, both with capital; li decides a suggestion of push
    on MINE's words. Returns the suggestion's id."""
    with open_project(path, user="tester") as project:
        codings.add(project, 1, CAPITAL, *codings.locate_quote(INTERVIEW_TEXT, MINE), coder="tester")
        codings.add(project, 1, CAPITAL, *codings.locate_quote(INTERVIEW_TEXT, HIS), coder="li")
        push = project.conn.execute("SELECT id FROM codes WHERE key = ?", [PUSH]).fetchone()[0]
        start, end = codings.locate_quote(INTERVIEW_TEXT, "杭州的生意不好做")
        suggestions.replace_open(project, [1], [push], [(1, push, start, end, "sentence", "杭州的生意不好做", 0.9, "[]")])
        sid = project.conn.execute("SELECT id FROM suggestions").fetchone()[0]
    with open_project(path, user="li") as project:
        suggestions.reject(project, sid)
    return {"suggestion": sid}


def run(path, *args: str, user: str = "tester"):
    return CliRunner().invoke(cli, [*args, "-p", str(path), "--user", user])


def quotes(result) -> set[str]:
    assert result.exit_code == 0, result.output
    return {row["text"] for row in json.loads(result.output)}


def test_the_project_setting_hides_others_codings_in_the_command_line_until_turned_off(tui_project):
    two_coders(tui_project)
    assert quotes(run(tui_project, "codings", "--json")) == {MINE, HIS}
    assert run(tui_project, "blind", "on").exit_code == 0
    assert quotes(run(tui_project, "codings", "--json")) == {MINE}
    assert quotes(run(tui_project, "codings", "--json", "--coder", "tester")) == {MINE}
    refused = run(tui_project, "codings", "--json", "--coder", "li")
    assert refused.exit_code == 1 and "blind coding is on" in refused.output
    assert quotes(run(tui_project, "codings", "--json", user="li")) == {HIS}  # li sees li's own
    with open_project(tui_project, user="tester") as project, pytest.raises(InputError, match="blind coding"):
        codings.add(project, 1, PUSH, *codings.locate_quote(INTERVIEW_TEXT, HIS), coder="li")  # (li's layer is hidden)
    assert run(tui_project, "blind", "off").exit_code == 0
    assert quotes(run(tui_project, "codings", "--json")) == {MINE, HIS}


def test_blind_counts_search_by_code_and_codings_by_id_show_only_my_work(tui_project):
    two_coders(tui_project)
    his_id = next(r["id"] for r in json.loads(run(tui_project, "codings", "--json").output) if r["text"] == HIS)
    assert json.loads(run(tui_project, "search", "土地", "--code", CAPITAL, "--json").output)["hits"]
    run(tui_project, "blind", "on")
    codes = {row["key"]: row for row in json.loads(run(tui_project, "codes", "--json").output)}
    assert codes[CAPITAL]["codings"] == 1
    assert json.loads(run(tui_project, "search", "土地", "--code", CAPITAL, "--json").output)["hits"] == []
    hidden = run(tui_project, "uncode", str(his_id))
    assert hidden.exit_code == 1 and "blind coding is on" in hidden.output
    run(tui_project, "blind", "off")
    assert quotes(run(tui_project, "codings", "--json")) == {MINE, HIS}  # hidden, not removed


def test_blind_exports_and_tables_leave_others_out(tui_project, tmp_path):
    two_coders(tui_project)
    run(tui_project, "blind", "on")
    out = tmp_path / "segments.csv"
    result = run(tui_project, "export", "segments", "--format", "csv", "--out", str(out), "--no-pseudonyms")
    assert result.exit_code == 0, result.output
    written = out.read_text("utf-8-sig")
    assert MINE in written and HIS not in written
    refused = run(tui_project, "export", "segments", "--coder", "li", "--format", "csv", "--out", str(out))
    assert refused.exit_code == 1 and "blind coding is on" in refused.output
    for user, quote in [("tester", MINE), ("li", HIS)]:
        with open_project(tui_project, user=user) as project:
            assert {r["text"] for r in tables.coded_rows(project)} == {quote}
            row = next(r for r in tables.matrix(project, by="site") if r["code"] == CAPITAL)
            assert row["total"] == 1  # the matrix counts only the user's coding
    assert list(csv.reader(written.splitlines()))  # (a real CSV)


def test_blind_history_leaves_out_others_coding(tui_project):
    two_coders(tui_project)
    with open_project(tui_project, user="li") as project:
        codings.add(project, 1, PUSH, *codings.locate_quote(INTERVIEW_TEXT, HIS))
    everyone = json.loads(run(tui_project, "history", "--json").output)
    assert {g["action"] for g in everyone if g["user"] == "li"} == {"coding.add", "suggestion.reject"}
    run(tui_project, "blind", "on")
    shown = json.loads(run(tui_project, "history", "--json").output)
    assert [g for g in shown if g["user"] == "li"] == []
    assert len(shown) == len(everyone) - 2  # everything else, mine and the rest, still shows


def test_blind_hides_suggestions_others_decided_and_refuses_agreement(tui_project):
    sid = two_coders(tui_project)["suggestion"]
    listed = json.loads(run(tui_project, "suggestions", "list", "--status", "all", "--json").output)
    assert [s["id"] for s in listed] == [sid]
    run(tui_project, "blind", "on")
    assert json.loads(run(tui_project, "suggestions", "list", "--status", "all", "--json").output) == []
    assert [s["id"] for s in json.loads(run(tui_project, "suggestions", "list", "--status", "all", "--json",
                                            user="li").output)] == [sid]  # li decided it: li sees it
    refused = run(tui_project, "agreement", "--coder", "tester", "--coder", "li")
    assert refused.exit_code == 1 and "agreement: blind coding is on" in refused.output


async def test_open_blind_hides_others_in_the_retrieval_list_counts_and_agreement(tui_project):
    from fieldcase.tui.screens.retrieval import RetrievalScreen

    two_coders(tui_project)
    app = FieldcaseApp(tui_project, user="tester", blind=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.segments)
        screen = app.screen
        # the codebook's counts come from a thread after the first frame
        await wait_until(pilot, lambda: screen._counted)
        assert screen._counted
        with open_project(tui_project, user="tester") as other:  # another connection in this process
            assert blinding.blind_as(other) == "tester"
            assert {r["text"] for r in codings.query(other)} == {MINE}
        capital = next(row for row in screen.code_rows if row["key"] == CAPITAL)
        assert capital["total_codings"] == 1
        app.push_screen(RetrievalScreen(screen.project, code_id=capital["id"]))
        await wait_until(pilot, lambda: isinstance(app.screen, RetrievalScreen))
        await pilot.pause()
        assert {row["text"] for row in app.screen.rows} == {MINE}
        app.pop_screen()
        await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)  # the agreement table did not open
        assert any("agreement compares your codings" in str(n.message) for n in app._notifications)
    with open_project(tui_project, user="tester") as project:  # the session is over
        assert blinding.blind_as(project) is None
        assert {r["text"] for r in codings.query(project)} == {MINE, HIS}


def test_blind_hides_summaries_others_wrote_in_lists_the_matrix_and_exports(sample, tmp_path):
    from fieldcase.analysis import framework
    from fieldcase.store import cases, cells, codes

    with open_project(sample, user="li") as project:
        cells.write(project, "H", "talent.motive", "li 写的摘要")
    with open_project(sample, user="tester") as project:
        cells.write(project, "刘霞", "talent.motive", "我写的摘要")
        blinding.set_setting(project, True)
        assert [c["summary"] for c in cells.list_all(project)] == ["我写的摘要"]
        assert cells.get(project, "H", "talent.motive") is None
        h, motive = cases.find(project, "H")["id"], codes.find(project, "talent.motive")["id"]
        assert framework.build(project).cell(h, motive).summary == ""
        with pytest.raises(InputError, match="another coder's summary is there, hidden while blind coding is on"):
            cells.write(project, "H", "talent.motive", "我的改写")
    out = tmp_path / "framework.md"
    result = run(sample, "export", "framework", "--format", "md", "--out", str(out), "--no-pseudonyms")
    assert result.exit_code == 0, result.output
    assert "我写的摘要" in out.read_text("utf-8") and "li 写的摘要" not in out.read_text("utf-8")
    listed = run(sample, "summary", "list", "--json")
    assert [r["summary"] for r in json.loads(listed.output)] == ["我写的摘要"]
    assert [r["summary"] for r in json.loads(run(sample, "summary", "list", "--json", user="li").output)] == [
        "li 写的摘要"]
    run(sample, "blind", "off")
    with open_project(sample, user="tester") as project:
        assert {c["summary"] for c in cells.list_all(project)} == {"li 写的摘要", "我写的摘要"}
        assert cells.get(project, "H", "talent.motive")["summary"] == "li 写的摘要"  # hidden, never changed


def test_blind_leaves_others_codings_out_of_the_links_of_my_own_summary(sample, tmp_path):
    from fieldcase.store import cells, sources

    with open_project(sample, user="tester") as project:
        text = sources.get(project, 5)["text"]
        mine = codings.add(project, 5, "governance.participation", *codings.locate_quote(text, "十五个人"))[0]["id"]
        his = codings.add(project, 5, "governance.publicreason", *codings.locate_quote(text, "不是我拍脑袋定的"),
                          coder="li")[0]["id"]
        cells.write(project, "H", "governance", "议事会的摘要", link=[mine, his])
        blinding.set_setting(project, True)
        assert [c["links"] for c in cells.list_all(project)] == [[mine]]
        assert cells.get(project, "H", "governance")["links"] == [mine]
        cells.write(project, "H", "governance", "议事会的摘要（改）")  # writing keeps the hidden link
    listed = run(sample, "summary", "list", "--json")
    assert [r["links"] for r in json.loads(listed.output)] == [[mine]]
    out = tmp_path / "framework.md"
    assert run(sample, "export", "framework", "--format", "md", "--out", str(out), "--no-pseudonyms").exit_code == 0
    assert "十五个人" in out.read_text("utf-8") and "不是我拍脑袋定的" not in out.read_text("utf-8")
    run(sample, "blind", "off")
    with open_project(sample, user="tester") as project:
        assert cells.get(project, "H", "governance")["links"] == sorted([mine, his])
