"""Search finds exactly what ``str.find`` finds: every query, every scope, after edits."""

from __future__ import annotations

import functools
import random

import pytest

from fieldcase.analysis.search import search
from fieldcase.errors import InputError
from fieldcase.store import cases, codes, codings, history, search_index, sites, sources
from fieldcase.store.texts import replace_text
from fieldcase.text import query as q
from fieldcase.text.fold import fold, fold_case

HAN = "返乡青年村民治理土地流转新乡贤两委合作社人才发展鄉們國"  # a few Traditional ones too
LATIN = ["return", "Returnee", "rural", "pull", "village", "land", "co-op", "RETURN", "turn", "ΑΣ"]
PUNCT = "，。！？、：；“”（）,.!? \n"


def _text(rng: random.Random, length: int, mode: str) -> str:
    out = []
    while len(out) < length:
        roll = rng.random()
        if mode != "latin" and roll < 0.7:
            out.append(rng.choice(HAN))
        elif mode != "chinese" and roll < 0.85:
            out.append(rng.choice(LATIN) + " ")
        else:
            out.append(rng.choice(PUNCT))
        if rng.random() < 0.02:
            out.append("\n访谈者：" if rng.random() < 0.5 else "\nH：")
    return "".join(out)


@pytest.fixture
def corpus(project):
    """Sixty sources (Chinese, English, mixed) in three sites, with cases, dates and codings."""
    rng = random.Random(20261122)
    site_ids = [sites.add(project, name)["id"] for name in ("X village", "Y village", "Z town")]
    case_ids = [cases.add(project, f"case {i}", site=site_ids[i % 3])["id"] for i in range(6)]
    code = codes.add(project, name="返乡动因", key="motive")
    child = codes.add(project, name="推力", key="motive.push", parent="motive")
    texts = {}
    for i in range(60):
        mode = ("chinese", "latin", "mixed")[i % 3]
        text = _text(rng, rng.randint(50, 900), mode)
        source_id = sources.add(
            project,
            {"title": f"source {i}", "text": text, "kind": ("interview", "observation", "document")[i % 3],
             "site_id": site_ids[i % 3], "date": f"2024-{1 + i % 12:02d}-15"},
            case_ids=[case_ids[i % 6]],
        )
        texts[source_id] = text
        for _ in range(3):
            start = rng.randrange(0, len(text) - 10)
            codings.add(project, source_id, rng.choice([code["id"], child["id"]]), start,
                        min(len(text), start + rng.randint(5, 80)))
    return {"texts": texts, "sites": site_ids, "cases": case_ids, "rng": rng}


@functools.lru_cache(maxsize=4096)
def _folded(text: str, variants: bool) -> str:
    return fold(text, variants=variants)


def places(text: str, term: str, variants: bool = False) -> list[int]:
    """The oracle: every start where the folded term occurs, overlapping ones too."""
    haystack, needle = _folded(text, variants), fold(term, variants=variants)
    found, at = [], haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def oracle(texts: dict[int, str], node: q.Node, allowed: set[int], variants: bool = False) -> set[int]:
    if isinstance(node, q.Term):
        return {i for i in allowed if places(texts[i], node.text, variants)}
    if isinstance(node, q.Not):
        return allowed - oracle(texts, node.inner, allowed, variants)
    parts = [oracle(texts, p, allowed, variants) for p in node.parts]
    return set.intersection(*parts) if isinstance(node, q.All) else set().union(*parts)


def expected_hits(texts, ids, terms, variants=False, spans=None):
    out = []
    for i in sorted(ids):
        here = set()
        for term in dict.fromkeys(terms):
            n = len(fold(term, variants=variants))
            for at in places(texts[i], term, variants):
                if spans is None or any(s <= at and at + n <= e for s, e in spans.get(i, [])):
                    here.add((i, at, at + n))
        out.extend(sorted(here, key=lambda h: (h[1], h[2])))
    return out


