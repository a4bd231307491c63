"""Places and years decide what is searched or refused, on the real store and model (the five samples)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _scope_refusal(service, question: str) -> str | None:
    return service.retriever.scope_refusal(service.retriever.constraints(question))


@pytest.mark.parametrize("question, place", [
    ("台湾地区2025年GDP增长目标是多少？", "台湾地区"),
    ("雄安新区2025年地区生产总值增长目标是多少？", "雄安新区"),
    ("澳门2025年本地生产总值预计增长多少？", "澳门"),
    ("浦东新区2024年GDP是多少？", "浦东新区"),
    # A city or county written without 市/县, and an area of its own.
    ("成都2024年地区生产总值是多少？", "成都"),
    ("兰考2023年粮食产量是多少？", "兰考"),
    ("苏州工业园区2024年GDP是多少？", "苏州工业园区"),
])
def test_a_place_no_report_and_no_passage_names_is_refused_by_name(service, question, place):
    answer = service.ask(question)
    assert answer.refused and f"资料库里没有{place}的政府工作报告" in answer.answer
    assert not answer.citations


def test_a_place_without_a_report_is_answered_from_the_passages_that_name_it(service):
    answer = service.ask("被认定为河南省3A级乡村康养旅游示范村的是哪个村？")
    assert not answer.refused and "孙庄村" in answer.answer
    assert all("河南省" in p.chunk.text for p in answer.retrieved)


def test_a_year_the_library_has_nothing_on_is_refused_with_the_years_it_has(service):
    answer = service.ask("郑州1999年地区生产总值是多少？")
    assert answer.refused and "1999年" in answer.answer
    assert "2020年" in answer.answer and "2021年" in answer.answer


def test_a_year_reviewed_by_a_later_report_is_not_refused_for_want_of_its_own_report(service):
    # No 2019 report of 金水区, but its 2020 report reviews 2019 ("一、2019年以来工作回顾").
    assert _scope_refusal(service, "金水区2019年新登记的市场主体有多少户？") is None


def test_the_report_of_a_year_asked_for_by_name_must_be_in_the_library(service):
    reason = _scope_refusal(service, "2019年的金水区政府工作报告说了什么？")
    assert reason and "2019年" in reason and "2020年" in reason


def test_a_year_carried_over_from_the_previous_turn_never_refuses_a_follow_up(service):
    from rag.records import ChatSession

    session = ChatSession()
    service.ask("惠济区2023年安置房回迁了多少群众？", session)
    answer = service.ask("换成金水区那份报告呢，回顾的那一年安置房新回迁了多少群众？", session)
    assert "只有2020年" not in answer.answer
