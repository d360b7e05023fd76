"""fieldcase → .qdpx → fieldcase keeps everything: texts, codes (keys, both names,
definitions), codings with their coders and memos, cases and sites, attributes, memos and
sets. :func:`first_difference` names the first thing that differs."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qdpx_projects import add_interview, enrich

from fieldcase.exchange.qdpx.import_project import import_qdpx
from fieldcase.reports.exporting import export_qdpx
from fieldcase.store import attributes, cases, codes, codings, memos, sets, sites, sources
from fieldcase.store.project import Project, init_project, open_project
from fieldcase.text.normalize import normalize_text


def snapshot(project: Project) -> dict[str, dict[str, Any]]:
    """What a round trip must keep, by section and UUID (ids and times left out)."""
    q = project.query
    uuid = {(t, r["id"]): r["uuid"] for t in ("sites", "cases", "sources", "codes", "codings")
            for r in q(f"SELECT id, uuid FROM {t}")}
    site = {r["id"]: r["uuid"] for r in q("SELECT id, uuid FROM sites")}
    out: dict[str, dict[str, Any]] = {}
    out["sites"] = {r["uuid"]: {k: r[k] for k in ("name", "county", "province", "region", "notes", "name_zh",
                                                      "name_en")}
                    for r in q("SELECT * FROM sites")}
    out["sources"] = {r["uuid"]: {**{k: r[k] for k in ("title", "text", "kind", "date", "place", "interviewer",
                                                       "language", "consent", "original_filename")},
                                  "site": site.get(r["site_id"])} for r in q("SELECT * FROM sources")}
    out["codes"] = {r["uuid"]: {**{k: r[k] for k in ("key", "name_zh", "name_en", "description", "inclusion",
                                                     "exclusion", "example", "color")},
                                "keywords": json.loads(r["keywords"]), "parent": uuid.get(("codes", r["parent_id"]))}
                    for r in q("SELECT * FROM codes")}
    out["code order"] = {"tree": [c["uuid"] for c in codes.tree(project, counts=False)]}
    out["codings"] = {r["uuid"]: {"source": uuid[("sources", r["source_id"])], "code": uuid[("codes", r["code_id"])],
                                  **{k: r[k] for k in ("start_offset", "end_offset", "coder", "memo", "quote", "status")}}
                      for r in q("SELECT * FROM codings")}
    links = {}
    for r in q("SELECT case_id, source_id FROM source_cases"):
        links.setdefault(r["case_id"], []).append(uuid[("sources", r["source_id"])])
    out["cases"] = {r["uuid"]: {**{k: r[k] for k in ("name", "kind", "notes")}, "site": site.get(r["site_id"]),
                                "aliases": json.loads(r["aliases"]), "sources": sorted(links.get(r["id"], []))}
                    for r in q("SELECT * FROM cases")}
    out["attributes"] = {f"{d['applies_to']}:{d['name']}": {k: d[k] for k in ("value_type", "choices", "description")}
                         for d in attributes.list_definitions(project)}
    for owner, table in (("site", "sites"), ("case", "cases"), ("source", "sources")):
        out[f"{owner} values"] = {uuid[(table, i)]: v for i, v in attributes.values_for_all(project, owner).items()}
    out["memos"] = {r["uuid"]: {"about": (r["target_type"], uuid.get((r["target_type"] + "s", r["target_id"]),
                                                                     r["target_id"])),
                                "title": r["title"], "body": r["body"]} for r in q("SELECT * FROM memos")}
    case_uuid = {r["id"]: r["uuid"] for r in q("SELECT id, uuid FROM cases")}
    out["speakers"] = {f"{uuid[('sources', r['source_id'])]}:{r['label']}": {
        "role": r["role"], "case": case_uuid.get(r["case_id"]), "decided": r["decided"]}
        for r in q("SELECT * FROM speakers")}
    out["sets"] = {s["uuid"]: {"kind": s["kind"], "name": s["name"], "description": s["description"],
                               "members": sorted(m["uuid"] for m in sets.members(project, s["id"]))}
                   for s in sets.list_all(project)}
    return out


def first_difference(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> str | None:
    """The first thing that differs between two snapshots, named (None: none differs)."""
    for section in a:
        left, right = a[section], b.get(section, {})
        for key in sorted(set(left) | set(right), key=str):
            if key not in right:
                return f"{section}: {key} is missing after the round trip ({left[key]!r})"
            if key not in left:
                return f"{section}: {key} appeared in the round trip ({right[key]!r})"
            if left[key] != right[key]:
                if isinstance(left[key], dict):
                    for field in sorted(set(left[key]) | set(right[key])):
                        if left[key].get(field) != right[key].get(field):
                            return (f"{section}: {key}.{field}: {left[key].get(field)!r} became "
                                    f"{right[key].get(field)!r}")
                return f"{section}: {key}: {left[key]!r} became {right[key]!r}"
    return None


def round_trip(path: Path, tmp: Path, target: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The project's snapshot, and that of a fresh project importing its export for ``target``."""
    out = tmp / f"{target}.qdpx"
    with open_project(path, user="tester") as project:
        before = snapshot(project)
        export_qdpx(project, out, target=target)
    back = tmp / f"back-{target}.fieldcase"
    back.unlink(missing_ok=True)
    with init_project(back, user="someone-else", framework="none") as fresh:
        import_qdpx(fresh, out)
        after = snapshot(fresh)
    return before, after


