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


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with CJK glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def heatmap(cases: Sequence[str], themes: Sequence[str], counts: Sequence[Sequence[int]], *,
            title: str = "") -> bytes:
    """A PNG heat map: ``cases`` down, ``themes`` across, ``counts[case][theme]`` in the
    cells (blank where 0), for a page of a book (about 16 cm wide at 200 dpi)."""
    from matplotlib.figure import Figure

    font = cjk_font()
    if font is None and any(ord(c) > 0x2E80 for c in "".join([*cases, *themes, title])):
        warnings.warn("no font with Chinese glyphs found for the chart: its Chinese labels show as boxes "
                      "(install one, e.g. fonts-noto-cjk)", NoCJKFontWarning, stacklevel=2)
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    width = max(6.3, 1.2 + 0.42 * len(themes))
    height = max(2.4, 1.6 + 0.36 * len(cases) + 0.06 * max((len(t) for t in themes), default=0))
    figure = Figure(figsize=(width, height), dpi=200, layout="constrained")
    axes = figure.add_subplot()
    top = max((max(row, default=0) for row in counts), default=0) or 1
    axes.imshow([list(row) for row in counts], cmap="Blues", vmin=0, vmax=top, aspect="auto")
    axes.set_xticks(range(len(themes)), labels=list(themes), rotation=60, ha="right", fontsize=7, family=family)
    axes.set_yticks(range(len(cases)), labels=list(cases), fontsize=8, family=family)
    for y, row in enumerate(counts):
        for x, value in enumerate(row):
            if value:
                axes.text(x, y, str(value), ha="center", va="center", fontsize=6,
                          color="white" if value > top * 0.6 else "black")
    if title:
        axes.set_title(title, fontsize=10, family=family)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
