"""Coding suggestions: spans whose words match a code's keywords, exactly or nearly.

One Aho–Corasick pass over a source finds every keyword, and every character pair of
the longer keywords. A keyword found whole is an exact trigger; a pair of a keyword not
found whole nearby marks a place where a variant may stand (土地的流转 for 土地流转,
returnees for returnee), and only there does rapidfuzz compare the keyword with the
text around it. Text and keywords are compared with case and Traditional/Simplified
characters folded. Triggers are gathered by sentence, speaker turn or paragraph.
Suggesting over a project (its codes, its decisions, storing the result) is
:mod:`fieldcase.analysis.suggest`.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from fieldcase.text import units
from fieldcase.text.fold import fold

UNITS = ("sentence", "turn", "paragraph")
FUZZY_MIN_HAN = 4  # shorter keywords are matched exactly only
FUZZY_MIN_LATIN = 5
FUZZY_THRESHOLD = 80.0  # rapidfuzz Indel similarity, 0-100
EXACT_WEIGHT = 0.6


class Trigger(NamedTuple):
    """A keyword found in the text, whole (``exact``) or as a near variant (``fuzzy``)."""

    keyword: str
    start: int
    end: int
    kind: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"keyword": self.keyword, "start": self.start, "end": self.end, "kind": self.kind,
                "score": round(self.score, 1)}


@dataclass(slots=True)
class Suggestion:
    """A span proposed for a code, with the words that triggered it and a score in [0, 1]."""

    source_id: int
    code_id: int
    code_key: str
    start: int
    end: int
    unit: str
    quote: str
    score: float
    triggers: list[Trigger] = field(default_factory=list)
    new: bool = True  # not open before this run (set when the run is stored)

    def row(self) -> tuple[Any, ...]:
        """The columns ``suggestions.replace_open`` stores, the triggers as JSON."""
        return (self.source_id, self.code_id, self.start, self.end, self.unit, self.quote, self.score,
                triggers_json(self.triggers))

    def to_dict(self) -> dict[str, Any]:
        return {"source_id": self.source_id, "code_id": self.code_id, "code_key": self.code_key,
                "start": self.start, "end": self.end, "unit": self.unit, "quote": self.quote,
                "score": self.score, "triggers": [t.to_dict() for t in self.triggers]}


_new = tuple.__new__  # builds a Trigger without NamedTuple's Python-level __new__


@cache
def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def triggers_json(triggers: list[Trigger]) -> str:
    """``json.dumps([t.to_dict() for t in triggers])``, written directly: suggestions come by
    the hundred thousand and their keywords are few."""
    return "[" + ", ".join(
        f'{{"keyword": {_json_string(keyword)}, "start": {start}, "end": {end}, "kind": "{kind}", '
        f'"score": {round(score, 1)!r}}}'
        for keyword, start, end, kind, score in triggers
    ) + "]"


def _is_latin(word: str) -> bool:
    return all(ord(c) < 0x3000 for c in word)


class Matcher:
    """The keywords of a set of codes, compiled into one Aho–Corasick automaton.

    Besides each keyword, the automaton holds what marks a possible variant: for a
    Chinese keyword of four or more characters its character pairs (a variant keeps at
    least two of them), for an English one of five or more letters its stem (a variant
    keeps all but the last two letters: returnees, tourist).
    """

    def __init__(self, keywords: dict[str, list[int]]) -> None:
        import ahocorasick

        self.codes = keywords  # folded keyword -> code ids
        self.latin = {k for k in keywords if _is_latin(k)}
        patterns: dict[str, list[tuple[str, str]]] = {}
        for keyword in keywords:
            patterns.setdefault(keyword, []).append((keyword, "whole"))
            if _is_latin(keyword):
                if len(keyword) >= FUZZY_MIN_LATIN:
                    stem = keyword[: max(4, len(keyword) - 2)]
                    patterns.setdefault(stem, []).append((keyword, "stem"))
            elif len(keyword) >= FUZZY_MIN_HAN:
                for pair in {keyword[i : i + 2] for i in range(len(keyword) - 1)}:
                    if pair.strip():
                        patterns.setdefault(pair, []).append((keyword, "pair"))
        # one automaton, read once: each pattern with the Chinese keyword it is, if any (found
        # whole, the common case), and what else it stands for (English keywords, pairs, stems)
        self.automaton = ahocorasick.Automaton()
        for pattern, entries in patterns.items():
            rest = tuple(e for e in entries if e[1] != "whole" or e[0] in self.latin)
            whole = pattern if len(rest) < len(entries) else None
            self.automaton.add_word(pattern, (len(pattern), whole, rest or None, pattern))
        self.longest = max(map(len, patterns), default=0)
        self.empty = not patterns
        if not self.empty:
            self.automaton.make_automaton()

    def triggers(self, folded: str) -> list[Trigger]:
        """Every exact and fuzzy keyword occurrence in a case-folded text."""
        exact, others = self.scan(folded)
        return exact + others

    def scan(self, folded: str, skip: Sequence[tuple[int, int]] = ()) -> tuple[list[Trigger], list[Trigger]]:
        """The Chinese keywords found whole in a case-folded text, in the order of their
        ends, and the other triggers (English keywords found whole, then near variants).
        Chinese keywords starting inside the ``skip`` spans (in order, apart) may be left out."""
        if self.empty:
            return [], []
        exact: list[Trigger] = []
        latin: list[Trigger] = []
        pairs: dict[str, list[tuple[int, str]]] = {}
        stems: dict[str, list[int]] = {}
        add = exact.append
        for window_start, window_end in self._read(len(folded), skip):
            for last, (length, whole, rest, pattern) in self.automaton.iter(folded, window_start, window_end):
                start = last - length + 1
                if whole is not None:
                    add(_new(Trigger, (whole, start, last + 1, "exact", 100.0)))
                if rest is None:
                    continue
                for keyword, kind in rest:
                    if kind == "whole":
                        if _word_bounded(folded, start, last + 1):
                            latin.append(_new(Trigger, (keyword, start, last + 1, "exact", 100.0)))
                    elif kind == "pair":  # (the pair is the pattern: no slice of the text made)
                        found = pairs.get(keyword)
                        if found is None:
                            pairs[keyword] = [(start, pattern)]
                        else:
                            found.append((start, pattern))
                    elif start == 0 or not folded[start - 1].isalnum():
                        stems.setdefault(keyword, []).append(start)
        if not pairs and not stems:
            return exact, latin
        # where each keyword that may have a variant here is found whole, in the whole text
        covered: dict[str, list[tuple[int, int]]] = {k: [] for k in (*pairs, *stems)}
        for keyword, start, end, _kind, _score in latin:
            if keyword in covered:
                covered[keyword].append((start, end))
        for keyword, places in covered.items():
            if keyword not in self.latin:
                at = folded.find(keyword)
                while at >= 0:
                    places.append((at, at + len(keyword)))
                    at = folded.find(keyword, at + 1)
        return exact, latin + self._near_pairs(folded, pairs, covered) + self._near_stems(folded, stems, covered)

    def _read(self, size: int, skip: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """The spans to read so that every match starting outside ``skip`` is found once,
        and every pair of a variant starting outside it (its second pair may begin up to a
        keyword's length after the first, and the longest keyword is two longer than its
        pairs: hence the two more). What starts inside ``skip`` is never suggested."""
        start, reach = 0, self.longest + 2
        for gap_start, gap_end in skip:
            if gap_end - gap_start > 2 * reach:
                yield start, gap_start + reach
                start = gap_end
        yield start, size

    def _near_pairs(self, folded: str, pairs: dict[str, list[tuple[int, str]]],
                    covered: dict[str, list[tuple[int, int]]]) -> list[Trigger]:
        from rapidfuzz.fuzz import ratio

        found: list[Trigger] = []
        for keyword, places in pairs.items():
            n = len(keyword)
            whole = covered.get(keyword, [])
            seen_until = -1
            whole_starts = [s for s, _ in whole]  # in text order, as the automaton found them
            for i, (pos, pair) in enumerate(places):
                if pos < seen_until:
                    continue
                j = bisect_right(whole_starts, pos + 2) - 1
                if j >= 0 and pos < whole[j][1]:
                    continue  # part of the keyword found whole
                # a variant keeps two different pairs of the keyword close together (the
                # places come by start, each start once: look on only while they are close)
                for j in range(i + 1, min(i + n + 2, len(places))):
                    q, p = places[j]
                    if q > pos + n or p != pair:
                        break
                else:
                    continue
                if q > pos + n:
                    continue
                # a variant has words inserted inside the keyword (土地的流转, 返乡入乡创业) or
                # a character changed, and starts and ends as the keyword does
                best = (0.0, 0, 0)
                for start in range(max(0, pos - n + 2), pos + 1):
                    if folded[start] != keyword[0]:
                        continue
                    for length in range(n, n + 3):
                        piece = folded[start : start + length]
                        if len(piece) == length and piece[-1] == keyword[-1]:
                            score = ratio(keyword, piece)
                            if score > best[0]:
                                best = (score, start, start + length)
                score, start, end = best
                if score >= FUZZY_THRESHOLD and not any(s < end and start < e for s, e in whole):
                    found.append(Trigger(keyword, start, end, "fuzzy", score))
                    seen_until = end
        return found

    def _near_stems(self, folded: str, stems: dict[str, list[int]],
                    covered: dict[str, list[tuple[int, int]]]) -> list[Trigger]:
        from rapidfuzz.fuzz import ratio

        found: list[Trigger] = []
        for keyword, places in stems.items():
            words = len(keyword.split())
            for pos in places:
                if any(s == pos for s, _ in covered.get(keyword, [])):
                    continue
                match = _WORDS[words].match(folded, pos)
                # an inflection keeps the keyword's length or adds to it (returnees, tourist for
                # tourism); a shorter word is another word (outside is not outsider)
                if match is None or len(match.group()) < len(keyword):
                    continue
                score = ratio(keyword, match.group())
                if score >= FUZZY_THRESHOLD + 5:
                    found.append(Trigger(keyword, pos, match.end(), "fuzzy", score))
        return found


class _WordRuns(dict[int, "re.Pattern[str]"]):
    """``n`` -> a pattern matching ``n`` words separated by spaces."""

    def __missing__(self, n: int) -> re.Pattern[str]:
        self[n] = re.compile(r"[^\W_][\w'’-]*" + r"(?:\s+[^\W_][\w'’-]*)" * (n - 1))
        return self[n]


_WORDS = _WordRuns()


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


class Units:
    """The sentences, turns (their words, not their labels) or paragraphs of one text, for
    finding the one around a place; with ``index``, many places in turn (the sentence ends
    are found once)."""

    def __init__(self, text: str, turns: Sequence[Mapping[str, Any]], unit: str, *, index: bool = True) -> None:
        self.text, self.turns, self.unit = text, turns, unit
        self.starts = [t["start"] for t in turns]
        self.sentences = units.Sentences(text) if unit == "sentence" and index else None

    def around(self, pos: int) -> tuple[int, int]:
        """The unit around ``pos``; a turn's unit outside any turn is its paragraph."""
        text, turns, unit = self.text, self.turns, self.unit
        if self.sentences is not None:  # the common case, without_label written out
            start, end = self.sentences.span(pos)
            i = bisect_right(self.starts, start) - 1
            if i >= 0 and start < (speech := turns[i]["speech"]) < end:
                return speech, end
            return start, end
        if unit == "turn":
            turn = units.turn_at(turns, pos, self.starts)
            if turn is not None:
                return turn["speech"], turn["end"]
            unit = "paragraph"
        if unit == "paragraph":
            span = units.paragraph_span(text, pos)
        else:
            span = self.sentences.span(pos) if self.sentences is not None else units.sentence_span(text, pos)
        return units.without_label(span, turns, self.starts)