def test_first_difference_names_what_differs() -> None:
    a = {"codes": {"u1": {"key": "talent", "name_en": "Talent"}}}
    assert first_difference(a, a) is None
    assert first_difference(a, {"codes": {"u1": {"key": "talent", "name_en": "Talents"}}}) == \
        "codes: u1.name_en: 'Talent' became 'Talents'"
    assert first_difference(a, {"codes": {}}).startswith("codes: u1 is missing")


@pytest.mark.parametrize("target", ["standard", "nvivo", "atlas", "qualcoder"])
def test_the_sample_project_comes_back_the_same(sample: Path, tmp_path: Path, target: str) -> None:
    with open_project(sample, user="tester") as project:
        enrich(project)
    before, after = round_trip(sample, tmp_path, target)
    assert len(before["codings"]) > 40 and before["memos"] and before["sets"] and before["sites"]
    assert first_difference(before, after) is None


# --------------------------------------------------------------------- property-generated projects

ASTRAL = "😀🍵𠀋𠀍𪚥👍"
LETTERS = string.ascii_letters + "张三村民合作社土地访谈 é" + ASTRAL
texts = st.text(st.sampled_from(LETTERS + "\n,。：!"), min_size=3, max_size=80).map(normalize_text).filter(
    lambda t: len(t) >= 3)
words = st.text(st.sampled_from(LETTERS), min_size=1, max_size=12).map(str.strip).filter(
    lambda w: any(c.isalpha() for c in w))  # a name needs a letter (codes.check_name)
lines = st.text(st.sampled_from(LETTERS + ":\n\"["), max_size=40).map(lambda t: t.strip()).map(lambda t: t or None)
keys = st.from_regex(r"[a-z][a-z0-9]{0,6}(\.[a-z0-9]{1,4})?", fullmatch=True)


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "sources": draw(st.lists(texts, min_size=1, max_size=3, unique=True)),
        "codes": draw(st.lists(st.tuples(keys, st.one_of(st.none(), words), st.one_of(st.none(), words), lines,
                                         st.lists(words, max_size=3)),
                               min_size=1, max_size=4, unique_by=lambda c: c[0])),
        "codings": draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.floats(0, 1), st.floats(0, 1),
                                           st.sampled_from(["tester", "赵", "Ann Lee"]), lines), max_size=8)),
        "cases": draw(st.lists(st.tuples(words, st.sampled_from(cases.KINDS),
                                         lines, st.lists(words, max_size=2)),
                               max_size=3, unique_by=lambda c: c[0].lower())),
        # a site is written as a case: its name differs from the cases' (see the xfail below)
        "site": draw(st.one_of(st.none(), words.map(lambda w: "site " + w))),
        "memo": draw(lines),
        "age": draw(st.one_of(st.none(), st.integers(-5, 120))),
    }


