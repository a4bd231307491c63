"""Gold-set parsing: the format of DESIGN.md, errors that name file and line, conversation order."""

from __future__ import annotations

import dataclasses
import doctest
import json
from pathlib import Path
from typing import Any

import pytest

import eval.gold
from eval.gold import (
    QUESTION_TYPES,
    Evidence,
    GoldFormatError,
    GoldItem,
    answerable,
    conversation_order,
    load_gold,
    parse_gold_line,
    stored_name,
    with_stored_names,
)

DEV_GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev.jsonl"


def gold_object(**overrides: Any) -> dict[str, Any]:
    """A valid answerable gold object; keyword arguments replace or add fields."""
    obj: dict[str, Any] = {
        "id": "q1",
        "question": "惠济区2023年进出口额多少？",
        "answer": "进出口额17.9亿元。",
        "answer_keys": ["17.9亿元"],
        "evidence": [{"doc": "001.txt", "quote": "实现进出口额17.9亿元"}],
        "type": "factoid_number",
        "difficulty": "easy",
    }
    obj.update(overrides)
    return obj


def line_of(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def write_gold(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse_error(obj: Any, line_no: int = 7) -> GoldFormatError:
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    with pytest.raises(GoldFormatError) as caught:
        parse_gold_line(text, line_no, "dev.jsonl")
    return caught.value


# --- parsing a valid line ---------------------------------------------------


def test_parse_valid_line_builds_tuples_and_ignores_unknown_fields() -> None:
    item = parse_gold_line(line_of(gold_object(subtype="factoid_number")), 1, "dev.jsonl")
    assert item == GoldItem(
        id="q1",
        question="惠济区2023年进出口额多少？",
        answer="进出口额17.9亿元。",
        answer_keys=("17.9亿元",),
        evidence=(Evidence(doc="001.txt", quote="实现进出口额17.9亿元"),),
        type="factoid_number",
        difficulty="easy",
        conversation=None,
        turn=None,
    )


def test_parse_unanswerable_and_follow_up() -> None:
    item = parse_gold_line(
        line_of(
            gold_object(
                answer=None, answer_keys=[], evidence=[], type="multi_turn", conversation="c04", turn=2
            )
        ),
        3,
        "dev.jsonl",
    )
    assert (item.answer, item.conversation, item.turn) == (None, "c04", 2)
    assert not answerable(item)


def test_difficulty_is_optional() -> None:
    obj = gold_object()
    del obj["difficulty"]
    assert parse_gold_line(line_of(obj), 1, "dev.jsonl").difficulty is None


def test_gold_item_is_immutable() -> None:
    item = parse_gold_line(line_of(gold_object()), 1, "dev.jsonl")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.answer = "x"  # type: ignore[misc]


# --- errors name the file, the line and the problem -------------------------


def test_bad_json_names_line() -> None:
    error = parse_error('{"id": "q1", "question": ', line_no=7)
    assert str(error).startswith("dev.jsonl 第 7 行：不是合法的 JSON")
    assert (error.source, error.line_no) == ("dev.jsonl", 7)


def test_missing_field_message_matches_contract_example() -> None:
    obj = gold_object()
    del obj["question"]
    assert str(parse_error(obj)) == "dev.jsonl 第 7 行：缺少字段 question"


def test_missing_answer_key_is_not_the_same_as_null_answer() -> None:
    # "answer": null means "the reports do not say"; a missing answer is a typo.
    obj = gold_object()
    del obj["answer"]
    assert parse_error(obj).reason == "缺少字段 answer"


def test_every_missing_field_is_listed() -> None:
    assert parse_error({"id": "q1"}).reason == "缺少字段 question、answer、answer_keys、evidence、type"


@pytest.mark.parametrize(
    ("overrides", "reason_part"),
    [
        ({"type": "factoid number"}, "字段 type 的值 'factoid number' 不是题型名"),
        ({"id": 17}, "字段 id 应为非空字符串"),
        ({"question": "  "}, "字段 question 应为非空字符串"),
        ({"answer": 17.9}, "字段 answer 应为非空字符串或 null"),
        ({"answer_keys": "17.9亿元"}, "字段 answer_keys 应为字符串列表"),
        ({"answer_keys": ["17.9亿元", 3]}, "字段 answer_keys 应为字符串列表"),
        ({"answer_keys": ["17.9亿元", " "]}, "answer_keys 含空字符串"),
        ({"evidence": {"doc": "001.txt", "quote": "x"}}, "字段 evidence 应为列表"),
        ({"evidence": [{"doc": "001.txt"}]}, "字段 evidence 第 1 项应为含非空 doc 和 quote 的对象"),
        ({"difficulty": 2}, "字段 difficulty 应为非空字符串或 null"),
        ({"conversation": "c1", "turn": "1"}, "字段 turn 应为正整数或 null"),
        ({"conversation": "c1", "turn": True}, "字段 turn 应为正整数或 null"),
        ({"conversation": "c1", "turn": 0}, "turn 应为从 1 开始的正整数"),
        ({"conversation": "c1"}, "conversation 和 turn 须同时给出"),
        ({"type": "multi_turn"}, "type 为 multi_turn 时须给出 conversation 和 turn"),
        ({"type": "unanswerable"}, "type 为 unanswerable 时 answer 应为 null"),
        ({"answer": None}, "answer 为 null（报告未提及）时 answer_keys 和 evidence 应为空"),
        ({"answer_keys": []}, "有答案的题目 answer_keys 不能为空"),
    ],
)
def test_bad_field_names_line_and_problem(overrides: dict[str, Any], reason_part: str) -> None:
    error = parse_error(gold_object(**overrides), line_no=12)
    assert str(error).startswith("dev.jsonl 第 12 行：")
    assert reason_part in error.reason


def test_line_that_is_not_an_object() -> None:
    assert parse_error("[1, 2]").reason == "应为一个 JSON 对象"


def test_gold_format_error_is_a_value_error() -> None:
    assert isinstance(parse_error("{"), ValueError)


# --- loading a file ---------------------------------------------------------


def test_load_skips_blank_lines_and_counts_physical_lines(tmp_path: Path) -> None:
    path = write_gold(
        tmp_path,
        [line_of(gold_object(id="q1")), "", "   ", line_of(gold_object(id="q2")), "{bad"],
    )
    with pytest.raises(GoldFormatError) as caught:
        load_gold(path)
    # The blank lines 2 and 3 still count: the bad line is line 5 of the file.
    assert caught.value.line_no == 5
    assert str(caught.value).startswith("dev.jsonl 第 5 行：不是合法的 JSON")


def test_load_keeps_file_order(tmp_path: Path) -> None:
    path = write_gold(tmp_path, [line_of(gold_object(id=i)) for i in ("q3", "q1", "q2")] + [""])
    assert [item.id for item in load_gold(path)] == ["q3", "q1", "q2"]


def test_load_accepts_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_text("\ufeff" + line_of(gold_object()) + "\n", encoding="utf-8")
    assert [item.id for item in load_gold(path)] == ["q1"]


def test_a_line_that_is_not_utf8_is_named_by_its_number(tmp_path: Path) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes((line_of(gold_object()) + "\n").encode("utf-8") + line_of(gold_object(id="q2")).encode("gbk"))
    with pytest.raises(GoldFormatError) as caught:
        load_gold(path)
    assert str(caught.value) == "gbk.jsonl 第 2 行：不是 UTF-8 编码，请把文件存为 UTF-8"


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    path = write_gold(tmp_path, [line_of(gold_object(id=item_id)) for item_id in ("q1", "q2", "q1")])
    with pytest.raises(GoldFormatError) as caught:
        load_gold(path)
    assert str(caught.value) == "dev.jsonl 第 3 行：id q1 与第 1 行重复"


def test_duplicate_conversation_turn_is_an_error(tmp_path: Path) -> None:
    turn = {"type": "multi_turn", "conversation": "c1", "turn": 1}
    path = write_gold(tmp_path, [line_of(gold_object(id=item_id, **turn)) for item_id in ("q1", "q2")])
    with pytest.raises(GoldFormatError) as caught:
        load_gold(path)
    assert str(caught.value) == "dev.jsonl 第 2 行：对话 c1 的第 1 轮与第 1 行重复"


# --- conversation order -----------------------------------------------------


def make_item(item_id: str, conversation: str | None = None, turn: int | None = None) -> GoldItem:
    question_type = "multi_turn" if conversation else "unanswerable"
    return GoldItem(item_id, "？", None, (), (), question_type, conversation=conversation, turn=turn)


def test_conversation_order_sorts_turns_and_keeps_first_appearance() -> None:
    items = [
        make_item("a"),
        make_item("c1t3", "c1", 3),
        make_item("b"),
        make_item("c2t1", "c2", 1),
        make_item("c1t1", "c1", 1),
        make_item("c1t2", "c1", 2),
    ]
    groups = conversation_order(items)
    assert [[item.id for item in group] for group in groups] == [
        ["a"],
        ["c1t1", "c1t2", "c1t3"],
        ["b"],
        ["c2t1"],
    ]


def test_conversation_order_of_nothing() -> None:
    assert conversation_order([]) == []


# --- the shared dev set -----------------------------------------------------


@pytest.fixture(scope="module")
def dev_items() -> list[GoldItem]:
    if not DEV_GOLD.exists():
        pytest.fail(f"{DEV_GOLD} is missing: the shared dev set must be checked out beside the repository")
    return load_gold(DEV_GOLD)


def test_dev_set_loads(dev_items: list[GoldItem]) -> None:
    assert len(dev_items) == 50
    assert len({item.id for item in dev_items}) == 50
    assert {item.type for item in dev_items} == set(QUESTION_TYPES) - {"computation", "trend"}
    # Six unanswerable questions plus the unanswerable follow-up q203.
    assert sorted(item.id for item in dev_items if not answerable(item)) == [
        "q172", "q173", "q177", "q178", "q183", "q184", "q203"
    ]


def test_dev_set_conversations_in_turn_order(dev_items: list[GoldItem]) -> None:
    groups = conversation_order(dev_items)
    conversations = [[(item.id, item.turn) for item in group] for group in groups if len(group) > 1]
    assert conversations == [[("q200", 1), ("q201", 2)], [("q202", 1), ("q203", 2)]]
    # Every item is asked exactly once.
    assert sorted(item.id for group in groups for item in group) == sorted(item.id for item in dev_items)


# --- the usage examples in the docstrings are true --------------------------


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.gold)
    assert result.attempted > 0 and result.failed == 0


# --- new types and evidence named by path ------------------------------------


@pytest.mark.parametrize("question_type", ["computation", "trend", "naming"])
def test_new_question_types_are_accepted(question_type: str) -> None:
    item = parse_gold_line(line_of(gold_object(type=question_type)), 1, "probe.jsonl")
    assert item.type == question_type


def test_evidence_named_by_a_path_relative_to_the_ingested_folder_finds_the_stored_report() -> None:
    stored = ["000_4d00116238fd789a.txt", "2024_国务院.txt", "2023_国务院.txt"]
    assert stored_name("national/2024_国务院.txt", stored) == "2024_国务院.txt"
    assert stored_name("2024_国务院.txt", stored) == "2024_国务院.txt"
    # A library that keeps folders in its names, named by file name in the gold set.
    assert stored_name("2024_国务院.txt", ["national/2024_国务院.txt"]) == "national/2024_国务院.txt"
    assert stored_name("national/2022_国务院.txt", stored) is None
    assert stored_name("x/江苏.txt", ["a/江苏.txt", "b/江苏.txt"]) is None  # ambiguous: left as it is


def test_with_stored_names_rewrites_only_the_evidence_docs_that_resolve() -> None:
    item = parse_gold_line(line_of(gold_object(evidence=[
        {"doc": "reports/001.txt", "quote": "实现进出口额17.9亿元"}, {"doc": "gone.txt", "quote": "别的"}])), 1, "p")
    [resolved] = with_stored_names([item], ["001.txt"])
    assert [e.doc for e in resolved.evidence] == ["001.txt", "gone.txt"]
    assert resolved.id == item.id and resolved.answer_keys == item.answer_keys
