"""Coder layers in the workspace: mine, everyone's, two coders compared (the three styles,
the jumps between disagreements, adopting into consensus), and blind coding."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import INTERVIEW_TEXT
from tui_helpers import screen_text, wait_until

from fieldcase.cli import cli
from fieldcase.coding.compare import A_ONLY, B_ONLY, BOTH
from fieldcase.store import blinding, codings, layers
from fieldcase.store.project import open_project
from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.dialogs.layer_picker import LayerPicker
from fieldcase.tui.screens.workspace import WorkspaceScreen
from fieldcase.tui.widgets.details import DetailsPane
from fieldcase.tui.widgets.reader import COMPARE_STYLES, Reader

PUSH, CAPITAL = "talent.motive.push", "talent.resources.capital"
SHARED, MINE_ONLY, HIS_ONLY = "杭州的生意不好做", "父母年纪也大了", "先搞土地流转"


def two_coders(path) -> None:
    """tester and li both code SHARED with push; tester alone codes MINE_ONLY, li alone
    HIS_ONLY, each with capital."""
    with open_project(path, user="tester") as project:
        for coder, code, quote in [("tester", PUSH, SHARED), ("li", PUSH, SHARED),
                                   ("tester", CAPITAL, MINE_ONLY), ("li", CAPITAL, HIS_ONLY)]:
            codings.add(project, 1, code, *codings.locate_quote(INTERVIEW_TEXT, quote), coder=coder)


def span_of(quote: str) -> tuple[int, int]:
    return codings.locate_quote(INTERVIEW_TEXT, quote)


def styles_at(reader: Reader, offset: int) -> list:
    """The styles the reader draws on the character at ``offset``."""
    row, column = reader.location_of(offset)
    line = reader.get_line(row)
    return [span.style for span in line.spans if span.start <= column < span.end]


def details_text(screen) -> str:
    """What the details pane shows, rendered wide (no wrapping)."""
    import io

    from rich.console import Console

    console = Console(width=300, file=io.StringIO(), record=True)
    console.print(screen.query_one(DetailsPane).content)
    return console.export_text()


def count_of(screen: WorkspaceScreen, key: str) -> int:
    return next(row["total_codings"] for row in screen.code_rows if row["key"] == key)


async def started(pilot, app) -> WorkspaceScreen:
    await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.segments)
    await wait_until(pilot, lambda: app.screen._counted)  # the codebook's counts come from a thread
    assert app.screen._counted
    return app.screen


async def choose(pilot, app, moves: list[str]) -> None:
    """Open the layer picker (L) and pick the layer ``moves`` away from the current one."""
    await pilot.press("L")
    await wait_until(pilot, lambda: isinstance(app.screen, LayerPicker))
    assert isinstance(app.screen, LayerPicker)
    await pilot.press(*moves, "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
    await pilot.pause()


async def test_the_layer_picker_switches_between_everyone_mine_and_a_comparison(tui_project):
    two_coders(tui_project)
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await started(pilot, app)
        reader = screen.query_one(Reader)
        his = span_of(HIS_ONLY)[0]
        assert {s["coder"] for s in screen.segments} == {"tester", "li"}
        assert styles_at(reader, his), "everyone's layer draws li's coding"
        assert count_of(screen, PUSH) == 2 and count_of(screen, CAPITAL) == 2
        assert screen.sub_title is None  # the default layer adds nothing to the title

        await choose(pilot, app, ["up"])  # mine
        assert {s["coder"] for s in screen.segments} == {"tester"}
        assert not [s for s in styles_at(reader, his) if s.bgcolor], "li's coding is no longer drawn"
        assert styles_at(reader, span_of(MINE_ONLY)[0])
        assert count_of(screen, PUSH) == 1 and count_of(screen, CAPITAL) == 1
        assert "only tester's codings" in screen_text(app).splitlines()[0]

        await choose(pilot, app, ["down", "down"])  # compare tester with li
        assert screen.coder_layer.coders == ("tester", "li")
        assert count_of(screen, PUSH) == 2
        assert COMPARE_STYLES[BOTH] in styles_at(reader, span_of(SHARED)[0])
        assert COMPARE_STYLES[A_ONLY] in styles_at(reader, span_of(MINE_ONLY)[0])
        assert COMPARE_STYLES[B_ONLY] in styles_at(reader, his)
        assert not [s for s in styles_at(reader, span_of(SHARED)[0] - 3) if s.bgcolor]  # uncoded stays plain
        # the three differ without colour too
        assert COMPARE_STYLES[A_ONLY].underline and COMPARE_STYLES[B_ONLY].reverse
        assert not COMPARE_STYLES[BOTH].underline and not COMPARE_STYLES[BOTH].reverse
        top = screen_text(app).splitlines()[0]
        assert "tester (A) compared with li (B)" in top


async def test_brackets_jump_between_disagreements_in_a_comparison_and_by_sentence_otherwise(tui_project):
    two_coders(tui_project)
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await started(pilot, app)
        reader = screen.query_one(Reader)
        await pilot.press("right_square_bracket")  # everyone's layer: the next sentence
        assert reader.selected_span is None and reader.cursor_offset > 0
        reader.move_cursor((0, 0))

        await choose(pilot, app, ["down"])
        await pilot.press("right_square_bracket")
        assert reader.selected_span == span_of(MINE_ONLY)
        await pilot.pause()
        assert "资本优势: tester only (A)" in details_text(screen)
        await pilot.press("right_square_bracket")
        assert reader.selected_span == span_of(HIS_ONLY)
        await pilot.pause()
        assert "资本优势: li only (B)" in details_text(screen)
        await pilot.press("right_square_bracket")  # none after the last: it stays
        assert reader.selected_span == span_of(HIS_ONLY)
        await pilot.press("left_square_bracket")
        assert reader.selected_span == span_of(MINE_ONLY)
        reader.select_span(*span_of(SHARED))
        await pilot.pause()
        assert "城市推力: both tester and li" in details_text(screen)


async def test_adopting_a_coding_from_the_comparison_copies_it_into_consensus_and_ctrl_z_undoes(tui_project):
    two_coders(tui_project)
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await started(pilot, app)
        await pilot.press("a")  # not in everyone's layer: nothing adopted
        await pilot.pause()
        assert not codings.query(screen.project, coder="consensus")
        await choose(pilot, app, ["down"])
        await pilot.press("right_square_bracket", "right_square_bracket", "a")
        await pilot.pause()
        adopted = codings.query(screen.project, coder="consensus")
        assert [(a["code_key"], a["start"], a["end"]) for a in adopted] == [(CAPITAL, *span_of(HIS_ONLY))]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not codings.query(screen.project, coder="consensus")
        assert len(codings.query(screen.project, coder="li")) == 2  # li's own coding stays


async def test_blind_coding_hides_the_other_coders_codings_and_counts_and_refuses_the_layer_key(tui_project):
    two_coders(tui_project)
    result = CliRunner().invoke(cli, ["blind", "on", "-p", str(tui_project)])
    assert result.exit_code == 0 and "blind coding is on" in result.output
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await started(pilot, app)
        reader = screen.query_one(Reader)
        assert {s["coder"] for s in screen.segments} == {"tester"}
        assert not [s for s in styles_at(reader, span_of(HIS_ONLY)[0]) if s.bgcolor]
        assert count_of(screen, PUSH) == 1 and count_of(screen, CAPITAL) == 1
        assert "BLIND" in screen_text(app).splitlines()[0]
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert any("Blind coding" in str(n.message) for n in app._notifications)
        reader.select_span(*span_of(SHARED))
        await pilot.pause()
        assert "li" not in details_text(screen).split("At the cursor")[1]
    assert "blind coding is off" in CliRunner().invoke(cli, ["blind", "off", "-p", str(tui_project)]).output
    with open_project(tui_project) as project:
        assert not blinding.setting(project)


async def test_open_blind_hides_others_for_the_session_only(tui_project):
    two_coders(tui_project)
    app = FieldcaseApp(tui_project, user="li", blind=True)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await started(pilot, app)
        assert {s["coder"] for s in screen.segments} == {"li"}
        assert "BLIND: only li's codings" in screen_text(app).splitlines()[0]
    with open_project(tui_project) as project:
        assert not blinding.setting(project)


async def test_past_the_last_disagreement_of_a_source_the_brackets_go_on_to_the_next_source_with_one(
        tui_project, tmp_path):
    from conftest import write

    from fieldcase.importers import import_paths

    second = "第二次访谈。我们村里的合作社是前年成立的。其余的事情以后再说。"
    quote = "合作社是前年成立的"
    two_coders(tui_project)
    with open_project(tui_project, user="tester") as project:
        import_paths(project, [write(tmp_path / "empty.txt", "没有人编码的访谈。"),
                               write(tmp_path / "second.txt", second)])
        codings.add(project, 3, CAPITAL, *codings.locate_quote(second, quote), coder="li")
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await started(pilot, app)
        reader = screen.query_one(Reader)
        await choose(pilot, app, ["down"])  # tester compared with li
        reader.select_span(*span_of(HIS_ONLY))
        await pilot.press("right_square_bracket")  # the last in source 1: on past the uncoded source 2
        assert screen.source["id"] == 3 and reader.selected_span == codings.locate_quote(second, quote)
        await pilot.pause()
        assert "资本优势: li only (B)" in details_text(screen)
        await pilot.press("right_square_bracket")  # none after it anywhere: it stays
        assert screen.source["id"] == 3 and reader.selected_span == codings.locate_quote(second, quote)
        await pilot.press("left_square_bracket")  # back to the last one of source 1
        assert screen.source["id"] == 1 and reader.selected_span == span_of(HIS_ONLY)
