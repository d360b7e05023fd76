"""Coding suggestions: exact and near keywords, units, labels, decisions remembered."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldcase.analysis.suggest import suggest
from fieldcase.errors import InputError
from fieldcase.store import codes, codings, history, sources, suggestions
from fieldcase.text.suggest import Matcher

TEXT = (
    "访谈者：您为什么回来？\n"
    "村支书：他们把土地的流转搞起来了。我们村的返乡青年越来越多。\n"
    "访谈者：村支书怎么看？\n"
    "H：The returnees came back. A return visit, not a turn.\n"
    "H：土地转让是另一回事。请了设计师来设计。"
)


@pytest.fixture
def setup(project):
    talent = codes.add(project, name="返乡", key="talent", keywords=["返乡", "returnee", "turn"])
    land = codes.add(project, name="土地", key="land", keywords=["土地流转", "村支书"])
    design = codes.add(project, name="design", key="design", keywords=["设计", "设计师"])
    turns = []
    at = 0
    for seq, line in enumerate(TEXT.split("\n"), start=1):
        speaker = line.split("：")[0]
        turns.append([seq, speaker, at, at + len(speaker) + 1, at + len(line), None])
        at += len(line) + 1
    source_id = sources.add(project, {"title": "访谈", "text": TEXT, "kind": "interview"}, turns=turns)
    return {"source": source_id, "talent": talent, "land": land, "design": design}


def triggers_of(found, key):
    return [(t.keyword, t.kind, TEXT[t.start : t.end]) for s in found if s.code_key == key for t in s.triggers]


def test_exact_and_near_keywords_by_sentence(project, setup):
    found = suggest(project, store=False)
    assert ("土地流转", "fuzzy", "土地的流转") in triggers_of(found, "land")
    assert not any(text == "土地转让" for *_, text in triggers_of(found, "land"))
    talent = triggers_of(found, "talent")
    assert ("返乡", "exact", "返乡") in talent
    assert ("returnee", "fuzzy", "returnees") in talent
    assert [t for t in talent if t[0] == "turn"] == [("turn", "exact", "turn")]  # not inside "return"
    sentence = next(s for s in found if s.code_key == "talent" and s.triggers[0].keyword == "返乡")
    assert sentence.quote == "我们村的返乡青年越来越多。" and TEXT[sentence.start : sentence.end] == sentence.quote
    assert 0 < sentence.score <= 1


def test_speaker_labels_are_not_triggers(project, setup):
    found = suggest(project, store=False, interviewer=True)
    places = [t.start for s in found if s.code_key == "land" for t in s.triggers if t.keyword == "村支书"]
    label_at = TEXT.index("村支书：")
    spoken_at = TEXT.index("村支书怎么看")
    assert places == [spoken_at] and label_at not in places


def test_a_keyword_inside_a_longer_one_found_there_counts_once(project, setup):
    (design,) = [s for s in suggest(project, store=False) if s.code_key == "design"]
    assert [t.keyword for t in design.triggers] == ["设计师", "设计"]  # 设计 alone, after 设计师
    assert design.score == pytest.approx(0.84)


def test_units_turn_and_paragraph(project, setup):
    by_turn = [s for s in suggest(project, unit="turn", store=False) if s.code_key == "talent"]
    turn_text = TEXT.split("\n")[1]
    assert any(s.quote == turn_text[len("村支书："):] for s in by_turn)
    with pytest.raises(InputError):
        suggest(project, unit="page", store=False)


def test_traditional_characters_match_simplified_keywords(project, setup):
    other = sources.add(project, {"title": "繁體", "text": "他是返鄉青年。"})
    (found,) = [s for s in suggest(project, source=other, store=False) if s.code_key == "talent"]
    assert found.quote == "他是返鄉青年。" and found.triggers[0].kind == "exact"


def test_accept_reject_widen_and_what_is_remembered(project, setup):
    suggest(project)
    open_rows = suggestions.list_all(project)
    land = next(r for r in open_rows if r["code_key"] == "land" and "土地" in r["quote"])
    talent = next(r for r in open_rows if r["code_key"] == "talent" and "返乡" in r["quote"])
    coding = suggestions.accept(project, land["id"], coder="zhao")
    assert (coding["start"], coding["end"], coding["coder"]) == (land["start"], land["end"], "zhao")
    assert suggestions.get(project, land["id"])["status"] == "accepted"
    suggestions.reject(project, talent["id"])
    with pytest.raises(InputError, match="already rejected"):
        suggestions.reject(project, talent["id"])
    suggest(project)  # again: the accepted span is coded, the rejected words not offered
    again = suggestions.list_all(project)
    assert not any(r["quote"] == talent["quote"] and r["code_key"] == "talent" for r in again)
    assert not any(r["start"] == land["start"] and r["code_key"] == "land" for r in again)
    history.undo(project)  # the rejection
    history.undo(project)  # the acceptance: the coding goes, the suggestion is open again
    assert codings.query(project, code="land") == []
    assert suggestions.get(project, land["id"])["status"] == "open"


def test_widen_goes_sentence_turn_paragraph(project, setup):
    suggest(project)
    row = next(r for r in suggestions.list_all(project) if r["code_key"] == "talent" and "返乡" in r["quote"])
    turn = suggestions.widen(project, row["id"])
    assert turn["unit"] == "turn" and turn["quote"] == "他们把土地的流转搞起来了。我们村的返乡青年越来越多。"
    with pytest.raises(InputError, match="whole paragraph"):  # the turn is its paragraph here
        suggestions.widen(project, row["id"])
    plain = sources.add(project, {"title": "notes", "text": "第一句。村里的返乡青年多了。\n另一段。"})
    suggest(project, source=plain)
    row = next(r for r in suggestions.list_all(project, source=plain) if r["code_key"] == "talent")
    assert row["quote"] == "村里的返乡青年多了。"
    wide = suggestions.widen(project, row["id"])  # no turns: sentence to paragraph
    assert (wide["unit"], wide["quote"]) == ("paragraph", "第一句。村里的返乡青年多了。")


@given(st.text("返乡青年土地流转a b", max_size=60),
       st.lists(st.text("返乡青年土地流转ab", min_size=1, max_size=4), min_size=1, max_size=5, unique=True))
def test_exact_triggers_are_every_occurrence(text, keywords):
    matcher = Matcher({k: [1] for k in keywords})
    got = sorted((t.keyword, t.start) for t in matcher.triggers(text) if t.kind == "exact")
    want = []
    for k in keywords:
        for i in range(len(text)):
            if text.startswith(k, i):
                latin = all(ord(c) < 0x3000 for c in k)
                before = text[i - 1] if i else " "
                after = text[i + len(k)] if i + len(k) < len(text) else " "
                if not latin or (not before.isalnum() and not after.isalnum()):
                    want.append((k, i))
    assert got == sorted(want)


def test_cli_suggest_list_accept_reject_widen(cli, project, setup):
    rows = json.loads(cli("suggest", "--json").output)
    assert rows and all({"id", "code_key", "score", "triggers", "quote"} <= set(r) for r in rows)
    third = next(r["id"] for r in rows if r["quote"] == "我们村的返乡青年越来越多。")
    first, second = [r["id"] for r in rows if r["id"] != third][:2]
    assert f"suggestion {first}: coding" in cli("suggestions", "accept", str(first)).output
    assert "Rejected 1" in cli("suggestions", "reject", str(second)).output
    assert "now the" in cli("suggestions", "widen", str(third)).output
    listed = json.loads(cli("suggestions", "list", "--status", "all", "--json").output)
    assert {r["id"]: r["status"] for r in listed}[first] == "accepted"
    again = cli("suggestions", "accept", str(first))
    assert again.exit_code == 1 and "already accepted" in again.output


def test_triggers_are_stored_as_the_json_of_their_dicts():
    from fieldcase.text.suggest import Trigger, triggers_json

    triggers = [Trigger("返乡", 3, 5, "exact", 100.0), Trigger('say "hi"\\', 7, 16, "fuzzy", 83.33333)]
    assert json.loads(triggers_json(triggers)) == [t.to_dict() for t in triggers]
    assert triggers_json([]) == "[]"


def test_deleting_a_code_and_undoing_it_keeps_the_decisions_on_its_suggestions(project, setup):
    suggest(project, interviewer=True)
    open_rows = suggestions.list_all(project)
    land = next(r for r in open_rows if r["code_key"] == "land" and "土地" in r["quote"])
    rejected = next(r for r in open_rows if r["code_key"] == "land" and r["id"] != land["id"])
    coding = suggestions.accept(project, land["id"], coder="zhao")
    suggestions.reject(project, rejected["id"])
    codes.delete(project, "land")
    left = project.conn.execute("SELECT count(*) FROM suggestions WHERE id IN (?, ?)", [land["id"], rejected["id"]])
    assert left.fetchone()[0] == 0
    history.undo(project)
    assert suggestions.get(project, land["id"])["status"] == "accepted"
    assert suggestions.get(project, land["id"])["coding_id"] == coding["id"]
    assert suggestions.get(project, rejected["id"])["status"] == "rejected"
    suggest(project, interviewer=True)  # the rejected words are still not offered again
    assert not any(r["quote"] == rejected["quote"] and r["code_key"] == "land" for r in suggestions.list_all(project))
    history.redo(project)
    assert not any(r["code_key"] == "land" for r in suggestions.list_all(project, status=None))


def test_merging_a_code_carries_its_decisions_over(project, setup):
    suggest(project)
    talent = next(r for r in suggestions.list_all(project) if r["code_key"] == "talent" and "返乡" in r["quote"])
    suggestions.reject(project, talent["id"])
    codes.merge(project, "talent", "land")
    moved = suggestions.get(project, talent["id"])
    assert (moved["code_key"], moved["status"]) == ("land", "rejected")
    suggest(project)  # 返乡 is now a keyword of land, and its rejected sentence stays rejected
    assert not any(r["quote"] == talent["quote"] for r in suggestions.list_all(project))
    history.undo(project)
    back = suggestions.get(project, talent["id"])
    assert (back["code_key"], back["status"]) == ("talent", "rejected")


def test_a_widened_suggestion_survives_the_next_run(project, setup):
    suggest(project)
    row = next(r for r in suggestions.list_all(project) if r["code_key"] == "talent" and "返乡" in r["quote"])
    wide = suggestions.widen(project, row["id"])
    assert wide["unit"] == "turn"
    suggest(project)
    again = [r for r in suggestions.list_all(project) if r["code_key"] == "talent"]
    assert any(r["id"] == row["id"] and r["unit"] == "turn" for r in again)
    assert not any(r["unit"] == "sentence" and wide["start"] <= r["start"] < wide["end"] for r in again)
    history.undo(project)  # the widening: back to the sentence, and the next run may replace it
    assert suggestions.get(project, row["id"])["unit"] == "sentence"


def test_the_interviewers_questions_are_not_suggested_unless_asked(project, setup):
    spoken_at = TEXT.index("村支书怎么看")  # in 访谈者's turn
    def places(found):
        return [t.start for s in found for t in s.triggers]
    assert spoken_at not in places(suggest(project, store=False))
    assert spoken_at in places(suggest(project, store=False, interviewer=True))
    assert TEXT.index("土地的流转") in places(suggest(project, store=False))  # the answers are


def test_an_english_variant_is_never_a_shorter_word():
    matcher = Matcher({"outsider": [1], "returnee": [2], "tourism": [3]})
    text = "the outside, outsiders, returnees, a return, tourist"
    found = {(t.keyword, text[t.start:t.end]) for t in matcher.triggers(text)}
    assert found == {("outsider", "outsiders"), ("returnee", "returnees"), ("tourism", "tourist")}


def test_a_suggestion_made_again_keeps_its_id_and_only_new_ones_count_as_new(project, setup):
    first = suggest(project)
    assert first and all(s.new for s in first)
    ids = {(r["code_key"], r["start"], r["end"]): r["id"] for r in suggestions.list_all(project)}
    again = suggest(project)
    assert not any(s.new for s in again)
    assert {(r["code_key"], r["start"], r["end"]): r["id"] for r in suggestions.list_all(project)} == ids
    codes.update(project, "design", {"keywords": ["设计师", "设计", "另一回事"]})
    third = suggest(project)
    assert [s.quote for s in third if s.new] == ["土地转让是另一回事。"]
    assert {(r["code_key"], r["start"], r["end"]): r["id"] for r in suggestions.list_all(project)
            if (r["code_key"], r["start"], r["end"]) in ids} == ids


def test_suggestions_listed_best_first(cli, project, setup):
    suggest(project, source=setup["source"])
    in_text = suggestions.list_all(project)
    best = suggestions.list_all(project, order="score")
    assert sorted(r["id"] for r in best) == sorted(r["id"] for r in in_text)
    assert [r["score"] for r in best] == sorted((r["score"] for r in in_text), reverse=True)
    assert [r["score"] for r in in_text] != [r["score"] for r in best]  # the sample orders differ
    listed = json.loads(cli("suggestions", "list", "--sort", "score", "--json").output)
    assert [r["id"] for r in listed] == [r["id"] for r in best]
    with pytest.raises(InputError, match="text or score"):
        suggestions.list_all(project, order="code")
