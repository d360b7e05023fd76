"""The three-way text merge: both sides' edits of the shared text kept when they touch
different characters, checked against a plain reference that compares every pair."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fieldcase.text.merge3 import _clash, edits, merge3

BASE = "那时候杭州的生意不好做，父母年纪也大了。先搞土地流转，后来办了合作社。"


def test_corrections_in_different_places_are_both_kept_whichever_side_is_mine():
    mine, theirs = BASE.replace("杭州", "温州"), BASE.replace("合作社", "合作组")
    both = BASE.replace("杭州", "温州").replace("合作社", "合作组")
    assert merge3(BASE, mine, theirs) == merge3(BASE, theirs, mine) == both


def test_edits_that_meet_are_a_conflict():
    assert merge3(BASE, BASE.replace("杭州", "温州"), BASE.replace("杭州", "苏州")) is None
    assert merge3(BASE, "甲" + BASE, "乙" + BASE) is None  # two insertions at one place: no order to guess
    assert merge3(BASE, BASE.replace("杭州的", ""), BASE.replace("杭州", "杭洲")) is None


def test_the_same_edit_on_both_sides_counts_once_and_one_sided_edits_are_taken():
    fixed = BASE.replace("土地", "田地")
    assert merge3(BASE, fixed, fixed) == fixed
    assert merge3(BASE, BASE, fixed) == merge3(BASE, fixed, BASE) == fixed


def test_character_edits_put_back_the_text():
    text = BASE.replace("父母", "父亲母亲").replace("。先", "，先")
    out, at = [], 0
    for start, end, put in edits(BASE, text):
        out += [BASE[at:start], put]
        at = end
    assert "".join(out) + BASE[at:] == text


def _reference(base: str, mine: str, theirs: str) -> str | None:
    ours, others = edits(base, mine), edits(base, theirs)
    alike = set(ours) & set(others)
    tagged = ([(e, 0) for e in ours if e not in alike] + [(e, 1) for e in others if e not in alike]
              + [(e, 2) for e in alike])
    if any(s != u and _clash(x, y) for x, s in tagged for y, u in tagged):
        return None
    out, at = [], 0
    for start, end, put in sorted(e for e, _ in tagged):
        out += [base[at:start], put]
        at = end
    return "".join(out) + base[at:]


def _changed(base: str, cuts: list[tuple[int, int, str]]) -> str:
    text = list(base)
    for at, kind, ch in cuts:
        at = min(at, len(text))
        if kind == 0 and at < len(text):
            text[at] = ch
        elif kind == 1:
            text.insert(at, ch)
        elif at < len(text):
            del text[at]
    return "".join(text)


cuts = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2), st.sampled_from("土地村甲")), max_size=3)


@given(st.text("土地村民合", max_size=12), cuts, cuts)
def test_the_merge_agrees_with_the_reference_and_does_not_depend_on_the_order(base, a, b):
    mine, theirs = _changed(base, a), _changed(base, b)
    merged = merge3(base, mine, theirs)
    assert merged == _reference(base, mine, theirs) == merge3(base, theirs, mine)
    if mine == base:
        assert merged == theirs
