"""Computed figures: differences, sums and ratios of cited figures, declared so they can be checked.

A number in an answer that no cited passage states is allowed only as the result of a declared
computation (DESIGN.md, `computations`): an expression of digits, `.`, `+ - * / ( )` whose every
number is a figure written in a passage it cites, and a result printed to the precision shown.

Example:
    >>> c = Computation("65.8-26.12", "39.68亿元", (1, 2))
    >>> evaluate(c.expression), c.result_number
    (Decimal('39.68'), '39.68')
"""
from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

_ALLOWED = re.compile(r"[\d.+\-*/() ]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Computation:
    """`expression` = `result`, computed from the figures of the passages numbered `citations`."""

    expression: str
    result: str
    citations: tuple[int, ...]

    @property
    def result_number(self) -> str:
        """The number the result prints ("39.68" of "39.68亿元")."""
        m = _NUMBER.search(self.result)
        return m.group() if m else ""

    @property
    def operands(self) -> list[str]:
        """The numbers the expression takes from the passages."""
        return _NUMBER.findall(self.expression)

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md record."""
        return {"expression": self.expression, "result": self.result, "citations": list(self.citations)}


def _value(node: ast.AST) -> Decimal:
    if isinstance(node, ast.Expression):
        return _value(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_value(node.operand)
    if isinstance(node, ast.BinOp):
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
    raise ValueError("only numbers and + - * / ( ) are allowed")


def evaluate(expression: str) -> Decimal:
    """The exact value of an arithmetic expression of digits, `.`, `+ - * / ( )`; ValueError for anything else."""
    if not _ALLOWED.fullmatch(expression):
        raise ValueError(f"not an arithmetic expression: {expression!r}")
    try:
        return _value(ast.parse(expression.strip(), mode="eval"))  # a leading space would be an indent
    except (SyntaxError, InvalidOperation, ZeroDivisionError) as err:
        raise ValueError(str(err)) from err


def shown(value: Decimal, places: int) -> str:
    """`value` printed with `places` decimals, trailing zeros dropped ("39.680" -> "39.68", "0.50" -> "0.5")."""
    text = f"{value.quantize(Decimal(1).scaleb(-places)) if places else value.to_integral_value():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def is_correct(computation: Computation, passage_numbers: Mapping[int, list[str]]) -> bool:
    """Whether the arithmetic is right to the precision shown and every operand is a number of a cited passage.

    `passage_numbers` maps a citation number to the numbers its passage states (normalised, no commas).
    """
    try:
        value = evaluate(computation.expression)
    except ValueError:
        return False
    printed = computation.result_number
    if not printed:
        return False
    places = len(printed.split(".")[1]) if "." in printed else 0
    if shown(abs(value), places) != shown(Decimal(printed), places):
        return False
    cited = [n.rstrip("%") for c in computation.citations for n in passage_numbers.get(c, [])]
    return all(op in cited for op in computation.operands)
