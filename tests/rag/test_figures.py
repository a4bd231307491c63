"""The figure extractor on made-up passages (one rule each) and over every national report."""
from __future__ import annotations

from pathlib import Path

import pytest

from rag.clean import clean_text
from rag.describe import describe_report, find_sections
from rag.figures import Fact, extract_facts, normalise_indicator
from rag.load import load_report
from tests.conftest import CORPUS_NATIONAL


def _facts(text: str, report_year: int | None = 2025) -> list[Fact]:
    return extract_facts(text, (), report_year)


def _one(text: str, figure: str, report_year: int | None = 2025) -> Fact:
    found = [f for f in _facts(text, report_year) if f.text == figure]
    assert len(found) == 1, f"{figure!r} not read once from {text!r}: {[f.text for f in _facts(text, report_year)]}"
    return found[0]


def test_a_targets_paragraph_reads_indicator_measure_value_unit_and_qualifier() -> None:
    text = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；粮食产量1.4万亿斤以上。"
    read = [(f.indicator, f.measure, f.value, f.unit, f.text, f.qualifier, f.reading, f.period_year)
            for f in _facts(text)]
    assert read == [("国内生产总值", "growth", 5.0, "%", "5%左右", "左右", "target", 2025),
                    ("城镇新增就业", "count", 12_000_000.0, "人", "1200万人以上", "以上", "target", 2025),
                    ("粮食产量", "amount", 1.4e12, "斤", "1.4万亿斤以上", "以上", "target", 2025)]


@pytest.mark.parametrize(("text", "figure", "qualifier"), [
    ("今年居民消费价格涨幅3%左右。", "3%左右", "左右"),
    ("今年城镇登记失业率控制在4.5%以内。", "4.5%以内", "以内"),
    ("今年城镇调查失业率不超过5.5%。", "5.5%", "不超过"),
    ("今年一般公共预算收入约3200亿元。", "3200亿元", "约"),
])
def test_a_qualifier_before_or_after_the_figure_is_kept(text: str, figure: str, qualifier: str) -> None:
    fact = _one(text, figure)
    assert fact.qualifier == qualifier and text[fact.start:fact.end] == figure


def test_a_range_keeps_both_ends() -> None:
    fact = _one("今年地区生产总值增长5%—5.5%，出口增长3%~4%。", "5%—5.5%")
    assert (fact.value, fact.value_high, fact.unit, fact.measure) == (5.0, 5.5, "%", "growth")
    assert _one("今年地区生产总值增长5%—5.5%，出口增长3%~4%。", "3%~4%").value_high == 4.0


@pytest.mark.parametrize(("text", "figure", "value", "unit"), [
    ("今年一般公共预算收入完成26.12亿元。", "26.12亿元", 2.612e9, "元"),
    ("今年城镇新增就业60万人。", "60万人", 600_000.0, "人"),
    ("今年粮食产量1.4万亿斤。", "1.4万亿斤", 1.4e12, "斤"),
    ("今年粮食产量四千万吨以上。", "四千万吨以上", 4e7, "吨"),
    ("今年城镇调查失业率控制在百分之三点五以内。", "百分之三点五以内", 3.5, "%"),
    ("今年一般公共预算收入完成２６．１２亿元。", "２６．１２亿元", 2.612e9, "元"),
    ("今年税收收入增长１２％。", "１２％", 12.0, "%"),
    ("今年税收收入27,203,319,000元。", "27,203,319,000元", 27_203_319_000.0, "元"),
])
def test_values_are_scaled_and_read_from_chinese_numerals_full_width_digits_and_thousands_commas(
        text: str, figure: str, value: float, unit: str) -> None:
    fact = _one(text, figure)
    assert fact.value == pytest.approx(value) and fact.unit == unit and text[fact.start:fact.end] == figure


def test_counted_words_written_in_numerals_are_not_figures() -> None:
    assert _facts("坚持两个毫不动摇，落实三项制度。") == []


def test_digits_broken_apart_by_spaces_are_skipped_not_guessed() -> None:
    assert [f.text for f in _facts("去年固定资产投资增长8 ．8 ％，消费增长6%。")] == ["6%"]


def test_a_garbled_figure_is_skipped_not_read_from_circled_digits() -> None:
    """OCR junk such as "硫＠①" must never become a value (NFKC would turn ① into 1)."""
    assert _facts("去年二氧化硫＠①排放下降硫＠①%。") == []


