"""The words a chapter prints around the material, in its one language: section headings,
captions, labels, the words of a citation. Templates get them as ``L`` (``L.sources``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fieldcase.errors import InputError
from fieldcase.text.language import LANGUAGES, chapter_language

LABELS: dict[str, dict[str, Any]] = {
    "zh": {
        "profile": "个案概况", "site_profile": "地点概况", "brief": "个案简介", "site_brief": "地点简介", "sources": "资料来源", "item": "项目", "value": "内容",
        "table": "表", "caption_of": "{name}的基本情况", "no_sources": "（尚无资料。）",
        "segments": "编码片段", "no_segments": "（尚无编码片段。）", "analysis": "分析", "contents": "目录",
        "colon": "：", "comma": "，", "and": "、", "open": "（", "close": "）", "period": "。",
        "title_open": "《", "title_close": "》",
        "kinds": {"interview": "访谈", "observation": "田野观察笔记", "document": "文件"},
        "by": {"interview": "访谈人", "observation": "记录人", "document": "提供人"},
        "cited_as": {"interview": "访谈编号", "observation": "观察记录", "document": "文件"},
    },
    "en": {
        "profile": "Profile", "site_profile": "Site profile", "brief": "About the case",
        "site_brief": "About the site", "sources": "Sources", "item": "Item", "value": "Value",
        "table": "Table", "caption_of": "Profile of {name}", "no_sources": "(No sources yet.)",
        "segments": "Coded segments", "no_segments": "(No coded segments yet.)", "analysis": "Analysis",
        "contents": "Contents", "colon": ": ", "comma": ", ", "and": ", ", "open": " (", "close": ")",
        "period": ".", "title_open": "“", "title_close": "”",
        "kinds": {"interview": "interview", "observation": "field notes", "document": "document"},
        "by": {"interview": "interviewer", "observation": "recorded by", "document": "provided by"},
        "cited_as": {"interview": "interview", "observation": "field notes", "document": "document"},
    },
}


def check_language(lang: str | None) -> str | None:
    """``lang`` if it is a chapter language (or not given); else an error naming them."""
    if lang is not None and lang not in LANGUAGES:
        raise InputError(f"chapter language {lang!r}: give {' or '.join(LANGUAGES)}")
    return lang


def language_of(lang: str | None, texts: Iterable[str]) -> str:
    """The chapter's language: the one asked for, else the one its texts are mostly in."""
    return check_language(lang) or chapter_language(texts)


def labels(lang: str) -> Mapping[str, Any]:
    """The chapter's words in ``lang``."""
    return LABELS[lang]
