"""The legend of recent codes: what 1–9 apply, in their colours, fitted to the width."""

from __future__ import annotations

from rich.cells import cell_len
from tui_helpers import screen_text

from fieldcase.tui.app import FieldcaseApp
from fieldcase.tui.widgets.recent_codes import RecentCodes, RecentLegend, legend_line


def test_nine_long_names_fit_eighty_columns():
    items = [(n, "red", f"一个很长很长的代码名称第{n}号") for n in range(1, 10)]
    line = legend_line(items, 80)
    assert line.cell_len <= 80
    assert all(f"{n}■一个" in line.plain for n in range(1, 10))  # all nine, each name still readable
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
        assert "1■土地要素 2■城市推力" in last_lines[0]  # just above the key bar, in number order
        assert "Quit" in last_lines[1]
        await pilot.press("s", "1")  # using a code keeps the numbers where they are
        await pilot.pause()
        assert "1■土地要素 2■城市推力" in screen_text(app).splitlines()[-2]
        assert [s["code_key"] for s in app.screen.segments].count("integration.land") == 2


def test_when_names_would_be_unreadable_the_last_numbers_give_way():
    items = [(n, "red", f"一个很长很长的代码名称第{n}号") for n in range(1, 10)]
    line = legend_line(items, 40).plain
    assert line.startswith("1■一个") and line.rstrip().endswith(("+5", "+6", "+4")) and cell_len(line) <= 40


def test_a_code_keeps_its_number_and_a_new_one_takes_the_least_recently_used_number():
    recent = RecentCodes()
    assert [recent.use(code) for code in range(101, 110)] == list(range(1, 10))
    recent.use(103)  # used again: still 3
    assert recent.get(3) == 103
    assert recent.use(200) == 1  # the tenth code: 101 was used least recently
    assert recent.use(201) == 2  # then 102 (103 was used since)
    assert [recent.get(n) for n in range(1, 5)] == [200, 201, 103, 104]
    recent.keep({201, 103, 104})  # codes deleted: their numbers are free for the next new one
    assert recent.get(1) is None and recent.use(300) == 1 and recent.get(2) == 201


async def test_pressing_a_number_twice_applies_the_same_code_twice(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "s", "c", *"land", "enter")
        await pilot.pause()
        await pilot.press("n", "n", "s", "c", *"cstl", "enter")
        await pilot.pause()
        await pilot.press("s", "1")  # 1 was 土地要素 and stays it
        await pilot.pause()
        await pilot.press("]", "s", "1")  # the next sentence: 1 again, 土地要素 again
        await pilot.pause()
        keys = [s["code_key"] for s in app.screen.segments]
        assert keys.count("integration.land") == 3 and keys.count("talent.motive.push") == 1


async def test_a_suggestion_accepted_in_f9_becomes_a_recent_code(tui_project):
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await app.workers.wait_for_complete()
        await pilot.pause()
        accepted = app.screen.rows[0]
        await pilot.press("a", "escape")
        await pilot.pause()
        workspace = app.screen
        assert workspace.recent.get(1) == accepted["code_id"]
        assert f"1■{accepted['code_name_zh']}" in screen_text(app).splitlines()[-2]
        await pilot.press("n", "n", "s", "1")
        await pilot.pause()
        assert [s["code_key"] for s in workspace.segments].count(accepted["code_key"]) == 2


async def test_the_code_pickers_pinyin_is_made_before_the_first_key(tui_project):
    from tui_helpers import wait_until

    from fieldcase.coding.ranking import pinyin_forms
    from fieldcase.store import codes
    from fieldcase.store.project import open_project

    with open_project(tui_project) as project:
        names = {row["name_zh"] for row in codes.tree(project, counts=False) if row.get("name_zh")}
    pinyin_forms.cache_clear()
    app = FieldcaseApp(tui_project, user="coder1")
    async with app.run_test(size=(140, 40)) as pilot:
        # the workspace's warm-up thread, half a second after the first frame (cstl → 城市推力 at once)
        await wait_until(pilot, lambda: pinyin_forms.cache_info().currsize >= len(names))
        assert pinyin_forms.cache_info().currsize >= len(names) > 20
        from fieldcase.tui.dialogs.code_picker import CodePicker

        await pilot.press("s", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, CodePicker))
        hits = pinyin_forms.cache_info().hits
        await pilot.press(*"cstl")
        await pilot.pause()
        assert pinyin_forms.cache_info().hits > hits  # the picker used what was made
        assert "城市推力" in str(app.screen.query_one("OptionList").get_option_at_index(0).prompt)
