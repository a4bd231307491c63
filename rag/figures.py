"""Figures: every figure clause of a report read into a fact (indicator, measure, value, unit,
qualifier, target or result, the period it is about, and where it stands).

The reports are formulaic: nearly every figure sits in a clause of the form indicator + verb +
value + unit + qualifier ("地区生产总值增长5%左右", "粮食产量1.4万亿斤左右", "一般公共预算收入完成
26.12亿元"). This module reads that structure once, at ingest. Units, qualifiers, measure words,
linking verbs and the closed-class words around an indicator come from `rag/data/` (see `rag/domain.py`).

The text is read in its matching form (`vectorstore.normalize.for_matching`: width folded,
traditional characters as simplified, Chinese-digit years as digits; same offsets), so "１９８５年",
"國防費" and "一九五七年" read like their modern forms; facts quote the report as written.

A figure that cannot be read cleanly (digits broken by spaces or zero-width marks, "8 ．8 ％", or
touching garbage such as "＠①") is skipped: a fact is never made from a guess. Years, ordinals
("第十四个") and codes ("PM2.5", "5G") are not figures.

Example:
    >>> facts = extract_facts("主要预期目标是：国内生产总值增长5%左右；粮食产量1.4万亿斤左右。", report_year=2025)
    >>> [(f.indicator, f.measure, f.value, f.unit, f.text, f.reading) for f in facts]
    [('国内生产总值', 'growth', 5.0, '%', '5%左右', 'target'), ('粮食产量', 'amount', 1400000000000.0, '斤', '1.4万亿斤左右', 'target')]
"""
from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import cn2an
import jieba
import jieba.posseg as pseg

from rag.describe import Section
from rag.domain import (function_words, indicator_aliases, indicator_parts, linking_verbs, measure_words, output_words,
                        qualifier_table, qualifier_words, read_table, unit_kinds)
from rag.sentences import TextSpan, clauses, sentences
from rag.years import chinese_number, plan_years
from vectorstore.lexical import USERDICT
from vectorstore.normalize import for_matching

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start

_MAGNITUDES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# A Chinese numeral starts with a digit or 十 ("十七万"); "千万家庭", "百万" are words, not figures.
_CHINESE = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*"
_RANGE_DASH = r"[—–\-~～至到]"
# Zero-width marks and OCR garbage: a number touching them is not read ("1\u200b2%", "硫＠①").
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_JUNK = "@#\ufffd" + _ZERO_WIDTH
_ENCLOSED_DIGITS = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")
# A comma after a digit groups thousands; after anything else it ends a clause ("挂牌,8个产业项目").
_NUMBER = re.compile(rf"(?<![\d.A-Za-z_/{_JUNK}])(?<!\d,)(?:{_ARABIC}|{_CHINESE})")
_BROKEN_BEFORE = re.compile(rf"\d[\s{_ZERO_WIDTH}]+$|\d[.,]\s*$")
_BROKEN_AFTER = re.compile(rf"[\s{_ZERO_WIDTH}]+[\d.．]|[.,][\s{_ZERO_WIDTH}]+\d")
_MAGNITUDE_TAIL = re.compile(r"([余多]?)(万亿|亿|万|千)([余多]?)(亿?)")
_MORE_TAIL = re.compile(r"[余多]?")
_COUNTED_WORDS = frozenset("个项条种次批场部家所件位名")  # "两个更加注重", "三项制度": words, not statistics
_RANK_UNITS = frozenset("位名")
_YEAR = r"(?:19|20)\d{2}"
# Words around an indicator that say when: "2020年", "1979到1983年", "上半年".
_TIME = re.compile(rf"(?:{_YEAR}(?:年|\s*(?:到|至|—|-|～)\s*(?:{_YEAR}|\d{{2}})年)(?:末|底|初|以来|上半年|下半年)?"
                   r"|(?:过去的?|[前近这])?[两三四五六七八九十\d]+年(?:来|间|内|中|以来|前|后)?"
                   r"|“?\s*(?:十[一二三四五六七八九]?|[一二三四五六七八九])五\s*”?(?:计划)?(?:时期|期间|以来))")
# The base a change is measured against ("比1980年预计", "比上年同期", "超过年度计划"): not the indicator.
_BASE_WORDS = "|".join(w for w, c in sorted(function_words().items(), key=lambda kv: -len(kv[0])) if c == "comparison")
_BASE_ENDS = r"(?:年|年初|年末|年底|同期|上年|去年|计划|指标|预计数|预计|前|水平|原定数|定数|时|底)(?:同期|的?预计数?)?"
_COMPARISON_BASE_END = re.compile(rf"(?:{_BASE_WORDS})[^，,；;、。]{{0,18}}?{_BASE_ENDS}(?:的)?$")
_TIME_END = re.compile(rf"(?:{_TIME.pattern})(?:的)?$")
_COMPARISON_BASE_START = re.compile(rf"^(?:比|较)[^，,；;、。]{{0,14}}(?:年|同期|前|时|计划)(?:同期|的?预计数?)?")
# "居全国", "占世界的", "跃居世界第": the field a share or rank is taken in, not the indicator.
_FIELD = re.compile(r"(?:(?:占|位?居|跃居|位列|列)(?:全[国省市区县]|世界|全球|同类城市|[东中西]部)?(?:的|第)?|(?:全[国省市区县]|世界|全球)?(?:的|第))$")
_ORDINAL_START = re.compile(r"^第[\d一二三四五六七八九十]+[台个项批次条]?|^[（(]?[一二三四五六七八九十\d]{1,3}[)）、.]"
                            r"|^(?:以|按)[^，,；;]{1,10}?计算")  # "第一台", "（二）", "以播种面积计算"
_PARENTHESIS_END = re.compile(r"[（(][^（()）]*[)）]?$")
# Cues of what a figure is. Plan: 要 but not 主要/重要/需要; 计划 but not 计划生育. Past: 了 as an aspect.
# 将 before a noun and a change ("将扶贫标准提高到2300元") is the 把 of the sentence, not the future; 应该 is a
# norm ("粮食总产量应该有7200亿斤"). A year's plan is written "计划为"; 实际达到, 实际回落到 state what was done
# (实际增长 is a growth net of prices, not a reading).
_PLAN_CUES = re.compile(r"目标|力争|预期|确保|争取|(?<![主重需纲概必只])要(?![素求点])|应该(?!说)|应当|拟|今后|到(?:19|20)\d{2}年"
                        r"|计划(?:为|是)"
                        r"|将(?!近)(?![^由从，,；;]{2,16}?(?:提高|提升|增加|扩大|降低|下降|减少|缩小|调整)(?:到|至))")