def test_zero_width_characters_never_make_a_wrong_value() -> None:
    raw = "今年生产总值增\u200b长5\u200b.5%左右。"
    assert all(f.value != 5.0 for f in _facts(raw)), "5\u200b.5 is never read as 5"
    cleaned = clean_text(raw)
    assert [(f.value, f.text) for f in _facts(cleaned)] == [(5.5, "5.5%左右")]


REPORT = """2025年政府工作报告
——2025年1月12日在某省第十四届人民代表大会第三次会议上
一、2024年工作回顾
全省生产总值增长5.2%，粮食产量710亿斤。
预计全年居民收入增长5%左右。
二、2025年工作安排
全省生产总值增长5.5%左右，粮食产量720亿斤以上。
"""


def test_a_review_section_gives_results_and_a_plan_section_targets_with_the_year_they_are_about() -> None:
    meta = describe_report("province.txt", REPORT)
    facts = extract_facts(REPORT, find_sections(REPORT, meta.year), meta.year)
    read = [(f.text, f.reading, f.period_year) for f in facts]
    assert read == [("5.2%", "result", 2024), ("710亿斤", "result", 2024), ("5%左右", "estimate", 2024),
                    ("5.5%左右", "target", 2025), ("720亿斤以上", "target", 2025)]
    assert all(REPORT[f.start:f.end] == f.text for f in facts)
    assert all(REPORT[f.sentence_start:f.sentence_end].startswith(("全省", "预计")) for f in facts)
    assert all(f.sentence_start <= f.clause_start <= f.start < f.end <= f.clause_end <= f.sentence_end for f in facts)


def test_an_estimate_is_read_as_such() -> None:
    assert _one("预计全年地区生产总值增长5.2%左右。", "5.2%左右").reading == "estimate"


def test_past_words_make_a_result_and_plan_words_a_target_outside_any_section() -> None:
    assert _one("去年粮食产量1.3万亿斤。", "1.3万亿斤").reading == "result"
    assert _one("今年要确保粮食产量1.3万亿斤以上。", "1.3万亿斤以上").reading == "target"


def test_a_five_year_figure_is_about_its_span_not_one_year() -> None:
    fact = _one("过去五年，国内生产总值年均增长5.2%。", "5.2%", report_year=2026)
    assert fact.period_year is None and fact.period == "2021-2025"
    plan = _one("“十四五”时期单位国内生产总值能耗累计下降13.5%左右。", "13.5%左右", report_year=2026)
    assert plan.period_year is None and plan.period == "2021-2025"


def test_indicator_names_are_normalised_through_the_data_file() -> None:
    assert normalise_indicator("国内生产总值") == normalise_indicator("地区生产总值")


# --- every national report ------------------------------------------------------------------

NATIONAL = sorted(p for p in CORPUS_NATIONAL.glob("*.txt"))


def _report_facts(path: Path) -> tuple[str, int | None, list[Fact]]:
    text = clean_text(load_report(path).text)
    meta = describe_report(path.name, text)
    return text, meta.year, extract_facts(text, find_sections(text, meta.year), meta.year)


def test_the_national_corpus_is_there() -> None:
    assert len(NATIONAL) >= 50, f"expected the national reports in {CORPUS_NATIONAL}"


@pytest.mark.slow
def test_every_national_report_reads_without_error_and_every_fact_points_at_its_text() -> None:
    for path in NATIONAL:
        text, year, facts = _report_facts(path)
        assert facts, f"no figure read from {path.name}"
        assert year and year >= 1954
        for f in facts:
            assert text[f.start:f.end] == f.text, f"{path.name}: {f.text!r} is not the text at its offsets"
            assert f.sentence_start <= f.start < f.end <= f.sentence_end
            assert f.reading in ("target", "result", "estimate") and f.indicator


@pytest.mark.slow
def test_modern_reports_state_their_growth_target() -> None:
    """Every report since 2005 sets a GDP growth target; it is read as a target of the report's year."""
    for path in NATIONAL:
        text, year, facts = _report_facts(path)
        if year is None or year < 2005:
            continue
        targets = [f for f in facts if f.reading == "target" and f.period_year == year and f.measure == "growth"
                   and "生产总值" in f.indicator]
        assert targets, f"{path.name}: no GDP growth target read"


