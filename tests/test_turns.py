"""Speaker turns in the forms transcripts use."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldcase.text.turns import find_turns


def speakers(text: str) -> list[str]:
    return [t.speaker for t in find_turns(text)]


def test_question_answer_full_width():
    text = "问：您为什么回来？\n答：家里老人需要照顾。\n问：后来呢？\n答：办了合作社。"
    assert speakers(text) == ["问", "答", "问", "答"]


def test_interviewer_and_initial_half_and_full_width():
    text = "访谈者：您好。\nH：你好。\n访谈者:您哪年回来的?\nH:2012年。"
    assert speakers(text) == ["访谈者", "H", "访谈者", "H"]


def test_english_labels_and_names():
    text = "Interviewer: Why?\nLi Ling: Because.\nInterviewer: And then?\nLi Ling: A studio.\nQ: ok\nA: yes"
    assert speakers(text) == ["Interviewer", "Li Ling", "Interviewer", "Li Ling", "Q", "A"]


def test_single_letter_initials():
    assert speakers("L: hello\nZ：你好") == ["L", "Z"]


def test_timestamps_before_and_after_label():
    text = "[00:12:30] 问：为什么？\n答 [00:12:41]：因为。\n（00:13:02）访谈者：好。\n00:13:30 H：嗯。"
    turns = find_turns(text)
    assert [t.speaker for t in turns] == ["问", "答", "访谈者", "H"]
    assert [t.timestamp for t in turns] == ["00:12:30", "00:12:41", "00:13:02", "00:13:30"]
    assert text[turns[0].speech : turns[0].end] == "为什么？"


def test_turn_spans_paragraphs_until_next_label():
    text = "访谈者：说说。\nH：第一段。\n\n第二段，还是H说的。\n访谈者：好。"
    turns = find_turns(text)
    assert text[turns[1].start : turns[1].end] == "H：第一段。\n\n第二段，还是H说的。"
    assert text[turns[1].speech : turns[1].end] == "第一段。\n\n第二段，还是H说的。"


def test_metadata_lines_and_one_off_labels_are_not_speakers():
    text = (
        "时间：2023年7月14日\n地点：村委会\n访谈者：您好。\nH：好。\n"
        "他说：你来了。\n说明：以下略。\nNote: audio lost here\nsee http://example.org\n"
        "访谈者：再见。\nH：再见。"
    )
    assert speakers(text) == ["访谈者", "H", "访谈者", "H"]


def test_named_speakers_need_two_lines():
    text = "张大伯：以前穷。\n王阿姨：是啊。\n张大伯：现在好了。\n王阿姨：对。\n结果：大家满意。"
    assert speakers(text) == ["张大伯", "王阿姨", "张大伯", "王阿姨"]


def test_markdown_bold_labels():
    text = "**访谈者**：您好。\n**H：**你好。"
    assert speakers(text) == ["访谈者", "H"]


def test_no_turns_in_prose():
    assert find_turns("村里今天开会，大家讨论了道路硬化的问题。\n会后我们去了竹编车间。") == []


labels = st.sampled_from(["访谈者", "H", "问", "答", "Interviewer", "Li Ling", "Q", "A"])
speech = st.text(alphabet="村民返乡土地流转合作社，。！？ abcxyz\n", min_size=0, max_size=40).map(
    lambda s: s.replace("\n\n\n", "\n")
)


@settings(deadline=None)
@given(st.lists(st.tuples(labels, st.sampled_from(["：", ": ", ":"]), speech), min_size=1, max_size=12))
def test_turns_are_ordered_disjoint_and_start_with_their_label(parts):
    text = "\n".join(f"{label}{colon}{body}" for label, colon, body in parts)
    turns = find_turns(text)
    previous_end = 0
    for turn in turns:
        assert previous_end <= turn.start <= turn.speech <= turn.end <= len(text)
        assert text[turn.start :].startswith(turn.speaker)
        assert text[turn.start : turn.end] == text[turn.start : turn.end].rstrip()
        previous_end = turn.end
    assert len(turns) >= sum(1 for p in parts if p[0] in ("访谈者", "H", "问", "答", "Interviewer", "Q", "A"))


def test_someone_who_answers_once_in_a_group_interview_is_a_speaker():
    text = ("访谈者：您在合作社做会计多久了？\n王会计：三年了。之前在镇上。\n访谈者：那时候工资多少？\n"
            "李主任：我来说吧，大概三千。\n赵大姐：我也是三千。\n访谈者：谢谢各位。")
    turns = find_turns(text)
    assert [t.speaker for t in turns] == ["访谈者", "王会计", "访谈者", "李主任", "赵大姐", "访谈者"]
    assert text[turns[1].speech : turns[1].end] == "三年了。之前在镇上。"


def test_points_inside_speech_are_not_speakers_who_speak_once():
    text = "H：我们开了会。\n结果：大家都同意。\n第一：要修路。\n张三说：好。\nH：后来就修了。"
    assert speakers(text) == ["H", "H"]
    # a lone label with no role beside it is still not a speaker
    assert speakers("王会计：三年了。\n李主任：大概三千。") == []


# Strict detection, for texts imported from another tool (REFI-QDA): a label must recur as a
# turn start consistently; a capitalised word before a colon now and then is no speaker.
_ARTICLE = "\n".join(
    [f"Covid: cases rose again in week {i}." if i % 40 == 0 else f"Line {i} of a long document about vaccines."
     for i in range(400)])


def test_strict_detection_ignores_labels_that_open_few_of_the_lines():
    assert len(find_turns(_ARTICLE)) == 10  # Covid: opens ten lines, enough for a typed transcript
    assert find_turns(_ARTICLE, strict=True) == []


def test_strict_detection_keeps_a_real_interview_and_drops_the_rare_label():
    talk = []
    for i in range(30):
        talk += [f"Interviewer: question {i}?", f"Maria Lopez: answer {i}.", "More of that answer."]
    talk[32] = "Covid: what she called it."
    talk[62] = "Covid: again."
    turns = find_turns("\n".join(talk), strict=True)
    assert {t.speaker for t in turns} == {"Interviewer", "Maria Lopez"}
    assert len(turns) == 60


def test_strict_detection_wants_each_label_twice():
    text = "Q: Where were you born?\nHe said it all began there: in the hills.\nQ: And then?\nA: We moved."
    assert {t.speaker for t in find_turns(text)} == {"Q", "A"}
    assert {t.speaker for t in find_turns(text, strict=True)} == {"Q"}


def test_strict_detection_finds_the_same_turns_in_a_chinese_transcript():
    text = "访谈者：你好。\n张大伯：你好你好。\n访谈者：后来呢？\n张大伯：后来办了合作社。\n访谈者：谢谢。"
    assert find_turns(text, strict=True) == find_turns(text)
