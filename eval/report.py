"""What a run leaves behind: answers (JSONL), metrics.json, a plain-text side-by-side table and report.html.

The HTML report is Chinese and self-contained: inline CSS, no script, no external URL; its
plots are PNG files beside it, referenced by file name. Every text that comes from a
gold file, a report or an answer is HTML-escaped.

Usage::

    write_answers(result, out_dir / "answers.jsonl")
    write_metrics(run, out_dir / "metrics.json")
    print(text_table(run.results))
    (out_dir / "report.html").write_text(render_html(run, plots), encoding="utf-8")
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from eval.configs import DEFAULT_CONFIG
from eval.gold import GoldItem
from eval.labels import FAILURE_REASONS, metric_label, type_label
from eval.metrics import METRIC_DEFINITIONS, passage_matches
from eval.plots import Plot
from eval.results import ConfigResult, EvalRun

_WRONG_COUNTS = frozenset({
    "ungrounded_numbers", "answers_with_ungrounded", "unanswerable_with_figures", "answers_with_unsupported_figures",
    "wrong_computations", "foreign_place_citations",
})
_COUNTS = frozenset({"n", "n_answerable", "n_unanswerable", "computations"}) | _WRONG_COUNTS
_MILLISECONDS = frozenset({"latency_p50_ms", "latency_p95_ms"})
_LOWER_IS_BETTER = frozenset({"false_refusal_rate"}) | _WRONG_COUNTS | _MILLISECONDS
# Group sizes describe the gold set, and how many computations an answerer declares is neither good nor bad.
_NOT_COMPARED = frozenset({"n", "n_answerable", "n_unanswerable", "computations"})
_PASSAGE_CHARS = 240
_ANSWER_CHARS = 300


def format_value(metric: str, value: float | int | None, missing: str = "—") -> str:
    """A metric value as the tables show it: counts whole, times in ms with one decimal, ratios with three.

    Example:
        >>> format_value("hit@5", 0.97674), format_value("latency_p50_ms", 41.26), format_value("n", 50)
        ('0.977', '41.3', '50')
        >>> format_value("refusal_precision", None, missing="-")
        '-'
    """
    if value is None:
        return missing
    if metric in _COUNTS:
        return str(int(value))
    if metric in _MILLISECONDS:
        return f"{value:.1f}"
    return f"{value:.3f}"


def answers_file_name(config: str, per_config: bool) -> str:
    """``answers.jsonl`` for a single configuration, ``answers-NAME.jsonl`` when several are compared.

    Example:
        >>> answers_file_name("hybrid", per_config=False), answers_file_name("bm25", per_config=True)
        ('answers.jsonl', 'answers-bm25.jsonl')
    """
    return f"answers-{config}.jsonl" if per_config else "answers.jsonl"


def write_answers(result: ConfigResult, path: Path) -> None:
    """One answer record per line, in gold order, as ``govqa ask --batch`` prints them."""
    with path.open("w", encoding="utf-8") as out:
        for record in result.records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def metrics_document(run: EvalRun) -> dict[str, Any]:
    """The content of metrics.json: run facts, per configuration overall + by_type (+ hit curve), definitions.

    Example:
        >>> metrics_document(run)["configs"]["hybrid"]["overall"]["hit@5"]  # doctest: +SKIP
        0.977
    """
    return {
        "gold": str(run.gold_path),
        "n_items": len(run.gold),
        "corpora": [str(path) for path in run.corpora],
        "store": run.store,
        "n_documents": run.n_documents,
        "n_chunks": run.n_chunks,
        "started_at": run.started_at,
        "runtime_s": {
            "total": round(run.total_s, 1),
            "ingest": round(run.ingest_s, 1) if run.ingest_s is not None else None,
            "configs": {r.name: {"setup": round(r.setup_s, 1), "ask": round(r.ask_s, 1)} for r in run.results},
        },
        "configs": {
            result.name: {
                "description": result.description,
                "overall": result.metrics["overall"],
                "by_type": result.metrics["by_type"],
                "hit_curve": {str(k): value for k, value in enumerate(result.hit_curve(), start=1)},
                "missing_ids": result.metrics["missing_ids"],
                "unexpected_ids": result.metrics["unexpected_ids"],
                "errors": result.errors,
            }
            for result in run.results
        },
        "notes": run.notes,
        "definitions": METRIC_DEFINITIONS,
    }


def write_metrics(run: EvalRun, path: Path) -> None:
    """Write ``metrics_document(run)`` as indented UTF-8 JSON."""
    path.write_text(json.dumps(metrics_document(run), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def text_table(results: Sequence[ConfigResult]) -> str:
    """The overall metrics side by side, one column per configuration, ASCII-aligned for a terminal.

    Example:
        >>> print(text_table(run.results))  # doctest: +SKIP
        metric             bm25   hybrid
        n                    50       50
        hit@1             0.837    0.860
        ...
    """
    names = [result.name for result in results]
    label_width = max(len(metric) for metric in METRIC_DEFINITIONS) + 2
    widths = [max(len(name), 7) + 2 for name in names]
    lines = ["metric".ljust(label_width) + "".join(name.rjust(w) for name, w in zip(names, widths))]
    for metric in METRIC_DEFINITIONS:
        cells = [format_value(metric, r.metrics["overall"][metric], missing="-") for r in results]
        lines.append(metric.ljust(label_width) + "".join(cell.rjust(w) for cell, w in zip(cells, widths)))
    for label, seconds in (("setup_s", [r.setup_s for r in results]), ("ask_s", [r.ask_s for r in results])):
        lines.append(label.ljust(label_width) + "".join(f"{s:.1f}".rjust(w) for s, w in zip(seconds, widths)))
    return "\n".join(lines)


def _best(metric: str, values: Sequence[float | int | None]) -> set[int]:
    """Indices of the best values of a row (none when fewer than two configurations differ)."""
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    if metric in _NOT_COMPARED or len(present) < 2 or len({v for _, v in present}) == 1:
        return set()
    target = (min if metric in _LOWER_IS_BETTER else max)(v for _, v in present)
    return {i for i, v in present if v == target}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _comparison_table(results: Sequence[ConfigResult]) -> str:
    head = "".join(f"<th>{escape(r.name)}</th>" for r in results)
    rows = []
    for metric in METRIC_DEFINITIONS:
        values = [r.metrics["overall"][metric] for r in results]
        best = _best(metric, values)
        cells = "".join(
            f"<td class=\"{'best' if i in best else ''}\">{escape(format_value(metric, v))}</td>"
            for i, v in enumerate(values)
        )
        rows.append(f"<tr><th scope=\"row\" title=\"{escape(METRIC_DEFINITIONS[metric])}\">"
                    f"{escape(metric_label(metric))} <code>{escape(metric)}</code></th>{cells}</tr>")
    timing = "".join(f"<td>{r.setup_s:.1f} + {r.ask_s:.1f}</td>" for r in results)
    rows.append(f"<tr class=\"timing\"><th scope=\"row\">运行时间（秒，准备 + 提问）</th>{timing}</tr>")
    return (f"<table class=\"compare\"><thead><tr><th>指标</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _type_table(results: Sequence[ConfigResult]) -> str:
    types = list(results[0].metrics["by_type"])
    head = "".join(f"<th colspan=\"3\">{escape(r.name)}</th>" for r in results)
    sub = "<th>全部要点</th><th>命中@5</th><th title=\"应拒答却给出数字的回答，加上含无出处带单位数字的回答\">错误数字</th>" \
        * len(results)
    rows = []
    for question_type in types:
        cells = []
        for result in results:
            group = result.metrics["by_type"][question_type]
            if question_type == "unanswerable":
                recall = format_value("refusal_recall", group["refusal_recall"])
                cells.append(f"<td colspan=\"2\">正确拒答 {escape(recall)}</td>")
            else:
                cells.append(f"<td>{escape(format_value('all_keys', group['all_keys']))}</td>"
                             f"<td>{escape(format_value('hit@5', group['hit@5']))}</td>")
            wrong = group["unanswerable_with_figures"] + group["answers_with_unsupported_figures"]
            cells.append(f"<td class=\"{'bad' if wrong else ''}\">{wrong}</td>")
        n = results[0].metrics["by_type"][question_type]["n"]
        rows.append(f"<tr><th scope=\"row\">{escape(type_label(question_type))}"
                    f" <span class=\"muted\">({n})</span></th>{''.join(cells)}</tr>")
    return (f"<table class=\"types\"><thead><tr><th rowspan=\"2\">题型（题数）</th>{head}</tr><tr>{sub}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _expected_cell(failure: dict[str, Any], item: GoldItem) -> str:
    if failure["expected"] is None:
        return "<p><strong>应拒答</strong>（报告未提及）</p>"
    keys = "、".join(
        f"<mark class=\"{'missing' if key in failure['missing_keys'] else 'found'}\">{escape(key)}</mark>"
        for key in failure["expected_keys"]
    )
    evidence = "".join(
        f"<li><span class=\"doc\">{escape(e.doc)}</span> {escape(_clip(e.quote, _PASSAGE_CHARS))}</li>"
        for e in item.evidence
    )
    return (f"<p>{escape(failure['expected'])}</p><p class=\"keys\">要点：{keys}</p>"
            f"<ul class=\"evidence\">{evidence}</ul>")


def _got_cell(failure: dict[str, Any]) -> str:
    if failure["got"] is None:
        return "<p class=\"muted\">（没有回答记录：这道题运行出错）</p>"
    flag = "<span class=\"tag\">拒答</span> " if failure["refused"] else ""
    return f"<p>{flag}{escape(_clip(failure['got'], _ANSWER_CHARS))}</p>"


def _passages_cell(failure: dict[str, Any], item: GoldItem) -> str:
    rank = failure["first_hit_rank"]
    if failure["expected"] is None:
        summary = ""
    elif rank is None:
        summary = "<p class=\"miss\">证据不在前 10 个检索段落中</p>"
    else:
        summary = f"<p>证据首次出现在第 {rank} 段</p>"
    passages = []
    for position, passage in enumerate(failure["retrieved"], start=1):
        text = passage.get("text") or ""
        hit = any(passage_matches(passage.get("doc") or "", text, e) for e in item.evidence)
        mark = " <span class=\"tag ok\">含证据</span>" if hit else ""
        passages.append(f"<li><span class=\"doc\">#{position} {escape(str(passage.get('doc')))}"
                        f" [{passage.get('start')}:{passage.get('end')}]</span>{mark}<br>"
                        f"{escape(_clip(text, _PASSAGE_CHARS))}</li>")
    return f"{summary}<ol class=\"passages\">{''.join(passages)}</ol>"


def _failures_table(result: ConfigResult, gold_by_id: dict[str, GoldItem]) -> str:
    if not result.failures:
        return "<p>没有失败的题目。</p>"
    rows = []
    for failure in result.failures:
        item = gold_by_id[failure["id"]]
        rows.append(
            "<tr>"
            f"<td><span class=\"id\">{escape(failure['id'])}</span> · {escape(type_label(failure['type']))}<br>"
            f"<span class=\"tag bad\">{escape(FAILURE_REASONS.get(failure['reason'], failure['reason']))}</span>"
            f"<p class=\"question\">{escape(failure['question'])}</p></td>"
            f"<td>{_expected_cell(failure, item)}</td>"
            f"<td>{_got_cell(failure)}</td>"
            f"<td>{_passages_cell(failure, item)}</td>"
            "</tr>"
        )
    return ("<table class=\"failures\"><thead><tr><th>题目</th><th>标准答案</th><th>系统回答</th>"
            f"<th>检索到的前 3 段</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _failures_section(run: EvalRun) -> str:
    gold_by_id = {item.id: item for item in run.gold}
    # Ours is shown open (or the first configuration when ours was not run), the others folded.
    primary = next((r for r in run.results if r.name == DEFAULT_CONFIG), run.results[0])
    parts = [f"<h3>{escape(primary.name)}（{len(primary.failures)} 条）</h3>", _failures_table(primary, gold_by_id)]
    for result in run.results:
        if result is not primary:
            parts.append(f"<details><summary>{escape(result.name)}（{len(result.failures)} 条）</summary>"
                         f"{_failures_table(result, gold_by_id)}</details>")
    return "".join(parts)


def _run_facts(run: EvalRun) -> str:
    counts: dict[str, int] = {}
    for item in run.gold:
        counts[item.type] = counts.get(item.type, 0) + 1
    by_type = "、".join(f"{type_label(t)} {n}" for t, n in counts.items())
    if run.corpora and run.ingest_s is not None:
        source = f"导入 {'、'.join(map(str, run.corpora))}（{run.ingest_s:.1f} 秒）"
    else:
        source = f"已有索引 {run.store}"
    facts = [
        ("标准集", f"{run.gold_path.name}：{len(run.gold)} 题（{by_type}）"),
        ("报告", f"{run.n_documents} 份，{run.n_chunks} 段；{source}"),
        ("开始时间", run.started_at.replace("T", " ")),
        ("总耗时", f"{run.total_s:.1f} 秒"),
    ]
    return "<dl class=\"facts\">" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts) + "</dl>"


def _notes(run: EvalRun) -> str:
    notes = list(run.notes)
    for result in run.results:
        for item_id, error in result.errors.items():
            notes.append(f"{result.name}：{item_id} 运行出错（{error}），按未回答计分。")
    if not notes:
        return ""
    return "<div class=\"notes\"><h2>注意</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul></div>"


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
 margin:2em auto;max-width:1200px;padding:0 1em;color:#222;line-height:1.5}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ddd;padding:.35em .6em;vertical-align:top}
thead th{background:#f4f4f4}table.compare td,table.types td{text-align:right;font-variant-numeric:tabular-nums}
table.compare tbody th,table.types tbody th{text-align:left;font-weight:normal}
td.best{font-weight:bold;background:#eaf6ea}td.bad{font-weight:bold;background:#fbdada}tr.timing td,tr.timing th{color:#666}
code{font-size:.85em;color:#666}.muted{color:#888}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
dt{color:#666}dd{margin:0}figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{color:#555;font-size:.92em}table.failures{font-size:.9em;width:100%}
table.failures td{word-break:break-all}table.failures td:first-child{width:18%}
.question{font-weight:bold;margin:.3em 0}.doc,.id{color:#666;font-size:.85em}
mark.found{background:#e3f1e3}mark.missing{background:#fbdada}
.tag{display:inline-block;font-size:.8em;padding:0 .4em;border-radius:3px;background:#eee}
.tag.bad{background:#fbdada}.tag.ok{background:#dcefdc}.miss{color:#b00}
ul.evidence,ol.passages{padding-left:1.2em;margin:.3em 0}ol.passages li{margin-bottom:.4em}
details{margin:1em 0}summary{cursor:pointer;font-weight:bold}.notes{background:#fff8e1;padding:.2em 1em;margin:1em 0}
dl.defs dt{font-weight:bold;color:#222}dl.defs dd{margin:0 0 .5em 1em}
"""


