"""Extraction: a share written after a figure ("…1282.9亿元、占一般公共预算支出74.5%") is the share of what that
figure counts, and so is the share a change reaches; a figure that adds up or averages over a stretch of years
("1952年到1956年五年间的…合计") is of that stretch, not of its last year (rag/figures.py).

Fast: made-up sentences and sentences of the State Council's 1957, 2018 and 2023 reports.
"""
from __future__ import annotations

import pytest

from rag.describe import find_sections
from rag.figures import Fact, extract_facts, spans_several_years
from tests.conftest import CORPUS_NATIONAL


def _in_report(year: int, text: str) -> str:
    assert text in (CORPUS_NATIONAL / f"{year}_国务院.txt").read_text(encoding="utf-8")
    return text


def _fact(text: str, figure: str, report_year: int = 2021) -> Fact:
    return next(f for f in extract_facts(text, (), report_year) if f.text.startswith(figure))


@pytest.mark.parametrize(("sentence", "figure", "indicator"), [
    ("民生支出1282.9亿元、占一般公共预算支出74.5%。", "74.5%", "民生支出"),
    ("金融业增加值完成1302.9亿元、增长4.1%、占GDP比重10.9%。", "10.9%", "金融业增加值"),
    ("全市生产总值达到5200亿元，占全省的比重为22%。", "22%", "全市生产总值"),
])
def test_a_share_written_after_a_figure_is_the_share_of_what_that_figure_counts(sentence, figure, indicator) -> None:
    fact = _fact(sentence, figure)
    assert (fact.indicator, fact.measure) == (indicator, "share")


def test_the_whole_a_share_is_taken_of_is_not_given_the_share() -> None:
    facts = extract_facts("民生支出1282.9亿元、占一般公共预算支出74.5%。", (), 2021)
    assert not any(f.indicator == "一般公共预算支出" for f in facts)


def test_the_share_a_change_reaches_is_a_share_not_a_growth() -> None:
    sentence = _in_report(2023, "与自贸伙伴货物进出口额占比从26%提升至35%左右")
    assert _fact(sentence, "35%左右", 2023).measure == "share"
    sentence = _in_report(2018, "服务业比重从45.3%上升到51.6%")
    assert _fact(sentence, "51.6%", 2018).measure == "share"


def test_a_sum_over_a_stretch_of_years_is_of_the_stretch() -> None:
    sentence = _in_report(1957, "以粮食和棉花来说，1952年到1956年五年间的实际产量合计，粮食为一万六千五百八十亿斤")
    fact = _fact(sentence, "一万六千五百八十亿斤", 1957)
    assert (fact.period, fact.period_year) == ("1952-1956", None)


@pytest.mark.parametrize("sentence", ["工业总产值1953年至1980年的二十八年间平均每年增长百分之十一。",
                                      "2016年到2020年累计完成投资3000亿元。"])
def test_an_average_or_total_over_years_written_as_a_stretch_is_of_the_stretch(sentence: str) -> None:
    fact = extract_facts(sentence, (), 2021)[0]
    assert fact.period_year is None and fact.period is not None and "-" in fact.period


def test_a_change_over_a_stretch_keeps_the_year_it_reaches() -> None:
    fact = _fact("2016年到2020年，全市生产总值由8000亿元增加到12000亿元。", "12000亿元")
    assert fact.period_year == 2020


def test_a_change_over_the_years_a_sentence_opens_with_starts_in_the_first_of_them() -> None:
    sentence = _in_report(1986, "从一九八○年至一九八五年，我国原煤产量由六亿二千万吨增加到八亿五千万吨，原油由一亿零六百万吨增加到"
                                "一亿二千五百万吨，发电量由三千亿度增加到四千零七十三亿度，钢由三千七百万吨增加到四千六百六十六万吨")
    years = {f.text: f.period_year for f in extract_facts(sentence, (), 1986)}
    assert years["六亿二千万吨"] == years["三千七百万吨"] == 1980
    assert years["八亿五千万吨"] == years["四千六百六十六万吨"] == 1985
    assert _fact("2016年到2020年，全市生产总值由8000亿元增加到12000亿元。", "8000亿元").period_year == 2016


def test_a_figure_without_words_of_its_own_is_of_the_subject_its_sentence_opens_with() -> None:
    sentence = _in_report(2011, "粮食产量屡创历史新高，去年达到1.09万亿斤，连续7年增产")
    fact = _fact(sentence, "1.09万亿斤", 2011)
    assert (fact.indicator, fact.period_year) == ("粮食产量", 2010)


