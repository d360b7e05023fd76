"""One scope: the value the CLI, the TUI and the core pass around, and its one translation
into SQL, checked against filtering the rows in plain Python."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldcase.analysis import tables
from fieldcase.coding.scope import Scope, parse
from fieldcase.errors import NotFoundError
from fieldcase.store import cases, codes, codings, scoping, sites, sources, speakers, suggestions
from fieldcase.store.project import open_project
from fieldcase.text.turns import find_turns

SITES = ("X village", "Y village", "Z town")
CASES = ("H", "W", "Z", "Q", "L")  # H, W and Z speak in the transcripts
KINDS = ("interview", "observation", "document")
CODERS = ("me", "li", "wang")
DATES = (None, "2023", "2023-06", "2023-06-15", "2024-01-02", "2024-11")


def test_an_empty_scope_narrows_nothing():
    assert Scope().is_empty and not Scope().narrows_sources and Scope().codes == ()
    assert Scope().describe() == "everything"
    assert Scope.of() == Scope() and Scope.of(None, site=None).is_empty


def test_a_scope_says_what_it_narrows():
    scope = Scope(site="X village", kind="interview", date_from="2023", code=["land", "talent"], coder="li")
    assert not scope.is_empty and scope.narrows_sources
    assert scope.code == ("land", "talent") and scope.codes == ("land", "talent")
    assert hash(scope) == hash(Scope(site="X village", kind="interview", date_from="2023",
                                     code=("land", "talent"), coder="li"))
    assert scope.describe() == "site=X village kind=interview from=2023 code=land、talent coder=li"
    assert scope.sources_only() == Scope(site="X village", kind="interview", date_from="2023")
    assert scope.without("site", "coder") == Scope(kind="interview", date_from="2023", code=("land", "talent"))
    assert not Scope(code="land", coder="li").narrows_sources and Scope(code=7).codes == (7,)
    assert Scope.of(scope, site="Y village", coder=None) == Scope(site="Y village", kind="interview",
                                                                date_from="2023", code=("land", "talent"))
    with pytest.raises(AttributeError):
        scope.site = "Y village"  # type: ignore[misc]


def test_parse_reads_what_describe_writes():
    scope = Scope(site="X village", case="张 大伯", kind="interview", source="刘霞访谈", date_from="2023-06",
                  date_to="2024", code="motive.push", coder="li")
    assert parse(scope.describe()) == scope
    assert parse("  ") == Scope()
    assert parse("kind=observation site=Y village", ("site", "kind")) == Scope(site="Y village", kind="observation")
    with pytest.raises(ValueError, match=r"scope: 'village' is not name=value \(names: site, kind\)"):
        parse("village site=X", ("site", "kind"))
    with pytest.raises(ValueError, match="scope: kind= needs a value"):
        parse("site=X kind=", ("site", "kind"))


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """Sites, cases, three kinds of sources with and without dates, links to cases,
    speakers linked to cases, a code tree, codings by three coders and suggestions."""
    rng = random.Random(20261130)
    path = tmp_path_factory.mktemp("scope") / "study.fieldcase"
    with open_project(path, user="me", create=True) as project:
        site_ids = [sites.add(project, name)["id"] for name in SITES]
        case_ids = [cases.add(project, name, site=site_ids[i % 3])["id"] for i, name in enumerate(CASES)]
        top = codes.add(project, name="动因", key="motive", keywords=["返乡"])["id"]
        push = codes.add(project, name="推力", key="motive.push", parent="motive", keywords=["工作"])["id"]
        land = codes.add(project, name="土地", key="land", keywords=["土地"])["id"]
        for i in range(18):
            text = "".join(f"{rng.choice(['访谈者', 'H', 'W', 'Z'])}：{rng.choice(['返乡工作', '土地流转', '村里'])}"
                           f"{'很好' * rng.randint(1, 4)}。\n" for _ in range(rng.randint(3, 7)))
            fields = {"title": f"source {i}", "text": text, "kind": KINDS[i % 3], "date": rng.choice(DATES),
                      "site_id": rng.choice([*site_ids, None])}
            linked = rng.sample(case_ids, rng.randint(0, 2))
            source_id = sources.add(project, fields, case_ids=linked, turns=find_turns(text))
            sources.link(project, source_id, [])  # the speakers of its turns, as an import finds them
            for label in rng.sample(["H", "W", "Z"], rng.randint(0, 2)):
                if any(s["label"] == label for s in speakers.list_for(project, source_id)):
                    speakers.link(project, source_id, label, label)
            for _ in range(rng.randint(0, 5)):
                start = rng.randrange(0, len(text) - 4)
                end = min(len(text), start + rng.randint(2, 30))
                codings.add(project, source_id, rng.choice([top, push, land]), start, end, coder=rng.choice(CODERS))
        from fieldcase.analysis.suggest import suggest

        suggest(project)
    return path


def _scopes() -> st.SearchStrategy[Scope]:
    maybe = lambda values: st.none() | st.sampled_from(values)  # noqa: E731 - a one-line strategy
    return st.builds(
        Scope, site=maybe(SITES), case=maybe(CASES), kind=maybe(KINDS), source=maybe([f"source {i}" for i in range(18)]),
        date_from=maybe([d for d in DATES if d]), date_to=maybe([d for d in DATES if d]),
        code=maybe(["motive", "motive.push", "land", ("motive.push", "land")]), coder=maybe(CODERS),
    )


def _source_in(row: dict, scope: Scope, project, linked: dict[int, set[int]]) -> bool:
    """Whether a source row (as ``sources.list_all`` gives it) is in the scope's sources,
    written out by hand from the scope's meaning."""
    if scope.site is not None and row["site"] != scope.site:
        return False
    if scope.case is not None and cases.find(project, scope.case)["id"] not in linked[row["id"]]:
        return False
    if scope.kind is not None and row["kind"] != scope.kind:
        return False
    if scope.source is not None and row["title"] != scope.source:
        return False
    if scope.date_from is not None and (row["date"] is None or row["date"] < scope.date_from):
        return False
    return scope.date_to is None or (row["date"] is not None and row["date"] <= scope.date_to)


