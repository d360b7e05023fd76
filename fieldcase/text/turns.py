"""Recognising speaker turns in interview transcripts.

A turn starts on a line that begins with a speaker label and a colon (full-width
or half-width), optionally with a timestamp such as ``[00:12:30]`` before or after
the label: ``访谈者：``, ``问：``/``答：``, ``H：``, ``张大伯：``, ``Q:``/``A:``,
``Interviewer:``, ``Li Ling:``. It runs to the start of the next turn. Role words are
always speakers; any other label must open at least two lines, or stand next to the turn
of such a speaker (one answer in a group interview), so that a lone ``时间：`` or ``Note:``
line is not mistaken for a speaker; words that open a point (第一：, 结果：) never are.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

_SP = r"[ \t\u3000]"
_TS = (
    r"(?:[\[【(（]" + _SP + r"*\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?" + _SP + r"*[\]】)）]"
    r"|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"
)
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LABEL = (
    rf"[{_HAN}][{_HAN}A-Za-z0-9]{{0,7}}"
    r"|[A-Za-z][A-Za-z0-9.'\-]*(?: [A-Za-z0-9][A-Za-z0-9.'\-]*){0,2}"
)
_EMPH = r"(?:\*\*|__)?"
# The leading newline lets the regex engine jump from line start to line start in C;
# the text is searched with a newline put in front of it.
_TURN_LINE = re.compile(
    rf"\n{_SP}*(?:(?P<ts1>{_TS}){_SP}*)?{_EMPH}(?P<label>{_LABEL}){_EMPH}{_SP}*"
    rf"(?:(?P<ts2>{_TS}){_SP}*)?[:：]{_EMPH}{_SP}*(?!//)"
)
_BLANK = " \t\u3000"
_TRAILING = " \t\u3000\n\r\f\v"
_DIGITS = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?")

ROLE_WORDS = frozenset(
    {
        "问", "答", "访谈者", "访问者", "采访者", "访谈人", "提问", "回答", "记者", "主持人",
        "受访者", "被访者", "被访谈者", "调研员", "研究者", "研究员", "访员",
        "q", "a", "i", "r", "interviewer", "interviewee", "respondent", "researcher",
        "moderator", "participant", "informant", "question", "answer",
    }
)
NOT_SPEAKERS = frozenset(
    {
        "时间", "日期", "地点", "地址", "备注", "注", "注意", "说明", "主题", "标题", "题目",
        "访谈时间", "访谈地点", "访谈对象", "访谈日期", "访谈主题", "记录人", "记录", "整理",
        "整理人", "转录", "转录人", "来源", "编号", "录音", "附件", "关键词", "摘要", "单位",
        "职务", "年龄", "性别", "电话", "网址", "链接", "图", "表", "其中", "例如", "比如",
        "date", "time", "place", "location", "venue", "note", "notes", "nb", "title",
        "subject", "source", "duration", "transcriber", "recorded", "recording", "language",
        "topic", "keywords", "abstract", "summary", "re", "tel", "email", "url", "http",
        "https", "figure", "table", "page", "ps", "for example", "e.g", "i.e",
        # words that open a point inside someone's speech: 第一：…, 结果：…
        "第一", "第二", "第三", "第四", "第五", "首先", "其次", "再次", "然后", "最后", "另外", "此外",
        "结果", "原因", "问题", "答案", "总结", "结论", "总之", "比方说", "举例", "重点", "要点", "一是", "二是",
        "三是", "一", "二", "三", "四", "五", "first", "second", "third", "finally", "result", "answer",
    }
)
_SPEECH_VERB = re.compile(r"(说|道|表示|指出|认为|提到|强调|介绍|回忆)$")
# A line opening with 周科长访谈： or 座谈会纪要： is a title, not someone speaking.
_TITLE_WORD = re.compile(r"(访谈|访谈录|访谈记录|记录|纪要|笔记|报告|调研|调查|座谈会|会议)$")


class Turn(NamedTuple):
    """One speaker turn: ``[start, end)`` covers label and speech, ``speech`` where words begin."""

    seq: int
    speaker: str
    start: int
    speech: int
    end: int
    timestamp: str | None = None


INTERVIEWER_WORDS = frozenset(
    {
        "问", "访谈者", "访问者", "采访者", "访谈人", "提问", "记者", "主持人", "调研员", "研究者", "研究员",
        "访员", "q", "i", "interviewer", "researcher", "moderator", "question",
    }
)


def _base(label: str) -> str:
    """A label as role words are compared: lower case, Simplified (問 → 问), without a number."""
    from fieldcase.text.fold import variant_table

    return label.lower().translate(variant_table()).rstrip("0123456789").rstrip()


def is_interviewer(label: str) -> bool:
    """Whether a speaker label names the one asking (访谈者, 问, 問, Q, Interviewer, 访谈者B)."""
    base = _base(label)
    return base in INTERVIEWER_WORDS or (len(base) > 1 and base[:-1] in INTERVIEWER_WORDS and base[-1].isascii())


def _is_role(label: str) -> bool:
    if len(label) == 1 and label.isascii() and label.isupper():
        return True  # an initial such as H: or L:
    base = _base(label)
    if base in ROLE_WORDS:
        return True
    # 受访者A, 访谈者B: a role word with a letter tag.
    return len(base) > 1 and base[:-1] in ROLE_WORDS and base[-1].isascii()


def _is_candidate(label: str) -> bool:
    low = label.lower()
    if low in NOT_SPEAKERS or low.rstrip(".") in NOT_SPEAKERS:
        return False
    if _is_role(label):
        return True
    if _SPEECH_VERB.search(label) or _TITLE_WORD.search(label):
        return False
    # A Latin label that is not a role must look like a name: capitalised words.
    return not label[0].isascii() or label[0].isupper()


# Strict detection (a text another tool wrote, whose layout no one here chose): a label must
# open this many turns, at least this share of all turns, and turns must open this share of
# the text's lines; ``Covid:`` opening ten of 15,000 lines of a document is no speaker.
STRICT_TURNS = 2
STRICT_LABEL_SHARE = 0.05
STRICT_LINE_SHARE = 0.1
STRICT_LABEL_CHARS = 24


def find_turns(text: str, *, strict: bool = False) -> list[Turn]:
    """The speaker turns of a stored (normalised) text, in order. ``strict``: only labels
    that recur as turn starts consistently (see ``STRICT_*``), for a text imported from
    another tool rather than a transcript typed for fieldcase."""
    # (line start, speech start, label, timestamp) in offsets of ``text``.
    found = [
        (m.start(), m.end() - 1, label, ts1 or ts2)
        for m in _TURN_LINE.finditer("\n" + text)
        for ts1, label, ts2 in (m.groups(),)
    ]
    verdict: dict[str, bool] = {}
    counts: Counter[str] = Counter()
    for _, _, label, _ in found:
        if label not in verdict:
            verdict[label] = _is_candidate(label)
        counts[label] += 1
    speakers = {
        label for label, n in counts.items() if verdict[label] and (n >= 2 or _is_role(label))
    }
    # Someone who speaks once (王会计：三年了。 in a group interview) is a speaker too when
    # the labelled line just before or after theirs is a turn of a speaker found above.
    once = {
        found[i][2] for i in range(len(found))
        if found[i][2] not in speakers and verdict[found[i][2]]
        and ((i > 0 and found[i - 1][2] in speakers) or (i + 1 < len(found) and found[i + 1][2] in speakers))
    }
    speakers |= once
    if strict:
        speakers = _recurring(text, found, counts, verdict)
    found = [f for f in found if f[2] in speakers]
    turns: list[Turn] = []
    for i, (start, speech, label, stamp) in enumerate(found):
        while text[start] in _BLANK:
            start += 1
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        clock = _DIGITS.search(stamp).group(0) if stamp else None  # type: ignore[union-attr]  # a stamp found holds digits (the pattern that found it asks for them)
        turns.append(Turn(i + 1, label, start, min(max(speech, start), end), end, clock))
    return turns


def _recurring(text: str, found: list[tuple[int, int, str, str | None]], counts: Counter[str],
               verdict: dict[str, bool]) -> set[str]:
    """The labels of strict detection: short candidates that each open enough of the turns,
    and none at all when the turns open too few of the text's lines."""
    total = sum(counts.values())
    speakers = {label for label, n in counts.items() if verdict[label] and n >= STRICT_TURNS
                and len(label) <= STRICT_LABEL_CHARS and n >= STRICT_LABEL_SHARE * total}
    opened = sum(counts[label] for label in speakers)
    lines = sum(1 for line in text.split("\n") if line.strip())
    return speakers if speakers and opened >= STRICT_LINE_SHARE * lines else set()
