"""Figures: every figure clause of a report read into a fact (indicator, measure, value, unit,
qualifier, target or result, the period it is about, and where it stands).

The reports are formulaic: nearly every figure sits in a clause of the form indicator + verb +
value + unit + qualifier ("地区生产总值增长5%左右", "粮食产量1.4万亿斤左右", "一般公共预算收入完成
26.12亿元"). This module reads that structure once, at ingest. Units, qualifiers, measure words and
linking verbs come from `rag/data/` (see `rag/domain.py`).

A figure that cannot be read cleanly (digits broken by spaces or garbage, "8 ．8 ％") is skipped:
a fact is never made from a guess.

Example:
    >>> facts = extract_facts("主要预期目标是：国内生产总值增长5%左右；粮食产量1.4万亿斤左右。", report_year=2025)
    >>> [(f.indicator, f.measure, f.value, f.unit, f.text, f.reading) for f in facts]
    [('国内生产总值', 'growth', 5.0, '%', '5%左右', 'target'), ('粮食产量', 'amount', 1400000000000.0, '斤', '1.4万亿斤左右', 'target')]
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import cn2an

from rag.describe import Section
from rag.domain import indicator_aliases, linking_verbs, measure_words, qualifier_table, unit_kinds
from rag.sentences import clauses, sentences

_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千万亿点]+"
_RANGE_DASH = r"[—–\-~～至到]"
# Cues that a sentence states a plan, an estimate, or looks back (in whatever section it stands).
_PLAN_CUES = re.compile(r"目标|力争|预期|计划|确保|争取|今年|要|将|拟|安排")
_PAST_CUES = re.compile(r"去年|过去一年|上年|过去五年|五年来")
_SPAN_CUES = re.compile(r"五年来|过去五年|五年累计|“?十[一二三四五六七八九]五”?(?:以来|时期|期间)")
_FIVE_YEAR_PLAN = re.compile(r"十([一二三四五六七八九])五")
# Words before an indicator that say when or where, not what ("全年", "今年", "2024年", "全市").
_LEADING_FILLER = re.compile(
    r"^(?:(?:其中|全年|今年|去年|上年|当年|本年|年内|同时|并|和|及|与|以及|、|，|,|：|:|其|共|将|把|使|从|的|全[国省市区县])"
    r"|(?:\d{4}|[０-９]{4}|[一二三四五六七八九〇零]{4})年(?:末|底)?)+")


@dataclass(frozen=True)
class Fact:
    """One figure of a report as a fact; offsets point into the report's canonical text."""

    indicator: str            # as written, without the linking verb ("国内生产总值")
    indicator_norm: str       # the normalised name (rag/data/indicators.tsv), else as written
    measure: str              # amount, count, growth, decline, share, rate, points, multiple, rank
    value: float              # 万/亿 scaled: 1.4万亿斤 -> 1.4e12
    value_high: float | None  # the upper end of a range ("5%—5.5%"), else None
    unit: str                 # the base unit: %, 元, 斤, 人, 个…
    text: str                 # the figure as written, qualifier included: "5%左右", "1.4万亿斤左右"
    qualifier: str | None     # 左右, 以上, 力争…
    reading: str              # target, result or estimate
    period_year: int | None   # the year the figure is about (None for a multi-year span)
    period: str | None        # that year, or a span ("2016-2020") for five-year figures
    start: int                # the figure itself
    end: int
    clause_start: int
    clause_end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class _Number:
    value: float
    value_high: float | None
    magnitude: str
    unit: str
    start: int
    end: int


