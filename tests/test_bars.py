"""The one-line title and key bars: what they show follows focus, keymaps and screens,
and clicking them does what clicking Textual's header and footer does."""

from __future__ import annotations

from textual.command import CommandPalette

from fieldcase.tui.app import FieldcaseApp, keymap_path
from fieldcase.tui.screens.search import SearchScreen
from fieldcase.tui.screens.sites_cases import SitesCasesScreen
from fieldcase.tui.widgets.bars import KeyBar, TitleBar


def with_keymap(project, text: str) -> FieldcaseApp:
    """The app on ``project`` with ``text`` as the user's keymap file."""
    keymap_path().parent.mkdir(parents=True, exist_ok=True)
    keymap_path().write_text(text, encoding="utf-8")
    return FieldcaseApp(project, user="tester")


def shown(app) -> list[str]:
    bar = app.screen.query_one(KeyBar)
    bar.render()
    return [spot.item.description for spot in bar.spots]


async def test_key_bar_follows_focus(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        in_reader = shown(app)
        assert in_reader[:4] == ["Word", "Sentence", "Turn", "Paragraph"]
        assert {"Code", "Search", "Suggestions", "Quit", "Help"} <= set(in_reader)
        assert in_reader[-1] == "palette"
        await pilot.press("f2")  # the navigator: the reader's selection keys leave the bar
        await pilot.pause()
        in_navigator = shown(app)
        assert "Word" not in in_navigator and "Search" in in_navigator
        bar = app.screen.query_one(KeyBar)
        assert bar.spots[-1].end == bar.size.width  # the palette key sits at the right edge


async def test_key_bar_shows_remapped_keys(tui_project):
    app = with_keymap(tui_project, 'search = "f12"\n')
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        text = bar.render().plain
        search = next(s for s in bar.spots if s.item.description == "Search")
        assert search.item.display == "f12"
        assert text[search.start:search.end] == " f12 Search "


async def test_key_bar_keeps_whole_keys_on_a_narrow_terminal(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        text = bar.render().plain
        assert len(text) == 60
        spots = bar.spots
        assert spots[0].item.description == "Word" and spots[-1].item.description == "palette"
        assert {"Help", "Quit"} <= {s.item.description for s in spots}  # the app's own keys stay
        assert all(a.end <= b.start for a, b in zip(spots, spots[1:]))
        assert all(text[s.start:s.end].strip().endswith(s.item.description) for s in spots)


async def test_clicking_a_key_presses_it(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        bar.render()
        search = next(s for s in bar.spots if s.item.description == "Search")
        await pilot.click(KeyBar, offset=(search.start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_title_bar_follows_the_screen_and_its_icon_opens_the_palette(tui_project):
    app = FieldcaseApp(tui_project, user="tester")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(TitleBar).render().plain
        assert line.startswith(" ⭘ ") and "fieldcase — " in line and "tui.fieldcase" in line
        assert len(line) == 140
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SitesCasesScreen)
        assert "Sites and cases" in app.screen.query_one(TitleBar).render().plain
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_a_remapped_key_the_reader_also_uses_is_reported(tui_project):
    app = with_keymap(tui_project, 'search = "f6"\nreview-suggestions = "f12"\n')
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        warnings = [n.message for n in app._notifications]
    assert len(warnings) == 1
    assert "keymap.toml: f6 for search is also the reader's key for" in warnings[0]
