"""Tests for rag.question: what a question asks for — its terms, indicator, answer kind and facets."""
from __future__ import annotations

import pytest

from rag.constraints import Library, QueryConstraints, parse_constraints
from rag.question import Facet, indicator_variants, mentions, profile_question, with_synonyms
from tests.rag.test_constraints import SAMPLE_DOCS

LIBRARY = Library.from_documents(SAMPLE_DOCS)


def _profile(question: str):
    return profile_question(question, parse_constraints(question, LIBRARY))


def test_the_docstring_example_holds():
    p = profile_question("郑州2020年新增城镇就业，年初目标和实际完成各是多少人？", QueryConstraints(("郑州市",), (), (2020,)))
    assert (p.units, p.indicators, [f.mode for f in p.facets]) == (("人",), ("新增城镇就业",), ["plan", "actual"])


def test_terms_leave_out_the_place_and_the_year_and_keep_the_longest_word():
    p = _profile("郑州2020年金融业增加值多少？")
    assert p.terms == {"金融业增加值": 4.0}
    assert p.indicators == ("金融业增加值",) and p.units == ("元",) and p.wants_number


# --- facets: each side of a comparison needs its own supporting sentence -------------------


def test_plan_and_actual_asked_together_are_two_facets():
    p = _profile("郑州2020年新增城镇就业，年初目标和实际完成各是多少人？")
    assert p.facets == (Facet(None, None, "plan"), Facet(None, None, "actual"))
    assert p.mode is None     # neither reading alone


def test_several_places_each_with_its_own_year_are_paired_in_order():
    p = _profile("郑州2020年、金水区2019年、惠济区2023年的民生支出占比，哪个最高？")
    assert p.facets == (Facet("郑州市", 2020), Facet("金水区", 2019), Facet("惠济区", 2023))


def test_two_places_compared_on_one_indicator_are_two_facets():
    p = _profile("技术合同成交额：金水区2019年和惠济区2023年分别是多少？")
    assert p.facets == (Facet("金水区", 2019), Facet("惠济区", 2023))
    assert p.indicators == ("技术合同成交额",) and p.units == ("元",)


def test_one_place_in_two_years_is_one_facet_per_year():
    p = _profile("金水区2019年和2020年的地区生产总值分别是多少？")
    assert p.facets == (Facet(None, 2019), Facet(None, 2020))


def test_two_years_with_plan_and_actual_give_every_combination():
    p = _profile("郑州2020年和2021年中欧班列的计划与实际开行各多少？")
    assert p.facets == (Facet(None, 2020, "plan"), Facet(None, 2020, "actual"),
                        Facet(None, 2021, "plan"), Facet(None, 2021, "actual"))


def test_two_places_without_years_are_two_facets():
    assert _profile("郑州和新乡的粮食产量").facets == (Facet("郑州市"), Facet("新乡市"))


@pytest.mark.parametrize("question", [
    "郑州2020年金融业增加值多少？",
    "郑州市惠济区2023年GDP是多少？",
    "惠济区2024年作为工作切口的“五项工作”是哪五项？",
])
def test_a_question_about_one_place_and_year_has_no_facets(question):
    assert _profile(question).facets == ()


# --- the kind of answer -------------------------------------------------------------------


def test_a_plan_question_and_an_actual_question_are_told_apart():
    assert _profile("郑州2020年计划新增城镇就业多少人？").mode == "plan"
    assert _profile("郑州2020年中欧班列开了多少班？").mode == "actual"
    assert _profile("郑州2020年金融业增加值多少？").mode is None


def test_only_explicit_words_make_the_actual_reading_strict():
    assert _profile("郑州2020年实际完成了多少？").strict_mode
    assert not _profile("郑州2020年中欧班列开了多少班？").strict_mode


def test_a_plan_asked_for_in_so_many_words_is_strict():
    assert _profile("郑州2020年年初计划技术合同交易额要突破多少亿元？").strict_mode
    assert not _profile("郑州2020年两癌筛查准备做多少人？").strict_mode   # leans to the plan, rules nothing out


