"""Answers from facts: a figure, a comparison, a computed difference or sum, or a trend, each cited.

A question that asks for a figure is answered from the facts read at ingest (rag/figures.py)
when they state it unambiguously for the place and year asked: the answer leads with the figure
exactly as the report writes it (qualifier included, "5.5%左右"), then the sentence that states
it. Two places or two years compared get each side's figure and a verdict that respects the
qualifiers; "多多少/相差/一共" get a declared computation (rag/compute.py); a span of years gets a
table. When the facts do not settle the question, `answer()` returns None and the sentence
generator answers as before; when the report gives only another measure of the indicator asked
("PM2.5浓度下降4%" for a question about the concentration), the answer is a refusal that says so.

Example:
    >>> answerer = FigureAnswerer(facts, reader)
    >>> answerer.answer("2025年全国GDP增长目标是多少？", constraints, passages).text.splitlines()[0]
    '全国2025年目标：国内生产总值增长**5%左右**[1]'
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from rag.compute import Computation, shown
from rag.constraints import QueryConstraints
from rag.gazetteer import NATIONAL
from rag.domain import function_words, indicator_aliases, qualifier_words
from rag.facts import (FactIndex, FactMatch, FigureRequest, asked_indicator_norm, first_reading, indicator_candidates,
                       indicator_pair, read_request)
from rag.figures import CHANGE_ORIGIN_LEAD, spans_several_years
from rag.generate.base import Draft
from rag.numbers import asks_for_number
from rag.retrieve import RetrievedPassage
from rag.years import year_forms, years_named
from vectorstore.normalize import for_matching
from vectorstore.records import StoredChunk, StoredFact

# A name match or a close meaning: below this an indicator is not taken to be the one asked.
MIN_INDICATOR_SCORE = 0.6
_DIFFERENCE = re.compile(r"[多少高低快慢]了?(?:多少|几个百分点)|相差|差多少|差距|高出|低出|多出|增加了多少|减少了多少")
_SUM = re.compile(r"一共|合计|总共|加起来|之和|共计")
_FASTER = re.compile(r"[涨增长]得?更?[快慢]")
_COMPARE = re.compile(r"哪个|哪年|哪一年|谁|更高|更低|更多|更少|高还是低|比较|相比|对比|一样")
_VERDICT = re.compile(r"更高|更低|更多|更少|更快|更慢|高还是低|多还是少|一样|相比"
                      r"|(?:哪一?年|哪个|谁)[^，,？?]{0,6}?[多少高低大小快慢]"  # "哪年多", "哪年定得高"
                      r"|有(?:什么|何)(?:不同|区别|差别|变化)")
_LIST_OR_NAME = re.compile(r"哪些|哪几|有哪|是谁|哪位|什么名|第几届")
_ASK = re.compile(r"多少|(?<![这那])几|多大|多高|[？?]")  # "这几年" points back; it asks nothing
# Each year of a span asked for on its own ("2021年以来历年…分别是多少"), whatever else the question says of the span.
_EACH_YEAR = re.compile(r"历年|分别|各年|逐年|每年(?!平均)(?<!平均每年)")
# A question over several years one by one ("2019到2024年…分别是多少"), not about a span as a whole.
# Three years listed ("2001、2007、2010年…各上涨了多少") ask for each of them.
_YEAR_BY_YEAR = re.compile(_EACH_YEAR.pattern + r"|各(?:是|为|自)|变化|趋势|走势|\d{4}\s*年?\s*(?:到|至|—|-|~|～)\s*\d{4}"
                           r"|(?:\d{4}\s*年?\s*[、，,]\s*){2}\d{4}")
_WHOLE_SPAN = re.compile(r"一共|累计|合计|总共|五年|十[一二三四五六七八九]五|期间|以来")
_AVERAGE = re.compile(r"年均|平均每年|每年平均")
_TREND = re.compile(r"变化|趋势|走势|怎么走|走向|升降|(?:怎么|如何|怎样)变")
# A span written year to year ("从2021年到2024年"), its two ends.
_RANGE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:到|至|—|-|~|～)\s*((?:19|20)\d{2})\s*年")
# A figure set against the year's plan ("比年初目标多出多少"): what happened, less what was planned.
_AGAINST_PLAN = re.compile(r"比.{0,6}(?:目标|计划|预期)")
# Words that ask for a level itself ("GDP总量目标", "规模多大"): no growth answers them.
_LEVEL_ASKED = re.compile(r"总量|规模|总额|多少(?:万|亿|万亿)?元|多大")
# What a multiple is taken of: levels, not changes or rates.
_LEVELS = {"amount", "count"}
# A multiple asked ("2024年GDP是2014年的几倍"): the first figure over the second.
_RATIO = re.compile(r"(?:是|为|相当于).{0,16}?(?:几|多少)倍")
# Both readings asked at once ("年初目标和实际完成各是多少"): the sentence generator answers each.
_PLANNED, _DONE = "(?:目标|计划|预期)", "(?:实际|完成)"
# A change against the year before, written right before its figure.
_CHANGE_ON_LAST_YEAR = re.compile(r"\s*比上年(?:增加|增长|多|减少|下降|少)了?\s*$")
_BOTH_READINGS = re.compile(f"{_PLANNED}.{{0,12}}{_DONE}|{_DONE}.{{0,12}}{_PLANNED}")
# A plan and an outcome named anywhere in the question ("1992年计划的…比1991年的实际"): each year's reading counts
_PLAN_AND_OUTCOME = re.compile(f"{_PLANNED}.*{_DONE}|{_DONE}.*{_PLANNED}")
# A comparison base that is a year ("比2002年", "较2015年"): the figure is a change since then.
_BASE_YEAR = re.compile(rf"(?:{'|'.join(w for w, kind in function_words().items() if kind == 'comparison')})"
                        r"\s*((?:19|20)\d{2})\s*年")
# A year a question asks a growth over ("比1964年增长了多少").
_GROWTH_BASE = re.compile(_BASE_YEAR.pattern + r"(?:增长|提高|下降|降低)")
_READING_LABEL = {"target": "目标", "result": "实际", "estimate": "预计"}


@dataclass(frozen=True)
class Side:
    """One side of an answer: a place and a year, and the fact that states its figure."""

    place: str | None
    year: int | None
    fact: StoredFact


def _best(matches: Sequence[FactMatch], reading: str | None, year: int | None,
          names_its_indicator: Callable[[StoredFact], bool] = lambda fact: True, asked: str = "") -> StoredFact | None:
    """The one fact a side means: the best indicator; of the report that speaks of that year; unambiguous."""
    if not matches:
        return None
    top = matches[0].indicator_score
    if top < MIN_INDICATOR_SCORE:
        return None
    # A bare 0 is what scraping leaves of a figure whose digits it dropped ("新增养老床位0张").
    best = [m.fact for m in matches if m.indicator_score >= top - 1e-6 and m.fact.value != 0]
    if not best:
        return None
    if reading is None:  # a year's figure without 目标/实际: its result where the library has one
        results = [f for f in best if f.reading == "result"]
        best = results or best
    if year is not None:
        # A target is set in the year's own report, a result stated in the next year's review.
        own = [f for f in best if f.report_year == (year if f.reading == "target" else year + 1)]
        best = own or best
    if len({(f.value, f.value_high, f.unit) for f in best}) > 1:
        # "财政赤字" names 财政赤字2.76万亿元, not 中央财政赤字1.83万亿元: an indicator written as one of its names,
        # and first as the question writes it (城镇新增就业1312万人, not 城镇新增就业人数超过6400万人 of five years)
        named = [f for f in best if f.indicator == asked] or [f for f in best if f.indicator in indicator_aliases()]
        best = named or best
    if len({(f.value, f.value_high, f.unit) for f in best}) > 1 and all(f.reading == "result" for f in best):
        # What happened, stated exactly, not as a bound ("国内生产总值达到67.7万亿元", not "经济总量超过60万亿元的高基数")
        best = [f for f in best if not f.qualifier] or best
    if len({(f.value, f.value_high, f.unit) for f in best}) > 1:
        # Of a clause's figures, the one written right after its indicator's name, not one it takes from before
        best = [f for f in best if names_its_indicator(f)]
    if not best or len({(f.value, f.value_high, f.unit) for f in best}) > 1:
        return None
    return best[0]


def _years_asked_about(question: str, years: tuple[int | None, ...],
                       report_years: Sequence[int]) -> tuple[tuple[int | None, ...], int | None]:
    """The years a figure is asked of, without the year of the report that states it and a growth's base year,
    when one other is named; and that base year when it is not the year before ("1974年工业总产值比1964年增长了
    多少" asks of 1974, since 1964: only a figure stated over 1964 answers it)."""
    bases = set() if _DIFFERENCE.search(question) else {int(y) for y in _GROWTH_BASE.findall(question)}
    kept = tuple(y for y in years if y not in report_years and y not in bases)
    if not (kept and len(kept) < len(years) and len(kept) == 1):
        return years, None
    since = next((b for b in bases if b in years and kept[0] is not None and b != kept[0] - 1), None)
    return kept, since


def _asks_on_its_own(part: str) -> bool:
    """Whether a part of a question asks something of its own: words for an indicator, a measure, a reading or a
    year ("增长了多少", "目标是多少", "是1949年的几倍"), not only the asking again ("…和全国比怎么样？各是多少？")."""
    asked = read_request(part)
    return bool(indicator_candidates(part) or asked.measure or asked.reading or re.search(r"\d", part))


def _readings_by_year(question: str, years: Sequence[int | None]) -> tuple[str, str] | None:
    """The reading written after each of two years ("2021年…目标比2020年实际"), when both are named."""
    readings = _reading_after_each(question, years)
    if readings is None or readings[0] is None or readings[1] is None or readings[0] == readings[1]:
        return None
    return readings[0], readings[1]


def _year_spans(question: str, years: Sequence[int | None]) -> dict[int | None, tuple[int, int]]:
    """Where the question first writes each of `years` ("2020年"), for those it writes."""
    return {y: m.span() for y in years for m in [re.search(rf"{y}\s*年", question)] if m}


def _asked_apart(question: str, years: Sequence[int | None]) -> bool:
    """Whether each of two years is asked about in words of its own ("2020年新增城镇就业多少人？2021年的…目标"), not
    listed together ("2022年和2024年的…目标", whose words are both years')."""
    spans = _year_spans(question, years)
    if len(spans) != 2:
        return False
    (_, first_end), (second_start, _) = sorted(spans.values())
    return len(re.sub(r"[\s和与及、至到的，,]", "", question[first_end:second_start])) >= 2


def _first_named(question: str, years: Sequence[int | None]) -> int | None:
    """Which of `years` the question writes first ("比2010年" after "2013年的…目标" is a base, written second)."""
    spans = _year_spans(question, years)
    return min(spans, key=spans.__getitem__) if spans else None


def _reading_after_each(question: str, years: Sequence[int | None]) -> tuple[str | None, str | None] | None:
    """The reading written after each of two years, None where none is; None unless both years are named."""
    spans = _year_spans(question, years)
    if len(spans) != 2:
        return None
    positions = [spans[y][0] for y in years]
    ends = [*positions[1:], len(question)] if positions[0] < positions[1] else [len(question), positions[0]]
    first, second = (first_reading(question[start:end]) for start, end in zip(positions, ends))
    return first, second


class FigureAnswerer:
    """Answers figure questions from the facts of the library, or leaves them to the sentence generator."""

    def __init__(self, facts: Callable[[], FactIndex], chunk_at: Callable[[str, int], StoredChunk | None],
                 text_of: Callable[[str], str],
                 passage_stating: Callable[[str, str, int], StoredChunk | None] | None = None) -> None:
        self.facts = facts
        self.chunk_at = chunk_at
        self.text_of = text_of
        self.passage_stating = passage_stating

    def answer(self, question: str, constraints: QueryConstraints,
               passages: list[RetrievedPassage]) -> Draft | None:
        """A draft from facts, or None when the facts do not settle the question."""
        # "谁的…更高" and "哪个更高" ask for figures too, without saying 多少 ("哪个村" alone asks for a name).
        year_by_year = len(constraints.years) >= 3 and _YEAR_BY_YEAR.search(question)  # "2016到2019年…每年怎么安排"
        if not (asks_for_number(question) or _VERDICT.search(question) or _TREND.search(question) or year_by_year) \
                or _LIST_OR_NAME.search(question):
            return None
        if constraints.unknown_places:
            return None  # a place without a report of its own: only sentences that name it may answer
        parts = [p for p in re.split(r"[？?]", question) if re.search(r"[\u4e00-\u9fff]", p)]
        one_question = _VERDICT.search(question) or _DIFFERENCE.search(question) or _SUM.search(question) \
            or (year_by_year and _TREND.search(question)) or sum(map(_asks_on_its_own, parts)) <= 1
        if len(parts) > 1 and not one_question:
            return self._parts(parts, constraints, passages)
        if len(set(m.group() for m in _ASK.finditer(question)) - {"？", "?"}) > 1:
            return None  # several figures asked in one breath ("多少、占多大比重"): the sentence generator
        index = self.facts()
        years: tuple[int | None, ...] = constraints.years or (None,)
        written = tuple(dict.fromkeys(int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", question)))
        if len(years) > 2 and len(written) == 1 and written[0] in years and not _YEAR_BY_YEAR.search(question):
            years = written  # "“十一五”开局的2006年": the one year written, not the whole plan
        if len(years) == 1 and years[0] is not None and _EACH_YEAR.search(question) and \
                re.search(rf"{years[0]}\s*年以来", question):  # "2021年以来历年…": each year to the last report's
            latest = max((y for place in (constraints.regions or [NATIONAL]) for y in index.report_years_of.get(place, ())),
                         default=years[0])
            years = tuple(range(years[0], latest + 1))
        asked_about, since = _years_asked_about(question, years, constraints.report_years)
        request = self._request(index, question, constraints.regions, asked_about)
        if request is None:
            return None
        if asked_about != years:  # "1981年的政府工作报告给1982年…定的目标": 1982's figure as the 1981 report states it
            reports = tuple(y for y in constraints.report_years if y not in asked_about)
            years, request = asked_about, replace(request, reports=reports, since=since)
        if _RATIO.search(question) and request.measure in ("growth", "decline"):
            request = replace(request, measure=None)  # "是2012年的几倍（增长了几倍）": a multiple of two levels
        if request.measure is None and request.reading == "target" and not _LEVEL_ASKED.search(question) and \
                not self._sides(index, request, constraints.regions or [None], years):
            request = replace(request, measure=_ANY)  # "GDP目标是多少": a plan sets a growth where it sets no level
        if len(years) >= 3 and not (_YEAR_BY_YEAR.search(question) or _TREND.search(question)
                                    or _SUM.search(question) or _DIFFERENCE.search(question)) \
                and (span := _whole_span(question, years)):
            return self._span_figure(question, index, request, constraints.regions, span, passages)
        places = self._places(index, request, constraints.regions, years)
        if places is None:
            return None  # no place named, and the library's facts do not settle which: some place's guess
        if not constraints.regions and places[0] not in (None, NATIONAL) and NATIONAL in index.places:
            return self._national_not_stated(request, places[0], years)
        if len(places) == 1 and (_SUM.search(question) or _DIFFERENCE.search(question) or _RATIO.search(question)):
            if len(years) == 1 and (two := self._two_indicators(index, question, constraints.regions, places[0],
                                                                  years[0])):
                return self._compose(question, list(two), passages)
            if len(years) >= 2 and (change := self._span_change(index, request, places[0], years)):
                return self._compose(question, list(change), passages, adding=False)  # "一共增加了多少": from A to B
            if len(years) >= 3 and _SUM.search(question) and not _DIFFERENCE.search(question):
                # "2022年到2024年这三年…加起来一共多少": each year's figure, added
                sides = self._sides(index, request, places, years)
                return self._compose(question, sides, passages) if len(sides) == len(years) else None
            if (ends := _RANGE.search(question)) and _DIFFERENCE.search(question) and not _EACH_YEAR.search(question):
                # "从2021年到2024年增加了多少": the last year's figure less the first's
                sides = self._sides(index, request, places, (int(ends.group(1)), int(ends.group(2))))
                return self._compose(question, sides, passages, adding=False) if len(sides) == 2 else None
        if len(places) == 1 and len(years) == 1 and _VERDICT.search(question) and \
                (two := self._two_indicators(index, question, constraints.regions, places[0], years[0])):
            return self._compose(question, list(two), passages)  # "城镇居民和农村居民收入哪个涨得快"
        trend = (len(places) == 1 and len(years) >= 3 and bool(_YEAR_BY_YEAR.search(question) or _TREND.search(question))
                 and (not _WHOLE_SPAN.search(question) or bool(_EACH_YEAR.search(question))))
        if len(years) >= 3 and not trend:
            return None
        if len(places) > 1 and len(years) > 1:
            # "江苏2024年的…和浙江2025年的…相比": each place with the year written beside it
            pairs = _paired(question, places, years)
            if pairs is None:
                return None
            sides = [side for place, year in pairs for side in self._sides(index, request, [place], [year])]
            return self._compose(question, sides, passages) if len(sides) == len(pairs) else None
        if trend:
            return self._trend_answer(index, request, places[0], years, passages)
        if _BOTH_READINGS.search(question) or (len(years) == 1 and _DIFFERENCE.search(question)
                                               and _AGAINST_PLAN.search(question)) \
                or (len(years) == 2 and _PLAN_AND_OUTCOME.search(question) and _readings_by_year(question, years)):
            # "1992年计划的…增速，比1991年的实际增速高还是低": each year's reading, written after it
            return self._target_and_result(question, index, request, places[0], years, passages)
        if len(places) == 1 and len(years) == 2 and request.reading is not None and _asked_apart(question, years) and \
                (readings := _reading_after_each(question, years)) and readings.count(None) == 1 and \
                _first_named(question, years) == years[readings.index(None)]:
            # "浙江2020年新增城镇就业多少人？2021年的新增就业目标比这个数高还是低": the reading written after the later
            # year is that year's; the one asked first is asked as a single year is
            sides = [side for year, reading in zip(years, readings)
                     for side in self._sides(index, replace(request, reading=reading), places, [year])]
            return self._compose(question, sides, passages) if len(sides) == 2 else None
        if len(places) == 1 and len(years) == 1 and not (_SUM.search(question) or _DIFFERENCE.search(question)) and \
                (two := self._two_indicators(index, question, constraints.regions, places[0], years[0])):
            return self._compose(question, list(two), passages)  # "工业总产值和农业总产值的增长速度各是多少"
        sides = self._sides(index, request, places, years)
        if len(sides) < len(places) * len(years):
            place, year = places[0], years[0]
            matched = index.find(request, [place] if place else None, [year] if year else None)
            found = [m.fact for m in matched if m.indicator_score >= MIN_INDICATOR_SCORE]
            if len(places) * len(years) == 1 and year is not None and found and all(map(self._several_years, found)):
                return (request.reading != "target" and self._level_the_year_before(index, request, place, year, passages)
                        or self._only_several_years(request, year, found))
            if len(places) * len(years) > 1 or matched:
                return None  # facts there, but not one clear answer: the sentence generator
            if year is not None and request.reading != "target" and \
                    (derived := self._level_the_year_before(index, request, place, year, passages)):
                return derived
            return self._not_stated(index, request, place, year)
        return self._compose(question, sides, passages)

    def _two_indicators(self, index: FactIndex, question: str, named: Sequence[str], place: str | None,
                        year: int | None) -> tuple[Side, Side] | None:
        """The two indicators a sum or difference joins ("新增城镇就业和农村劳动力转移就业一共多少人"), each one
        side; the first takes the ending it shares with the second when it names nothing alone
        ("城镇居民和农村居民人均可支配收入" -> 城镇居民人均可支配收入)."""
        pair = indicator_pair(question, named)
        if pair is None:
            return None
        first, second = pair
        base = read_request(question, named)
        if base.measure is None and _FASTER.search(question):
            base = replace(base, measure="growth")  # "哪个涨得快": their growth is compared
        # A measure written with the second is shared ("工业总产值和农业总产值的增长速度"), one with the first is its
        # own ("M2增速目标和新增贷款目标"); written with neither, the question's.
        at_first, at_second = question.find(first), question.find(second)
        own_first = read_request(question[at_first:at_second], named).measure if 0 <= at_first < at_second else None
        own_second = read_request(re.split(r"[，,。？?；;]", question[at_second:])[0], named).measure \
            if at_second >= 0 else None
        measures = (own_first or own_second, own_second) if own_first or own_second else (base.measure, base.measure)
        sides = []
        for words in (first, first + second[len(first):]) if len(second) > len(first) else (first,):
            found = self._sides(index, replace(base, indicator=words, indicator_norm=asked_indicator_norm(words),
                                               measure=measures[0]), [place], [year])
            if found:
                sides.append(found[0])
                break
        found = self._sides(index, replace(base, indicator=second, indicator_norm=asked_indicator_norm(second),
                                           measure=measures[1]), [place], [year])
        if len(sides) != 1 or len(found) != 1 or sides[0].fact == found[0].fact:
            return None
        return sides[0], found[0]

    def _span_change(self, index: FactIndex, request: FigureRequest, place: str | None,
                     years: Sequence[int | None]) -> tuple[Side, Side] | None:
        """A change over the years asked as one span, written "从A提高到B" in one sentence ("居民人均可支配收入从
        26253.5元提高到37274.8元" for “十三五”): the two figures, from and to."""
        span = [y for y in years if y is not None]
        if len(span) < 2:
            return None
        # The figures a change over the span starts and ends at: of the year before it and of its last year
        whole = f"{min(span)}-{max(span)}"
        starts, ends = {whole, str(min(span) - 1)}, {whole, str(max(span))}
        found = [m.fact for m in index.find(replace(request, reading=None), [place] if place else None, None)
                 if m.indicator_score >= MIN_INDICATOR_SCORE and m.fact.period in starts | ends]
        pairs = [(a, b) for a in found for b in found
                 if a.sentence_start == b.sentence_start and a.start < b.start and a.indicator == b.indicator
                 and a.period in starts and b.period in ends
                 and re.search(r"[从由]$", self._lead(a)) and re.search(r"[到至]$", self._lead(b))]
        if len(pairs) != 1:
            return None
        a, b = pairs[0]
        return Side(place, None, a), Side(place, None, b)

    def _request(self, index: FactIndex, question: str, places: Sequence[str],
                 years: Sequence[int | None]) -> FigureRequest | None:
        """What the question asks for, its indicator the first of the question's words the facts know
        ("疫情那一年（2020年）全国GDP增长多少" asks about GDP, not 疫情那一年)."""
        request = read_request(question, places)
        asked_years = [y for y in years if y is not None] or None
        for words in indicator_candidates(question, places):
            candidate = replace(request, indicator=words, indicator_norm=asked_indicator_norm(words))
            if any(m.indicator_score >= MIN_INDICATOR_SCORE for m in index.find(candidate, list(places) or None,
                                                                                 asked_years)):
                return candidate
        return request if request.indicator else None

    def _places(self, index: FactIndex, request: FigureRequest, named: Sequence[str],
                years: Sequence[int | None]) -> tuple[str | None, ...] | None:
        """The places asked: those named; with none named, the one place of the library whose facts answer
        for every year asked (the answer names it), else None. A library of one place needs no name."""
        if named:
            return tuple(named)
        if len(index.places) <= 1:
            return (None,)
        answering = [p for p in sorted(index.places, key=str) if p is not None
                     and len(self._sides(index, request, [p], years)) == len(years)]
        if len(answering) == 1:
            return (answering[0],)
        if NATIONAL in answering or (not answering and len(years) > 1 and self._sides(index, request, [NATIONAL], years)):
            return (NATIONAL,)  # the country's figures, named as such, when no place is named and it has them
        # None answers, and one place alone has the reports that would state the year's figure: the question can
        # only be about it (what it does not state is then said so, never taken from a neighbouring figure).
        if not answering and len(years) == 1 and years[0] is not None:
            stating = _stating_years(request, years[0])
            covering = {place for place, reported in index.report_years_of.items() if reported & stating}
            if len(covering) == 1 and None not in covering:
                return (covering.pop(),)
        return None

    @staticmethod
    def _national_not_stated(request: FigureRequest, place: str, years: Sequence[int | None]) -> Draft:
        """A refusal when no place is named in a library holding the country's reports, and only a local report
        gives the figure: the question is the country's ("2020年城镇新增就业目标" of the State Council's reports),
        and another place's figure is no answer to it. The place that gives one is named, its figure not."""
        when = "、".join(f"{y}年" for y in years if y is not None)
        return Draft(text="", quotes={},
                     refusal=f"全国{when}的报告没有给出{request.indicator}的这一数值；{place}的报告有，"
                             f"如问的是{place}，请在问题里写明地点。")

    def _parts(self, parts: Sequence[str], constraints: QueryConstraints,
               passages: list[RetrievedPassage]) -> Draft | None:
        """Several questions about one place ("1986年钢产量是多少？增长了多少？", "2023年新增城镇就业完成多少？2024年
        目标又是多少？"): each answered from facts, of the year it names, else of the year before it; a part without
        words of its own for the indicator asking about the one before; else None."""
        index = self.facts()
        if len(constraints.regions) > 1:
            return None
        sides: list[Side] = []
        previous: FigureRequest | None = None
        years: tuple[int | None, ...] = (None,)
        for part in parts:
            named = tuple(y for y in years_named(for_matching(part)) if y in constraints.years)
            years = named or (years if years != (None,) else constraints.years or (None,))
            if len(years) > 1:
                return None
            request = self._request(index, part, constraints.regions, years)
            own = request is not None and any(
                m.indicator_score >= MIN_INDICATOR_SCORE for m in
                index.find(request, list(constraints.regions) or None, [y for y in years if y] or None))
            if not own:
                if previous is None:
                    return None
                asked = read_request(part, constraints.regions)
                request = replace(previous, measure=asked.measure or previous.measure, reading=asked.reading or previous.reading)
            assert request is not None
            places = self._places(index, request, constraints.regions, years)
            # "年初目标和实际结果各是多少": a part asking both readings gets a side of each
            readings = ("target", "result") if not own and _BOTH_READINGS.search(part) else (request.reading,)
            for reading in readings:
                found = self._sides(index, replace(request, reading=reading), places, years) if places else []
                if len(found) != 1:
                    return None
                if found[0].fact not in [side.fact for side in sides]:  # asked again by another part: said once
                    sides.append(found[0])
            previous = request
        return self._compose("", sides, passages, verdict=False)

    def _trend_answer(self, index: FactIndex, request: FigureRequest, place: str | None, years: Sequence[int | None],
                      passages: list[RetrievedPassage]) -> Draft | None:
        """One reading for the whole table: the one the question names; else what happened, unless the reports
        state it for fewer than half the years the plans cover."""
        if request.reading:
            sides = self._sides(index, request, [place], years)
        else:
            results, targets = (self._sides(index, replace(request, reading=r), [place], years)
                                for r in ("result", "target"))
            sides = results if 2 * len(results) >= len(targets) else targets
        # A table missing most of the years asked is no answer to a trend: the sentence generator's passages are.
        return self._trend(sides, passages) if 2 * len(sides) >= len(years) else None

    def _target_and_result(self, question: str, index: FactIndex, request: FigureRequest, place: str | None,
                           years: Sequence[int | None], passages: list[RetrievedPassage]) -> Draft | None:
        """A plan set against what happened ("2014年实际增速和年初目标差多少", "2021年目标比2020年实际多多少"):
        each year's reading is the one written after it; one year asked means both of that year."""
        readings = _readings_by_year(question, years) if len(years) == 2 else None
        if "比" in question and request.measure in ("growth", "decline") and \
                read_request(question[:question.index("比")]).measure is None:
            request = replace(request, measure=None)  # "目标比2023年实际要提高多少个": two levels, not a growth
        if len(years) == 1:
            pairs = [(years[0], "target"), (years[0], "result")]
        elif readings:
            pairs = list(zip(years, readings))
        else:
            return None
        sides = []
        for year, reading in pairs:
            found = self._sides(index, replace(request, reading=reading), [place], [year])
            if len(found) != 1:
                return None
            sides.append(found[0])
        return self._compose(question, sides, passages)

    def _sides(self, index: FactIndex, request: FigureRequest, places: Sequence[str | None],
               years: Sequence[int | None]) -> list[Side]:
        """The fact that answers each place and year, for those the facts settle."""
        sides = []
        for place in places:
            for year in years:
                matches = index.find(request, [place] if place else None, [year] if year else None)
                if request.since is not None:  # a growth since a base year: stated over that very base, in its
                    # clause or before it in its sentence ("…比一九六四年增长一点九倍，…石油增长六点五倍")
                    matches = [m for m in matches if any(form in self._sentence_before(m.fact)
                                                         for form in year_forms(request.since))]
                elif year is not None:  # "五年年均增长5.2%" in the review of one year is no figure of that year
                    matches = [m for m in matches if not self._several_years(m.fact)]
                matches = self._without_change_origins([m for m in matches if self._names_the_rest(request, m.fact)])
                if fact := _best(matches, request.reading, year, self._names_its_indicator, request.indicator):
                    sides.append(Side(place, year, fact))
        return sides

    def _names_the_rest(self, request: FigureRequest, fact: StoredFact) -> bool:
        """Whether a fact named by less than the question asks, by a name no list knows, writes the words before it
        in its sentence: "总产量达到三亿零四百七十五万吨" answers 粮食总产量 where its sentence is about 粮食, "产量达到
        五百零二万吨" does not where it is about 渔业."""
        asked, named = request.indicator, fact.indicator
        if len(named) >= len(asked) or named not in asked or fact.indicator_norm in indicator_aliases().values():
            return True  # a name the indicator list knows names its figure on its own
        modifier = asked[:asked.index(named)]
        sentence = _for_matching(self.text_of(fact.doc))[fact.sentence_start:fact.sentence_end]
        return not modifier or for_matching(modifier) in sentence

    def _without_change_origins(self, matches: list[FactMatch]) -> list[FactMatch]:
        """`matches` without the figure a change starts from when the figure it reaches is there too: "钢产量由
        2046万吨增加到3178万吨" states 3178万吨 for the year the change ends in."""
        def reached(origin: StoredFact) -> bool:
            return any(m.fact.sentence_start == origin.sentence_start and m.fact.start > origin.start
                       and m.fact.indicator == origin.indicator for m in matches)
        return [m for m in matches if not (CHANGE_ORIGIN_LEAD.search(self._lead(m.fact)) and reached(m.fact))]

    def _several_years(self, fact: StoredFact) -> bool:
        """Whether a figure is of several years: "五年年均增长5.2%", or a change over a base year earlier than the
        year before ("2007年，国内生产总值…比2002年增长65.5%" is no growth of 2007 over 2006)."""
        lead = self._lead(fact)
        if spans_several_years(lead):
            return True
        bases = [int(y) for y in _BASE_YEAR.findall(lead)]
        return fact.period_year is not None and any(base < fact.period_year - 1 for base in bases)

    def _sentence_before(self, fact: StoredFact) -> str:
        """The words of the figure's sentence before it."""
        return self.text_of(fact.doc)[fact.sentence_start:fact.start]

    def _lead(self, fact: StoredFact) -> str:
        """The words of the figure's clause before it."""
        return re.split(r"[，,；;。：:、]", self._sentence_before(fact))[-1]

    def _names_its_indicator(self, fact: StoredFact) -> bool:
        """Whether the figure's own clause names its indicator ("粮食产量1.37万亿斤"), not one before it
        ("…，增产74亿斤")."""
        return fact.indicator in self._lead(fact)

    # --- pieces of an answer -------------------------------------------------------------
    def _cite(self, fact: StoredFact, passages: Sequence[RetrievedPassage],
              extra: list[RetrievedPassage]) -> tuple[int, str] | None:
        """The number of the passage stating `fact` and its quote; a passage not retrieved is added to `extra`,
        numbered after the retrieved ones."""
        chunk = self.chunk_at(fact.doc, fact.start)
        if chunk is None:
            return None
        n = self._number(chunk, passages, extra)
        start, end = max(fact.sentence_start, chunk.start), min(fact.sentence_end, chunk.end)
        return n, self.text_of(fact.doc)[start:end].strip()

    def _number(self, chunk: StoredChunk, passages: Sequence[RetrievedPassage], extra: list[RetrievedPassage]) -> int:
        """The passage number of `chunk`: its place among the passages given, else added to `extra` after them."""
        known = [p.chunk.chunk_id for p in (*passages, *extra)]
        if chunk.chunk_id in known:
            return known.index(chunk.chunk_id) + 1
        extra.append(RetrievedPassage(chunk, 0.0))
        return len(passages) + len(extra)

    def _label(self, side: Side, quote: str, passages: Sequence[RetrievedPassage], extra: list[RetrievedPassage],
               by_year: bool = False) -> str:
        """"全国2025年[3]目标": the place, the year, and the reading.

        The year is written when the cited sentence writes it, or when it is what tells the sides apart
        (`by_year`) and a passage of the same report states it ("三、2025年政府工作任务"), which is then
        cited beside it: every number of an answer stands in a passage it cites.
        """
        fact = side.fact
        year, reading = f"{fact.period_year}年" if fact.period_year else "", _READING_LABEL.get(fact.reading, "")
        if not year or year in quote:
            return f"{fact.place or ''}{year if year in quote else ''}{reading}"
        # Written in digits, as the label writes it, or full-width ("１９９２年"), which reads the same.
        digit_forms = year_forms(fact.period_year)[:2] if by_year and self.passage_stating else ()
        stating = next((found for form in digit_forms if (found := self.passage_stating(fact.doc, form, fact.start))),
                       None)
        if stating is None:
            return f"{fact.place or ''}{reading}"
        return f"{fact.place or ''}{year}[{self._number(stating, passages, extra)}]{reading}"

    def _written(self, fact: StoredFact) -> str:
        """The figure as the report writes it, with a qualifier written right before it ("超过3%", "近70万亿元")."""
        qualifier = fact.qualifier or ""
        if qualifier and qualifier not in fact.text and \
                self.text_of(fact.doc)[max(0, fact.start - len(qualifier)):fact.start] == qualifier:
            return qualifier + fact.text
        return fact.text

    def _compose(self, question: str, sides: list[Side], passages: list[RetrievedPassage],
                 adding: bool | None = None, verdict: bool = True) -> Draft | None:
        """Each side's figure, cited, then a computation or a verdict (unless `verdict` is False: parts asked
        one by one); `adding` None: as the question asks."""
        extra: list[RetrievedPassage] = []
        cited = []
        for side in sides:
            got = self._cite(side.fact, passages, extra)
            if got is None:
                return None
            cited.append((side, *got))
        by_year = len({s.fact.period_year for s in sides}) > 1
        labels = [self._label(s, quote, passages, extra, by_year) for s, _, quote in cited]
        lines = [f"{label}：{s.fact.indicator}{_measure_word(s.fact)}**{self._written(s.fact)}**[{n}]"
                 for label, (s, n, _) in zip(labels, cited)]
        computations: list[Computation] = []
        if len(sides) > 2 and _SUM.search(question):
            if computed := _compute([s.fact for s, _, _ in cited], [n for _, n, _ in cited], "sum"):
                lines.append(computed[0])
                computations.append(computed[1])
        if len(sides) == 2:
            (a, na, _), (b, nb, _) = cited
            if _RATIO.search(question) or _DIFFERENCE.search(question) or _SUM.search(question):
                adds = bool(_SUM.search(question)) if adding is None else adding
                operation = "ratio" if _RATIO.search(question) else "sum" if adds else "difference"
                computed = _compute((a.fact, b.fact), (na, nb), operation)
                if computed:
                    line, computation = computed
                    lines.append(line)
                    computations.append(computation)
            elif verdict and (_COMPARE.search(question) or len({s.place for s in sides}) == 2
                              or len({s.year for s in sides}) == 2):
                # two indicators of one place and year are told apart by their names
                told = labels if labels[0] != labels[1] else [a.fact.indicator, b.fact.indicator]
                # the passages the labels cite for their years end the line too, so its years stand cited
                marks = "".join(dict.fromkeys([*re.findall(r"\[\d+\]", "".join(told)), f"[{na}]", f"[{nb}]"]))
                told = [re.sub(r"\[\d+\]", "", label) for label in told]
                lines.append(_verdict(told[0], a.fact, told[1], b.fact) + marks)
        body = dict.fromkeys(f"{quote}[{n}]" for _, n, quote in cited if quote)
        text = "\n".join(lines) + "\n\n" + "\n".join(body)
        return Draft(text=text, quotes={}, extra=tuple(extra), computations=tuple(computations))

    def _trend(self, sides: list[Side], passages: list[RetrievedPassage]) -> Draft | None:
        extra: list[RetrievedPassage] = []
        rows = ["| 地区、年份 | 数值 | 出处 |", "|---|---|---|"]
        for side in sides:
            got = self._cite(side.fact, passages, extra)
            if got is None:
                return None
            n, quote = got
            label = self._label(side, quote, passages, extra, by_year=True)
            rows.append(f"| {label} | **{self._written(side.fact)}** | [{n}] |")
        # Years the library has no figure for are left out: naming them would be numbers no passage states.
        return Draft(text="\n".join(rows), quotes={}, extra=tuple(extra))

    def _level_the_year_before(self, index: FactIndex, request: FigureRequest, place: str | None, year: int,
                               passages: list[RetrievedPassage]) -> Draft | None:
        """A year's level no report states, computed from the next year's level and the change its sentence states
        against the year before ("2020年优良天数230天，比上年增加53天" gives 2019's 177天), shown as a computation."""
        if request.measure not in (None, "amount", "count"):
            return None
        # the next year's outcome, else its plan ("今年…拟安排9884.5亿元，比上年增加1304.8亿元" gives last year's 8579.7亿元)
        for reading in ("result", "target"):
            levels = [m.fact for m in index.find(replace(request, reading=reading, measure=None),
                                                 [place] if place else None, [year + 1]) if m.indicator_score >= 0.9]
            if levels:
                break
        if len({(f.value, f.unit) for f in levels}) != 1:
            return None
        level = levels[0]
        report = self.text_of(level.doc)
        # The change written right after the level ("230天，比上年增加53天") or before it in its sentence, against the
        # year before ("国家财政收入比上年增加1501亿元，总额首次突破万亿元，达到11377亿元")
        changes: list[tuple[StoredFact, str]] = []
        for f in index.of_place(level.place):
            if f.doc != level.doc or f.sentence_start != level.sentence_start or f.measure not in ("growth", "decline") \
                    or f.unit != level.unit:
                continue
            if f.start > level.end and _CHANGE_ON_LAST_YEAR.fullmatch(report[level.end:f.start].lstrip("，,、 ")):
                changes.append((f, report[level.end:f.start].strip("，,、 ")))
            elif f.end <= level.start and (m := _CHANGE_ON_LAST_YEAR.search(report[level.sentence_start:f.start])):
                changes.append((f, m.group().strip()))
        if len(changes) != 1:
            return None
        change, said = changes[0]
        extra: list[RetrievedPassage] = []
        got = self._cite(level, passages, extra)
        if got is None:
            return None
        n, quote = got
        computed = _compute((level, change), (n,), "difference" if change.measure == "growth" else "sum")
        if computed is None or (change.measure == "growth" and change.value >= level.value):
            return None
        line, computation = computed
        label = self._label(Side(level.place, year + 1, level), quote, passages, extra, True)
        # The year asked is named only as 上一年: a year no cited passage writes would be an ungrounded number
        lead = f"{label}：{level.indicator}**{self._written(level)}**，{said}{change.text}[{n}]"
        text = f"{lead}\n{line.replace('计算：', '上一年：', 1)}\n\n{quote}[{n}]"
        return Draft(text=text, quotes={}, extra=tuple(extra), computations=(computation,))

    def _span_figure(self, question: str, index: FactIndex, request: FigureRequest, named: Sequence[str], span: str,
                     passages: list[RetrievedPassage]) -> Draft | None:
        """The figure of a span as a whole ("“七五”计划…国民生产总值年均增速": 平均每年增长百分之七点五 of 1986-1990),
        of the place named, or of the one place whose reports state it."""
        if len(named) > 1:
            return None
        matches = [m for m in index.find(request, list(named) or None, None) if m.fact.period == span]
        fact = _best(matches, request.reading, None, self._names_its_indicator, request.indicator)
        if fact is None or len({m.fact.place for m in matches}) > 1:
            return None
        return self._compose(question, [Side(fact.place, None, fact)], passages)

    def _only_several_years(self, request: FigureRequest, year: int, given: Sequence[StoredFact]) -> Draft:
        """A refusal when the reports give the figure asked for a year only over several years ("比2002年增长65.5%"
        for "2007年GDP比上年增长多少"): that change is not the year's own."""
        shown = "、".join(dict.fromkeys(f"{self._lead(f)}{f.text}" for f in given[:3]))
        return Draft(text="", quotes={},
                     refusal=f"报告只给出多年的变化（{shown}），没有给出{year}年当年的{request.indicator}。")

    def _not_stated(self, index: FactIndex, request: FigureRequest, place: str | None,
                    year: int | None) -> Draft | None:
        """A refusal, instead of a neighbouring figure, when a level is asked ("PM2.5浓度是多少") and the reports of
        the place and year give the indicator only as a change ("下降4%"), or when a well-known indicator
        ("单位GDP能耗") is named nowhere in those reports' text; else None (the sentence generator tries).

        The reports' own text decides the second case, not the facts: a figure the extractor missed must
        not turn into a refusal.
        """
        if place is None or year is None:
            return None
        docs = {f.doc for f in index.of_place(place) if f.period_year == year}
        names = [name for name, norm in indicator_aliases().items() if norm == request.indicator_norm] or \
            [request.indicator]
        if request.measure in (None, "amount"):  # a level asked: "PM2.5浓度是多少", "地区生产总值总量是多少亿元"
            given = [m.fact for m in index.find(replace(request, measure=_ANY), [place], [year])
                     if m.indicator_score >= 0.9]
            # A level written after any name of it ("收入1259.2亿元", "收入分别增长7.8%和8.5%、达到49601元和28224元")
            # that the extractor missed or misread is no refusal.
            level = _written_after(names, _LEVEL_AFTER, stops="。；;，,")  # in its clause: "下降4%，优良天数增加12天"
            stated_level = any(level.search(_for_matching(self.text_of(doc))) for doc in docs)
            if given and not stated_level and all(f.measure in ("growth", "decline", "points") for f in given):
                shown = "、".join(dict.fromkeys(f"{f.indicator}{_measure_word(f)}{f.text}" for f in given[:3]))
                return Draft(text="", quotes={},
                             refusal=f"报告只给出{shown}，没有给出{request.indicator}的数值。")
        if request.indicator_norm not in indicator_aliases().values():
            return None
        # The question's own first words count too ("PM2.5浓度要控制在" -> "PM2."): a report writing "PM2.5不高于…"
        # speaks of it.
        words = [*names, request.indicator[:4]]
        if docs and not any(word in self.text_of(doc) for doc in docs for word in words):
            return Draft(text="", quotes={},
                         refusal=f"资料库中{place}{year}年的报告没有提到{request.indicator}。")
        return self._kind_not_given(index, request, place, year, words)

    def _kind_not_given(self, index: FactIndex, request: FigureRequest, place: str, year: int,
                        names: Sequence[str]) -> Draft | None:
        """A refusal when the reports that would state the year's figure (its own report for a target, the next
        year's review for a result) name the indicator but write no figure of the kind asked after any of its
        names ("赤字率拟按2.8%左右安排" for a deficit in 亿元, "能耗强度目标在“十四五”规划期内统筹考核"), for an
        indicator other years' reports give or a well-known one: the figure is not given, and a neighbouring one
        must not stand in.

        A figure of that kind written after a name counts against refusing unless a fact read there places it
        in another year (a plan of another year, or a sentence that writes another year): what the extractor
        missed or misplaced is never turned into a refusal.
        """
        report_years = _stating_years(request, year)
        facts = index.of_place(place)
        docs = {f.doc for f in facts if f.report_year in report_years}
        elsewhere = [m for m in index.find(request, [place], None) if m.indicator_score >= 0.9]
        if not docs or not (elsewhere or request.indicator_norm in indicator_aliases().values()):
            return None
        figure = _PERCENT_AFTER if request.measure in ("growth", "decline", "rate", "share") else _LEVEL_AFTER
        stated = _written_after(names, figure)
        for doc in docs:
            text = _for_matching(self.text_of(doc))
            # Placed in another year by what the report writes: a plan of that year, or a sentence naming it (the
            # year a review's sentence is about is otherwise only the extractor's reading of its context).
            placed = [f for f in facts if f.doc == doc and f.period_year != year and (
                f.reading == "target" or f"{f.period_year}年" in text[f.sentence_start:f.sentence_end])]
            for m in stated.finditer(text):
                if not any(m.start() <= f.start < m.end() for f in placed):
                    return None
        asked = {"growth": "增长", "decline": "下降", "rate": "", "share": "比重"}.get(request.measure or "", "")
        return Draft(text="", quotes={},
                     refusal=f"资料库中{place}{year}年的报告没有给出{request.indicator}{asked}的数值。")


_ANY = "any"
# A figure written as a percentage ("3%", "百分之三"), or as an amount or count with its unit ("3.88万亿元", "一百七十亿元").
_PERCENT_AFTER = r"(?:\d[\d.,]*\s*%|百分之[零一二三四五六七八九十点几]|[零一二三四五六七八九十]个百分点)"
_LEVEL_AFTER = r"(?:\d[\d.,]*\s*(?![%\d.,])[\u4e00-\u9fff]|[零一二三四五六七八九十百千万两]{2,}[亿万]?[\u4e00-\u9fff])"


# How far after a name of the indicator, within its sentence, a figure of it may stand: "城镇居民和农村居民人均可支配
# 收入分别增长7.8%和8.5%、达到49601元和28224元" puts the level 22 characters after the second name.
_STATED_WITHIN = 30


def _written_after(names: Sequence[str], figure: str, stops: str = "。；;") -> re.Pattern[str]:
    """A pattern for a figure (`figure`, a pattern) written within `_STATED_WITHIN` characters after one of `names`,
    with none of `stops` between (by default: in the same sentence).

    Example:
        >>> bool(_written_after(["农村居民人均可支配收入"], _LEVEL_AFTER).search("农村居民人均可支配收入分别增长8.5%、达到28224元"))
        True
    """
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return re.compile(rf"(?:{alternatives})[^{stops}]{{0,{_STATED_WITHIN}}}?{figure}")


@functools.lru_cache(maxsize=16)
def _for_matching(text: str) -> str:
    """A report's text as matched (`for_matching`), kept for the next questions about the same reports."""
    return for_matching(text)


def _stating_years(request: FigureRequest, year: int) -> set[int]:
    """The years of the reports that would state a year's figure: its own report for a target, the next year's
    review for a result, either when the question does not say."""
    return {"target": {year}, "result": {year + 1}, "estimate": {year}}.get(request.reading or "", {year, year + 1})


def _measure_word(fact: StoredFact) -> str:
    """"增长" or "下降" after an indicator that does not already say how it moves ("涨幅")."""
    word = {"growth": "增长", "decline": "下降"}.get(fact.measure, "")
    return "" if re.search(r"增|涨|降|幅|速|减", fact.indicator[-2:]) else word


def _number(fact: StoredFact) -> str:
    """The number of a figure as written ("5.5" of "5.5%左右"), half-width."""
    m = re.search(r"\d+(?:,\d{3})*(?:\.\d+)?", _half_width(fact.text))
    return m.group().replace(",", "") if m else ""


def _half_width(text: str) -> str:
    return text.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})


def _written_unit(fact: StoredFact) -> str:
    """The unit as written after the number, magnitude included ("亿元" of "26.12亿元")."""
    text = _half_width(fact.text)
    m = re.search(r"\d(?:[\d,.]*\d)?([^\d\s]*)", text)
    unit = m.group(1) if m else ""
    return _qualifier_ends()[1].sub("", unit)


def _whole_span(question: str, years: Sequence[int | None]) -> str | None:
    """The years asked as one span ("“七五”期间年均增长", "2016到2020年累计") as "first-last", else None."""
    asked = sorted(y for y in years if y is not None)
    if len(asked) < 2 or asked != list(range(asked[0], asked[-1] + 1)):
        return None
    return f"{asked[0]}-{asked[-1]}" if _WHOLE_SPAN.search(question) or _AVERAGE.search(question) else None


def _paired(question: str, places: Sequence[str | None], years: Sequence[int | None]) -> list[tuple[str, int]] | None:
    """Two places each written with a year of its own, in the same order ("江苏2024年…浙江2025年…"), as
    (place, year) pairs; None when the question does not pair them so."""
    if len(places) != 2 or len(years) != 2 or None in places or None in years:
        return None
    text = for_matching(question)
    place_at = [min((at for name in (place, place[:-1]) if len(name) >= 2 and (at := text.find(name)) >= 0),
                    default=-1) for place in places]
    year_at = [text.find(str(year)) for year in years]
    if -1 in place_at or -1 in year_at:
        return None
    marks = sorted([(at, "place", i) for i, at in enumerate(place_at)] + [(at, "year", i) for i, at in enumerate(year_at)])
    kinds = [kind for _, kind, _ in marks]
    if kinds not in (["place", "year", "place", "year"], ["year", "place", "year", "place"]):
        return None
    pairs = []
    for half in (marks[:2], marks[2:]):
        index = {kind: i for _, kind, i in half}
        pairs.append((places[index["place"]], years[index["year"]]))
    return pairs


@functools.cache
def _qualifier_ends() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The qualifiers opening and ending a figure as written (rag/data/qualifiers.tsv): "约…", "…左右"."""
    before, after = ("|".join(map(re.escape, qualifier_words(position))) for position in ("before", "after"))
    return re.compile(f"^(?:{before})+"), re.compile(f"(?:{after})$")


def _as_written(fact: StoredFact) -> str:
    """A figure as its report writes it, without the words that qualify it ("5.5%" of "约5.5%左右")."""
    opening, ending = _qualifier_ends()
    return ending.sub("", opening.sub("", fact.text))


def _compute(facts: Sequence[StoredFact], numbers: Sequence[int], operation: str) -> tuple[str, Computation] | None:
    """The sum (of any count), difference or ratio ("是2014年的几倍", of levels only, to two decimals) of figures
    written in the same unit, `numbers` the passages citing each, as a line and its declared computation."""
    units = {_written_unit(f) for f in facts}
    if len(units) != 1 or not (unit := units.pop()) or any(f.value_high is not None for f in facts) or \
            (operation != "sum" and len(facts) != 2):
        return None
    if any(re.search(r"[\d０-９]，[\d０-９]", f.text) for f in facts):
        return None  # "３，９８９亿斤": a full-width comma also parts clauses, so no reader can take it for one figure
    values = [_number(f) for f in facts]
    places = max(len(v.split(".")[1]) if "." in v else 0 for v in values)
    # The operands shown as the reports write them ("３９８９亿斤"), so each can be found in its passage
    written = [_as_written(f) for f in facts]
    if operation == "ratio":
        (x, y), (shown_x, shown_y) = values, written
        if not {f.measure for f in facts} <= _LEVELS or not Decimal(y):
            return None  # how many times one growth rate another is no multiple anyone asks
        expression, value, places, unit = f"{x}/{y}", Decimal(x) / Decimal(y), 2, "倍"
        shown_as = f"{shown_x} ÷ {shown_y} ≈"
    elif operation == "sum":
        expression, value = "+".join(values), sum(map(Decimal, values))
        shown_as = " + ".join(written) + " ="
    else:
        (big, shown_big), (small, shown_small) = sorted(zip(values, written), key=lambda o: -Decimal(o[0]))
        expression, value = f"{big}-{small}", Decimal(big) - Decimal(small)
        shown_as, unit = f"{shown_big} − {shown_small} =", "个百分点" if unit == "%" else unit
    result = f"{shown(value, places)}{unit}"
    citations = tuple(dict.fromkeys(numbers))
    marks = "".join(f"[{n}]" for n in citations)
    qualified = [q for f in facts if (q := f.qualifier)]
    caveat = f"（按所写数值计算，未计入“{'”“'.join(dict.fromkeys(qualified))}”）" if qualified else ""
    return f"计算：{shown_as} **{result}**，据{marks}计算{caveat}", Computation(expression, result, citations)


def _verdict(label_a: str, a: StoredFact, label_b: str, b: StoredFact) -> str:
    """Which side is higher, "一样" when equal — and never a verdict the qualifiers do not allow."""
    if a.unit != b.unit or a.measure != b.measure or a.value_high is not None or b.value_high is not None:
        return "两者口径不同，不直接比较高低。"
    if a.value == b.value:
        if (a.qualifier or "") != (b.qualifier or ""):
            return f"数值相同，但限定不同（{a.text}、{b.text}）。"
        return "两者一样。"
    high, low = (label_a, label_b) if a.value > b.value else (label_b, label_a)
    caveat = "（两者限定不同，仅按数值比较）" if (a.qualifier or "") != (b.qualifier or "") else ""
    return f"{high}更高，{low}更低{caveat}。"
