"""Several years listed in a question or a report ("2016、2017、2018三年", "2010年和2011年") are each named
(rag/years.py); single years, ranges and plans are read as before.

Fast: made-up questions and lines of the State Council's 1980 report.
"""
from __future__ import annotations

import pytest

from rag.years import years_named
from tests.conftest import CORPUS_NATIONAL
from vectorstore.normalize import for_matching


@pytest.mark.parametrize(("text", "years"), [
    ("2016、2017、2018三年的财政赤字率分别是多少？", (2016, 2017, 2018)),  # 年 once, after a count of the years
    ("2010年和2011年的粮食产量各是多少？", (2010, 2011)),                # 年 after each
    ("1982、1983、1984年钢产量分别计划达到多少？", (1982, 1983, 1984)),    # 年 once, at the end
    ("2015年和2016年、2017年国内生产总值增长多少？", (2015, 2016, 2017)),  # two ways of listing mixed
    ("2010年与2011年居民消费价格涨幅", (2010, 2011)),
])
def test_each_year_of_a_list_is_named(text: str, years: tuple[int, ...]) -> None:
    assert years_named(for_matching(text)) == years


@pytest.mark.parametrize(("line", "years"), [
    ("我受国务院的委托，现在向大会提出关于1980、1981年国民经济计划安排的报告", (1980, 1981)),
    ("1978、1979两年共增产粮食", (1978, 1979)),
    ("经济作物的播种面积1979、1980两年都有增加", (1979, 1980)),
])
def test_years_listed_in_the_1980_report_are_each_named(line: str, years: tuple[int, ...]) -> None:
    assert line in (CORPUS_NATIONAL / "1980_国务院.txt").read_text(encoding="utf-8")
    assert years_named(for_matching(line)) == years


@pytest.mark.parametrize(("text", "years"), [
    ("2024年国内生产总值增长5%", (2024,)),
    ("2024年国内生产总值比2023年增长5%", (2024, 2023)),
    ("2019到2024年的赤字率", (2019, 2020, 2021, 2022, 2023, 2024)),
    ("2019年至2022年", (2019, 2020, 2021, 2022)),
    ("2021-2023年", (2021, 2022, 2023)),
    ("1998年和“十三五”", (1998, 2016, 2017, 2018, 2019, 2020)),
])
def test_single_years_ranges_and_plans_are_named_as_before(text: str, years: tuple[int, ...]) -> None:
    assert years_named(for_matching(text)) == years


@pytest.mark.parametrize("text", ["第二产业增加值1234、5678万元", "分别增长2020、2021"])
def test_numbers_listed_without_年_are_no_years(text: str) -> None:
    assert years_named(text) == ()
