"""`govqa eval`: ask every gold question under each named configuration and write what came back.

    govqa eval GOLD.jsonl [--corpus DIR …] [--out DIR] [--compare NAME,NAME…] [--store DIR]

With ``--corpus`` (given once or more) the reports of every folder are ingested into one
fresh temporary store (deleted afterwards); otherwise the ``--store`` / ``GOVQA_STORE``
store is used as it is. A gold evidence ``doc`` may be the file name or the path relative
to an ingested folder: it is matched to the stored report it names. Every
configuration runs over the same store and the same embedder, loaded once. A
conversation's turns are asked in order in one chat session. The output folder (default
``out/eval``) gets ``answers.jsonl`` (``answers-NAME.jsonl`` per configuration with
``--compare``), ``metrics.json``, ``report.html`` and its PNG plots; the side-by-side table
goes to stdout, progress and notes to stderr.

Exit status: 0; 2 for bad input (a bad gold line names its line); 1 when some question
raised (the run is still written, that question scored as unanswered).

Usage::

    from eval.run import EvalRequest, run_eval, write_outputs

    request = EvalRequest.create("../shared/eval/dev.jsonl", corpora=["data/reports"], compare="bm25,hybrid")
    run = run_eval(request, Settings.from_env())
    write_outputs(run, request.out_dir, per_config=request.per_config)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from tqdm import tqdm

from eval.configs import CONFIGS, Answerer, ConfigSpec, parse_compare
from eval.gold import GoldFormatError, GoldItem, conversation_order, load_gold, with_stored_names
from eval.outputs import make_out_dir
from eval.places import PlaceBook
from eval.plots import write_plots
from eval.report import answers_file_name, render_html, text_table, write_answers, write_metrics
from eval.results import ConfigResult, EvalRun
from rag.ingest import ingest_paths, show_progress
from rag.records import ChatSession
from rag.settings import Settings
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import Embedder, get_embedder
from vectorstore.records import StoredDocument

DEFAULT_OUT = Path("out/eval")
# Asked once per configuration before the timed run: the first answer pays one-time costs
# (jieba's dictionary, torch's first kernels) that would otherwise land in one configuration's latency.
WARM_UP_QUESTION = "政府工作报告提出的主要预期目标是什么？"


class EvalInputError(ValueError):
    """Bad input to `govqa eval` (a missing file, an unknown configuration, an empty store): exit status 2."""


@dataclass(frozen=True)
class EvalRequest:
    """A checked `govqa eval` invocation: the loaded gold set, the configurations and the folders."""

    gold_path: Path
    gold: list[GoldItem]
    configs: list[str]
    out_dir: Path
    corpora: tuple[Path, ...]
    per_config: bool

    @classmethod
    def create(cls, gold: str | Path, corpora: Sequence[str | Path] | None = None, out: str | Path | None = None,
               compare: str | None = None) -> EvalRequest:
        """Check every argument before anything slow happens.

        Raises ``GoldFormatError`` for a bad gold line and ``EvalInputError`` for the rest.

        Example:
            >>> EvalRequest.create("missing.jsonl")
            Traceback (most recent call last):
            ...
            eval.run.EvalInputError: 找不到标准集文件：missing.jsonl
        """
        gold_path = Path(gold)
        if not gold_path.is_file():
            raise EvalInputError(f"找不到标准集文件：{gold_path}")
        try:
            configs = parse_compare(compare)
        except ValueError as error:
            raise EvalInputError(str(error)) from None
        corpus_paths = tuple(Path(corpus) for corpus in corpora or ())
        for corpus_path in corpus_paths:
            if not corpus_path.exists():
                raise EvalInputError(f"找不到报告文件夹：{corpus_path}")
        items = load_gold(gold_path)
        if not items:
            raise EvalInputError(f"标准集 {gold_path.name} 没有题目")
        out_dir = Path(out) if out is not None else DEFAULT_OUT
        make_out_dir(out_dir, EvalInputError)
        return cls(gold_path, items, configs, out_dir, corpus_paths, per_config=compare is not None)


@dataclass(frozen=True)
class Asked:
    """One configuration's answers: records in gold order, the error of each question that raised
    (it has no record), and the time spent in its ``ask`` calls."""

    records: list[dict[str, Any]]
    errors: dict[str, str]
    seconds: float


def ask_all(answerers: Mapping[str, Answerer], gold: Sequence[GoldItem]) -> dict[str, Asked]:
    """Ask every gold question of every configuration, each conversation in order in one session per configuration.

    Each question goes to every configuration before the next question is asked, so a busy
    moment on a shared machine slows all configurations alike instead of one configuration's
    whole block. A progress bar shows on a terminal, not in CI or a pipe.

    Example:
        >>> asked = ask_all({"hybrid": answerer}, load_gold(Path("dev.jsonl")))  # doctest: +SKIP
        >>> [r["id"] for r in asked["hybrid"].records][:2]  # doctest: +SKIP
        ['q008', 'q009']
    """
    answered: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in answerers}
    errors: dict[str, dict[str, str]] = {name: {} for name in answerers}
    seconds = dict.fromkeys(answerers, 0.0)
    total = len(gold) * len(answerers)
    with tqdm(total=total, desc="提问", unit="次", disable=not show_progress(), file=sys.stderr) as bar:
        for group in conversation_order(gold):
            sessions = {name: ChatSession() for name in answerers}
            for item in group:
                for name, answerer in answerers.items():
                    started = time.perf_counter()
                    try:
                        answered[name][item.id] = answerer.ask(item.question, sessions[name], item.id)
                    except Exception as error:  # noqa: BLE001 — one broken question must not lose a whole run
                        errors[name][item.id] = f"{type(error).__name__}: {error}"
                        tqdm.write(f"govqa: {name} {item.id} 出错：{errors[name][item.id]}", file=sys.stderr)
                    seconds[name] += time.perf_counter() - started
                    bar.update()
    return {
        name: Asked([answered[name][item.id] for item in gold if item.id in answered[name]], errors[name],
                    seconds[name])
        for name in answerers
    }


def build_config(spec: ConfigSpec, settings: Settings, store: ChromaStore, embedder: Embedder) -> Answerer:
    """Build one configuration over ``store`` and answer one throw-away question with it.

    Example:
        >>> answerer = build_config(CONFIGS["bm25"], settings, store, embedder)  # doctest: +SKIP
    """
    answerer = spec.build(settings, store, embedder)
    answerer.ask(WARM_UP_QUESTION, ChatSession(), None)
    return answerer


def _ingest(corpora: Sequence[Path], store: ChromaStore, embedder: Embedder, settings: Settings) -> None:
    outcomes = ingest_paths(list(corpora), store, embedder, settings.max_file_bytes)
    for outcome in outcomes:
        if outcome.status == "refused":
            print(f"govqa: 未导入 {outcome.name}（{outcome.reason}）", file=sys.stderr)


def _evidence_notes(gold: Sequence[GoldItem], documents: Sequence[StoredDocument]) -> list[str]:
    """Gold evidence in reports the store lacks: those items cannot be retrieved, whatever the system does."""
    stored = {d.name for d in documents}
    missing = Counter(doc for item in gold for doc in {e.doc for e in item.evidence} if doc not in stored)
    return [f"标准集引用的报告 {doc} 不在资料库中（{n} 题），这些题的证据不可能被检索到。"
            for doc, n in sorted(missing.items())]


def run_eval(request: EvalRequest, settings: Settings) -> EvalRun:
    """Open (or build from ``request.corpora``) the store, then run every requested configuration over it.

    Raises ``EvalInputError`` when there are no reports to ask about.

    Example:
        >>> request = EvalRequest.create("dev.jsonl", corpora=["data/reports"])  # doctest: +SKIP
        >>> run = run_eval(request, Settings.from_env())  # doctest: +SKIP
        >>> [r.name for r in run.results]  # doctest: +SKIP
        ['hybrid']
    """
    started = time.perf_counter()
    started_at = datetime.now().astimezone().isoformat(timespec="seconds")
    with ExitStack() as cleanup:
        if request.corpora:
            # A fresh local store, whatever GOVQA_STORE or GOVQA_CHROMA_URL point at: the corpus alone is scored.
            folder = Path(cleanup.enter_context(TemporaryDirectory(prefix="govqa-eval-")))
            settings = replace(settings.with_store(folder), chroma_url=None)
        store = ChromaStore.open(settings.store_dir, settings.chroma_url)
        if not request.corpora and not store.documents():
            raise EvalInputError("资料库是空的：请先运行 govqa ingest 导入报告，或用 --corpus 指定报告文件夹")
        embedder = get_embedder(settings.model_cache)
        ingest_s = None
        if request.corpora:
            ingest_started = time.perf_counter()
            _ingest(request.corpora, store, embedder, settings)
            ingest_s = time.perf_counter() - ingest_started
        documents = store.documents()
        if not documents:
            raise EvalInputError(f"{'、'.join(map(str, request.corpora))} 中没有可导入的报告")
        gold = with_stored_names(request.gold, (d.name for d in documents))
        places = PlaceBook.from_regions((d.region, d.parent_region) for d in documents)
        notes = _evidence_notes(gold, documents)
        for note in notes:
            print(f"govqa: 注意：{note}", file=sys.stderr)
        answerers: dict[str, Answerer] = {}
        setup_s: dict[str, float] = {}
        for name in request.configs:
            # Building langchain-default embeds every report again (a minute here): say why nothing moves.
            print(f"govqa: 准备配置 {name}…", file=sys.stderr, flush=True)
            setup_started = time.perf_counter()
            answerers[name] = build_config(CONFIGS[name], settings, store, embedder)
            cleanup.callback(answerers[name].close)
            setup_s[name] = time.perf_counter() - setup_started
        asked = ask_all(answerers, gold)
        results = [
            ConfigResult.from_records(name, CONFIGS[name].description, asked[name].records, gold,
                                      setup_s=setup_s[name], ask_s=asked[name].seconds, errors=asked[name].errors,
                                      places=places)
            for name in request.configs
        ]
        location = (f"临时索引（评测后已删除），导入自 {'、'.join(map(str, request.corpora))}" if request.corpora
                    else store.location)
    return EvalRun(
        gold_path=request.gold_path, gold=gold, results=results, corpora=request.corpora, store=location,
        n_documents=len(documents), n_chunks=sum(d.n_chunks for d in documents), started_at=started_at,
        total_s=time.perf_counter() - started, ingest_s=ingest_s, notes=notes,
    )


def write_outputs(run: EvalRun, out_dir: Path, per_config: bool) -> list[Path]:
    """Write answers, metrics.json, the plots and report.html into ``out_dir``; returns the files written.

    Example:
        >>> [p.name for p in write_outputs(run, Path("out/eval"), per_config=False)]  # doctest: +SKIP
        ['answers.jsonl', 'metrics.json', 'hit_at_k.png', 'by_type.png', 'latency.png', 'report.html']
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for result in run.results:
        path = out_dir / answers_file_name(result.name, per_config)
        write_answers(result, path)
        written.append(path)
    write_metrics(run, out_dir / "metrics.json")
    written.append(out_dir / "metrics.json")
    plots = write_plots(run.results, out_dir)
    written += [out_dir / plot.file for plot in plots]
    (out_dir / "report.html").write_text(render_html(run, plots), encoding="utf-8")
    written.append(out_dir / "report.html")
    return written


def run_eval_command(args: argparse.Namespace, settings: Settings) -> int:
    """`govqa eval`: run, write the outputs, print the side-by-side table; returns the exit status.

    Example:
        >>> from ui.cli import main
        >>> main(["eval", "dev.jsonl", "--corpus", "data/reports", "--compare", "bm25,hybrid"])  # doctest: +SKIP
        0
    """
    try:
        request = EvalRequest.create(args.gold, args.corpus, args.out, args.compare)
        run = run_eval(request, settings)
    except (GoldFormatError, EvalInputError) as error:
        print(f"govqa: {error}", file=sys.stderr)
        return 2
    written = write_outputs(run, request.out_dir, request.per_config)
    print(text_table(run.results))
    print(f"govqa: 结果已写入 {request.out_dir}：{'、'.join(p.name for p in written)}（用时 {run.total_s:.0f} 秒）",
          file=sys.stderr)
    return 1 if any(result.errors for result in run.results) else 0
