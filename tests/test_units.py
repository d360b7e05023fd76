"""Units a coder selects: sentences, paragraphs and speaker turns, and the fast forms of
them that suggestions use, which must agree with the plain ones everywhere."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldcase.text.turns import find_turns
from fieldcase.text.suggest import Units
from fieldcase.text.units import Sentences, paragraph_span, sentence_span, turn_at, without_label


def spans(text: str) -> list[str]:
    return sorted({text[slice(*sentence_span(text, pos))] for pos in range(len(text))} - {""})


def test_chinese_sentences_keep_their_closing_marks():
    text = "他说：“我回来了。”大家都笑了！真的吗？"
    assert text[slice(*sentence_span(text, 3))] == "他说：“我回来了。”"
    assert text[slice(*sentence_span(text, 10))] == "大家都笑了！"
    assert text[slice(*sentence_span(text, len(text) - 1))] == "真的吗？"


def test_english_full_stops_are_not_decimals_or_abbreviations():
    text = "Mr. Wang paid 3.5 yuan. Then he left... Did he?"
    assert spans(text) == ["Did he?", "Mr. Wang paid 3.5 yuan.", "Then he left..."]


def test_a_sentence_never_crosses_a_line():
    text = "第一行没有句号\n第二行。第三句"
    assert text[slice(*sentence_span(text, 2))] == "第一行没有句号"
    assert text[slice(*sentence_span(text, 9))] == "第二行。"
    assert text[slice(*sentence_span(text, len(text)))] == "第三句"


ALPHABET = "ab乡村 .。！？!?…”」)'\n\u3000"


@settings(max_examples=300)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_the_sentence_index_agrees_with_sentence_span_everywhere(text):
    index = Sentences(text)
    for pos in range(len(text) + 1):
        assert index.span(pos) == sentence_span(text, pos), (text, pos)


def linear_turn_at(turns, pos):
    return next((t for t in turns if t["start"] <= pos < max(t["end"], t["start"] + 1)), None)


def linear_without_label(span, turns):
    start, end = span
    return next(((t["speech"], end) for t in turns if t["start"] <= start < t["speech"] < end), span)


LINES = st.lists(
    st.tuples(st.sampled_from(["访谈者：", "H：", "Q: ", "", "李玲："]), st.text(alphabet="村民回乡。 ab", max_size=12)),
    max_size=8,
)


@settings(max_examples=300)
@given(LINES)
def test_turn_lookups_agree_with_a_scan_of_every_turn(lines):
    text = "\n".join(label + words for label, words in lines)
    turns = [t._asdict() for t in find_turns(text)]
    for pos in range(len(text) + 1):
        assert turn_at(turns, pos) == linear_turn_at(turns, pos)
        for end in (pos + 1, pos + 5, len(text)):
            assert without_label((pos, end), turns) == linear_without_label((pos, end), turns)


def reference_unit(text, turns, pos, unit):
    """What suggestions gather by: the plain lookups, composed as the unit rules say."""
    if unit == "turn":
        turn = linear_turn_at(turns, pos)
        if turn is not None:
            return turn["speech"], turn["end"]
        unit = "paragraph"
    span = sentence_span(text, pos) if unit == "sentence" else paragraph_span(text, pos)
    return linear_without_label(span, turns)


@settings(max_examples=300)
@given(LINES)
def test_suggestion_units_agree_with_the_plain_lookups(lines):
    text = "\n".join(label + words for label, words in lines)
    turns = [t._asdict() for t in find_turns(text)]
    for unit in ("sentence", "turn", "paragraph"):
        finder = Units(text, turns, unit)
        for pos in range(len(text) + 1):
            assert finder.around(pos) == reference_unit(text, turns, pos, unit), (unit, pos)
