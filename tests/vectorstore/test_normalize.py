"""Tests for vectorstore.normalize: one form for matching, character for character."""
from __future__ import annotations

import pytest

from vectorstore.normalize import for_matching


@pytest.mark.parametrize("text, matched", [
    ("２０２４年增长５．５％", "2024年增长5.5%"),
    ("國民經濟計劃", "国民经济计划"),
    ("一九五八年度", "1958年度"),
    ("一九九○年", "1990年"),
    ("十一九五八年", "十一九五八年"),       # not a year in Chinese digits: the run is longer
    ("三百年", "三百年"),
])
def test_width_script_and_chinese_digit_years_are_folded(text, matched):
    assert for_matching(text) == matched


@pytest.mark.parametrize("text", ["……㎡①№", "我們第一届全國人民代表大會", "乾隆年間的頭髮", "郑州市2024年", ""])
def test_offsets_survive_because_the_length_never_changes(text):
    assert len(for_matching(text)) == len(text)


def test_the_docstring_example_holds():
    assert for_matching("１９５５年國民經濟計劃，一九五八年") == "1955年国民经济计划,1958年"
