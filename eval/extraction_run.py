"""`govqa eval` on an extraction gold set: score the figure extractor alone, no store and no model.

    govqa eval eval/sets/extraction/figures.jsonl --corpus data/reports --corpus ../shared/corpus-national [--out DIR]

The reports the gold set names are read from the `--corpus` folders (given once or more), cleaned
and described as ingest does, and every figure read from them (rag/figures.py) is compared with
the figures a person wrote down (eval/extraction.py). The output folder (default
``out/eval-extraction``) gets ``metrics.json`` and ``errors.txt`` (each figure missed, wrongly
read or read where the gold set has none, one line each); the table goes to stdout.

Exit status: 0; 2 for bad input (a missing file or folder, a bad gold line, ``--compare``).

Example:
    >>> from ui.cli import main
    >>> main(["eval", "eval/sets/extraction/figures.jsonl", "--corpus", "data/reports"])  # doctest: +SKIP
    0
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.extraction import SCORED_FIELDS, ExtractionScore, load_extraction_gold, score_extraction
from eval.gold import GoldFormatError
from eval.outputs import make_out_dir

DEFAULT_OUT = Path("out/eval-extraction")


class ExtractionInputError(ValueError):
    """Bad input to an extraction run; the message is one line for the user."""


def extraction_table(score: ExtractionScore) -> str:
    """The score as an aligned plain-text table for a terminal.

    >>> print(extraction_table(ExtractionScore(gold=2, extracted=2, paired=2, fully_correct=1,
    ...                                        field_correct=Counter(value=2, unit=2, qualifier=2, indicator=1, reading=2))))
    metric                value
    gold figures              2
    extracted                 2
    paired                    2
    fully correct             1
    precision             0.500
    recall                0.500
    accuracy value        1.000
    accuracy unit         1.000
    accuracy qualifier    1.000
    accuracy indicator    0.500
    accuracy reading      1.000
    sentences not found       0
    """
    rows: list[tuple[str, str]] = [("gold figures", str(score.gold)), ("extracted", str(score.extracted)),
                                   ("paired", str(score.paired)), ("fully correct", str(score.fully_correct)),
                                   ("precision", f"{score.precision:.3f}"), ("recall", f"{score.recall:.3f}")]
    accuracy = score.field_accuracy()
    rows += [(f"accuracy {name}", f"{accuracy[name]:.3f}") for name in SCORED_FIELDS]
    rows.append(("sentences not found", str(len(score.sentences_missing))))
    width = 20
    return "\n".join([f"{'metric':<{width}}{'value':>7}"] + [f"{label:<{width}}{value:>7}" for label, value in rows])


def _error_line(error: dict[str, Any]) -> str:
    line = f"{error['doc']}\t{error['figure']}\t{error['problem']}"
    if "gold" in error:
        line += "\t" + "；".join(f"{k}: 标准 {error['gold'][k]!r} / 抽取 {error['extracted'][k]!r}" for k in error["gold"])
    return line


def errors_text(score: ExtractionScore) -> str:
    """Every error of a run, counted by kind first, then one line each (report, figure, problem, gold / extracted)."""
    kinds = Counter(error["problem"] for error in score.errors)
    head = [f"# {count}\t{kind}" for kind, count in kinds.most_common()]
    head += [f"# 句子未找到：{missing}" for missing in score.sentences_missing]
    return "\n".join(head + [_error_line(error) for error in score.errors]) + "\n"


def write_extraction_outputs(score: ExtractionScore, out_dir: Path, about: dict[str, Any]) -> list[Path]:
    """metrics.json (the score and `about` the run) and errors.txt in `out_dir`; returns the files written."""
    metrics, errors = out_dir / "metrics.json", out_dir / "errors.txt"
    metrics.write_text(json.dumps({**about, **score.to_json()}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    errors.write_text(errors_text(score), encoding="utf-8")
    return [metrics, errors]


def _check(gold: Path, corpora: Sequence[str] | None, out: str | None, compare: str | None) -> Path:
    """The output folder, once every argument is good; ExtractionInputError for the first bad one."""
    if compare:
        raise ExtractionInputError("抽取标准集评测的是数字抽取，不比较问答配置：请去掉 --compare")
    if not corpora:
        raise ExtractionInputError("抽取标准集需要报告原文：请用 --corpus 指定报告文件夹（可给多次）")
    for corpus in corpora:
        if not Path(corpus).is_dir():
            raise ExtractionInputError(f"找不到报告文件夹：{corpus}")
    out_dir = Path(out) if out is not None else DEFAULT_OUT
    make_out_dir(out_dir, ExtractionInputError)
    return out_dir


def run_extraction_command(args: argparse.Namespace) -> int:
    """`govqa eval GOLD` for an extraction gold set: score, write the outputs, print the table; the exit status."""
    gold_path = Path(args.gold)
    try:
        out_dir = _check(gold_path, args.corpus, args.out, args.compare)
        gold = load_extraction_gold(gold_path)
    except (GoldFormatError, ExtractionInputError) as error:
        print(f"govqa: {error}", file=sys.stderr)
        return 2
    if not gold:
        print(f"govqa: 标准集 {gold_path.name} 没有句子", file=sys.stderr)
        return 2
    started = time.perf_counter()
    score = score_extraction(gold, [Path(c) for c in args.corpus])
    about = {"gold": str(gold_path), "corpora": list(args.corpus), "sentences": len(gold),
             "seconds": round(time.perf_counter() - started, 1)}
    written = write_extraction_outputs(score, out_dir, about)
    print(extraction_table(score))
    print(f"govqa: 结果已写入 {out_dir}：{'、'.join(p.name for p in written)}（用时 {about['seconds']:.0f} 秒）",
          file=sys.stderr)
    return 0
