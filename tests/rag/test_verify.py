"""Tests for rag.verify: every number stands in a passage its sentence cites, every marker names a given
passage, and an answer left with nothing is a refusal ("")."""
from __future__ import annotations

import pytest

from rag.cite import cite
from rag.compute import Computation
from rag.generate.base import Draft
from rag.records import Citation
from rag.verify import verify_answer
from tests.rag.test_cite import FINANCE, HOUSING, HUIJI_2024, INDUSTRY, ZHENGZHOU_2021, passage, text_of


def citation(n: int, text: str, doc: str = ZHENGZHOU_2021) -> Citation:
    return Citation(n=n, doc=doc, start=0, end=len(text), text=text, quote=text, quote_start=0, quote_end=len(text),
                    title="某报告", region="郑州市", year=2021, section="")


@pytest.fixture()
def citations() -> list[Citation]:
    return [citation(1, FINANCE), citation(2, HOUSING, HUIJI_2024)]


def test_the_docstring_example_holds():
    result = verify_answer("生产总值增长6.5%[1]\n人口增长9%[1]", [citation(1, "地区生产总值增长6.5%。")])
    assert result.text == "生产总值增长6.5%[1]"
    assert result.dropped == ("人口增长9%[1]",)


def test_a_sentence_whose_numbers_stand_in_its_cited_passage_is_kept(citations):
    answer = "金融业增加值完成1302.9亿元、增长4.1%[1]。"
    result = verify_answer(answer, citations)
    assert result.text == answer and result.dropped == ()
    assert [c.n for c in result.citations] == [1]


def test_a_sentence_with_a_number_no_cited_passage_holds_is_dropped(citations):
    result = verify_answer("金融业增加值完成1302.9亿元[1]。金融业增长5.2%[1]。", citations)
    assert result.text == "金融业增加值完成1302.9亿元[1]。"
    assert result.dropped == ("金融业增长5.2%[1]。",)


def test_a_number_must_stand_in_a_passage_that_sentence_cites_not_in_another(citations):
    # 122.7 stands in passage [2], but this sentence cites [1].
    result = verify_answer("商品房销售122.7万平方米[1]。金融业增长4.1%[1]。", citations)
    assert result.text == "金融业增长4.1%[1]。"


def test_a_sentence_without_markers_is_backed_by_the_markers_of_its_line(citations):
    assert verify_answer("金融业增加值完成1302.9亿元，增长4.1%。[1]", citations).text == "金融业增加值完成1302.9亿元，增长4.1%。[1]"
    result = verify_answer("金融业增长4.1%。\n商品房销售122.7万平方米[2]", citations)
    assert result.text == "商品房销售122.7万平方米[2]"     # the first line has no marker at all


def test_numbers_match_across_full_and_half_width(citations):
    assert verify_answer("金融业增长４．１％[1]。", citations).text == "金融业增长４．１％[1]。"


def test_a_marker_naming_a_passage_that_was_not_given_is_caught(citations):
    # As cite leaves it: [?n].
    result = verify_answer("金融业增长4.1%[1]。存贷比达110%以上[?7]。", citations)
    assert result.text == "金融业增长4.1%[1]。"
    assert result.dropped == ("存贷比达110%以上[?7]。",)


def test_a_bare_marker_naming_no_citation_is_caught_even_without_numbers(citations):
    result = verify_answer("金融业增长4.1%[1]。郑州加快建设国家中心城市[5]。", citations)
    assert result.text == "金融业增长4.1%[1]。"
    assert "[5]" not in result.text and result.dropped == ("郑州加快建设国家中心城市[5]。",)


def test_a_sentence_citing_a_missing_passage_is_not_rescued_by_its_neighbours_markers(citations):
    result = verify_answer("金融业增长4.1%[1]。存贷比达110%以上[?7]。", [citation(1, FINANCE)])
    assert "110" not in result.text


def test_a_missing_marker_beside_a_valid_one_is_removed_and_the_sentence_kept(citations):
    assert verify_answer("金融业增长4.1%[1][?4]。", citations).text == "金融业增长4.1%[1]。"
    assert verify_answer("金融业增长4.1%[1][9]。", citations).text == "金融业增长4.1%[1]。"


def test_an_answer_left_empty_is_a_refusal(citations):
    result = verify_answer("金融业增长5.2%[1]。商品房销售99万平方米[2]。", citations)
    assert result.text == "" and result.citations == ()
    assert len(result.dropped) == 2


def test_an_answer_that_cites_nothing_is_a_refusal(citations):
    assert verify_answer("郑州的金融业发展很好。", citations).text == ""
    assert verify_answer("", citations).text == ""


def test_only_citations_still_used_are_kept(citations):
    result = verify_answer("金融业增长4.1%[1]。商品房销售99万平方米[2]。", citations)
    assert [c.n for c in result.citations] == [1]


def test_citation_markers_are_not_numbers_to_ground(citations):
    # "[2]" must not count as the number 2 that passage [1] would have to hold.
    assert verify_answer("金融业增长4.1%[1][2]。", citations).text == "金融业增长4.1%[1][2]。"


def test_cite_then_verify_keeps_what_the_passages_say_and_drops_the_rest():
    passages = [passage(ZHENGZHOU_2021, INDUSTRY), passage(ZHENGZHOU_2021, FINANCE), passage(HUIJI_2024, HOUSING)]
    draft = Draft(text="郑州金融业增加值完成1302.9亿元，增长4.1%[2]。\n“上云企业”达到5万家[1]。\n惠济区商品房销售122.7万平方米[3]。\n另有[8]。",
                  quotes={})
    text, citations = cite(draft, passages, text_of)
    result = verify_answer(text, citations)
    assert result.text == "郑州金融业增加值完成1302.9亿元，增长4.1%[1]。\n惠济区商品房销售122.7万平方米[3]。"
    assert [c.n for c in result.citations] == [1, 3]
    for c in result.citations:
        assert c.text == text_of(c.doc)[c.start:c.end]


def test_a_computed_difference_of_two_percentages_keeps_its_operands_as_the_expression_writes_them():
    # "5.2 − 3" takes 3 from "增长3%": the operand stands, the percent sign is the unit the result carries.
    cited = [citation(1, "国内生产总值增长5.2%。"), citation(2, "全年国内生产总值增长3%。")]
    line = "计算：5.2 − 3 = **2.2个百分点**，据[1][2]计算"
    result = verify_answer(line, cited, [Computation("5.2-3", "2.2个百分点", (1, 2))])
    assert result.text == line


def test_an_operand_does_not_stand_in_a_sentence_that_cites_only_one_side():
    cited = [citation(1, "国内生产总值增长5.2%。"), citation(2, "全年国内生产总值增长3%。")]
    result = verify_answer("增长5.2%，另有3项[1]", cited, [Computation("5.2-3", "2.2个百分点", (1, 2))])
    assert result.text == ""
