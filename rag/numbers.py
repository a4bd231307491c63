"""Numbers and units in text: what a figure is, and what kind of figure a question asks for.

Example:
    >>> [f.value for f in find_figures("金融业增加值完成1302.9亿元、增长4.1%")]
    ['1302.9', '4.1%']
    >>> expected_units("占GDP多大比重？")
    ('%',)
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.domain import unit_kinds

# Measure words and units that follow a figure in these reports, longest first.
UNITS = sorted(
    "万平方米 平方米 平方公里 个百分点 万人次 人次 万亩 亩 万吨 吨 万户 户 万人 人 名 亿元 万元 元 亿美元 万美元 美元 "
    "公里 千米 米 个 家 所 条 项 套 幢 栋 班 种 座 部 次 倍 年 天 场 批 辆 张 床 个城市 微克/立方米 %".split(),
    key=len, reverse=True,
)
_NUMBER = re.compile(r"(?<![\d.\[])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)(?!\])")
# A magnitude (万, 亿, 万亿) or 余/多 may stand between a figure and its unit: "6.3万套", "1000余家", "2.11万亿元".
_UNIT_AFTER = re.compile("(?:余|多)?(?:万亿|亿|万|千)?(?:余|多)?(?:" + "|".join(re.escape(u) for u in UNITS) + ")")
_CITATION = re.compile(r"\[\??\d{1,3}\]")  # [n], and [?n] (a marker naming no passage, see rag.cite)

# "多少微克/立方米", "几个百分点": any unit written right after the question word is the unit asked; not a
# span of time ("近几年", "这几天" ask nothing).
_ASKED_UNIT = re.compile("(?:多少|几)(" + "|".join(re.escape(u) for u in UNITS if u not in ("%", "年", "天")) + ")")
_MONEY_WORDS = ("金额", "收入", "支出", "投资", "增加值", "生产总值", "GDP", "经济总量", "成交额", "交易额", "进出口", "销售额", "营业收入", "多少钱", "资金", "税收")
# "占GDP比重": what follows 占 is the base of a share, not the figure asked for.
# What a share is of ("占GDP比重"), and what an intensity is per unit of ("单位GDP能耗": output, GDP or value added).
_SHARE_BASE = re.compile(r"占[^，,。？?；;！]{1,20}?(?=的?(?:比重|比例))"
                         r"|(?<=单位)(?:GDP|地区生产总值|国内生产总值|生产总值|工业增加值|增加值)")
_GROWTH = re.compile(r".{0,2}(增长|增速|增幅|下降)")
_GROWTH_ASKED = re.compile(r"(增长|增速|增幅|下降|上涨)[^，。？?]{0,6}(多少|几)")
_PERCENT_WORDS = ("比重", "占比", "增长多少", "增长了多少", "增速", "增幅", "涨了多少", "比例", "百分", "率是", "率多少", "下降多少", "率为", "多大比重")


@dataclass(frozen=True)
class Figure:
    """A number in text, with its unit (if one follows) and position."""

    value: str
    unit: str
    start: int
    end: int

    @property
    def text(self) -> str:
        return f"{self.value}{self.unit}" if not self.value.endswith("%") else self.value


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to half-width) and no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def find_figures(text: str) -> list[Figure]:
    """Every number in `text` with the unit written right after it; citation markers [n] are not numbers."""
    text = _CITATION.sub(lambda m: " " * len(m.group()), text)
    out = []
    for m in _NUMBER.finditer(text):
        if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
            continue  # a name's digits ("PM2.5", "C919"), not a figure
        value = m.group(0)
        unit = ""
        if not m.group(3):
            u = _UNIT_AFTER.match(text, m.end())
            unit = u.group(0) if u else ""
        out.append(Figure(value=value, unit=unit, start=m.start(), end=m.end() + len(unit)))
    return out


# A change word and the figures after it ("分别下降12.1%、14.3%"), not a level ("提高到90.4%").
_CHANGE_BEFORE = re.compile(r"(?:增长|下降|提高|降低|上升|减少|增加|回落|上涨)了?[\d.,%、]*$")
_CHANGE_ASKED = re.compile(r"增长|下降|提高|降低|上升|减少|增加|回落|上涨|涨|降|增|减|变化|幅")


def is_change(figure: Figure, text: str) -> bool:
    """Whether a percentage of `text` is a change ("浓度下降12.1%") rather than a level ("比例87.2%").

    Example:
        >>> text = "PM2.5年浓度分别下降12.1%、14.3%，优良天数比例87.2%。"
        >>> [f.value for f in find_figures(text) if is_change(f, text)]
        ['12.1%', '14.3%']
    """
    return figure.value.endswith("%") and bool(_CHANGE_BEFORE.search(text, 0, figure.start))


def asks_for_change(question: str) -> bool:
    """Whether a question asks how much something changed ("下降了多少") rather than what it is ("浓度是多少")."""
    return bool(_CHANGE_ASKED.search(question))


def is_calendar_year(figure: Figure) -> bool:
    """A year of the calendar ("2028年开展中期评估"): a date, not an amount that answers "是多少".

    Example:
        >>> [is_calendar_year(f) for f in find_figures("2028年开展中期评估，有效期3年，建成1200公里。")]
        [True, False, False]
    """
    return figure.unit == "年" and figure.value.isdigit() and len(figure.value) == 4 and 1900 <= int(figure.value) <= 2100


def lost_digits(figure: Figure) -> bool:
    """A bare 0 before a measure word ("新增养老床位0张"): what scraping leaves of a figure whose other digits it dropped.

    The reports write a count of nothing in words ("零"), so such a figure answers nothing.
    """
    return figure.value == "0" and bool(figure.unit)


def numbers_in(text: str) -> list[str]:
    """The numbers of `text` as normalised strings ("1,234" -> "1234"), without citation markers."""
    return [f.value.replace(",", "") for f in find_figures(unicodedata.normalize("NFKC", text))]


def without_share_bases(text: str) -> str:
    """`text` with the base of every share blanked out, positions kept: "占GDP比重10.9%" -> "     比重10.9%".

    What a share is taken of is not what the sentence (or question) is about.
    """
    return _SHARE_BASE.sub(lambda m: " " * len(m.group()), text)


def expected_units(question: str) -> tuple[str, ...]:
    """The units a question's answer should carry ("多少人" -> 人, "比重" -> %), in the order asked."""
    q = unicodedata.normalize("NFKC", question)
    found: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in _ASKED_UNIT.finditer(q)]
    asked = without_share_bases(q)
    for word in _MONEY_WORDS:
        # "生产总值增长目标是多少" asks for a growth rate, not an amount.
        if (i := asked.find(word)) >= 0 and not _GROWTH.match(asked, i + len(word)):
            found.append((i, "元"))
    if (i := asked.find("面积")) >= 0:
        found.append((i, "平方米"))
    for word in _PERCENT_WORDS:
        if (i := q.find(word)) >= 0:
            found.append((i, "%"))
    if m := _GROWTH_ASKED.search(q):
        found.append((m.start(), "%"))
    return tuple(dict.fromkeys(u for _, u in sorted(found)))