def test_terms_keep_the_letter_case_the_reports_write():
    assert "GDP" in _profile("郑州2020年GDP总量是多少？").terms


def test_the_base_of_a_share_is_not_an_indicator_the_answer_must_name():
    assert _profile("郑州2020年金融业增加值占GDP比重多少？").indicators == ("金融业增加值",)


def test_a_question_about_a_plan_period_spans_years():
    assert _profile("郑州“十三五”期间进出口总额是多少？").spans_years
    assert _profile("郑州民生支出年均增长多少？").spans_years
    assert not _profile("郑州2020年进出口总额是多少？").spans_years


def test_lexical_search_also_looks_for_the_names_the_reports_use():
    assert with_synonyms("郑州2020年GDP是多少？") == "郑州2020年GDP是多少？ 地区生产总值 生产总值"
    assert with_synonyms("新乡粮食产量是多少？") == "新乡粮食产量是多少？ 粮食总产"


def test_a_list_question_announces_its_size():
    assert _profile("惠济区2024年作为工作切口的“五项工作”是哪五项？").list_size == 5
    assert _profile("新乡有哪些县要打造先导区？").list_size == 0        # a list of unknown length
    assert _profile("郑州2020年金融业增加值多少？").list_size is None    # not a list
    assert _profile("“两化五强”的“五强”分别是什么？").list_size == 5       # the items of a numbered slogan
    assert _profile("惠济区的政府工作报告简称是什么？").list_size is None


def test_a_count_written_before_a_quoted_name_counts_its_items_and_a_plan_period_counts_none():
    assert _profile("2018年报告说制定实施的污染防治三个“十条”分别针对什么？").list_size == 3
    assert _profile("“十一五”期间我国成功举办了哪些盛会？").list_size == 0
    assert _profile("某县“十四五”时期的“三个坚持”分别是什么？").list_size == 3


def test_a_name_the_question_quotes_is_a_topic():
    assert "五个更加注重" in _profile("某市2020年政府工作总体要求里的“五个更加注重”分别是什么？").topics


def test_a_question_about_a_person_is_recognised():
    p = _profile("2024年惠济区政府工作报告是谁作的？")
    assert p.wants_person and not p.wants_number


def test_indicator_names_the_reports_use_interchangeably_are_variants():
    assert indicator_variants("技术合同成交额") == ("技术合同成交额", "技术合同交易额")
    assert mentions("惠济区技术合同交易额3.1亿元", "技术合同成交额")
    assert mentions("地区生产总值增长6.5%", "GDP")
    assert mentions("地方财政一般公共预算收入1259.2亿元", "财政收入")     # the words users ask in
    assert mentions("全市生产总值完成12003亿元", "经济总量")
    assert not mentions("金融业增加值1302.9亿元", "技术合同成交额")


def test_words_of_the_reading_asked_are_not_topics_an_answer_must_name():
    assert "实际" not in _profile("惠济区2023年安置房实际建成了多少？").topics


@pytest.mark.parametrize("question", [
    "青岛市级财政专项资金的分配结果要在多长时间内公开？", "专项资金绩效评价结果为“中”会怎样？",
    "申请公租房要交什么材料？", "怎么给企业降低用地成本？",
])
def test_a_question_answered_in_words_asks_for_no_unit_even_when_it_names_money(question):
    assert _profile(question).units == ()


def test_a_how_question_that_also_asks_how_much_keeps_its_unit():
    assert _profile("申请补贴需要什么材料，最多补贴多少元？").units == ("元",)


def test_question_words_are_not_topics_an_answer_must_name():
    assert "多长时间" not in _profile("低保审核确认一般多长时间办完？").topics


def test_a_five_year_plan_named_in_a_question_is_its_period_not_an_indicator():
    profile = profile_question("“十四五”辣椒种植面积目标是多少？", QueryConstraints(years=(2021, 2022, 2023, 2024, 2025)))
    assert "十四五" not in profile.indicators
