"""`govqa eval` through the real command line: bad input without the model, and a small slice end to end."""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import eval.run
from eval.configs import CONFIGS
from eval.gold import GoldItem, load_gold
from eval.metrics import METRIC_DEFINITIONS
from eval.run import ask_all
from rag.ingest import prepare_report
from rag.load import load_report
from rag.records import ChatSession
from ui.cli import main
from tests.conftest import CORPUS_NATIONAL

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
REPORTS = ROOT / "data" / "reports"
CORPUS = ("000_4d00116238fd789a.txt", "002_6329ad5c93bd51e8.txt")
# Every question type over the two reports, a follow-up listed before its first turn (it must still be
# asked second), and q041, whose evidence is in a report left out of the corpus.
SLICE = ("q008", "q013", "q077", "q118", "q163", "q030", "q109", "q132", "q173", "q203", "q202", "q041")
COMPARED = ("bm25", "dense", "hybrid", "langchain-default")
ANSWER_FIELDS = {"id", "question", "standalone_question", "answer", "refused", "citations", "retrieved", "latency_ms"}

needs_dev = pytest.mark.skipif(not DEV.is_file(), reason="the shared dev set is not beside the repository")


@dataclass(frozen=True)
class Ran:
    """What one CLI invocation left: exit status, stdout, stderr."""

    status: int
    stdout: str
    stderr: str


def run_cli(*argv: str) -> Ran:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(list(argv))
    return Ran(status, stdout.getvalue(), stderr.getvalue())


GOOD_LINE = json.dumps({
    "id": "q1", "question": "惠济区2023年进出口额多少？", "answer": "17.9亿元", "answer_keys": ["17.9亿元"],
    "evidence": [{"doc": "001_bbc2bd414da68544.txt", "quote": "实现进出口额17.9亿元"}], "type": "factoid_number",
}, ensure_ascii=False)


def test_bad_gold_line_exits_2_naming_its_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOOD_LINE + "\n\n" + '{"id": "q2", "question": "？"}\n', encoding="utf-8")
    ran = run_cli("eval", str(gold), "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"))
    assert ran.status == 2
    assert ran.stderr.strip() == ("govqa: gold.jsonl 第 3 行：缺少字段 answer、answer_keys、evidence、type")
    assert not (tmp_path / "out" / "report.html").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--compare", "hybrid,bm52"), "未知的配置 bm52"),
        (("--corpus", "no/such/folder"), "找不到报告文件夹：no/such/folder"),
        ((), "资料库是空的"),  # no --corpus and nothing ingested in --store
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, extra: tuple[str, ...], message: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOOD_LINE + "\n", encoding="utf-8")
    ran = run_cli("eval", str(gold), "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out"), *extra)
    assert ran.status == 2
    assert ran.stderr.startswith("govqa: ") and message in ran.stderr
    assert ran.stderr.count("\n") == 1


def test_missing_gold_file_and_output_path_that_is_a_file(tmp_path: Path) -> None:
    ran = run_cli("eval", str(tmp_path / "none.jsonl"), "--store", str(tmp_path / "store"))
    assert (ran.status, ran.stderr.strip()) == (2, f"govqa: 找不到标准集文件：{tmp_path / 'none.jsonl'}")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(GOOD_LINE + "\n", encoding="utf-8")
    (tmp_path / "taken").write_text("", encoding="utf-8")
    ran = run_cli("eval", str(gold), "--out", str(tmp_path / "taken"), "--store", str(tmp_path / "store"))
    assert (ran.status, ran.stderr.strip()) == (2, f"govqa: 输出路径不是文件夹：{tmp_path / 'taken'}")


class EchoAnswerer:
    """Records what it was asked, in which session; raises for the question "坏"."""

    def __init__(self) -> None:
        # The sessions themselves, not their id(): a freed session's id can be reused by the next one.
        self.asked: list[tuple[str, ChatSession]] = []

    def ask(self, question: str, session: ChatSession, answer_id: str | None) -> dict[str, Any]:
        if question == "坏":
            raise RuntimeError("boom")
        self.asked.append((answer_id or "", session))
        return {"id": answer_id, "answer": question, "refused": False}

    def close(self) -> None:
        """Nothing to release."""


def test_ask_all_asks_turns_in_order_in_one_session_per_configuration_and_survives_a_broken_question() -> None:
    gold = [
        GoldItem("b2", "那下一年呢？", None, (), (), "multi_turn", conversation="b", turn=2),
        GoldItem("x", "坏", None, (), (), "unanswerable"),
        GoldItem("b1", "郑州2020年呢？", None, (), (), "multi_turn", conversation="b", turn=1),
        GoldItem("y", "独立的问题？", None, (), (), "unanswerable"),
    ]
    first, second = EchoAnswerer(), EchoAnswerer()
    asked = ask_all({"first": first, "second": second}, gold)
    for answerer in (first, second):
        assert [item_id for item_id, _ in answerer.asked] == ["b1", "b2", "y"]
        sessions = dict(answerer.asked)
        assert sessions["b1"] is sessions["b2"] and sessions["y"] is not sessions["b1"]
    # Each configuration keeps its own chat history.
    assert dict(first.asked)["b1"] is not dict(second.asked)["b1"]
    for name in ("first", "second"):
        assert [r["id"] for r in asked[name].records] == ["b2", "b1", "y"]  # gold order, the broken one left out
        assert asked[name].errors == {"x": "RuntimeError: boom"}
        assert asked[name].seconds >= 0


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.run)
    assert result.attempted > 0 and result.failed == 0


