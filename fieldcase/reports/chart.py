"""A chart of codes across cases for a cross-case chapter: a heat map of how many coded
segments each case has under each theme, numbers in the cells, drawn with matplotlib.

Chinese labels need a font with CJK glyphs: the first installed one of :data:`CJK_FONTS`
(Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei …). With none, the chart is still drawn
and a warning says that Chinese labels will show as boxes and which package gives a font.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
             "Heiti SC", "Noto Serif CJK SC", "AR PL UMing CN", "Droid Sans Fallback")


class NoCJKFontWarning(UserWarning):
    """No font with Chinese glyphs was found for a chart's labels."""


# the files of those fonts, as they are named on Linux, macOS and Windows
_CJK_FILES = re.compile(r"cjk|sourcehan|wqy|simhei|msyh|pingfang|heiti|uming|droidsansfallback", re.IGNORECASE)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with CJK glyphs, or None: looked up once a
    run, in matplotlib's font list. A font installed after matplotlib made its font cache
    is not in that list (the warning below asks people to install one): then the CJK font
    files on the machine are added to it, and only those, rather than rebuilding the
    cache from every font."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    found = _first_cjk({f.name for f in manager.ttflist})
    if found is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(Path(path).name):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue  # a file matplotlib cannot read is no font for it
        found = _first_cjk({f.name for f in manager.ttflist})
    return found


CELL_WIDE, CELL_HIGH = 0.5, 0.3  # inches a column and a row of the heat map take
MIN_SIZE, MAX_SIZE = (2.0, 0.9), (6.3, 9.0)  # inches: a small strip at least, a book page's text block at most


def label_inches(labels: Sequence[str]) -> float:
    """How long the longest label runs at the chart's 7 pt, in inches (Chinese about 0.1,
    a Latin letter about 0.055)."""
    return max((sum(0.1 if ord(c) > 0x2E80 else 0.055 for c in label) for label in labels), default=0.0)


def figure_size(rows: Sequence[str], columns: Sequence[str], *, title: str = "") -> tuple[float, float]:
    """Width and height (inches) of a heat map: a cell of :data:`CELL_WIDE` × :data:`CELL_HIGH`
    for each column and row, plus room for the row labels at the left, the column labels
    (turned 45°) under it and the title above, kept between :data:`MIN_SIZE` and
    :data:`MAX_SIZE`: one row is a short strip, many fill at most the page's text block."""
    width = label_inches(rows) + 0.45 + CELL_WIDE * len(columns)
    height = (0.4 if title else 0.15) + 0.71 * label_inches(columns) + 0.3 + CELL_HIGH * len(rows)
    return (min(MAX_SIZE[0], max(MIN_SIZE[0], width)), min(MAX_SIZE[1], max(MIN_SIZE[1], height)))


def _first_cjk(installed: set[str]) -> str | None:
    return next((name for name in CJK_FONTS if name in installed), None)


def heatmap(rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]], *,
            title: str = "") -> bytes:
    """A PNG heat map: ``rows`` down, ``columns`` across, ``counts[row][column]`` in the
    cells (blank where 0), at 200 dpi, sized by :func:`figure_size` from how many rows
    and columns it has and how long their labels are."""
    from matplotlib.figure import Figure

    font = cjk_font()
    if font is None and any(ord(c) > 0x2E80 for c in "".join([*rows, *columns, title])):
        warnings.warn("no font with Chinese glyphs found for the chart: its Chinese labels show as boxes "
                      "(install one, e.g. fonts-noto-cjk)", NoCJKFontWarning, stacklevel=2)
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    width, height = figure_size(rows, columns, title=title)
    figure = Figure(figsize=(width, height), dpi=200, layout="constrained")
    axes = figure.add_subplot()
    top = max((max(row, default=0) for row in counts), default=0) or 1
    axes.imshow([list(row) for row in counts], cmap="Blues", vmin=0, vmax=top, aspect="auto")
    axes.tick_params(length=0)
    axes.set_xticks(range(len(columns)), labels=list(columns), rotation=45, ha="right", fontsize=7,
                    family=family)
    axes.set_yticks(range(len(rows)), labels=list(rows), fontsize=7, family=family)
    for y, row in enumerate(counts):
        for x, value in enumerate(row):
            if value:
                axes.text(x, y, str(value), ha="center", va="center", fontsize=6,
                          color="white" if value > top * 0.6 else "black")
    if title:
        axes.set_title(title, fontsize=10, family=family)
    buffer = io.BytesIO()
    with warnings.catch_warnings():  # without a CJK font, one warning above says it, not one per glyph
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
