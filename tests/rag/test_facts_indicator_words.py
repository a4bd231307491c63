"""A question's indicator read from its words between particles and frame words, and a name inside another
counted only where it starts a word (rag/facts.py).

Fast: no model, no store; questions in the style of real ones and names as the State Council's reports write them.
"""
from __future__ import annotations

import numpy as np
import pytest

from rag.facts import FactIndex, _contains_as_words, indicator_candidates, read_request
from rag.figures import extract_facts, normalise_indicator
from tests.conftest import CORPUS_NATIONAL
from vectorstore.records import StoredFact


@pytest.mark.parametrize(("question", "indicator"), [
    ("2022年政府工作报告把经济增速目标定在多少？", "经济增速"),  # 把 … 定在: a particle and a setting verb
    ("2017年国家定的经济增速目标是多少？", "经济增速"),
    ("2023年我国经济全年实际增速是多少？", "经济增速"),  # 我国, 全年, 实际: frame words inside the phrase
    ("2021年财政赤字率是按多少安排的？", "财政赤字率"),  # not 财政赤字率是按
    ("2020年粮食实际产量是多少？", "粮食产量"),
    ("1978年政府工作报告提出，到1985年钢产量要达到多少？", "钢产量"),
])
def test_the_first_candidate_is_the_indicator_between_particles_and_frame_words(question: str, indicator: str) -> None:
    assert indicator_candidates(question)[0] == indicator


def test_frame_words_inside_a_phrase_without_a_question_are_dropped() -> None:
    assert indicator_candidates("我国经济全年实际增速") == ["经济增速"]


def test_a_latin_name_cut_at_its_dot_is_kept_whole() -> None:
    request = read_request("PM2.5浓度下降了多少？")
    assert (indicator_candidates("PM2.5浓度下降了多少？")[0], request.indicator) == ("PM2.5浓度", "PM2.5浓度")


@pytest.mark.parametrize("question", ["每千人口3岁以下托位数", "2021年每千人口3岁以下托位数目标是多少？"])
def test_an_indicator_with_每_and_以下_in_its_name_is_kept_whole(question: str) -> None:
    assert indicator_candidates(question)[0] == "每千人口3岁以下托位数"
    assert read_request(question).indicator == "每千人口3岁以下托位数"


def test_a_question_setting_a_growth_target_reads_as_a_target_growth_of_gdp() -> None:
    request = read_request("2022年政府工作报告把经济增速目标定在多少？")
    assert (request.indicator, request.indicator_norm, request.measure, request.reading) == (
        "经济增速", normalise_indicator("国内生产总值"), "growth", "target")


@pytest.mark.parametrize(("longer", "shorter"), [
    ("工农业总产值", "农业总产值"),  # 工农 is one word: agriculture's output is not agriculture-and-industry's
    ("重工业总产值", "工业总产值"),  # heavy industry's output is a part, not the whole
])
def test_a_name_joined_to_the_character_before_it_is_not_contained_as_words(longer: str, shorter: str) -> None:
    assert _contains_as_words(longer, shorter) is False


@pytest.mark.parametrize(("longer", "shorter"), [
    ("城镇新增就业人数", "新增就业"),
    ("预算赤字率", "赤字率"),
    ("国内生产总值", "生产总值"),
    ("工业总产值", "工业总产值"),
])
def test_a_name_starting_a_word_of_the_longer_name_is_contained_as_words(longer: str, shorter: str) -> None:
    assert _contains_as_words(longer, shorter) is True


def _fact(i: int, indicator: str, value: float, text: str) -> StoredFact:
    """A target of the 1980 report for 1981, as rag/figures.py would store it."""
    return StoredFact(fact_id=f"d1980:f{i}", doc_id="d1980", doc="1980_国务院.txt", indicator=indicator,
                      indicator_norm=normalise_indicator(indicator), measure="growth", value=value, unit="%",
                      text=text, reading="target", start=20 * i, end=20 * i + len(text), sentence_start=0,
                      sentence_end=60, place="全国", report_year=1980, period_year=1981, period="1981")


# "工农业总产值，比1980年预计增长5.5％，其中，农业总产值增长4％，工业总产值增长6％。" (1980 report) without its first
# figure: the library holds agriculture's and industry's growth, not their sum's.
PARTS = FactIndex([_fact(1, "农业总产值", 4.0, "4％"), _fact(2, "工业总产值", 6.0, "6％")],
                  np.zeros((2, 8), dtype=np.float32), embed_query=None)


def test_the_facts_quoted_are_read_so_from_the_1980_report() -> None:
    sentence = "工农业总产值，比1980年预计增长5.5％，其中，农业总产值增长4％，工业总产值增长6％。"
    assert sentence in (CORPUS_NATIONAL / "1980_国务院.txt").read_text(encoding="utf-8")
    read = [(f.indicator, f.measure, f.value) for f in extract_facts(sentence, (), 1980)]
    assert read == [("工农业总产值", "growth", 5.5), ("农业总产值", "growth", 4.0), ("工业总产值", "growth", 6.0)]


def test_a_question_about_gross_agricultural_and_industrial_output_finds_no_agricultural_output() -> None:
    assert PARTS.find(read_request("1981年工农业总产值计划增长多少？"), ["全国"], [1981]) == []


def test_a_question_about_heavy_industrys_output_finds_no_industrial_output() -> None:
    assert PARTS.find(read_request("1981年重工业总产值计划增长多少？"), ["全国"], [1981]) == []


def test_a_question_about_agricultural_output_still_finds_its_fact() -> None:
    matches = PARTS.find(read_request("1981年农业总产值计划增长多少？"), ["全国"], [1981])
    assert [(m.fact.indicator, m.fact.value) for m in matches] == [("农业总产值", 4.0)]


def test_a_shorter_name_starting_a_word_still_finds_the_longer_named_fact() -> None:
    # 预算内投资 is no listed name: the match is by the words of the names alone, not by a shared alias
    index = FactIndex([StoredFact(fact_id="d2024:f1", doc_id="d2024", doc="2024_国务院.txt", indicator="中央预算内投资",
                                  indicator_norm=normalise_indicator("中央预算内投资"), measure="amount", value=7.0e11,
                                  unit="元", text="7000亿元", reading="target", start=0, end=6, sentence_start=0,
                                  sentence_end=30, place="全国", report_year=2024, period_year=2024, period="2024")],
                      np.zeros((1, 8), dtype=np.float32), embed_query=None)
    request = read_request("2024年预算内投资安排多少亿元？")
    assert (request.indicator, request.indicator_norm) == ("预算内投资", "预算内投资")
    assert [m.fact.text for m in index.find(request, ["全国"], [2024])] == ["7000亿元"]


@pytest.mark.parametrize("question", ["2024年中央预算内投资安排了多少钱？", "2023年全年财政支出花了多少钱？"])
def test_多少钱_asks_for_an_amount(question: str) -> None:
    assert read_request(question).measure == "amount"


def test_a_linking_verb_that_opens_a_name_stays_in_it() -> None:
    # 新增 links an indicator to its figure elsewhere ("新增城镇就业"), but opens the name here.
    assert read_request("2024年新增就业多少人？").indicator == "新增就业"


@pytest.mark.parametrize(("longer", "shorter"), [("粮食总产量", "产量"), ("钢产量", "产量")])
def test_a_generic_head_bound_to_the_character_before_it_is_no_name_of_its_own(longer: str, shorter: str) -> None:
    # 总产量 and 钢产量 are words: the 产量 of 渔业 is not the 粮食总产量 asked for.
    assert not _contains_as_words(longer, shorter)
