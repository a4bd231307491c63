"""The named configurations of `govqa eval --compare`."""

from __future__ import annotations

import doctest

import pytest

import eval.configs
import eval.labels
from eval.configs import CONFIGS, DEFAULT_CONFIG, parse_compare


def test_the_issue_s_configurations_exist_and_hybrid_is_the_default() -> None:
    assert {"bm25", "dense", "hybrid", "langchain-default"} <= set(CONFIGS)
    assert DEFAULT_CONFIG == "hybrid"
    assert all(spec.description.endswith("。") for spec in CONFIGS.values())


def test_parse_compare_keeps_the_order_given_and_ignores_blanks() -> None:
    assert parse_compare(" langchain-default,hybrid , bm25,") == ["langchain-default", "hybrid", "bm25"]
    assert parse_compare(None) == ["hybrid"]


@pytest.mark.parametrize(
    ("value", "message_part"),
    [("hybrid,bm52", "未知的配置 bm52"), ("dense,dense", "配置 dense 重复"), (" , ", "没有给出任何配置")],
)
def test_parse_compare_rejects_bad_lists_in_chinese(value: str, message_part: str) -> None:
    with pytest.raises(ValueError, match=message_part):
        parse_compare(value)


def test_docstring_examples() -> None:
    for module in (eval.configs, eval.labels):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
