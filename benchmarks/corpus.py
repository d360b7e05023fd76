"""A generated Chinese interview corpus for benchmarks: deterministic, any size."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "返乡 村民 土地流转 合作社 新乡贤 村两委 宅基地 电商 直播 竹编 民宿 茶园 老人 孩子 父母 "
    "城市 工作 房租 工资 政策 补贴 贷款 银行 道路 养老 食堂 积分制 村规民约 议事会 调解 纠纷 "
    "乡村振兴 人才 资本 理念 网络 信任 声望 就业 产业 品牌 旅游 生态 文化 认同 户籍 社保 "
    "基础设施 空心化 老龄化 市场 平台 抖音 快递 物流 培训 技术 我们 他们 那时候 后来 其实 "
    "就是 觉得 因为 所以 但是 还是 已经 开始 慢慢 大家 一起 自己 事情 问题 办法 时候"
).split()
SPEAKERS = ("访谈者", "H")
ENGLISH = (
    "Note: the returnee showed us the homestay booking platform.",
    "Translator: he means the village committee, not the township.",
    "Note: land transfer contracts were signed in 2019.",
)


def sentence(rng: random.Random) -> str:
    """One sentence of plausible-looking interview talk."""
    words = rng.choices(WORDS, k=rng.randint(4, 14))
    return "".join(words) + rng.choice("。。。，！？")


def transcript(rng: random.Random, chars: int, english: float = 0.0) -> str:
    """An interview of about ``chars`` characters, in turns of one to six sentences;
    a share ``english`` of the turns carry an English note."""
    parts, size, turn = [], 0, 0
    while size < chars:
        body = "".join(sentence(rng) for _ in range(rng.randint(1, 6)))
        if english and rng.random() < english:
            body += rng.choice(ENGLISH)
        line = f"{SPEAKERS[turn % 2]}：{body}"
        parts.append(line)
        size += len(line) + 1
        turn += 1
    return "\n".join(parts) + "\n"


def write_corpus(folder: Path, files: int, chars_each: int, seed: int = 7, english: float = 0.0) -> int:
    """Write ``files`` transcripts into ``folder`` (once); returns the total characters."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f".complete-{files}-{chars_each}-{seed}-{english}"
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        path = folder / f"interview_{i:05d}.txt"
        text = f"（生成的基准测试材料 {i}）\n" + transcript(rng, chars_each, english)
        if not marker.exists():
            path.write_text(text, encoding="utf-8")
        total += len(text)
    marker.touch()
    return total


def write_docx(path: Path, paragraphs: int, seed: int = 3) -> int:
    """Write a Word interview of ``paragraphs`` paragraphs, one turn each, with the markup
    Word puts round a run; returns the characters of text. The package (styles, properties)
    is python-docx's blank document, its body replaced."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    import docx

    rng = random.Random(seed)
    blank = io.BytesIO()
    docx.Document().save(blank)
    with zipfile.ZipFile(blank) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    head, _ = parts["word/document.xml"].decode("utf-8").split("<w:body>")
    body, chars = [], 0
    for i in range(paragraphs):
        line = f"{SPEAKERS[i % 2]}：{sentence(rng)}"
        chars += len(line) + 1
        body.append(f'<w:p w:rsidR="00A1{i % 97:02d}B2" w:rsidRDefault="00A1B2C3"><w:pPr><w:rPr>'
                    f'<w:rFonts w:hint="eastAsia"/></w:rPr></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/>'
                    f"</w:rPr><w:t>{escape(line)}</w:t></w:r></w:p>")
    parts["word/document.xml"] = (head + "<w:body>" + "".join(body) + "<w:sectPr/></w:body></w:document>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return chars
