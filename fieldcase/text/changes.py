"""Where one version of a text differs from another, told in the words that changed with a
little of what stands around them, so that someone deciding between two versions can see
what the other person changed."""

from __future__ import annotations

CONTEXT = 4  # characters shown each side of a change, beyond the whole word it touches
SNIPPET = 30  # the most characters of each side shown


def changed_places(old: str, new: str, *, timeout: float = 1.0) -> list[tuple[str, str]]:
    """Each place where ``new`` differs from ``old``, in order, as (old words, new words),
    both with the same few characters around them (whole words, on one line)."""
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = timeout
    diffs = differ.diff_main(old, new)
    differ.diff_cleanupSemantic(diffs)  # whole words rather than scattered characters
    places: list[tuple[str, str]] = []
    i = j = 0  # where the next chunk starts in old and in new
    start: tuple[int, int] | None = None
    for op, chunk in diffs + [(0, "")]:
        if op == 0:
            if start is not None:
                places.append(_around(old, new, start, (i, j)))
                start = None
            i += len(chunk)
            j += len(chunk)
            continue
        start = start or (i, j)
        if op < 0:
            i += len(chunk)
        else:
            j += len(chunk)
    return places


def _around(old: str, new: str, start: tuple[int, int], end: tuple[int, int]) -> tuple[str, str]:
    """Both sides of one change, widened alike to whole words and a little context."""
    before = _reach(old, start[0], -1)
    after = _reach(old, end[0], 1)  # what follows is the same text in both versions
    return old[start[0] - before:end[0] + after], new[start[1] - before:end[1] + after]


def _reach(text: str, at: int, step: int) -> int:
    """How many characters to take from ``at`` going ``step`` (-1 back, 1 on): the rest of
    a Latin word or number, ``CONTEXT`` more and the word they end in, never past a line end."""
    index = at - 1 if step < 0 else at

    def ok(k: int) -> bool:
        return 0 <= k < len(text) and text[k] != "\n"

    def in_word(k: int) -> bool:
        return ok(k) and text[k].isascii() and text[k].isalnum()

    start = index
    while in_word(index):
        index += step
    for _ in range(CONTEXT):
        if ok(index):
            index += step
    while in_word(index):
        index += step
    return abs(index - start)


def _quoted(words: str) -> str:
    flat = " ".join(words.split())
    return f"“{flat if len(flat) <= SNIPPET else flat[:SNIPPET - 1] + '…'}”"


def describe(places: list[tuple[str, str]], shown: int = 2) -> str:
    """The first places in a line, ``“on a Thursday, I” → “on a Friday, I”``, and how many more."""
    parts = [f"{_quoted(old)} → {_quoted(new)}" for old, new in places[:shown]]
    more = len(places) - shown
    return "; ".join(parts) + (f" (and {more} more {'place' if more == 1 else 'places'})" if more > 0 else "")
