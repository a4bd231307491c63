"""Metrics on small hand-written runs; every expected number is worked out by hand in a comment."""

from __future__ import annotations

import doctest
from collections.abc import Sequence
from typing import Any

import pytest

import eval.metrics
from eval.gold import Evidence, GoldItem
from eval.metrics import (
    METRIC_DEFINITIONS,
    citation_hit,
    evidence_recall,
    extract_numbers,
    first_hit_rank,
    missing_keys,
    normalize,
    passage_matches,
    percentile,
    score,
    score_item,
    ungrounded_numbers,
    worst_failures,
)

DOC = "001_bbc2bd414da68544.txt"
OTHER_DOC = "002_6329ad5c93bd51e8.txt"
REFUSAL = "报告中没有找到相关内容。"


def passage(text: str, doc: str = DOC) -> dict[str, Any]:
    return {"doc": doc, "start": 0, "end": len(text), "text": text, "score": 0.5}


def filler(i: int) -> dict[str, Any]:
    return passage(f"无关段落第{i}段。", doc="999_filler.txt")


def ranked(hits: dict[int, dict[str, Any]], total: int = 10) -> list[dict[str, Any]]:
    """``total`` retrieved passages: ``hits[rank]`` at that 1-based rank, filler elsewhere."""
    return [hits.get(rank, filler(rank)) for rank in range(1, total + 1)]


def citation(n: int, text: str, doc: str = DOC) -> dict[str, Any]:
    return {"n": n, "doc": doc, "start": 0, "end": len(text), "text": text, "quote": text}


def record(
    item_id: str,
    answer: str = "",
    *,
    refused: bool = False,
    citations: Sequence[dict[str, Any]] = (),
    retrieved: Sequence[dict[str, Any]] = (),
    latency_ms: float = 10.0,
) -> dict[str, Any]:
    return {
        "id": item_id,
        "question": "？",
        "standalone_question": "？",
        "answer": answer,
        "refused": refused,
        "citations": list(citations),
        "retrieved": list(retrieved),
        "latency_ms": latency_ms,
    }


def answerable_item(
    item_id: str,
    quotes: Sequence[str] = (),
    keys: Sequence[str] = ("17.9亿元",),
    question_type: str = "factoid_number",
) -> GoldItem:
    return GoldItem(
        id=item_id,
        question=f"问题{item_id}？",
        answer="标准答案。",
        answer_keys=tuple(keys),
        evidence=tuple(Evidence(DOC, quote) for quote in quotes),
        type=question_type,
    )


def unanswerable_item(item_id: str) -> GoldItem:
    return GoldItem(item_id, f"问题{item_id}？", None, (), (), "unanswerable")


# --- normalisation and passage matching -------------------------------------


def test_normalize_nfkc_and_all_white_space() -> None:
    # Full-width digits, full-width comma and percent, ideographic space, newline, tab.
    assert normalize("１２３　４\n5，\t％ 亿元") == "12345,%亿元"


# 24 characters once normalised: 全年商品房销售(7) 122.7(5) 万平方米(4) ,(1) 同比增长(4) 38%(3).
# ceil(24/2) = 12: first half "全年商品房销售122.7", last half "万平方米,同比增长38%".
SALES_QUOTE = "全年商品房销售122.7万平方米,同比增长38%"
SALES = Evidence(DOC, SALES_QUOTE)


def test_passage_containing_quote_matches_only_in_its_report() -> None:
    text = "2023年，" + SALES_QUOTE + "。"
    assert passage_matches(DOC, text, SALES)
    assert not passage_matches(OTHER_DOC, text, SALES)


def test_quote_straddling_two_passages_matches_both() -> None:
    passage_a = "房地产市场企稳，全年商品房销售122.7"  # ends with the first 12 characters
    passage_b = "万平方米，同比增长38%。保交楼工作扎实推进"  # starts with the last 12 (full-width comma)
    assert passage_matches(DOC, passage_a, SALES)
    assert passage_matches(DOC, passage_b, SALES)