# --- the slice, end to end (loads the model) --------------------------------------------------------

@pytest.fixture(scope="session")
def slice_run(tmp_path_factory) -> tuple[Ran, Path, Path, Path]:
    """One `govqa eval --corpus … --compare <all four>` run over the slice: (result, gold file, corpus, out)."""
    if not DEV.is_file():
        pytest.fail(f"{DEV} is missing: the shared dev set must be checked out beside the repository")
    folder = tmp_path_factory.mktemp("eval-slice")
    lines = {json.loads(line)["id"]: line for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()}
    gold = folder / "slice.jsonl"
    gold.write_text("".join(lines[item_id] + "\n" for item_id in SLICE), encoding="utf-8")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in CORPUS:
        shutil.copy(REPORTS / name, corpus / name)
    out = folder / "out"
    ran = run_cli("eval", str(gold), "--corpus", str(corpus), "--compare", ",".join(COMPARED), "--out", str(out),
                  "--store", str(folder / "unused-store"))
    return ran, gold, corpus, out


def _answers(out: Path, config: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / f"answers-{config}.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_slice_writes_every_file_and_one_answer_per_gold_line(slice_run) -> None:
    ran, gold, _, out = slice_run
    assert ran.status == 0, ran.stderr
    assert {p.name for p in out.iterdir()} == {
        *(f"answers-{c}.jsonl" for c in COMPARED), "metrics.json", "report.html",
        "hit_at_k.png", "by_type.png", "latency.png",
    }
    gold_ids = [item.id for item in load_gold(gold)]
    for config in COMPARED:
        records = _answers(out, config)
        assert [r["id"] for r in records] == gold_ids, config
        assert all(set(r) >= ANSWER_FIELDS for r in records), config
    # --corpus means a fresh temporary store: --store is not touched.
    assert not (gold.parent / "unused-store").exists()


@pytest.mark.slow
def test_slice_metrics_have_every_configuration_and_metric(slice_run) -> None:
    _, _, _, out = slice_run
    document = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert list(document["configs"]) == list(COMPARED)
    assert document["definitions"] == METRIC_DEFINITIONS
    assert document["n_items"] == len(SLICE) and document["n_documents"] == len(CORPUS)
    for name, config in document["configs"].items():
        assert config["description"] == CONFIGS[name].description
        assert set(config["overall"]) == set(METRIC_DEFINITIONS)
        assert set(config["by_type"]) == {"factoid_number", "factoid_entity", "list", "temporal", "unanswerable",
                                          "multi_turn"}
        assert all(set(group) == set(METRIC_DEFINITIONS) for group in config["by_type"].values())
        assert config["overall"]["n"] == len(SLICE) and config["errors"] == {} and config["missing_ids"] == []
    # The left-out report is called out, in metrics.json and in the report.
    assert any("003_18bb18e33f05a5d4.txt" in note for note in document["notes"])


@pytest.mark.slow
def test_slice_report_shows_the_table_and_plots_that_exist(slice_run) -> None:
    ran, _, _, out = slice_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<table class=\"compare\">" in html
    assert "".join(f"<th>{c}</th>" for c in COMPARED) in html
    images = re.findall(r"<img src=\"([^\"]+)\"", html)
    assert images and all((out / name).is_file() for name in images)
    assert "http://" not in html and "https://" not in html
    assert "003_18bb18e33f05a5d4.txt 不在资料库中" in html
    # The same table, as plain text, on stdout.
    table = ran.stdout.splitlines()
    assert table[0].split() == ["metric", *COMPARED]
    assert [line.split()[0] for line in table[1 : 1 + len(METRIC_DEFINITIONS)]] == list(METRIC_DEFINITIONS)


@pytest.mark.slow
def test_slice_langchain_default_is_the_plain_recipe(slice_run) -> None:
    _, _, corpus, out = slice_run
    canonical = {name: prepare_report(load_report(corpus / name)).text for name in CORPUS}
    for record in _answers(out, "langchain-default"):
        assert 1 <= len(record["retrieved"]) <= 4
        for passage in record["retrieved"]:
            assert canonical[passage["doc"]][passage["start"] : passage["end"]] == passage["text"]
            assert len(passage["text"]) <= 1000
        assert record["refused"] is False
        assert record["answer"] == record["retrieved"][0]["text"]
        assert record["citations"][0]["text"] == record["answer"]


@pytest.mark.slow
def test_slice_follow_up_is_asked_after_its_first_turn(slice_run) -> None:
    _, _, _, out = slice_run
    follow_up = next(r for r in _answers(out, "hybrid") if r["id"] == "q203")
    # Asked alone, "那它有没有说粮食总产量要达到多少？" names no place; after q202 it is about 新乡.
    assert "新乡" in follow_up["standalone_question"]
    for config in ("bm25", "dense", "hybrid"):
        assert all(len(r["retrieved"]) >= 10 for r in _answers(out, config)), config


# --- bm25-plain beside hybrid, two corpora, gold docs named by path, a new type (loads the model) ----

PLAIN_SLICE = ("q008", "q013", "q173", "q202", "q203")
NATIONAL = CORPUS_NATIONAL / "2024_国务院.txt"
COMPUTATION_ITEM = {
    "id": "n001", "question": "2024年赤字规模比上年年初预算增加多少？", "answer": "增加1800亿元。",
    "answer_keys": ["1800亿元"], "type": "computation",
    "evidence": [{"doc": "national/2024_国务院.txt", "quote": "赤字规模4.06万亿元，比上年年初预算增加1800亿元"}],
}


@pytest.fixture(scope="session")
def plain_run(tmp_path_factory) -> tuple[Ran, Path, dict[str, str]]:
    """`govqa eval --corpus A --corpus B --compare bm25-plain,hybrid`: (result, out folder, canonical texts)."""
    if not DEV.is_file():
        pytest.fail(f"{DEV} is missing: the shared dev set must be checked out beside the repository")
    folder = tmp_path_factory.mktemp("eval-plain")
    # Two corpora, each keeping its reports in a subfolder that the gold set names.
    (folder / "a" / "henan").mkdir(parents=True)
    (folder / "b" / "national").mkdir(parents=True)
    for name in CORPUS:
        shutil.copy(REPORTS / name, folder / "a" / "henan" / name)
    shutil.copy(NATIONAL, folder / "b" / "national" / NATIONAL.name)
    lines = {json.loads(line)["id"]: json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()
             if line.strip()}
    items = []
    for item_id in PLAIN_SLICE:
        item = lines[item_id]
        item["evidence"] = [{**e, "doc": f"henan/{e['doc']}"} for e in item["evidence"]]
        items.append(item)
    gold = folder / "plain.jsonl"
    gold.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in [*items, COMPUTATION_ITEM]),
                    encoding="utf-8")
    out = folder / "out"
    ran = run_cli("eval", str(gold), "--corpus", str(folder / "a"), "--corpus", str(folder / "b"),
                  "--compare", "bm25-plain,hybrid", "--out", str(out), "--store", str(folder / "unused-store"))
    # Reports are named by their path inside the folder ingested ("henan/000_….txt").
    canonical = {f"henan/{name}": prepare_report(load_report(REPORTS / name)).text for name in CORPUS}
    canonical[f"national/{NATIONAL.name}"] = prepare_report(load_report(NATIONAL)).text
    return ran, out, canonical


