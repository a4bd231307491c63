"""Figure answers read the question and the reports' structure: the year a result is stated in, several-year
figures, the one place that answers, sub-questions, a plan against a result, qualifiers written before a figure.

Fast: real extraction (rag/figures.py) over made-up reports and a passage of the State Council's 2023 report,
facts looked up by name (no model).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.constraints import QueryConstraints
from rag.describe import find_sections
from rag.facts import FactIndex
from rag.figures import extract_facts
from rag.generate.figure_answer import FigureAnswerer
from vectorstore.records import StoredChunk, StoredFact

REPORTS_DIR = Path(__file__).resolve().parents[3] / "data/reports"
NATIONAL = Path(__file__).resolve().parents[3] / "../../shared/corpus-national"
_2023 = (NATIONAL / "2023_国务院.txt") if NATIONAL.exists() else Path("/work/shared/corpus-national/2023_国务院.txt")


def _national_2023() -> str:
    """The review of the State Council's 2023 report: the year 2022, then five and ten years, in one section."""
    lines = _2023.read_text(encoding="utf-8").splitlines()
    review = next(i for i, line in enumerate(lines) if line.startswith("一、"))
    plan = next(i for i, line in enumerate(lines) if line.startswith("二、"))
    return "\n".join(lines[review:plan])


REPORTS = {
    "全国2023.txt": ("全国", 2023, _national_2023()),
    "全国2022.txt": ("全国", 2022, "一、过去一年工作回顾\n全年国内生产总值增长8.1%，城镇新增就业1269万人。\n"
                                   "二、2022年工作总体要求\n今年发展主要预期目标是：国内生产总值增长5.5%左右；"
                                   "城镇新增就业1100万人以上，城镇调查失业率全年控制在5.5%以内。今年赤字率拟按2.8%左右安排。"),
    "全国2024.txt": ("全国", 2024, "一、2023年工作回顾\n国内生产总值增长5.2%。城镇新增就业1244万人，"
                                   "城镇调查失业率平均为5.2%。单位国内生产总值能耗降幅超过3%。\n"
                                   "二、2024年政府工作任务\n城镇新增就业1200万人以上。赤字率拟按3%安排，赤字规模4.06万亿元。"),
    "全国2008.txt": ("全国", 2008, "一、过去五年工作回顾\n2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%，"
                                   "年均增长10.6%，从世界第六位上升到第四位。\n二、2008年工作总体部署\n"
                                   "今年国民经济和社会发展的预期目标是：国内生产总值增长8%左右。"),
    "某区2020.txt": ("某区", 2020, "一、2019年工作回顾\n新增城镇就业3540人、农村劳动力转移就业244人，分别占年度任务的126%、152%。\n"
                                   "二、2020年工作安排\n地区生产总值增长7%左右。"),
    "某市2021.txt": ("某市", 2021, "一、2020年工作回顾\n全市生产总值增长3%。\n二、2021年工作安排\n"
                                   "主要预期目标：地区生产总值增长7.5%以上。"),
}


def _stored(doc: str, place: str, year: int, i: int, fact) -> StoredFact:
    return StoredFact(fact_id=f"{doc}:{i}", doc_id=doc, doc=doc, indicator=fact.indicator,
                      indicator_norm=fact.indicator_norm, measure=fact.measure, value=fact.value, unit=fact.unit,
                      text=fact.text, reading=fact.reading, start=fact.start, end=fact.end,
                      sentence_start=fact.sentence_start, sentence_end=fact.sentence_end, place=place,
                      report_year=year, period_year=fact.period_year, period=fact.period,
                      value_high=fact.value_high, qualifier=fact.qualifier)


def _answerer(reports: dict[str, tuple[str, int, str]] = REPORTS) -> FigureAnswerer:
    facts = [_stored(doc, place, year, i, f) for doc, (place, year, text) in reports.items()
             for i, f in enumerate(extract_facts(text, find_sections(text, year), year))]
    index = FactIndex(facts, np.zeros((0, 0), dtype=np.float32))

    def chunk_at(doc: str, offset: int) -> StoredChunk:
        place, year, text = reports[doc]
        return StoredChunk(chunk_id=doc, doc_id=doc, doc=doc, index=0, start=0, end=len(text), text=text, header="",
                           section="", title=doc, region=place, year=year)

    return FigureAnswerer(lambda: index, chunk_at, lambda doc: reports[doc][2])


def _answer(question: str, regions: tuple[str, ...] = (), years: tuple[int, ...] = ()) -> str | None:
    draft = _answerer().answer(question, QueryConstraints(regions=regions, years=years), [])
    return None if draft is None else draft.text