def test_passage_with_only_a_middle_part_does_not_match() -> None:
    # Middle third (characters 9-16): "22.7万平方米".
    assert not passage_matches(DOC, "22.7万平方米", SALES)
    # Even 18 of the 24 characters do not match when they include neither end half.
    assert not passage_matches(DOC, "商品房销售122.7万平方米,同比", SALES)


def test_uneven_split_matches_only_the_side_holding_half() -> None:
    # Split after 13 characters: A holds the first 12 (and one more), B only 11 of the last 12.
    assert passage_matches(DOC, "全年商品房销售122.7万", SALES)
    assert not passage_matches(DOC, "平方米,同比增长38%", SALES)


def test_full_width_and_white_space_differences_match() -> None:
    evidence = Evidence(DOC, "实现进出口额17.9亿元,增长175%")
    assert passage_matches(DOC, "实现进出口额 １７．９ 亿元，\n增长１７５％。", evidence)
    full_width_quote = Evidence(DOC, "实现进出口额１７．９亿元，增长１７５％")
    assert passage_matches(DOC, "实现进出口额17.9亿元,增长175%", full_width_quote)


def test_empty_quote_matches_nothing() -> None:
    assert not passage_matches(DOC, "任何文字", Evidence(DOC, " \n"))


# --- retrieval: hit@k, MRR@10, evidence recall@5 ----------------------------

QUOTE_1 = "免费为郑州市户籍的适龄妇女进行两癌筛查各6万人"
QUOTE_3 = "35种遗传代谢病筛查和耳聋基因筛查"
QUOTE_7 = "新建各类博物馆30个、遗址生态文化公园20个"
QUOTE_NONE = "交付项目10个、7815套"


def hit_run() -> tuple[list[dict[str, Any]], list[GoldItem]]:
    gold = [
        answerable_item("r1", [QUOTE_1]),
        answerable_item("r3", [QUOTE_3]),
        answerable_item("r7", [QUOTE_7]),
        answerable_item("rx", [QUOTE_NONE]),
    ]
    records = [
        record("r1", retrieved=ranked({1: passage(QUOTE_1)})),
        record("r3", retrieved=ranked({3: passage(QUOTE_3)})),
        record("r7", retrieved=ranked({7: passage(QUOTE_7)})),
        record("rx", retrieved=ranked({})),
    ]
    return records, gold


def test_first_hit_rank_at_1_3_7_and_absent() -> None:
    records, gold = hit_run()
    assert [first_hit_rank(r, item) for r, item in zip(records, gold)] == [1, 3, 7, None]


def test_first_hit_rank_looks_only_at_top_k() -> None:
    item = answerable_item("r11", [QUOTE_1])
    beyond_ten = record("r11", retrieved=ranked({11: passage(QUOTE_1)}, total=12))
    assert first_hit_rank(beyond_ten, item) is None
    assert first_hit_rank(beyond_ten, item, k=12) == 11
    at_seven = record("r7", retrieved=ranked({7: passage(QUOTE_7)}))
    assert first_hit_rank(at_seven, answerable_item("r7", [QUOTE_7]), k=5) is None


def test_first_hit_rank_ignores_same_text_in_another_report() -> None:
    item = answerable_item("q", [QUOTE_1])
    run = record("q", retrieved=[passage(QUOTE_1, doc=OTHER_DOC), passage(QUOTE_1)])
    assert first_hit_rank(run, item) == 2


def test_first_hit_rank_without_record_or_retrieval() -> None:
    item = answerable_item("q", [QUOTE_1])
    assert first_hit_rank(None, item) is None
    assert first_hit_rank({"id": "q"}, item) is None


def test_hit_at_k_and_mrr() -> None:
    records, gold = hit_run()
    overall = score(records, gold)["overall"]
    assert overall["hit@1"] == 1 / 4  # only r1
    assert overall["hit@3"] == 2 / 4  # r1, r3
    assert overall["hit@5"] == 2 / 4  # r7 is at 7
    assert overall["hit@10"] == 3 / 4  # r1, r3, r7; rx never
    # (1/1 + 1/3 + 1/7 + 0) / 4 = (21 + 7 + 3) / 21 / 4 = 31/84
    assert overall["mrr@10"] == pytest.approx(31 / 84)


