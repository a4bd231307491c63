"""Gold sets: one JSON object per line, as described in DESIGN.md ("Contracts").

A gold line carries ``id``, ``question``, ``answer`` (null when the reports do
not say), ``answer_keys``, ``evidence`` (``doc`` + ``quote``), ``type``,
``difficulty`` and, for follow-ups, ``conversation`` and ``turn``. Fields not in
the contract (e.g. ``subtype`` in dev.jsonl) are ignored so that annotators can
add notes without breaking the loader.

Usage::

    from pathlib import Path
    from eval.gold import load_gold, conversation_order

    items = load_gold(Path("../shared/eval/dev.jsonl"))
    for group in conversation_order(items):   # a follow-up's turns in order
        ...
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

# The types DESIGN.md names, in the order reports list them; a gold set may bring new ones.
QUESTION_TYPES = (
    "factoid_number",
    "factoid_entity",
    "list",
    "comparison",
    "computation",
    "trend",
    "temporal",
    "unanswerable",
    "multi_turn",
)

_REQUIRED_FIELDS = ("id", "question", "answer", "answer_keys", "evidence", "type")


@dataclass(frozen=True)
class Evidence:
    """An exact passage of report ``doc`` that states (part of) the answer."""

    doc: str
    quote: str


@dataclass(frozen=True)
class GoldItem:
    """One gold question.

    The constructor enforces the invariants the metrics rely on and raises
    ``ValueError`` (in Chinese) when one is broken:

    - ``type`` is a word without white space (one of ``QUESTION_TYPES`` or a new type
      a gold set brings); an ``unanswerable`` item has no answer;
    - an item without an answer has no answer keys and no evidence (there is
      nothing to contain or to quote);
    - an item with an answer has at least one answer key, otherwise "the answer
      contains every key" would be vacuously true;
    - ``conversation`` and ``turn`` come together, ``turn`` >= 1, and a
      ``multi_turn`` item belongs to a conversation.

    Example:
        >>> GoldItem(id="q1", question="惠济区2023年进出口额多少？", answer="17.9亿元。",
        ...          answer_keys=("17.9亿元",),
        ...          evidence=(Evidence("001.txt", "实现进出口额17.9亿元"),),
        ...          type="factoid_number").answer_keys
        ('17.9亿元',)
    """

    id: str
    question: str
    answer: str | None
    answer_keys: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    type: str
    difficulty: str | None = None
    conversation: str | None = None
    turn: int | None = None

    def __post_init__(self) -> None:
        if not self.type or any(char.isspace() for char in self.type):
            raise ValueError(f"字段 type 的值 {self.type!r} 不是题型名（应为不含空白的词，如 {QUESTION_TYPES[0]}）")
        if any(not key.strip() for key in self.answer_keys):
            raise ValueError("answer_keys 含空字符串")
        for evidence in self.evidence:
            if not evidence.doc.strip() or not evidence.quote.strip():
                raise ValueError("evidence 的 doc 和 quote 不能为空")
        if self.answer is None:
            if self.answer_keys or self.evidence:
                raise ValueError("answer 为 null（报告未提及）时 answer_keys 和 evidence 应为空")
        else:
            if self.type == "unanswerable":
                raise ValueError("type 为 unanswerable 时 answer 应为 null")
            if not self.answer_keys:
                raise ValueError("有答案的题目 answer_keys 不能为空")
        if (self.conversation is None) != (self.turn is None):
            raise ValueError("conversation 和 turn 须同时给出")
        if self.turn is not None and self.turn < 1:
            raise ValueError("turn 应为从 1 开始的正整数")
        if self.type == "multi_turn" and self.conversation is None:
            raise ValueError("type 为 multi_turn 时须给出 conversation 和 turn")


class GoldFormatError(ValueError):
    """A gold file line that is not a valid gold item.

    The message names the file, the line and the problem in Chinese, e.g.
    ``dev.jsonl 第 7 行：缺少字段 question``; the parts are kept as attributes.
    """

    def __init__(self, source: str, line_no: int, reason: str) -> None:
        super().__init__(f"{source} 第 {line_no} 行：{reason}")
        self.source = source
        self.line_no = line_no
        self.reason = reason


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _optional_text(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is not None and not _is_text(value):
        raise ValueError(f"字段 {name} 应为非空字符串或 null")
    return value


def _item_from_object(obj: Any) -> GoldItem:
    """Check the JSON shape of one gold object and build the item (ValueError on failure)."""
    if not isinstance(obj, dict):
        raise ValueError("应为一个 JSON 对象")
    missing = [name for name in _REQUIRED_FIELDS if name not in obj]
    if missing:
        raise ValueError(f"缺少字段 {'、'.join(missing)}")
    for name in ("id", "question", "type"):
        if not _is_text(obj[name]):
            raise ValueError(f"字段 {name} 应为非空字符串")
    answer = obj["answer"]
    if answer is not None and not _is_text(answer):
        raise ValueError("字段 answer 应为非空字符串或 null")
    keys = obj["answer_keys"]
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise ValueError("字段 answer_keys 应为字符串列表")
    raw_evidence = obj["evidence"]
    if not isinstance(raw_evidence, list):
        raise ValueError("字段 evidence 应为列表")
    evidence = []
    for index, entry in enumerate(raw_evidence, start=1):
        if not (isinstance(entry, dict) and _is_text(entry.get("doc")) and _is_text(entry.get("quote"))):
            raise ValueError(f"字段 evidence 第 {index} 项应为含非空 doc 和 quote 的对象")
        evidence.append(Evidence(doc=entry["doc"], quote=entry["quote"]))
    turn = obj.get("turn")
    # bool is an int in Python; "turn": true is a typo, not turn 1.
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int)):
        raise ValueError("字段 turn 应为正整数或 null")
    return GoldItem(
        id=obj["id"],
        question=obj["question"],
        answer=answer,
        answer_keys=tuple(keys),
        evidence=tuple(evidence),
        type=obj["type"],
        difficulty=_optional_text(obj, "difficulty"),
        conversation=_optional_text(obj, "conversation"),
        turn=turn,
    )


def parse_gold_line(line: str, line_no: int, source: str) -> GoldItem:
    """Parse one gold line; raise ``GoldFormatError`` naming ``source`` and ``line_no``.

    Example:
        >>> parse_gold_line('{"id": "q1", "question": "？", "answer": null, '
        ...                 '"answer_keys": [], "evidence": [], "type": "unanswerable"}',
        ...                 1, "dev.jsonl").answer is None
        True
        >>> try:
        ...     parse_gold_line('{"id": "q1"}', 7, "dev.jsonl")
        ... except GoldFormatError as error:
        ...     print(error)
        dev.jsonl 第 7 行：缺少字段 question、answer、answer_keys、evidence、type
    """
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise GoldFormatError(source, line_no, f"不是合法的 JSON（{error.msg}，第 {error.colno} 列）") from None
    try:
        return _item_from_object(obj)
    except ValueError as error:
        raise GoldFormatError(source, line_no, str(error)) from None


def load_gold(path: Path) -> list[GoldItem]:
    """Load a gold file in file order, skipping blank lines.

    Raises ``GoldFormatError`` for the first bad line, for an id used twice and
    for a conversation turn given twice (the turn order would be ambiguous).
    A UTF-8 byte order mark is accepted.

    Example:
        >>> items = load_gold(Path("../shared/eval/dev.jsonl"))  # doctest: +SKIP
        >>> len(items)  # doctest: +SKIP
        50
    """
    source = path.name
    items: list[GoldItem] = []
    id_lines: dict[str, int] = {}
    turn_lines: dict[tuple[str, int], int] = {}
    # Lines are cut at "\n" only and decoded one by one: a line that is not UTF-8 is named by its number.
    for line_no, raw in enumerate(path.read_bytes().removeprefix(codecs.BOM_UTF8).split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise GoldFormatError(source, line_no, "不是 UTF-8 编码，请把文件存为 UTF-8") from None
        if not line.strip():
            continue
        item = parse_gold_line(line, line_no, source)
        if item.id in id_lines:
            raise GoldFormatError(source, line_no, f"id {item.id} 与第 {id_lines[item.id]} 行重复")
        id_lines[item.id] = line_no
        if item.conversation is not None and item.turn is not None:
            turn_key = (item.conversation, item.turn)
            if turn_key in turn_lines:
                raise GoldFormatError(
                    source,
                    line_no,
                    f"对话 {item.conversation} 的第 {item.turn} 轮与第 {turn_lines[turn_key]} 行重复",
                )
            turn_lines[turn_key] = line_no
        items.append(item)
    return items


def answerable(item: GoldItem) -> bool:
    """Whether the reports answer the question (the gold answer is not null).

    Example:
        >>> answerable(GoldItem("q1", "？", None, (), (), "unanswerable"))
        False
    """
    return item.answer is not None


def conversation_order(items: Iterable[GoldItem]) -> list[list[GoldItem]]:
    """Group items the way they must be asked: one list per conversation, turns ascending.

    A question outside any conversation is a group of its own. Groups keep the
    order in which their first item appears, so a run is reproducible.

    Example:
        >>> a = GoldItem("a", "？", None, (), (), "multi_turn", conversation="c1", turn=2)
        >>> b = GoldItem("b", "？", None, (), (), "unanswerable")
        >>> c = GoldItem("c", "？", None, (), (), "multi_turn", conversation="c1", turn=1)
        >>> [[item.id for item in group] for group in conversation_order([a, b, c])]
        [['c', 'a'], ['b']]
    """
    groups: list[list[GoldItem]] = []
    by_conversation: dict[str, list[GoldItem]] = {}
    for item in items:
        if item.conversation is None:
            groups.append([item])
        elif item.conversation in by_conversation:
            by_conversation[item.conversation].append(item)
        else:
            by_conversation[item.conversation] = [item]
            groups.append(by_conversation[item.conversation])
    for group in by_conversation.values():
        group.sort(key=lambda item: item.turn or 0)
    return groups


def _path_parts(name: str) -> tuple[str, ...]:
    return tuple(part for part in PurePosixPath(name.replace("\\", "/")).parts if part not in ("", "."))


def stored_name(doc: str, stored: Iterable[str]) -> str | None:
    """The stored report a gold ``doc`` names: itself, or the one stored name it ends with (or that ends with it).

    Gold sets over a folder of folders may name a report by its path relative to the ingested
    folder ("provinces/江苏.txt") while the library lists it by file name, or the other way
    round. None when no stored name fits, or more than one does (the gold name is ambiguous).

    Example:
        >>> stored_name("national/2024_国务院.txt", ["2024_国务院.txt", "2023_国务院.txt"])
        '2024_国务院.txt'
        >>> stored_name("江苏.txt", ["a/江苏.txt", "b/江苏.txt"]) is None
        True
    """
    names = list(stored)
    if doc in names:
        return doc
    wanted = _path_parts(doc)
    fits = []
    for name in names:
        parts = _path_parts(name)
        shorter, longer = sorted((parts, wanted), key=len)
        if shorter and longer[len(longer) - len(shorter):] == shorter:
            fits.append(name)
    return fits[0] if len(fits) == 1 else None


def with_stored_names(items: Iterable[GoldItem], stored: Iterable[str]) -> list[GoldItem]:
    """``items`` with each evidence ``doc`` replaced by the stored report it names (``stored_name``), where one fits.

    Example:
        >>> item = GoldItem("q1", "？", "5%", ("5%",), (Evidence("reports/a.txt", "增长5%"),), "factoid_number")
        >>> with_stored_names([item], ["a.txt"])[0].evidence[0].doc
        'a.txt'
    """
    names = list(stored)

    def resolved(evidence: Evidence) -> Evidence:
        return replace(evidence, doc=stored_name(evidence.doc, names) or evidence.doc)

    return [replace(item, evidence=tuple(resolved(e) for e in item.evidence)) for item in items]