def render_html(run: EvalRun, plots: Sequence[Plot]) -> str:
    """The whole report as one HTML page (Chinese), plots referenced by their file names.

    Example:
        >>> html = render_html(run, write_plots(run.results, out_dir))  # doctest: +SKIP
        >>> 'src="hit_at_k.png"' in html  # doctest: +SKIP
        True
    """
    configs = "".join(f"<li><strong>{escape(r.name)}</strong>：{escape(r.description)}</li>" for r in run.results)
    figures = "".join(
        f"<figure><img src=\"{escape(p.file)}\" alt=\"{escape(p.title)}\">"
        f"<figcaption><strong>{escape(p.title)}</strong>：{escape(p.caption)}</figcaption></figure>"
        for p in plots
    )
    definitions = "".join(
        f"<dt>{escape(metric_label(m))} <code>{escape(m)}</code></dt><dd>{escape(d)}</dd>"
        for m, d in METRIC_DEFINITIONS.items()
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>govqa 评测报告</title><style>{_CSS}</style></head>
<body>
<h1>govqa 评测报告</h1>
{_run_facts(run)}
{_notes(run)}
<h2>配置</h2>
<ul>{configs}</ul>
<h2>并排对比</h2>
<p class="muted">每行加粗底色的是该项最好的配置。鼠标停在指标名上可看定义；全部定义见文末。</p>
{_comparison_table(run.results)}
<h2>图</h2>
{figures}
<h2>按题型</h2>
{_type_table(run.results)}
<h2>最差的失败</h2>
<p class="muted">先列报告未提及却作答的题，再列证据没检索到的题，其余按证据排名从差到好。</p>
{_failures_section(run)}
<h2>指标定义</h2>
<p class="muted">文本比较前先做 NFKC 归一化并去掉所有空白。
检索段落命中证据：同一份报告，且段落包含引文（或引文跨两段时的前半或后半）。</p>
<dl class="defs">{definitions}</dl>
</body>
</html>
"""
