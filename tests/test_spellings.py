"""Finding listed names in every spelling (fieldcase.text.spellings), against a plain reference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fieldcase.text.spellings import SEPARATORS, NameFinder, fold_char, fold_map, units


def spans(finder: NameFinder, text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in finder.find(text)]


def test_every_spelling_of_a_listed_name_is_found():
    finder = NameFinder(["Zhang San", "张三"])
    for text in ("ZHANG SAN", "Ｚｈａｎｇ Ｓａｎ", "Zhang  San", "ZhangSan", "zhang-san", "Zhāng Sān",
                 "Zhang\u3000San", "张三", "张 三", "张　三", "張三"):
        assert spans(finder, f"（{text}）") == [(1, 1 + len(text))], text


def test_a_latin_name_matches_whole_words_only():
    finder = NameFinder(["Li"])
    assert spans(finder, "Like Li, li; LI") == [(5, 7), (9, 11), (13, 15)]
    assert spans(finder, "李Li说") == [(1, 3)]  # a Chinese neighbour is no part of the word
    assert finder.find("Lily Olivia") == []


def test_a_standalone_name_is_found_only_where_nothing_touches_it():
    finder = NameFinder(standalone=["刘"])
    text = "刘：我们\n[00:01] 刘 ：好\n老刘说刘海的事（劉，2024）"
    assert [text[f.start : f.end] for f in finder.find(text)] == ["刘", "刘", "劉"]


def test_a_name_written_joined_in_the_table_matches_it_spaced():
    assert spans(NameFinder(["ZhangSan"]), "Zhang San") == [(0, 9)]


def test_longest_name_wins_and_replacement_keeps_the_rest():
    finder = NameFinder(["张三", "张三丰"])
    assert finder.replace("张三丰和张三", lambda f: {"张三": "H", "张三丰": "F"}[f.name]) == "F和H"


def test_fold_map_points_back_at_the_written_characters():
    folded, origin = fold_map("Straße ﬁ")
    assert folded == "strasse fi"
    assert origin is not None and [origin[i] for i in (4, 5, 6, 8, 9)] == [4, 4, 5, 7, 7]
    assert fold_map("Ｚｈａｎｇ張")[1] is None  # one for one: offsets unchanged


# -- a plain reference: try every substring ---------------------------------------------------

def ref_fold(text: str) -> str:
    return "".join(fold_char(c) for c in text)


def is_spelling(written: str, name: str) -> bool:
    """``written`` folds to the name's parts, separators only between parts, none at the ends."""
    if not written or not fold_char(written[0]):
        return False
    folded = ref_fold(written)
    if folded[0] in SEPARATORS or folded[-1] in SEPARATORS:
        return False
    squashed, cuts = "", set()
    for c in folded:
        if c in SEPARATORS:
            cuts.add(len(squashed))
        else:
            squashed += c
    parts = units(name)
    bounds = {len("".join(parts[:k])) for k in range(1, len(parts))}
    return squashed == "".join(parts) and cuts <= bounds


def bounded(text: str, i: int, j: int, name: str, standalone: bool) -> bool:
    before, after = ref_fold(text[:i])[-1:], ref_fold(text[j:])[:1]
    if standalone:
        return not before.isalnum() and not after.isalnum()
    squashed = "".join(units(name))
    latin = set("abcdefghijklmnopqrstuvwxyz0123456789")
    if squashed[0] in latin and before in latin and before:
        return False
    return not (squashed[-1] in latin and after in latin and after)


def reference(text: str, names: list[str], alone: list[str]) -> list[tuple[int, int]]:
    entries = [(n, False) for n in names] + [(n, True) for n in alone]
    entries = [e for e in entries if units(e[0])]
    out, i = [], 0
    while i < len(text):
        best = None
        for name, standalone in sorted(entries, key=lambda e: -len("".join(units(e[0])))):
            ends = [j for j in range(i + 1, len(text) + 1)
                    if is_spelling(text[i:j], name) and bounded(text, i, j, name, standalone)]
            if ends:
                best = max(ends)
                break
        if best is None:
            i += 1
        else:
            out.append((i, best))
            i = best
    return out


