"""Extraction: a base year written in Chinese numerals is no span of years, a growth rate named with its
调控目标 is a growth of GDP, and a result in a paragraph with no dated heading is of the last earlier year the
paragraph named (rag/figures.py).

Fast: made-up paragraphs and sentences of the State Council's 1975, 1979 and 1995 reports.
"""
from __future__ import annotations

import pytest

from rag.figures import Fact, extract_facts, normalise_indicator, spans_several_years
from tests.conftest import CORPUS_NATIONAL


def _in_report(year: int, text: str) -> str:
    assert text in (CORPUS_NATIONAL / f"{year}_国务院.txt").read_text(encoding="utf-8")
    return text


@pytest.mark.parametrize("lead", ["比一九六四年增长", "一九七四年农业总产值预计比一九六四年增长", "比二〇二三年提高"])
def test_a_year_written_in_chinese_numerals_is_no_count_of_years(lead: str) -> None:
    assert spans_several_years(lead) is False


@pytest.mark.parametrize("lead", ["五年来", "过去三年", "三年累计", "五年年均增长", "我国农业连续十三年夺得丰收", "二十年间"])
def test_a_count_of_years_still_spans_several_years(lead: str) -> None:
    assert spans_several_years(lead) is True


def test_the_1975_reports_growth_over_1964_is_no_span() -> None:
    line = _in_report(1975, "我国农业连续十三年夺得丰收，一九七四年农业总产值预计比一九六四年增长百分之五十一")
    assert spans_several_years(line.split("，")[1]) is False


@pytest.mark.parametrize("indicator", ["经济增长速度的宏观调控目标", "经济增长速度的调控目标", "经济增长速度的预期目标"])
def test_a_growth_rate_named_with_its_target_words_normalises_to_gdp(indicator: str) -> None:
    assert normalise_indicator(indicator) == "生产总值" == normalise_indicator("国内生产总值")


def test_the_1995_reports_growth_target_is_a_target_of_gdp() -> None:
    sentence = _in_report(1995, "综合分析各方面的条件，今年经济增长速度的宏观调控目标，定为百分之八至九。")
    [fact] = extract_facts(sentence, (), 1995)
    assert (fact.indicator_norm, fact.text, fact.reading, fact.period_year) == (
        "生产总值", "百分之八至九", "target", 1995)


def _only(text: str, report_year: int) -> Fact:
    facts = extract_facts(text, (), report_year)
    assert len(facts) == 1, [f.text for f in facts]
    return facts[0]


HARVEST_1978 = "农业生产在连续遭到比较严重的自然灾害的情况下，一九七八年仍然夺得了丰收。粮食总产量达到三亿零四百七十五万吨。"


def test_a_result_in_an_unheaded_paragraph_is_of_the_earlier_year_the_paragraph_named() -> None:
    fact = _only(HARVEST_1978, 1979)
    assert (fact.indicator, fact.text, fact.reading, fact.period_year) == (
        "粮食总产量", "三亿零四百七十五万吨", "result", 1978)


def test_the_1979_reports_harvest_is_of_1978() -> None:
    paragraph = _in_report(1979, "农业生产在连续遭到比较严重的自然灾害的情况下，一九七八年仍然夺得了丰收。"
                                 "粮食按人口平均占有量超过了建国以来的最高水平，总产量达到三亿零四百七十五万吨，")
    harvest = next(f for f in extract_facts(paragraph, (), 1979) if f.text == "三亿零四百七十五万吨")
    assert harvest.period_year == 1978


def test_a_paragraph_naming_no_earlier_year_leaves_the_result_undated() -> None:
    fact = _only(HARVEST_1978.replace("一九七八年", "去年"), 1979)
    assert (fact.text, fact.period_year) == ("三亿零四百七十五万吨", None)


def test_a_year_named_in_the_paragraph_before_is_not_taken() -> None:
    fact = _only(HARVEST_1978.replace("丰收。", "丰收。\n"), 1979)
    assert (fact.text, fact.period_year) == ("三亿零四百七十五万吨", None)


def test_a_target_of_the_report_year_is_not_moved_to_the_earlier_year_named() -> None:
    fact = _only("一九七八年仍然夺得了丰收。今年粮食总产量要达到三亿一千二百万吨。", 1979)
    assert (fact.reading, fact.period_year) == ("target", 1979)


def test_the_report_year_named_in_the_paragraph_dates_no_result() -> None:
    fact = _only("2024年经济社会发展取得新成效。粮食产量达到1.39万亿斤。", 2024)
    assert (fact.reading, fact.period_year) == ("result", None)
