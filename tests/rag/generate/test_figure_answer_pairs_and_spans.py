"""How a figure question's places and years are read (rag/generate/figure_answer.py, rag/years.py): years
listed before "这几年" are each asked, "这几年" asks nothing, three years listed ask year by year, two places
each with its own year are paired, a plan's years asked as one span are one period, and a computation shows
its operands as the reports write them.

Fast: pure functions on questions and made-up facts (no store, no model).
"""
from __future__ import annotations

import pytest

from rag.generate.figure_answer import (_ASK, _DIFFERENCE, _YEAR_BY_YEAR, _as_written, _compute, _paired,
                                        _whole_span)
from rag.years import years_named
from vectorstore.records import StoredFact


def test_years_listed_before_these_few_years_are_each_named() -> None:
    assert years_named("2005、2012、2015、2016这几年的GDP增长预期目标分别是多少？") == (2005, 2012, 2015, 2016)


def test_these_few_years_asks_nothing() -> None:
    asked = {m.group() for m in _ASK.finditer("2005、2012、2015这几年的GDP增长目标分别是多少？")} - {"？"}
    assert asked == {"多少"}


def test_three_years_listed_ask_year_by_year() -> None:
    assert _YEAR_BY_YEAR.search("2001、2007、2010年居民消费价格各上涨了多少？")
    assert not _YEAR_BY_YEAR.search("2024年和2023年GDP哪年高？")


@pytest.mark.parametrize(("question", "pairs"), [
    ("惠济区2024年的GDP增速目标和郑州市2021年的GDP增速目标相比，哪个高？", [("惠济区", 2024), ("郑州市", 2021)]),
    ("2024年惠济区和2021年郑州市的GDP增速目标哪个高？", [("惠济区", 2024), ("郑州市", 2021)]),
])
def test_two_places_each_with_its_own_year_are_paired(question: str, pairs: list) -> None:
    years = years_named(question)
    assert _paired(question, ("惠济区", "郑州市"), years) == pairs


def test_places_and_years_not_written_pairwise_are_not_paired() -> None:
    question = "惠济区和郑州市2021年、2024年的GDP增速目标分别是多少？"
    assert _paired(question, ("惠济区", "郑州市"), years_named(question)) is None


@pytest.mark.parametrize(("question", "span"), [
    ("“七五”计划草案里，国民生产总值年均增速定的是多少？", "1986-1990"),
    ("“十三五”期间城镇新增就业累计多少？", "2016-2020"),
])
def test_a_plans_years_asked_as_a_whole_are_one_span(question: str, span: str) -> None:
    assert _whole_span(question, years_named(question)) == span


def test_years_not_in_a_row_are_no_span() -> None:
    assert _whole_span("2001、2007、2010年年均增长多少？", (2001, 2007, 2010)) is None


def _fact(text: str, value: float, unit: str, year: int) -> StoredFact:
    return StoredFact(fact_id=f"d:{year}", doc_id="d", doc=f"{year}.txt", indicator="粮食产量", indicator_norm="粮食产量",
                      measure="amount", value=value, unit=unit, text=text, reading="result", start=0, end=len(text),
                      sentence_start=0, sentence_end=len(text), place="全国", report_year=year + 1,
                      period_year=year, period=str(year), value_high=None, qualifier=None)


def test_a_computation_shows_its_operands_as_the_reports_write_them() -> None:
    line, computation = _compute((_fact("３９８９亿斤", 3989e8, "斤", 1956), _fact("３６８０亿斤", 3680e8, "斤", 1955)),
                                 (1, 2), "difference")
    assert line.startswith("计算：３９８９亿斤 − ３６８０亿斤 = **309亿斤**")
    assert (computation.expression, computation.result) == ("3989-3680", "309亿斤")


def test_no_computation_from_a_figure_whose_thousands_a_full_width_comma_parts() -> None:
    # "３，９８９": the comma also parts clauses, so a reader (and the scorer) takes it for 3 and 989
    assert _compute((_fact("３，９８９亿斤", 3989e8, "斤", 1956), _fact("３６８０亿斤", 3680e8, "斤", 1955)),
                    (1, 2), "difference") is None


def test_a_figure_as_written_drops_its_qualifiers() -> None:
    assert _as_written(_fact("约5.5%左右", 5.5, "%", 2022)) == "5.5%"


def test_the_years_a_report_looks_back_on_are_those_before_it() -> None:
    assert years_named("2018年报告回顾的五年里，GDP总量增加了多少？") == (2013, 2014, 2015, 2016, 2017)


def test_lower_by_how_many_points_asks_a_difference() -> None:
    assert _DIFFERENCE.search("2013年的GDP增长目标比2010年低了几个百分点？")


def test_a_plan_written_out_in_full_names_its_years() -> None:
    assert years_named("第一个五年计划规定1957年钢产量要达到多少？")[:5] == (1953, 1954, 1955, 1956, 1957)


def test_a_sum_of_several_years_adds_every_figure() -> None:
    years = [_fact(text, value, "人", year) for text, value, year in
             (("1206万人", 1206e4, 2022), ("1244万人", 1244e4, 2023), ("1256万人", 1256e4, 2024))]
    line, computation = _compute(years, (1, 2, 3), "sum")
    assert (computation.expression, computation.result, computation.citations) == ("1206+1244+1256", "3706万人", (1, 2, 3))
    assert line.startswith("计算：1206万人 + 1244万人 + 1256万人 = **3706万人**")
