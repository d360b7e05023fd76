"""A chart of codes across cases for a cross-case chapter: a heat map of how many coded
segments each case has under each theme, numbers in the cells, drawn with matplotlib.

Chinese labels need a font with CJK glyphs: the first installed one of :data:`CJK_FONTS`
(Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei …). With none, the chart is still drawn
and a warning says that Chinese labels will show as boxes and which package gives a font.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from functools import lru_cache

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
             "Heiti SC", "Noto Serif CJK SC", "AR PL UMing CN")


class NoCJKFontWarning(UserWarning):
    """No font with Chinese glyphs was found for a chart's labels."""


# Parts of the file names of the fonts in CJK_FONTS, to find them on disk (lower case).
_CJK_FILES = ("cjk", "sourcehan", "wqy", "simhei", "msyh", "pingfang", "stheiti", "uming")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with CJK glyphs, or None.

    matplotlib lists the machine's fonts once and keeps the list in its cache: a CJK font
    installed after that is not in it. When the list has none, the font folders are
    looked at for CJK font files, which are added to matplotlib's list for this process."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is not None:
        return found
    for path in font_manager.findSystemFonts():
        if any(part in path.rsplit("/", 1)[-1].lower() for part in _CJK_FILES):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # a file matplotlib cannot read is no font for it
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def heatmap(rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]], *,
            title: str = "") -> bytes:
    """A PNG heat map: ``rows`` down, ``columns`` across, ``counts[row][column]`` in the
    cells (blank where 0), sized for a book page (about 15 cm wide at 200 dpi)."""
    from matplotlib.figure import Figure

    font = cjk_font()
    if font is None and any(ord(c) > 0x2E80 for c in "".join([*rows, *columns, title])):
        warnings.warn("no font with Chinese glyphs found for the chart: its Chinese labels show as boxes "
                      "(install one, e.g. fonts-noto-cjk)", NoCJKFontWarning, stacklevel=2)
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    width = min(9.0, max(5.9, 1.6 + 0.12 * max((len(r) for r in rows), default=0) + 0.55 * len(columns)))
    height = max(2.4, 1.0 + 0.27 * len(rows) + 0.08 * max((len(c) for c in columns), default=0))
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
