"""Units of text a coder selects by keyboard: word, sentence, paragraph, speaker turn.

Offsets are ``str`` indices into the stored text, spans half-open ``[start, end)``.
Chinese words come from jieba once it is loaded (it takes a second, so callers load
it in the background); until then a Chinese "word" is one character.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

SENTENCE_ENDS = "。！？!?…"
CLOSERS = "”’」』）)\"'"
_LATIN_WORD = re.compile(r"[A-Za-z0-9_'’-]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def paragraph_span(text: str, pos: int) -> tuple[int, int]:
    """The line (paragraph) around ``pos``, without its newline."""
    pos = max(0, min(pos, len(text)))
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: after the previous 。！？.!? (or line start) through the next."""
    line_start, line_end = paragraph_span(text, pos)
    start = line_start
    for i in range(min(pos, line_end) - 1, line_start - 1, -1):
        if text[i] in SENTENCE_ENDS or (text[i] == "." and _is_full_stop(text, i)):
            start = i + 1
            while start < line_end and text[start] in CLOSERS:
                start += 1
            break
    end = line_end
    for i in range(max(pos, start), line_end):
        if text[i] in SENTENCE_ENDS or (text[i] == "." and _is_full_stop(text, i)):
            end = i + 1
            while end < line_end and (text[end] in SENTENCE_ENDS or text[end] in CLOSERS):
                end += 1
            break
    while start < end and text[start] in " \t\u3000":
        start += 1
    return start, end


class Sentences:
    """The sentences of one text: ``span(pos)`` is ``sentence_span(text, pos)`` in logarithmic
    time, for callers that ask about many places (suggestions); each line's sentence ends
    are found once, when a place in it is first asked about."""

    _ENDS = re.compile("[" + re.escape(SENTENCE_ENDS) + "]")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: dict[int, list[int]] = {}  # line start -> the sentence ends in the line

    def _ends(self, line_start: int, line_end: int) -> list[int]:
        text = self.text
        ends = [m.start() for m in self._ENDS.finditer(text, line_start, line_end)]
        if text.find(".", line_start, line_end) >= 0:  # English full stops, in order among the others
            stops = [m.start() for m in _DOT.finditer(text, line_start, line_end) if _is_full_stop(text, m.start())]
            ends = sorted(ends + stops)
        self.lines[line_start] = ends
        return ends

    def span(self, pos: int) -> tuple[int, int]:
        """The sentence around ``pos`` (see :func:`sentence_span`)."""
        text = self.text
        if not 0 <= pos <= len(text):
            pos = max(0, min(pos, len(text)))
        line_start = text.rfind("\n", 0, pos) + 1  # paragraph_span, written out
        line_end = text.find("\n", pos)
        if line_end == -1:
            line_end = len(text)
        ends = self.lines.get(line_start)
        if ends is None:
            ends = self._ends(line_start, line_end)
        start = line_start
        before = bisect_left(ends, pos) - 1
        if before >= 0:
            start = ends[before] + 1
            while start < line_end and text[start] in CLOSERS:
                start += 1
        end = line_end
        after = bisect_left(ends, pos if pos >= start else start)
        if after < len(ends):
            end = ends[after] + 1
            while end < line_end and (text[end] in SENTENCE_ENDS or text[end] in CLOSERS):
                end += 1
        while start < end and text[start] in " \t\u3000":
            start += 1
        return start, end


_DOT = re.compile(r"\.")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "jr", "sr"}


def _is_full_stop(text: str, i: int) -> bool:
    """A ``.`` ending an English sentence, not a decimal point or an abbreviation."""
    after = text[i + 1 : i + 2]
    if after not in ("", " ", "\n", '"', "'", "”", "’", ")"):
        return False
    word = re.search(r"([A-Za-z.]+)$", text[max(0, i - 6) : i])
    return not (word and word.group(1).lower() in _ABBREVIATIONS)


def word_span(text: str, pos: int) -> tuple[int, int]:
    """The word around ``pos``: a jieba word in Chinese, letters and digits in Latin text."""
    pos = max(0, min(pos, len(text) - 1)) if text else 0
    if not text:
        return 0, 0
    for pattern in (_LATIN_WORD, _HAN):
        for match in pattern.finditer(text, max(0, pos - 64), min(len(text), pos + 64)):
            if match.start() <= pos < match.end():
                if pattern is _HAN:
                    return _han_word(match.group(0), match.start(), pos)
                return match.span()
    return pos, pos + 1


def _han_word(run: str, offset: int, pos: int) -> tuple[int, int]:
    if jieba_ready():
        import jieba

        for word, start, end in jieba.tokenize(run):
            if start <= pos - offset < end:
                return offset + start, offset + end
    return pos, pos + 1


def jieba_ready() -> bool:
    """True once jieba's dictionary is loaded (see :func:`load_jieba`)."""
    import sys

    module = sys.modules.get("jieba")
    return bool(module and module.dt.initialized)


JIEBA_PIECE = 1_000
"""Entries per piece of the stored jieba dictionary (see :func:`load_jieba`)."""


