"""Team work in the workspace: merging a copy (dry run, merge, undo), settling conflicts,
the agreement table and its disagreements, and syncing with a hub on a real PostgreSQL."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from conftest import INTERVIEW_TEXT
from tui_helpers import screen_text, wait_until

from fieldcase.analysis.agreement import Settings, compute
from fieldcase.exchange.merge import merge
from fieldcase.store import codes, codings, sources
from fieldcase.store.merging import all_conflicts, open_conflicts
from fieldcase.store.project import init_project, open_project
from fieldcase.store.texts import replace_text
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.merge import MergeDialog
from fieldcase.tui.dialogs.sync import PasswordDialog, SyncDialog
from fieldcase.tui.screens.agreement import POOLED, AgreementScreen, figure
from fieldcase.tui.screens.conflicts import ConflictsScreen
from fieldcase.tui.widgets.reader import Reader


def make_copies(tmp_path: Path) -> tuple[Path, Path]:
    """A base project with one coded interview, copied for zhao (a) and qian (b)."""
    base = tmp_path / "base.fieldcase"
    with init_project(base, user="lead") as project:
        source = sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
    a, b = tmp_path / "a.fieldcase", tmp_path / "b.fieldcase"
    shutil.copyfile(base, a)
    shutil.copyfile(base, b)
    return a, b


def quotes(path: Path) -> set[str]:
    with open_project(path) as project:
        return {r["quote"] for r in project.query("SELECT quote FROM codings WHERE status = 'active'")}


async def test_merge_dialog_dry_run_then_merge_then_undo(tmp_path):
    a, b = make_copies(tmp_path)
    with open_project(b, user="qian") as project:
        codings.add(project, 1, "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    app = FieldcaseApp(a, user="zhao")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("M")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        await pilot.press(*"nowhere.fieldcase", "enter")
        await pilot.pause()
        assert "no such file" in screen_text(app)
        dialog.query_one("#other").value = str(b)
        await pilot.press("enter")
        await wait_until(pilot, lambda: dialog.report is not None)
        assert dialog.report.dry_run and dialog.report.added.get("codings") == 1
        assert "Dry run" in screen_text(app) and "added: codings 1" in screen_text(app)
        assert quotes(a) == {"土地流转"}  # a dry run changes nothing
        await pilot.press("enter")
        await wait_until(pilot, lambda: not dialog.report.dry_run)
        assert dialog.report.backup and Path(dialog.report.backup).exists()
        assert quotes(a) == {"土地流转", "父母年纪也大了"}
        assert "Merged b.fieldcase" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # the workspace shows the merged coding: its reader holds both codings
        reader = app.screen.query_one(Reader)
        await wait_until(pilot, lambda: len(app.screen.segments) == 2)
        assert {s["text"] for s in app.screen.segments} == {"土地流转", "父母年纪也大了"}
        assert reader.has_focus
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert quotes(a) == {"土地流转"}
        await wait_until(pilot, lambda: len(app.screen.segments) == 1)
        assert len(app.screen.segments) == 1


def conflicting(tmp_path: Path) -> Path:
    """Copy a with a name conflict and a text conflict against copy b, merged into a."""
    a, b = make_copies(tmp_path)
    for path, user, name, lead in ((a, "zhao", "人才甲", "甲说明。"), (b, "qian", "人才乙", "乙说明。")):
        with open_project(path, user=user) as project:
            codes.update(project, "talent", {"name_zh": name})
            replace_text(project, 1, lead + INTERVIEW_TEXT)
    with open_project(a, user="zhao") as project:
        report = merge(project, b)
    assert {c["field"] for c in report.conflicts} == {"name_zh", "text_sha256"}, report.conflicts
    return a


async def test_conflicts_screen_takes_theirs_for_a_name_and_a_text(tmp_path):
    a = conflicting(tmp_path)
    app = FieldcaseApp(a, user="zhao")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        text = screen_text(app)
        assert "2 open conflicts" in text and "人才甲" in text and "人才乙" in text
        assert "▸人才甲" in text and "▸人才乙" not in text  # the side in place (a merge keeps mine) is marked
        fields = [r["field"] for r in screen.rows]
        # the text conflict first: its difference shows under the table
        await pilot.press(*["down"] * fields.index("text_sha256"))
        await pilot.pause()
        text = screen_text(app)
        assert "-甲说明。" in text and "+乙说明。" in text
        await pilot.press("t")
        await pilot.pause()
        with open_project(a) as project:
            assert sources.get(project, 1)["text"].startswith("乙说明。")
        await pilot.press("home")
        await wait_until(pilot, lambda: len(screen.rows) == 1)
        assert screen.rows[0]["field"] == "name_zh"
        await pilot.pause()
        assert "code talent, name_zh" in screen_text(app)  # what it is about, in full under the table
        await pilot.press("t")
        await pilot.pause()
        with open_project(a) as project:
            assert codes.find(project, "talent")["name_zh"] == "人才乙"
            assert not open_conflicts(project)
        assert "No open conflicts" in screen_text(app)
        await pilot.press("a")  # settled ones too
        await pilot.pause()
        assert [r["status"] for r in screen.rows] == ["theirs", "theirs"]
        await pilot.press("ctrl+z")  # undo the last settling: the name is mine again, its conflict open
        await pilot.pause()
        with open_project(a) as project:
            assert codes.find(project, "talent")["name_zh"] == "人才甲"
            assert [c["field"] for c in open_conflicts(project)] == ["name_zh"]
            assert len(all_conflicts(project)) == 2
        assert sorted(r["status"] for r in screen.rows) == ["open", "theirs"]


def two_coders(tmp_path: Path) -> Path:
    """One interview coded by zhao and by qian, agreeing on one sentence and not on others."""
    path = tmp_path / "team.fieldcase"
    with init_project(path, user="lead") as project:
        sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
    for user, quotes_ in (("zhao", ["土地流转", "父母年纪也大了", "合作社"]), ("qian", ["土地流转", "回来以后做了什么"])):
        with open_project(path, user=user) as project:
            for quote in quotes_:
                codings.add(project, 1, "land", *codings.locate_quote(INTERVIEW_TEXT, quote))
            codings.add(project, 1, "talent", *codings.locate_quote(INTERVIEW_TEXT, "杭州的生意不好做"))
    return path


async def test_agreement_table_matches_the_analysis_and_drills_down_to_the_reader(tmp_path):
    path = two_coders(tmp_path)
    with open_project(path) as project:
        expected = compute(project, Settings(("zhao", "qian")))
    app = FieldcaseApp(path, user="zhao")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        await wait_until(pilot, lambda: screen.result is not None)
        table = screen.query_one("#figures")
        shown = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        land = next(key for key, _ in expected.codes if key.endswith("land"))
        assert set(shown) == {key for key, _ in expected.codes} | {POOLED} and len(shown) == 3
        for key, t in [*expected.codes, (POOLED, expected.overall)]:
            f = t.figures()
            assert list(shown[key][1:]) == [figure(f["agreement"]), figure(f["kappa"]), figure(f["alpha"]),
                                            str(f["both"]), str(f["a_only"]), str(f["b_only"]), str(f["units"])]
        assert shown[land][1] != "1.000"  # they do disagree on land
        rows = [table.get_row_at(i)[0] for i in range(table.row_count)]
        await pilot.press(*["down"] * rows.index(land), "enter")
        await pilot.pause()
        differ = screen.query_one("#differ")
        wanted = [d for d in expected.disagreements if d["code"] == land]
        assert differ.row_count == len(wanted) == 2
        text = screen_text(app)
        assert [differ.get_row_at(i)[1] for i in range(2)] == [d["coder"] for d in wanted]
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen.query_one(Reader)
        assert reader.selected_span == (wanted[0]["start"], wanted[0]["end"])


async def test_agreement_by_another_unit_follows_the_choice(tmp_path):
    path = two_coders(tmp_path)
    with open_project(path) as project:
        expected = compute(project, Settings(("zhao", "qian"), unit="paragraph"))
    app = FieldcaseApp(path, user="zhao")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        screen = app.screen
        await wait_until(pilot, lambda: screen.result is not None)
        screen.query_one("#unit").value = "paragraph"
        await wait_until(pilot, lambda: screen.result.settings.unit == "paragraph")
        table = screen.query_one("#figures")
        pooled = table.get_row_at(table.row_count - 1)
        assert pooled[0] == POOLED and pooled[-1] == str(expected.overall.figures()["units"])


async def test_sync_from_the_workspace_pulls_a_colleagues_coding(pg_db, tmp_path):
    from fieldcase.exchange.hub import clone, connect_project, sync_project
    from fieldcase.hubstore.schema import init_hub

    init_hub(pg_db.url)
    lead = tmp_path / "lead.fieldcase"
    with init_project(lead, user="lead") as project:
        source = sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        codings.add(project, source, "land", *codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
        connect_project(project, pg_db.url)
        sync_project(project)
    member, _ = clone(pg_db.url, tmp_path / "member.fieldcase", "zhao")
    codings.add(member, sources.all_ids(member)[0], "talent", *codings.locate_quote(INTERVIEW_TEXT, "父母年纪也大了"))
    sync_project(member)
    member.close()
    with open_project(lead, user="lead") as project:  # work not yet pushed
        codings.add(project, 1, "land", *codings.locate_quote(INTERVIEW_TEXT, "合作社"))
    app = FieldcaseApp(lead, user="lead")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await wait_until(pilot, lambda: "hub:" in screen_text(app))
        assert "1 to push" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SyncDialog)
        await wait_until(pilot, lambda: not dialog.running)
        text = screen_text(app)
        assert "pulling the team's work…" in text and "merging it into yours…" in text
        assert "pushing yours…" in text and "pushed 2 changes of yours" in text, text  # the coding and the merge of the pull
        assert dialog.report.pulled.added.get("codings") == 1
        await pilot.press("escape")
        await pilot.pause()
        await wait_until(pilot, lambda: len(app.screen.segments) == 3)
        assert {s["text"] for s in app.screen.segments} == {"土地流转", "合作社", "父母年纪也大了"}
        assert "all pushed" in screen_text(app)
        assert app.screen.query_one(Reader).has_focus


async def test_the_title_says_offline_when_the_hub_cannot_be_reached(tmp_path):
    from fieldcase.store import hub_link

    path = tmp_path / "p.fieldcase"
    with init_project(path, user="lead") as project:
        hub_link.set_hub_url(project, "postgresql://127.0.0.1:9/nohub?connect_timeout=2")
    app = FieldcaseApp(path, user="lead")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SyncDialog) and not app.screen.running)
        assert "error:" in screen_text(app) and "Nothing is lost" in screen_text(app)  # and what to do
        # a hub that wants a password none of libpq's places holds: the worker asks in a dialog
        dialog, answers = app.screen, []
        asking = threading.Thread(target=lambda: answers.append(dialog.ask_password("Password for the hub at x: ")))
        asking.start()
        await wait_until(pilot, lambda: isinstance(app.screen, PasswordDialog))
        assert app.screen.query_one(Input).password
        await pilot.press(*"s3cret", "enter")
        await wait_until(pilot, lambda: not asking.is_alive())
        assert answers == ["s3cret"] and app.screen is dialog and "s3cret" not in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "offline" in screen_text(app))
        assert "hub: 127.0.0.1:9/nohub · offline" in screen_text(app)
    async with FieldcaseApp(path, user="lead").run_test(size=(80, 24)) as pilot:  # narrow: the state still shows
        await pilot.pause()
        await wait_until(pilot, lambda: "offline" in screen_text(pilot.app))
        assert "p.fieldcase · hub: 127.0.0.1:9/nohub · offline" in screen_text(pilot.app)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_a_title_too_short_for_the_hub_cuts_its_name_never_what_waits(tmp_path, size):
    """A long hub name gives way in the title: the open conflicts and changes to push show."""
    from fieldcase.store import hub_link

    a = conflicting(tmp_path)  # two open conflicts
    database = "team_hub_of_the_rural_revitalisation_study_2024_" + "x" * 40
    with open_project(a, user="zhao") as project:
        hub_link.set_hub_url(project, f"postgresql://zhao@hub.sociology.example.edu:5433/{database}")
        waiting = hub_link.last_sync(project)["to_push"]
    app = FieldcaseApp(a, user="zhao")
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: "2 conflicts" in app.sub_title)
        assert app.sub_title.endswith(f"· {waiting} to push · 2 conflicts"), app.sub_title
        assert "2 conflicts" in screen_text(app).splitlines()[0]
        assert "…" in app.sub_title and database not in app.sub_title


@pytest.mark.parametrize("key", ["M", "C", "A"])
async def test_each_team_screen_is_in_the_command_palette(tui_project, key):
    app = FieldcaseApp(tui_project, user="tester")
    names = {"M": "Merge another copy", "C": "Conflicts", "A": "Agreement"}
    kinds = {"M": MergeDialog, "C": ConflictsScreen, "A": AgreementScreen}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*names[key])
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, kinds[key]))
        assert isinstance(app.screen, kinds[key])


async def test_the_title_counts_a_coding_made_here_as_one_more_to_push(tmp_path):
    """The title's `N to push` follows work done in the workspace, not only syncs."""
    from fieldcase.store import hub_link

    path = tmp_path / "p.fieldcase"
    with init_project(path, user="lead") as project:
        sources.add(project, {"title": "刘霞访谈", "text": INTERVIEW_TEXT, "kind": "interview"})
        codes.add(project, key="land", name="土地")
        hub_link.set_hub_url(project, "postgresql://127.0.0.1:9/nohub?connect_timeout=2")
        waiting = hub_link.last_sync(project)["to_push"]
    app = FieldcaseApp(path, user="lead")
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_until(pilot, lambda: f"{waiting} to push" in screen_text(app))
        assert f"{waiting} to push" in screen_text(app)
        workspace = app.screen
        await wait_until(pilot, lambda: workspace.source is not None)  # the workspace opens it
        reader = workspace.query_one(Reader)
        reader.focus()
        reader.select_span(*codings.locate_quote(INTERVIEW_TEXT, "土地流转"))
        await pilot.press("c")
        await wait_until(pilot, lambda: app.screen is not workspace)
        await pilot.press(*"land")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(workspace.segments) == 1)
        assert len(workspace.segments) == 1
        await wait_until(pilot, lambda: f"{waiting + 1} to push" in screen_text(app))
        assert f"{waiting + 1} to push" in screen_text(app)
