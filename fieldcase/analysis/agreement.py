"""Inter-coder agreement between two coders: per code and pooled over all (unit, code)
pairs, percent agreement, Cohen's kappa and Krippendorff's alpha, with the units where
they differ.

The units in scope are all units of every source that each of the two coders has coded
at least once (narrowed by ``sources`` and ``cases``); with ``coded_only``, only the units
that at least one of them coded with a code in scope. The codes in scope are those given,
else every code either coder applied in those sources. See :mod:`fieldcase.coding.tally`
for when a coder applied a code to a unit, :mod:`fieldcase.coding.reliability` for the figures.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fieldcase.coding import tally
from fieldcase.coding.reliability import Table
from fieldcase.errors import CancelledError, InputError
from fieldcase.store.rows import CodeNode, TurnRow
from fieldcase.text import unit_spans

if TYPE_CHECKING:
    from fieldcase.store.project import Project

UNITS = ("char", "sentence", "turn", "paragraph", "source")
TEXT_SHOWN = 400
"""Characters of a unit's text a disagreement shows (a longer one ends in …)."""
_BATCH = 50  # sources whose texts are read at once


@dataclass(frozen=True)
class Settings:
    """What an agreement is computed over (the methods appendix prints these)."""

    coders: tuple[str, str]
    unit: str = "sentence"
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    coded_only: bool = False


@dataclass
class Result:
    """Figures per code (codebook order) and pooled, the sources counted, and the units
    where the coders differ (``source``, ``source_id``, ``start``, ``end``, ``code``,
    ``coder`` who applied it, ``text``), in text order."""

    settings: Settings
    codes: list[tuple[str, Table]]
    sources: list[dict[str, Any]]
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def overall(self) -> Table:
        return sum((t for _, t in self.codes), Table())

    def as_json(self, *, disagreements: bool = False) -> dict[str, Any]:
        """``{"unit", "coders", "codes": [{"code", agreement, kappa, alpha, counts}], "overall"}``,
        and the disagreements when asked for."""
        out: dict[str, Any] = {
            "unit": self.settings.unit,
            "coders": list(self.settings.coders),
            "codes": [{"code": key, **table.figures()} for key, table in self.codes],
            "overall": self.overall.figures(),
        }
        if disagreements:
            out["disagreements"] = self.disagreements
        return out


def compute(project: Project, settings: Settings, *, progress: Callable[[int, int], None] | None = None,
            cancel: threading.Event | None = None) -> Result:
    """The agreement of ``settings.coders`` over their scope (see the module's docstring)."""
    from fieldcase.store import blinding, layers, sources

    a, b = check(settings)
    blinding.refuse_others(project, [a, b], "agreement")  # blind coding hides the other's work
    source_ids = _sources_in_scope(project, settings)
    spans = layers.spans(project, [a, b], source_ids)
    tree = _codes_in_scope(project, settings, {s.code_id for s in spans})
    code_ids = [row["id"] for row in tree]
    titles = {row["id"]: row["title"] for row in sources.list_all(project)}
    by_source: dict[int, tally.Layers] = {}
    for s in spans:
        by_source.setdefault(s.source_id, {}).setdefault((s.coder, s.code_id), []).append((s.start, s.end))
    tables = {code_id: Table() for code_id in code_ids}
    differ: list[dict[str, Any]] = []
    keys = {row["id"]: row["key"] for row in tree}
    order = {code_id: i for i, code_id in enumerate(code_ids)}
    for done in range(0, len(source_ids), _BATCH):
        if cancel is not None and cancel.is_set():
            raise CancelledError("agreement cancelled")
        for source_id, text, turns in sources.texts_and_turns(project, source_ids[done:done + _BATCH]):
            found, apart = _tally(text, turns, by_source.get(source_id, {}), settings, code_ids)
            for code_id, table in found.items():
                tables[code_id] += table
            differ += [{"source": titles[source_id], "source_id": source_id, "start": d.start, "end": d.end,
                        "code": keys[d.code_id], "coder": d.coder, "text": _shown(text[d.start:d.end])}
                       for d in sorted(apart, key=lambda d: (d.start, order[d.code_id], d.coder != a))]
        if progress is not None:
            progress(min(done + _BATCH, len(source_ids)), len(source_ids))
    return Result(settings, [(keys[c], tables[c]) for c in code_ids],
                  [{"id": i, "title": titles[i]} for i in source_ids], differ)


def check(settings: Settings) -> tuple[str, str]:
    """The two coders, once the settings are known to make sense."""
    a, b = settings.coders
    if not a or not b or a == b:
        raise InputError("compare two different coders: --coder A --coder B")
    if settings.unit not in UNITS:
        raise InputError(f"count agreement by {', '.join(UNITS)}, not {settings.unit!r}")
    return a, b


def _sources_in_scope(project: Project, settings: Settings) -> list[int]:
    from fieldcase.store import layers, sources

    ids = set(layers.coded_by_each(project, list(settings.coders)))
    if settings.sources:
        ids &= {sources.find(project, s)["id"] for s in settings.sources}
    if settings.cases:
        ids &= {i for c in settings.cases for i in layers.sources_of_case(project, c)}
    return sorted(ids)


def _codes_in_scope(project: Project, settings: Settings, applied: set[int]) -> list[CodeNode]:
    """The codes the figures are for, in codebook order."""
    from fieldcase.store import codes

    wanted = {codes.find(project, c)["id"] for c in settings.codes} if settings.codes else applied
    return [row for row in codes.tree(project) if row["id"] in wanted]


def _tally(text: str, turns: list[TurnRow], layers: tally.Layers, settings: Settings,
           code_ids: list[int]) -> tally.Tallied:
    coders, coded_only = settings.coders, settings.coded_only
    if settings.unit == "char":
        return tally.by_characters(len(text), layers, coders, code_ids, coded_only=coded_only)
    units = {"sentence": unit_spans.sentences, "paragraph": unit_spans.paragraphs, "source": unit_spans.whole}
    spans = unit_spans.turn_words(turns) if settings.unit == "turn" else units[settings.unit](text)
    return tally.by_units(spans, layers, coders, code_ids, coded_only=coded_only)


def _shown(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + "…"
