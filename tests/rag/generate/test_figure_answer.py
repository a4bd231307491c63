"""Answers from facts over a real store of made-up reports (two provinces, several years), through QAService:
a figure with its qualifier, comparisons, year over year, a declared difference, a trend table, a near miss, a level
no report states computed from the next year's level and its change."""
from __future__ import annotations

import re

from pathlib import Path

import pytest

from rag.compute import evaluate

pytestmark = pytest.mark.slow


def _report(province: str, year: int, review: str, targets: str) -> str:
    return (f"{province}{year}年政府工作报告\n——{year}年1月15日在{province}第十四届人民代表大会第{year - 2022}次会议上\n"
            f"省长\n各位代表：\n现在，我代表省人民政府，向大会报告政府工作，请予审议。\n"
            f"一、{year - 1}年工作回顾\n过去一年，{review}\n"
            f"二、{year}年主要目标\n{year}年全省经济社会发展的主要预期目标是：{targets}\n"
            f"三、{year}年重点工作\n我们将坚定不移推进改革开放，持续改善民生。\n")


REPORTS = {
    "zhejiang_2023.txt": _report("浙江省", 2023, "全省生产总值增长3.1%。", "全省生产总值增长5%以上；城镇新增就业100万人以上。"),
    "zhejiang_2024.txt": _report("浙江省", 2024, "全省生产总值增长6%，一般公共预算收入完成8600亿元。",
                                 "全省生产总值增长5.5%左右；城镇新增就业100万人以上；居民消费价格涨幅3%左右。"),
    "zhejiang_2025.txt": _report("浙江省", 2025, "全省生产总值增长5.5%，一般公共预算收入完成8800亿元，PM2.5平均浓度下降4%，"
                                 "空气优良天数290天，比上年增加12天。城镇居民人均可支配收入增长4.6%，农村居民人均可支配收入增长7.4%。",
                                 "全省生产总值增长5.5%左右；城镇新增就业100万人以上；居民消费价格涨幅2%左右。"),
    "jiangsu_2024.txt": _report("江苏省", 2024, "全省生产总值增长5.8%，一般公共预算收入完成9500亿元。",
                                "全省生产总值增长5%以上；城镇新增就业120万人以上；居民消费价格涨幅3%左右。"),
    "jiangsu_2025.txt": _report("江苏省", 2025, "全省生产总值增长5.8%，一般公共预算收入完成9900亿元。"
                                "进出口总额比上年增加3000亿元，达到52000亿元。",
                                "全省生产总值增长5%以上；城镇新增就业120万人以上；居民消费价格涨幅2%左右。"),
}


@pytest.fixture(scope="module")
def figures_service(tmp_path_factory: pytest.TempPathFactory):
    """A QAService over a real store of the made-up reports (ingested once for this module)."""
    from rag.chain import QAService
    from rag.ingest import ingest_paths
    from rag.settings import Settings
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    folder = tmp_path_factory.mktemp("provinces")
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    store_dir = tmp_path_factory.mktemp("provinces-store")
    outcomes = ingest_paths([folder], ChromaStore.open(store_dir), get_embedder())
    assert [o.status for o in outcomes] == ["added"] * len(REPORTS)
    return QAService.open(Settings.from_env(store_dir))


def _ask(service, question: str):
    answer = service.ask(question)
    print(f"\n{question}\n{answer.answer}")
    return answer


def _first_line(answer) -> str:
    return answer.answer.strip().splitlines()[0]


def test_a_figure_leads_with_its_qualifier_and_cites_its_sentence(figures_service) -> None:
    answer = _ask(figures_service, "浙江2025年地区生产总值增长目标是多少？")
    assert not answer.refused and "5.5%左右" in _first_line(answer)
    assert any(c.doc == "zhejiang_2025.txt" and "5.5%左右" in c.quote for c in answer.citations)


def test_a_comparison_states_each_side_and_a_verdict_that_names_differing_qualifiers(figures_service) -> None:
    answer = _ask(figures_service, "江苏和浙江，谁的2025年地区生产总值增长目标更高？")
    assert not answer.refused and "5.5%左右" in answer.answer and "5%以上" in answer.answer
    assert "浙江省2025年目标更高" in answer.answer and "限定不同" in answer.answer
    assert {c.doc for c in answer.citations} >= {"zhejiang_2025.txt", "jiangsu_2025.txt"}


