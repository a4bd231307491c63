"""Checking an answer's declared computations (DESIGN.md, Contracts): the arithmetic and its operands.

A computation is ``{"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1, 2]}``.
It is correct when the expression holds only digits, ``.``, ``+ - * / ( )`` and white space,
evaluates (read with ``ast``, never ``eval``) to the result's number to the precision the result
is printed with, and every number of the expression is stated in a passage the computation
cites. A result written with % is the expression's value or that value times 100
("26.12/65.8" gives "39.7%"; "*100" would be an operand no passage states). A result written
without a sign may be the value's magnitude: Chinese says the direction in words
("少39.68亿元" for "26.12-65.8").

This scorer is written apart from the system's own rag/compute.py on purpose: a scorer that
shared the code it scores would pass the same mistakes.

Usage::

    check = check_computation(record["computations"][0], record["citations"])
    check.correct, check.problem      # True, None — or False and the reason in Chinese
"""

from __future__ import annotations

import ast
import math
import operator
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eval.numbers import extract_numbers, number_key, stated_numbers

_ALLOWED = re.compile(r"[0-9.+\-*/()\s]+")
_OPERAND = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# The result's first number, with a minus sign written right before it.
_SIGNED = re.compile(r"(-?)([0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?%?|[0-9]+(?:\.[0-9]+)?%?)")
_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class ExpressionError(ValueError):
    """An expression outside the contract's arithmetic (its message is in Chinese)."""


def _value(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Div) and right == 0:
            raise ExpressionError("算式除以 0")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    raise ExpressionError("算式不是由数字和 + - * / ( ) 组成的四则运算")


def evaluate(expression: str) -> float:
    """The value of an arithmetic expression of digits, ``.``, ``+ - * / ( )`` and white space.

    Raises ``ExpressionError`` for anything else (names, calls, powers, a stray character).

    Example:
        >>> round(evaluate("(65.8 - 26.12) * 2"), 6)
        79.36
        >>> evaluate("__import__('os')")
        Traceback (most recent call last):
        ...
        eval.computations.ExpressionError: 算式含数字和 + - * / ( ) 以外的字符
    """
    if not _ALLOWED.fullmatch(expression):
        raise ExpressionError("算式含数字和 + - * / ( ) 以外的字符")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise ExpressionError("算式写法不对") from None
    return _value(tree.body)


def result_matches(value: float, result: str) -> bool:
    """Whether ``value`` printed to the precision of ``result``'s number gives that number.

    Example:
        >>> result_matches(1.40666, "1.41倍"), result_matches(1.40666, "1.4倍"), result_matches(1.40666, "1.5倍")
        (True, True, False)
        >>> result_matches(0.39696, "39.7%"), result_matches(-39.68, "39.68亿元"), result_matches(39.68, "-39.68")
        (True, True, False)
    """
    signed = _SIGNED.search(unicodedata.normalize("NFKC", result).replace("−", "-"))
    if not signed:
        return False
    negative = signed.group(1) == "-"
    printed = number_key(signed.group(2))
    is_percent = printed.endswith("%")
    digits = printed.removesuffix("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    shown = float(digits)
    tolerance = 0.5 * 10 ** -decimals + 1e-9 * max(1.0, abs(shown))
    magnitudes = (value, value * 100) if is_percent else (value,)
    candidates = list(magnitudes) if negative else [abs(m) for m in magnitudes]
    shown = -shown if negative else shown
    return any(math.isfinite(c) and abs(c - shown) <= tolerance for c in candidates)


@dataclass(frozen=True)
class ComputationCheck:
    """What was found about one declared computation; ``problem`` is None when it is correct."""

    expression: str
    result: str
    problem: str | None

    @property
    def correct(self) -> bool:
        """Whether the arithmetic is right and every operand is stated in a cited passage."""
        return self.problem is None

    @property
    def result_number(self) -> str | None:
        """The result's number as ``number_key`` gives it, None when it has none."""
        numbers = extract_numbers(self.result)
        return number_key(numbers[0]) if numbers else None


def check_computation(computation: Any, citations: Sequence[dict[str, Any]]) -> ComputationCheck:
    """Check one declared computation against the record's citations (matched by their ``n``).

    Example:
        >>> cites = [{"n": 1, "text": "生产总值65.8亿元"}, {"n": 2, "text": "一般公共预算收入完成26.12亿元"}]
        >>> check_computation({"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1, 2]}, cites).problem
        >>> check_computation({"expression": "65.8-26.12", "result": "38.68亿元", "citations": [1, 2]}, cites).problem
        '算式结果不是 38.68亿元'
        >>> check_computation({"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1]}, cites).problem
        '运算数 26.12 不在所引段落 [1] 中'
    """
    if not isinstance(computation, dict):
        return ComputationCheck("", "", "计算声明不是对象")
    expression, result = computation.get("expression"), computation.get("result")
    cited = computation.get("citations")
    if not isinstance(expression, str) or not isinstance(result, str):
        return ComputationCheck(str(expression), str(result), "计算声明缺少 expression 或 result")

    def failed(problem: str) -> ComputationCheck:
        return ComputationCheck(expression, result, problem)

    try:
        value = evaluate(expression)
    except ExpressionError as error:
        return failed(str(error))
    if not result_matches(value, result):
        return failed(f"算式结果不是 {result}")
    if not isinstance(cited, list) or not cited:
        return failed("计算没有引用任何段落")
    by_n = {c.get("n"): c.get("text", "") for c in citations}
    missing_refs = [n for n in cited if n not in by_n]
    if missing_refs:
        return failed(f"计算引用了不存在的段落 {missing_refs}")
    stated = stated_numbers([by_n[n] for n in cited])
    for operand in _OPERAND.findall(expression):
        # "65.80" in an expression is the passage's "65.8": compare values, not spellings.
        if not any(_same_value(operand, number) for number in stated):
            refs = "".join(f"[{n}]" for n in cited)
            return failed(f"运算数 {operand} 不在所引段落 {refs} 中")
    return ComputationCheck(expression, result, None)


def _same_value(operand: str, stated: str) -> bool:
    return not stated.endswith("%") and float(operand) == float(stated)


def check_computations(record: dict[str, Any] | None) -> list[ComputationCheck]:
    """``check_computation`` for every computation a record declares (none for a refusal).

    Example:
        >>> declared = [{"expression": "1+1", "result": "2", "citations": []}]
        >>> check_computations({"answer": "…", "computations": declared})[0].problem
        '计算没有引用任何段落'
    """
    if record is None or record.get("refused"):
        return []
    declared = record.get("computations") or []
    if not isinstance(declared, list):
        return [ComputationCheck("", "", "computations 不是列表")]
    citations = list(record.get("citations") or [])
    return [check_computation(computation, citations) for computation in declared]
