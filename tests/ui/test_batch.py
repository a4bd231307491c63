"""Reading a batch question file: every malformed line named by its number, the file refused as a whole."""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from ui.batch import BatchError, BatchItem, batch_order, parse_batch, read_batch

GOOD = '{"id": "a", "question": "2024年生产总值增长多少？"}'


def errors_of(text: str | bytes) -> list[str]:
    with pytest.raises(BatchError) as caught:
        parse_batch(text if isinstance(text, bytes) else text.encode("utf-8"), "q.jsonl")
    return caught.value.lines()


@pytest.mark.parametrize(("line", "reason"), [
    ('{"id": "b", "question": "\\ud800"}', "孤立的代理项"),
    ('{"id": "b", "question": "问题", "conversation": "c1", "turn": "2"}', 'turn 应为正整数，而不是 "2"'),
    ('{"id": "b", "question": "问题", "conversation": "c1", "turn": 0}', "turn 应为正整数"),
    ('{"id": "b", "question": "问题", "conversation": "c1", "turn": true}', "turn 应为正整数"),
    ('{"id": "b", "question": "问题", "conversation": ["c1"]}', 'conversation 应为非空字符串，而不是 ["c1"]'),
    ('{"question": "问题"}', "缺少 id"),
    ('{"id": 7, "question": "问题"}', "id 应为非空字符串"),
    ('{"id": "b"}', "缺少 question"),
    ('{"id": "b", "question": ["问题"]}', "question 应为字符串"),
    ('["b", "问题"]', "应为一个 JSON 对象"),
    ('{"id": "b", "question": "问题"', "不是合法的 JSON"),
    ('[' * 100_000, "不是合法的 JSON"),
])
def test_a_malformed_line_is_named_by_its_number(line: str, reason: str) -> None:
    errors = errors_of(f"{GOOD}\n\n{line}\n")
    assert len(errors) == 1 and errors[0].startswith("q.jsonl 第 3 行：") and reason in errors[0]


def test_every_malformed_line_is_named_not_only_the_first() -> None:
    errors = errors_of(f'{GOOD}\n{{"id": "b"}}\n{GOOD}\nnot json\n')
    assert [e.split("：")[0] for e in errors] == ["q.jsonl 第 2 行", "q.jsonl 第 3 行", "q.jsonl 第 4 行"]
    assert "id“a”与第 1 行重复" in errors[1]


def test_a_turn_given_twice_in_one_conversation_is_an_error() -> None:
    errors = errors_of('{"id": "a", "question": "甲", "conversation": "c", "turn": 1}\n'
                       '{"id": "b", "question": "乙", "conversation": "c", "turn": 1}\n')
    assert errors == ["q.jsonl 第 2 行：对话“c”的第 1 轮与第 1 行重复"]


def test_a_line_that_is_not_utf8_is_named() -> None:
    data = GOOD.encode("utf-8") + b"\n" + '{"id": "b", "question": "增长多少"}'.encode("gb18030") + b"\n"
    errors = errors_of(data)
    assert len(errors) == 1 and errors[0].startswith("q.jsonl 第 2 行：不是 UTF-8 编码")


@pytest.mark.parametrize("encode", [
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),  # with its BOM
    lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf8-bom", "utf16-le-bom", "utf16-be-bom", "crlf"])
def test_utf8_with_a_bom_and_utf16_with_a_bom_are_read(encode) -> None:
    text = f'{GOOD}\n{{"id": "b", "question": "那下一年呢？", "conversation": "c", "turn": 2}}\n'
    items = parse_batch(encode(text), "q.jsonl")
    assert items == [BatchItem(1, "a", "2024年生产总值增长多少？"), BatchItem(2, "b", "那下一年呢？", "c", 2)]


def test_a_line_separator_inside_a_question_does_not_cut_the_line() -> None:
    items = parse_batch('{"id": "a", "question": "增长\u2028多少\u0085？"}\n'.encode("utf-8"), "q.jsonl")
    assert items[0].question == "增长\u2028多少\u0085？"


@pytest.mark.parametrize("question", ["", "   ", "\t", "\u0000", "😀😀"])
def test_a_question_without_content_is_read_and_left_to_the_answer_chain_to_refuse(question: str) -> None:
    line = json.dumps({"id": "a", "question": question})
    assert parse_batch(line.encode("utf-8"), "q.jsonl")[0].question == question


def test_other_keys_of_a_gold_set_are_ignored() -> None:
    line = '{"id": "a", "question": "问", "answer": null, "answer_keys": [], "type": "unanswerable"}'
    assert parse_batch(line.encode("utf-8"), "q.jsonl") == [BatchItem(1, "a", "问")]


def test_a_missing_or_empty_file_is_one_error_about_the_file(tmp_path: Path) -> None:
    for path, reason in ((tmp_path / "none.jsonl", "找不到问题文件"), (tmp_path, "不是文件")):
        with pytest.raises(BatchError) as caught:
            read_batch(path)
        assert caught.value.lines() == [f"{path}：{reason}"]
    (tmp_path / "empty.jsonl").write_text("\n \n", encoding="utf-8")
    with pytest.raises(BatchError) as caught:
        read_batch(tmp_path / "empty.jsonl")
    assert caught.value.lines() == ["empty.jsonl：文件里没有问题"]


def test_conversations_are_asked_together_in_turn_order_at_their_first_appearance() -> None:
    items = [BatchItem(1, "a", "甲", "c", 2), BatchItem(2, "x", "独"), BatchItem(3, "b", "乙", "c", 1)]
    assert [i.id for i in batch_order(items)] == ["b", "a", "x"]