def test_evidence_recall_at_5() -> None:
    item = answerable_item("list", [QUOTE_1, QUOTE_3, QUOTE_7], question_type="list")
    # QUOTE_1 at rank 1 and QUOTE_3 at rank 3 are in the top 5; QUOTE_7 at rank 6 is not: 2/3.
    run = record("list", retrieved=ranked({1: passage(QUOTE_1), 3: passage(QUOTE_3), 6: passage(QUOTE_7)}))
    assert evidence_recall(run, item) == pytest.approx(2 / 3)
    # The same evidence retrieved twice still counts once: 1/3.
    twice = record("list", retrieved=ranked({1: passage(QUOTE_1), 2: passage(QUOTE_1)}))
    assert evidence_recall(twice, item) == pytest.approx(1 / 3)
    # One passage holding two quotes recalls both: 2/3.
    both = record("list", retrieved=[passage(QUOTE_1 + "。" + QUOTE_3)])
    assert evidence_recall(both, item) == pytest.approx(2 / 3)
    assert evidence_recall(run, unanswerable_item("u")) is None


def test_evidence_recall_averages_over_items() -> None:
    gold = [
        answerable_item("a", [QUOTE_1, QUOTE_3]),  # both in top 5: 1
        answerable_item("b", [QUOTE_1, QUOTE_3, QUOTE_7, QUOTE_NONE]),  # only QUOTE_7: 1/4
    ]
    records = [
        record("a", retrieved=[passage(QUOTE_1), passage(QUOTE_3)]),
        record("b", retrieved=ranked({5: passage(QUOTE_7)})),
    ]
    # (1 + 1/4) / 2 = 5/8
    assert score(records, gold)["overall"]["evidence_recall@5"] == pytest.approx(5 / 8)


# --- answer keys ------------------------------------------------------------


def test_missing_keys_after_normalisation() -> None:
    answer = "惠济区进出口额17.9 亿元，增长１７５％。"
    assert missing_keys(answer, ["17.9亿元", "175%", "38%"]) == ["38%"]
    assert missing_keys(None, ["17.9亿元"]) == ["17.9亿元"]


def test_all_keys_and_key_recall() -> None:
    gold = [
        answerable_item("a", keys=["17.9亿元", "175%", "38%"]),
        answerable_item("b", keys=["7815套"]),
        unanswerable_item("u"),
    ]
    records = [
        record("a", "进出口额17.9亿元，增长175%。"),  # 2 of 3 keys
        record("b", "交付7815套。"),  # 1 of 1
        record("u", "约20%。"),  # unanswerable: not in key metrics
    ]
    item_a = score_item(records[0], gold[0])
    assert (item_a.all_keys, item_a.key_recall) == (False, pytest.approx(2 / 3))
    overall = score(records, gold)["overall"]
    assert overall["all_keys"] == 1 / 2  # only b
    assert overall["key_recall"] == pytest.approx(5 / 6)  # (2/3 + 1) / 2


# --- refusals ---------------------------------------------------------------


def test_refusal_precision_recall_and_false_refusals() -> None:
    gold = [answerable_item(i) for i in ("a1", "a2", "a3")]
    gold += [unanswerable_item(i) for i in ("u1", "u2", "u3", "u4")]
    records = [
        record("a1", "17.9亿元"),
        record("a2", "17.9亿元"),
        record("a3", REFUSAL, refused=True),  # false refusal
        record("u1", REFUSAL, refused=True),  # correct refusal
        record("u2", REFUSAL, refused=True),  # correct refusal
        record("u3", "约20%。"),  # answered an unanswerable question
        record("u4", "约30%。"),
    ]
    overall = score(records, gold)["overall"]
    # refused: a3, u1, u2 -> 2 of 3 refusals correct
    assert overall["refusal_precision"] == pytest.approx(2 / 3)
    # unanswerable: u1..u4 -> 2 of 4 refused
    assert overall["refusal_recall"] == 2 / 4
    # answerable: a1..a3 -> 1 of 3 refused
    assert overall["false_refusal_rate"] == pytest.approx(1 / 3)


