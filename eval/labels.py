"""Display names for the eval's report and plots: question types, metrics, failure reasons.

Each name comes in Chinese (the report's language) and in English, for plots drawn on a
machine without a CJK font, where Chinese labels would render as empty boxes.

Usage::

    from eval.labels import type_label, metric_label

    type_label("factoid_number")              # '数字事实'
    type_label("factoid_number", cjk=False)   # 'number'
    metric_label("all_keys")                  # '答案含全部要点'
"""

from __future__ import annotations

_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "factoid_number": ("数字事实", "number"),
    "factoid_entity": ("实体事实", "entity"),
    "list": ("列举", "list"),
    "comparison": ("比较", "comparison"),
    "computation": ("计算", "computation"),
    "trend": ("趋势", "trend"),
    "temporal": ("时间", "temporal"),
    "unanswerable": ("不可回答", "unanswerable"),
    "multi_turn": ("多轮对话", "multi-turn"),
}

_METRIC_LABELS: dict[str, str] = {
    "n": "题目数",
    "n_answerable": "有答案的题目数",
    "n_unanswerable": "应拒答的题目数",
    "hit@1": "检索命中@1",
    "hit@3": "检索命中@3",
    "hit@5": "检索命中@5",
    "hit@10": "检索命中@10",
    "mrr@10": "MRR@10",
    "evidence_recall@5": "证据召回@5",
    "all_keys": "答案含全部要点",
    "key_recall": "要点召回",
    "refusal_precision": "拒答精确率",
    "refusal_recall": "拒答召回率",
    "false_refusal_rate": "误拒率",
    "citation_hit_rate": "引用命中率",
    "ungrounded_numbers": "无出处数字（个）",
    "answers_with_ungrounded": "含无出处数字的回答数",
    "unanswerable_with_figures": "应拒答却给出数字的回答数",
    "answers_with_unsupported_figures": "含无出处带单位数字的回答数",
    "computations": "声明的计算（个）",
    "wrong_computations": "错误的计算（个）",
    "foreign_place_citations": "引用其他地区报告（条）",
    "latency_p50_ms": "耗时 p50（毫秒）",
    "latency_p95_ms": "耗时 p95（毫秒）",
}

FAILURE_REASONS: dict[str, str] = {
    "answered_unanswerable": "报告未提及却作答",
    "false_refusal": "有答案却拒答",
    "missed_keys": "答案缺少要点",
}


def type_label(question_type: str, cjk: bool = True) -> str:
    """The display name of a question type (the type itself when unknown).

    Example:
        >>> type_label("list"), type_label("list", cjk=False)
        ('列举', 'list')
    """
    chinese, english = _TYPE_LABELS.get(question_type, (question_type, question_type))
    return chinese if cjk else english


def metric_label(metric: str) -> str:
    """The Chinese display name of a metric key of ``eval.metrics.METRIC_DEFINITIONS``.

    Example:
        >>> metric_label("false_refusal_rate")
        '误拒率'
    """
    return _METRIC_LABELS.get(metric, metric)
