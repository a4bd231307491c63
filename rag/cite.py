"""Cite: turn a draft's [n] markers into numbered citations of the passages they name.

Citations are numbered in order of first use ([1] is the first passage the answer cites),
and each carries the quote that supports it: the generator's own quote when it gave one,
otherwise the passage sentence that shares most with the answer sentences citing it.

Example:
    >>> answer_text, citations = cite(draft, passages, text_of)
    >>> citations[0].text == text_of(citations[0].doc)[citations[0].start:citations[0].end]
    True
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.generate.base import Draft
from rag.records import Citation
from rag.retrieve import RetrievedPassage

MARKER = re.compile(r"\[(\d{1,3})\]")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")


def _best_quote(passage: RetrievedPassage, claims: list[str]) -> tuple[int, int]:
    """The passage sentence sharing the most characters with the claims citing it."""
    chunk = passage.chunk
    wanted = set("".join(claims))
    best, best_overlap = (chunk.start, chunk.end), -1
    for m in _SENTENCE.finditer(chunk.text):
        overlap = len(set(m.group()) & wanted)
        if overlap > best_overlap and m.group().strip():
            lead = len(m.group()) - len(m.group().lstrip())
            best = (chunk.start + m.start() + lead, chunk.start + m.start() + len(m.group().rstrip()))
            best_overlap = overlap
    return best


def renumbering(text: str, n_passages: int) -> dict[int, int]:
    """Passage number -> citation number, 1..k in order of first use of the valid markers of `text`."""
    order: list[int] = []
    for m in MARKER.finditer(text):
        n = int(m.group(1))
        if 1 <= n <= n_passages and n not in order:
            order.append(n)
    return {old: new for new, old in enumerate(order, 1)}


def cite(draft: Draft, passages: Sequence[RetrievedPassage], text_of: Callable[[str], str]) -> tuple[str, list[Citation]]:
    """Renumber the draft's valid markers 1..k by first use and build their citations.

    `text_of(doc)` returns a report's canonical text. Markers naming no given passage are
    left as they are for verification to catch.
    """
    renumber = renumbering(draft.text, len(passages))
    order = list(renumber)

    def swap(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"[{renumber[n]}]" if n in renumber else f"[?{n}]"

    text = MARKER.sub(swap, draft.text)
    lines = draft.text.split("\n")
    citations = []
    for old in order:
        passage = passages[old - 1]
        chunk = passage.chunk
        claims = [line for line in lines if f"[{old}]" in line]
        q_start, q_end = draft.quotes.get(old) or _best_quote(passage, claims)
        canonical = text_of(chunk.doc)
        citations.append(Citation(
            n=renumber[old], doc=chunk.doc, start=chunk.start, end=chunk.end, text=canonical[chunk.start:chunk.end],
            quote=canonical[q_start:q_end], quote_start=q_start, quote_end=q_end, title=chunk.title,
            region=chunk.region, year=chunk.year, section=chunk.section,
        ))
    return text, citations