def test_a_years_result_is_not_a_five_year_average_stated_in_the_same_review() -> None:
    text = _answer("2022年经济增速最后是多少？", ("全国",), (2022,))
    assert text is not None and "**3%**" in text.splitlines()[0]
    assert "5.2%" not in text.splitlines()[0] and "6.2%" not in text.splitlines()[0]


def test_the_indicator_is_the_questions_words_the_facts_know_not_an_event() -> None:
    text = _answer("疫情那一年（2022年）全国GDP增长多少？", ("全国",), (2022,))
    assert text is not None and "**3%**" in text


def test_with_no_place_named_the_country_whose_facts_answer_is_named() -> None:
    text = _answer("2023年城镇新增就业多少人？", (), (2023,))
    assert text is not None and text.startswith("全国") and "**1244万人**" in text


def test_with_no_place_named_a_local_figure_is_no_answer_where_the_library_holds_the_countrys_reports() -> None:
    # Only 某市 states a growth target for 2021; the question names no place, so it is the country's, which has none.
    draft = _draft("2021年经济增长目标是多少？", (), (2021,))
    assert draft is not None and draft.text == "" and "7.5%" not in (draft.refusal or "")
    assert "全国2021年" in draft.refusal and "某市" in draft.refusal
    local = {doc: report for doc, report in REPORTS.items() if report[0] != "全国"}
    text = _answerer(local).answer("2021年经济增长目标是多少？", QueryConstraints(years=(2021,)), []).text
    assert text.startswith("某市") and "**7.5%以上**" in text


def test_sub_questions_are_each_answered_from_facts() -> None:
    text = _answer("2023年城镇新增就业多少人？城镇调查失业率是多少？", ("全国",), (2023,))
    assert text is not None and "**1244万人**" in text and "**5.2%**" in text


def test_a_plan_against_what_happened_is_computed_and_declared() -> None:
    draft = _answerer().answer("2022年城镇新增就业实际数比年初目标多出多少？",
                               QueryConstraints(regions=("全国",), years=(2022,)), [])
    assert draft is not None and "**1100万人以上**" in draft.text and "**1206万人**" in draft.text
    assert [(c.expression, c.result) for c in draft.computations] == [("1206-1100", "106万人")]


def test_a_reading_is_read_after_each_year_named() -> None:
    draft = _answerer().answer("2021年某市GDP增长目标比2020年实际高多少？",
                               QueryConstraints(regions=("某市",), years=(2021, 2020)), [])
    assert draft is not None and [c.result for c in draft.computations] == ["4.5个百分点"]


def test_a_qualifier_written_before_a_figure_is_shown_with_it() -> None:
    text = _answer("2023年单位GDP能耗实际降了多少？", ("全国",), (2023,))
    assert text is not None and "**超过3%**" in text


def test_a_trend_without_a_reading_reads_what_happened() -> None:
    text = _answer("2021到2023年城镇新增就业分别是多少？", ("全国",), (2021, 2022, 2023))
    assert text is not None and all(f"**{v}**" in text for v in ("1269万人", "1206万人", "1244万人"))
    assert "1100万人以上" not in text


def test_a_sub_question_without_words_of_its_own_asks_about_the_indicator_before() -> None:
    text = _answer("2023年城镇新增就业多少人？2024年的目标呢？", ("全国",), (2023,))
    assert text is None or "1200万人以上" not in text  # another year's figure is never carried over
    text = _answer("2022年国内生产总值增长多少？目标是多少？", ("全国",), (2022,))
    assert text is not None and "**3%**" in text and "**5.5%左右**" in text


def _draft(question: str, regions: tuple[str, ...], years: tuple[int, ...]):
    return _answerer().answer(question, QueryConstraints(regions=regions, years=years), [])


def test_a_change_over_an_earlier_base_year_is_no_growth_of_the_year_and_is_refused_as_such() -> None:
    # The State Council's 2008 report gives 2007's GDP only against 2002 and as a five-year average.
    draft = _draft("2007年我国GDP比上年增长了多少？", ("全国",), (2007,))
    assert draft is not None and draft.text == "" and "65.5%" in (draft.refusal or "")
    assert "多年的变化" in draft.refusal


def test_a_change_over_the_year_before_is_the_years_own() -> None:
    text = _answer("2022年国内生产总值增长多少？", ("全国",), (2022,))
    assert text is not None and "**3%**" in text.splitlines()[0]


def test_a_part_that_only_asks_again_makes_no_question_of_its_own() -> None:
    text = _answer("2023年全国城镇新增就业和2022年比怎么样？各是多少？", ("全国",), (2023, 2022))
    assert text is not None and "**1244万人**" in text and "**1206万人**" in text


