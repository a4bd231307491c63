"""Reading a batch question file (`govqa ask --batch F`): every malformed line found, by line number.

A line is one JSON object with `id` (a non-empty string, unique in the file) and `question`
(a string), and optionally `conversation` (a string) and `turn` (a positive whole number, unique
within its conversation); other keys (a gold set's `answer`, `evidence`…) are ignored. The file
is UTF-8 (a BOM is allowed) or UTF-16 with a BOM.

A file with any malformed line is refused as a whole, with every bad line named: answering the
rest would lose the bad lines' questions from the output without a trace in it, and a follow-up
whose earlier turn was dropped would be asked against the wrong context.

Example:
    >>> parse_batch('{"id": "a", "question": "2024年GDP增长多少？"}\\n', "q.jsonl")[0].question
    '2024年GDP增长多少？'
"""
from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class BatchItem:
    """One question of a batch file and where it stands in it."""

    line_no: int
    id: str
    question: str
    conversation: str | None = None
    turn: int | None = None


@dataclass(frozen=True)
class LineError:
    """What is wrong with one line of a batch file."""

    line_no: int
    reason: str


class BatchError(Exception):
    """A batch file that cannot be asked: `errors` names each bad line (line 0: the file as a whole)."""

    def __init__(self, name: str, errors: list[LineError]) -> None:
        super().__init__(f"{name}：{len(errors)} 处错误")
        self.name = name
        self.errors = errors

    def lines(self) -> list[str]:
        """One line of Chinese per error, each naming the file and the line."""
        return [f"{self.name} 第 {e.line_no} 行：{e.reason}" if e.line_no else f"{self.name}：{e.reason}"
                for e in self.errors]


def read_batch(path: Path) -> list[BatchItem]:
    """The questions of the batch file at `path`, or BatchError naming every malformed line."""
    if not path.is_file():
        raise BatchError(str(path), [LineError(0, "找不到问题文件" if not path.exists() else "不是文件")])
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BatchError(str(path), [LineError(0, f"无法读取（{err.strerror or err}）")]) from err
    return parse_batch(data, path.name)


def parse_batch(data: bytes | str, name: str) -> list[BatchItem]:
    """The questions of a batch file's content (`name` is for messages), or BatchError."""
    errors: list[LineError] = []
    items: list[BatchItem] = []
    first_line_of_id: dict[str, int] = {}
    first_line_of_turn: dict[tuple[str, int], int] = {}
    for line_no, line in _lines(data, errors):
        item = _item(line_no, line, errors)
        if item is None:
            continue
        if item.id in first_line_of_id:
            errors.append(LineError(line_no, f"id“{item.id}”与第 {first_line_of_id[item.id]} 行重复"))
            continue
        first_line_of_id[item.id] = line_no
        if item.conversation is not None and item.turn is not None:
            key = (item.conversation, item.turn)
            if key in first_line_of_turn:
                errors.append(LineError(line_no, f"对话“{item.conversation}”的第 {item.turn} 轮与第 "
                                                 f"{first_line_of_turn[key]} 行重复"))
                continue
            first_line_of_turn[key] = line_no
        items.append(item)
    if not items and not errors:
        errors.append(LineError(0, "文件里没有问题"))
    if errors:
        raise BatchError(name, sorted(errors, key=lambda e: e.line_no))
    return items


def _lines(data: bytes | str, errors: list[LineError]) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines; lines that cannot be decoded go to `errors`.

    Only "\\n" ends a line: JSON strings may hold U+2028 and other characters str.splitlines() breaks at.
    """
    if isinstance(data, str):
        raw_lines: list[bytes | str] = list(data.split("\n"))
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw_lines = list(_utf16_lines(data, errors))
    else:
        raw_lines = list(data.removeprefix(codecs.BOM_UTF8).split(b"\n"))
    for line_no, raw in enumerate(raw_lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                errors.append(LineError(line_no, f"不是 UTF-8 编码（第 {err.start + 1} 个字节起无法解码），"
                                                 "请把文件存为 UTF-8"))
                continue
        if raw.strip():
            yield line_no, raw


def _utf16_lines(data: bytes, errors: list[LineError]) -> list[str]:
    try:
        return data.decode("utf-16").split("\n")
    except UnicodeDecodeError as err:
        good = data[:err.start - err.start % 2].decode("utf-16", errors="replace")
        errors.append(LineError(good.count("\n") + 1, "UTF-16 编码有误（残缺的字符），请把文件存为 UTF-8"))
        return []


def _item(line_no: int, line: str, errors: list[LineError]) -> BatchItem | None:
    """The question a line holds, or None with its reason added to `errors`."""
    def bad(reason: str) -> None:
        errors.append(LineError(line_no, reason))

    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as err:
        return bad(f"不是合法的 JSON（{err.msg}，第 {err.colno} 列）")
    except RecursionError:
        return bad("不是合法的 JSON（嵌套过深）")
    if not isinstance(record, dict):
        return bad("应为一个 JSON 对象（{\"id\": …, \"question\": …}）")
    if any(_has_lone_surrogate(v) for v in (*record, *record.values())):
        return bad("含有残缺的 Unicode 字符（孤立的代理项，如 \\ud800），无法处理")
    ident, question = record.get("id"), record.get("question")
    conversation, turn = record.get("conversation"), record.get("turn")
    if ident is None:
        return bad("缺少 id")
    if not isinstance(ident, str) or not ident.strip():
        return bad(f"id 应为非空字符串，而不是 {_shown(ident)}")
    if question is None:
        return bad("缺少 question")
    if not isinstance(question, str):
        return bad(f"question 应为字符串，而不是 {_shown(question)}")
    if conversation is not None and (not isinstance(conversation, str) or not conversation.strip()):
        return bad(f"conversation 应为非空字符串，而不是 {_shown(conversation)}")
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int) or turn < 1):
        return bad(f"turn 应为正整数，而不是 {_shown(turn)}")
    return BatchItem(line_no, ident, question, conversation, turn)


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(v) for v in (*value, *value.values()))
    return False


def _shown(value: Any) -> str:
    """A JSON value as the user wrote it, kept short for a one-line message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 30 else text[:29] + "…"


def batch_order(items: list[BatchItem]) -> Iterator[BatchItem]:
    """Items in the order to ask them: a conversation's turns together and by `turn`, at its first appearance.

    Turns without a number keep their place in the file, after the numbered ones.
    """
    seen: set[str] = set()
    for item in items:
        if item.conversation is None:
            yield item
        elif item.conversation not in seen:
            seen.add(item.conversation)
            turns = [i for i in items if i.conversation == item.conversation]
            yield from sorted(turns, key=lambda i: (i.turn is None, i.turn or 0))
