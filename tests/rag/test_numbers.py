"""Tests for rag.numbers: figures with their units, citation markers that are not numbers, asked units."""
from __future__ import annotations

import pytest

from rag.numbers import (
    Figure,
    asks_for_number,
    expected_units,
    find_figures,
    lost_digits,
    normalize,
    numbers_in,
    unit_matches,
    without_share_bases,
)


def _texts(text: str) -> list[str]:
    return [f.text for f in find_figures(text)]


def test_figures_carry_the_unit_written_right_after_them():
    text = "金融业增加值完成1302.9亿元、增长4.1%、占GDP比重10.9%；全年商品房销售122.7万平方米,同比增长38%"
    assert _texts(text) == ["1302.9亿元", "4.1%", "10.9%", "122.7万平方米", "38%"]


def test_a_figure_spans_its_number_and_unit_in_the_text():
    text = "新增城镇就业2000人。"
    [figure] = find_figures(text)
    assert figure == Figure(value="2000", unit="人", start=6, end=11)
    assert text[figure.start:figure.end] == "2000人"


def test_the_longest_unit_wins():
    assert _texts("职业技能培训2.17万人次,新增技能人才2.28万人,提高3个百分点") == ["2.17万人次", "2.28万人", "3个百分点"]


def test_a_figure_counted_in_wan_or_yi_carries_the_unit_after_the_magnitude():
    # From 000, 001 and 003: "建成安置房6.3万套", "5万个", "1000余家", "总投资2.11万亿元", "1000余万元".
    text = "建成安置房6.3万套,新增停车泊位5万个,为1000余家中小微企业融资,总投资2.11万亿元,奖补资金1000余万元,300多家"
    assert _texts(text) == ["6.3万套", "5万个", "1000余家", "2.11万亿元", "1000余万元", "300多家"]
    assert unit_matches(find_figures("建成安置房6.3万套")[0], "套")
    assert unit_matches(find_figures("总投资2.11万亿元")[0], "元")


def test_a_figure_without_a_unit_has_an_empty_unit():
    assert [(f.value, f.unit) for f in find_figures("1号线一期、常住人口1260万")] == [("1", ""), ("1260", "")]


def test_citation_markers_are_not_numbers():
    assert numbers_in("生产总值增长6.5%[1]，人均收入增长7%[12]。") == ["6.5%", "7%"]
    assert _texts("见[3]") == []
    # cite writes a marker that names no given passage as [?n]: not a number either.
    assert numbers_in("增长6.5%[?12]") == ["6.5%"]


def test_numbers_are_normalised_from_full_width_and_thousands_separators():
    assert numbers_in("增长６．５％，投资1,302,900万元") == ["6.5%", "1302900"]


def test_normalize_folds_width_and_removes_white_space():
    assert normalize("地区生产总值 增长６.５％ ，\n居民收入") == "地区生产总值增长6.5%,居民收入"


@pytest.mark.parametrize(("question", "units"), [
    ("新增城镇就业多少人？", ("人",)),
    ("中欧班列开了多少班？", ("班",)),
    ("金融业增加值多少？", ("元",)),
    ("惠济区2023年商品房卖了多少面积，同比涨了多少？", ("平方米", "%")),
    ("占GDP多大比重？", ("%",)),
    ("金融业增加值多少，占GDP比重多少？", ("元", "%")),
    ("地区生产总值增速是多少？", ("%",)),  # a growth rate, not an amount
    ("惠济区2024年地区生产总值增长目标是多少？", ("%",)),
    ("新建了多少万平方米？", ("万平方米",)),
    ("郑州2020年GDP预期增长多少？", ("%",)),
    ("高标准农田是怎么安排的？", ()),
])
def test_expected_units_follow_the_question_in_the_order_asked(question, units):
    assert expected_units(question) == units


def test_the_base_of_a_share_is_not_the_figure_asked_for():
    # "占GDP比重": GDP is what the share is of; the answer is a percentage, not an amount of money.
    assert expected_units("占GDP多大比重？") == ("%",)
    assert expected_units("民生支出占一般公共预算支出的比重是多少？")[-1] == "%"