# --- citations --------------------------------------------------------------


def test_citation_hit() -> None:
    with_evidence = answerable_item("c", [QUOTE_1])
    assert citation_hit(record("c", citations=[citation(1, "其他"), citation(2, QUOTE_1)]), with_evidence)
    assert not citation_hit(record("c", citations=[citation(1, QUOTE_1, doc=OTHER_DOC)]), with_evidence)
    assert not citation_hit(record("c", REFUSAL, refused=True), with_evidence)
    assert not citation_hit(None, with_evidence)
    assert citation_hit(record("u", citations=[citation(1, QUOTE_1)]), unanswerable_item("u")) is None


def test_citation_hit_rate_counts_answerable_items_with_evidence() -> None:
    gold = [
        answerable_item("hit", [QUOTE_1]),
        answerable_item("wrong_doc", [QUOTE_1]),
        answerable_item("refused", [QUOTE_1]),
        answerable_item("no_evidence"),  # not applicable: excluded
        unanswerable_item("u"),  # not applicable: excluded
    ]
    records = [
        record("hit", citations=[citation(1, QUOTE_1)], retrieved=[passage(QUOTE_1)]),
        record("wrong_doc", citations=[citation(1, QUOTE_1, doc=OTHER_DOC)]),
        record("refused", REFUSAL, refused=True),
        record("no_evidence", citations=[citation(1, QUOTE_1)], retrieved=[passage(QUOTE_1)]),
        record("u", citations=[citation(1, QUOTE_1)]),
    ]
    overall = score(records, gold)["overall"]
    assert overall["citation_hit_rate"] == pytest.approx(1 / 3)  # hit / (hit, wrong_doc, refused)
    # Retrieval is measured on the same three items: only "hit" retrieved its evidence at rank 1.
    assert overall["hit@1"] == pytest.approx(1 / 3)


# --- numbers ----------------------------------------------------------------


def test_extract_numbers() -> None:
    text = "金融业增加值1302.9亿元[1]，增长６．５％，共1,234家企业[12]，2023年[1, 2]。"
    assert extract_numbers(text) == ["1302.9", "6.5%", "1,234", "2023"]


def test_extract_numbers_is_not_fooled_by_markers_or_commas() -> None:
    # ① and ² turn into digits under NFKC but are not figures.
    assert extract_numbers("①空中丝绸之路 ②陆上丝绸之路，面积3米²") == ["3"]
    # A full-width comma separates clauses; a half-width one groups thousands only by threes.
    assert extract_numbers("分别为12，345个") == ["12", "345"]
    assert extract_numbers("1,2345") == ["1", "2345"]
    assert extract_numbers("１，２３４") == ["1", "234"]


def test_number_in_citation_with_spaces_is_grounded() -> None:
    answer = record("q", "金融业增加值1302.9亿元[1]，占比10.9%[2]。", citations=[
        citation(1, "金融业增加值 1302.9 亿元"),
        citation(2, "占GDP比重 10.9 %"),
    ])
    # [1] and [2] are markers, not numbers; 1302.9 and 10.9% are each in a cited passage.
    assert ungrounded_numbers(answer) == []


def test_number_only_in_uncited_passage_is_ungrounded() -> None:
    run = record(
        "q",
        "进出口额17.9亿元[1]，增长175%。",
        citations=[citation(1, "实现进出口额17.9亿元")],
        retrieved=[passage("实现进出口额17.9亿元"), passage("增长175%")],
    )
    assert ungrounded_numbers(run) == ["175%"]


