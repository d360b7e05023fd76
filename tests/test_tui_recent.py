"""The legend of recent codes: what 1–9 apply, in their colours, fitted to the width."""

from __future__ import annotations

from rich.cells import cell_len
from tui_helpers import screen_text

from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.widgets.recent_codes import RecentLegend, legend_line


def test_nine_long_names_fit_eighty_columns():
    items = [(n, "red", f"一个很长很长的代码名称第{n}号") for n in range(1, 10)]
    line = legend_line(items, 80)
    assert line.cell_len <= 80
    assert all(f" {n} " in line.plain for n in range(1, 10))
    assert cell_len(legend_line(items[:2], 80).plain) < 80 and "第1号" in legend_line(items[:2], 80).plain


async def test_the_legend_names_the_recent_codes_as_they_are_used(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        legend = app.screen.query_one(RecentLegend)
        assert not legend.display  # nothing used yet
        await pilot.press("n", "n", "s", "c", *"land", "enter")
        await pilot.pause()
        await pilot.press("n", "n", "s", "c", *"cstl", "enter")
        await pilot.pause()
        assert legend.display
        last_lines = screen_text(app).splitlines()[-2:]
        assert "1  ■ 城市推力  2  ■ 土地要素" in last_lines[0]  # just above the key bar
        assert "Quit" in last_lines[1]
        await pilot.press("s", "2")  # recent code 2 comes first again
        await pilot.pause()
        assert "1  ■ 土地要素  2  ■ 城市推力" in screen_text(app).splitlines()[-2]
        assert [s["code_key"] for s in app.screen.segments].count("integration.land") == 2
