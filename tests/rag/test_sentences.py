"""The shared sentence and clause reader: where sentences and clauses end, and offsets that point into the text."""
from __future__ import annotations

import pytest

from rag.sentences import clauses, sentences

TEXT = "他说：“今年增长5%。”然后呢！好吧？\n\n  第二行没有句号  \n主要目标；粮食产量1.4万亿斤。"


def test_sentences_end_at_marks_with_their_closing_quotes_and_at_line_breaks() -> None:
    assert [s.text for s in sentences(TEXT)] == ["他说：“今年增长5%。”", "然后呢！", "好吧？", "第二行没有句号", "主要目标；",
                                                 "粮食产量1.4万亿斤。"]


def test_clauses_also_end_at_commas_and_colons() -> None:
    assert [c.text for c in clauses("城镇调查失业率5.5%左右，城镇新增就业1200万人以上；其中:农村30万人,城市50万人")] == [
        "城镇调查失业率5.5%左右，", "城镇新增就业1200万人以上；", "其中:", "农村30万人,", "城市50万人"]


def test_a_comma_grouping_thousands_ends_no_clause() -> None:
    assert [c.text for c in clauses("收入27,203,319,000元，增长3.5%；支出1,2345元")] == [
        "收入27,203,319,000元，", "增长3.5%；", "支出1,", "2345元"]


@pytest.mark.parametrize("reader", [sentences, clauses])
def test_every_span_is_the_text_at_its_offsets_stripped_of_white_space(reader) -> None:
    spans = reader(TEXT)
    assert spans and all(TEXT[s.start:s.end] == s.text == s.text.strip() and s.text for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("reader", [sentences, clauses])
def test_an_offset_is_added_for_a_passage_inside_a_report(reader) -> None:
    report = "标题\n" + TEXT
    at = report.index(TEXT)
    assert all(report[s.start:s.end] == s.text for s in reader(TEXT, offset=at))


@pytest.mark.parametrize("text", ["", "   \n\n\t", "。；"])
def test_nothing_but_white_space_gives_no_empty_spans(text: str) -> None:
    assert all(s.text for s in sentences(text)) and all(c.text for c in clauses(text))
    assert sentences("   \n\n") == [] and sentences("") == []
