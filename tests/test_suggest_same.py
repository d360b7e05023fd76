"""Suggestions stay exactly what they were before the matching was made faster.

A generated corpus of transcripts (Chinese talk, Traditional characters, English notes,
keyword variants, interviewer turns) is run through the matching core with the
framework's keywords and a few more, by every unit; the digest pins the result as the
code before the speed-up produced it.
"""

from __future__ import annotations

import hashlib
import json
import random

from fieldcase.coding.framework import load
from fieldcase.text.fold import fold
from fieldcase.text.suggest import UNITS, Matcher, suggest_text
from fieldcase.text.turns import find_turns

WORDS = (
    "返乡 村民 土地流转 土地的流转 合作社 新乡贤 鄉賢 村两委 村兩委 宅基地 电商 直播 民宿 老人 父母 爸媽 "
    "城市 工作 积分制 積分 村规民约 议事会 调解 矛盾 纠纷 治理 基层治理 基層的治理 熟人社会 熟人的社会 "
    "为什么回来 決定回來 见过世面 在外面学到 商量 理念 想法 人脉 老客户 我们 他们 其实 就是 觉得 因为 所以"
).split()
ENGLISH = (
    "Note: the returnee showed us the homestay.", "The returnees met the Village Committee.",
    "A return visit, not a turn.", "She spoke of the rat race and her savings.",
    "Kinship and governance, local worthy people.", "village  committee members; RETURNEE.",
)
SPEAKERS = ("访谈者", "H", "村支书", "問", "Q", "受访者A")
EXTRA = ["土地流转", "返乡创业", "乡贤理事会", "homestay", "village committee", "returnee", "turn", "设计师"]


def transcript(rng: random.Random, chars: int) -> str:
    lines, size = [], 0
    while size < chars:
        body = "".join(
            "".join(rng.choices(WORDS, k=rng.randint(3, 12))) + rng.choice("。。，！？…")
            for _ in range(rng.randint(1, 5))
        )
        if rng.random() < 0.3:
            body += rng.choice(ENGLISH)
        line = f"{rng.choice(SPEAKERS)}：{body}" if rng.random() < 0.9 else body
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def keywords() -> dict[str, list[int]]:
    framework = load()
    listed = [k for code in framework["codes"] for k in code["keywords_zh"] + code["keywords_en"]] + EXTRA
    keyed: dict[str, list[int]] = {}
    for i, keyword in enumerate(listed):
        folded = fold(keyword.strip(), variants=True)
        if folded and 1 + i // 5 not in keyed.setdefault(folded, []):
            keyed[folded].append(1 + i // 5)
    return keyed


def results() -> list[dict]:
    rng = random.Random(14)
    matcher = Matcher(keywords())
    keys = {c: f"k{c:03d}" for ids in matcher.codes.values() for c in ids}
    out = []
    for source_id in range(1, 31):
        text = transcript(rng, rng.choice([300, 2000, 6000]))
        turns = [t._asdict() for t in find_turns(text)]
        for unit in UNITS:
            for interviewer in (False, True):
                found = suggest_text(source_id, text, turns, matcher, keys, unit, interviewer=interviewer)
                out += [s.to_dict() | {"interviewer": interviewer, "triggers_json": json.loads(s.row()[-1])}
                        for s in found]
    return out


def test_suggestions_are_as_before():
    found = results()
    kinds = {t["kind"] for s in found for t in s["triggers"]}
    assert kinds == {"exact", "fuzzy"}
    assert len(found) == 76_119
    digest = hashlib.sha256(json.dumps(found, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert digest == "ed30ea2ed1f1e97014b459fcc05c85364fe20d7c3fb7723ba877942bf6a41472"
