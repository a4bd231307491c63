"""Years written in text: digits of any century, ranges, five-year plans (十三五) and NPC sessions.

All readers take text already passed through `for_matching` (half-width digits, simplified
characters, Chinese-digit years as digits).

Example:
    >>> years_named("2019到2024年的赤字率，以及1998年和“十三五”")
    (2019, 2020, 2021, 2022, 2023, 2024, 1998, 2016, 2017, 2018, 2019, 2020)
    >>> npc_session_year("——在第十四届全国人民代表大会第三次会议上")
    2025
"""
from __future__ import annotations

import functools
import re

from rag.gazetteer import data_rows

# A calendar year of the reports' era, written with 年 after it; not the tail of a longer number.
YEAR = r"(?<![\d.])((?:19|20)\d{2})"
_YEAR_WORD = re.compile(YEAR + r"\s*年")
# "2019到2024年", "2019-2024年", "2019年至2024年", "从2019年到2024年"
_RANGE = re.compile(YEAR + r"\s*年?\s*(?:到|至|—|–|-|~|～|－)+\s*" + YEAR + r"\s*年")
_LONGEST_RANGE = 80
# "2018年报告回顾的五年里": the years a report looks back on, those before its own.
_REVIEWED = re.compile(YEAR + r"\s*年的?(?:政府工作)?报告(?:回顾|总结)?的?(?:过去)?([两三四五六七八九十])年")
# "2016、2017、2018三年", "2005、2012、2015这几年", "2010年和2011年": years listed, the 年 written once at the end or after each.
_LISTED = re.compile(YEAR + r"\s*年?(?:\s*[、和与及跟,，]\s*" + YEAR + r"\s*年?)+(?<=年)|" +
                     YEAR + r"(?:\s*[、,，]\s*" + YEAR + r")+\s*(?:[两三四五六七八九十]|这几|这些|这)年")
_CN_NUMBER = "一二三四五六七八九十"
_SESSION = re.compile(rf"(?:在|向|我们|出席)\s*(?:中华人民共和国)?第([{_CN_NUMBER}]+)届全国人民代表大会"
                      rf"(?:第([{_CN_NUMBER}]+)次(?:全体)?会议)?")


def chinese_number(word: str) -> int | None:
    """一 … 九十九 as a number ("十四" -> 14, "三" -> 3, "两" -> 2); None if it is not one."""
    digits = {c: i for i, c in enumerate(_CN_NUMBER[:9], 1)} | {"两": 2}
    if not word or any(c not in _CN_NUMBER and c not in digits for c in word):
        return None
    if "十" not in word:
        return digits.get(word) if len(word) == 1 else None
    tens, _, ones = word.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


@functools.cache
def _plans() -> dict[str, tuple[int, int]]:
    return {name: (int(first), int(last)) for name, first, last in data_rows("five_year_plans.tsv")}


@functools.cache
def _plan_pattern() -> re.Pattern[str]:
    short = "|".join(sorted((n for n in _plans() if not n.endswith(("计划", "规划"))), key=len, reverse=True))
    full = "|".join(sorted((n for n in _plans() if n.endswith(("计划", "规划"))), key=len, reverse=True))
    # Quoted, or followed by what a plan is ("规划", "时期"): "十五" alone is fifteen ("十五届"); a name written out
    # in full ("第六个五年计划") is one wherever it stands.
    return re.compile(rf"“({short})”|(?<![第{_CN_NUMBER}])({short})(?=计划|规划|时期|期间|末|以来)|({full})")


def plan_years(text: str) -> list[tuple[str, int, int]]:
    """The five-year plans `text` names, with their first and last years."""
    found = []
    for m in _plan_pattern().finditer(text):
        name = m.group(1) or m.group(2) or m.group(3)
        found.append((name, *_plans()[name]))
    return found


def without_plans(text: str) -> str:
    """`text` with the five-year plans it names blanked ("“六五”计划定的钢产量" -> " 计划定的钢产量").

    >>> without_plans("“六五”计划定的钢产量")
    ' 计划定的钢产量'
    """
    return _plan_pattern().sub(" ", text)


def plan_span(name: str) -> tuple[int, int] | None:
    """The years of the five-year plan named `name` ("十三五" -> (2016, 2020))."""
    return _plans().get(name)


def years_named(text: str) -> tuple[int, ...]:
    """Every year `text` names, in order: single years, each year of a range, each year of a plan."""
    found: list[tuple[int, list[int]]] = []
    covered: list[tuple[int, int]] = []
    for m in _REVIEWED.finditer(text):
        report = int(m.group(1))
        found.append((m.start(), list(range(report - chinese_number(m.group(2)), report))))
        covered.append(m.span())
    for m in _RANGE.finditer(text):
        first, last = int(m.group(1)), int(m.group(2))
        if 0 < last - first <= _LONGEST_RANGE:
            found.append((m.start(), list(range(first, last + 1))))
            covered.append(m.span())
    for m in _LISTED.finditer(text):
        if not any(a <= m.start() < b for a, b in covered):
            found.append((m.start(), [int(y) for y in re.findall(YEAR, m.group())]))
            covered.append(m.span())
    for m in _YEAR_WORD.finditer(text):
        if not any(a <= m.start() < b for a, b in covered):
            found.append((m.start(), [int(m.group(1))]))
    for m in _plan_pattern().finditer(text):
        first, last = _plans()[m.group(1) or m.group(2) or m.group(3)]
        found.append((m.start(), list(range(first, last + 1))))
    return tuple(y for _, years in sorted(found, key=lambda f: f[0]) for y in years)


@functools.cache
def _sessions() -> dict[int, tuple[int, list[int]]]:
    return {int(term): (int(first), [int(y) for y in years.split(",")]) for term, first, years in
            data_rows("npc_sessions.tsv")}


def npc_session_year(text: str) -> int | None:
    """The year of the National People's Congress session a report is delivered at ("在/向第X届全国人民代表大会
    第Y次会议"); a term without a session number is its first session."""
    m = _SESSION.search(text)
    if not m:
        return None
    term = chinese_number(m.group(1))
    session = chinese_number(m.group(2)) if m.group(2) else 1
    if term not in _sessions() or not session:
        return None
    first, years = _sessions()[term]
    return years[session - 1] if session <= len(years) else first + session - 1


@functools.cache
def year_forms(year: int) -> tuple[str, ...]:
    """The ways the reports write a year: "1986年", "１９８６年", "一九八六年", "一九八○年".

    >>> year_forms(1980)
    ('1980年', '１９８０年', '一九八〇年', '一九八○年', '一九八零年')
    """
    digits = str(year)
    wide = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    forms = [f"{digits}年", f"{wide}年"]
    for zero in "〇○零":
        forms.append("".join((zero + "一二三四五六七八九")[int(d)] for d in digits) + "年")
    return tuple(dict.fromkeys(forms))
