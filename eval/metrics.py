"""Metrics over answer records and gold items: pure functions, no model, no I/O.

A record is a plain dict in the answer format of DESIGN.md ("Contracts"): ``id``,
``question``, ``standalone_question``, ``answer``, ``refused``, ``citations``
(``n``, ``doc``, ``start``, ``end``, ``text``, ``quote``, ...), ``retrieved``
(``doc``, ``start``, ``end``, ``text``, ``score``) and ``latency_ms``. Records are
read leniently (a missing list counts as empty, a missing ``refused`` as false) so
that a run with a failed question still scores instead of crashing the report.

Text is matched after NFKC normalisation with all white space removed, because
the reports mix full- and half-width punctuation and digits.

Usage::

    from eval.gold import load_gold
    from eval.metrics import score, worst_failures

    gold = load_gold(path)
    result = score(records, gold)
    result["overall"]["hit@5"], result["by_type"]["list"]["all_keys"]
    worst_failures(records, gold, n=10)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eval.computations import ComputationCheck, check_computations
from eval.gold import QUESTION_TYPES, Evidence, GoldItem, answerable
from eval.numbers import extract_numbers, normalize, number_key, stated_numbers, unit_figures
from eval.places import PlaceBook, foreign_citations, question_text

HIT_KS = (1, 3, 5, 10)
MRR_K = 10
EVIDENCE_RECALL_K = 5

METRIC_DEFINITIONS: dict[str, str] = {
    "n": "该组的题目数（含不可回答题）。",
    "n_answerable": "该组中报告有答案的题目数（gold answer 不为 null）。",
    "n_unanswerable": "该组中报告没有答案、应当拒答的题目数（gold answer 为 null）。",
    "hit@1": "有答案且标注了证据的题目中，排名第 1 的检索段落命中任一证据的比例。",
    "hit@3": "有答案且标注了证据的题目中，前 3 个检索段落里至少一个命中证据的比例。",
    "hit@5": "有答案且标注了证据的题目中，前 5 个检索段落里至少一个命中证据的比例。",
    "hit@10": "有答案且标注了证据的题目中，前 10 个检索段落里至少一个命中证据的比例。",
    "mrr@10": "第一个命中证据的检索段落排名的倒数的平均值（前 10 名内未命中记 0），只计有答案且有证据的题目。",
    "evidence_recall@5": "每题证据条目中被前 5 个检索段落命中的比例，再对有答案且有证据的题目取平均；多证据的列举、比较题看它。",
    "all_keys": "有答案的题目中，回答包含全部答案要点（answer_keys，归一化后比较）的比例。",
    "key_recall": "每题回答包含的答案要点占该题全部要点的比例，再对有答案的题目取平均。",
    "refusal_precision": "系统拒答的题目中，报告确实没有答案的比例。",
    "refusal_recall": "报告没有答案的题目中，系统拒答的比例。",
    "false_refusal_rate": "报告有答案的题目中，系统却拒答的比例。",
    "citation_hit_rate": "有答案且标注了证据的题目中，至少一条引用段落命中证据的比例。",
    "ungrounded_numbers": "未拒答的回答里，在该回答的所有引用段落中都找不到的数字的总个数（不计 [1] 这类引用标记）。",
    "answers_with_ungrounded": "含至少一个无出处数字的回答数。",
    "unanswerable_with_figures": "错误数字之一：报告没有答案、应当拒答的题目中，未拒答且回答给出了数字的回答数"
                                 "（问题里本来就有的数字，如年份，不算）。",
    "answers_with_unsupported_figures": "错误数字之二：有答案的题目中，回答含带单位的数字（如 46.3亿元、5%），"
                                        "而所引段落里没有同一数字同一单位、也不是正确声明的计算结果的回答数。",
    "computations": "回答声明的计算（computations 字段）个数。",
    "wrong_computations": "算式不合规、算错，或运算数不在该计算所引段落中的计算个数（每个也计入无出处数字）。",
    "foreign_place_citations": "问题点名了资料库中的地区时，引用段落出自其他地区（既不是点名的地区，"
                               "也不在其辖下）报告的引用条数。",
    "latency_p50_ms": "单题耗时（毫秒）的中位数，按最近秩法（nearest-rank）计算。",
    "latency_p95_ms": "单题耗时（毫秒）的第 95 百分位数，按最近秩法计算。",
}

def passage_matches(passage_doc: str, passage_text: str, evidence: Evidence) -> bool:
    """Whether a passage supports one evidence item.

    Definition: the passage is from the same report (``passage_doc ==
    evidence.doc``) and, with q the normalised quote and p the normalised
    passage text, p contains the first ceil(len(q)/2) characters of q or its
    last ceil(len(q)/2) characters. A passage containing the whole quote
    matches by that rule; so does each of two neighbouring passages when the
    chunker split the quote between them, while a passage holding only a
    middle piece of the quote does not. An empty quote matches nothing.

    Example:
        >>> ev = Evidence("001.txt", "实现进出口额17.9亿元,增长175%")
        >>> passage_matches("001.txt", "……实现进出口额17.9亿元，", ev)   # first half
        True
        >>> passage_matches("002.txt", "实现进出口额17.9亿元,增长175%", ev)  # other report
        False
    """
    if passage_doc != evidence.doc:
        return False
    quote = normalize(evidence.quote)
    if not quote:
        return False
    passage = normalize(passage_text)
    half = math.ceil(len(quote) / 2)
    return quote[:half] in passage or quote[-half:] in passage


def _passages(record: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    return list((record or {}).get(key) or [])


def _supports(passage: dict[str, Any], evidence: Evidence) -> bool:
    return passage_matches(passage.get("doc", ""), passage.get("text", ""), evidence)


def first_hit_rank(record: dict[str, Any] | None, item: GoldItem, k: int = 10) -> int | None:
    """1-based rank of the first of the top ``k`` retrieved passages that matches any evidence item.

    None when none of them does, when the item has no evidence, or when there is
    no record.

    Example:
        >>> item = GoldItem("q1", "？", "6万人", ("6万人",), (Evidence("d.txt", "筛查各6万人"),),
        ...                 "factoid_number")
        >>> record = {"retrieved": [{"doc": "d.txt", "text": "其他"},
        ...                         {"doc": "d.txt", "text": "筛查各 6 万人。"}]}
        >>> first_hit_rank(record, item)
        2
    """
    for rank, passage in enumerate(_passages(record, "retrieved")[:k], start=1):
        if any(_supports(passage, evidence) for evidence in item.evidence):
            return rank
    return None


def evidence_recall(
    record: dict[str, Any] | None, item: GoldItem, k: int = EVIDENCE_RECALL_K
) -> float | None:
    """Fraction of the item's evidence items matched by at least one of the top ``k`` retrieved passages.

    None when the item has no evidence (nothing to recall).

    Example:
        >>> item = GoldItem("q1", "？", "博物馆30个、公园20个", ("30个", "20个"),
        ...                 (Evidence("d.txt", "新建各类博物馆30个"), Evidence("d.txt", "遗址生态文化公园20个")),
        ...                 "list")
        >>> evidence_recall({"retrieved": [{"doc": "d.txt", "text": "新建各类博物馆30个。"}]}, item)
        0.5
    """
    if not item.evidence:
        return None
    top = _passages(record, "retrieved")[:k]
    found = sum(1 for evidence in item.evidence if any(_supports(passage, evidence) for passage in top))
    return found / len(item.evidence)


def missing_keys(answer: str | None, keys: Sequence[str]) -> list[str]:
    """The answer keys whose normalised form is not in the normalised answer, in gold order.

    Example:
        >>> missing_keys("进出口额17.9 亿元，增长175％。", ["17.9亿元", "175%", "38%"])
        ['38%']
    """
    text = normalize(answer or "")
    return [key for key in keys if normalize(key) not in text]


def citation_hit(record: dict[str, Any] | None, item: GoldItem) -> bool | None:
    """Whether at least one citation of the record matches an evidence item of ``item``.

    None (not applicable) when the item has no evidence; False when there is no
    record or no citation.

    Example:
        >>> item = GoldItem("q1", "？", "6万人", ("6万人",), (Evidence("d.txt", "筛查各6万人"),),
        ...                 "factoid_number")
        >>> citation_hit({"citations": [{"n": 1, "doc": "d.txt", "text": "筛查各6万人"}]}, item)
        True
    """
    if not item.evidence:
        return None
    return any(
        _supports(citation, evidence)
        for citation in _passages(record, "citations")
        for evidence in item.evidence
    )


def _computed_numbers(checks: Sequence[ComputationCheck]) -> set[str]:
    """The result numbers of the correct computations, with and without a trailing %."""
    numbers = {check.result_number for check in checks if check.correct and check.result_number}
    return numbers | {number.removesuffix("%") for number in numbers}


def ungrounded_numbers(record: dict[str, Any] | None) -> list[str]:
    """The numbers of the answer found in none of the record's cited passages, and its wrong computations.

    A number is grounded when it occurs as a whole number in the normalised
    ``text`` of at least one citation: "1302.9" is grounded by "1302.9 亿元" and
    "6.5" by "6.5%", but "5" is not grounded by "35种" nor "6.5" by "16.5".
    Thousands separators are ignored on both sides. A number no passage states is
    grounded only as the result of a declared, correct computation (see
    ``eval.computations``); each wrong computation counts once, as
    "expression=result", unless its result is already listed. A refusal asserts no
    figure, so a refused record has none (its message may echo the question's year).

    Example:
        >>> ungrounded_numbers({"answer": "金融业增加值1302.9亿元[1]，增长8%。", "refused": False,
        ...                     "citations": [{"n": 1, "text": "金融业增加值 1302.9 亿元"}]})
        ['8%']
        >>> cites = [{"n": 1, "text": "收入65.8亿元"}, {"n": 2, "text": "支出26.12亿元"}]
        >>> ungrounded_numbers({"answer": "多39.68亿元。", "citations": cites, "computations": [
        ...     {"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1, 2]}]})
        []
        >>> ungrounded_numbers({"answer": "多39.68亿元。", "citations": cites, "computations": [
        ...     {"expression": "65.8-26.12", "result": "39.68亿元", "citations": [1]}]})
        ['39.68']
    """
    if record is None or record.get("refused"):
        return []
    cited = stated_numbers([citation.get("text", "") for citation in _passages(record, "citations")])
    checks = check_computations(record)
    computed = _computed_numbers(checks)
    ungrounded = [
        number for number in extract_numbers(record.get("answer") or "")
        if number_key(number) not in cited and number_key(number) not in computed
    ]
    listed = {number_key(number) for number in ungrounded}
    for check in checks:
        if not check.correct and check.result_number not in listed:
            ungrounded.append(f"{check.expression}={check.result}")
    return ungrounded


def figures_for_unanswerable(record: dict[str, Any] | None, item: GoldItem) -> list[str]:
    """The numbers an answer gives to a question the reports do not answer (empty when refused or answerable).

    Numbers the question itself writes (its year, "PM2.5") are not figures given by the answer.

    Example:
        >>> item = GoldItem("q1", "台湾地区2025年GDP增长目标是多少？", None, (), (), "unanswerable")
        >>> figures_for_unanswerable({"answer": "2025年经济增长5.5%左右[1]。", "refused": False}, item)
        ['5.5%']
    """
    if answerable(item) or record is None or record.get("refused"):
        return []
    asked = {number_key(n).removesuffix("%")
             for n in extract_numbers(item.question + question_text(record, item.question))}
    return [n for n in extract_numbers(record.get("answer") or "") if number_key(n).removesuffix("%") not in asked]


def unsupported_figures(record: dict[str, Any] | None, item: GoldItem) -> list[str]:
    """Figures with a unit in an answer to an answerable question that no cited passage states with that unit.

    A figure with a unit is compared as number and unit key (``eval.numbers.unit_figures``):
    "46.3亿元" is not supported by a passage's "46.3亿美元". The result of a declared,
    correct computation is supported. Empty for a refusal and for an unanswerable item
    (``figures_for_unanswerable`` covers those).

    Example:
        >>> item = GoldItem("q1", "郑州2020年实际利用外资多少？", "46.3亿美元", ("46.3亿美元",), (), "factoid_number")
        >>> unsupported_figures({"answer": "实际利用外资46.3亿元[1]，增长3%。", "refused": False,
        ...                      "citations": [{"n": 1, "text": "实际吸收外资46.3亿美元，增长3%"}]}, item)
        ['46.3亿元']
    """
    if not answerable(item) or record is None or record.get("refused"):
        return []
    stated = {(f.number, f.unit) for c in _passages(record, "citations") for f in unit_figures(c.get("text", ""))}
    computed = _computed_numbers(check_computations(record))
    return [f.text for f in unit_figures(record.get("answer") or "")
            if (f.number, f.unit) not in stated and f.number not in computed]


def percentile(values: Iterable[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``p`` % of the values at or below it.

    None for no values.

    Example:
        >>> percentile([40, 10, 30, 20], 50)
        20
        >>> percentile([40, 10, 30, 20], 95)
        40
    """
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class ItemScore:
    """Everything measured for one gold item; ``None`` marks a measure that does not apply.

    ``first_hit_rank`` is searched in the top 10 retrieved passages.
    """

    id: str
    type: str
    answerable: bool
    has_record: bool
    refused: bool
    first_hit_rank: int | None
    evidence_recall_5: float | None
    missing_keys: tuple[str, ...]
    key_recall: float | None
    citation_hit: bool | None
    ungrounded_numbers: tuple[str, ...]
    latency_ms: float | None
    figures_for_unanswerable: tuple[str, ...]
    unsupported_figures: tuple[str, ...]
    computations: int
    wrong_computations: tuple[str, ...]
    foreign_citations: tuple[str, ...]

    def hit(self, k: int) -> bool:
        """Whether an evidence passage was retrieved within the top ``k`` (``k`` <= 10)."""
        return self.first_hit_rank is not None and self.first_hit_rank <= k

    @property
    def all_keys(self) -> bool | None:
        """Whether the answer contains every answer key (None for an unanswerable item)."""
        return None if self.key_recall is None else not self.missing_keys


def _regions_cited(records: Iterable[dict[str, Any] | None]) -> PlaceBook:
    """The places a run's citations come from, when the library itself is not known."""
    return PlaceBook.from_regions(
        (citation.get("region"), None) for record in records for citation in _passages(record, "citations")
    )


def score_item(record: dict[str, Any] | None, item: GoldItem, places: PlaceBook | None = None) -> ItemScore:
    """Score one gold item against its record (None when the run produced no record).

    A missing record counts as a miss and as not refused. ``places`` is the library's
    places for ``foreign_place_citations``; without it, the regions the record cites.

    Example:
        >>> item = GoldItem("q1", "？", None, (), (), "unanswerable")
        >>> score_item({"id": "q1", "answer": "报告中没有找到…", "refused": True}, item).refused
        True
    """
    is_answerable = answerable(item)
    missing = missing_keys((record or {}).get("answer"), item.answer_keys)
    latency = (record or {}).get("latency_ms")
    checks = check_computations(record)
    has_latency = isinstance(latency, (int, float)) and not isinstance(latency, bool)
    return ItemScore(
        id=item.id,
        type=item.type,
        answerable=is_answerable,
        has_record=record is not None,
        refused=bool((record or {}).get("refused")),
        first_hit_rank=first_hit_rank(record, item, k=max(HIT_KS)),
        evidence_recall_5=evidence_recall(record, item),
        missing_keys=tuple(missing),
        key_recall=(len(item.answer_keys) - len(missing)) / len(item.answer_keys) if is_answerable else None,
        citation_hit=citation_hit(record, item),
        ungrounded_numbers=tuple(ungrounded_numbers(record)),
        latency_ms=float(latency) if has_latency else None,
        figures_for_unanswerable=tuple(figures_for_unanswerable(record, item)),
        unsupported_figures=tuple(unsupported_figures(record, item)),
        computations=len(checks),
        wrong_computations=tuple(f"{c.expression}={c.result}：{c.problem}" for c in checks if not c.correct),
        foreign_citations=tuple(foreign_citations(record, item.question, places or _regions_cited([record]))),
    )


def _ratio(numerator: float, denominator: int) -> float | None:
    # An undefined ratio must read as "no data", never as a score of 0.
    return numerator / denominator if denominator else None


def _mean(values: Sequence[float]) -> float | None:
    return _ratio(sum(values), len(values))


def aggregate(scores: Sequence[ItemScore]) -> dict[str, Any]:
    """The metrics of ``METRIC_DEFINITIONS`` over a group of item scores (see ``score``)."""
    answerable_scores = [s for s in scores if s.answerable]
    # Retrieval needs gold evidence; an answerable item without it cannot hit or miss.
    with_evidence = [s for s in answerable_scores if s.evidence_recall_5 is not None]
    unanswerable_count = len(scores) - len(answerable_scores)
    refused = [s for s in scores if s.refused]
    correct_refusals = sum(1 for s in refused if not s.answerable)
    latencies = [s.latency_ms for s in scores if s.latency_ms is not None]
    result: dict[str, Any] = {
        "n": len(scores),
        "n_answerable": len(answerable_scores),
        "n_unanswerable": unanswerable_count,
    }
    for k in HIT_KS:
        result[f"hit@{k}"] = _mean([float(s.hit(k)) for s in with_evidence])
    result["mrr@10"] = _mean(
        [
            1 / s.first_hit_rank if s.first_hit_rank is not None and s.first_hit_rank <= MRR_K else 0.0
            for s in with_evidence
        ]
    )
    result["evidence_recall@5"] = _mean(
        [s.evidence_recall_5 for s in with_evidence if s.evidence_recall_5 is not None]
    )
    result["all_keys"] = _mean([float(not s.missing_keys) for s in answerable_scores])
    result["key_recall"] = _mean([s.key_recall for s in answerable_scores if s.key_recall is not None])
    result["refusal_precision"] = _ratio(correct_refusals, len(refused))
    result["refusal_recall"] = _ratio(correct_refusals, unanswerable_count)
    result["false_refusal_rate"] = _ratio(len(refused) - correct_refusals, len(answerable_scores))
    result["citation_hit_rate"] = _mean([float(bool(s.citation_hit)) for s in with_evidence])
    result["ungrounded_numbers"] = sum(len(s.ungrounded_numbers) for s in scores)
    result["answers_with_ungrounded"] = sum(1 for s in scores if s.ungrounded_numbers)
    result["unanswerable_with_figures"] = sum(1 for s in scores if s.figures_for_unanswerable)
    result["answers_with_unsupported_figures"] = sum(1 for s in scores if s.unsupported_figures)
    result["computations"] = sum(s.computations for s in scores)
    result["wrong_computations"] = sum(len(s.wrong_computations) for s in scores)
    result["foreign_place_citations"] = sum(len(s.foreign_citations) for s in scores)
    result["latency_p50_ms"] = percentile(latencies, 50)
    result["latency_p95_ms"] = percentile(latencies, 95)
    return result


def _records_by_id(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    for record in records:
        if record["id"] in by_id:
            # Keeping either copy silently would score a run that is not what was asked.
            raise ValueError(f"duplicate record id {record['id']!r}")
        by_id[record["id"]] = record
    return by_id


def score_items(records: Iterable[dict[str, Any]], gold: Sequence[GoldItem],
                places: PlaceBook | None = None) -> list[ItemScore]:
    """``score_item`` for every gold item, in gold order, matching records by id.

    ``places`` is the library's places; without it, every region the run's citations name.
    """
    by_id = _records_by_id(records)
    book = places if places is not None else _regions_cited(by_id.values())
    return [score_item(by_id.get(item.id), item, book) for item in gold]


def types_in_order(types: Iterable[str]) -> list[str]:
    """The distinct ``types``: the known ``QUESTION_TYPES`` first in their order, then new ones as they come.

    Example:
        >>> types_in_order(["trend", "list", "computation", "factoid_number", "list", "naming"])
        ['factoid_number', 'list', 'computation', 'trend', 'naming']
    """
    present = list(dict.fromkeys(types))
    return [t for t in QUESTION_TYPES if t in present] + [t for t in present if t not in QUESTION_TYPES]


def score(records: Iterable[dict[str, Any]], gold: Sequence[GoldItem],
          places: PlaceBook | None = None) -> dict[str, Any]:
    """Aggregate metrics of a run over a gold set.

    Returns ``{"overall": {...}, "by_type": {type: {...}}, "missing_ids": [...],
    "unexpected_ids": [...]}``. Each metrics dict has the keys of
    ``METRIC_DEFINITIONS``: retrieval and citation metrics over answerable
    items with evidence, key metrics over answerable items, refusal metrics
    and ungrounded numbers over all items (positive class: gold answer null),
    latency over items that have a record. An undefined ratio is None.
    ``by_type`` lists every type of the gold set: known types in ``QUESTION_TYPES``
    order, then new ones in gold order. ``places`` is the library's places (see
    ``score_items``).
    ``missing_ids`` are gold ids without a record (scored as a miss, not
    refused); ``unexpected_ids`` are record ids not in the gold set (ignored).
    Raises ValueError when two records share an id.

    Example:
        >>> item = GoldItem("q1", "？", None, (), (), "unanswerable")
        >>> result = score([{"id": "q1", "answer": "报告中没有找到…", "refused": True}], [item])
        >>> result["overall"]["refusal_recall"], result["overall"]["hit@1"]
        (1.0, None)
    """
    record_list = list(records)
    scores = score_items(record_list, gold, places)
    gold_ids = {item.id for item in gold}
    return {
        "overall": aggregate(scores),
        "by_type": {
            question_type: aggregate([s for s in scores if s.type == question_type])
            for question_type in types_in_order(s.type for s in scores)
        },
        "missing_ids": [s.id for s in scores if not s.has_record],
        "unexpected_ids": [record["id"] for record in record_list if record["id"] not in gold_ids],
    }


def worst_failures(
    records: Iterable[dict[str, Any]], gold: Sequence[GoldItem], n: int = 10, places: PlaceBook | None = None
) -> list[dict[str, Any]]:
    """The ``n`` worst failures of a run, worst first, for a report to show.

    Failures: an unanswerable item not refused ("answered_unanswerable"); an
    answerable item refused ("false_refusal") or answered without every key
    ("missed_keys"). Order: answered unanswerable items first (a confident
    wrong answer misleads the most), then answerable failures whose evidence is
    not in the top 10 retrieved, then the rest by first hit rank, worst rank
    first; ties keep gold order. A gold item without a record is a failure too
    (``got`` is None).

    Each entry: ``id``, ``type``, ``reason``, ``question``, ``expected`` (gold
    answer; None means "should refuse"), ``expected_keys``, ``missing_keys``,
    ``got`` (the answer), ``refused``, ``first_hit_rank`` and ``retrieved``
    (top 3 passages: ``doc``, ``start``, ``end``, ``text``, ``score``).

    Example:
        >>> item = GoldItem("q1", "？", None, (), (), "unanswerable")
        >>> [f["reason"] for f in worst_failures([{"id": "q1", "answer": "约5%", "refused": False}], [item])]
        ['answered_unanswerable']
    """
    by_id = _records_by_id(records)
    book = places if places is not None else _regions_cited(by_id.values())
    failures: list[tuple[tuple[int, float], dict[str, Any]]] = []
    for item in gold:
        record = by_id.get(item.id)
        item_score = score_item(record, item, book)
        if not item_score.answerable:
            if item_score.refused:
                continue
            reason, order = "answered_unanswerable", (0, 0.0)
        elif item_score.refused or not item_score.all_keys:
            reason = "false_refusal" if item_score.refused else "missed_keys"
            rank = item_score.first_hit_rank
            order = (1, -(rank if rank is not None else math.inf))
        else:
            continue
        retrieved = [
            {field: passage.get(field) for field in ("doc", "start", "end", "text", "score")}
            for passage in _passages(record, "retrieved")[:3]
        ]
        failures.append(
            (
                order,
                {
                    "id": item.id,
                    "type": item.type,
                    "reason": reason,
                    "question": item.question,
                    "expected": item.answer,
                    "expected_keys": list(item.answer_keys),
                    "missing_keys": list(item_score.missing_keys),
                    "got": (record or {}).get("answer"),
                    "refused": item_score.refused,
                    "first_hit_rank": item_score.first_hit_rank,
                    "retrieved": retrieved,
                },
            )
        )
    failures.sort(key=lambda failure: failure[0])  # stable: ties keep gold order
    return [failure for _, failure in failures[:n]]