_PAST_CUES = re.compile(r"去年|过去|上年|五年来|(?<!今后)(?<!未来)五年间|已经|已|曾|累计|实际(?:完成|达到|为|是|[^，,；;增]{0,3}到)")
_PAST_AFTER = re.compile(r"[^，,；;。]*?(?:已经|已)(?:完成|实现|达到)")  # "裁员100万的任务已经完成"
_ASPECT = re.compile(r"(?<![为除])了(?![解])")  # "增长了": past, but weakly ("增加了22亿元" in a plan)
_NAMED_TARGET = re.compile(r"[^，,；;。]*?的(?:预期|主要)?目标")
_STRONG_PLAN_CUES = re.compile(r"目标|预期|指标|力争|争取")
_TARGET_QUALIFIERS = frozenset(("左右", "以内", "之内", "力争", "争取", "不低于", "不少于", "不超过", "不高于"))
_SCOPE_QUALIFIERS = ("力争", "争取")  # opening a clause, they qualify every figure in it
_REVIEW_TITLE = re.compile(r"回顾|过去|去年")
_PLAN_TITLE = re.compile(r"今年|明年|计划")
# The words before the figure a change starts from ("从75%", "由1957年的535万吨").
CHANGE_ORIGIN_LEAD = re.compile(r"(?:从|由)(?:[^，,；;]{0,6}的)?$")
# The year a change starts from ("由1957年的"): never the year of the figure it reaches.
_FROM_YEAR = re.compile(rf"(?:从|由)({_YEAR})年的?")
_FROM_YEAR_END = re.compile(_FROM_YEAR.pattern + "$")
_BEYOND_BASE = re.compile(r"(?:超过|高于|多于|低于|少于)[^，,；;。\d]{1,12}$")
_YEAR_WORD_OFFSETS = {"今年": 0, "去年": -1, "上年": -1, "明年": 1}
_YEAR_WORD_RIGHT_BEFORE = re.compile(rf"({'|'.join(_YEAR_WORD_OFFSETS)})(?:预计|计划|实际)?的$")
_YEARLY_AVERAGE = re.compile(r"平均每年|每年平均|年均|年平均")
_FROM_YEAR_TO = re.compile(rf"({_YEAR})年?(?:至|到|—|-)({_YEAR})年")
_FROM_LAST_YEAR = re.compile(r"(?:从|由)(?:去年|上年)(?:年[初末底])?的?$")
_FROM_TO = re.compile(r"(?:的)?(?:提高|提升|增加|增长|扩大|上升|下降|降低|减少|缩小|增|降|升)(?:到|至)")
# The years before the report, counted ("四年中", "三年来", "过去五年"): the figures of the sentence are of them all.
_YEARS_COUNTED = re.compile(r"(?:过去|近)([两三四五六七八九十])年|(?<![〇○零一二三四五六七八九十\d])(?<!今后)(?<!未来)([两三四五六七八九十])年(?:来|中|间|里)")
_SPAN_CUES = re.compile(_YEARS_COUNTED.pattern + r"|五年累计|“?十[一二三四五六七八九]五”?(?:以来|时期|期间)")
# A paragraph of a review opening "这五年，" sums up the years before the report; inside a sentence "这五年" points
# back to whatever span was named last ("从一九五三年到一九六○年这八年", a plan's "这五年内").
_PARAGRAPH_SPAN = re.compile(r"这([两三四五六七八九十])年[，,]")
_MEASURE_START = re.compile(r"(?:提高|增加|扩大|上升|下降|降低|减少|缩小|增|降|升|超过|达到|达)")
_ENUMERATION = re.compile(r"、|和|及|与|以及")
# A clause that gives the share of what the figure before it counts: "…1282.9亿元、占一般公共预算支出74.5%".
_SHARE_OF = re.compile(r"[\s、，,]*占")


@dataclass(frozen=True)
class Fact:
    """One figure of a report as a fact; offsets point into the report's canonical text."""

    indicator: str            # as written, without the linking verb ("国内生产总值")
    indicator_norm: str       # the normalised name (rag/data/indicators.tsv), else as written
    measure: str              # amount, count, growth, decline, share, rate, points, multiple, rank, beyond (past a base)
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
    unit: str
    more: str | None  # "多" or "余" written inside the figure ("400多万人")
    start: int
    end: int


@dataclass(frozen=True)
class _Indicator:
    start: int  # offsets into the view (and the canonical text)
    end: int
    text: str   # as matched (simplified, width folded)


# A line break (with blank or zero-width lines around it) between a number and its magnitude or unit is
# layout cutting a sentence ("国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%"), not the end of one.
_FIGURE_CUT = re.compile(rf"(?<=\d)[ \t\u3000{_ZERO_WIDTH}]*\n[\s{_ZERO_WIDTH}]*(?=万|亿|%)")


def _matching_view(text: str) -> str:
    """`text` as matched (see module docstring), character for character; enclosed digits ("①") are junk;
    a figure cut from its unit by a line break is joined with spaces."""
    view = _ENCLOSED_DIGITS.sub("#", for_matching(text))
    return _FIGURE_CUT.sub(lambda m: " " * len(m.group()), view)


def _units_pattern() -> re.Pattern[str]:
    names = sorted(unit_kinds(), key=len, reverse=True)
    return re.compile("|".join(re.escape(u) for u in names))


_UNITS = _units_pattern()


def _parse_value(raw: str) -> Decimal | None:
    """Digits or a Chinese numeral as an exact decimal ("1302.9", "一百四十五亿七千七百万"); None if not one."""
    if re.fullmatch(_ARABIC, raw):
        return Decimal(raw.replace(",", ""))
    try:
        return Decimal(str(cn2an.cn2an(raw, "smart")))
    except (ValueError, KeyError, IndexError):
        return None


def _unit_at(view: str, pos: int) -> tuple[str, int] | None:
    if view.startswith("%", pos) or view.startswith("‰", pos):
        return view[pos], pos + 1
    if u := _UNITS.match(view, pos):
        return u.group(), u.end()
    return None


def _tail(view: str, pos: int) -> tuple[Decimal, str, str | None, int] | None:
    """(scale, unit, 多/余, end) of what follows a number: "万多亿元", "千瓦", "万" before a noun."""
    if m := _MAGNITUDE_TAIL.match(view, pos):
        scale = Decimal(_MAGNITUDES[m.group(2)]) * (Decimal(_MAGNITUDES["亿"]) if m.group(4) else 1)
        more = m.group(1) or m.group(3) or None
        if found := _unit_at(view, m.end()):
            return scale, found[0], more, found[1]
    plain = _MORE_TAIL.match(view, pos)
    if found := _unit_at(view, plain.end()):
        return Decimal(1), found[0], plain.group() or None, found[1]
    if m and m.group(2) in ("万", "亿", "万亿") and not m.group(4) and not re.match(r"[年月日天岁]", view[m.end():m.end() + 1]):
        # "6000万农村人口": a count whose noun follows, written with its magnitude only
        return Decimal(_MAGNITUDES[m.group(2)]), "", m.group(1) or m.group(3) or None, m.end()
    return None


def _read_number(view: str, m: re.Match[str]) -> _Number | None:
    """The figure starting at match `m`: value, an optional range, unit; None if it cannot be read cleanly."""
    start = m.start()
    if _BROKEN_BEFORE.search(view, max(0, start - 3), start) or (start and view[start - 1] in _JUNK):
        return None  # "8 ．8": the tail of a number broken apart; never a guess
    ordinal = view.endswith("第", 0, start)
    raw = m.group()
    chinese = not raw[0].isdigit()
    if chinese and "亿" in raw and (inner := re.compile(r"([多余])(万|千)").match(view, start + len(raw))):
        # "七亿七千多万吨": the 万 scales only the 七千 (七亿 + 七千万); the 多 stands inside the figure
        value = _parse_value(raw + inner.group(2))
        found = _unit_at(view, inner.end())
        if value is None or found is None:
            return None
        return _Number(float(value), None, found[0], inner.group(1), start, found[1])
    while True:
        value = _parse_value(raw)
        pos = start + len(raw)
        value_high = None
        if not chinese and (r := re.compile(rf"%?{_RANGE_DASH}({_ARABIC})").match(view, pos)):
            value_high, pos = Decimal(r.group(1).replace(",", "")), r.end()
        if _BROKEN_AFTER.match(view, pos) or (pos < len(view) and view[pos] in _JUNK):
            return None
        pos = re.compile(r" *").match(view, pos).end()  # spaces between a number and its unit are spacing
        tail = _tail(view, pos) if value is not None else None
        if tail or not chinese or raw[-1] not in "千万亿" or len(raw) == 1:
            break
        raw = raw[:-1]  # "十七万千瓦": the 千 belongs to the unit
    if tail is None or value is None:
        return None
    scale, unit, more, end = tail
    if (end < len(view) and view[end] in _JUNK) or (ordinal and unit not in _RANK_UNITS):
        return None  # "第十四个": an ordinal, not a count
    if ordinal and view.startswith("的", end):
        return None  # "第一位的大问题": a rank as an attribute, not a statistic
    start -= ordinal  # "第二位": the rank as written
    if chinese:
        spelled = re.search(r"[十百千万亿点]", raw) or scale != 1
        if not (spelled or view.startswith("倍", pos) or unit == "倍" or (ordinal and unit in _RANK_UNITS)):
            return None  # "一个", "五个更加注重", "一九五七": words or years, not figures
        if unit in _COUNTED_WORDS and len(raw) == 1 and not ordinal:
            return None  # "十项措施", "三项制度": a counted name, not a statistic
    high = float(value_high * scale) if value_high is not None else None
    if start and view[start - 1] in "-−" and not (start > 1 and re.match(r"[\d%.]", view[start - 2])):
        # "自然增长率为-1.48‰": a negative figure, its sign part of it ("5-6%" is a range, read above)
        return _Number(-float(value * scale), -high if high is not None else None, unit, more, start - 1, end)
    return _Number(float(value * scale), high, unit, more, start, end)