def test_full_width_question_text_is_understood():
    assert expected_units("占ＧＤＰ多大比重？") == ("%",)


def test_unit_matches_reads_the_unit_a_figure_carries():
    [yuan, pct, hu] = find_figures("完成1302.9亿元、增长4.1%、新登记4.6万户")
    assert unit_matches(yuan, "元") and not unit_matches(yuan, "%")
    assert unit_matches(pct, "%") and not unit_matches(pct, "元")
    assert unit_matches(hu, "户") and not unit_matches(hu, "人")
    assert not unit_matches(find_figures("常住人口1260万")[0], "人")


@pytest.mark.parametrize(("question", "wants"), [
    ("郑州2020年金融业增加值多少？", True),
    ("惠济区2024年有几个重点项目？", True),
    ("占GDP多大比重？", True),
    ("惠济区2024年作为工作切口的“五项工作”是哪五项？", False),
    ("疫情期间金水区出台的惠企政策简称是什么？", False),
])
def test_asks_for_number_tells_figures_from_names_and_lists(question, wants):
    assert asks_for_number(question) is wants


def test_the_docstring_examples_hold():
    assert [f.value for f in find_figures("金融业增加值完成1302.9亿元、增长4.1%")] == ["1302.9", "4.1%"]
    assert expected_units("占GDP多大比重？") == ("%",)


def test_a_bare_zero_before_a_measure_word_is_a_figure_that_lost_its_digits():
    figures = find_figures("新增养老床位0张，增长0.5%，建成10个，PM2.5下降")
    assert [f.text for f in figures if lost_digits(f)] == ["0张"]


def test_the_base_of_a_share_is_blanked_out_in_place():
    text = "金融业增加值完成1302.9亿元、占GDP比重10.9%；民生支出占比74.5%"
    blanked = without_share_bases(text)
    assert "GDP" not in blanked and "金融业增加值" in blanked and "占比74.5%" in blanked
    assert len(blanked) == len(text)


def test_an_area_asked_for_is_answered_in_any_unit_of_area():
    figure = find_figures("辣椒种植面积稳定在220万亩")[0]
    assert unit_matches(figure, "平方米") and not unit_matches(find_figures("产量80万吨")[0], "平方米")


def test_what_an_intensity_is_per_unit_of_is_not_what_is_asked():
    assert "GDP" not in without_share_bases("单位GDP能耗下降多少") and "能耗" in without_share_bases("单位GDP能耗下降多少")
    assert "GDP" in without_share_bases("GDP单位是亿元")


def test_digits_of_a_name_are_no_figure():
    from rag.numbers import find_figures

    assert [f.value for f in find_figures("PM2.5、PM10年浓度下降12.1%，C919总装下线")] == ["12.1%"]


def test_a_percentage_after_a_change_word_is_a_change_and_one_after_a_level_is_not():
    from rag.numbers import find_figures, is_change

    text = "细颗粒物平均浓度下降2.7%，优良天数比例上升至87.2%，增长了3%、5%。"
    assert [f.value for f in find_figures(text) if is_change(f, text)] == ["2.7%", "3%", "5%"]


def test_a_question_about_a_level_asks_no_change_and_a_unit_after_its_question_word_is_asked():
    from rag.numbers import asks_for_change, expected_units

    assert not asks_for_change("郑州2020年PM2.5实际平均浓度是多少？")
    assert asks_for_change("PM2.5浓度下降了多少？")
    assert expected_units("2024年PM2.5平均浓度是多少微克/立方米？") == ("微克/立方米",)


def test_a_span_of_recent_years_asks_no_unit():
    from rag.numbers import expected_units

    assert "年" not in expected_units("近几年粮食产量的走势：2021年到2024年各是多少？")


def test_a_calendar_year_is_a_date_not_an_amount_but_a_span_of_years_is_an_amount():
    from rag.numbers import is_calendar_year
    text = "2028年开展中期评估，有效期3年，公路里程达到2100公里，1999年以来累计建成1200公里。"
    assert [f.value for f in find_figures(text) if is_calendar_year(f)] == ["2028", "1999"]
