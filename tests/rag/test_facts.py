"""Facts for a question: what figure it asks for (read_request) and the library's facts that state it (FactIndex)."""
from __future__ import annotations

import numpy as np
import pytest

from rag.facts import FactIndex, FigureRequest, read_request
from vectorstore.records import StoredFact


@pytest.mark.parametrize(("question", "places", "indicator", "measure", "reading"), [
    ("2025年全国GDP增长目标是多少？", ("全国",), "GDP", "growth", "target"),
    ("浙江2025年经济增速目标是多少？", ("浙江省",), "经济增速", "growth", "target"),
    ("2020年某市实际利用外资多少？", ("某市",), "实际利用外资", None, "result"),
    ("江苏和浙江，谁的2025年GDP增长目标更高？", ("江苏省", "浙江省"), "GDP", "growth", "target"),
    ("2024年城镇新增就业多少人？", (), "城镇新增就业", "count", None),
    ("2023年粮食产量是多少？", (), "粮食产量", "amount", None),
    ("2024年城镇调查失业率目标是多少？", (), "城镇调查失业率", "rate", "target"),
    ("PM2.5浓度下降了多少？", (), "PM2.5浓度", "decline", "result"),  # "了多少": what happened
    ("2019年一般公共预算收入实际完成多少亿元？", (), "一般公共预算收入", "amount", "result"),
    ("第三产业增加值占比多少？", (), "第三产业增加值", "share", None),
    ("2025年全国财政赤字规模比2016年多了多少？", ("全国",), "财政赤字规模", "amount", None),  # a difference asked
    ("2017年钢铁去产能的任务是压减多少？", (), "钢铁去产能", None, "target"),  # a task is what is planned
    ("2009年中央财政用于“三农”的实际支出是多少？", (), "中央财政用于“三农”支出", None, "result"),  # a quoted name inside
    ("“六五”计划定的1985年钢产量目标是多少？", (), "钢产量", "amount", "target"),  # a quoted name opening it is apart
    ("某区2024年计划新增多少家“四上”企业？", ("某区",), "“四上”企业", "count", "target"),  # no classifier opens a name
    ("2004年定的增长目标和2003年实际增速相比怎么样？", (), "经济增速", "growth", None),  # an unnamed growth: the economy's
    ("2005年物价（CPI）实际涨了多少？", (), "CPI", "growth", "result"),
    ("2000年以后外贸进出口总额各是多少？", (), "外贸进出口总额", "amount", None),  # 以后 frames the years
    ("第一个五年计划要求到1957年钢产量达到多少？", (), "钢产量", "amount", "target"),  # 达到 of a plan's demand
    ("1957年钢产量实际达到多少？", (), "钢产量", "amount", "result"),
])
def test_a_question_is_read_into_indicator_measure_and_reading(question, places, indicator, measure, reading) -> None:
    request = read_request(question, places)
    assert (request.indicator, request.measure, request.reading) == (indicator, measure, reading)


def test_an_alias_is_normalised_like_the_reports_name() -> None:
    assert read_request("2025年全国GDP增长目标是多少？").indicator_norm == read_request(
        "2025年全国国内生产总值增长目标是多少？").indicator_norm


def _fact(i: int, place: str, report_year: int, period_year: int | None, indicator: str, measure: str, value: float,
          unit: str, text: str, reading: str) -> StoredFact:
    from rag.figures import normalise_indicator

    return StoredFact(fact_id=f"d{i}:f0", doc_id=f"d{i}", doc=f"{place}{report_year}.txt", indicator=indicator,
                      indicator_norm=normalise_indicator(indicator), measure=measure, value=value, unit=unit,
                      text=text, reading=reading, start=10 * i, end=10 * i + len(text), sentence_start=0,
                      sentence_end=100, place=place, report_year=report_year, period_year=period_year,
                      period=str(period_year) if period_year else None)