def _matching_view(text: str) -> str:
    """`text` with full-width digits and marks made half-width, character for character (same offsets)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def _units_pattern() -> re.Pattern[str]:
    names = sorted(unit_kinds(), key=len, reverse=True)
    return re.compile("|".join(re.escape(u) for u in names))


_UNITS = _units_pattern()
_NUMBER = re.compile(rf"(?<![\d.,A-Za-z])(?:{_ARABIC}|{_CHINESE})")


def _parse_value(raw: str) -> Decimal | None:
    """Digits or a Chinese numeral as an exact decimal ("1302.9", "四千"); None if it is not one."""
    if re.fullmatch(_ARABIC, raw):
        return Decimal(raw.replace(",", ""))
    try:
        return Decimal(str(cn2an.cn2an(raw, "smart")))
    except (ValueError, KeyError, IndexError):
        return None


def _read_number(view: str, m: re.Match[str]) -> _Number | None:
    """The figure starting at match `m`: value, an optional range, magnitude and unit; None if unreadable."""
    raw = m.group()
    chinese = not raw[0].isdigit()
    magnitude = ""
    if chinese:  # "四千万吨": the magnitude is part of the numeral; read it off the end
        for word in _MAGNITUDES:
            if raw.endswith(word) and len(raw) > len(word):
                raw, magnitude = raw[: -len(word)], word
                break
        if not re.search(r"[十百千万亿点]", raw + magnitude) and not view.startswith("倍", m.end()):
            return None  # "一个", "五个更加注重": a word, not a figure ("两倍" is one)
    value = _parse_value(raw)
    if value is None:
        return None
    pos = m.end()
    value_high = None
    if not chinese and (r := re.compile(rf"%?{_RANGE_DASH}({_ARABIC})").match(view, pos)):
        value_high, pos = Decimal(r.group(1).replace(",", "")), r.end()
    if re.compile(r"\s+[\d.]").match(view, pos):
        return None  # "8 ．8 ％": digits broken apart by spaces; unreadable, never a guess
    # One space between a number and its unit is spacing ("8 ％"), not a broken number.
    pos = re.compile(r" ?[余多]?").match(view, pos).end()
    if not magnitude and (mg := re.compile("万亿|亿|万|千").match(view, pos)):
        magnitude, pos = mg.group(), mg.end()
    pos = re.compile(r"[余多]?").match(view, pos).end()
    if view.startswith("%", pos):
        unit, pos = "%", pos + 1
    elif u := _UNITS.match(view, pos):
        unit, pos = u.group(), u.end()
    elif magnitude in ("万", "亿", "万亿") and not chinese:
        unit = ""  # "6000万农村人口": a count whose noun follows, written with its magnitude only
    else:
        return None
    if chinese and unit in ("个", "项", "条", "种", "次", "批", "场", "部", "家", "所"):
        return None  # "两个更加注重", "三项制度": counted words, not statistics
    scale = Decimal(_MAGNITUDES.get(magnitude, 1))
    high = float(value_high * scale) if value_high is not None else None
    return _Number(float(value * scale), high, magnitude, unit, m.start(), pos)


_PERCENT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百点點]+)(?:(?:到|至)(?:百分之)?([零〇一二两三四五六七八九十百点點]+))?")


def _percent_words(view: str, start: int, end: int) -> list[_Number]:
    """"百分之五", "百分之三点五", "百分之八至九": a percentage (or a range of them) written in words."""
    out = []
    for m in _PERCENT_WORDS.finditer(view, start, end):
        value = _parse_value(m.group(1).replace("點", "点"))
        high = _parse_value(m.group(2).replace("點", "点")) if m.group(2) else None
        if value is not None:
            out.append(_Number(float(value), float(high) if high is not None else None, "", "%", m.start(), m.end()))
    return out


def _qualifier(view: str, number: _Number, clause_start: int) -> tuple[str | None, int, int]:
    """(qualifier, figure start, figure end): a qualifier written right before or after the figure widens it."""
    start, end = number.start, number.end
    found = None
    for word, position, _ in qualifier_table():
        if position == "after" and view.startswith(word, end):
            found, end = word, end + len(word)
            break
    for word, position, _ in qualifier_table():
        if position == "before" and view.endswith(word, clause_start, start):
            found = found or word
            break
    return found, start, end


def _base_unit(unit: str) -> str:
    """"万人" -> "人", "亿元" -> "元": the unit without its magnitude."""
    for word in ("万亿", "亿", "万", "千"):
        if unit.startswith(word) and len(unit) > len(word) and unit[len(word):] in unit_kinds():
            return unit[len(word):]
    return unit


def _measure(unit: str, lead: str) -> str:
    """What the figure measures, from its unit and the words written right before it."""
    if unit == "个百分点" or unit == "百分点":
        return "points"
    if unit == "倍":
        return "multiple"
    if unit in ("%", "‰"):
        for word, measure in sorted(measure_words().items(), key=lambda kv: -len(kv[0])):
            if word in lead[-8:]:
                return measure
        return "rate"
    kind = unit_kinds().get(unit, "")
    if kind == "rank":
        return "rank" if lead.endswith("第") else "count"
    return "count" if kind in ("count", "") else "amount"


# The base a change is measured against ("比1980年", "比上年", "比去年同期"): not the indicator.
_COMPARISON_BASE = re.compile(r"(?:比|较|同比|与)(?:[^，,、；;]{0,10}?(?:年|年初|同期|计划|上年|去年))?(?:同期)?$")


def _strip_indicator(lead: str) -> str:
    """The indicator's name out of the words before a figure: fillers, verbs, measure words and qualifiers go."""
    text = lead.strip(" ，,、：:；;（(“\"")
    changed = True
    while changed:
        changed = False
        stripped = _COMPARISON_BASE.sub("", _LEADING_FILLER.sub("", text))
        if stripped != text:
            text, changed = stripped, True
        for word in (*linking_verbs(), *sorted(measure_words(), key=len, reverse=True),
                     *(w for w, pos, _ in qualifier_table() if pos == "before"), "的"):
            if text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
                break
    text = text.strip(" ，,、：:；;")
    # Nothing but a verb or measure word left ("、增长4.1%"): the clause's earlier indicator is meant.
    return "" if text in linking_verbs() or text in measure_words() else text


def _noun_after(view: str, end: int, stop: int) -> str:
    """The words right after a figure up to the next mark, when short enough to be what it counts."""
    m = re.compile(r"[^，,、；;。：:（(和及与]{2,10}(?=[，,、；;。：:（(和及与]|$)").match(view, end, stop)
    return m.group() if m and not re.search(r"\d", m.group()) else ""