@pytest.mark.slow
def test_plain_run_ingests_both_corpora_and_finds_gold_docs_named_by_path(plain_run) -> None:
    ran, out, _ = plain_run
    assert ran.status == 0, ran.stderr
    document = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert document["n_documents"] == 3 and len(document["corpora"]) == 2
    assert document["notes"] == []  # every "henan/…" and "national/…" evidence doc was found in the library
    assert list(document["configs"]) == ["bm25-plain", "hybrid"]
    for config in document["configs"].values():
        assert set(config["overall"]) == set(METRIC_DEFINITIONS)
        assert list(config["by_type"]) == ["factoid_number", "computation", "unanswerable", "multi_turn"]
        # Evidence named by path is retrievable: at least the plain factoids find theirs.
        assert config["overall"]["hit@10"] > 0
    table = ran.stdout.splitlines()
    assert table[0].split() == ["metric", "bm25-plain", "hybrid"]
    assert {"unanswerable_with_figures", "answers_with_unsupported_figures", "foreign_place_citations",
            "wrong_computations"} <= {line.split()[0] for line in table}


@pytest.mark.slow
def test_plain_run_answers_are_sentences_of_plain_passages(plain_run) -> None:
    _, out, canonical = plain_run
    records = _answers(out, "bm25-plain")
    assert [r["id"] for r in records] == [*PLAIN_SLICE, "n001"]
    for record in records:
        assert set(record) >= ANSWER_FIELDS
        for passage in record["retrieved"]:
            assert canonical[passage["doc"]][passage["start"] : passage["end"]] == passage["text"]
            assert len(passage["text"]) <= 400
        if not record["refused"]:
            [cited] = record["citations"]
            assert record["answer"] == cited["quote"] and cited["quote"] in cited["text"]
