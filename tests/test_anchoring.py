"""Re-anchoring codings across text edits, tested with random inserts and deletions."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fieldcase.coding.anchoring import reanchor

POOL = [chr(c) for c in range(0x4E00, 0x4E00 + 4000)]


@st.composite
def unique_case(draw):
    """A text of distinct characters, spans in it, and a list of edits with fresh characters."""
    n = draw(st.integers(1, 60))
    old = POOL[:n]
    spans = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda t: t[0] < t[1]), max_size=8)
    )
    edits = draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("insert"), st.integers(0, 200), st.integers(1, 5)),
                st.tuples(st.just("delete"), st.integers(0, 200), st.integers(1, 8)),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return old, spans, edits


def apply_edits(old: list[str], edits, fresh_start: int = 2000):
    """Apply edits; returns the new characters and each old index's new position (or None)."""
    chars = [(ch, i) for i, ch in enumerate(old)]
    fresh = fresh_start
    for op, at, size in edits:
        at = at % (len(chars) + 1)
        if op == "insert":
            chars[at:at] = [(POOL[fresh + k], None) for k in range(size)]
            fresh += size
        else:
            del chars[at : at + size]
    position = {origin: j for j, (_, origin) in enumerate(chars) if origin is not None}
    return "".join(ch for ch, _ in chars), position


@settings(deadline=None)
@given(unique_case())
def test_spans_keep_exactly_their_surviving_words(case):
    old, spans, edits = case
    new, position = apply_edits(old, edits)
    anchors = reanchor("".join(old), new, spans)
    for (start, end), anchor in zip(spans, anchors):
        survivors = [position[i] for i in range(start, end) if i in position]
        if not survivors:
            assert anchor.status == "orphaned"
            assert anchor.start == anchor.end and 0 <= anchor.start <= len(new)
            continue
        assert (anchor.start, anchor.end) == (min(survivors), max(survivors) + 1)
        quote = "".join(old[start:end])
        if new[anchor.start : anchor.end] == quote:
            assert anchor.status in ("same", "moved")
        else:
            assert anchor.status == "changed"


repetitive = st.text(alphabet="村民返乡村民", min_size=1, max_size=40)


@settings(deadline=None)
@given(repetitive, st.data())
def test_an_edit_outside_a_span_never_changes_its_words(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    before = data.draw(st.booleans())
    if before:
        cut_at = data.draw(st.integers(0, start))
        cut_end = data.draw(st.integers(cut_at, start))
    else:
        cut_at = data.draw(st.integers(end, len(text)))
        cut_end = data.draw(st.integers(cut_at, len(text)))
    insert = data.draw(st.text(alphabet="村民返乡振兴", max_size=6))
    assume(cut_end > cut_at or insert)
    new = text[:cut_at] + insert + text[cut_end:]
    (anchor,) = reanchor(text, new, [(start, end)])
    assert anchor.status in ("same", "moved")
    assert new[anchor.start : anchor.end] == text[start:end]


@settings(deadline=None)
@given(repetitive, st.data())
def test_active_spans_are_in_bounds_and_orphans_lost_all_words(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    cut_at = data.draw(st.integers(0, len(text)))
    cut_end = data.draw(st.integers(cut_at, len(text)))
    insert = data.draw(st.text(alphabet="村民返乡振兴", max_size=6))
    new = text[:cut_at] + insert + text[cut_end:]
    (anchor,) = reanchor(text, new, [(start, end)])
    assert 0 <= anchor.start <= anchor.end <= len(new)
    if anchor.status == "orphaned":
        # Only possible if the edit removed at least as many characters as the span had.
        assert cut_end - cut_at >= 1
    else:
        assert anchor.start < anchor.end


def test_whole_span_deleted_is_orphaned_not_moved():
    old = "他说：土地流转很重要。土地流转要规范。"
    new = "他说：很重要。土地流转要规范。"
    (anchor,) = reanchor(old, new, [(3, 7)])
    assert anchor.status == "orphaned"


def test_edit_inside_span_changes_it_in_place():
    old = "返乡以后办了合作社，村民都来入股。"
    new = "返乡以后很快办了合作社，村民都来入股。"
    (anchor,) = reanchor(old, new, [(0, 9)])
    assert anchor.status == "changed"
    assert new[anchor.start : anchor.end] == "返乡以后很快办了合作社"


def test_large_text_with_scattered_edits():
    old = "".join(f"访谈者：第{i}个问题？\nH：回答{i}，关于土地流转和合作社。\n" for i in range(1500))
    new = old.replace("第700个问题", "第七百个问题").replace("回答10，", "")
    spans = [(old.index(f"回答{i}，"), old.index(f"回答{i}，") + len(f"回答{i}，关于")) for i in (5, 10, 1400)]
    anchors = reanchor(old, new, spans)
    assert new[anchors[0].start : anchors[0].end] == "回答5，关于"
    assert anchors[1].status == "changed" and new[anchors[1].start : anchors[1].end] == "关于"
    assert new[anchors[2].start : anchors[2].end] == "回答1400，关于" and anchors[2].status == "moved"