# Words right before a figure that say what kind of figure it is, for the percentages asked.
_SHARE_ANCHORS = ("占比", "比重", "占")
_GROWTH_ANCHORS = ("增长", "增速", "增幅", "下降", "上涨")


def unit_anchors(question: str, unit: str) -> tuple[str, ...]:
    """Words that stand right before the figure asked for in `unit`: a share ("占比") is written after
    占 or 比重, a growth rate after 增长; an amount has no such word."""
    if unit != "%":
        return ()
    if any(w in question for w in ("占比", "比重", "比例")):
        return _SHARE_ANCHORS
    return _GROWTH_ANCHORS if any(w in question for w in _GROWTH_ANCHORS) else ()


def unit_matches(figure: Figure, unit: str) -> bool:
    """Whether a figure carries the asked unit ("亿元" carries 元, "4.6万户" carries 户)."""
    if unit == "%":
        return figure.value.endswith("%")
    if not figure.unit:
        return False
    kinds = unit_kinds()
    # "面积" asks for an area, whichever unit measures it: 平方米, 亩, 公顷.
    if kinds.get(unit) == "area":
        return kinds.get(figure.unit) == "area"
    return figure.unit.endswith(unit) or figure.unit.startswith(unit)


def asks_for_number(question: str) -> bool:
    """Whether the question asks for a figure rather than a name or a list."""
    return bool(re.search(r"多少|几[个条项家所人种班套年次倍]|多大|几|比重|占比|增速|增幅|百分", question))
