"""What one `govqa eval` run produced: per configuration, its answers, scores and timings.

``eval.run`` fills these in; ``eval.report`` and ``eval.plots`` only read them.

Usage::

    result = ConfigResult.from_records("hybrid", "……", records, gold, setup_s=0.4, ask_s=3.1)
    result.metrics["overall"]["hit@5"], result.hit_curve()[4]   # the same number
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.gold import GoldItem
from eval.metrics import ItemScore, score, score_items, worst_failures
from eval.places import PlaceBook

WORST_FAILURES = 10
HIT_CURVE_MAX_K = 10


@dataclass(frozen=True)
class ConfigResult:
    """One configuration's run over the gold set.

    ``records`` are the answer records in gold order (a question that raised has none and
    is listed in ``errors`` with the error's text); ``metrics`` is ``eval.metrics.score``'s
    result; ``setup_s`` is the time to build the configuration and answer a warm-up
    question (the baseline embeds its own passages then) and ``ask_s`` the time spent
    answering the gold questions.
    """

    name: str
    description: str
    records: list[dict[str, Any]]
    scores: list[ItemScore]
    metrics: dict[str, Any]
    failures: list[dict[str, Any]]
    setup_s: float
    ask_s: float
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_records(cls, name: str, description: str, records: list[dict[str, Any]],
                     gold: Sequence[GoldItem], setup_s: float, ask_s: float,
                     errors: dict[str, str] | None = None, places: PlaceBook | None = None) -> ConfigResult:
        """Score ``records`` against ``gold`` and keep everything the report needs.

        ``places`` is the library's places, for ``foreign_place_citations`` (see ``eval.metrics.score``).

        Example:
            >>> from eval.gold import GoldItem
            >>> item = GoldItem("q1", "？", None, (), (), "unanswerable")
            >>> result = ConfigResult.from_records("x", "", [{"id": "q1", "answer": "报告中没有找到", "refused": True}],
            ...                                    [item], setup_s=0.0, ask_s=0.1)
            >>> result.metrics["overall"]["refusal_recall"], result.failures
            (1.0, [])
        """
        return cls(
            name=name,
            description=description,
            records=records,
            scores=score_items(records, gold, places),
            metrics=score(records, gold, places),
            failures=worst_failures(records, gold, n=WORST_FAILURES, places=places),
            setup_s=setup_s,
            ask_s=ask_s,
            errors=dict(errors or {}),
        )

    def hit_curve(self, max_k: int = HIT_CURVE_MAX_K) -> list[float | None]:
        """hit@k for k = 1 … ``max_k`` over answerable items with evidence (None when there are none).

        The same population and definition as the ``hit@k`` metrics, at every k.
        """
        ranked = [s for s in self.scores if s.answerable and s.evidence_recall_5 is not None]
        if not ranked:
            return [None] * max_k
        return [sum(s.hit(k) for s in ranked) / len(ranked) for k in range(1, max_k + 1)]

    @property
    def latencies_ms(self) -> list[float]:
        """Every measured answer time, in gold order."""
        return [s.latency_ms for s in self.scores if s.latency_ms is not None]


@dataclass(frozen=True)
class EvalRun:
    """A whole run: the gold set, where the reports came from, and every configuration's result.

    ``corpora`` are the folders or files ingested (none when an existing store was used);
    ``store`` is where the index lives (a temporary folder when ``corpora`` were ingested);
    ``ingest_s`` is None when nothing was ingested; ``notes`` are warnings worth reading
    next to the numbers (e.g. gold evidence in a report the store does not hold).
    """

    gold_path: Path
    gold: list[GoldItem]
    results: list[ConfigResult]
    corpora: tuple[Path, ...]
    store: str
    n_documents: int
    n_chunks: int
    started_at: str
    total_s: float
    ingest_s: float | None = None
    notes: list[str] = field(default_factory=list)