def build(path: Path, spec: dict[str, Any]) -> None:
    with init_project(path, user="tester", framework="none") as project:
        site_id = sites.add(project, spec["site"], county="C县")["id"] if spec["site"] else None
        ids = [add_interview(project, {"title": f"访谈 {i} 😀", "text": text, "site_id": site_id})
               for i, text in enumerate(spec["sources"])]
        code_keys = []
        for key, zh, en, description, keywords in spec["codes"]:
            zh = zh if zh or en else "代码"
            code_keys.append(codes.add(project, key=key, name_zh=zh, name_en=en, description=description,
                                       keywords=keywords)["key"])
        for source_at, code_at, a, b, coder, memo in spec["codings"]:
            source_id = ids[source_at % len(ids)]
            text = spec["sources"][source_at % len(ids)]
            start = int(a * (len(text) - 1))
            end = max(start + 1, int(b * len(text)))
            codings.add(project, source_id, code_keys[code_at % len(code_keys)], start, min(end, len(text)),
                        coder=coder, memo=memo)
        if spec["age"] is not None:
            attributes.define(project, "case", "age", "integer")
        for name, kind, notes, aliases in spec["cases"]:
            case = cases.add(project, name, kind=kind, notes=notes, aliases=aliases,
                             site=spec["site"] if spec["site"] else None)
            sources.link(project, ids[0], [case["uuid"]])
            if spec["age"] is not None:
                attributes.set_values(project, "case", case["id"], {"age": spec["age"]})
            memos.add(project, "case", case["id"], "about " + name)
        if spec["memo"]:
            memos.add(project, "project", None, spec["memo"])
        sets.add_members(project, sets.add(project, "code", "set " + code_keys[0]), [codes.find(project, code_keys[0])["id"]])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(spec=projects(), target=st.sampled_from(["standard", "nvivo", "atlas", "maxqda"]))
def test_a_generated_project_comes_back_the_same(tmp_path: Path, spec: dict[str, Any], target: str) -> None:
    path = tmp_path / "gen.fieldcase"
    for stale in tmp_path.glob("*.fieldcase*"):
        stale.unlink()
    build(path, spec)
    before, after = round_trip(path, tmp_path, target)
    assert first_difference(before, after) is None


def test_a_case_named_as_its_site_comes_back(tmp_path: Path) -> None:
    spec = {"sources": ["AAA"], "codes": [("a", None, "A", None, [])], "codings": [],
            "cases": [("Xiamu", "organisation", None, [])], "site": "Xiamu", "memo": None, "age": None}
    build(tmp_path / "g.fieldcase", spec)
    before, after = round_trip(tmp_path / "g.fieldcase", tmp_path, "standard")
    assert first_difference(before, after) is None


def test_the_command_line_round_trip_keeps_fieldcase_s_own_fields(sample: Path, tmp_path: Path) -> None:
    """``fieldcase qdpx export`` then ``fieldcase qdpx import``: sites, case kinds, source
    metadata and memos on cases come back too (not only what the standard carries)."""
    from click.testing import CliRunner

    from fieldcase.cli import cli

    with open_project(sample, user="tester") as project:
        enrich(project)
        before = snapshot(project)
    out, back = tmp_path / "out.qdpx", tmp_path / "back.fieldcase"
    runner = CliRunner()
    assert runner.invoke(cli, ["qdpx", "export", str(out), "-p", str(sample)]).exit_code == 0
    assert runner.invoke(cli, ["init", "-p", str(back), "--framework", "none"]).exit_code == 0
    result = runner.invoke(cli, ["qdpx", "import", str(out), "-p", str(back)])
    assert result.exit_code == 0, result.output
    with open_project(back) as fresh:
        after = snapshot(fresh)
    assert before["sites"] and first_difference(before, after) is None


