"""Code keys made from names: every letter kept or spelt in ASCII, never dropped (a Hungarian
code Kérdés is ``kerdes``, not ``k-rd-s``), and a person's name spelt so in a key is still
found and replaced on export."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldcase.coding.key_names import KeyNames, name_slug
from fieldcase.coding.keys import slug, to_ascii, valid_key
from fieldcase.exchange.qdpx.import_project import import_qdpx
from fieldcase.store import codes

SAMPLES = Path("/work/shared/refi/samples")


@pytest.mark.parametrize(("name", "key"), [
    ("Kérdés", "kerdes"), ("alacsony fogékonyság", "alacsony-fogekonysag"), ("Straße", "strasse"),
    ("Łódź", "lodz"), ("Dvořák & Søn", "dvorak-son"), ("Вопрос", "vopros"), ("Ελληνικά", "ellinika"),
    ("访谈A组", "fangtanazu"), ("新乡贤", "xinxiangxian"), ("Return motives", "return-motives"), ("١٢٣", "123"),
])
def test_a_slug_keeps_every_letter(name: str, key: str) -> None:
    assert slug(name) == key and valid_key(key)


def test_letters_of_other_scripts_are_spelt_not_dropped() -> None:
    for name in ("שלום", "한국", "カタカナ", "ক্ষেত"):
        spelt = to_ascii(name)
        assert spelt.isascii() and len(slug(name)) >= len(name) - 1, (name, spelt)


def test_a_hungarian_code_gets_a_key_with_its_letters(project) -> None:
    assert codes.add(project, name_en="Kérdés")["key"] == "kerdes"
    assert codes.add(project, name_en="Kérdés válasz")["key"] == "kerdes-valasz"


def test_the_nvivo_sample_s_hungarian_codes_keep_their_letters(project) -> None:
    import_qdpx(project, SAMPLES / "nvivo12" / "oltas.qdpx")
    keys = {r["name_en"]: r["key"] for r in project.query("SELECT name_en, key FROM codes")}
    assert keys["alacsony fogékonyság"].endswith("alacsony-fogekonysag")
    assert all(k.replace(".", "-").replace("-", "").isalnum() for k in keys.values())


def test_an_accented_name_spelt_in_a_key_is_found_and_renamed() -> None:
    names = KeyNames({"Kovács Anna": name_slug("Anna K")})
    key = "talk." + slug("Kovács Anna mondta")
    assert key == "talk.kovacs-anna-mondta"
    assert names.replace(key, lambda value: value) == "talk.annak-mondta"
    assert names.find("talk.kov-cs-anna") != []  # a key made before letters were kept
