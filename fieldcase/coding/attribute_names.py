"""Display names of attributes and of their common values in Chinese and English, so a
chapter's profile table reads 出生年份 / Birth year, never the key ``birth_year``.

The names cover the attributes a study of returnees records (those of the sample
project, the case and site fields) and the values of their choices; any other
attribute is shown by its own name, made readable (``household_income`` → Household
income), or as it is when it is already written in Chinese.
"""

from __future__ import annotations

from fieldcase.text.spellings import is_han

# key: (Chinese, English)
ATTRIBUTE_NAMES: dict[str, tuple[str, str]] = {
    "kind": ("类型", "Kind"),
    "site": ("调查地点", "Site"),
    "county": ("所在县", "County"),
    "province": ("所在省份", "Province"),
    "region": ("所在区域", "Region"),
    "gender": ("性别", "Gender"),
    "sex": ("性别", "Sex"),
    "age": ("年龄", "Age"),
    "birth_year": ("出生年份", "Birth year"),
    "return_year": ("返乡年份", "Year of return"),
    "prior_urban_job": ("返乡前城市职业", "Prior urban job"),
    "occupation": ("职业", "Occupation"),
    "sector": ("从业领域", "Sector"),
    "role": ("身份与职务", "Role"),
    "education": ("受教育程度", "Education"),
    "household_size": ("家庭常住人口", "Household size"),
    "land_transferred": ("土地是否流转", "Land transferred"),
    "founded": ("成立时间", "Founded"),
    "households_employed": ("带动就业户数", "Households employed"),
    "population": ("户籍人口", "Registered population"),
    "main_industry": ("主要产业", "Main industries"),
    "ethnic_groups": ("民族构成", "Ethnic groups"),
    "ethnicity": ("民族", "Ethnicity"),
    "hukou": ("户籍", "Hukou"),
    "consent_date": ("知情同意日期", "Consent date"),
}
# value: (Chinese, English), for the values of choices and kinds of cases
VALUE_NAMES: dict[str, tuple[str, str]] = {
    "male": ("男", "Male"),
    "female": ("女", "Female"),
    "person": ("个人", "Person"),
    "household": ("农户", "Household"),
    "enterprise": ("企业", "Enterprise"),
    "organisation": ("组织", "Organisation"),
    "organization": ("组织", "Organization"),
    "event": ("事件", "Event"),
    "primary": ("小学", "Primary school"),
    "junior secondary": ("初中", "Junior secondary"),
    "senior secondary": ("高中", "Senior secondary"),
    "vocational college": ("大专", "Vocational college"),
    "bachelor": ("本科", "Bachelor's degree"),
    "postgraduate": ("研究生", "Postgraduate"),
    "east": ("东部", "East"),
    "central": ("中部", "Central"),
    "west": ("西部", "West"),
    "northeast": ("东北", "Northeast"),
}
_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def attribute_name(name: str, lang: str) -> str:
    """How an attribute is named in a chapter in ``lang`` (``zh`` or ``en``)."""
    known = ATTRIBUTE_NAMES.get(_key(name))
    if known is not None:
        return known[0] if lang == "zh" else known[1]
    if any(is_han(ch) for ch in name):
        return name
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:]


def attribute_value(value: object, lang: str) -> str:
    """An attribute's value as a chapter in ``lang`` prints it: yes/no for a boolean, the
    name of a known choice, else the value as it is."""
    if isinstance(value, bool):
        return _YES_NO["zh" if lang == "zh" else "en"][0 if value else 1]
    text = str(value)
    known = VALUE_NAMES.get(text.strip().lower())
    if known is None:
        return text
    return known[0] if lang == "zh" else known[1]
