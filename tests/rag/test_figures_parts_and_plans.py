"""Extraction (rag/figures.py): a part of a whole is not the whole ("中央财政赤字"), an aside changes no name,
a plan and its outcome are read apart ("计划为…实际达到…"), a growth told in times is a growth, a paragraph
opening "这五年，" sums up the years before the report, a five-year plan's yearly average is of the plan, and a
planned change starts from the year before's level.

Fast: made-up sentences and sentences of the State Council's reports (no store, no model).
"""
from __future__ import annotations

import pytest

from rag.figures import Fact, extract_facts, normalise_indicator
from tests.conftest import CORPUS_NATIONAL


def _in_report(year: int, text: str) -> str:
    assert text in (CORPUS_NATIONAL / f"{year}_国务院.txt").read_text(encoding="utf-8")
    return text


def _facts(text: str, report_year: int) -> dict[str, Fact]:
    return {f.text: f for f in extract_facts(text, (), report_year)}


@pytest.mark.parametrize(("indicator", "norm"), [
    ("中央财政赤字", "中央财政赤字"), ("安排中央财政赤字", "中央财政赤字"), ("地方财政赤字", "地方财政赤字"),
    ("全国财政赤字", "财政赤字"), ("地方一般公共预算收入", "一般公共预算收入"),
])
def test_a_part_of_a_whole_keeps_its_own_name(indicator: str, norm: str) -> None:
    assert normalise_indicator(indicator) == norm


def test_the_2009_central_deficit_is_not_the_whole_deficit() -> None:
    facts = _facts(_in_report(2009, "拟安排中央财政赤字7500亿元"), 2009)
    assert facts["7500亿元"].indicator_norm == "中央财政赤字"


@pytest.mark.parametrize(("indicator", "norm"), [
    ("粮食（不包括大豆）的产量", "粮食产量"), ("扣除物价因素", "扣除物价因素"), ("粮食生产能力", "粮食生产能力"),
    ("进出口贸易总额", "进出口总额"), ("GDP增长目标", "生产总值"),
])
def test_an_aside_changes_no_name_and_a_short_name_inside_an_aside_is_not_it(indicator: str, norm: str) -> None:
    assert normalise_indicator(indicator) == norm


def test_a_plan_and_what_happened_are_read_apart_under_their_topic() -> None:
    sentence = _in_report(1982, "工农业总产值的增长速度，一九八一年计划为百分之三点七，实际达到百分之四点六")
    facts = _facts(sentence, 1982)
    plan, outcome = facts["百分之三点七"], facts["百分之四点六"]
    assert (plan.indicator, plan.reading, plan.period_year) == ("工农业总产值的增长速度", "target", 1981)
    assert (outcome.indicator, outcome.reading, outcome.period_year) == ("工农业总产值的增长速度", "result", 1981)


def test_a_reading_word_alone_names_no_indicator() -> None:
    facts = _facts("钢产量，去年计划为六百万吨，实际为六百五十万吨。", 1960)
    assert {f.indicator for f in facts.values()} == {"钢产量"}
    assert (facts["六百万吨"].reading, facts["六百五十万吨"].reading) == ("target", "result")


def test_growth_in_times_is_a_growth_and_a_multiple_of_a_level_is_not() -> None:
    growth = _facts(_in_report(1975, "工业总产值一九七四年预计比一九六四年增长一点九倍"), 1975)["一点九倍"]
    multiple = _facts("钢产量是一九五二年的八倍。", 1959)["八倍"]
    assert (growth.measure, multiple.measure) == ("growth", "multiple")


def test_a_paragraph_opening_this_five_years_sums_up_the_years_before_the_report() -> None:
    paragraph = "\n\u3000\u3000这五年，各项社会事业加快发展。城镇新增就业5771万人，转移农业劳动力4500万人。\n"
    assert _facts(paragraph, 2011)["5771万人"].period == "2006-2010"


def test_this_five_years_inside_a_sentence_points_back_to_the_span_named_before() -> None:
    sentence = "从一九七九至一九八一年，国家共计减少财政收入五百二十亿元。这三年城镇共安排两千多万人就业。"
    assert _facts(sentence, 1981)["两千多万人"].period != "1978-1980"


def test_a_level_reached_over_the_years_summed_up_is_the_last_years() -> None:
    paragraph = "\n这五年，国内生产总值达到39.8万亿元，年均增长11.2%。\n"
    facts = _facts(paragraph, 2011)
    assert (facts["39.8万亿元"].period, facts["11.2%"].period) == ("2010", "2006-2010")


def test_a_sum_over_the_years_compared_with_the_years_before_stays_the_spans() -> None:
    sentence = _in_report(2003, "五年来，国家财政支持农村生产支出和各项农业事业费达4077亿元，比前五年累计增加1852亿元")
    assert _facts(sentence, 2003)["4077亿元"].period == "1998-2002"


def test_a_five_year_plans_yearly_average_is_of_the_plan() -> None:
    sentence = _in_report(1986, "“七五”计划草案规定，全国工农业总产值平均每年增长百分之六点七")
    assert _facts(sentence, 1986)["百分之六点七"].period == "1986-1990"


def test_a_planned_change_starts_from_the_level_of_the_year_before() -> None:
    sentence = _in_report(1997, "去年政府工作报告提出，物价涨幅要从１４．８％降到１０％左右")
    facts = _facts(sentence, 1997)
    assert (facts["１４．８％"].period_year, facts["１０％左右"].period_year) == (1995, 1996)
    assert facts["１０％左右"].reading == "target"


@pytest.mark.parametrize("indicator", ["城镇居民人均可支配收入", "农村居民人均可支配收入"])
def test_town_and_country_incomes_are_each_a_part_of_the_residents_income(indicator: str) -> None:
    assert normalise_indicator(indicator) == indicator


def test_figures_listed_for_two_items_go_item_by_item_in_each_run() -> None:
    text = "城镇居民人均可支配收入和农村居民人均可支配收入分别增长7.8%和8.5%、达到49601元和28224元;"
    read = [(f.indicator, f.text, f.measure) for f in extract_facts(text, (), 2020)]
    assert read == [("城镇居民人均可支配收入", "7.8%", "growth"), ("农村居民人均可支配收入", "8.5%", "growth"),
                    ("城镇居民人均可支配收入", "49601元", "amount"), ("农村居民人均可支配收入", "28224元", "amount")]


def test_a_figure_of_a_year_after_the_reports_is_a_target_even_in_a_review() -> None:
    sentence = _in_report(1959, "棉花的单位面积产量分别达到六十斤、八十斤、一百斤的指标")
    review = "去年农业获得了大丰收。到一九六七年，" + sentence + "。"
    facts = extract_facts(review, (), 1959)
    assert [(f.text, f.period_year, f.reading) for f in facts] == [
        ("六十斤", 1967, "target"), ("八十斤", 1967, "target"), ("一百斤", 1967, "target")]


def test_days_are_a_unit() -> None:
    facts = _facts("优良天数230天，比上年增加53天。", 2021)
    assert (facts["230天"].indicator, facts["230天"].measure, facts["53天"].measure) == ("优良天数", "count", "growth")