def test_a_figure_of_several_years_is_told_by_the_words_before_it() -> None:
    from rag.figures import spans_several_years

    assert spans_several_years("五年年均增长")
    assert spans_several_years("十年增加近")
    assert spans_several_years("粮食产量连年稳定在")
    assert not spans_several_years("全年国内生产总值增长")
    assert not spans_several_years("城镇调查失业率平均为")


PLAN_YEAR_SECTION = ("一、2011年的工作\n"
                     "　　2011年是开局之年。过去一年，我们的工作取得了很大成绩。国内生产总值增长10.3%，城镇新增就业1168万人。\n"
                     "　　国务院决定今年安排30亿元建设资金。中小企业发展资金从39亿元增加到96亿元。\n")


def test_a_paragraph_opening_on_the_past_gives_results_of_the_year_before_inside_a_plan_year_section() -> None:
    facts = {f.text: f for f in extract_facts(PLAN_YEAR_SECTION, find_sections(PLAN_YEAR_SECTION, 2011), 2011)}
    assert (facts["10.3%"].reading, facts["10.3%"].period_year) == ("result", 2010)
    assert (facts["1168万人"].reading, facts["1168万人"].period_year) == ("result", 2010)
    assert (facts["30亿元"].reading, facts["30亿元"].period_year) == ("target", 2011)


def test_the_figure_a_change_reaches_is_read_by_its_section_not_like_its_origin() -> None:
    facts = {f.text: f for f in extract_facts(PLAN_YEAR_SECTION, find_sections(PLAN_YEAR_SECTION, 2011), 2011)}
    assert facts["39亿元"].reading == "result" and facts["96亿元"].reading == "target"


def test_a_paragraph_opening_on_an_earlier_year_is_about_that_year() -> None:
    text = "1984年，工业生产继续全面增长。能源的生产超过计划的要求，原煤产量达到七亿七千多万吨，比上年增长8%。"
    facts = {f.text: f for f in extract_facts(text, report_year=1985)}
    assert (facts["七亿七千多万吨"].reading, facts["七亿七千多万吨"].period_year) == ("result", 1984)
    assert facts["七亿七千多万吨"].value == 770_000_000 and facts["七亿七千多万吨"].qualifier == "多"


def test_a_year_before_the_reports_written_in_the_sentence_makes_a_result() -> None:
    fact = _one("今年的任务很重。工业总产值一九五三年比一九五二年增长百分之十四点四。", "百分之十四点四", report_year=1955)
    assert fact.reading == "result" and fact.period_year == 1953


def test_figures_named_as_the_target_are_targets_even_in_a_review() -> None:
    text = "一、2006年工作回顾\n全国没有实现年初确定的能耗降低4%左右、排放总量减少2%的目标。\n"
    facts = extract_facts(text, find_sections(text, 2007), 2007)
    assert [(f.text, f.reading) for f in facts] == [("4%左右", "target"), ("2%", "target")]


def test_figures_after_an_estimate_in_its_sentence_are_estimates() -> None:
    text = "工业总产值预计达到628亿元，超过年度计划百分之四点一，比上一年增长百分之六点九。"
    assert [f.reading for f in extract_facts(text, report_year=1958)] == ["estimate"] * 3


def test_a_figure_after_an_ascii_comma_is_read() -> None:
    fact = _one("产业园219亩土地挂牌,8个产业项目签约入园。", "8个")
    assert fact.value == 8 and fact.unit == "个"


def test_spring_reports_date_the_past_years_results_to_the_year_before() -> None:
    """1987: no heading names a year, but the paragraph opens "过去一年里"; 1985: it opens "1984年，"."""
    for name, sentence_start, figure, year in (("1987_国务院.txt", "钢产量达到", "５２０５万吨", 1986),
                                               ("1985_国务院.txt", "特别令人高兴", "七亿七千多万吨", 1984)):
        text, _, facts = _report_facts(CORPUS_NATIONAL / name)
        fact = next(f for f in facts if f.text == figure and text[f.sentence_start:].startswith(sentence_start))
        assert (fact.reading, fact.period_year) == ("result", year)


def test_a_target_compared_with_a_year_is_about_the_year_after_it() -> None:
    fact = _one("计划草案拟定，工业总产值比一九六四年增长百分之十一左右。", "百分之十一左右", report_year=1964)
    assert (fact.reading, fact.period_year) == ("target", 1965)