def test_grounding_compares_whole_numbers() -> None:
    def ungrounded(answer: str, cited_text: str) -> list[str]:
        return ungrounded_numbers(record("q", answer, citations=[citation(1, cited_text)]))

    # A substring of a longer number is not that number.
    assert ungrounded("5种", "35种遗传代谢病筛查") == ["5"]
    assert ungrounded("增长6.5%", "增长16.5%") == ["6.5%"]
    # A passage's "6.5%" states the figure 6.5; a bare "6.5" does not state a percentage.
    assert ungrounded("增长6.5", "增长6.5%") == []
    assert ungrounded("增长6.5%", "增长6.5") == ["6.5%"]
    # Thousands separators do not matter, on either side.
    assert ungrounded("1234家", "共1,234家") == []
    assert ungrounded("1,234家", "共1234家") == []


def test_full_width_answer_numbers_are_grounded() -> None:
    assert ungrounded_numbers(record("q", "１３０２．９亿元", citations=[citation(1, "1302.9亿元")])) == []


def test_every_occurrence_counts_and_refusals_assert_no_figures() -> None:
    assert ungrounded_numbers(record("q", "增长8%，仍是8%。")) == ["8%", "8%"]
    assert ungrounded_numbers(record("q", "报告中没有找到2020年的目标。", refused=True)) == []
    assert ungrounded_numbers(None) == []


def test_ungrounded_totals() -> None:
    gold = [answerable_item("a"), answerable_item("b"), unanswerable_item("u")]
    records = [
        record("a", "17.9亿元[1]，增长8%，共3家", citations=[citation(1, "进出口额17.9亿元")]),  # 8%, 3
        record("b", "17.9亿元[1]", citations=[citation(1, "17.9亿元")]),  # none
        record("u", "约20%。"),  # 20%: an unanswerable question answered with a made-up figure
    ]
    overall = score(records, gold)["overall"]
    assert overall["ungrounded_numbers"] == 3
    assert overall["answers_with_ungrounded"] == 2


# --- latency percentiles ----------------------------------------------------


def test_nearest_rank_percentiles() -> None:
    assert percentile([40, 10, 30, 20], 50) == 20  # rank ceil(0.50 * 4) = 2
    assert percentile([40, 10, 30, 20], 95) == 40  # rank ceil(0.95 * 4) = 4
    values = list(range(1, 21))
    assert percentile(values, 50) == 10  # rank ceil(0.50 * 20) = 10
    assert percentile(values, 95) == 19  # rank ceil(0.95 * 20) = 19
    assert percentile([7.5], 95) == 7.5
    assert percentile(values, 0) == 1  # rank clamps to 1
    assert percentile(values, 100) == 20
    assert percentile([], 50) is None


def test_latency_in_score_uses_records_present() -> None:
    gold = [answerable_item(f"q{i}") for i in range(6)]
    latencies = [300.0, 100.0, 1000.0, 200.0, 400.0]  # q5 has no record
    records = [record(f"q{i}", latency_ms=ms) for i, ms in enumerate(latencies)]
    overall = score(records, gold)["overall"]
    assert overall["latency_p50_ms"] == 300.0  # sorted 100..1000, rank ceil(2.5) = 3
    assert overall["latency_p95_ms"] == 1000.0  # rank ceil(4.75) = 5


# --- empty denominators, missing and unexpected records ----------------------


def test_undefined_ratios_are_none_not_zero() -> None:
    gold = [unanswerable_item("u1"), unanswerable_item("u2")]
    records = [record("u1", "约20%。"), record("u2", "约30%。")]
    overall = score(records, gold)["overall"]
    for name in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "evidence_recall@5", "all_keys",
                 "key_recall", "citation_hit_rate", "false_refusal_rate", "refusal_precision"):
        assert overall[name] is None, name
    # Defined but bad: there were unanswerable questions and none was refused.
    assert overall["refusal_recall"] == 0.0


def test_score_of_nothing() -> None:
    result = score([], [])
    assert result["by_type"] == {}
    assert result["missing_ids"] == [] and result["unexpected_ids"] == []
    overall = result["overall"]
    assert (overall["n"], overall["ungrounded_numbers"], overall["answers_with_ungrounded"]) == (0, 0, 0)
    counts = ("n", "n_answerable", "n_unanswerable", "ungrounded_numbers", "answers_with_ungrounded",
              "unanswerable_with_figures", "answers_with_unsupported_figures", "computations", "wrong_computations",
              "foreign_place_citations")
    assert all(overall[name] == 0 for name in counts)
    assert all(value is None for name, value in overall.items() if name not in counts)


