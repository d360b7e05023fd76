"""Keyword-in-context lines cut to terminal cells: the hit in the middle, whatever the width."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from fieldcase.tui.cells import centred, clip, head, tail

TEXT = st.text(alphabet=st.sampled_from("ab c返乡土地流转。，“”Ｚ😀"), max_size=60)


@given(TEXT, TEXT.filter(bool), TEXT, st.integers(min_value=1, max_value=120))
def test_the_hit_sits_in_the_middle_with_its_own_context(left, match, right, width):
    line = centred(left, match, right, width)
    assert line.cell_len <= width
    hit = next(span for span in line.spans if span.style == "bold reverse")
    shown = line.plain[hit.start : hit.end]
    before, after = line.plain[: hit.start].lstrip(" "), line.plain[hit.end :]
    assert left.endswith(before) and right.startswith(after)
    side = min(4, max(0, (width - 3) // 4))
    if cell_len(match) <= width - 2 * side:
        assert shown == match
        assert cell_len(line.plain[: hit.start]) == (width - cell_len(match)) // 2  # hits line up
    else:  # a long hit keeps its start and its end, cut in the middle
        first, _, last = shown.partition("…")
        assert match.startswith(first) and match.endswith(last)
        assert first or width < 6 or cell_len(match[0]) > 1


def test_wide_characters_are_counted_as_two_cells():
    # 6 cells of context, 3 a side: one wide character fits each, a space keeps the hit in place
    assert centred("前面的上下文", "返乡", "后面的上下文", 10).plain == " 文返乡后"
    assert centred("ab前面", "返乡", "后面cd", 12).plain == "前面返乡后面"
    assert head("返乡ab", 3) == "返" and tail("ab返乡", 3) == "乡" and clip("返乡土地", 5) == "返乡…"


@given(TEXT, TEXT.filter(bool), TEXT, st.integers(min_value=12, max_value=120))
def test_unaligned_the_short_side_leaves_its_room_to_the_other(left, match, right, width):
    line = centred(left, match, right, width, align=False)
    assert line.cell_len <= width
    if cell_len(left + match + right) <= width:
        assert line.plain == left + match + right  # all of it, from its start
    elif cell_len(match) <= width - 8:
        assert match in line.plain and (left + match + right).find(line.plain) >= 0  # one window, no padding
        assert line.cell_len >= width - 1  # a wide character may leave one cell
