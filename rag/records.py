"""Records passed along the answer chain: chat turns, citations, answers.

`Answer.to_json()` is the answer format of DESIGN.md that `govqa ask --json`, `--batch`
and the eval print.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rag.compute import Computation
from rag.constraints import QueryConstraints
from rag.retrieve import RetrievedPassage


@dataclass(frozen=True)
class Citation:
    """A numbered source: the passage `text` (= canonical text[start:end]) and the `quote` inside it."""

    n: int
    doc: str
    start: int
    end: int
    text: str
    quote: str
    quote_start: int
    quote_end: int
    title: str
    region: str | None
    year: int | None
    section: str

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "doc": self.doc, "start": self.start, "end": self.end, "text": self.text,
                "quote": self.quote, "quote_start": self.quote_start, "quote_end": self.quote_end,
                "title": self.title, "region": self.region, "year": self.year, "section": self.section}


@dataclass(frozen=True)
class Turn:
    """One asked question of a chat, as it was understood."""

    question: str
    standalone: str
    constraints: QueryConstraints
    topic: str


@dataclass
class ChatSession:
    """The history of one conversation; each user (browser tab, batch conversation) has its own."""

    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


@dataclass(frozen=True)
class Answer:
    """What govqa answers to one question."""

    question: str
    standalone_question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[RetrievedPassage, ...]
    latency_ms: float
    id: str | None = None
    notice: str | None = None
    computations: tuple[Computation, ...] = ()
    # Set when the question was refused before retrieval (rag/guard.py): "no_content" or "instructions".
    rejection: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The DESIGN.md answer record."""
        record: dict[str, Any] = {
            "id": self.id, "question": self.question, "standalone_question": self.standalone_question,
            "answer": self.answer, "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [{"doc": p.chunk.doc, "start": p.chunk.start, "end": p.chunk.end, "text": p.chunk.text,
                           "score": round(p.score, 6)} for p in self.retrieved],
            "latency_ms": round(self.latency_ms, 1),
        }
        if self.notice:
            record["notice"] = self.notice
        if self.computations:
            record["computations"] = [c.to_json() for c in self.computations]
        return record
