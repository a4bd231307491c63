"""Verify: every statement of an answer must stand in a passage it cites.

Per answer sentence: a marker must name a citation that exists, and every number must
appear in a passage that sentence cites, or in the title and section it is shown under (a
sentence without markers is backed by the markers of its line), or be the result of a declared,
correct computation (rag/compute.py); a sentence that fails is dropped. An answer
left with nothing is a refusal.

Example:
    >>> verify_answer("生产总值增长6.5%[1]\\n人口增长9%[1]", citations).text
    '生产总值增长6.5%[1]'
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.cite import MARKER
from rag.compute import Computation, is_correct
from rag.numbers import numbers_in
from rag.records import Citation

_BAD_MARKER = re.compile(r"\[\?\d{1,3}\]")
# Sentence ends, but not the "?" of a [?n] marker (one naming no given passage, written by rag.cite).
_SPLIT = re.compile(r"(?<=[。！？!?])(?!\d{1,3}\])|\n")


@dataclass(frozen=True)
class Verified:
    """The answer text that survived, the citations it still uses, and what was removed."""

    text: str
    citations: tuple[Citation, ...]
    dropped: tuple[str, ...]


def _grounded(number: str, sources: Sequence[str]) -> bool:
    return any(number in numbers_in(src) for src in sources)


def verify_answer(text: str, citations: Sequence[Citation], computations: Sequence[Computation] = ()) -> Verified:
    """Drop the sentences whose markers or numbers are not backed by their own citations.

    A number no passage states stands only as the result of a declared computation that is right and
    whose operands its citations state.
    """
    by_n = {c.n: c for c in citations}
    passage_numbers = {c.n: numbers_in(f"{c.title}{c.section}{c.text}") for c in citations}
    correct = [c for c in computations if is_correct(c, passage_numbers)]
    computed = {c.result_number for c in correct}
    kept: list[str] = []
    dropped: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            kept.append(line)
            continue
        pieces = [p for p in _SPLIT.split(line) if p and p.strip()]
        line_cites = [by_n[int(n)] for n in MARKER.findall(line) if int(n) in by_n]
        good = []
        for piece in pieces:
            # A sentence without markers of its own is backed by the markers of its line.
            markers = MARKER.findall(piece) + _BAD_MARKER.findall(piece)
            cited = [by_n[int(n)] for n in MARKER.findall(piece) if int(n) in by_n] or (
                line_cites if not markers else [])
            numbers = numbers_in(piece)
            # A correct computation's operands stand as its expression writes them ("5.2 − 3" takes 3 from "增长3%")
            # where the sentence cites what it was computed from.
            own = {c.n for c in cited}
            operands = {n for c in correct if set(c.citations) <= own for n in c.operands}
            # Every marker it has names a citation that does not exist ([?n] from cite, or a bare [n]).
            if markers and not cited:
                dropped.append(piece)
                continue
            # The heading a passage is shown under (title, section) counts: "2020年" often stands only there.
            if numbers and not all(n in computed or n in operands or _grounded(n, [f"{c.title}{c.section}{c.text}" for c in cited])
                                   for n in numbers):
                dropped.append(piece)
                continue
            good.append(MARKER.sub(lambda m: m.group() if int(m.group(1)) in by_n else "", _BAD_MARKER.sub("", piece)))
        if good:
            kept.append("".join(good))
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if not MARKER.search(result):
        result = ""
    used = {int(n) for n in MARKER.findall(result)}
    return Verified(text=result, citations=tuple(c for c in citations if c.n in used), dropped=tuple(dropped))

