"""The bundled sample project is what the README promises a new user."""

from __future__ import annotations

import re

import pytest

from fieldcase.importers.sample import build_sample
from fieldcase.resources import shipped
from fieldcase.store import cases, sites, sources


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    project, results = build_sample(tmp_path_factory.mktemp("sample") / "demo.fieldcase", user="tester")
    yield project, results
    project.close()


def han(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def test_sites_and_cases(sample):
    project, _ = sample
    names = {s["name"] for s in sites.list_all(project)}
    assert {"X village", "Xiamu Village", "Q county, Quzhou"} <= names
    people = [c for c in cases.list_all(project) if c["kind"] == "person"]
    assert {"H", "刘霞", "周科长"} <= {c["name"] for c in people}
    for person in people:
        assert {"gender", "birth_year", "return_year", "prior_urban_job", "sector", "role"} <= set(
            person["attributes"]
        ), person["name"]
        assert isinstance(person["attributes"]["birth_year"], int)


def test_sources_cover_every_kind_language_and_format(sample):
    project, results = sample
    assert all(r.status == "imported" for r in results)
    listing = sources.list_all(project)
    assert len(listing) >= 8
    assert {s["kind"] for s in listing} == {"interview", "observation", "document"}
    assert {s["encoding"] for s in listing} >= {"utf-8", "gb18030", "docx"}
    assert any(s["language"] == "en" and s["kind"] == "interview" for s in listing)
    long_zh = [
        s for s in listing
        if s["kind"] == "interview" and han(sources.get(project, s["id"])["text"]) >= 3000 and s["turns"] >= 10
    ]
    assert len(long_zh) >= 3


def test_every_source_says_it_is_fictional(sample):
    project, _ = sample
    for listed in sources.list_all(project):
        text = sources.get(project, listed["id"])["text"]
        assert "虚构" in text[:200] or "Fictional" in text[:200], listed["title"]


def test_manifest_ships_with_the_package():
    assert (shipped("sample_cases") / "project.toml").is_file()
    assert shipped("templates").is_dir()
