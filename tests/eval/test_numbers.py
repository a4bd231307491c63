"""The scorer's reading of figures with units (independent of rag/'s)."""

from __future__ import annotations

import doctest

import eval.numbers
from eval.numbers import stated_numbers, unit_figures


def texts(text: str) -> list[str]:
    return [figure.text for figure in unit_figures(text)]


def test_units_magnitudes_and_percent_are_read_without_a_unit_list() -> None:
    assert texts("城镇新增就业120万人以上，研发投入强度达3.35%左右，新建公园20个") == ["120万人", "3.35%", "20个"]
    assert texts("一般公共预算收入完成２６．１２亿元") == ["26.12亿元"]
    assert texts("赤字规模4.06万亿元") == ["4.06万亿元"]


def test_a_different_currency_or_measure_is_a_different_unit() -> None:
    assert unit_figures("46.3亿元") != unit_figures("46.3亿美元")
    assert unit_figures("增长6.5%") != unit_figures("提高6.5个百分点")


def test_dates_ordinals_and_citation_markers_are_not_figures_with_units() -> None:
    assert texts("2024年3月5日[1]，第1") == []
    # A bare number, as in a list of years, has no unit.
    assert texts("1954、1975") == []


def test_white_space_inside_a_figure_does_not_hide_it() -> None:
    assert texts("金融业增加值 1302.9 亿元") == ["1302.9亿元"]


def test_stated_numbers_read_a_passage_with_and_without_its_white_space() -> None:
    assert stated_numbers(["增长 6.5 %"]) >= {"6.5", "6.5%"}


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.numbers)
    assert result.attempted > 0 and result.failed == 0