def test_a_report_that_gives_the_indicator_only_in_another_kind_is_refused_for_the_kind_asked() -> None:
    # 2022: only the deficit ratio (2.8%左右); the amount is given in 2024's report, so the library knows it.
    draft = _draft("2022年全国财政赤字规模是多少？", ("全国",), (2022,))
    assert draft is not None and draft.text == "" and "没有给出" in (draft.refusal or "")
    assert "**4.06万亿元**" in _answer("2024年全国财政赤字规模是多少？", ("全国",), (2024,))


def test_a_figure_of_the_kind_asked_that_no_fact_places_elsewhere_is_never_refused() -> None:
    # The 2023 report writes "赤字规模3.88万亿元" in a sentence the test's extractor leaves unread: no refusal.
    answerer = _answerer()
    text = REPORTS["全国2022.txt"][2] + "赤字规模3.88万亿元以内，视情况而定"
    answerer.text_of = lambda doc: text if doc == "全国2022.txt" else REPORTS[doc][2]
    draft = answerer.answer("2022年全国财政赤字规模是多少？", QueryConstraints(regions=("全国",), years=(2022,)), [])
    assert draft is None or not draft.refusal


def test_with_no_place_named_the_one_place_with_the_years_report_is_the_one_asked() -> None:
    draft = _draft("2022年财政赤字规模是多少？", (), (2022,))
    assert draft is not None and draft.text == "" and "全国2022年" in (draft.refusal or "")


def test_an_amount_asked_where_the_report_gives_only_a_change_is_refused_with_what_it_gives() -> None:
    draft = _draft("某市2020年地区生产总值总量是多少亿元？", ("某市",), (2020,))
    assert draft is not None and draft.text == "" and "增长3%" in (draft.refusal or "")


def test_two_indicators_of_one_sentence_are_added_as_a_declared_computation() -> None:
    draft = _draft("某区2019年新增城镇就业和农村劳动力转移就业一共多少人？", ("某区",), (2019,))
    assert draft is not None and "**3540人**" in draft.text and "**244人**" in draft.text
    assert [(c.expression, c.result) for c in draft.computations] == [("3540+244", "3784人")]


def test_a_change_over_a_plan_period_written_from_and_to_is_computed() -> None:
    # 郑州's 2021 report: "居民人均可支配收入从26253.5元提高到37274.8元" in its review of the 十三五 years.
    zhengzhou = {"郑州2021.txt": ("郑州市", 2021, (REPORTS_DIR / "003_18bb18e33f05a5d4.txt").read_text(encoding="utf-8"))}
    draft = _answerer(zhengzhou).answer("“十三五”期间郑州居民人均可支配收入增加了多少元？",
                                        QueryConstraints(regions=("郑州市",), years=tuple(range(2016, 2021))), [])
    assert draft is not None
    assert [(c.expression, c.result) for c in draft.computations] == [("37274.8-26253.5", "11021.3元")]


def test_a_figure_written_after_the_questions_own_words_for_the_indicator_is_no_refusal() -> None:
    # 郑州's 2020 report: "PM2.5不高于56微克/立方米", a target the extractor does not read as a fact.
    zhengzhou = {"郑州2020.txt": ("郑州市", 2020, (REPORTS_DIR / "000_4d00116238fd789a.txt").read_text(encoding="utf-8"))}
    draft = _answerer(zhengzhou).answer("郑州2020年大气治理目标里，PM2.5浓度要控制在多少以下？",
                                        QueryConstraints(regions=("郑州市",), years=(2020,)), [])
    assert draft is None or not draft.refusal


def test_a_level_written_after_a_paired_change_is_no_refusal_and_a_level_in_the_next_clause_is_none() -> None:
    paired = {"某区2020.txt": ("某区", 2020, "一、2019年工作回顾\n城镇居民和农村居民人均可支配收入分别增长7.8%和8.5%、"
                                            "达到49601元和28224元。\n二、2020年工作安排\n地区生产总值增长7%左右。")}
    draft = _answerer(paired).answer("某区2019年农村居民人均可支配收入是多少钱？",
                                     QueryConstraints(regions=("某区",), years=(2019,)), [])
    assert draft is None or not draft.refusal
    clause = {"某区2020.txt": ("某区", 2020, "一、2019年工作回顾\n全区地区生产总值增长6%，优良天数增加12天。\n"
                                            "二、2020年工作安排\n地区生产总值增长7%左右。")}
    draft = _answerer(clause).answer("某区2019年地区生产总值是多少？", QueryConstraints(regions=("某区",), years=(2019,)), [])
    assert draft is not None and "增长6%" in (draft.refusal or "")