_PERCENT_WORDS = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)(?:(?:到|至)(?:百分之)?([零〇一二两三四五六七八九十百点]+))?")


def _percent_words(view: str, start: int, end: int) -> list[_Number]:
    """"百分之五", "百分之三点五", "百分之八至九": a percentage (or a range of them) written in words."""
    out = []
    for m in _PERCENT_WORDS.finditer(view, start, end):
        value = _parse_value(m.group(1))
        high = _parse_value(m.group(2)) if m.group(2) else None
        if value is not None:
            out.append(_Number(float(value), float(high) if high is not None else None, "%", None, m.start(), m.end()))
    return out


_FRACTION_WORDS = re.compile(r"(?<![\d零〇一二两三四五六七八九十百千])([二三四五六七八九十]+|\d+)分之([一二三四五六七八九十]+|\d+)|一半")


def _fraction_words(view: str, start: int, end: int) -> list[_Number]:
    """"三分之一", "减少一半": a fraction written in words, as a plain ratio (1/3, 0.5); "一半" only right
    after a change ("减少一半以上"), elsewhere it is a word ("一半以上的县")."""
    out = []
    for m in _FRACTION_WORDS.finditer(view, start, end):
        if m.group() == "一半":
            if any(view.endswith(word, start, m.start()) for word in measure_words()):
                out.append(_Number(0.5, None, "", None, m.start(), m.end()))
            continue
        whole, part = _parse_value(m.group(1)), _parse_value(m.group(2))
        if whole and part is not None and part < whole:
            out.append(_Number(float(part / whole), None, "", None, m.start(), m.end()))
    return out


def _after_qualifier(view: str, end: int) -> tuple[str | None, int]:
    for word, position, _ in qualifier_table():
        if position == "after" and view.startswith(word, end):
            return word, end + len(word)
    return None, end


@functools.cache
def _edge_words() -> frozenset[str]:
    """Words that are never an indicator's first or last word: verbs, verbal measure words ("增长", not the
    nouns "比重", "涨幅" that name an indicator), function words."""
    verbal = (w for w in measure_words() if not _is_noun(w))
    return frozenset((*linking_verbs(), *verbal,
                      *(w for w, c in function_words().items() if c not in ("comparison", "reading"))))


@functools.cache
def _adverbs() -> frozenset[str]:
    return frozenset(w for w, c in function_words().items() if c == "adverb")


def _is_verb(word: str) -> bool:
    return _is_verb_tag(_last_tag(word)) and len(word_tags(word)) == 1


def _is_verb_tag(tag: str) -> bool:
    return tag.startswith("v") and tag != "vn"


@functools.cache
def _long_edge_word_end() -> re.Pattern[str]:
    """An edge word of two characters or more ending a text: safe to strip as a string ("控制在")."""
    words = sorted((w for w in _edge_words() if len(w) > 1), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")$")


@functools.cache
def _before_qualifier_end() -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(map(re.escape, qualifier_words("before"))) + ")$")


def indicator_tokenizer() -> jieba.Tokenizer:
    """The extractor's own jieba, which knows the indicator names (rag/data/indicators.tsv) as words."""
    return _tokenizer()[0]