def load_jieba(*, background: bool = False) -> None:
    """Load jieba's dictionary (about half a second of CPU).

    jieba reads its prefix dictionary back from its cache with one ``marshal.load`` of half
    a million entries, a single call that holds the GIL for a quarter of a second; from a
    background thread, that froze the workspace. fieldcase keeps the same dictionary in
    its cache folder in pieces of :data:`JIEBA_PIECE` entries (about a millisecond each).
    With ``background``, a short sleep after each piece leaves the GIL free for the UI
    thread, which then never waits for more than one piece; loading takes about three
    times as long. A custom jieba dictionary is left to jieba.
    """
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.dt
    if tokenizer.initialized:
        return
    if tokenizer.dictionary is not None:
        tokenizer.initialize()
        return
    from fieldcase.config import cache_dir

    path = cache_dir() / f"jieba-{jieba.__version__}.pieces"
    stamp = jieba_stamp()
    with tokenizer.lock:  # jieba's own initialize() waits on the same lock
        if tokenizer.initialized:
            return
        loaded = read_pieces(path, stamp, pause=0.002 if background else 0.0)
        if loaded is None:
            with tokenizer.get_dict_file() as source:
                loaded = tokenizer.gen_pfdict(source)
            write_pieces(path, stamp, *loaded)
        tokenizer.FREQ, tokenizer.total = loaded
        tokenizer.initialized = True


def jieba_stamp() -> list[Any]:
    """What the stored pieces were made from: jieba's version and its dictionary file."""
    import os

    import jieba

    dictionary = os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    try:
        stat = os.stat(dictionary)
    except OSError:
        return [jieba.__version__, dictionary, None, None]
    return [jieba.__version__, dictionary, stat.st_size, stat.st_mtime_ns]


def write_pieces(path: Any, stamp: list[Any], freq: dict[str, int], total: int) -> bool:
    """Store a prefix dictionary as marshal objects: stamp, count and total, then the pieces.

    Written beside ``path`` and renamed into place; a cache that cannot be written is
    simply not kept (False).
    """
    import marshal
    import os
    import tempfile
    from itertools import islice
    from pathlib import Path

    path = Path(path)
    items = iter(freq.items())
    pieces = []
    while piece := dict(islice(items, JIEBA_PIECE)):
        pieces.append(piece)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # mkstemp's files are 0600
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as out:
                marshal.dump(stamp, out)
                marshal.dump([len(pieces), total], out)
                for piece in pieces:
                    marshal.dump(piece, out)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        return False
    return True


def read_pieces(path: Any, stamp: list[Any], *, pause: float = 0.0) -> tuple[dict[str, int], int] | None:
    """The prefix dictionary stored by :func:`write_pieces`, or None if it is missing,
    made from another jieba or dictionary, or damaged. ``pause``: seconds to sleep after
    each piece, so that other threads get the GIL."""
    import marshal
    import time

    freq: dict[str, int] = {}
    try:
        with open(path, "rb") as stored:
            if marshal.load(stored) != stamp:
                return None
            count, total = marshal.load(stored)
            for _ in range(count):
                piece = marshal.load(stored)
                if not isinstance(piece, dict):
                    return None
                freq.update(piece)
                if pause:
                    time.sleep(pause)
            if stored.read(1):
                return None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return freq, total


def _turn_from(turns: Sequence[Mapping[str, Any]], pos: int, starts: Sequence[int] | None) -> Mapping[str, Any] | None:
    """The last turn starting at or before ``pos`` (turns are in text order and never overlap).
    ``starts``: the turns' starts, when many places of one text are asked about."""
    if starts is None:
        i = bisect_right(turns, pos, key=lambda turn: turn["start"]) - 1
    else:
        i = bisect_right(starts, pos) - 1
    return turns[i] if i >= 0 else None


def without_label(
    span: tuple[int, int], turns: Sequence[Mapping[str, Any]], starts: Sequence[int] | None = None
) -> tuple[int, int]:
    """A span that starts on a speaker label starts at the words after it instead."""
    start, end = span
    turn = _turn_from(turns, start, starts)
    if turn is not None and start < turn["speech"] < end:
        return turn["speech"], end
    return span


def turn_at(
    turns: Sequence[Mapping[str, Any]], pos: int, starts: Sequence[int] | None = None
) -> Mapping[str, Any] | None:
    """The speaker turn containing ``pos``, if any."""
    turn = _turn_from(turns, pos, starts)
    if turn is not None and pos < max(turn["end"], turn["start"] + 1):
        return turn
    return None


def next_boundary(text: str, pos: int, unit: str, direction: int) -> int:
    """Where the next (``direction`` 1) or previous (-1) sentence or paragraph starts."""
    span = sentence_span if unit == "sentence" else paragraph_span
    if direction > 0:
        _, end = span(text, pos)
        nxt = end
        while nxt < len(text) and text[nxt] in " \t\u3000\n":
            nxt += 1
        return min(nxt, len(text))
    start, _ = span(text, pos)
    if start < pos:
        return start
    back = start - 1
    while back > 0 and text[back] in " \t\u3000\n":
        back -= 1
    return span(text, back)[0] if back > 0 else 0