def test_a_result_stated_exactly_wins_over_one_stated_as_a_bound() -> None:
    bound = {"全国2016.txt": ("全国", 2016, "一、2015年工作回顾\n国内生产总值达到67.7万亿元，增长6.9%。"
                                            "这些成绩，是在我国经济总量超过60万亿元的高基数上取得的。")}
    draft = _answerer(bound).answer("2015年GDP总量是多少？", QueryConstraints(regions=("全国",), years=(2015,)), [])
    assert draft is not None and "**67.7万亿元**" in draft.text and "60万亿元" not in draft.text.splitlines()[0]


LEVELS = {
    "全国2015.txt": ("全国", 2015, "一、2014年工作回顾\n国内生产总值达到63.6万亿元，比上年增长7.4%。"),
    "全国2022.txt": ("全国", 2022, "一、2021年工作回顾\n国内生产总值达到114万亿元，增长8.1%。"),
    "全国2023.txt": ("全国", 2023, "一、2022年工作回顾\n国内生产总值增加到121万亿元。"),
    "全国2025.txt": ("全国", 2025, "一、2024年工作回顾\n国内生产总值达到134.9万亿元、增长5%。"),
}


def _computed(reports, question: str, years: tuple[int, ...]) -> list[tuple[str, str]]:
    draft = _answerer(reports).answer(question, QueryConstraints(regions=("全国",), years=years), [])
    assert draft is not None
    return [(c.expression, c.result) for c in draft.computations]


def test_a_change_from_one_year_to_another_is_the_last_years_figure_less_the_firsts() -> None:
    assert _computed(LEVELS, "全国GDP从2021年到2024年增加了多少万亿元？", (2021, 2022, 2023, 2024)) == [("134.9-114", "20.9万亿元")]


def test_a_multiple_asked_is_the_first_figure_over_the_second() -> None:
    assert _computed(LEVELS, "2024年全国GDP是2014年的几倍？", (2024, 2014)) == [("134.9/63.6", "2.12倍")]


def test_a_years_figure_set_against_its_plan_is_what_happened_less_the_target() -> None:
    assert _computed(REPORTS, "2022年城镇新增就业比年初目标多出多少？", (2022,)) == [("1206-1100", "106万人")]


def test_each_years_reading_is_the_first_written_after_it() -> None:
    computed = _computed(REPORTS, "城镇新增就业2024年目标比2023年实际要减少多少？", (2024, 2023))
    assert computed == [("1244-1200", "44万人")]


@pytest.mark.parametrize("question", ["2021年和2023年城镇新增就业哪年多？", "2021年和2023年，哪一年城镇新增就业更多？"])
def test_which_year_is_higher_is_answered_with_both_figures_and_a_verdict(question: str) -> None:
    text = _answer(question, ("全国",), (2021, 2023))
    assert text is not None and "**1269万人**" in text and "**1244万人**" in text and "更高" in text


def test_a_target_asked_without_its_kind_is_the_growth_a_plan_sets() -> None:
    text = _answer("2022年GDP目标是多少？", ("全国",), (2022,))
    assert text is not None and "**5.5%左右**" in text
    text = _answer("2022年GDP总量目标是多少？", ("全国",), (2022,))
    assert text is None or "5.5%" not in text


def test_what_differs_between_two_years_targets_is_a_comparison() -> None:
    text = _answer("2022年和2024年的城镇新增就业目标有什么不同？", ("全国",), (2022, 2024))
    assert text is not None and "**1100万人以上**" in text and "**1200万人以上**" in text


def test_parts_of_a_question_are_each_of_the_year_they_name() -> None:
    text = _answer("2023年城镇新增就业完成多少？2024年目标又是多少？", ("全国",), (2023, 2024))
    assert text is not None and "**1244万人**" in text and "**1200万人以上**" in text and "更高" not in text


def test_a_multiple_is_taken_of_levels_never_of_growth_rates() -> None:
    computed = _computed(LEVELS, "2024年全国GDP大约是2014年的几倍（增长了几倍）？", (2024, 2014))
    assert computed == [("134.9/63.6", "2.12倍")]


def test_a_reading_written_after_one_of_two_years_is_that_years_alone() -> None:
    text = _answer("某市2020年地区生产总值增长多少？2021年的增长目标比这个高还是低？", ("某市",), (2020, 2021))
    assert text is not None and "3%" in text and "7.5%以上" in text


def test_a_part_asking_both_readings_gets_each_and_a_figure_is_said_once() -> None:
    text = _answer("2022年全国经济增速目标完成了没有？年初目标和实际结果各是多少？", ("全国",), (2022,))
    assert text is not None and "5.5%左右" in text and "**3%**" in text
    assert text.count("**3%**") == 1