@functools.cache
def _tokenizer() -> tuple[jieba.Tokenizer, pseg.POSTokenizer]:
    """jieba of the extractor's own, with the indicator names kept whole: the shared one learns the library's
    place names as it runs (vectorstore.lexical.add_words), which made a report's facts depend on what the
    process had read before it ("新增城镇就业" in one run, "城镇就业" in another)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USERDICT))
    return tokenizer, pseg.POSTokenizer(tokenizer)


@functools.lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_tokenizer()[0].lcut(text, HMM=False))


def _is_noun(phrase: str) -> bool:
    return _last_tag(phrase).startswith("n")


@functools.lru_cache(maxsize=65536)
def word_tags(phrase: str) -> tuple[tuple[str, str], ...]:
    """`phrase` cut into words with jieba's part-of-speech tags, the indicator names kept whole.

    >>> word_tags("实际利用外资多少")
    (('实际利用外资', 'nz'), ('多少', 'm'))
    """
    return tuple((p.word, p.flag) for p in _tokenizer()[1].cut(phrase, HMM=False))


def _last_tag(phrase: str) -> str:
    tags = word_tags(phrase)
    return tags[-1][1] if tags else ""


_PUNCTUATION = " \t，,、：:；;（()）“”\"'‘’《》「」"


def _core(view: str, start: int, end: int) -> tuple[int, int, str | None]:
    """(start, end, qualifier) of the indicator in `view[start:end]`, the words before a figure: fillers,
    verbs, measure words, comparison bases and time words go from both ends; a qualifier found at the
    end ("预计将比去年增长" -> 预计) is returned."""
    qualifier = None
    while start < end:
        text = view[start:end]
        stripped = text.rstrip(_PUNCTUATION)
        if stripped != text:
            end = start + len(stripped)
            continue
        stripped = text.lstrip(_PUNCTUATION)
        if stripped != text:
            start = end - len(stripped)
            continue
        if cut := _COMPARISON_BASE_END.search(text):
            end = start + cut.start()
            continue
        if m := _before_qualifier_end().search(text):
            qualifier = qualifier or m.group()
            end -= len(m.group())
            continue
        if cut := _FIELD.search(text) or _TIME_END.search(text) or _PARENTHESIS_END.search(text):
            end = start + cut.start()
            continue
        if m := _long_edge_word_end().search(text):
            end -= len(m.group())
            continue
        if m := _COMPARISON_BASE_START.match(text) or _TIME.match(text) or _ORDINAL_START.match(text):
            start += m.end()
            continue
        tokens = _words(text)
        if len(tokens) > 1 and tokens[-1] in _edge_words():
            end -= len(tokens[-1])
            continue
        if tokens and (tokens[0] in _edge_words() or tokens[0] in _SCOPE_QUALIFIERS):
            start += len(tokens[0])
            continue
        if len(tokens) > 2 and tokens[-2] in _adverbs() and _is_verb(tokens[-1]):
            end -= len(tokens[-1])  # "中央财政将安排": an adverb and its verb are the clause's predicate
            continue
        stating = [i for i, token in enumerate(tokens[:-1]) if function_words().get(token) == "stating"]
        if stating:
            start += len("".join(tokens[:stating[-1] + 1]))  # "中央提出今年经济增长预期目标": who states it goes
            continue
        if (cut := text.rfind("、")) > 0 and _is_verb(tokens[0]):
            start += cut + 1  # "推进农村承包地改革、确权面积": a task listed before the indicator, not part of it
            continue
        break
    text = view[start:end]
    if text in qualifier_words("before") or function_words().get(text) == "reading" or (len(word_tags(text)) == 1 and _last_tag(text).startswith(("v", "d", "p", "c", "m", "u"))
                                        and _last_tag(text) != "vn"):
        start = end  # nothing but a verb, a function word ("安排") or a reading ("实际"): the indicator is elsewhere
    return start, end, qualifier


# The first word of what a figure counts cannot be a verb, adverb, preposition, conjunction, particle or pronoun.
_NOT_A_NOUN_START = ("v", "d", "p", "c", "u", "r", "m", "f")


def _noun_after(view: str, end: int, stop: int, after_de: bool) -> tuple[int, int, int] | None:
    """(start, end of the name, end of the words) of the words right after a figure up to the next mark, when
    they can be what it counts ("新建3个城市书房", "解决6000万农村人口的安全饮水问题" -> 农村人口); after a verb,
    also past a "的" ("保持8%的增长率")."""
    if after_de and view.startswith("的", end):
        end += 1
    m = re.compile(r"[^，,、；;。：:（()\d]{2,24}?(?=[，,、；;。：:（(]|(?:和|及|与)[\d一二三四五六七八九十]|已经|已|正在|$)").match(view, end, stop)
    if not m or re.match(r"[的是为了等地]", m.group()):
        return None
    if any(_read_number(view, n) for n in _NUMBER.finditer(view, m.start(), m.end())):
        return None  # "到七十九斤的有一百零四个县": more figures, not a name
    tags = word_tags(m.group())
    first = tags[0][1]
    # "1500亿元长期建设国债": an adverb opening words that hold no verb and end in a noun is part of a name
    named = first == "d" and len(tags) > 1 and tags[-1][1].startswith("n") and not any(_is_verb_tag(t) for _, t in tags)
    if first.startswith(_NOT_A_NOUN_START) and first != "vn" and not (first.startswith("v") and "的" in m.group()[1:]) \
            and not named:
        return None  # "增加了一百九十万吨", "没有恢复到…": what follows says something, it names nothing
    # "约1亿人居住的棚户区…": a verb opening a relative clause still names a thing
    return m.start(), m.start() + _counted_noun_length(m.group()), m.end()


def _counted_noun_length(words: str) -> int:
    """How much of the words after a figure name what it counts: up to a verb saying what became of it, or a
    "的" opening what it has ("8个产业项目签约入园", "6000万农村人口的安全饮水问题" -> 产业项目, 农村人口)."""
    tags = word_tags(words)
    if len(tags) > 1 and tags[1][0] == "的":
        return len(words)  # "约1亿人居住的棚户区": a relative clause naming the thing; kept whole
    if "的" in words[2:]:
        return words.index("的", 2)
    # A run of verbs ending the words says what became of it ("签约入园", "实现了定居", "得到改造"); a verb
    # followed by a noun may be inside the name ("农业转移人口") and stays.
    cut, pos = None, 0
    for i, (word, tag) in enumerate(tags):
        if _is_verb_tag(tag) and pos >= 2:
            cut = pos if cut is None else cut
        elif not (tag.startswith("u") or (cut is not None and i == len(tags) - 1 and not tag.startswith("n"))):
            cut = None  # the run goes on only through particles ("实现了定居") and a last non-noun ("入园")
        pos += len(word)
    return cut if cut is not None else len(words)


def _ends_with_verb(lead: str) -> bool:
    """Whether the words before a figure end with a verb that is not a measure word ("保持", "有", "实现")."""
    words = word_tags(lead.rstrip(_PUNCTUATION)) if lead.strip(_PUNCTUATION) else ()
    return bool(words) and words[-1][1].startswith("v") and words[-1][1] != "vn" and words[-1][0] not in measure_words()


def _measure_word_in(lead: str) -> bool:
    return any(word in lead for word in measure_words())


def _says_more_after(view: str, end: int, stop: int) -> bool:
    """Whether the clause goes on after a figure with words about it ("约1亿人在中西部地区就近城镇化"), not
    with a change ("400多万人扩大到…") or an aside ("（按1957年不变价格计算）")."""
    rest = re.sub(r"[（(][^（()）]*[)）]?", "", view[end:stop]).strip(_PUNCTUATION + "。！？!?")
    if len(rest) < 2 or _NUMBER.match(rest, 1) and rest[0] in "和及与":
        return False  # "达到49601元和28224元": another figure listed, no words about this one
    first = _words(rest)[0]
    return first not in measure_words() and first not in linking_verbs() and not _MEASURE_START.match(rest)


def _acts_on_what_follows(lead: str, core: str) -> bool:
    """Whether the words before a figure only act on what follows it ("新建", "审议了…等", "中央财政的"),
    so the noun after the figure is the indicator."""
    if lead.rstrip(_PUNCTUATION).endswith(("等", "的", "把")):  # "把14亿多中国人的饭碗…": its object follows
        return True
    if not core:
        return True
    if len(core) <= 2:
        return True
    tag = _last_tag(core)
    return tag.startswith("v") and tag != "vn"


def normalise_indicator(indicator: str) -> str:
    """The normalised name of an indicator ("国内生产总值" -> "生产总值"), the longest known name inside it."""
    aliases = indicator_aliases()
    if re.search(r"占|比重|比例", indicator):
        return indicator  # "占国内生产总值比重": a share of the indicator named, not that indicator
    # "经济增长速度的宏观调控目标" names 经济增长速度: the words after 的 say what was done with it
    indicator = re.sub(r"(?<=.{2})的(?:宏观)?(?:调控|预期|奋斗)?目标$", "", indicator)
    # "粮食（不包括大豆）的产量" is 粮食产量: an aside and a 的 between the words change nothing of what is counted
    plain = re.sub(r"[（(][^（()）]*[)）]", "", indicator)
    plain = re.sub(r"(?<=.{2})的(?=.{2})", "", plain)
    for name in sorted(aliases, key=len, reverse=True):
        # a short name inside a longer phrase is often an aside ("扣除物价因素" holds 物价): it opens or ends the
        # phrase, or is half of it at least
        if name in plain and len(name) >= len(plain) - 4 and (
                plain.startswith(name) or plain.endswith(name) or 2 * len(name) >= len(plain)):
            at = plain.index(name)
            if part := next((p for p in indicator_parts() if plain[:at].endswith(p)), None):
                return plain[at - len(part):]  # "安排中央财政赤字" -> 中央财政赤字, a part of the whole
            return aliases[name]
    return indicator


def _section_at(sections: Sequence[Section], pos: int) -> Section | None:
    found = None
    for section in sections:
        if section.start <= pos < section.end and section.level == 1:
            found = section
    return found


def _plan_named(text: str) -> str | None:
    """The years of the five-year plan `text` names last ("“七五”计划草案规定" -> "1986-1990"), else None."""
    # A plan written out in full ("第七个五年计划") is more often a base or an aside than the figure's own plan
    plans = [plan for plan in plan_years(text) if not plan[0].endswith(("计划", "规划"))]
    return f"{plans[-1][1]}-{plans[-1][2]}" if plans else None


def _five_year_span(sentence: str, report_year: int | None) -> str | None:
    if plan := _plan_named(sentence):
        return plan
    if report_year and (counted := _YEARS_COUNTED.search(sentence) or _PARAGRAPH_SPAN.match(sentence)):
        years = chinese_number(next(filter(None, counted.groups())))
        return f"{report_year - years}-{report_year - 1}"
    return None


# Words before a figure that make it a figure of several years ("五年年均增长5.2%", "十年增加近70万亿元",
# "连年稳定在1.3万亿斤以上"), not of the one year its sentence or section is about ("失业率平均为5.2%" is of one year).
# A count of years ("五年", "十年"), not the end of a year written in numerals ("比一九六四年").
_SEVERAL_YEARS = re.compile(r"年均|年平均|平均每年|每年平均|累计|连年|历年|逐年|"
                            r"(?<![〇○零一二三四五六七八九]{3})[两三四五六七八九十]年(?![前后底末初度级代])|\d+年(?:来|间)")


def spans_several_years(lead: str) -> bool:
    """Whether the words of a figure's clause before it make it a figure of several years.

    >>> spans_several_years("五年年均增长"), spans_several_years("城镇调查失业率平均为"), spans_several_years("比一九六四年增长")
    (True, False, False)
    """
    return bool(_SEVERAL_YEARS.search(lead))


def _without_bases(text: str) -> str:
    """`text` with its comparison bases blanked ("比1980年预计" says nothing of the figure's own reading)."""
    text = re.sub(r"在[^，,；;。]{0,24}?基础上", _blank, text)  # "在1959年粮食总产量的基础上，再增加…"
    # "（按一九五二年不变价格计算）": the year prices are counted in, not the year of the figure
    text = re.sub(rf"按{_YEAR}年(?:的)?(?:不变)?价格(?:计算)?", _blank, text)
    return re.sub(rf"(?:{_BASE_WORDS})[^，,；;、。]{{0,18}}?{_BASE_ENDS}(?:同期)?", _blank, text)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _nearest_cue(text: str, weak: bool = False) -> str | None:
    """target or result by the cue written closest before the end of `text`, if any (`weak`: 了 counts)."""
    plan = [m.end() for m in _PLAN_CUES.finditer(text)]
    past = [m.end() for m in _PAST_CUES.finditer(text)] + ([m.end() for m in _ASPECT.finditer(text)] if weak else [])
    if not plan and not past:
        return None
    return "target" if max(plan, default=-1) > max(past, default=-1) else "result"


def _year_reading(before: str, report_year: int | None) -> str | None:
    """From the year the sentence names before the figure ("1952年…446元"), or the year after its comparison
    base ("比1956年增长" is about 1957): result when before the report's year."""
    if not report_year:
        return None
    years = [int(y) for y in re.findall(rf"({_YEAR})年", _without_bases(before))]
    if not years and (bases := re.findall(rf"比({_YEAR})年", before)):
        years = [int(bases[-1]) + 1]
    if not years:
        return None
    return "result" if years[-1] < report_year else "target"


@dataclass(frozen=True)
class _Context:
    view: str
    sentence: TextSpan
    clause: TextSpan
    section: Section | None
    report_year: int | None
    prior: str  # the tense the figure's section mostly speaks in (its plan cues against its past cues)
    review: _Review | None  # the past its paragraph reviews, if it does (see `_review_at`)
    estimated: bool  # a figure before it in its sentence is an estimate


@functools.cache
def _review_words() -> re.Pattern[str]:
    """The words that say a stretch reviews the past: those of review headings (rag/data/review_headings.txt)."""
    words = sorted((row[0] for row in read_table("review_headings.txt")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


_OPENING = 16  # characters: how far into a paragraph its opening phrase reaches ("在经济领域，过去一年里")
_PLAN_TIME = re.compile(r"今年|明年|今后")
_OPENING_YEAR = re.compile(rf"[\s\u3000]*({_YEAR})年")


@dataclass(frozen=True)
class _Review:
    """A paragraph's stretch that reviews the past, and the one year it is about (None for a span)."""

    year: int | None


def _review_at(view: str, sentence: TextSpan, report_year: int | None) -> _Review | None:
    """Whether the figures of `sentence`, naming no time of their own, review the past: its paragraph opens
    on the past ("在经济领域，过去一年里…", "1984年，我国工业生产…") or a sentence before it in the paragraph
    opens so ("去年，…"), and no sentence since opens on the plan ("今年，…") — nor does `sentence` name it."""
    if report_year is None:
        return None
    paragraph = _paragraph_start(view, sentence.start)
    review: _Review | None = None
    for i, before in enumerate(sentences(view[paragraph:sentence.end], paragraph)):
        text = before.text
        year = _OPENING_YEAR.match(text)
        word = _review_words().match(text.lstrip(" \u3000")) or (i == 0 and _review_words().search(_without_bases(text[:_OPENING])))
        if year:
            review = _Review(int(year.group(1))) if int(year.group(1)) < report_year else None
        elif word:
            review = _Review(None if "五年" in word.group() else report_year - 1)
        elif _PLAN_TIME.match(text) or (before.start == sentence.start and _PLAN_TIME.search(text)):
            review = None  # "国务院决定今年安排30亿元": the sentence names its own time
    return review


def _section_reading(section: Section | None, report_year: int | None) -> str | None:
    """By the section's heading: a review, a plan, or a heading naming its year ("二、1981年国民经济计划")."""
    if section is None:
        return None
    title = for_matching(section.title)
    if _REVIEW_TITLE.search(title):
        return "result"
    years = [int(y) for y in re.findall(rf"({_YEAR})年", title)]
    if years and report_year:
        return "result" if max(years) < report_year else "target"
    return "target" if _PLAN_TITLE.search(title) else None


def _reading(ctx: _Context, number: _Number, qualifier: str | None, inherited: str | None,
             origin: str | None = None) -> str:
    """target, result or estimate: the figure's own clause first, then the reading of the figure whose
    indicator it shares, the section's heading, the sentence, the years it names, its paragraph."""
    view = ctx.view
    clause_before = _without_bases(view[ctx.clause.start:number.start])
    if _is_change_origin(view, ctx.clause.start, number):
        return "result"  # "从75%提高到100%": the figure before the change
    if origin and (start := max(clause_before.rfind("从"), clause_before.rfind("由"))) >= 0:
        # "赤字率从去年的2.1%提高到2.3%": the words of the change's origin say nothing of where it reaches;
        # those before it do ("将由1980年的7200万吨增加到1.2亿吨")
        clause_before = clause_before[:start] + re.split(r"[到至]", clause_before[start:])[-1]
    if view.startswith("的基础上", number.end):
        return "result"  # "在连续两年增长13%的基础上"
    if qualifier == "预计" or "预计" in clause_before:
        return "estimate"
    # "从2002年1288亿元增加到2007年的3664亿元" in the 2008 report: reaching a year already past plans nothing
    clause_before = re.sub(rf"到({_YEAR})年", lambda m: m.group() if not ctx.report_year or int(m.group(1)) >= ctx.report_year
                           else _blank(m), clause_before)
    if cue := _nearest_cue(clause_before):
        return cue
    if _PAST_AFTER.match(view, number.end, ctx.clause.end):
        return "result"  # "军队裁员100万的任务已经完成": said done after the figure
    if _NAMED_TARGET.match(view, number.end, ctx.clause.end):
        return "target"  # "没有实现年初确定的能耗降低4%左右、排放总量减少2%的目标": named as the target
    before = view[ctx.sentence.start:number.start]
    if ctx.estimated:
        return "estimate"  # "…预计达到628亿元，超过年度计划4.1%": the figures after it are of the estimate too
    year = _written_year(before)
    if year and ctx.report_year and year < ctx.report_year:
        return "result"  # "1953年比1952年增长14.4%" in the 1955 report: what happened, whatever the section plans
    if year and ctx.report_year and year > ctx.report_year:
        return "target"  # "１９８２年的计划，要求…提高到４％" in a report of late 1981: no review states what is to come
    if inherited:
        return inherited
    if ctx.review:
        return "result"  # "过去一年，…。国内生产总值增长10.3%": a review inside a section headed by the plan year
    if reading := _section_reading(ctx.section, ctx.report_year):
        return reading
    if origin:
        return origin  # "由年初的400多万人扩大到年末的1120多万人": read as the figure it changed from
    if qualifier in _TARGET_QUALIFIERS:
        return "target"
    if cue := _nearest_cue(_without_bases(before), weak=True):
        return cue
    if reading := _year_reading(before, ctx.report_year):
        return reading
    paragraph_before = view[_paragraph_start(view, ctx.sentence.start):number.start]
    return "target" if _STRONG_PLAN_CUES.search(_without_bases(paragraph_before)) else ctx.prior


def _is_change_origin(view: str, clause_start: int, number: _Number) -> bool:
    """Whether `number` is where a change starts ("从75%提高到100%", "从不到70万亿元增加到…")."""
    return bool(CHANGE_ORIGIN_LEAD.search(_origin_lead(view, clause_start, number)) and _FROM_TO.match(view, number.end))


def _origin_lead(view: str, clause_start: int, number: _Number) -> str:
    """The words of a figure's clause before it, without a qualifier ending them ("从不到")."""
    return _before_qualifier_end().sub("", view[clause_start:number.start])


def _origin_year(view: str, clause_start: int, number: _Number, report_year: int | None) -> int | None:
    """The year a change starts from, for the figure it starts at ("由1957年的535万吨增长到1108万吨": 1957;
    "赤字率从去年的2.1%提高到2.3%": the year before the report's)."""
    if not _is_change_origin(view, clause_start, number):
        return None
    lead = _origin_lead(view, clause_start, number)
    if m := _FROM_YEAR_END.search(lead):
        return int(m.group(1))
    return report_year - 1 if report_year and _FROM_LAST_YEAR.search(lead) else None


def _range_start(sentence_before: str, view: str, clause_start: int, number: _Number) -> int | None:
    """The first year of the years a sentence opens with, for a change's origin ("从一九八○年至一九八五年，…钢由三千七百
    万吨增加到四千六百六十六万吨": 3700万吨 is 1980's)."""
    if not _is_change_origin(view, clause_start, number):
        return None
    ranges = _FROM_YEAR_TO.findall(sentence_before)
    return int(ranges[-1][0]) if ranges else None


def _tense(text: str) -> str | None:
    """target when a stretch of a report speaks of plans more than of what was done, result when less;
    None when it hardly says."""
    plan, past = len(_PLAN_CUES.findall(text)), len(_PAST_CUES.findall(text))
    if plan + past < 2:
        return None
    return "target" if plan > past else "result"


def _paragraph_start(view: str, pos: int) -> int:
    """Where the paragraph holding `pos` starts."""
    return view.rfind("\n", 0, pos) + 1


def _paragraph_year(view: str, sentence: TextSpan, report_year: int | None) -> int | None:
    """The last year written in `sentence`'s paragraph before it, when earlier than the report's."""
    year = _written_year(view[_paragraph_start(view, sentence.start):sentence.start])
    return year if year and report_year and year < report_year else None


# Years written as one stretch whose figures add up or average over it: "1952年到1956年五年间的…合计",
# "1953年至1980年的二十八年间平均每年增长", "1983年到1987年的五年间". A stretch a change runs over
# ("1980年至1985年，原煤产量由…增加到…") says neither, and its figures keep their own years.
_STRETCH = re.compile(rf"({_YEAR})年?\s*(?:到|至|—|-|～)\s*({_YEAR})年(?:的|这个)?"
                      rf"(?:[一二两三四五六七八九十\d]+年)?(?=间|中|期间|内|时间内|时期|[^，,；;。]{{0,16}}(?:合计|累计|共计|总计))")


def _stretch_span(before: str) -> str | None:
    """The span of years a figure adds up or averages over, when the sentence before it writes one as its
    last years: "1952年到1956年五年间的实际产量合计，粮食为…" -> "1952-1956"."""
    stretches = list(_STRETCH.finditer(before))
    if not stretches or re.search(rf"{_YEAR}年", before[stretches[-1].end():]):
        return None
    first, last = stretches[-1].groups()
    return f"{first}-{last}"


_REACHED = re.compile(_FROM_TO.pattern + r"了?$")


def _span_end(view: str, clause_start: int, number: _Number, span: str) -> int | None:
    """The year a figure of a change over `span` stands at: the year before the span for where it starts, its
    last year for where it reaches or a level it attains; None for any other figure of the span (a sum, an
    average, a growth)."""
    first, last = (int(y) for y in span.split("-"))
    if _is_change_origin(view, clause_start, number):
        return first - 1
    lead = view[clause_start:number.start]
    # "这五年，…国内生产总值达到39.8万亿元": the level reached is the last year's ("累计达到" sums the span)
    # ("…达4077亿元，比前五年累计增加": a span's sum compared with the span before)
    summed = spans_several_years(lead) or re.match(r"[^。；;]{0,3}比前[两三四五六七八九十]年", view[number.end:])
    return last if _REACHED.search(lead) or (re.search(r"达到了?$", lead) and not summed) else None


def _year_right_before(view: str, clause_start: int, number: _Number, delivered: int | None = None) -> int | None:
    """A year written right before a figure ("增加到了1959年的5401亿斤"), or a year word counted from the year the
    report was delivered (`delivered`: "预计降低到今年的二十七亿元" in the report of late 1981 is 1981's), else None."""
    before = view[clause_start:number.start]
    if m := re.search(rf"({_YEAR})年的?$", before):
        return int(m.group(1))
    if delivered and (m := _YEAR_WORD_RIGHT_BEFORE.search(before)):
        return delivered + _YEAR_WORD_OFFSETS[m.group(1)]
    return None


def _written_year(before: str) -> int | None:
    """A year written in the sentence before the figure ("2020年全市生产总值…"), bases aside."""
    years = re.findall(rf"({_YEAR})年", _without_bases(before))
    return int(years[-1]) if years else None


def _base_unit(unit: str) -> str:
    """"万人" -> "人", "亿元" -> "元": the unit without its magnitude."""
    for word in ("万亿", "亿", "万", "千"):
        if unit.startswith(word) and len(unit) > len(word) and unit[len(word):] in unit_kinds():
            return unit[len(word):]
    return unit


def _unit_scale(unit: str) -> int:
    """The magnitude a unit carries itself ("万吨" -> 10**4), when matched whole."""
    base = _base_unit(unit)
    return _MAGNITUDES[unit[: len(unit) - len(base)]] if base != unit else 1


def _measure(unit: str, lead: str, ordinal: bool = False) -> str:
    """What the figure measures, from its unit and the words written right before it."""
    if unit in ("个百分点", "百分点"):
        return "points"
    words = sorted(measure_words().items(), key=lambda kv: -len(kv[0]))
    # "比一九六四年增长一点九倍": a growth told in times; "是1952年的2.6倍" is a multiple
    # "钢增产了约七十八万吨": a qualifier between the change word and its figure leaves it a change
    bare = re.sub(r"[了\s]+$", "", _before_qualifier_end().sub("", lead))
    change = next((measure for word, measure in words if bare.endswith(word)), None)
    if unit == "倍":
        return "growth" if change == "growth" else "multiple"
    kind = unit_kinds().get(unit, "")
    if kind == "rank" and (ordinal or re.search(r"居|位列", lead[-8:])):
        return "rank"
    if unit in ("%", "‰"):
        named = next((measure for word, measure in words if word in lead[-8:] and measure != "rank"), None)
        # "超过年度计划百分之四点一": how far past its base a figure went, neither a level nor a growth on last year
        return named or ("beyond" if _BEYOND_BASE.search(lead) else "rate")
    # "增产15.4亿斤", "减少1000万吨": an amount that says how much something changed, right after the change word.
    if change in ("growth", "decline"):
        return change
    if kind in ("count", "", "rank"):
        return "count"
    return "amount"


def _names_a_share(indicator: str, lead: str) -> bool:
    """Whether a level reached is a share by its indicator's name ("所占的比重将上升到36.5%")."""
    shares = [word for word, measure in measure_words().items() if measure == "share" and len(word) > 1]
    levels = [word for word, measure in measure_words().items() if measure == "rate"]
    return any(lead.rstrip().endswith(word) for word in levels) and any(word in indicator for word in shares)


def _clause_numbers(view: str, clause: TextSpan) -> list[_Number]:
    numbers = [n for m in _NUMBER.finditer(view, clause.start, clause.end)
               if (n := _read_number(view, m)) and n.end <= clause.end]
    numbers += _percent_words(view, clause.start, clause.end) + _fraction_words(view, clause.start, clause.end)
    numbers = sorted({(n.start, n.end): n for n in numbers}.values(), key=lambda n: (n.start, -n.end))
    out: list[_Number] = []
    for n in numbers:
        if not out or n.start >= out[-1].end:
            out.append(n)
    return out


def _topic(view: str, clause: TextSpan) -> _Indicator | None:
    """A clause naming only a thing ("农民人均纯收入，", "棉花："): the topic of the figures that follow."""
    if clause.end - clause.start > 40:
        return None
    start, end, _ = _core(view, clause.start, clause.end)
    # "粮食总产量在上年大幅度增长的基础上，又增产291亿斤，达到9680亿斤": the base it builds on names nothing
    end = start + len(_without_bases(view[start:end]).rstrip())
    text = view[start:end]
    # a list of things may be longer ("农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到…")
    if not 2 <= len(text) <= (30 if _ENUMERATION.search(text) else 20) or re.search(r"\d", text):
        return None
    tags = word_tags(text)
    first, last = tags[0][1], tags[-1][1]
    names = last.startswith(("n", "l", "j")) or last == "vn"
    acts = first.startswith(_NOT_A_NOUN_START) and first != "vn"  # "扣除物价上涨因素", "包括…": an aside
    if names and not acts and last != "nr":
        return _Indicator(start, end, text)
    # "粮食产量屡创历史新高，去年达到1.09万亿斤": the nouns a clause opens with, then says something of
    nouns = list(itertools.takewhile(lambda tag: tag[1].startswith(("n", "j")) and tag[1] not in ("nr", "ns"), tags))
    subject = "".join(word for word, _ in nouns)
    if len(subject) >= 3 and len(nouns) < len(tags) and tags[len(nouns)][1].startswith(("d", "v")) and tags[len(nouns)][1] != "vn":
        return _Indicator(start, start + len(subject), subject)
    return None


def _with_product(view: str, sentence: TextSpan, indicator: str) -> str:
    """An output named alone ("总产量") with the product its sentence opens with ("粮食连续五年增产，总产量10570亿斤":
    粮食总产量), as it is normalised; any other indicator as it is."""
    if indicator not in output_words():
        return indicator
    tags = word_tags(view[sentence.start:sentence.start + 12])
    nouns = list(itertools.takewhile(lambda tag: tag[1].startswith(("n", "j")) and tag[1] not in ("nr", "ns"), tags))
    product = "".join(word for word, _ in nouns)
    return product + indicator if product and product not in output_words() else indicator


def _distribute(group: list[tuple[_Indicator, dict]]) -> None:
    """"二氧化硫、化学需氧量排放量分别下降3.5%、2.9%": one item of a shared indicator per figure, in order."""
    indicator = group[0][0]
    pieces, pos = [], indicator.start
    for m in _ENUMERATION.finditer(indicator.text):
        pieces.append((pos, indicator.start + m.start()))
        pos = indicator.start + m.end()
    pieces.append((pos, indicator.end))
    # "A和B分别增长7.8%和8.5%、达到49601元和28224元": each run of figures goes item by item
    if len(group) % len(pieces) or any(e - s < 2 for s, e in pieces):
        return
    words = _words(indicator.text)
    boundaries = {sum(map(len, words[:i])) for i in range(len(words) + 1)}
    if any(s - indicator.start not in boundaries or e - indicator.start not in boundaries for s, e in pieces):
        return  # "和" inside a word ("和谐"): not a list
    for i, (_, record) in enumerate(group):
        s, e = pieces[i % len(pieces)]
        record["indicator"] = _Indicator(s, e, indicator.text[s - indicator.start:e - indicator.start])


_NEXT_PLAN = re.compile(rf"({_YEAR})年(?:的)?(?:国民经济(?:和社会发展)?|国家)?计划")


def _plan_year(view: str, report_year: int | None) -> int | None:
    """The year a report plans for: the year after its own when it sets that year's plan ("二、1981年国民经济
    计划的任务" in the 1980 report, "一九六五年计划草案" in December 1964's), so its own year is reviewed."""
    if report_year and any(int(y) == report_year + 1 for y in _NEXT_PLAN.findall(view)):
        return report_year + 1
    return report_year


def extract_facts(text: str, sections: Sequence[Section] = (), report_year: int | None = None) -> list[Fact]:
    """Every readable figure of `text` (a report's canonical text) as a Fact, in reading order."""
    view = _matching_view(text)
    plan_year = _plan_year(view, report_year)
    facts: list[Fact] = []
    priors: dict[tuple[int, int], str] = {}
    report_tense = _tense(_without_bases(view)) or "result"
    for sentence in sentences(view):
        if not re.search(r"\d|[一二两三四五六七八九十]", sentence.text):
            continue
        section = _section_at(sections, sentence.start)
        stretch = (section.start, section.end) if section else (_paragraph_start(view, sentence.start), sentence.end)
        if stretch not in priors:
            priors[stretch] = _tense(_without_bases(view[stretch[0]:stretch[1]])) or report_tense
        span = _five_year_span(sentence.text, report_year) if _SPAN_CUES.search(sentence.text) else None
        # A paragraph opening "五年来，…" sums up the period in every sentence of it that names no year.
        opening = view[_paragraph_start(view, sentence.start):][:_OPENING].lstrip(" \u3000")
        if span is None and (_SPAN_CUES.match(opening) or _PARAGRAPH_SPAN.match(opening)) \
                and not re.search(r"(?:19|20)\d{2}年", sentence.text):
            span = _five_year_span(opening, report_year)
        review = _review_at(view, sentence, plan_year)
        earlier = _paragraph_year(view, sentence, plan_year)
        records: list[dict] = []
        shared: _Indicator | None = None  # the indicator a figure without words of its own takes
        shared_lead = ""
        topic_clauses: list[TextSpan] = []
        for clause in clauses(sentence.text, sentence.start):
            numbers = _clause_numbers(view, clause)
            if not numbers:
                topic_clauses.append(clause)  # read only if a figure after it has no words of its own
                continue
            ctx = _Context(view, sentence, clause, section, plan_year, priors[stretch], review,
                           any(r["reading"] == "estimate" for r in records))
            cursor = clause.start
            scope = next((w for w in _SCOPE_QUALIFIERS if view.startswith(w, clause.start)), None)
            for number in numbers:
                qualifier, end = _after_qualifier(view, number.end)
                core_start, core_end, before = _core(view, cursor, number.start)
                own = _Indicator(core_start, core_end, view[core_start:core_end]) if core_start < core_end else None
                lead = view[cursor:number.start]
                # A figure listed after another ("…饮水困难和60万…", "、") is read the way the one before was.
                listed = bool(records) and records[-1]["clause"] == clause and not lead.strip(" 、，,和及与以")
                use_after = records[-1]["from_after"] if listed else _acts_on_what_follows(lead, own.text if own else "")
                after_de = _ends_with_verb(lead)
                after = _noun_after(view, end, clause.end, after_de) if use_after else None
                end_of_noun = end
                if after:
                    own, end_of_noun = _Indicator(after[0], after[1], view[after[0]:after[1]]), after[2]
                elif listed:
                    own = None
                elif own is None and _says_more_after(view, end, clause.end) and not _measure_word_in(lead) \
                        and not any(_topic(view, c) for c in topic_clauses):
                    # "完成约1亿人在…": what it counts follows in words not read; no guess, unless a clause before
                    # named it ("农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到2253元和6280元")
                    cursor = end
                    continue
                if own is None and topic_clauses:
                    # the thing named last ("工业总产值（…），包括…在内，预计达到…") is what a figure without
                    # words of its own is about
                    shared = next((t for c in reversed(topic_clauses) if (t := _topic(view, c))), shared)
                topic_clauses = []
                share_of = records and number.unit in ("%", "‰") and _SHARE_OF.match(lead)
                if share_of:
                    # "民生支出1282.9亿元、占一般公共预算支出74.5%": the share is 民生支出's, not a figure of the whole.
                    own, shared = None, records[-1]["indicator"]
                indicator = own or shared
                # "占世界经济比重从11.4%提高到15%左右": the share a change reaches is a share too.
                share_of = share_of or (records and own is None and number.unit in ("%", "‰")
                                        and records[-1]["clause"] == clause and records[-1]["measure"] == "share")
                if indicator is not None and re.search(f"[{_JUNK}]", indicator.text):
                    cursor = end  # "二氧化硫＠①排放量": the indicator cannot be read cleanly; no fact
                    continue
                measure_lead = lead if own or lead.strip(" 、，,和及") else shared_lead
                if indicator is None:
                    cursor = end
                    continue
                qualifier = qualifier or number.more or before or scope
                inherited = records[-1]["reading"] if records and own is None and records[-1]["indicator"] == indicator else None
                if inherited and _is_change_origin(view, records[-1]["clause"].start, records[-1]["number"]):
                    # "从39亿元增加到96亿元" in a plan: the figure a change reaches is read by its section first
                    reading = _reading(ctx, number, qualifier, None, origin=inherited)
                else:
                    reading = _reading(ctx, number, qualifier, inherited)
                records.append({"indicator": indicator, "shared": own is None, "from_after": bool(after),
                                "number": number, "end": end,
                                "qualifier": qualifier, "reading": reading, "clause": clause,
                                "measure": "share" if share_of or _names_a_share(indicator.text, measure_lead) else
                                _measure(_base_unit(number.unit), measure_lead, view.startswith("第", number.start))})
                shared, shared_lead = indicator, measure_lead
                cursor = end_of_noun
        _distribute_shared(view, records)
        for record in records:
            facts.append(_fact(text, view, record, sentence, section, span, plan_year, review, earlier, report_year))
    return facts


def _listed_in_order(view: str, group: list[dict]) -> bool:
    """Whether figures sharing a listed indicator are given item by item: "分别" says so, or they stand
    together in one clause ("城镇和农村居民收入增长8%、7%"); "A和B的投资总额共为493亿元，超过原定计划的15.3%" is
    one indicator."""
    between = view[group[0]["indicator"].end:group[-1]["number"].start]
    return bool(re.search("分别|依次", between)) or len({record["clause"] for record in group}) == 1


def _distribute_shared(view: str, records: list[dict]) -> None:
    """Groups of figures sharing one listed indicator ("A、B分别下降3.5%、2.9%") get one item each."""
    i = 0
    while i < len(records):
        j = i + 1
        while j < len(records) and records[j]["shared"] and records[j]["indicator"] == records[i]["indicator"]:
            j += 1
        if j - i >= 2 and _ENUMERATION.search(records[i]["indicator"].text) and _listed_in_order(view, records[i:j]):
            _distribute([(records[k]["indicator"], records[k]) for k in range(i, j)])
        i = j


def _fact(text: str, view: str, record: dict, sentence: TextSpan, section: Section | None, span: str | None,
          report_year: int | None, review: _Review | None, paragraph_year: int | None,
          delivered: int | None = None) -> Fact:
    number: _Number = record["number"]
    indicator: _Indicator = record["indicator"]
    reading = record["reading"]
    clause: TextSpan = record["clause"]
    own_year = (_origin_year(view, clause.start, number, report_year)
                or _year_right_before(view, clause.start, number, delivered)
                or _range_start(view[sentence.start:clause.start], view, clause.start, number))
    year = own_year or _written_year(_FROM_YEAR.sub(_blank, view[sentence.start:number.start]))
    # "在过去四年中…增加到了1959年的5401亿斤": the year written at the figure is its own, whatever the sentence spans
    span = None if own_year else span or _stretch_span(view[sentence.start:number.start])
    lead = view[clause.start:number.start]
    if span is None and own_year is None and spans_several_years(lead):
        # "“七五”计划草案规定，五年内…增长百分之三十八": the plan its sentence names; "…；国民生产总值平均每年增长
        # 百分之七点五": the plan its paragraph names, unless the figure counts its own years ("五年累计")
        span = _plan_named(view[sentence.start:number.start]) or (
            None if re.search(r"[两三四五六七八九十]年", lead)
            else _plan_named(view[_paragraph_start(view, sentence.start):number.start]))
    if span and (ends := _span_end(view, clause.start, number, span)):
        year, span = ends, None  # "这两年中，钢产量由2046万吨增加到3178万吨": where a change over the span starts and ends
    if year is None and reading == "target" and (bases := re.findall(rf"比({_YEAR})年", lead)):
        year = int(bases[-1]) + 1  # "计划草案拟定，工业总产值比1964年增长11%左右": the plan for 1965
    # What happened, in a section whose heading names no year, is of the last year its paragraph named before
    # it ("一九七八年仍然夺得了丰收。粮食…总产量达到三亿零四百七十五万吨" in the 1979 report).
    named_section = section is not None and re.search(rf"{_YEAR}年", for_matching(section.title))
    earlier = paragraph_year if reading != "target" and not named_section else None
    # A yearly average over years no words name, of a thing named before ("农村居民人均纯收入…，2000年分别达到2253元…，
    # 平均每年实际增长4.7％"), is of no single year.
    unnamed_years = span is None and own_year is None and record["shared"] and bool(_YEARLY_AVERAGE.search(lead))
    period_year = None if span or unnamed_years else (year or (review.year if review else None) or earlier or
                                     (section.period_year if section else None) or
                                     (report_year if reading == "target" else None))
    if period_year and own_year is None and _is_change_origin(view, clause.start, number) and \
            _PLAN_CUES.search(_without_bases(lead)):
        period_year -= 1  # "（去年）物价涨幅要从14.8%降到10%左右": a planned change starts from the year before's level
    unit = _base_unit(number.unit)
    value = number.value * _unit_scale(number.unit)
    high = number.value_high * _unit_scale(number.unit) if number.value_high is not None else None
    written = text[indicator.start:indicator.end]
    return Fact(indicator=written, indicator_norm=normalise_indicator(_with_product(view, sentence, indicator.text)),
                measure=record["measure"],
                value=value, value_high=high, unit=unit, text=text[number.start:record["end"]],
                qualifier=record["qualifier"], reading=reading, period_year=period_year,
                period=span or (str(period_year) if period_year else None), start=number.start, end=record["end"],
                clause_start=clause.start, clause_end=clause.end,
                sentence_start=sentence.start, sentence_end=sentence.end)