def normalise_indicator(indicator: str) -> str:
    """The normalised name of an indicator ("国内生产总值" -> "生产总值"), the longest known name inside it."""
    aliases = indicator_aliases()
    for name in sorted(aliases, key=len, reverse=True):
        if name in indicator and len(name) >= len(indicator) - 4:
            return aliases[name]
    return indicator


def _section_at(sections: Sequence[Section], pos: int) -> Section | None:
    found = None
    for section in sections:
        if section.start <= pos < section.end and section.level == 1:
            found = section
    return found


def _five_year_span(sentence: str, report_year: int | None) -> str | None:
    if m := _FIVE_YEAR_PLAN.search(sentence):
        plan = cn2an.cn2an(m.group(1), "smart")
        first = 1956 + 5 * (int(plan) - 1)  # 一五 1953-57 was earlier; 十一五 = 2006-2010
        first = 2006 + 5 * (int(plan) - 11) if plan >= 10 else first
        return f"{first}-{first + 4}"
    if report_year and re.search(r"五年来|过去五年", sentence):
        return f"{report_year - 5}-{report_year - 1}"
    return None


def _reading(before: str, clause_before: str, paragraph_before: str, section: Section | None,
             report_year: int | None, qualifier: str | None) -> str:
    """target, result or estimate: by the report's structure first (review or plan section), then its words.

    `before` is the sentence up to the figure, `clause_before` its clause; `paragraph_before` its paragraph
    up to the figure (a targets paragraph names 目标 once, then lists its figures across several "；").
    """
    if qualifier == "预计" or "预计" in clause_before:
        return "estimate"
    if _PAST_CUES.search(before):
        return "result"
    if section and re.search(r"回顾|过去", section.title):
        return "result"  # "一、过去五年工作回顾": a review, whatever year its heading names
    if section and section.period_year and report_year:
        return "result" if section.period_year < report_year else "target"
    return "target" if _PLAN_CUES.search(paragraph_before) else "result"


def _written_year(before: str) -> int | None:
    """A year written in the sentence before the figure ("2020年全市生产总值…")."""
    years = re.findall(r"((?:19|20)\d{2})年", before)
    return int(years[-1]) if years else None


def extract_facts(text: str, sections: Sequence[Section] = (), report_year: int | None = None) -> list[Fact]:
    """Every readable figure of `text` (a report's canonical text) as a Fact, in reading order."""
    view = _matching_view(text)
    facts: list[Fact] = []
    for sentence in sentences(view):
        section = _section_at(sections, sentence.start)
        span = _five_year_span(sentence.text, report_year) if _SPAN_CUES.search(sentence.text) else None
        previous_indicator = previous_written = previous_lead = ""
        for clause in clauses(sentence.text, sentence.start):
            numbers = [n for m in _NUMBER.finditer(view, clause.start, clause.end)
                       if (n := _read_number(view, m)) and n.end <= clause.end]
            numbers += _percent_words(view, clause.start, clause.end)
            numbers = sorted({(n.start, n.end): n for n in numbers}.values(), key=lambda n: n.start)
            cursor = clause.start
            for number in numbers:
                if number.start < cursor:
                    continue
                qualifier, start, end = _qualifier(view, number, cursor)
                lead = view[cursor:number.start]
                own = _strip_indicator(lead)
                if len(own) <= 2 and (after := _noun_after(view, end, clause.end)):
                    own, lead = after, lead + after  # "新建30个博物馆": the thing counted follows the figure
                indicator = own or previous_indicator
                # "PM10、PM2.5平均浓度同比下降5%、4%": a figure with no words of its own shares the one before's.
                measure_lead = lead if own or lead.strip(" 、，,和及") else previous_lead
                if not indicator:
                    cursor = end
                    continue
                before = view[sentence.start:number.start]
                paragraph_before = view[view.rfind("\n", 0, sentence.start) + 1:number.start]
                reading = _reading(before, view[clause.start:number.start], paragraph_before, section, report_year,
                                   qualifier)
                year = _written_year(before)
                period_year = None if span else (year or (section.period_year if section else None) or
                                                 (report_year if reading == "target" else None))
                at = lead.find(indicator) if indicator != previous_indicator else -1
                written = text[cursor + at:cursor + at + len(indicator)] if at >= 0 else previous_written
                facts.append(Fact(
                    indicator=written,
                    indicator_norm=normalise_indicator(indicator),
                    measure=_measure(_base_unit(number.unit), measure_lead),
                    value=number.value, value_high=number.value_high, unit=_base_unit(number.unit),
                    text=text[start:end], qualifier=qualifier, reading=reading,
                    period_year=period_year, period=span or (str(period_year) if period_year else None),
                    start=start, end=end, clause_start=clause.start, clause_end=clause.end,
                    sentence_start=sentence.start, sentence_end=sentence.end,
                ))
                previous_indicator, previous_written, previous_lead = indicator, written, measure_lead
                cursor = end
    return facts
