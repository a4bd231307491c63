"""The run's outputs from hand-made records: results, metrics.json, the text table, plots and report.html."""

from __future__ import annotations

import doctest
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

import eval.plots
import eval.report
import eval.results
from eval.gold import Evidence, GoldItem
from eval.metrics import METRIC_DEFINITIONS
from eval.plots import write_plots
from eval.report import format_value, metrics_document, render_html, text_table, write_answers, write_metrics
from eval.results import ConfigResult, EvalRun

DOC = "001_bbc2bd414da68544.txt"
HOSTILE = "<script>alert('x')</script>&"

GOLD = [
    GoldItem("q1", "惠济区2023年进出口额多少？", "17.9亿元", ("17.9亿元",),
             (Evidence(DOC, "实现进出口额17.9亿元"),), "factoid_number"),
    GoldItem("q2", f"惠济区交付了多少套房子？{HOSTILE}", "7815套", ("7815套",),
             (Evidence(DOC, "交付项目10个、7815套"),), "factoid_number"),
    GoldItem("q3", "惠济区哪个村是示范村？", "孙庄村", ("孙庄村",),
             (Evidence(DOC, "孙庄村被认定为示范村"),), "factoid_entity"),
    GoldItem("q4", "惠济区2022年新增了多少市场主体？", None, (), (), "unanswerable"),
]


def passage(text: str, doc: str = DOC) -> dict[str, Any]:
    return {"doc": doc, "start": 0, "end": len(text), "text": text, "score": 0.5}


def filler(i: int) -> dict[str, Any]:
    return passage(f"无关段落{i}。", doc="999_other.txt")


def record(item_id: str, answer: str, retrieved: list[dict[str, Any]], *, refused: bool = False,
           latency_ms: float = 50.0) -> dict[str, Any]:
    cited = [] if refused else [dict(retrieved[0], n=1, quote=retrieved[0]["text"])]
    return {"id": item_id, "question": "？", "standalone_question": "？", "answer": answer, "refused": refused,
            "citations": cited, "retrieved": retrieved, "latency_ms": latency_ms}


def good_run() -> list[dict[str, Any]]:
    """q1 hit at rank 1, q2 at rank 4, q3 never retrieved (answer misses its key), q4 refused."""
    fillers = [filler(i) for i in range(10)]
    return [
        record("q1", "进出口额17.9亿元[1]。", [passage("实现进出口额17.9亿元,增长175%"), *fillers[:9]],
               latency_ms=40.0),
        record("q2", f"交付7815套[1]。{HOSTILE}",
               [*fillers[:3], passage(f"交付项目10个、7815套。{HOSTILE}"), *fillers[3:9]], latency_ms=60.0),
        record("q3", "示范村是王庄村[1]。", [filler(i) for i in range(10)], latency_ms=80.0),
        record("q4", "报告中没有找到。", [filler(i) for i in range(10)], refused=True, latency_ms=100.0),
    ]


def bad_run() -> list[dict[str, Any]]:
    """Answers every question with its top passage, which never holds the evidence: the unanswerable is answered."""
    return [record(item.id, "无关段落0。", [filler(i) for i in range(4)], latency_ms=10.0) for item in GOLD]


def make_run(runs: dict[str, list[dict[str, Any]]]) -> EvalRun:
    results = [ConfigResult.from_records(name, f"{name} 的说明{HOSTILE}", records, GOLD, setup_s=1.5, ask_s=2.5)
               for name, records in runs.items()]
    return EvalRun(gold_path=Path("dev.jsonl"), gold=GOLD, results=results, corpora=(Path("data/reports"),),
                   store="/tmp/store", n_documents=1, n_chunks=100, started_at="2025-01-01T00:00:00+00:00",
                   total_s=12.0, ingest_s=3.0, notes=[f"注意{HOSTILE}"])


def test_hit_curve_by_hand() -> None:
    result = ConfigResult.from_records("hybrid", "", good_run(), GOLD, setup_s=0, ask_s=0)
    # q1 at rank 1, q2 at rank 4, q3 missed; q4 has no evidence and is not counted: 1/3 until k=4, then 2/3.
    assert result.hit_curve() == pytest.approx([1 / 3] * 3 + [2 / 3] * 7)
    for k in (1, 3, 5, 10):
        assert result.hit_curve()[k - 1] == pytest.approx(result.metrics["overall"][f"hit@{k}"])
    assert result.latencies_ms == [40.0, 60.0, 80.0, 100.0]
    assert [f["id"] for f in result.failures] == ["q3"]


def test_hit_curve_without_evidence_is_undefined() -> None:
    result = ConfigResult.from_records("x", "", [record("q4", "没有", [filler(0)], refused=True)], GOLD[3:],
                                       setup_s=0, ask_s=0)
    assert result.hit_curve() == [None] * 10


def test_text_table_lines_up_every_metric_for_every_configuration() -> None:
    run = make_run({"hybrid": good_run(), "langchain-default": bad_run()})
    lines = text_table(run.results).splitlines()
    assert lines[0].split() == ["metric", "hybrid", "langchain-default"]
    assert [line.split()[0] for line in lines[1:]] == [*METRIC_DEFINITIONS, "setup_s", "ask_s"]
    assert len({len(line) for line in lines}) == 1
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows["hit@5"] == ["0.667", "0.000"]
    # The baseline never refuses: refusal precision is undefined, shown as "-".
    assert rows["refusal_precision"] == ["1.000", "-"]
    assert rows["latency_p50_ms"] == ["60.0", "10.0"]
    assert rows["setup_s"] == ["1.5", "1.5"]


