"""Scoring the figure extractor against an extraction gold set (`eval/sets/extraction/figures.jsonl`).

Each gold line is one sentence of a report and every figure in it, written by hand from the
reports: `{"doc", "sentence", "figures": [{"text", "value", "value_high", "unit", "qualifier",
"indicator", "measure", "reading"}]}`. The extractor runs over the whole report (so it knows the
section a sentence stands in); its facts inside the sentence are paired with the gold figures by
the figure's text. A pair is correct on a field when value (within 0.1%), unit, qualifier,
indicator (one name inside the other, width and white space ignored) or reading agree; precision
counts extracted facts, recall gold figures, each correct on every scored field.

Example:
    >>> score = score_extraction(load_extraction_gold(Path("eval/sets/extraction/figures.jsonl")), [Path("data/reports")])
    >>> round(score.precision, 2) >= 0.0
    True
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.gold import GoldFormatError
from rag.clean import clean_text
from rag.describe import describe_report, find_sections
from rag.figures import Fact, extract_facts
from rag.load import load_report

SCORED_FIELDS = ("value", "unit", "qualifier", "indicator", "reading")


@dataclass(frozen=True)
class GoldSentence:
    """One sentence of a report and the figures a person read in it."""

    doc: str
    sentence: str
    figures: tuple[dict[str, Any], ...]


@dataclass
class ExtractionScore:
    """How the extractor did: pairs found, per-field agreement, precision and recall."""

    gold: int = 0
    extracted: int = 0
    paired: int = 0
    fully_correct: int = 0
    field_correct: Counter = field(default_factory=Counter)
    sentences_missing: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.fully_correct / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.fully_correct / self.gold if self.gold else 0.0

    def field_accuracy(self) -> dict[str, float]:
        """Of the paired figures, the share correct on each field."""
        return {f: (self.field_correct[f] / self.paired if self.paired else 0.0) for f in SCORED_FIELDS}

    def to_json(self) -> dict[str, Any]:
        return {"gold_figures": self.gold, "extracted": self.extracted, "paired": self.paired,
                "fully_correct": self.fully_correct, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "field_accuracy": {k: round(v, 4) for k, v in self.field_accuracy().items()},
                "sentences_not_found": len(self.sentences_missing)}


def is_extraction_gold(path: Path) -> bool:
    """Whether a JSONL file is an extraction gold set (its lines carry `sentence` and `figures`)."""
    try:
        with path.open(encoding="utf-8") as f:
            first = next((line for line in f if line.strip()), "")
        record = json.loads(first)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False  # the question-set reader names what is wrong with the file
    return isinstance(record, dict) and "sentence" in record and "figures" in record


_FIGURE_FIELDS = ("text", "value", "unit", "indicator", "reading")


def _gold_sentence(record: Any) -> GoldSentence:
    """One gold line checked; ValueError with the reason in Chinese."""
    if not isinstance(record, dict):
        raise ValueError("应为 JSON 对象")
    for name in ("doc", "sentence"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise ValueError(f"缺少字段 {name}")
    figures = record.get("figures")
    if not isinstance(figures, list):
        raise ValueError("figures 应为列表")
    for i, figure in enumerate(figures, 1):
        missing = [name for name in _FIGURE_FIELDS if not isinstance(figure, dict) or figure.get(name) is None]
        if missing:
            raise ValueError(f"第 {i} 个数字缺少字段 {'、'.join(missing)}")
        if not isinstance(figure["value"], (int, float)) or isinstance(figure["value"], bool):
            raise ValueError(f"第 {i} 个数字的 value 应为数")
    return GoldSentence(record["doc"], record["sentence"], tuple(figures))


def load_extraction_gold(path: Path) -> list[GoldSentence]:
    """The sentences of an extraction gold set; a bad line raises GoldFormatError naming it."""
    out = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_gold_sentence(json.loads(line)))
        except json.JSONDecodeError:
            raise GoldFormatError(path.name, line_no, "不是有效的 JSON") from None
        except ValueError as err:
            raise GoldFormatError(path.name, line_no, str(err)) from None
    return out


def _plain(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _agrees(name: str, gold: dict[str, Any], fact: Fact) -> bool:
    if name == "value":
        expected = float(gold["value"])
        return abs(fact.value - expected) <= 1e-3 * max(abs(expected), 1e-9)
    if name == "unit":
        return _plain(gold["unit"]) == _plain(fact.unit)
    if name == "qualifier":
        return _plain(gold.get("qualifier")) == _plain(fact.qualifier)
    if name == "indicator":
        a, b = _plain(gold["indicator"]), _plain(fact.indicator)
        return bool(a and b) and (a in b or b in a)
    return gold["reading"] == fact.reading


def _report_facts(path: Path) -> tuple[str, list[Fact]]:
    text = clean_text(load_report(path).text)
    meta = describe_report(path.name, text)
    return text, extract_facts(text, find_sections(text, meta.period_year), meta.year)


def score_extraction(gold: Sequence[GoldSentence], corpora: Sequence[Path]) -> ExtractionScore:
    """Run the extractor over every report the gold set names (found in `corpora`) and score it."""
    files = {p.name: p for folder in corpora for p in sorted(Path(folder).rglob("*")) if p.is_file()}
    cache: dict[str, tuple[str, list[Fact]]] = {}
    score = ExtractionScore()
    for item in gold:
        score.gold += len(item.figures)
        if item.doc not in files:
            score.sentences_missing.append(f"{item.doc}: 报告不在语料中")
            continue
        if item.doc not in cache:
            cache[item.doc] = _report_facts(files[item.doc])
        text, facts = cache[item.doc]
        at = text.find(item.sentence)
        if at < 0:
            score.sentences_missing.append(f"{item.doc}: {item.sentence[:30]}")
            continue
        inside = [f for f in facts if at <= f.start < at + len(item.sentence)]
        score.extracted += len(inside)
        unpaired = list(inside)
        for figure in item.figures:
            wanted = _plain(figure["text"])
            fact = next((f for f in unpaired if _plain(f.text) == wanted), None) or next(
                (f for f in unpaired if wanted and (_plain(f.text) in wanted or wanted in _plain(f.text))), None)
            if fact is None:
                score.errors.append({"doc": item.doc, "figure": figure["text"], "problem": "not extracted"})
                continue
            unpaired.remove(fact)
            score.paired += 1
            wrong = [name for name in SCORED_FIELDS if not _agrees(name, figure, fact)]
            score.field_correct.update(name for name in SCORED_FIELDS if name not in wrong)
            if wrong:
                score.errors.append({"doc": item.doc, "figure": figure["text"], "problem": "wrong " + ",".join(wrong),
                                     "gold": {k: figure.get(k) for k in wrong},
                                     "extracted": {k: getattr(fact, k) for k in wrong}})
            else:
                score.fully_correct += 1
        score.errors += [{"doc": item.doc, "figure": f.text, "problem": "not a gold figure"} for f in unpaired]
    return score