FACTS = [
    _fact(1, "浙江省", 2025, 2025, "地区生产总值", "growth", 5.5, "%", "5.5%左右", "target"),
    _fact(2, "江苏省", 2025, 2025, "地区生产总值", "growth", 5.0, "%", "5%以上", "target"),
    _fact(3, "江苏省", 2025, 2024, "地区生产总值", "growth", 5.8, "%", "5.8%", "result"),
    _fact(4, "江苏省", 2025, 2024, "地区生产总值", "amount", 1.37e13, "元", "13.7万亿元", "result"),
    _fact(5, "江苏省", 2025, 2024, "实际使用外资", "amount", 1.8e10, "美元", "180亿美元", "result"),
    _fact(6, "江苏省", 2025, 2024, "PM2.5平均浓度", "decline", 4.0, "%", "4%", "result"),
    _fact(7, "江苏省", 2025, 2025, "城镇新增就业", "count", 1.2e6, "人", "120万人以上", "target"),
    _fact(8, "江苏省", 2025, 2024, "居民人均可支配收入", "growth", 5.3, "%", "5.3%", "estimate"),
]
BY_NAME = FactIndex(FACTS, np.zeros((0, 0), dtype=np.float32))


def _found(request: FigureRequest, places=None, years=None, index: FactIndex = BY_NAME) -> list[str]:
    return [m.fact.text for m in index.find(request, places, years)]


def test_facts_are_found_by_place_year_reading_and_measure() -> None:
    request = read_request("2025年浙江GDP增长目标是多少？", ("浙江省",))
    assert _found(request, ["浙江省"], [2025]) == ["5.5%左右"]
    both = read_request("江苏和浙江2025年GDP增长目标", ("江苏省", "浙江省"))
    assert sorted(_found(both, ["江苏省", "浙江省"], [2025])) == ["5%以上", "5.5%左右"]
    assert _found(read_request("2024年江苏GDP增长多少？", ("江苏省",)), ["江苏省"], [2024]) == ["5.8%"]


def test_a_level_question_is_not_answered_with_a_change() -> None:
    assert _found(read_request("2024年江苏生产总值是多少亿元？", ("江苏省",)), ["江苏省"], [2024]) == ["13.7万亿元"]
    assert _found(read_request("2024年江苏PM2.5平均浓度是多少？", ("江苏省",)), ["江苏省"], [2024]) == []


def test_another_place_or_year_is_never_found() -> None:
    request = read_request("2025年GDP增长目标是多少？")
    assert _found(request, ["上海市"], [2025]) == []
    assert _found(request, ["浙江省"], [2026]) == []


def test_a_result_asked_may_be_an_estimate_but_a_target_asked_is_not() -> None:
    assert _found(read_request("2024年江苏居民人均可支配收入实际增长多少？", ("江苏省",)), ["江苏省"]) == ["5.3%"]
    assert _found(read_request("2024年江苏居民人均可支配收入增长目标？", ("江苏省",)), ["江苏省"]) == []


def test_names_match_one_inside_the_other_and_better_when_closer() -> None:
    matches = BY_NAME.find(FigureRequest("新增就业", "新增就业", "count", None))
    assert [m.fact.text for m in matches] == ["120万人以上"] and 0.6 < matches[0].indicator_score < 1.0
    exact = BY_NAME.find(FigureRequest("城镇新增就业", "城镇新增就业", "count", None))
    assert exact[0].indicator_score == 1.0


def test_a_name_the_data_file_lists_as_an_alias_is_found_without_the_model() -> None:
    assert _found(read_request("2024年江苏实际利用外资多少？", ("江苏省",)), ["江苏省"], [2024]) == ["180亿美元"]


def test_without_the_model_words_no_indicator_is_known_by_find_nothing() -> None:
    assert _found(read_request("2024年江苏空气污染程度下降多少？", ("江苏省",)), ["江苏省"], [2024]) == []
    assert BY_NAME.find(FigureRequest("", "", None, None)) == []
    assert FactIndex([], np.zeros((0, 0), dtype=np.float32)).find(read_request("GDP增长多少？")) == []


@pytest.mark.slow
def test_with_the_model_the_users_words_find_the_reports_words() -> None:
    """大气细颗粒物浓度 → PM2.5平均浓度, 外商直接投资 → 实际使用外资 (the names of rag/data/indicators.tsv),
    with the real embedder, whose meaning alone never decides between sibling indicators."""
    from vectorstore.embedder import get_embedder

    embedder = get_embedder()
    vectors = embedder.embed_passages([f.indicator for f in FACTS])
    index = FactIndex(FACTS, vectors, embedder.embed_query)
    assert _found(read_request("2024年江苏大气细颗粒物浓度下降多少？", ("江苏省",)), ["江苏省"], [2024], index) == ["4%"]
    assert _found(read_request("2024年江苏外商直接投资多少？", ("江苏省",)), ["江苏省"], [2024], index) == ["180亿美元"]
    assert _found(read_request("2024年江苏粮食产量是多少？", ("江苏省",)), ["江苏省"], [2024], index) == [], \
        "an indicator the library lacks matches nothing by meaning"