def test_missing_record_is_a_miss_and_not_a_refusal() -> None:
    gold = [answerable_item("a", [QUOTE_1]), unanswerable_item("u")]
    result = score([], gold)
    assert result["missing_ids"] == ["a", "u"]
    overall = result["overall"]
    for name in ("hit@10", "mrr@10", "evidence_recall@5", "all_keys", "key_recall", "citation_hit_rate"):
        assert overall[name] == 0.0, name
    assert overall["refusal_recall"] == 0.0  # u counts as answered
    assert overall["refusal_precision"] is None  # nothing was refused
    assert overall["latency_p50_ms"] is None


def test_records_not_in_gold_are_reported_and_ignored() -> None:
    gold = [answerable_item("a")]
    result = score([record("a", "17.9亿元"), record("zzz", "17.9亿元")], gold)
    assert result["unexpected_ids"] == ["zzz"]
    assert result["overall"]["n"] == 1


def test_duplicate_record_ids_are_an_error() -> None:
    with pytest.raises(ValueError, match="duplicate record id 'a'"):
        score([record("a"), record("a")], [answerable_item("a")])


# --- the shape of the report ------------------------------------------------


def test_by_type_groups_in_question_type_order() -> None:
    gold = [
        unanswerable_item("u"),
        answerable_item("l", [QUOTE_1], keys=["6万人"], question_type="list"),
        answerable_item("f", [QUOTE_3], keys=["35种"]),
    ]
    records = [
        record("u", REFUSAL, refused=True),
        record("l", "6万人", retrieved=[passage(QUOTE_1)]),
        record("f", "不知道", retrieved=ranked({2: passage(QUOTE_3)})),
    ]
    by_type = score(records, gold)["by_type"]
    assert list(by_type) == ["factoid_number", "list", "unanswerable"]
    assert (by_type["list"]["n"], by_type["list"]["hit@1"], by_type["list"]["all_keys"]) == (1, 1.0, 1.0)
    assert (by_type["factoid_number"]["hit@1"], by_type["factoid_number"]["mrr@10"]) == (0.0, 0.5)
    assert (by_type["unanswerable"]["hit@1"], by_type["unanswerable"]["refusal_recall"]) == (None, 1.0)


def test_every_reported_metric_is_defined() -> None:
    records, gold = hit_run()
    overall = score(records, gold)["overall"]
    assert set(overall) == set(METRIC_DEFINITIONS)
    assert all(definition.strip() for definition in METRIC_DEFINITIONS.values())


# --- worst failures ---------------------------------------------------------


def failure_run() -> tuple[list[dict[str, Any]], list[GoldItem]]:
    gold = [
        answerable_item("ok", [QUOTE_1], keys=["6万人"]),
        answerable_item("m3", [QUOTE_3], keys=["35种"]),
        answerable_item("fr", [QUOTE_1], keys=["6万人"]),
        answerable_item("mnone", [QUOTE_NONE], keys=["7815套"]),
        unanswerable_item("u_refused"),
        answerable_item("m7", [QUOTE_7], keys=["30个"]),
        unanswerable_item("u_answered"),
        answerable_item("missing", [QUOTE_1], keys=["6万人"]),
    ]
    records = [
        record("ok", "6万人", retrieved=[passage(QUOTE_1)]),
        record("m3", "不清楚", retrieved=ranked({3: passage(QUOTE_3)})),
        record("fr", REFUSAL, refused=True, retrieved=ranked({1: passage(QUOTE_1)})),
        record("mnone", "10个", retrieved=ranked({})),
        record("u_refused", REFUSAL, refused=True),
        record("m7", "20个", retrieved=ranked({7: passage(QUOTE_7)})),
        record("u_answered", "约20%。", retrieved=ranked({})),
    ]
    return records, gold


