"""Typed attributes on sites, cases and sources."""

from __future__ import annotations

import pytest

from fieldcase.errors import InputError
from fieldcase.store import attributes, cases, sites


def test_each_type_stores_its_value(project):
    sites.add(project, "X village")
    case = cases.add(project, "H", site="X village")
    attributes.define(project, "case", "gender", "choice", choices=["male", "female"])
    attributes.define(project, "case", "birth_year", "integer")
    attributes.define(project, "case", "income", "number")
    attributes.define(project, "case", "returned_on", "date")
    attributes.define(project, "case", "party_member", "boolean")
    attributes.define(project, "case", "prior_urban_job", "text")
    stored = attributes.set_values(
        project,
        "case",
        case["id"],
        {
            "gender": "male",
            "birth_year": "1971",
            "income": "12.5",
            "returned_on": "2012-03",
            "party_member": "是",
            "prior_urban_job": "Hangzhou trading company",
        },
    )
    assert stored["birth_year"] == 1971 and stored["income"] == 12.5
    values = attributes.values_of(project, "case", case["id"])
    assert values == {
        "gender": "male",
        "birth_year": 1971,
        "income": 12.5,
        "returned_on": "2012-03",
        "party_member": True,
        "prior_urban_job": "Hangzhou trading company",
    }


@pytest.mark.parametrize(
    ("value_type", "raw", "message"),
    [
        ("integer", "nineteen", "not an integer"),
        ("integer", "1.5", "not an integer"),
        ("number", "abc", "not a number"),
        ("date", "2023-13-01", "not a date"),
        ("date", "yesterday", "not a date"),
        ("boolean", "maybe", "not a boolean"),
    ],
)
def test_bad_values_are_refused_with_the_attribute_named(project, value_type, raw, message):
    site = sites.add(project, "X village")
    attributes.define(project, "site", "field", value_type)
    with pytest.raises(InputError, match=f"field: .*{message}"):
        attributes.set_values(project, "site", site["id"], {"field": raw})
    assert attributes.values_of(project, "site", site["id"]) == {}


def test_choice_outside_the_list_is_refused(project):
    site = sites.add(project, "X village")
    attributes.define(project, "site", "region_type", "choice", choices=["plain", "hill"])
    with pytest.raises(InputError, match="not one of plain, hill"):
        attributes.set_values(project, "site", site["id"], {"region_type": "sea"})


def test_undefined_attribute_is_created_with_a_guessed_type(project):
    site = sites.add(project, "X village", attrs={"population": "1860", "founded": "1950-01-01"})
    defs = {d["name"]: d["value_type"] for d in attributes.list_definitions(project, "site")}
    assert defs == {"population": "integer", "founded": "date"}
    assert site["attributes"]["population"] == 1860


def test_empty_value_clears(project):
    site = sites.add(project, "X village", attrs={"population": "1860"})
    attributes.set_values(project, "site", site["id"], {"population": ""})
    assert attributes.values_of(project, "site", site["id"]) == {}


def test_deleting_a_case_deletes_its_values(project):
    case = cases.add(project, "H", attrs={"birth_year": 1971})
    project.db.execute("DELETE FROM cases WHERE id = ?", [case["id"]])
    assert project.query("SELECT * FROM case_attribute_values") == []


def test_parse_assignments():
    assert attributes.parse_assignments(["a=1", "b = x=y"]) == {"a": "1", "b": " x=y"}
    with pytest.raises(InputError, match="NAME=VALUE"):
        attributes.parse_assignments(["novalue"])
