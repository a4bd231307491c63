"""The name reader on made-up sentences: what is asked to be named, and the span that names it."""
from __future__ import annotations

import pytest

from rag.generate.name_reader import NameAsk, editions_named, name_asked, named_span


@pytest.mark.parametrize("question, sentence, name", [
    ("上海2025年要办好的是第几届进博会？", "精心办好第八届进博会，放大溢出效应。", "第八届进博会"),
    ("某省2025年要举办第几届运动会？", "高水平办好第十五届全国运动会和残特奥会。", "第十五届全国运动会"),
    ("湖北2024年哪位院士获得了国家最高科学技术奖？", "李德仁院士获国家最高科学技术奖。", "李德仁院士"),
    ("某区哪个村被评为示范村？", "深化和美乡村建设，孙庄村全面建成和美乡村，被评为示范村。", "孙庄村"),
    ("内蒙古2024年哪处遗产申遗成功了？", "巴丹吉林沙漠—沙山湖泊群申遗成功。", "巴丹吉林沙漠—沙山湖泊群"),
    ("某市的报告是哪位市长作的？", "某市人民政府市长 张 明", "市长 张 明"),
    ("某市2020年的政府工作报告是谁作的？", "5月14日，副省长、某市市长王新伟在市十五届人大三次会议上作报告。", "市长王新伟"),
    ("疫情期间出台的惠企政策简称是什么？", "深度开展“三送一强”活动，出台“金水十条”惠企政策。", "“金水十条”"),
    # A name jieba does not know: the subject of the clause that says what the person did.
    ("2016年报告里哪位科学家获得了诺贝尔奖？", "国产大型客机总装下线，屠呦呦获得诺贝尔生理学或医学奖。", "屠呦呦"),
    # A name before an honorific, read in traditional characters and given as written.
    ("会议上关于预算的报告是谁作的？", "會議聽取了張明同志關於預算的報告。", "張明"),
])
def test_the_name_asked_for_is_the_span_the_sentence_writes(question: str, sentence: str, name: str):
    ask = name_asked(question)
    assert ask is not None
    span = named_span(ask, sentence)
    assert span is not None and span.text == name
    assert sentence[span.start:span.end] == name


@pytest.mark.parametrize("question", [
    "郑州2020年GDP是多少？", "哪个区的生产总值最高？", "2025年重点工作有哪些？", "主要目标包括哪几项？",
])
def test_figures_comparisons_and_lists_ask_for_no_name(question: str):
    assert name_asked(question) is None


def test_the_kind_and_what_it_did_are_read_from_the_question():
    assert name_asked("内蒙古2024年哪处遗产申遗成功了？") == NameAsk("which", "遗产", "申遗")
    assert name_asked("湖北2024年哪位院士获得了国家最高科学技术奖？") == NameAsk("person", "院士", "获得")


@pytest.mark.parametrize("question, sentence", [
    ("上海2025年要办好的是第几届进博会？", "办好进博会，放大溢出效应。"),
    ("某市2020年的政府工作报告是谁作的？", "主动加强与开封、新乡、许昌四市对接。"),
    ("某区的报告是哪位区长作的？", "金水区人民政府区长"),
    ("哪家企业建了新工厂？", "加强企业管理，建了新工厂。"),
    # "哪位市长" asks for one with that title: a comrade named in the sentence is not the one.
    ("某市的报告是哪位市长作的？", "团结在以习近平同志为核心的党中央周围。"),
])
def test_a_sentence_that_names_nothing_of_the_kind_gives_no_name(question: str, sentence: str):
    ask = name_asked(question)
    assert ask is not None and named_span(ask, sentence) is None


def test_editions_in_a_national_report():
    from tests.conftest import CORPUS_NATIONAL

    text = (CORPUS_NATIONAL / "2019_国务院.txt").read_text(encoding="utf-8")
    sentence = next(s for s in text.split("。") if "世界军人运动会" in s)
    span = named_span(name_asked("2019年要办好第几届世界军人运动会？"), sentence)
    assert span is not None and span.text == "第七届世界军人运动会"


def test_a_one_character_verb_does_not_place_a_name():
    ask = name_asked("某市这份政府工作报告是哪位市长作的？")
    assert ask is not None and named_span(ask, "政府工作报告") is None


def test_a_pronoun_doing_what_was_asked_is_no_name():
    ask = name_asked("哪位科学家获得了诺贝尔奖？")
    assert ask is not None and named_span(ask, "在此基础上，我们获得诺贝尔奖提名。") is None


def test_the_editions_a_question_names_are_read_and_an_edition_asked_for_is_not_one():
    assert editions_named("第六届全国人大期间，国务院是在哪位总理主持下工作的？") == ("第六届",)
    assert editions_named("上海2025年要办好的是第几届进博会？") == ()


def test_a_speaker_named_before_an_honorific_in_a_traditional_national_report():
    from tests.conftest import CORPUS_NATIONAL

    text = (CORPUS_NATIONAL / "1954_国务院.txt").read_text(encoding="utf-8")
    sentence = next(s for s in text.split("。") if "劉少奇同志" in s)
    span = named_span(name_asked("1954年关于宪法草案的报告是谁作的？"), sentence)
    assert span is not None and span.text == "劉少奇"