def test_speakers_keep_their_cases_and_the_researcher_s_decisions(sample: Path, tmp_path: Path) -> None:
    """Fault 3: a speaker linked to a case (刘 → 刘霞, proposed by fieldcase) and the
    researcher's own links, unlinks and roles come back, so codings count for the same cases."""
    from fieldcase.store import speakers

    with open_project(sample, user="tester") as project:
        enrich(project)
        liu = project.query("SELECT source_id FROM speakers WHERE label = '刘'")[0]["source_id"]
        h_source = project.query("SELECT source_id FROM speakers WHERE label = 'H'")[0]["source_id"]
        speakers.link(project, h_source, "访谈者", "刘霞")  # decided by hand, against the proposal
        speakers.unlink(project, h_source, "H")
        speakers.set_role(project, liu, "访谈者", "speaker")
        linked = project.query("SELECT count(*) AS n FROM speakers WHERE case_id IS NOT NULL")[0]["n"]
    before, after = round_trip(sample, tmp_path, "nvivo")
    assert linked >= 3 and sum(1 for s in before["speakers"].values() if s["decided"]) == 3
    assert first_difference(before, after) is None


def _with_origin(qdpx: Path, out: Path, origin: str) -> Path:
    """The archive with another tool's name in ``origin``, as a co-author's tool sends it back."""
    import zipfile

    with zipfile.ZipFile(qdpx) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith(".qde"):
                data = data.replace(b'origin="fieldcase ', f'origin="{origin}" was="fieldcase '.encode(), 1)
            target.writestr(name, data)
    return out


def test_a_fieldcase_file_back_from_another_tool_keeps_sites_and_kinds(sample: Path, tmp_path: Path) -> None:
    """Fault 4: NVivo puts its own name in ``origin``; the sites, case kinds and speakers come
    back as fieldcase wrote them, and into the project it came from the sites are matched."""
    with open_project(sample, user="tester") as project:
        enrich(project)
        before = snapshot(project)
        export_qdpx(project, tmp_path / "out.qdpx", target="nvivo")
    sent = _with_origin(tmp_path / "out.qdpx", tmp_path / "nvivo.qdpx", "NVivo 14.23.0 (Windows)")
    with init_project(tmp_path / "fresh.fieldcase", user="other", framework="none") as fresh:
        report = import_qdpx(fresh, sent)
        after = snapshot(fresh)
    assert report.origin.startswith("NVivo") and report.added["sites"] == len(before["sites"]) > 0
    assert {c["kind"] for c in after["cases"].values()} == {c["kind"] for c in before["cases"].values()} != {"person"}
    assert first_difference(before, after) is None
    with open_project(sample, user="tester") as project:
        report = import_qdpx(project, sent)
        assert snapshot(project) == before
    assert "cases" not in report.added and "sites" not in report.added
    assert report.matched["sites"] == len(before["sites"])


def test_importing_its_own_export_twice_matches_everything(sample: Path, tmp_path: Path) -> None:
    """Fault 5: a project importing its own export adds nothing and says so (attributes
    matched, not added), with no history entry and no "not carried" line for the memo link."""
    from fieldcase.store import history

    with open_project(sample, user="tester") as project:
        enrich(project)
        export_qdpx(project, tmp_path / "out.qdpx")
        before, groups = snapshot(project), len(history.history(project))
        for _ in range(2):
            report = import_qdpx(project, tmp_path / "out.qdpx")
            assert report.added == {} and report.not_carried == [], (report.added, report.not_carried)
            assert report.matched["case attributes"] > 0 and report.matched["sites"] > 0
        assert snapshot(project) == before and len(history.history(project)) == groups
