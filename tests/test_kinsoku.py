"""Chinese line breaking in the reader: no line starts with closing punctuation or ends
with an opening mark, and no line grows wider than Textual's wrapping allows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual._wrap import compute_wrap_offsets

from fieldcase.tui.kinsoku import NO_LINE_END, NO_LINE_START, kinsoku

HAN = "村民返乡合作社土地流转我们他说"
PIECES = st.lists(
    # words of two or more characters: a break can always be mended by carrying two
    st.tuples(st.sampled_from(["", "“", "（", "「"]), st.text(alphabet=HAN, min_size=2, max_size=6),
              st.sampled_from(["", "。", "，", "！", "？", "”", "）", "」", "、", "。”"])),
    min_size=1, max_size=30,
)


def lines_of(text: str, offsets: list[int]) -> list[str]:
    return [text[a:b] for a, b in zip([0, *offsets], [*offsets, len(text)])]


@settings(max_examples=300)
@given(PIECES, st.integers(min_value=10, max_value=40))
def test_breaks_keep_the_rules_and_the_width(pieces, width):
    text = "".join(a + b + c for a, b, c in pieces)
    offsets = kinsoku(text, compute_wrap_offsets(text, width, 4), width, 4, compute_wrap_offsets)
    lines = lines_of(text, offsets)
    assert "".join(lines) == text and all(lines)
    assert all(cell_len(line) <= width for line in lines)
    for before, line in zip(lines, lines[1:]):
        assert line[0] not in NO_LINE_START, (before, line)
        assert before[-1] not in NO_LINE_END, (before, line)


def test_a_full_stop_goes_to_the_next_line_with_the_character_before_it():
    text = "我们村的返乡青年越来越多。土地流转"
    plain = lines_of(text, compute_wrap_offsets(text, 24, 4))
    assert plain[1].startswith("。")  # Textual alone: a line starting with 。
    fixed = lines_of(text, kinsoku(text, compute_wrap_offsets(text, 24, 4), 24, 4, compute_wrap_offsets))
    assert fixed[0] == "我们村的返乡青年越来越" and fixed[1].startswith("多。")


def test_the_reader_wraps_chinese_by_these_rules():
    from textual.document import _wrapped_document

    import fieldcase.tui.widgets.reader  # noqa: F401 - installs the rules

    text = "我们村的返乡青年越来越多。土地流转"
    offsets = _wrapped_document.compute_wrap_offsets(text, 24, 4)
    assert text[offsets[0]] != "。"
