"""The years a figure is asked of (rag/generate/figure_answer.py): not the year of the report named as its
source, nor the year before as a growth's base, when another year is named; both years of a difference are kept.

Fast: the years as rag/constraints.py reads them from the question, given directly (no store, no model).
"""
from __future__ import annotations

import pytest

from rag.generate.figure_answer import _years_asked_about
from rag.years import years_named


def test_the_year_of_the_report_that_set_a_target_is_not_the_year_asked_about() -> None:
    assert _years_asked_about("1978年政府工作报告提出，到1985年钢产量要达到多少？", (1978, 1985), (1978,)) == ((1985,), None)


def test_the_year_before_as_a_growths_base_is_not_a_year_asked_about() -> None:
    assert _years_asked_about("2024年GDP比2023年增长了多少？", (2024, 2023), ()) == ((2024,), None)


@pytest.mark.parametrize(("question", "report", "asked", "since"), [
    ("1975年政府工作报告说，1974年工业总产值比1964年增长了多少？", (1975,), (1974,), 1964),
    ("2024年全国GDP比2021年增长了多少？", (), (2024,), 2021),
])
def test_a_growth_over_several_years_is_asked_of_its_year_since_its_base(question, report, asked, since) -> None:
    # Only a figure stated over the base answers: 2024's own growth over 2023 would be a wrong figure.
    assert _years_asked_about(question, years_named(question), report) == (asked, since)


@pytest.mark.parametrize("question", ["2024年全国GDP比2021年增加了多少万亿元？", "2024年粮食产量比2023年多多少？",
                                      "2023年和2024年的赤字率相差多少？"])
def test_both_years_of_a_difference_are_kept(question: str) -> None:
    years = years_named(question)
    assert len(years) == 2
    assert _years_asked_about(question, years, ()) == (years, None)


def test_a_question_whose_only_year_is_the_reports_keeps_it() -> None:
    assert _years_asked_about("2024年政府工作报告提出的GDP增长目标是多少？", (2024,), (2024,)) == ((2024,), None)


def test_the_year_reviewed_in_a_named_report_is_the_year_asked_about() -> None:
    assert _years_asked_about("2024年政府工作报告中2023年GDP增长多少？", (2024, 2023), (2024,)) == ((2023,), None)


def test_years_listed_with_no_report_or_base_are_all_kept() -> None:
    question = "2016、2017、2018三年的财政赤字率分别是多少？"
    assert _years_asked_about(question, years_named(question), ()) == ((2016, 2017, 2018), None)