def test_a_figure_cut_from_its_unit_by_a_line_break_keeps_its_sentence() -> None:
    text = "国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%，名列世界前茅。"
    facts = {f.text: f for f in extract_facts(text, report_year=2017)}
    assert facts["6.7%"].indicator == "国内生产总值" and facts["6.7%"].measure == "growth"
    assert facts["74.4\n\u200b\n万亿元"].value == 74.4e12


def test_what_a_figure_counts_stops_at_the_verb_saying_what_became_of_it() -> None:
    facts = {f.text: f.indicator for f in extract_facts("又有80万户农村危房得到改造，9.2万户游牧民实现了定居，"
                                                        "解决了6398万农村人口的饮水困难和60万无电地区人口的用电问题。", (), 2010)}
    assert facts == {"80万户": "农村危房", "9.2万户": "游牧民", "6398万": "农村人口", "60万": "无电地区人口"}


def test_less_than_is_a_qualifier() -> None:
    fact = _one("国内生产总值从不到70万亿元增加到超过100万亿元。", "70万亿元", report_year=2021)
    assert (fact.qualifier, fact.value, fact.reading) == ("不到", 70e12, "result")


def test_fractions_written_in_words_are_read_as_ratios() -> None:
    half = _one("中央政府定价项目减少80%，地方政府定价项目减少一半以上。", "一半以上")
    assert (half.value, half.unit, half.qualifier, half.indicator) == (0.5, "", "以上", "地方政府定价项目")
    third = _one("粮食总产量增长三分之一以上。", "三分之一以上")
    assert abs(third.value - 1 / 3) < 1e-9 and third.measure == "growth"
    assert not [f for f in _facts("一半以上的县没有达到要求。") if f.text.startswith("一半")]


def test_jiang_before_an_object_and_its_change_is_no_future() -> None:
    text = "一、过去五年工作回顾\n将扶贫标准提高到2300元。煤炭外运能力将由7200万吨增加到1.2亿吨。\n"
    facts = {f.text: f.reading for f in extract_facts(text, find_sections(text, 2013), 2013)}
    assert facts["2300元"] == "result"
    assert _one("到1985年，煤炭外运能力将由7200万吨增加到1.2亿吨。", "1.2亿吨", report_year=1982).reading == "target"


def test_said_done_after_the_figure_is_a_result_and_a_norm_a_target() -> None:
    assert _one("军队裁员100万的任务已经完成。", "100万", report_year=1988).reading == "result"
    facts = extract_facts("全国粮食总产量应该有7200亿斤，还要在1959年粮食总产量的基础上，再增加1800亿斤以上。", (), 1960)
    assert [f.reading for f in facts] == ["target", "target"]


def test_what_a_figure_counts_may_open_with_an_adverb_that_names() -> None:
    assert _one("继续发行1500亿元长期建设国债，集中用于在建项目。", "1500亿元").indicator == "长期建设国债"


def test_a_report_setting_next_years_plan_reviews_its_own_year() -> None:
    text = "一九六四年，全国农村用电量比一九五七年增长二十二倍。一九六五年计划草案拟定，农业总产值增长百分之五左右。"
    facts = {f.text: f for f in extract_facts(text, report_year=1964)}
    assert (facts["二十二倍"].reading, facts["二十二倍"].period_year) == ("result", 1964)
    assert (facts["百分之五左右"].reading, facts["百分之五左右"].period_year) == ("target", 1965)


def test_a_shared_listed_indicator_is_split_only_when_its_figures_are_given_item_by_item() -> None:
    one = extract_facts("国家对经济和文化部门的基本建设投资总额共为493亿元，超过原定计划的15.3%。", (), 1959)
    assert {f.indicator for f in one} == {"国家对经济和文化部门的基本建设投资总额"}
    split = extract_facts("二氧化硫、化学需氧量排放量，分别下降3.5%、2.9%。", (), 2012)
    assert [f.indicator for f in split] == ["二氧化硫", "化学需氧量排放量"]


def test_the_object_of_ba_after_a_figure_is_what_it_counts_and_a_modal_is_no_part_of_a_name() -> None:
    assert _one("始终把14亿多中国人的饭碗牢牢端在自己手中。", "14亿多").indicator == "中国人"
    assert _one("官厅水库建成后可蓄水23亿立方米。", "23亿立方米").indicator.endswith("蓄水")
