"""The streamed exports attribute a coding to the cases of its words, as the query does:
SQLite trims the blanks at either end of each quote (only when there are some), and
the result must be Python's ``str.strip`` to the character, across turns and blanks."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write
from fieldcase.coding.scope import Scope
from fieldcase.importers import ImportOptions, import_paths
from fieldcase.store import cases, codes, codings, coding_stream, sources, speakers

# turns whose blanks (a line break, an ideographic space, a tab) fall at turn edges, after
# words before the first turn
TEXT = ("\u3000录音开始 \n"
        "访谈者：您好。\u3000\n"
        "H：我 回来了。\t\n"
        "\n"
        "W：  我也是。 \n"
        "答：嗯。\u2003\n"
        "H：好的\n")


@pytest.fixture(scope="module")
def placed(tmp_path_factory):
    from fieldcase.store.project import init_project

    folder = tmp_path_factory.mktemp("attribution")
    project = init_project(folder / "a.fieldcase", user="tester")
    for name in ("H", "W"):
        cases.add(project, name)
    (result,) = import_paths(project, [write(folder / "t.txt", TEXT)], ImportOptions(cases=["H"]))
    speakers.link(project, result.id, "H", "H")
    speakers.link(project, result.id, "W", "W")
    codes.add(project, key="k", name="k")
    assert any(c.isspace() for c in sources.find(project, result.id)["text"])
    yield project, result.id, len(sources.find(project, result.id)["text"])
    project.close()


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spans=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 12)), min_size=1, max_size=6))
def test_streamed_attribution_is_the_querys(placed, spans):
    project, source_id, size = placed
    made = []
    for at, length in spans:
        start = int(at * size)
        row, new = codings.add(project, source_id, "k", start, min(size, start + length))
        if new:
            made.append(row["id"])
    try:
        queried = {r["id"]: (tuple(r["case_ids"]), r["basis"], r["speaker"], r["opened_by"])
                   for r in codings.query(project, Scope(), with_cases=True)}
        streamed = {r["id"]: (tuple(r["case_ids"]), r["basis"], r["speaker"], r["opened_by"])
                    for r in coding_stream.rows(project, Scope())}
        assert streamed == queried
        tallied: Counter[tuple[tuple[int, ...], str]] = Counter()
        for (_, _, case_ids, basis), n in coding_stream.tally(project, Scope()).items():
            tallied[(case_ids, basis)] += n
        assert tallied == Counter((v[0], v[1]) for v in queried.values())
    finally:
        for coding_id in made:
            codings.remove(project, coding_id)


def test_a_summary_quote_is_renamed_as_deep_renames_it(project, tmp_path):
    """The summary makes each quote from the cursor's row, renaming what repeats once: the
    quotes it gives a template are those of quotes_by_code, each as rename.deep renames it."""
    from fieldcase.reports.pseudonyms import renamer
    from fieldcase.reports.summary import build, quotes_by_code
    from fieldcase.store import pseudonyms

    cases.add(project, "刘霞")
    (result,) = import_paths(project, [write(tmp_path / "刘霞访谈.txt", "问：您好。\n刘霞：我回来了，刘霞村很好。\n")],
                             ImportOptions(cases=["刘霞"]))
    speakers.link(project, result.id, "刘霞", "刘霞")
    codes.add(project, key="back", name="回来")
    text = sources.find(project, result.id)["text"]
    at = text.index("我回来了")
    row, _ = codings.add(project, result.id, "back", at, at + 10)
    codings.set_memo(project, row["id"], "刘霞说的")
    codings.add(project, result.id, "back", text.index("您好"), at + 3)  # across turns: labels shown
    pseudonyms.add(project, "刘霞", "L")
    rename = renamer(project)
    shown = {code["key"]: list(code["quotes"]) for code in build(project)["codes"]}
    expected = {key: [rename.deep(q) for q in quotes] for key, quotes in quotes_by_code(project).items()}
    assert shown == expected and len(shown["back"]) == 2
    assert "刘霞" not in repr(shown) and "L" in repr(shown)
