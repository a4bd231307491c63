"""Tests for rag.condense: a follow-up becomes a standalone question that keeps the conversation's
place, year and topic unless it names its own."""
from __future__ import annotations

from rag.condense import condense
from rag.constraints import Library, QueryConstraints, parse_constraints
from rag.records import Turn
from tests.rag.test_constraints import SAMPLE_DOCS, _doc

LIBRARY = Library.from_documents(SAMPLE_DOCS)


def _chat(*questions: str) -> list[Turn]:
    turns: list[Turn] = []
    for question in questions:
        turns.append(condense(question, turns[-1] if turns else None, LIBRARY))
    return turns


def test_a_first_question_stands_as_asked():
    [turn] = _chat("  郑州2020年中欧班列开了多少班？ ")
    assert turn.standalone == turn.question == "郑州2020年中欧班列开了多少班？"
    assert turn.constraints == QueryConstraints(("郑州市",), (), (2020,))
    assert turn.topic == "中欧班列"


def test_next_year_moves_the_year_on_and_keeps_place_and_topic():
    _, turn = _chat("郑州2020年中欧班列开了多少班？", "下一年呢，目标开到多少班？")
    assert "郑州" in turn.standalone and "2021年" in turn.standalone and "中欧班列" in turn.standalone
    assert "2020" not in turn.standalone and "下一年" not in turn.standalone
    assert turn.constraints == QueryConstraints(("郑州市",), (), (2021,))
    assert "目标开到多少班" in turn.standalone


def test_the_standalone_question_reads_back_to_the_same_place_and_year():
    # Retrieval and the user both see the standalone question: it must say what the turn means.
    for turn in _chat("郑州2020年中欧班列开了多少班？", "下一年呢，目标开到多少班？", "那2019年呢？",
                      "郑州2020年金融业增加值多少？", "那金水区呢？", "那惠济呢？"):
        own = parse_constraints(turn.standalone, LIBRARY)
        assert (own.regions, own.years) == (turn.constraints.regions, turn.constraints.years), turn.standalone


def test_a_new_topic_keeps_the_place_and_drops_the_old_topic():
    _, turn = _chat("新乡这份报告对高标准农田是怎么安排的？", "那它有没有说粮食总产量要达到多少？")
    assert "新乡" in turn.standalone and "粮食总产量" in turn.standalone
    assert "高标准农田" not in turn.standalone
    assert "它" not in turn.standalone
    assert turn.constraints == QueryConstraints(("新乡市",), (), ())
    assert turn.topic == "粮食总产量"


def test_another_place_replaces_the_place_and_keeps_year_and_topic():
    _, turn = _chat("郑州2020年金融业增加值多少？", "那金水区呢？")
    assert "金水区" in turn.standalone and "2020年" in turn.standalone and "金融业增加值" in turn.standalone
    assert "郑州" not in turn.standalone          # the old place is gone, not listed beside the new one
    assert turn.constraints == QueryConstraints(("金水区",), (), (2020,))


def test_a_short_place_name_in_a_follow_up_is_the_stored_region():
    *_, turn = _chat("郑州2020年金融业增加值多少？", "那金水区呢？", "那惠济呢？")
    assert turn.standalone == "惠济区2020年金融业增加值多少？"


def test_another_year_replaces_the_year():
    _, turn = _chat("惠济区2023年商品房卖了多少面积？", "那2022年呢？")
    assert turn.standalone == "惠济区2022年商品房卖了多少面积？"


def test_the_previous_year_moves_the_year_back():
    _, turn = _chat("惠济区2023年商品房卖了多少面积？", "上一年呢？")
    assert turn.constraints.years == (2022,) and "2022年" in turn.standalone


def test_an_elliptical_follow_up_borrows_the_topic():
    _, _, turn = _chat("金水区2019年新登记的市场主体有多少户？", "那郑州呢？", "总量呢？")
    assert turn.constraints == QueryConstraints(("郑州市",), (), (2019,))
    assert "市场主体" in turn.standalone and "总量" in turn.standalone


def test_a_follow_up_about_a_ranking_borrows_the_topic_it_ranks():
    _, turn = _chat("郑州机场2020年旅客吞吐量是多少？", "在全国排第几？")
    assert turn.standalone == "郑州市2020年机场旅客吞吐量在全国排第几？"


def test_a_topic_jieba_splits_into_verb_and_noun_is_carried_whole():
    _, turn = _chat("惠济区2024年打算建成多少安置房？", "那2023年实际建成了多少？回迁了多少人？")
    assert turn.standalone == "惠济区2023年安置房实际建成了多少？回迁了多少人？"


def test_a_follow_up_with_its_own_topic_keeps_place_and_year():
    _, turn = _chat("惠济区2024年的主要预期目标有哪些？", "地区生产总值增长多少？")
    assert turn.standalone == "惠济区2024年地区生产总值增长多少？"


def test_an_unknown_place_is_carried_forward_and_named_once():
    _, turn = _chat("郑州市中原区2023年一般公共预算收入是多少？", "那2022年呢？")
    assert turn.constraints == QueryConstraints((), ("中原区",), (2022,))
    assert turn.standalone == "中原区2022年一般公共预算收入是多少？"


def test_a_known_place_after_an_unknown_one_replaces_it_in_the_question():
    *_, turn = _chat("郑州市中原区2023年一般公共预算收入是多少？", "那2022年呢？", "那惠济区呢？")
    assert turn.constraints == QueryConstraints(("惠济区",), (), (2022,))
    assert turn.standalone == "惠济区2022年一般公共预算收入是多少？"


def test_a_follow_up_naming_a_place_the_library_lacks_drops_the_previous_place():
    first, follow = _chat("郑州2020年金融业增加值多少？", "那桃源县呢？")
    assert follow.constraints.regions == () and follow.constraints.unknown_places == ("桃源县",)


def test_an_elliptical_follow_up_with_its_own_topic_does_not_borrow_the_previous_one():
    _, follow = _chat("金水区2019年新登记的市场主体有多少户？", "那技术合同成交额呢？")
    assert "技术合同成交额" in follow.standalone and "市场主体" not in follow.standalone
    assert "金水区" in follow.standalone and "2019" in follow.standalone


NATIONAL_LIBRARY = Library.from_documents([*SAMPLE_DOCS, *(_doc(f"{y}_国务院.txt", "全国", None, y) for y in (1986, 1987))])


def test_a_new_figure_asked_of_the_same_report_keeps_the_report_and_year():
    first = condense("1987年政府工作报告里说1986年钢产量是多少？", None, NATIONAL_LIBRARY)
    turn = condense("那发电量呢？", first, NATIONAL_LIBRARY)
    assert turn.standalone == "1987年政府工作报告里说1986年发电量是多少？"
    assert turn.constraints == first.constraints


def test_another_year_asked_with_a_de_asks_the_same_question_of_that_year():
    first = condense("2022年国务院政府工作报告的赤字率安排是多少？", None, NATIONAL_LIBRARY)
    turn = condense("那2019年的呢？", first, NATIONAL_LIBRARY)
    assert "赤字率" in turn.standalone and "2019年" in turn.standalone and "2022" not in turn.standalone
