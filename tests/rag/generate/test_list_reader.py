"""The list reader on made-up passages: every shape of enumeration read to its end."""
from __future__ import annotations

import pytest

from rag.generate.list_reader import enumeration_size, inline_items, items_asked, list_fit, list_items, parallel_items
from rag.sentences import TextSpan, sentences


def _items(text: str, head_contains: str, offset: int = 0) -> list[str]:
    head = next(s for s in sentences(text, offset) if head_contains in s.text)
    spans = list_items(text, head, offset)
    assert all(text[s.start - offset:s.end - offset] == s.text for s in spans)
    return [s.text for s in spans]


def test_a_targets_paragraph_is_read_across_every_semicolon_whichever_clause_was_found():
    text = ("今年全省经济社会发展的主要预期目标是：经济增长6%左右；城镇新增就业70万人以上；"
            "居民消费价格涨幅3%左右；粮食产量保持在550亿斤以上。\n二、重点工作")
    expected = ["今年全省经济社会发展的主要预期目标是：经济增长6%左右；", "城镇新增就业70万人以上；",
                "居民消费价格涨幅3%左右；", "粮食产量保持在550亿斤以上。"]
    assert _items(text, "经济增长6%") == expected
    assert _items(text, "粮食产量") == expected


def test_the_items_after_a_heading_sentence_are_read_without_their_lead_in():
    text = "突出“四个更加注重”。即:更加注重改革开放;更加注重稳增长;更加注重民生改善;更加注重治理能力。\n\n下一段。"
    assert _items(text, "四个更加注重") == ["更加注重改革开放;", "更加注重稳增长;", "更加注重民生改善;", "更加注重治理能力。"]


def test_a_heading_that_ends_with_a_colon_announces_the_lines_after_it():
    text = "重点做好以下工作：\n（一）稳住农业基本盘；\n（二）扩大有效投资；\n（三）提升消费能级。"
    assert _items(text, "以下工作") == ["（一）稳住农业基本盘；", "（二）扩大有效投资；", "（三）提升消费能级。"]


def test_ordinals_are_followed_while_the_count_goes_on_from_the_heading_or_any_item():
    text = ("办好十件民生实事。一是新增城镇就业8万人。二是改造老旧小区120个，加装电梯300部；新建停车位5000个。"
            "三是新建学校6所。统一是关键。")
    expected = ["一是新增城镇就业8万人。", "二是改造老旧小区120个，加装电梯300部；新建停车位5000个。", "三是新建学校6所。"]
    assert _items(text, "十件民生实事") == expected
    assert _items(text, "二是") == expected


def test_a_sentence_that_belongs_to_no_enumeration_has_no_items():
    text = "（一）扩大内需。推进消费升级。\n（二）发展产业。建设园区，增长1.5%。"
    assert _items(text, "推进消费") == []
    assert _items(text, "建设园区") == []


def test_offsets_are_canonical_when_the_text_starts_inside_a_report():
    text = "目标是：增长5%；就业稳定。"
    head = sentences(text, 1000)[0]
    assert list_items(text, head, 1000) == [TextSpan(1000, 1009, "目标是：增长5%；"), TextSpan(1009, 1014, "就业稳定。")]


def test_a_list_in_a_national_report_is_read_whole():
    from tests.conftest import CORPUS_NATIONAL

    text = (CORPUS_NATIONAL / "2025_国务院.txt").read_text(encoding="utf-8")
    items = _items(text, "国内生产总值增长5%左右")
    assert len(items) >= 6
    assert any("粮食产量1.4万亿斤左右" in i for i in items)
    assert items[-1].endswith("。")


def test_an_ordinal_sequence_ends_where_the_next_section_counts_again():
    text = ("一、对象\n同时符合以下条件的，可申领：\n（一）参加失业保险；\n（二）取得证书；\n二、标准\n"
            "（一）初级工补贴1000元；\n（二）中级工补贴1500元；\n（三）高级工补贴2000元。")
    assert _items(text, "可申领") == ["（一）参加失业保险；", "（二）取得证书；"]
    assert _items(text, "中级工") == ["（一）初级工补贴1000元；", "（二）中级工补贴1500元；", "（三）高级工补贴2000元。"]


def test_ordinals_that_open_inside_the_heading_sentence_are_read_to_their_end():
    text = ("做好今年工作，要坚决做到“三个必须”:一是必须坚持党的领导。强化政治引领。二是必须注重发展为要。"
            "聚焦项目。\n三是必须坚持发展为民。倾听呼声。")
    assert _items(text, "三个必须") == ["一是必须坚持党的领导。", "二是必须注重发展为要。", "三是必须坚持发展为民。"]


def test_a_list_written_inside_one_clause_is_counted_by_its_enumeration_commas():
    assert inline_items("以招商引资、项目建设、城市更新“三项工作”为切口，推动发展。") == 3
    assert inline_items("推进消费升级，扩大有效投资。") == 0


def test_the_size_of_an_enumeration_is_its_items_read_to_the_end_or_written_inline():
    text = "突出“三个更加注重”。即：更加注重改革；更加注重民生；更加注重治理。其他。"
    head = sentences(text)[0]
    assert enumeration_size(text, head) == 3
    inline = "培育生物制造、量子科技、具身智能等未来产业。"
    assert enumeration_size(inline, sentences(inline)[0]) == 3


def test_a_sentence_listing_as_many_items_as_asked_fits_best_and_one_listing_nothing_least():
    assert list_fit(3, 3) > list_fit(3, 4) > list_fit(3, 0)
    assert list_fit(0, 4) > list_fit(0, 2) > list_fit(0, 1)


def test_an_inline_list_of_a_national_report_is_counted_whole():
    from tests.conftest import CORPUS_NATIONAL

    text = (CORPUS_NATIONAL / "2025_国务院.txt").read_text(encoding="utf-8")
    sentence = next(s for s in sentences(text) if "具身智能" in s.text and "未来产业" in s.text)
    assert enumeration_size(text, sentence) == 4


@pytest.mark.parametrize("sentence, size", [
    ("神舟十号遨游太空，嫦娥三号成功登月，蛟龙深潜再创纪录。", 3),
    ("长吉高铁提速运行，查干湖冬捕再创纪录，雪博会圆满举办，冰雪经济快速发展。", 4),
    # Clauses going on from one subject list nothing.
    ("我们从容应对挑战，奋力攻坚克难，圆满实现全年目标。", 0),
    ("全省经济运行稳中有进，向新向好。", 0),
])
def test_parallel_clauses_each_with_its_own_subject_are_a_list(sentence: str, size: int):
    assert parallel_items(sentence) == size


def test_parallel_clauses_in_a_national_report():
    from tests.conftest import CORPUS_NATIONAL

    text = (CORPUS_NATIONAL / "2014_国务院.txt").read_text(encoding="utf-8")
    sentence = next(s for s in text.split("。") if "嫦娥三号" in s)
    assert parallel_items(sentence) >= 3


@pytest.mark.parametrize("question, items", [
    ("2014年报告回顾2013年时提到了哪些航天、深潜成就？", ("航天", "深潜")),
    ("某省有哪些交通、水利、能源项目？", ("交通", "水利", "能源")),
    ("某省2025年有哪些主要目标？", ()),
])
def test_the_items_a_list_question_enumerates_itself(question: str, items: tuple[str, ...]):
    assert items_asked(question) == items
