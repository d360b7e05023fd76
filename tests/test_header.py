"""The metadata header at the top of imported files."""

from __future__ import annotations

import pytest

from fieldcase.errors import InputError
from fieldcase.importers.header import split_header


def test_all_keys_and_body():
    text = (
        "---\ntitle: H访谈\nsite: X village\ncases: H, 张大伯、王阿姨\nkind: interview\n"
        "date: 2023-07-14\ninterviewer: 赵\nplace: 村委会\nlanguage: zh\nconsent: written\n---\n\n访谈者：您好。"
    )
    header, body = split_header(text)
    assert header.meta == {
        "title": "H访谈",
        "site": "X village",
        "cases": ["H", "张大伯", "王阿姨"],
        "kind": "interview",
        "date": "2023-07-14",
        "interviewer": "赵",
        "place": "村委会",
        "language": "zh",
        "consent": "written",
    }
    assert body == "访谈者：您好。"


def test_chinese_keys_yaml_lists_and_extra_keys():
    text = "---\n标题：刘霞访谈\n村：Xiamu Village\n案例:\n  - 刘霞\n  - 竹编合作社\nage: 33\n---\n正文"
    header, body = split_header(text)
    assert header.meta == {"title": "刘霞访谈", "site": "Xiamu Village", "cases": ["刘霞", "竹编合作社"]}
    assert header.extra == {"age": "33"}
    assert body == "正文"


def test_bracket_list_and_quotes():
    header, _ = split_header('---\ncase: ["H", "张大伯"]\ntitle: "Quoted: title"\n---\nx')
    assert header.meta == {"cases": ["H", "张大伯"], "title": "Quoted: title"}


def test_no_header_or_a_horizontal_rule_is_left_alone():
    assert split_header("访谈者：你好")[1] == "访谈者：你好"
    rule = "---\n这是一段文字。\n\n---\n后文"
    header, body = split_header(rule)
    assert header.meta == {} and body == rule


def test_malformed_header_line_is_an_error():
    with pytest.raises(InputError, match="metadata header line 3"):
        split_header("---\ntitle: x\nthis line has no colon\n---\nbody")


@pytest.mark.parametrize(("text", "expected"), [
    ("村支书访谈\n时间：2025年7月12日\n地点：X村村委会会议室\n问：您好。", "X村村委会会议室"),
    ("访谈地点: 刘霞家堂屋。\n问：您好。", "刘霞家堂屋"),
    ("Interview with Li\nPlace: the co-op's workshop\nQ: Hello.", "the co-op's workshop"),
    ("问：您好。\n答：地点：不在这里说。", None),  # a turn, not a place line
    ("\n".join(f"问：第{i}个问题。" for i in range(10)) + "\n地点：村口", None),  # too late to be a heading
])
def test_a_place_line_in_the_first_lines_is_the_place(text, expected):
    from fieldcase.importers.header import place_in_first_lines

    assert place_in_first_lines(text) == expected