def test_format_value_kinds() -> None:
    assert format_value("ungrounded_numbers", 3) == "3"
    assert format_value("mrr@10", 1) == "1.000"
    assert format_value("latency_p95_ms", None) == "—"


def test_metrics_document_has_every_configuration_metric_and_definition(tmp_path: Path) -> None:
    run = make_run({"bm25": good_run(), "hybrid": good_run()})
    write_metrics(run, tmp_path / "metrics.json")
    document = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert document == json.loads(json.dumps(metrics_document(run)))
    assert list(document["configs"]) == ["bm25", "hybrid"]
    assert document["definitions"] == METRIC_DEFINITIONS
    for config in document["configs"].values():
        assert set(config["overall"]) == set(METRIC_DEFINITIONS)
        assert list(config["by_type"]) == ["factoid_number", "factoid_entity", "unanswerable"]
        assert all(set(group) == set(METRIC_DEFINITIONS) for group in config["by_type"].values())
        assert config["hit_curve"]["4"] == pytest.approx(2 / 3)
    assert document["runtime_s"]["configs"]["bm25"] == {"setup": 1.5, "ask": 2.5}
    assert document["n_items"] == 4


def test_answers_file_is_one_line_per_record_in_order(tmp_path: Path) -> None:
    result = ConfigResult.from_records("hybrid", "", good_run(), GOLD, setup_s=0, ask_s=0)
    write_answers(result, tmp_path / "answers.jsonl")
    lines = (tmp_path / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["q1", "q2", "q3", "q4"]
    assert HOSTILE in lines[1]  # JSON keeps the answer as it was; only the HTML escapes


@pytest.fixture
def report(tmp_path: Path) -> tuple[str, Path]:
    run = make_run({"bm25": bad_run(), "hybrid": good_run(), "langchain-default": bad_run()})
    plots = write_plots(run.results, tmp_path)
    html = render_html(run, plots)
    return html, tmp_path


def test_report_is_self_contained_and_escaped(report) -> None:
    html, folder = report
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;" in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assert "http://" not in html and "https://" not in html
    images = re.findall(r"<img src=\"([^\"]+)\"", html)
    assert images == ["hit_at_k.png", "by_type.png", "latency.png"]
    for name in images:
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_has_the_side_by_side_table_definitions_and_failures(report) -> None:
    html, _ = report
    table = html[html.index("<table class=\"compare\">") : html.index("</table>")]
    assert re.findall(r"<thead><tr><th>指标</th>(.*?)</tr>", table)[0] == \
        "<th>bm25</th><th>hybrid</th><th>langchain-default</th>"
    for metric, definition in METRIC_DEFINITIONS.items():
        assert f"<code>{metric}</code>" in table
        assert definition in html
    # Best per row: hybrid's hit@5 (0.667 against 0.000 twice); the baselines' latency p50 (10.0 ms).
    hit5 = re.search(r"<code>hit@5</code></th>(.*?)</tr>", table).group(1)
    assert re.findall(r"<td class=\"(\w*)\">", hit5) == ["", "best", ""]
    p50 = re.search(r"<code>latency_p50_ms</code></th>(.*?)</tr>", table).group(1)
    assert re.findall(r"<td class=\"(\w*)\">", p50) == ["best", "", "best"]
    # Worst failures: hybrid's shown open, the others folded; the unanswerable answered comes first.
    failures = html[html.index("最差的失败") :]
    assert failures.index("<h3>hybrid（1 条）</h3>") < failures.index("<details><summary>bm25（4 条）")
    folded = failures[failures.index("<summary>bm25") :]
    assert folded.index("q4") < folded.index("q1")
    assert "惠济区哪个村是示范村？" in failures and "证据不在前 10 个检索段落中" in failures
    assert "<mark class=\"missing\">孙庄村</mark>" in failures
    # A configuration retrieving fewer than 10 passages is named under the hit@k plot.
    assert "langchain-default 只取 4 段" in html and "hybrid 只取" not in html


def test_type_table_counts_wrong_figures_per_type(report) -> None:
    html, _ = report
    types = html[html.index("<table class=\"types\">") :]
    types = types[: types.index("</table>")]
    # bad_run answers the unanswerable q4 with "无关段落0。": a figure given to a question to refuse.
    row = re.search(r"不可回答.*?</tr>", types).group(0)
    assert re.findall(r"<td class=\"(\w*)\">(\d+)</td>", row) == [("bad", "1"), ("", "0"), ("bad", "1")]


def test_plots_fall_back_to_ascii_labels_without_a_cjk_font(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(eval.plots, "cjk_font", lambda: None)
    run = make_run({"hybrid": good_run()})
    with warnings.catch_warnings():
        # matplotlib warns "Glyph … missing from font(s)" for every Chinese character it cannot draw.
        warnings.simplefilter("error", UserWarning)
        plots = write_plots(run.results, tmp_path)
    assert [p.file for p in plots] == ["hit_at_k.png", "by_type.png", "latency.png"]
    assert all((tmp_path / p.file).stat().st_size > 5000 for p in plots)


def test_docstring_examples() -> None:
    for module in (eval.report, eval.results):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