def test_equal_figures_are_said_to_be_the_same(figures_service) -> None:
    answer = _ask(figures_service, "江苏和浙江2025年居民消费价格涨幅目标哪个更高？")
    assert not answer.refused and "2%左右" in answer.answer and "一样" in answer.answer


def test_year_over_year_for_one_place(figures_service) -> None:
    answer = _ask(figures_service, "浙江2024年和2025年居民消费价格涨幅目标相比哪年更高？")
    assert not answer.refused and "3%左右" in answer.answer and "2%左右" in answer.answer
    verdict = next(line for line in answer.answer.splitlines() if "更高" in line)
    year_cited = re.search(r"浙江省2024年(\[\d\])", answer.answer).group(1)
    assert verdict.startswith("浙江省2024年目标更高") and year_cited in verdict, "the year that tells the sides apart is cited"


def test_a_difference_is_computed_from_cited_figures_and_declared(figures_service) -> None:
    answer = _ask(figures_service, "2024年江苏一般公共预算收入比浙江多多少？")
    assert not answer.refused and "9900亿元" in answer.answer and "8800亿元" in answer.answer
    [computation] = answer.computations
    assert computation.expression == "9900-8800" and computation.result == "1100亿元"
    assert evaluate(computation.expression) == 1100 and "1100亿元" in answer.answer
    cited = {c.n: c for c in answer.citations}
    assert all(n in cited for n in computation.citations), "verification kept the computation's citations"
    quotes = "".join(cited[n].quote for n in computation.citations)
    assert "9900亿元" in quotes and "8800亿元" in quotes


def test_a_trend_is_a_table_of_year_figure_and_citation(figures_service) -> None:
    answer = _ask(figures_service, "浙江2023年到2025年地区生产总值增长目标分别是多少？")
    assert not answer.refused
    rows = [line for line in answer.answer.splitlines() if line.startswith("| 浙江省")]
    assert [r.split("|")[1].strip()[3:8] for r in rows] == ["2023年", "2024年", "2025年"]
    cited = "".join(c.text for c in answer.citations)
    assert all(f"{year}年" in cited for year in (2023, 2024, 2025)), "each row's year stands in a cited passage"
    assert ["5%以上" in rows[0], "5.5%左右" in rows[1], "5.5%左右" in rows[2]] == [True, True, True]
    assert all("[" in r.split("|")[3] for r in rows)


def test_a_near_miss_is_refused_with_what_the_report_does_give(figures_service) -> None:
    answer = _ask(figures_service, "2024年浙江PM2.5平均浓度是多少？")
    assert answer.refused and "报告只给出" in answer.answer and "下降4%" in answer.answer
    assert "没有给出" in answer.answer


def test_a_level_no_report_states_is_computed_from_the_next_years_level_and_change(figures_service) -> None:
    answer = _ask(figures_service, "浙江2023年空气优良天数是多少天？")
    assert not answer.refused and "290天" in answer.answer and "12天" in answer.answer
    [computation] = answer.computations
    assert (computation.expression, computation.result) == ("290-12", "278天")
    assert "278天" in answer.answer


def test_a_level_computed_the_same_way_where_the_change_is_written_before_it(figures_service) -> None:
    answer = _ask(figures_service, "江苏2023年进出口总额是多少？")
    assert not answer.refused and "52000亿元" in answer.answer and "比上年增加3000亿元" in answer.answer
    [computation] = answer.computations
    assert computation.result == "49000亿元"


def test_two_indicators_of_one_place_and_year_are_compared_by_name(figures_service) -> None:
    answer = _ask(figures_service, "浙江2024年城镇居民和农村居民收入哪个涨得快？")
    assert not answer.refused and "4.6%" in answer.answer and "7.4%" in answer.answer
    assert "农村居民人均可支配收入更高" in answer.answer


def test_a_sum_over_several_years_adds_each_years_figure(figures_service) -> None:
    answer = _ask(figures_service, "浙江2023年到2025年城镇新增就业目标加起来一共多少？")
    assert not answer.refused
    [computation] = answer.computations
    assert (computation.expression, computation.result) == ("100+100+100", "300万人")
    assert len(computation.citations) >= 1 and "300万人" in answer.answer
    assert "未计入“以上”" in answer.answer, "a sum of bounds says it left their qualifier out"