def test_a_subject_of_a_change_is_the_figures_not_the_whole_it_is_set_against() -> None:
    sentence = _in_report(1983, "在国家财政收入下降的同时，预算外资金却大幅度增加，由一九七八年的三百七十一亿元增加到一九八二年的六百五十亿元")
    assert {f.indicator for f in extract_facts(sentence, (), 1983)} == {"预算外资金"}


def test_a_short_word_before_a_verb_is_no_subject() -> None:
    facts = extract_facts("大力压减低效产能，加快煤炭分类处置，压减产能230万吨以上。", (), 2021)
    assert all(f.indicator != "大力" for f in facts)


def test_a_change_written_with_le_is_a_change_not_an_amount() -> None:
    sentence = _in_report(1958, "根据预计，一九五七年比一九五六年，粮食增加了五十亿斤，达到三千七百亿斤")
    assert [(f.text, f.measure) for f in extract_facts(sentence, (), 1958)] == [("五十亿斤", "growth"), ("三千七百亿斤", "amount")]


@pytest.mark.parametrize(("year", "sentence", "span"), [
    (1983, "四年中城镇集体所有制单位就业职工增加六百零三万人，工业产值增长百分之四十九", "1979-1982"),
    (1986, "在过去的五年中，我国工农业总产值平均每年增长百分之十一", "1981-1985"),
])
def test_the_years_counted_before_a_report_are_the_span_of_its_figures(year: int, sentence: str, span: str) -> None:
    assert {f.period for f in extract_facts(_in_report(year, sentence), (), year)} == {span}


@pytest.mark.parametrize(("year", "sentence"), [
    (1993, "五年间，工业总产值平均每年增长百分之十五"),
    (1983, "城镇个体劳动者从十五万人增加到一百四十七万人"),
])
def test_fifteen_written_as_a_number_is_no_five_year_plan(year: int, sentence: str) -> None:
    assert all(f.period != "2001-2005" for f in extract_facts(_in_report(year, sentence), (), year))


def test_years_still_to_come_are_no_span_of_years_past() -> None:
    sentence = _in_report(2006, "今后五年中央财政将投入100亿元支持职业教育发展")
    assert all(f.period != "2001-2005" for f in extract_facts(sentence, (), 2006))


def test_a_change_from_last_year_starts_in_the_year_before_and_reaches_the_plan() -> None:
    # In the whole report, so the sentence stands in its plan section.
    text = (CORPUS_NATIONAL / "2015_国务院.txt").read_text(encoding="utf-8")
    sentence = _in_report(2015, "今年拟安排财政赤字1.62万亿元，比去年增加2700亿元，赤字率从去年的2.1%提高到2.3%")
    at = text.index(sentence)
    facts = {f.text: f for f in extract_facts(text, find_sections(text, 2015), 2015) if at <= f.start < at + len(sentence)}
    assert (facts["2.1%"].period_year, facts["2.1%"].reading) == (2014, "result")
    assert (facts["2.3%"].period_year, facts["2.3%"].reading, facts["2.3%"].measure) == (2015, "target", "rate")


@pytest.mark.parametrize(("year", "sentence", "figure", "measure"), [
    (2016, "今年拟安排财政赤字2.18万亿元，比去年增加5600亿元，赤字率提高到3%", "3%", "rate"),
    (1956, "现代工业在工农业总产值中所占的比重将上升到３６．５％", "３６．５％", "share"),
])
def test_a_percentage_a_change_reaches_is_a_level_not_a_growth(year: int, sentence: str, figure: str, measure: str) -> None:
    assert _fact(_in_report(year, sentence), figure, year).measure == measure


def test_words_before_a_changes_origin_still_read_where_it_reaches() -> None:
    sentence = _in_report(1982, "到一九八五年，山西以及内蒙古西部、宁夏煤炭的外运能力将由一九八○年的七千二百万吨增加到一亿二千万吨")
    assert _fact(sentence, "一亿二千万吨", 1982).reading == "target"


def test_a_year_written_at_a_figure_is_its_own_whatever_the_sentence_spans() -> None:
    sentence = _in_report(1960, "全国粮食总产量，在过去四年中共增加了一千九百零五亿斤，即从一九五五年的三千四百九十六亿斤，增加到了一九五九年的五千四百零一亿斤")
    facts = {f.text: f for f in extract_facts(sentence, (), 1960)}
    assert {f.indicator for f in facts.values()} == {"全国粮食总产量"}
    assert [facts[t].period for t in ("一千九百零五亿斤", "三千四百九十六亿斤", "五千四百零一亿斤")] == ["1956-1959", "1955", "1959"]