def unit_span(text: str, turns: Sequence[Mapping[str, Any]], pos: int, unit: str) -> tuple[int, int]:
    """The sentence, turn (its words, not its label) or paragraph around ``pos``."""
    return Units(text, turns, unit, index=False).around(pos)


WIDER = {"words": "sentence", "sentence": "turn", "turn": "paragraph"}


def widen(text: str, turns: Sequence[Mapping[str, Any]], start: int, end: int, unit: str) -> tuple[str, int, int] | None:
    """``[start, end)`` grown to the next unit that covers more of the text: words →
    sentence → speaker turn (its words) → paragraph; ``None`` once it is the paragraph."""
    span = (start, end)
    while (start, end) == span:
        if unit not in WIDER:
            return None
        unit = WIDER[unit]
        if unit == "turn" and units.turn_at(turns, span[0]) is None:
            unit = "paragraph"  # no speaker turn here
        wider = unit_span(text, turns, span[0], unit)
        start, end = min(wider[0], span[0]), max(wider[1], span[1])
    return unit, start, end


_START = itemgetter(1)
_END = itemgetter(2)
_ORDER = attrgetter("start", "end", "code_key")


@cache
def _single_score(score: float) -> float:
    return round(EXACT_WEIGHT * score / 100, 3)


def score_of(triggers: list[Trigger]) -> float:
    """1 - Π(1 - p) over distinct keywords, p = 0.6 for a whole keyword (less for a variant)."""
    if len(triggers) == 1:
        return _single_score(triggers[0].score)
    best: dict[str, float] = {}
    for t in triggers:
        best[t.keyword] = max(best.get(t.keyword, 0.0), EXACT_WEIGHT * t.score / 100)
    miss = 1.0
    for p in best.values():
        miss *= 1 - p
    return round(1 - miss, 3)


