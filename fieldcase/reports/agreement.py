"""Inter-coder agreement for a methods appendix: the table per code and pooled, the
settings it was computed with, and the units where the coders differ; Markdown or HTML
through a template, or an XLSX of three sheets. Every name and text in it is pseudonymised."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.analysis.agreement import Result, Settings, compute
from fieldcase.reports.registry import AGREEMENT
from fieldcase.reports.templating import render

if TYPE_CHECKING:
    from fieldcase.reports.pseudonyms import Pseudonyms
    from fieldcase.store.project import Project

UNIT_WORDS = {"char": "character", "sentence": "sentence", "turn": "speaker turn (its words, not its label)",
              "paragraph": "paragraph (a line of text)", "source": "whole source"}
RULE = ("A coder applied a code to a unit when one of their codings of that code (not of its sub-codes) "
        "overlaps the unit by at least one character.")
FIELDS = ("units", "both", "a_only", "b_only", "agreement", "kappa", "alpha")


def build(project: Project, result: Result, *, rename: Pseudonyms) -> dict[str, Any]:
    """The template context: project, settings, codes (code, name, figures), overall,
    disagreements (source, start, end, code, name, coder, text), today; pseudonymised."""
    from fieldcase.store import codes

    names = {row["key"]: codes.label(row) for row in codes.tree(project)}
    context = {
        "project": project.info(),
        "settings": _settings(result, names),
        "codes": [{"code": key, "name": names[key], **table.figures()} for key, table in result.codes],
        "overall": result.overall.figures(),
        "disagreements": [{**d, "name": names[d["code"]]} for d in result.disagreements],
        "today": date.today().isoformat(),
    }
    built: dict[str, Any] = rename.deep(context)
    return built


def _settings(result: Result, names: dict[str, str]) -> dict[str, Any]:
    s = result.settings
    return {
        "coders": list(s.coders),
        "unit": s.unit,
        "unit_words": UNIT_WORDS[s.unit],
        "codes": [names[key] for key, _ in result.codes],
        "codes_given": bool(s.codes),
        "sources": [row["title"] for row in result.sources],
        "sources_given": list(s.sources),
        "cases": list(s.cases),
        "coded_only": s.coded_only,
        "rule": RULE,
        "package": f"krippendorff {version('krippendorff')}",
    }


def write_report(project: Project, path: Path, fmt: str, settings: Settings, *, template: str | None = None,
                 rename: Pseudonyms) -> None:
    """Compute the agreement and write it as ``fmt`` (md, html or xlsx) to ``path``."""
    context = build(project, compute(project, settings), rename=rename)
    if fmt == "xlsx":
        _write_xlsx(context, path)
        return
    path.write_text(render(template or AGREEMENT.templates[fmt], **context), encoding="utf-8")


def _write_xlsx(context: dict[str, Any], path: Path) -> None:
    from fieldcase.reports.sheets import write_sheets

    settings = context["settings"]
    a, b = settings["coders"]
    figures = [{"code": row["code"], "name": row["name"], **_named(row, a, b)} for row in context["codes"]]
    figures.append({"code": "", "name": "(all codes, pooled)", **_named(context["overall"], a, b)})
    listed = [
        ("coders", f"{a}, {b}"), ("unit", settings["unit_words"]),
        ("units in scope", "only units at least one coder coded with a code in scope" if settings["coded_only"]
         else "all units of every source both coders coded"),
        ("sources", "; ".join(settings["sources"])), ("cases", "; ".join(settings["cases"]) or "(all)"),
        ("codes", "; ".join(settings["codes"]) + ("" if settings["codes_given"] else " (every code applied)")),
        ("applied", settings["rule"]),
        ("kappa", "Cohen's kappa, pe = pA·pB + (1−pA)(1−pB); blank when pe = 1"),
        ("alpha", f"Krippendorff's alpha, nominal ({settings['package']}); blank when undefined"),
        ("date", context["today"]),
    ]
    differ = [{"source": d["source"], "start": d["start"], "end": d["end"], "code": d["code"], "name": d["name"],
               "applied by": d["coder"], "text": d["text"]} for d in context["disagreements"]]
    write_sheets({"agreement": figures, "settings": [{"setting": k, "value": v} for k, v in listed],
                  "disagreements": differ or [{"source": "(none)"}]}, path)


def _named(figures: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    """Figures with the coders' names in the column names (``li only``)."""
    renamed = {"a_only": f"{a} only", "b_only": f"{b} only"}
    return {renamed.get(k, k): figures[k] for k in FIELDS}