def test_worst_failures_order() -> None:
    records, gold = failure_run()
    failures = worst_failures(records, gold)
    # Unanswerable answered; then evidence not in the top 10 (gold order breaks the tie);
    # then by first hit rank, worst first. "ok" and "u_refused" are not failures.
    assert [(f["id"], f["reason"]) for f in failures] == [
        ("u_answered", "answered_unanswerable"),
        ("mnone", "missed_keys"),
        ("missing", "missed_keys"),
        ("m7", "missed_keys"),
        ("m3", "missed_keys"),
        ("fr", "false_refusal"),
    ]
    assert [f["id"] for f in worst_failures(records, gold, n=2)] == ["u_answered", "mnone"]


def test_worst_failure_entry() -> None:
    records, gold = failure_run()
    entry = next(f for f in worst_failures(records, gold) if f["id"] == "m7")
    top3 = ranked({7: passage(QUOTE_7)})[:3]
    assert entry == {
        "id": "m7",
        "type": "factoid_number",
        "reason": "missed_keys",
        "question": "问题m7？",
        "expected": "标准答案。",
        "expected_keys": ["30个"],
        "missing_keys": ["30个"],
        "got": "20个",
        "refused": False,
        "first_hit_rank": 7,
        "retrieved": top3,
    }
    missing = next(f for f in worst_failures(records, gold) if f["id"] == "missing")
    assert (missing["got"], missing["first_hit_rank"], missing["retrieved"]) == (None, None, [])


# --- the usage examples in the docstrings are true --------------------------


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.metrics)
    assert result.attempted > 0 and result.failed == 0


# --- wrong figures, computations, new types, other places ----------------------

