"""What every generator receives and returns.

A generator is given the standalone question and numbered passages ([1] is the first
passage) and returns an answer whose sentences cite passages as [n]. Citing and
verification are later steps of the chain and treat every generator alike.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from rag.compute import Computation
from rag.constraints import QueryConstraints
from rag.retrieve import RetrievedPassage
from vectorstore.records import StoredChunk


@dataclass(frozen=True)
class Draft:
    """A generator's answer: text with [n] markers, and, when known, the exact quote behind each marker."""

    text: str
    quotes: dict[int, tuple[int, int]]   # passage number -> (start, end) of the quote in the canonical text
    notice: str | None = None
    # Passages the generator read beyond those it was given (the rest of a list), numbered after them.
    extra: tuple[RetrievedPassage, ...] = ()
    # Numbers the text states that no passage does: differences or sums of cited figures, declared.
    computations: tuple[Computation, ...] = ()
    # Why the answer is a refusal, when the generator knows ("报告只给出…，没有给出…").
    refusal: str | None = None


class ReportReader(Protocol):
    """Read on in a report beyond the retrieved passages."""

    def following(self, chunk: StoredChunk, n: int) -> list[StoredChunk]:
        """Up to `n` passages that come right after `chunk` in its report."""
        ...

    def top_sections(self, doc: str) -> list[tuple[str, StoredChunk]]:
        """The report's top-level headings (一、二、…), each with the passage it opens."""
        ...


class Generator(Protocol):
    """Turns a question and its passages into a draft answer."""

    def generate(self, question: str, constraints: QueryConstraints, passages: list[RetrievedPassage],
                 on_token: Callable[[str], None] | None = None) -> Draft:
        """The draft answer; pieces of its text go to `on_token` as they are written, when given."""
        ...
