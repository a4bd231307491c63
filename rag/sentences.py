"""Sentences and clauses of a text as offsets: the one reader that split, cite, verify and the figures share.

A sentence ends at 。！？；!?; (with any closing quotes or brackets after the mark) or at a line
break; a clause ends at a comma, colon or a sentence end. Offsets point into the text given, so a
caller holding a passage at `start` in the canonical text adds `start`.

Example:
    >>> [s.text for s in sentences("生产总值增长5%左右；粮食产量1.4万亿斤。\\n二、工作")]
    ['生产总值增长5%左右；', '粮食产量1.4万亿斤。', '二、工作']
    >>> [c.text for c in clauses("城镇调查失业率5.5%左右，城镇新增就业1200万人以上；")]
    ['城镇调查失业率5.5%左右，', '城镇新增就业1200万人以上；']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)]*|\n")
# A comma between digits and three more ("27,203,319,000元") groups thousands; it ends no clause.
_CLAUSE_END = re.compile(r"(?:(?<!\d)[，,]|[，,](?!\d{3}(?!\d))|[：:。！？；!?;])+[”’」』）)]*|\n")


@dataclass(frozen=True)
class TextSpan:
    """A stretch of text: `text == source[start:end]`, white space stripped at both ends."""

    start: int
    end: int
    text: str


def _pieces(text: str, ends: re.Pattern[str], offset: int) -> list[TextSpan]:
    out: list[TextSpan] = []
    pos = 0
    for m in [*ends.finditer(text), None]:
        stop = m.end() if m else len(text)
        piece = text[pos:stop]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            out.append(TextSpan(offset + pos + lead, offset + pos + lead + len(stripped), stripped))
        pos = stop
        if m is None:
            break
    return out


def sentences(text: str, offset: int = 0) -> list[TextSpan]:
    """The sentences of `text`, each with its offsets plus `offset`."""
    return _pieces(text, SENTENCE_END, offset)


def clauses(text: str, offset: int = 0) -> list[TextSpan]:
    """The clauses of `text` (split at commas and colons too), each with its offsets plus `offset`."""
    return _pieces(text, _CLAUSE_END, offset)
