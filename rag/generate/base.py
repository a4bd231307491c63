"""What every generator receives and returns.

A generator is given the standalone question and numbered passages ([1] is the first
passage) and returns an answer whose sentences cite passages as [n]. Citing and
verification are later steps of the chain and treat every generator alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rag.constraints import QueryConstraints
from rag.retrieve import RetrievedPassage


@dataclass(frozen=True)
class Draft:
    """A generator's answer: text with [n] markers, and, when known, the exact quote behind each marker."""

    text: str
    quotes: dict[int, tuple[int, int]]   # passage number -> (start, end) of the quote in the canonical text
    notice: str | None = None


class Generator(Protocol):
    """Turns a question and its passages into a draft answer."""

    def generate(self, question: str, constraints: QueryConstraints,
                 passages: list[RetrievedPassage]) -> Draft: ...
