"""The figures table shared by the 指标 tab and `govqa figures`: records, the filter, rows, CSV and chart lines."""
from __future__ import annotations

import csv
import io

from rag.fact_table import FactFilter, TrendLine, fact_record, fact_rows, facts_csv, filter_facts, trend_lines
from vectorstore.records import StoredFact


def _fact(place: str, report_year: int, year: int | None, value: float, indicator: str = "国内生产总值",
          reading: str = "target", unit: str = "%", measure: str = "growth", figure: str | None = None) -> dict:
    return {"place": place, "report_year": report_year, "year": year, "indicator": indicator,
            "indicator_norm": "生产总值" if "生产总值" in indicator else indicator,
            "figure": figure or f"{value:g}{unit}左右", "value": value, "unit": unit, "qualifier": "左右",
            "reading": reading, "measure": measure, "period": str(year) if year else "2021-2025", "doc": f"{place}{report_year}.txt"}


FACTS = [_fact("全国", 2023, 2023, 5.0), _fact("全国", 2024, 2024, 5.0), _fact("全国", 2022, 2022, 5.5),
         _fact("浙江省", 2024, 2024, 5.5, "地区生产总值"), _fact("全国", 2024, 2024, 1200, "城镇新增就业", unit="万人", measure="count"),
         _fact("全国", 2024, 2023, 5.2, reading="result"), _fact("全国", 2021, None, 5.7, "ＧＤＰ", reading="result")]


def test_a_stored_fact_becomes_a_flat_record_with_the_year_it_is_about_and_the_figure_as_written() -> None:
    stored = StoredFact(fact_id="d:f00001", doc_id="d", doc="a.txt", indicator="国内生产总值", indicator_norm="生产总值",
                        measure="growth", value=5.0, unit="%", text="5%左右", reading="target", start=10, end=15,
                        sentence_start=0, sentence_end=20, place="全国", report_year=2025, period_year=2025,
                        period="2025", qualifier="左右")
    record = fact_record(stored)
    assert record["year"] == 2025 and record["figure"] == "5%左右" and record["place"] == "全国"
    assert not {"fact_id", "doc_id", "text", "period_year"} & set(record)
    assert {"indicator_norm", "value", "value_high", "unit", "qualifier", "measure", "period", "start", "end",
            "sentence_start", "sentence_end", "report_year", "doc"} <= set(record)


def test_no_filter_keeps_every_fact_in_order() -> None:
    assert filter_facts(FACTS, FactFilter()) == FACTS


def test_place_matches_in_full_or_by_the_start_of_its_name() -> None:
    assert [f["place"] for f in filter_facts(FACTS, FactFilter(place="浙江"))] == ["浙江省"]
    assert len(filter_facts(FACTS, FactFilter(place="浙江省"))) == 1
    assert filter_facts(FACTS, FactFilter(place="江省")) == []


def test_year_matches_the_report_year_or_the_year_a_figure_is_about() -> None:
    kept = filter_facts(FACTS, FactFilter(year=2023))
    assert [(f["report_year"], f["year"]) for f in kept] == [(2023, 2023), (2024, 2023)]


def test_indicator_matches_words_of_the_written_or_normalised_name_in_either_width() -> None:
    assert len(filter_facts(FACTS, FactFilter(indicator="生产总值"))) == 5
    assert [f["indicator"] for f in filter_facts(FACTS, FactFilter(indicator="gdp"))] == ["ＧＤＰ"]
    assert [f["indicator"] for f in filter_facts(FACTS, FactFilter(indicator=" 新增 就业"))] == ["城镇新增就业"]


def test_reading_and_filters_combine() -> None:
    kept = filter_facts(FACTS, FactFilter(place="全国", indicator="生产总值", reading="target"))
    assert [f["report_year"] for f in kept] == [2023, 2024, 2022]
    assert filter_facts(FACTS, FactFilter(place="全国", year=2021, reading="target")) == []


def test_rows_show_readings_in_chinese_and_a_five_year_span_for_its_year() -> None:
    rows = fact_rows(FACTS[-2:])
    assert rows[0][:5] == ["全国", "2024", "2023", "国内生产总值", "5.2%左右"] and rows[0][7] == "完成"
    assert rows[1][2] == "2021-2025"


def test_csv_has_the_table_columns_then_the_number_and_measure() -> None:
    rows = list(csv.reader(io.StringIO(facts_csv(FACTS[:2]))))
    assert rows[0] == ["地区", "报告年份", "所指年份", "指标", "数值", "单位", "限定", "类型", "报告", "数值（数）", "度量"]
    assert rows[1] == ["全国", "2023", "2023", "国内生产总值", "5%左右", "%", "左右", "目标", "全国2023.txt", "5.0", "growth"]
    assert len(rows) == 3


def test_chart_lines_keep_one_measure_and_one_point_a_year_per_place_and_reading() -> None:
    unit, lines = trend_lines(filter_facts(FACTS, FactFilter(indicator="生产总值")))
    assert unit == "%"
    assert lines == [TrendLine("全国完成", ((2023, 5.2),)),
                     TrendLine("全国目标", ((2022, 5.5), (2023, 5.0), (2024, 5.0))),
                     TrendLine("浙江省目标", ((2024, 5.5),))]


def test_a_year_told_by_two_reports_is_charted_from_the_one_that_speaks_of_it_first() -> None:
    """A 2023 result is first stated in the 2024 report; the 2025 report's look back may be revised."""
    revised = _fact("全国", 2025, 2023, 5.4, reading="result")
    first = _fact("全国", 2024, 2023, 5.2, reading="result")
    assert trend_lines([revised, first])[1] == [TrendLine("全国完成", ((2023, 5.2),))]


def test_nothing_to_chart_without_numbers_by_year() -> None:
    assert trend_lines([_fact("全国", 2021, None, 5.7)]) == ("", [])