ALPHABET = list("张張三刘劉霞老海Zzhang SsLliIke1：:，\n-\t") + ["\u3000", "Ｚ", "ｈ", "ā", "\u0304", "ß"]
NAMES = ["Zhang San", "张三", "Li", "刘霞", "ZhangSan", "li ke", "三"]


TRADITIONAL = {"张": "張", "刘": "劉"}


@st.composite
def spelled(draw: st.DrawFn, name: str) -> str:
    """``name`` written some way: each character in another case, width or script, and
    separators (or none) between characters."""
    out = ""
    for ch in name:
        forms = [ch, ch.upper(), ch.lower(), TRADITIONAL.get(ch, ch)]
        if "!" <= ch <= "~":
            forms.append(chr(ord(ch) + 0xFEE0))
        out += draw(st.sampled_from(forms))
        out += draw(st.text(alphabet=st.sampled_from([*SEPARATORS, "\u3000"]), max_size=2))
    return out


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Random text, often with a listed name spelled some way inside."""
    chunks = st.text(alphabet=st.sampled_from(ALPHABET), max_size=8)
    inner = draw(st.sampled_from(NAMES + ["刘"]).flatmap(spelled) | chunks)
    return draw(chunks) + inner + draw(chunks)


@given(
    texts(),
    st.lists(st.sampled_from(NAMES) | st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=4),
             min_size=1, max_size=3),
    st.lists(st.sampled_from(["刘", "Zhang", "劉"]), max_size=2),
)
def test_finder_matches_the_reference(text, names, alone):
    finder = NameFinder(names, standalone=alone)
    assert spans(finder, text) == reference(text, list(dict.fromkeys(names)), list(dict.fromkeys(alone)))


# -- a place in its other language, and names spelt in code keys -------------------------------

def test_a_place_is_covered_in_its_other_language():
    from fieldcase.text.places import companions

    assert companions("Y村", "X village") == [("Y village", "X village"), ("Y cun", "X village")]
    assert companions("X village", "Y village") == [("X cun", "Y village"), ("X村", "Y村")]
    assert ("Yang Jia village", "X village") in companions("杨家村", "X村")
    assert companions("张三", "H") == []


def test_a_name_spelt_in_a_key_is_found_in_every_reading_and_only_as_a_name():
    from fieldcase.coding.key_names import KeyNames, name_slug
    from fieldcase.coding.keys import slug

    keys = KeyNames({"张三": "H", "李丽": "W", "Li": "L", "曾三": "C", "Zhang Wei": "Z", "刘": "-"})
    assert keys.replace(f"talent.{slug('我是张三')}", lambda v: name_slug(v)) == "talent.woshih"
    assert [k[2] for k in keys.find("woshilili li-family zengsan zhang-wei")] == ["W", "L", "C", "Z"]
    assert keys.find("brilliant lifestyle talent.motive.push Lilian liu") == []
    axia = KeyNames({"阿霞": "阿L"})
    assert axia.find("biejiaoliuzongjiaowoaxiajiuxing") == [(20, 24, "阿L")]  # between whole syllables
    assert axia.find("daxiayu ataxia") == []  # da|xia, and an English word
    cut = slug("我们村里的人那时候说过的话很有道理")
    assert len(cut) == 32 and keys.find(cut) == []  # pinyin of other words
    cut = slug("都知道那时候回来的张三")
    assert cut.endswith("zhangsa") and keys.find(cut) == [(25, 32, "H")]  # cut off by the slug's length


def test_invisible_characters_dashes_and_line_breaks_hide_no_name():
    finder = NameFinder(["张三", "Zhang San"])
    for text in ("Zhang\u2010San", "Zhang\u2014San", "Zhang\nSan", "张\u200b三", "张\u00ad三", "ZHANG\u200dSAN"):
        assert [(h.start, h.end) for h in finder.find(text)] == [(0, len(text))], repr(text)
