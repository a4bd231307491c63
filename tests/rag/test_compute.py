"""Declared computations: exact arithmetic of digits and + - * / ( ) only, checked against the cited figures."""
from __future__ import annotations

from decimal import Decimal

import pytest

from rag.compute import Computation, evaluate, is_correct, shown


@pytest.mark.parametrize(("expression", "value"), [
    ("65.8-26.12", Decimal("39.68")), ("1+2*3", Decimal("7")), ("(1+2)*3", Decimal("9")), ("7/2", Decimal("3.5")),
    ("-5+10", Decimal("5")), ("0.1+0.2", Decimal("0.3")), (" 3 - 1 ", Decimal("2")),
])
def test_evaluate_is_exact_decimal_arithmetic(expression: str, value: Decimal) -> None:
    assert evaluate(expression) == value


@pytest.mark.parametrize("expression", [
    "__import__('os').system('echo hi')", "1;2", "2**10", "1 if 1 else 2", "abc", "1e5", "[1]", "1//2", "1%2",
    "", "()", "1/0", "os.system", "1+", "9**9**9", "\n1",
])
def test_anything_but_arithmetic_is_refused(expression: str) -> None:
    with pytest.raises(ValueError):
        evaluate(expression)


def test_shown_prints_to_the_precision_asked_without_trailing_zeros() -> None:
    assert shown(Decimal("39.680"), 2) == "39.68" and shown(Decimal("0.50"), 2) == "0.5"
    assert shown(Decimal("2.345"), 1) == "2.3" and shown(Decimal("12.6"), 0) == "13"


PASSAGES = {1: ["65.8", "2020"], 2: ["26.12", "7%"]}


def test_a_right_computation_from_cited_figures_is_correct() -> None:
    assert is_correct(Computation("65.8-26.12", "39.68亿元", (1, 2)), PASSAGES)
    assert is_correct(Computation("65.8+26.12", "91.92亿元", (1, 2)), PASSAGES)
    assert is_correct(Computation("65.8-26.12", "39.7亿元", (1, 2)), PASSAGES), "rounded to the precision shown"
    assert is_correct(Computation("7-6.5", "0.5个百分点", (2, 1)), {1: ["6.5%"], 2: ["7%"]}), "percent signs dropped"


def test_wrong_arithmetic_is_not_correct() -> None:
    assert not is_correct(Computation("65.8-26.12", "39.86亿元", (1, 2)), PASSAGES)
    assert not is_correct(Computation("65.8-26.12", "39.69亿元", (1, 2)), PASSAGES)
    assert is_correct(Computation("26.12-65.8", "39.68亿元", (1, 2)), PASSAGES), "a difference is shown without its sign"
    assert not is_correct(Computation("65.8-26.12", "亿元", (1, 2)), PASSAGES), "a result without a number"


def test_an_operand_no_cited_passage_states_is_not_correct() -> None:
    assert not is_correct(Computation("65.8-26.12", "39.68亿元", (1,)), PASSAGES), "26.12 stands only in [2]"
    assert not is_correct(Computation("65.8-20", "45.8亿元", (1, 2)), PASSAGES)
    assert not is_correct(Computation("65.8-26.12", "39.68亿元", (3,)), PASSAGES), "a passage that was not given"


def test_an_injected_expression_is_not_correct_and_does_not_run() -> None:
    assert not is_correct(Computation("__import__('os').getcwd()", "1", (1,)), PASSAGES)


def test_the_declared_record_is_the_design_contract() -> None:
    computation = Computation("65.8-26.12", "39.68亿元", (1, 2))
    assert computation.to_json() == {"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1, 2]}
    assert computation.operands == ["65.8", "26.12"] and computation.result_number == "39.68"