@pytest.mark.parametrize(("question", "first"), [
    ("疫情那一年（2020年）全国GDP增长多少？", "GDP"),            # "那一年" is no part of a name
    ("2017年国家定的经济增速目标是多少？", "经济增速"),          # a known name inside the words wins
    ("2023年全国GDP增速比2022年快了多少？", "GDP"),              # 比 opens a comparison base
    ("1965年工业总产值计划比上年增长多少？", "工业总产值"),
    ("1956年那份预算报告里，1955年全国棉花是多少？", "棉花"),  # the report asked of names no indicator
])
def test_the_questions_words_for_the_indicator_are_its_stretch_and_the_known_names_in_it(question, first) -> None:
    from rag.facts import indicator_candidates

    assert indicator_candidates(question, ["全国"])[0] == first


def test_a_narrower_thing_than_a_known_name_is_not_that_name() -> None:
    from rag.facts import asked_indicator_norm, indicator_candidates

    assert indicator_candidates("2024年中央财政赤字是多少？") == ["中央财政赤字"]
    assert indicator_candidates("2025年城镇登记失业率的目标是多少？") == ["城镇登记失业率"]
    assert "GDP" in indicator_candidates("2015年到2019年，国务院每年定的GDP增长目标分别是多少？")
    assert asked_indicator_norm("中央财政赤字") == "中央财政赤字"
    assert asked_indicator_norm("GDP增长目标") == read_request("GDP增长目标多少").indicator_norm


def test_a_rate_whose_name_says_how_it_moves_answers_that_change() -> None:
    fact = _fact(9, "全国", 2025, 2024, "单位国内生产总值能耗降幅", "rate", 3.0, "%", "3%", "result")
    index = FactIndex([fact], np.zeros((0, 0), dtype=np.float32))
    request = read_request("2024年单位GDP能耗实际降了多少？")
    assert request.measure == "decline"
    assert [m.fact.text for m in index.find(request, ["全国"], [2024])] == ["3%"]


def test_two_indicators_joined_for_a_sum_or_difference_are_read_in_order():
    from rag.facts import indicator_pair
    assert indicator_pair("某区2023年新增城镇就业和农村劳动力转移就业一共多少人？", ["某区"]) == ("新增城镇就业", "农村劳动力转移就业")
    assert indicator_pair("某区2019年城镇居民和农村居民人均可支配收入差多少？", ["某区"]) == ("城镇居民", "农村居民人均可支配收入")
    assert indicator_pair("2021年全国的GDP增长目标是多少？", ["全国"]) is None


def test_an_indicator_written_in_traditional_characters_is_matched_by_its_name() -> None:
    from rag.facts import FactIndex, read_request
    from vectorstore.records import StoredFact
    fact = StoredFact(fact_id="f", doc_id="d", doc="1954_国务院.txt", indicator="工業總産值", indicator_norm="工业总产值",
                      measure="growth", value=33.0, unit="%", text="百分之三十三", reading="result", start=0, end=6,
                      sentence_start=0, sentence_end=6, place="全国", report_year=1954, period_year=1953, period="1953")
    other = StoredFact(**{**fact.__dict__, "fact_id": "g", "indicator": "工业农业总产值方面", "indicator_norm": "工业农业总产值方面"})
    matches = FactIndex([other, fact], np.zeros((0, 0), dtype=np.float32)).find(
        read_request("1953年全国工业总产值比1952年增长了多少？", ["全国"]), ["全国"], [1953])
    assert matches and matches[0].fact.fact_id == "f" and matches[0].indicator_score == 1.0


def test_a_products_output_is_found_under_the_products_name() -> None:
    steel = _fact(9, "全国", 1986, 1985, "钢", "amount", 4.666e7, "吨", "四千六百六十六万吨", "result")
    index = FactIndex([steel], np.zeros((0, 0), dtype=np.float32))
    assert _found(read_request("1985年钢产量是多少？"), years=[1985], index=index) == ["四千六百六十六万吨"]
    assert _found(read_request("1985年钢材产量是多少？"), years=[1985], index=index) == []
