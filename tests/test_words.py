"""Word counts, keyword in context and the glossary."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from fieldcase.analysis.words import kwic, word_counts
from fieldcase.store import codes, codings, history, sources
from fieldcase.store import words as glossary
from fieldcase.store.texts import replace_text

# A term jieba splits (乡村 / 夜校) until the glossary keeps it whole; used only here.
TERM = "乡村夜校"


@pytest.fixture
def texts(project):
    text = f"访谈者：你们办了{TERM}吗？\nH：办了{TERM}，村民都来。合作社也来了。\n访谈者：好的。"
    turns, at = [], 0
    for seq, line in enumerate(text.split("\n"), start=1):
        speaker = line.split("：")[0]
        turns.append([seq, speaker, at, at + len(speaker) + 1, at + len(line), None])
        at += len(line) + 1
    first = sources.add(project, {"title": "访谈一", "kind": "interview", "text": text}, turns=turns)
    second = sources.add(project, {"title": "notes", "kind": "observation",
                                   "text": f"Villagers at the {TERM}. The cooperative met villagers."})
    return first, second


def as_dict(rows):
    return {r.word: (r.count, r.sources) for r in rows}


def test_counts_leave_out_labels_and_stop_words_and_lower_case_latin(project, texts):
    counts = as_dict(word_counts(project, top=None))
    assert "访谈者" not in counts and "h" not in counts  # speaker labels are not words said
    assert "的" not in counts and "the" not in counts and "了" not in counts
    assert counts["villagers"] == (2, 1)
    assert counts["合作社"] == (1, 1)
    assert "的" not in counts and "了" in as_dict(word_counts(project, top=None, keep_stop_words=True))


def test_glossary_keeps_terms_whole_and_changes_the_cached_counts(project, texts):
    before = as_dict(word_counts(project, top=None))
    assert TERM not in before and "夜校" in before
    glossary.add(project, TERM, note="night school")
    after = as_dict(word_counts(project, top=None))
    assert after[TERM] == (3, 2) and "夜校" not in after
    history.undo(project)
    assert [r["term"] for r in glossary.list_all(project)] == []


def test_counts_are_cached_until_the_text_changes(project, texts, monkeypatch):
    import jieba

    word_counts(project)
    calls = Counter()
    real = jieba.lcut
    monkeypatch.setattr(jieba, "lcut", lambda *a, **k: calls.update(["cut"]) or real(*a, **k))
    word_counts(project)
    assert calls["cut"] == 0  # both sources came from the cache
    replace_text(project, texts[1], "Villagers again. Cooperative members.")
    counts = as_dict(word_counts(project, top=None))
    assert calls["cut"] == 1 and counts["cooperative"] == (1, 1) and counts["villagers"] == (1, 1)


def test_scopes_and_coded_text(project, texts):
    code = codes.add(project, name="organisations", key="org")
    first, second = texts
    text = sources.find(project, first)["text"]
    at = text.index("合作社")
    codings.add(project, first, code["id"], at, at + 6)
    coded = as_dict(word_counts(project, code="org", top=None))
    assert set(coded) == {"合作社"}
    only_notes = as_dict(word_counts(project, kind="observation", top=None))
    assert "合作社" not in only_notes and "cooperative" in only_notes


def test_kwic_lines_up_every_place_and_sorts(project, texts):
    rows = kwic(project, "villagers", width=5)
    assert [(r["start"], r["match"], r["left"], r["right"]) for r in rows] == [
        (0, "Villagers", "", " at t"), (43, "villagers", " met ", "."),
    ]
    by_right = kwic(project, TERM, width=3, sort="right")
    assert [r["right"] for r in by_right] == sorted(r["right"] for r in by_right)
    assert len(by_right) == 3


def test_cli_words_kwic_and_glossary(cli, project, texts):
    data = json.loads(cli("words", "--json", "--top", "3").output)
    assert len(data) == 3 and all({"word", "count", "sources", "per_10k"} <= set(r) for r in data)
    out = cli("words", "--top", "5").output
    assert "word" in out and "█" in out
    assert "Glossary: 1 terms" in cli("glossary", "add", TERM).output
    assert TERM in cli("glossary", "list").output
    lines = cli("kwic", TERM, "--width", "4").output.splitlines()
    assert len(lines) == 4 and f"【{TERM}】" in lines[0] and lines[-1] == "3 lines"
    assert cli("glossary", "remove", TERM).exit_code == 0
    missing = cli("glossary", "remove", TERM)
    assert missing.exit_code == 1 and "not in the glossary" in missing.output
    bad = cli("glossary", "add", "two words")
    assert bad.exit_code == 1 and "without spaces" in bad.output


def test_kwic_of_whole_words_lists_the_places_word_counts_count(project, texts):
    sources.add(project, {"title": "讲", "text": "他讲了半天。讲话很长，大家都在讲。"})
    every = kwic(project, "讲")
    whole = kwic(project, "讲", whole_words=True)
    assert len(every) == 3 and [r["start"] for r in whole] == [1, 15]  # not the 讲 of 讲话
    assert as_dict(word_counts(project, top=None, keep_stop_words=True))["讲"][0] == len(whole)
    labels = kwic(project, "访谈者", whole_words=True)
    assert labels == []  # speaker labels are not words said


def test_cli_kwic_words_flag(cli, project, texts):
    sources.add(project, {"title": "讲", "text": "他讲了半天。讲话很长。"})
    lines = cli("kwic", "讲", "--words").output.splitlines()
    assert lines[-1] == "1 line"


def test_interview_fillers_leave_the_sample_top_words_to_what_the_study_is_about(sample):
    from fieldcase.store.project import open_project

    with open_project(sample) as project:
        top = [r.word for r in word_counts(project, top=60, kind="interview")]
        everything = {r.word for r in word_counts(project, top=None, kind="interview", keep_stop_words=True)}
    fillers = ["现在", "讲", "以后", "以前", "想", "觉得", "后来", "事情", "一年"]
    assert set(fillers) <= everything  # they are in the interviews, and counted with --keep-stop-words
    assert not set(fillers) & set(top)
    assert not {"知道", "其实", "东西", "没有", "可能", "当时", "刚才", "几个", "搞"} & set(top)
    assert {"村里", "回来", "县里", "老人", "年轻人", "民宿", "宅基地"} <= set(top)  # the study's words stay