def _code_ids(project, scope: Scope, descendants: bool) -> set[int] | None:
    if scope.code is None:
        return None
    tree = codes.tree(project)
    picked = {codes.find(project, ref)["key"] for ref in scope.codes}
    return {r["id"] for r in tree if (picked & set(r["path"]) if descendants else r["key"] in picked)}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scope=_scopes(), descendants=st.booleans())
def test_the_sql_of_a_scope_keeps_what_filtering_in_python_keeps(study, scope, descendants):
    with open_project(study, user="me") as project:
        every = sources.list_all(project)
        linked = {r["id"]: {cases.find(project, name)["id"] for name in r["cases"]} for r in every}
        wanted = [r["id"] for r in every if _source_in(r, scope, project, linked)]
        assert [r["id"] for r in sources.list_all(project, scope.sources_only())] == wanted
        in_scope = sources.ids_in_scope(project, scope)
        assert in_scope == (sorted(wanted) if scope.narrows_sources else None)

        code_ids = _code_ids(project, scope, descendants)
        id_of = {r["key"]: r["id"] for r in codes.tree(project)}
        by_source = {r["id"]: r for r in every}
        case_id = None if scope.case is None else cases.find(project, scope.case)["id"]
        coded = [r["id"] for r in codings.query(project, with_cases=True)
                 if _source_in(by_source[r["source_id"]], scope.without("case"), project, linked)
                 and (case_id is None or case_id in r["case_ids"])
                 and (code_ids is None or id_of[r["code_key"]] in code_ids)
                 and (scope.coder is None or r["coder"] == scope.coder)]
        assert [r["id"] for r in codings.query(project, scope, descendants=descendants)] == coded

        narrowed = scope.without("coder")  # suggestions have no coder
        subtree = _code_ids(project, narrowed, True)
        listed = [r["id"] for r in suggestions.list_all(project, status=None)
                  if _source_in(by_source[r["source_id"]], narrowed, project, linked)
                  and (subtree is None or r["code_id"] in subtree)]
        assert [r["id"] for r in suggestions.list_all(project, narrowed, status=None)] == listed


def test_the_keywords_and_the_scope_are_one(study):
    with open_project(study, user="me") as project:
        scope = Scope(site="X village", code="motive", coder="li")
        assert codings.query(project, scope, descendants=True) == codings.query(
            project, site="X village", code="motive", coder="li", descendants=True)
        assert tables.segments(project, scope) == tables.segments(project, site="X village", code="motive",
                                                                  coder="li")
        assert tables.segments(project, scope)  # the study has codings there to compare


def test_a_name_not_found_stops_the_query(study):
    with open_project(study, user="me") as project:
        with pytest.raises(NotFoundError):
            sources.ids_in_scope(project, Scope(site="nowhere"))
        with pytest.raises(NotFoundError):
            codings.query(project, Scope(code="no.such.code"))
        with pytest.raises(ValueError, match="needs a query over codings"):
            scoping.where(project, Scope(code="motive"), scoping.SOURCES)
