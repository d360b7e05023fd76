"""Close names for a typo, before a new case or site is made of it."""

from __future__ import annotations

import pytest

from fieldcase.text.names import close_names, unknown

KNOWN = ["张大伯 household", "H", "X village committee", "李玲", "周科长", "刘霞", "夏木竹编合作社",
         "王阿姨 household", "Li Ling", "张三"]


@pytest.mark.parametrize("typed, first", [
    ("张大伯 househld", "张大伯 household"), ("张大伯户", "张大伯 household"), ("李岭", "李玲"),
    ("周科", "周科长"), ("x villge Committee", "X village committee"), ("王阿姨", "王阿姨 household"),
    ("Li Lin", "Li Ling"), ("夏木竹编社", "夏木竹编合作社"), ("刘夏", "刘霞"),
])
def test_a_typo_is_offered_the_name_it_missed_first(typed, first):
    assert close_names(typed, KNOWN)[0] == first


@pytest.mark.parametrize("typed", ["G", "新农人", "Wang"])
def test_a_new_name_is_offered_nothing(typed):
    assert close_names(typed, KNOWN) == []


def test_unknown_names_ignore_case_and_repeats():
    assert unknown(["h", "张大伯户", "H", "张大伯户", "新农人"], KNOWN) == ["张大伯户", "新农人"]
