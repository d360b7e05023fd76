"""Picking a segment's key sentences for a first draft of a framework summary.

The rule, in order: the interviewer's lines are left out and a speaker's label taken off;
each remaining sentence scores three points for every keyword of the theme it holds, one
for speaking in the first person (我, 我们, I, we: the speaker's own account), and up to
one more for its length (a clause of 40 characters or more says something); the best
sentence of each segment is kept, and at most ``limit`` of them, in the segments' order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fieldcase.text.fold import fold
from fieldcase.text.unit_spans import sentences

DRAFT_MARKS = {"zh": "[草稿]", "en": "[Draft]"}
_ASKING = re.compile(r"^\s*(问|访谈者|访谈人|采访者|Q|Interviewer)\s*[：:]", re.IGNORECASE)
_LABEL = re.compile(r"^\s*[^\s：:]{1,12}\s*[：:]\s*")
_FIRST_PERSON = re.compile(r"我|(?<![A-Za-z])(I|we|my|our)(?![A-Za-z])", re.IGNORECASE)
_HAN = re.compile(r"[\u3400-\u9fff]")


def _spoken(text: str) -> str:
    """The segment's words without the interviewer's lines or any speaker label."""
    kept = [_LABEL.sub("", line, count=1) for line in text.splitlines() if not _ASKING.match(line)]
    return "\n".join(line for line in kept if line.strip())


def score(sentence: str, keywords: Sequence[str]) -> float:
    """How much a sentence says about the theme (see the module's rule)."""
    folded = fold(sentence)
    hits = sum(1 for k in keywords if k and fold(k) in folded)
    first = 1.0 if _FIRST_PERSON.search(sentence) else 0.0
    return 3.0 * hits + first + min(len(sentence.strip()), 40) / 40


def key_sentence(text: str, keywords: Sequence[str]) -> str | None:
    """The one sentence of a segment that best says what it is about (None: only questions)."""
    spoken = _spoken(text)
    found = [spoken[a:b].strip() for a, b in sentences(spoken)]
    found = [s for s in found if len(s) > 1]
    if not found:
        return None
    return max(found, key=lambda s: (score(s, keywords), -found.index(s)))


def language(texts: Sequence[str]) -> str:
    """``zh`` when the texts are mostly Chinese, else ``en``."""
    joined = "".join(texts)
    han = len(_HAN.findall(joined))
    letters = sum(c.isascii() and c.isalpha() for c in joined)
    return "zh" if han >= letters / 3 else "en"


def draft(texts: Sequence[str], keywords: Sequence[str], *, limit: int = 5) -> str:
    """A first draft of a summary from segments' texts: their key sentences, marked as a
    draft (``[草稿]`` or ``[Draft]``, by the texts' language); blank when nothing is said."""
    picked: list[str] = []
    for text in texts:
        sentence = key_sentence(text, keywords)
        if sentence and sentence not in picked:
            picked.append(sentence)
    if not picked:
        return ""
    ranked = sorted(picked, key=lambda s: -score(s, keywords))[:limit]
    chosen = [s for s in picked if s in ranked]
    lang = language(chosen)
    joiner = "" if lang == "zh" else " "
    quoted = [f"“{nest_quotes(s, lang)}”" if lang == "zh" else f'"{nest_quotes(s, lang)}"' for s in chosen]
    return f"{DRAFT_MARKS[lang]} " + joiner.join(quoted)


_INNER = str.maketrans({"“": "‘", "”": "’", "‘": "“", "’": "”"})
_STRAIGHT_PAIR = re.compile(r'"([^"\n]*)"')


def nest_quotes(sentence: str, lang: str) -> str:
    """A sentence made ready to sit inside double quotes: its own double quotes become
    single ones and its single ones double (outer “”, inner ‘’, innermost “” again, the
    Chinese and English typographic convention). Straight double quotes in pairs become
    ‘’ in Chinese and straight single ones in English; a lone one is left as it is."""
    swapped = sentence.translate(_INNER)
    return _STRAIGHT_PAIR.sub(r"‘\1’" if lang == "zh" else r"'\1'", swapped)


def is_draft(summary: str) -> bool:
    """Whether a summary is still a draft (it begins with a draft mark)."""
    return summary.lstrip().startswith(tuple(DRAFT_MARKS.values()))