def suggest_text(
    source_id: int, text: str, turns: Sequence[Mapping[str, Any]], matcher: Matcher, keys: dict[int, str],
    unit: str = "sentence", *, interviewer: bool = False,
) -> list[Suggestion]:
    """Suggestions for one text, before anything already coded or rejected is left out.
    The interviewer's turns (访谈者, 问, Q …) are left out unless ``interviewer``."""
    from fieldcase.text.turns import is_interviewer

    label_starts = [t["start"] for t in turns]
    # a trigger before label_ends[i] in turn i is skipped: the label, or the whole of an
    # interviewer's turn
    asking = {} if interviewer else {label: is_interviewer(label) for label in {t["speaker"] for t in turns}}
    label_ends = [t["end"] if asking.get(t["speaker"]) else t["speech"] for t in turns]
    grouped: dict[tuple[int, int, int], list[Trigger]] = {}
    reach: dict[tuple[int, int, int], int] = {}  # the furthest end of a trigger in each group
    lo, hi = 0, 0  # the unit around the last trigger
    codes_of = matcher.codes
    spans = Units(text, turns, unit)
    # the labels and interviewer's turns, clipped to their turns, need not be read
    skip = [(a, min(b, c)) for a, b, c in zip(label_starts, label_ends, [*label_starts[1:], len(text)])]
    triggers, others = matcher.scan(fold(text, variants=True), skip)
    # by start, and longest first at each start, so a keyword inside a longer one comes after it
    if others:
        triggers += others
        triggers.sort(key=_END, reverse=True)
    else:  # ordered by their ends already, and no two share both start and end
        triggers.reverse()
    triggers.sort(key=_START)
    cut, following = -1, label_starts[0] if turns else len(text) + 1  # in the turn of the last trigger
    for trigger in triggers:
        keyword, at, end, _kind, _score = trigger
        if at >= following:  # triggers come by start: look the turn up only when it changes
            i = bisect_right(label_starts, at) - 1
            cut = label_ends[i]
            following = label_starts[i + 1] if i + 1 < len(turns) else len(text) + 1
        if at < cut:
            continue  # a speaker label (村支书：) is not something said, nor is a question asked
        if not lo <= at < hi:
            lo, hi = spans.around(at)
            if not lo <= at < hi:
                continue
        for code_id in codes_of[keyword]:
            key = (code_id, lo, hi)
            group = grouped.get(key)
            if group is None:
                grouped[key] = [trigger]
                reach[key] = end
            elif reach[key] < end:  # else inside an earlier, longer one: 设计 in 设计师
                group.append(trigger)
                reach[key] = end
    out = [
        Suggestion(source_id, code_id, keys[code_id], start, stop, unit, text[start:stop],
                   _single_score(group[0][4]) if len(group) == 1 else score_of(group), group)
        for (code_id, start, stop), group in grouped.items()
    ]
    out.sort(key=_ORDER)
    return out
