"""Declared computations: the arithmetic (read with ast, never eval) and the operands' passages."""

from __future__ import annotations

import doctest

import pytest

import eval.computations
from eval.computations import ExpressionError, check_computation, check_computations, evaluate, result_matches

REVENUE = {"n": 1, "doc": "a.txt", "text": "全年地区生产总值65.8亿元，增长6.5%。"}
BUDGET = {"n": 2, "doc": "a.txt", "text": "一般公共预算收入完成26.12亿元。"}


def computation(expression: str, result: str, citations: list[int] | None = None) -> dict:
    return {"expression": expression, "result": result, "citations": [1, 2] if citations is None else citations}


def test_a_correct_difference_with_both_operands_cited_is_correct() -> None:
    check = check_computation(computation("65.8-26.12", "39.68亿元"), [REVENUE, BUDGET])
    assert check.correct and check.problem is None and check.result_number == "39.68"


def test_a_result_rounded_to_the_precision_shown_is_correct() -> None:
    # 65.8 / 26.12 = 2.5191…: "2.52倍" and "2.5倍" are that value as printed; "2.6倍" is not.
    assert check_computation(computation("65.8/26.12", "2.52倍"), [REVENUE, BUDGET]).correct
    assert check_computation(computation("65.8/26.12", "2.5倍"), [REVENUE, BUDGET]).correct
    assert not check_computation(computation("65.8/26.12", "2.6倍"), [REVENUE, BUDGET]).correct


def test_a_share_is_the_fraction_written_as_percent_without_an_unstated_100() -> None:
    # 26.12 / 65.8 = 0.39696…
    assert check_computation(computation("26.12/65.8", "39.7%"), [REVENUE, BUDGET]).correct
    # Every number of an expression is a figure of a cited passage (DESIGN.md): 100 is not.
    check = check_computation(computation("26.12/65.8*100", "39.7%"), [REVENUE, BUDGET])
    assert check.problem == "运算数 100 不在所引段落 [1][2] 中"


def test_a_result_without_a_sign_may_be_the_magnitude_but_a_written_sign_counts() -> None:
    # "少39.68亿元": the direction is in the words.
    assert check_computation(computation("26.12-65.8", "39.68亿元"), [REVENUE, BUDGET]).correct
    assert not check_computation(computation("65.8-26.12", "-39.68亿元"), [REVENUE, BUDGET]).correct


def test_wrong_arithmetic_is_wrong() -> None:
    check = check_computation(computation("65.8-26.12", "38.68亿元"), [REVENUE, BUDGET])
    assert not check.correct and check.problem == "算式结果不是 38.68亿元"


def test_an_operand_in_no_cited_passage_is_wrong_even_if_the_arithmetic_holds() -> None:
    # 26.12 is stated only in passage [2], which this computation does not cite.
    check = check_computation(computation("65.8-26.12", "39.68亿元", [1]), [REVENUE, BUDGET])
    assert check.problem == "运算数 26.12 不在所引段落 [1] 中"
    # An operand no passage states at all.
    check = check_computation(computation("70-26.12", "43.88亿元"), [REVENUE, BUDGET])
    assert check.problem == "运算数 70 不在所引段落 [1][2] 中"


def test_citing_a_passage_the_answer_does_not_have_is_wrong() -> None:
    check = check_computation(computation("65.8-26.12", "39.68亿元", [1, 3]), [REVENUE, BUDGET])
    assert check.problem == "计算引用了不存在的段落 [3]"


@pytest.mark.parametrize(
    "expression",
    ["__import__('os').system('true')", "2**10", "7//2", "1e3", "abs(-1)", "65.8-", "()", "1 if 1 else 2"],
)
def test_anything_but_plain_arithmetic_is_refused_without_running_it(expression: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(expression)
    assert not check_computation(computation(expression, "1"), [REVENUE, BUDGET]).correct


def test_division_by_zero_is_a_wrong_computation_not_a_crash() -> None:
    assert check_computation(computation("65.8/(26.12-26.12)", "0"), [REVENUE, BUDGET]).problem == "算式除以 0"


def test_brackets_unary_minus_and_white_space_are_arithmetic() -> None:
    assert evaluate(" -(65.8 - 26.12) * 2 ") == pytest.approx(-79.36)
    assert result_matches(-79.36, "-79.36")


def test_a_malformed_declaration_is_a_wrong_computation() -> None:
    checks = check_computations({"answer": "…", "citations": [REVENUE], "computations": [
        {"expression": "65.8"}, "65.8-26.12", {"expression": "65.8", "result": "65.8", "citations": [1]}]})
    assert [c.correct for c in checks] == [False, False, True]


def test_a_refusal_declares_nothing() -> None:
    assert check_computations({"refused": True, "computations": [computation("1+1", "3")]}) == []


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.computations)
    assert result.attempted > 0 and result.failed == 0