def _queries(corpus, count: int) -> list[str]:
    rng, texts = corpus["rng"], list(corpus["texts"].values())
    out = []
    for _ in range(count):
        text = rng.choice(texts)
        n = rng.randint(1, 8)
        at = rng.randrange(0, max(1, len(text) - n))
        out.append(text[at : at + n])  # present somewhere: often spans punctuation or spaces
    out += ["".join(rng.choice(HAN) for _ in range(rng.randint(1, 4))) for _ in range(count // 4)]
    out += ["return", "RETURN", "turn", "σ", "ς", "乡", "鄉", "新乡贤", "co-op", "，", "\n", "zzz", "返乡青年村民"]
    return out


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def test_every_single_term_matches_the_find_oracle(project, corpus):
    texts = corpus["texts"]
    for term in _queries(corpus, 250):
        result = search(project, _quoted(term))
        want_ids = {i for i in texts if places(texts[i], term)}
        assert set(result.sources) == want_ids, term
        got = [(h.source_id, h.start, h.end) for h in result.hits]
        assert got == expected_hits(texts, want_ids, [term]), term
        for hit in result.hits[:5]:
            assert fold_case(texts[hit.source_id][hit.start : hit.end]) == fold_case(term)
            assert hit.match == texts[hit.source_id][hit.start : hit.end]


def test_boolean_queries_match_the_oracle(project, corpus):
    texts, rng = corpus["texts"], corpus["rng"]
    words = [w for w in _queries(corpus, 60) if w.strip() and '"' not in w]
    for _ in range(50):
        a, b, c = (_quoted(rng.choice(words)) for _ in range(3))
        for text in (f"{a} {b}", f"{a} OR {b}", f"{a} NOT {b}", f"({a} OR {b}) {c}", f"NOT {a}",
                     f"{a} AND NOT ({b} OR {c})"):
            node = q.parse(text)
            want = oracle(texts, node, set(texts))
            result = search(project, text)
            assert set(result.sources) == want, text
            got = [(h.source_id, h.start, h.end) for h in result.hits]
            assert got == expected_hits(texts, want, q.positive_terms(node)), text


def test_scopes_match_the_oracle(project, corpus):
    texts = corpus["texts"]
    rows = {r["id"]: r for r in sources.list_all(project)}
    in_case = {r[0] for r in project.conn.execute(
        "SELECT source_id FROM source_cases WHERE case_id = ?", [corpus["cases"][1]])}
    spans: dict[int, list[tuple[int, int]]] = {}
    for row in codings.query(project, code="motive", descendants=True):
        spans.setdefault(row["source_id"], []).append((row["start"], row["end"]))
    scopes = [
        ({"site": "Y village"}, {i for i, r in rows.items() if r["site_id"] == corpus["sites"][1]}),
        ({"case": "case 1"}, in_case),
        ({"kind": "observation"}, {i for i, r in rows.items() if r["kind"] == "observation"}),
        ({"date_from": "2024-03-01", "date_to": "2024-06-30"},
         {i for i, r in rows.items() if "2024-03-01" <= r["date"] <= "2024-06-30"}),
        ({"site": "X village", "kind": "interview"},
         {i for i, r in rows.items() if r["site_id"] == corpus["sites"][0] and r["kind"] == "interview"}),
    ]
    for term in _queries(corpus, 60):
        for narrow, allowed in scopes:
            result = search(project, _quoted(term), **narrow)
            want = {i for i in allowed if places(texts[i], term)}
            assert set(result.sources) == want, (term, narrow)
            assert [(h.source_id, h.start, h.end) for h in result.hits] == expected_hits(texts, want, [term])
        coded = search(project, _quoted(term), code="motive")
        want_hits = expected_hits(texts, set(spans), [term], spans=spans)
        assert [(h.source_id, h.start, h.end) for h in coded.hits] == want_hits, term
        assert set(coded.sources) == {h[0] for h in want_hits}


def test_variant_folding_matches_the_folded_oracle(project, corpus):
    texts = corpus["texts"]
    for term in ["乡", "鄉", "返鄉", "们", "們", "国", "國家", "新鄉贤"] + _queries(corpus, 40):
        result = search(project, _quoted(term), fold_variants=True)
        want = {i for i in texts if places(texts[i], term, variants=True)}
        assert set(result.sources) == want, term
        assert [(h.source_id, h.start, h.end) for h in result.hits] == expected_hits(texts, want, [term], True)
    simple = sources.add(project, {"title": "simplified only", "text": "我们乡的年轻人"})
    assert simple not in search(project, "鄉").sources  # 乡 is found for 鄉 only when asked
    assert simple in search(project, "鄉", fold_variants=True).sources
    assert search(project, "我們鄉", fold_variants=True, source=simple).hits[0].start == 0


def test_index_follows_imports_edits_and_undo(project, corpus):
    texts = corpus["texts"]
    first = min(texts)
    assert search(project, "独一无二的词").sources == []
    new_text = texts[first] + "\n这是独一无二的词。"
    replace_text(project, first, new_text)
    found = search(project, "独一无二的词")
    assert found.sources == [first] and found.hits[0].start == len(texts[first]) + 3
    history.undo(project)
    assert search(project, "独一无二的词").sources == []
    history.redo(project)
    assert search(project, "独一无二的词").sources == [first]
    added = sources.add(project, {"title": "late", "text": "晚到的访谈：独一无二的词"})
    assert search(project, "独一无二的词").sources == [first, added]
    history.undo(project)  # the add is gone again
    assert search(project, "独一无二的词").sources == [first]


def test_dead_index_rows_are_rebuilt_away(project, corpus):
    first = min(corpus["texts"])
    for n in range(30):
        replace_text(project, first, corpus["texts"][first] + f"版本{n}")
        search_index.sync(project)
    dead, live = project.conn.execute(
        "SELECT count(*) FILTER (WHERE live = 0), count(*) FILTER (WHERE live = 1) FROM search_docs").fetchone()
    assert dead <= max(live, 20) and live == len(corpus["texts"])
    assert search(project, "版本29").sources == [first]
    assert search(project, "版本28").sources == []


def test_limit_caps_hits_and_says_so(project, corpus):
    every = search(project, "村")
    assert len(every.hits) > 20 and every.complete
    few = search(project, "村", limit=20)
    assert [(h.source_id, h.start) for h in few.hits] == [(h.source_id, h.start) for h in every.hits[:20]]
    assert not few.complete
    assert search(project, "村", with_hits=False).sources == every.sources


def test_context_line_shows_the_match_in_place(project):
    source_id = sources.add(project, {"title": "t", "text": "我们村的年轻人\n都出去了，现在返乡的人多了。"})
    (hit,) = search(project, "返乡", context=6).hits
    assert (hit.start, hit.end) == (15, 17)
    assert hit.context == "出去了，现在【返乡】的人多了。"
    assert search(project, "出去", context=6).hits[0].left == "的年轻人 都"
    assert hit.source_id == source_id


@pytest.mark.parametrize("bad", ['"open', "(a", "a OR", ")", "", "   ", "NOT"])
def test_malformed_queries_get_one_clear_line(project, bad):
    with pytest.raises(InputError, match="search query"):
        search(project, bad)


def test_cli_search_prints_hits_and_json(cli, project):
    import json

    first = sources.add(project, {"title": "访谈一", "text": "他2012年返乡。村里的返乡青年不少。", "kind": "interview"})
    sources.add(project, {"title": "notes", "text": "Returnees are few. A return visit.", "kind": "observation"})
    out = cli("search", "返乡").output
    assert f"{first:>4}       6-8" in out and "【返乡】" in out and "2 hits in 1 source" in out
    data = json.loads(cli("search", "return", "--json").output)
    assert [(h["start"], h["end"], h["match"]) for h in data["hits"]] == [(0, 6, "Return"), (21, 27, "return")]
    assert data["hits"][0]["source_title"] == "notes" and data["complete"]
    limited = json.loads(cli("search", "返乡 OR return", "--limit", "1", "--json").output)
    assert len(limited["hits"]) == 1 and not limited["complete"]
    assert json.loads(cli("search", "返乡", "--kind", "observation", "--json").output)["hits"] == []
    bad = cli("search", '"open')
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "quote is not closed" in bad.output
    assert "Indexed 2 sources" in cli("reindex").output


def test_writes_from_another_connection_reach_the_index_and_the_text_cache(project, project_path):
    from fieldcase.store.project import open_project

    source_id = sources.add(project, {"title": "t", "text": "最初的文本：合作社"})
    assert search(project, "合作社").sources == [source_id]  # texts now cached in memory
    with open_project(project_path) as other:
        replace_text(other, source_id, "改过的文本：电商")
        added = sources.add(other, {"title": "u", "text": "另一个连接写的合作社"})
    assert search(project, "合作社").sources == [added]
    (hit,) = search(project, "电商").hits
    assert (hit.source_id, hit.start, hit.match) == (source_id, 6, "电商")


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text("ab乡", max_size=40), st.text("ab乡", min_size=1, max_size=4))
def test_find_all_finds_every_start_overlapping_or_not(text, term):
    from fieldcase.text.search import find_all

    assert find_all(text, term) == [i for i in range(len(text)) if text.startswith(term, i)]


def test_hits_index_slice_and_offsets_agree(project, corpus):
    result = search(project, "乡 OR 村")
    hits = result.hits
    listed = list(hits)
    assert len(listed) == len(hits) > 100
    assert [(h.source_id, h.start, h.end) for h in listed] == list(hits.offsets())
    for i in (0, 1, 57, len(hits) - 1, -1):
        assert (hits[i].source_id, hits[i].start, hits[i].term) == (listed[i].source_id, listed[i].start,
                                                                    listed[i].term)
    assert [h.start for h in hits[10:20]] == [h.start for h in listed[10:20]]
    with pytest.raises(IndexError):
        hits[len(hits)]


def test_import_indexes_unless_asked_not_to_and_search_catches_up(cli, project, tmp_path):
    from conftest import write

    write(tmp_path / "a.txt", "第一份：村里办了合作社。")
    write(tmp_path / "b.txt", "第二份：合作社分红了。")
    assert cli("import", str(tmp_path / "a.txt")).exit_code == 0
    indexed = project.conn.execute("SELECT count(*) FROM search_docs WHERE live = 1").fetchone()[0]
    assert indexed == 1
    assert cli("import", str(tmp_path / "b.txt"), "--no-index").exit_code == 0
    assert project.conn.execute("SELECT count(*) FROM search_docs WHERE live = 1").fetchone()[0] == 1
    assert len(search(project, "合作社").sources) == 2  # the search indexes what was left


def test_every_hit_streamed_keeps_no_text_in_memory_and_finds_what_search_finds(project, corpus):
    from fieldcase.analysis.search import search_all

    cache = search_index._CACHES
    cache.clear()
    for query in ("village", "return OR 国", "村", "Returnee 土"):  # a word, an OR, one character, an AND
        every = search(project, query)
        assert len(every.hits) > 0
        cache.clear()
        for fold_variants in (False, True):
            ids, hits = search_all(project, query, fold_variants=fold_variants)
            streamed = [(h.source_id, h.start, h.end) for h in hits]
            if not fold_variants:
                assert ids == every.sources and streamed == [(h.source_id, h.start, h.end) for h in every.hits]
            assert all(not c.entries and c.chars == 0 for c in cache.values())  # nothing kept
    search(project, "village")  # an interactive search keeps the texts it read for the next one
    assert sum(c.chars for c in cache.values()) > 0