REVENUE_TEXT = "全年地区生产总值65.8亿元，增长6.5%。"
BUDGET_TEXT = "一般公共预算收入完成26.12亿元。"
DIFFERENCE = {"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1, 2]}


def computed_record(item_id: str, answer: str, computations: list[dict[str, Any]]) -> dict[str, Any]:
    return {**record(item_id, answer, citations=[citation(1, REVENUE_TEXT), citation(2, BUDGET_TEXT)]),
            "computations": computations}


def test_a_figure_given_to_a_question_to_refuse_is_a_wrong_figure_but_the_questions_year_is_not() -> None:
    gold = [GoldItem(f"u{i}", "台湾地区2025年GDP增长目标是多少？", None, (), (), "unanswerable") for i in range(4)]
    records = [
        record("u0", "2025年经济增长5.5%左右[1]。", citations=[citation(1, "2025年经济增长5.5%左右")]),
        record("u1", "报告中没有找到台湾地区2025年的目标。", refused=True),
        record("u2", "2025年要推动高质量发展[1]。", citations=[citation(1, "2025年推动高质量发展")]),
        record("u3", "经济增长目标为5%[1]。", citations=[citation(1, "经济增长5%")]),
    ]
    overall = score(records, gold)["overall"]
    # u0 and u3 give a figure; u1 is refused; u2 only repeats the question's year.
    assert overall["unanswerable_with_figures"] == 2
    assert score_item(records[0], gold[0]).figures_for_unanswerable == ("5.5%",)
    # Both answers' figures are in their passages: grounded, yet wrong for a question to refuse.
    assert overall["ungrounded_numbers"] == 0


def test_a_figure_with_a_unit_no_cited_passage_states_is_a_wrong_figure() -> None:
    gold = [answerable_item(f"a{i}", keys=["46.3亿美元"]) for i in range(3)]
    cited = [citation(1, "实际吸收外资46.3亿美元，增长3%")]
    records = [
        record("a0", "实际利用外资46.3亿元[1]。", citations=cited),   # the passage's number, another currency
        record("a1", "实际吸收外资46.3亿美元[1]，增长3%。", citations=cited),
        record("a2", "实际吸收外资46.3亿美元，约占全省一半，增长8%[1]。", citations=cited),
    ]
    overall = score(records, gold)["overall"]
    assert overall["answers_with_unsupported_figures"] == 2  # a0 (46.3亿元) and a2 (8%)
    assert score_item(records[0], gold[0]).unsupported_figures == ("46.3亿元",)
    # 46.3 alone is in the passage, so the number check alone does not see a0's wrong unit.
    assert score_item(records[0], gold[0]).ungrounded_numbers == ()
    assert overall["unanswerable_with_figures"] == 0


def test_a_declared_correct_computation_grounds_its_result() -> None:
    item = answerable_item("c", keys=["39.68亿元"], question_type="computation")
    answer = "65.8亿元 − 26.12亿元 = 39.68亿元，据[1][2]计算。"
    result = score_item(computed_record("c", answer, [DIFFERENCE]), item)
    assert (result.ungrounded_numbers, result.unsupported_figures, result.computations, result.wrong_computations) \
        == ((), (), 1, ())


def test_an_undeclared_computation_is_an_ungrounded_and_unsupported_figure() -> None:
    item = answerable_item("c", keys=["39.68亿元"], question_type="computation")
    result = score_item(computed_record("c", "两者相差39.68亿元[1][2]。", []), item)
    assert result.ungrounded_numbers == ("39.68",) and result.unsupported_figures == ("39.68亿元",)


def test_a_wrong_computation_counts_as_ungrounded_once() -> None:
    item = answerable_item("c", keys=["39.68亿元"], question_type="computation")
    wrong_sum = {"expression": "65.8-26.12", "result": "38.68亿元", "citations": [1, 2]}
    result = score_item(computed_record("c", "相差38.68亿元[1][2]。", [wrong_sum]), item)
    assert result.ungrounded_numbers == ("38.68",)
    assert result.wrong_computations == ("65.8-26.12=38.68亿元：算式结果不是 38.68亿元",)
    # Right arithmetic, but an operand from a passage the computation does not cite; the result is not in the answer.
    uncited = {"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1]}
    result = score_item(computed_record("c", "收入少于生产总值[1][2]。", [uncited]), item)
    assert result.ungrounded_numbers == ("65.8-26.12=39.68亿元",) and len(result.wrong_computations) == 1
    overall = score([computed_record("c", "相差38.68亿元[1][2]。", [wrong_sum, DIFFERENCE])], [item])["overall"]
    assert (overall["computations"], overall["wrong_computations"]) == (2, 1)


def test_by_type_covers_new_types_after_the_known_ones() -> None:
    gold = [
        answerable_item("t", [QUOTE_1], keys=["6万人"], question_type="trend"),
        answerable_item("n", [QUOTE_1], keys=["6万人"], question_type="naming"),
        answerable_item("c", [QUOTE_1], keys=["6万人"], question_type="computation"),
        answerable_item("f", [QUOTE_1], keys=["6万人"]),
    ]
    records = [record(i, "6万人", retrieved=[passage(QUOTE_1)]) for i in ("t", "n", "c", "f")]
    by_type = score(records, gold)["by_type"]
    assert list(by_type) == ["factoid_number", "computation", "trend", "naming"]
    assert all(group["n"] == 1 and group["all_keys"] == 1.0 for group in by_type.values())


def test_foreign_place_citations_use_the_librarys_places() -> None:
    from eval.places import PlaceBook

    places = PlaceBook.from_regions([("青山市", "江南省"), ("柳溪区", "青山市"), ("白沙市", "江南省")])
    gold = [answerable_item("p", keys=["6万人"])]
    answer = {**record("p", "筛查6万人[1][2]。", citations=[
        {**citation(1, QUOTE_1), "region": "柳溪区"}, {**citation(2, QUOTE_1), "region": "白沙市"}]),
        "standalone_question": "青山市筛查了多少人？"}
    assert score([answer], gold, places)["overall"]["foreign_place_citations"] == 1
    # Without the library, the cited regions are the places known: 青山市 is not among them, so nothing is named.
    assert score([answer], gold)["overall"]["foreign_place_citations"] == 0
    answer["standalone_question"] = "柳溪区筛查了多少人？"
    assert score([answer], gold)["overall"]["foreign_place_citations"] == 1
