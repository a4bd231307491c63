"""Names answered by the extractive generator from made-up passages: the layout a report sets a speaker in,
and the edition a question names."""
from __future__ import annotations

from rag.constraints import QueryConstraints
from rag.generate.extractive import ExtractiveGenerator
from rag.retrieve import RetrievedPassage
from rag.settings import AnswerSettings
from vectorstore.records import StoredChunk


def _passage(text: str, year: int, doc: str) -> RetrievedPassage:
    chunk = StoredChunk(chunk_id=f"{doc}:0", doc_id=doc, doc=doc, index=0, start=0, end=len(text), text=text,
                        header="h", section="", title="政府工作报告", region="全国", year=year, period_year=year)
    return RetrievedPassage(chunk=chunk, score=1.0)


def test_a_speaker_whose_name_stands_on_the_line_under_the_title_is_named():
    text = "政府工作报告\n\n——2030年3月5日在第十六届全国人民代表大会第三次会议上\n\n国务院总理\n张\u3000明\n\n各位代表："
    draft = ExtractiveGenerator(AnswerSettings()).generate(
        "2030年国务院政府工作报告是哪位总理作的？", QueryConstraints(("全国",), (), (2030,), (2030,)),
        [_passage(text, 2030, "2030_国务院.txt")])
    assert draft.text.startswith("**总理张明**[1]")


def test_a_question_naming_an_edition_is_not_answered_from_a_passage_of_another():
    text = "政府工作报告\n\n——2030年3月5日在第十六届全国人民代表大会第三次会议上\n\n国务院总理\n张\u3000明"
    draft = ExtractiveGenerator(AnswerSettings()).generate(
        "第九届全国人大期间，国务院是在哪位总理主持下工作的？", QueryConstraints(("全国",), (), (), ()),
        [_passage(text, 2030, "2030_国务院.txt")])
    assert draft.text == ""


def test_a_question_about_what_a_years_report_says_reads_its_five_year_review_too():
    text = ("一、过去五年工作回顾\n过去五年，我们坚决打好污染防治攻坚战。制定实施大气、水、土壤污染防治三个“十条”"
            "并取得扎实成效。\n")
    passage = _passage(text, 2030, "2030_国务院.txt")
    draft = ExtractiveGenerator(AnswerSettings()).generate(
        "2030年报告说制定实施的污染防治三个“十条”分别针对什么？", QueryConstraints(("全国",), (), (2030,), (2030,)),
        [passage])
    assert "大气、水、土壤" in draft.text
    # A question about the year itself is not answered from a paragraph summing up five years.
    draft = ExtractiveGenerator(AnswerSettings()).generate(
        "2030年污染防治三个“十条”分别针对什么？", QueryConstraints(("全国",), (), (2030,), ()), [passage])
    assert "大气、水、土壤" not in draft.text