def test_a_base_written_with_its_year_is_of_that_year() -> None:
    sentence = _in_report(1959, "我国的工农业总产值在一九五七年达到了一千三百八十七亿四千万元，比一九五二年的八百二十七亿一千万元增长百分之六十八")
    facts = {f.text: f for f in extract_facts(sentence, (), 1959)}
    assert (facts["一千三百八十七亿四千万元"].period_year, facts["八百二十七亿一千万元"].period_year) == (1957, 1952)


def test_a_change_over_counted_years_starts_the_year_before_them_and_ends_at_their_last() -> None:
    sentence = _in_report(1979, "这两年中，钢产量由二千零四十六万吨增加到三千一百七十八万吨，增长百分之五十五点三")
    facts = {f.text: f for f in extract_facts(sentence, (), 1979)}
    assert [facts[t].period for t in ("二千零四十六万吨", "三千一百七十八万吨", "百分之五十五点三")] == ["1976", "1978", "1977-1978"]


def test_a_sum_of_parts_is_no_span_of_years_but_a_sum_of_years_is() -> None:
    assert spans_several_years("全国财政赤字合计") is False  # central and local, of one year
    assert spans_several_years("第一个五年合计") is True


def test_a_list_of_things_named_before_the_year_gets_its_figures_item_by_item() -> None:
    sentence = _in_report(2001, "农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到2253元和6280元，平均每年实际增长4.7％和5.7％")
    facts = {f.text: (f.indicator, f.period_year) for f in extract_facts(sentence, (), 2001)}
    assert facts["2253元"] == ("农村居民人均纯收入", 2000) and facts["6280元"] == ("城镇居民人均可支配收入", 2000)
    assert facts["4.7％"] == ("农村居民人均纯收入", None)  # a yearly average over years it does not name


def test_an_output_named_alone_is_normalised_with_the_product_its_sentence_opens_with() -> None:
    fact = _fact(_in_report(2009, "粮食连续五年增产，总产量10570亿斤，创历史最高水平"), "10570亿斤", 2009)
    assert (fact.indicator, fact.indicator_norm) == ("总产量", "粮食产量")


def test_this_year_written_at_a_figure_is_the_year_the_report_was_delivered() -> None:
    sentence = _in_report(1981, "财政赤字从１９７９年的一百七十亿元、１９８０年的一百二十七亿元，预计降低到今年的二十七亿元")
    years = {f.text: f.period_year for f in extract_facts(sentence, (), 1981)}
    assert years["二十七亿元"] == 1981  # delivered in December 1981, though it sets 1982's plan


def test_a_price_base_year_is_no_year_and_how_far_past_a_plan_is_no_level() -> None:
    sentence = _in_report(1958, "一九五七年的工业总产值（不包括手工业产值，下同），包括原有企业和新建企业的在内，预计达到六百二十八亿一千万元"
                                "（按一九五二年不变价格计算），超过年度计划百分之四点一，比上一年增长百分之六点九")
    facts = {f.text: (f.period_year, f.measure) for f in extract_facts(sentence, (), 1958)}
    assert facts["六百二十八亿一千万元"] == (1957, "amount") and facts["百分之六点九"] == (1957, "growth")
    assert facts["百分之四点一"] == (1957, "beyond")


def test_the_base_a_topic_builds_on_names_nothing() -> None:
    sentence = _in_report(2006, "粮食总产量在上年大幅度增长的基础上，又增产291亿斤，达到9680亿斤")
    assert {f.text: f.indicator for f in extract_facts(sentence, (), 2006)}["9680亿斤"] == "粮食总产量"


def test_a_change_told_with_a_qualifier_before_its_figure_is_still_a_change() -> None:
    sentence = _in_report(1958, "比上一年，原煤增产了一千八百二十六万吨，电力增产了二十四亿度，生铁增产了一百零八万吨，钢增产了约七十八万吨")
    assert {f.text: f.measure for f in extract_facts(sentence, (), 1958)}["七十八万吨"] == "growth"


def test_reaching_a_year_already_past_is_what_happened_not_a_plan() -> None:
    sentence = _in_report(2008, "城镇居民人均可支配收入由2002年7703元增加到2007年13786元")
    assert {f.text: (f.period_year, f.reading) for f in extract_facts(sentence, (), 2008)}["13786元"] == (2007, "result")
    assert _fact("到2025年，全市生产总值达到12000亿元。", "12000亿元", 2021).reading == "target"
