"""What another person changed in a text, told in the words it touched."""

from __future__ import annotations

from fieldcase.text.changes import changed_places, describe


def test_a_change_is_shown_in_whole_words_with_the_same_context_on_both_sides():
    old = "Interviewer: Thank you for seeing us on a Thursday, I know the weekends are busy."
    new = old.replace("Thursday", "Friday")
    assert changed_places(old, new) == [("on a Thursday, I know", "on a Friday, I know")]


def test_chinese_changes_insertions_and_deletions_keep_to_their_line():
    old = "问：您是哪一年回来的？\n答：我2012年回来的。\n问：后来呢？"
    new = "问：您是哪一年回来的？\n答：我2013年腊月回来的。\n问：后来呢？嗯"
    places = changed_places(old, new)
    assert places == [("答：我2012年回来的。", "答：我2013年腊月回来的。"), ("后来呢？", "后来呢？嗯")]
    assert describe(places, shown=1) == "“答：我2012年回来的。” → “答：我2013年腊月回来的。” (and 1 more place)"
    assert changed_places(old, old) == [] and describe([]) == ""
