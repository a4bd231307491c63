"""Tests for rag.cite: markers renumbered by first use, each citation the exact canonical span with its quote."""
from __future__ import annotations

from functools import lru_cache

import pytest

from rag.cite import MARKER, cite
from rag.clean import clean_text
from rag.generate.base import Draft
from rag.retrieve import RetrievedPassage
from vectorstore.records import StoredChunk
from tests.conftest import REPORTS

ZHENGZHOU_2021 = "003_18bb18e33f05a5d4.txt"
HUIJI_2024 = "001_bbc2bd414da68544.txt"

FINANCE = "现代服务业提质增效。金融业增加值完成1302.9亿元、增长4.1%、占GDP比重10.9%；存贷款余额分别突破2.4万亿元、2.8万亿元，存贷比达110%以上；"
INDUSTRY = "新增“接链”企业2837家，“上云企业”达到3.2万家。"
HOUSING = "全年商品房销售122.7万平方米,同比增长38%"


@lru_cache(maxsize=None)
def text_of(doc: str) -> str:
    return clean_text((REPORTS / doc).read_text(encoding="utf-8"))


def passage(doc: str, snippet: str, score: float = 1.0) -> RetrievedPassage:
    """The passage of `doc` that is exactly `snippet`, as the store would return it."""
    text = text_of(doc)
    start = text.index(snippet)
    end = start + len(snippet)
    chunk = StoredChunk(chunk_id=f"{doc}:{start}", doc_id=doc[:16], doc=doc, index=0, start=start, end=end,
                        text=text[start:end], header="h", section="一、回顾", title="某报告", region="郑州市",
                        year=2021, period_year=2020)
    return RetrievedPassage(chunk=chunk, score=score)


@pytest.fixture()
def passages() -> list[RetrievedPassage]:
    return [passage(ZHENGZHOU_2021, INDUSTRY), passage(ZHENGZHOU_2021, FINANCE), passage(HUIJI_2024, HOUSING)]


def test_citations_are_renumbered_by_first_use(passages):
    draft = Draft(text="金融业增加值完成1302.9亿元[2]。\n全年商品房销售122.7万平方米[3]，金融业增长4.1%[2]。", quotes={})
    text, citations = cite(draft, passages, text_of)
    assert text == "金融业增加值完成1302.9亿元[1]。\n全年商品房销售122.7万平方米[2]，金融业增长4.1%[1]。"
    assert [(c.n, c.doc, c.start) for c in citations] == [
        (1, ZHENGZHOU_2021, passages[1].chunk.start), (2, HUIJI_2024, passages[2].chunk.start)]


def test_only_the_passages_the_answer_uses_are_cited(passages):
    _, citations = cite(Draft(text="“上云企业”达到3.2万家[1]。", quotes={}), passages, text_of)
    assert [c.doc for c in citations] == [ZHENGZHOU_2021] and len(citations) == 1


def test_each_citation_text_is_the_canonical_text_at_its_offsets(passages):
    draft = Draft(text="A[3]。B[1]。C[2]。", quotes={})
    _, citations = cite(draft, passages, text_of)
    assert len(citations) == 3
    for c in citations:
        assert c.text == text_of(c.doc)[c.start:c.end]
        assert c.quote == text_of(c.doc)[c.quote_start:c.quote_end]


def test_the_quote_is_the_passage_sentence_that_supports_the_answer(passages):
    draft = Draft(text="金融业增加值完成1302.9亿元[1]。", quotes={})
    _, [citation] = cite(draft, [passages[1]], text_of)
    assert citation.start <= citation.quote_start < citation.quote_end <= citation.end
    assert citation.quote.startswith("金融业增加值完成1302.9亿元")
    assert citation.quote in citation.text


def test_the_generators_own_quote_is_kept(passages):
    text = text_of(ZHENGZHOU_2021)
    q_start = text.index("存贷比达110%以上")
    q_end = q_start + len("存贷比达110%以上")
    draft = Draft(text="存贷比达110%以上[2]。", quotes={2: (q_start, q_end)})
    _, [citation] = cite(draft, passages, text_of)
    assert (citation.quote, citation.quote_start, citation.quote_end) == ("存贷比达110%以上", q_start, q_end)
    assert citation.start <= citation.quote_start < citation.quote_end <= citation.end


def test_a_marker_naming_no_given_passage_is_left_marked_for_verification(passages):
    text, citations = cite(Draft(text="甲[5]。乙[0]。丙[2]。", quotes={}), passages, text_of)
    assert text == "甲[?5]。乙[?0]。丙[1]。"
    assert [c.n for c in citations] == [1]


def test_a_draft_without_markers_cites_nothing(passages):
    assert cite(Draft(text="报告中没有找到。", quotes={}), passages, text_of) == ("报告中没有找到。", [])


def test_citations_carry_the_passage_record(passages):
    _, [c] = cite(Draft(text="x[1]", quotes={}), passages, text_of)
    chunk = passages[0].chunk
    assert (c.title, c.region, c.year, c.section) == (chunk.title, chunk.region, chunk.year, chunk.section)
    assert c.to_json()["text"] == c.text and c.to_json()["n"] == 1


def test_markers_are_one_to_three_digits_in_square_brackets():
    assert MARKER.findall("a[1]b[12]c[123]d[1234]e【1】") == ["1", "12", "123"]
