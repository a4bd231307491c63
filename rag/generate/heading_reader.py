"""Headings: the sentences a heading sentence heads, for questions a heading alone does not answer.

A notice or a report answers "如何落实主体责任？" under a heading ("（一）落实各单位主体责任。企业法定代表人
是…") or an article ("第十五条 …。\\n绩效评价结果为“中”的，…"): the heading sentence names the topic and
the sentences after it say what is asked. A sentence is a heading when it opens a line with an item or
heading number; what it heads is the rest of its paragraph, or, when it is a line of its own, the
paragraphs after it up to the next numbered line.

Example:
    >>> text = "（一）落实主体责任。企业负责人是第一责任人；要建立专班。\\n（二）落实属地责任。"
    >>> [s.text for s in heading_body(text, TextSpan(0, 10, "（一）落实主体责任。"))]
    ['企业负责人是第一责任人；', '要建立专班。']
"""
from __future__ import annotations

from rag.generate.list_reader import opens_with_ordinal
from rag.sentences import TextSpan, sentences

# What a heading heads is an answer, not a chapter.
MAX_SENTENCES = 6


def _line_of(text: str, at: int) -> tuple[int, int]:
    """The (start, end) of the line of `text` holding index `at`."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def heading_body(text: str, head: TextSpan, offset: int = 0) -> list[TextSpan]:
    """The sentences `head` heads, in order; [] when it is not a heading.

    `text` is a stretch of canonical text starting at `offset`; `head` is a sentence of it in canonical offsets.
    """
    at = head.start - offset
    line_start, line_end = _line_of(text, at)
    if text[line_start:at].strip() or not opens_with_ordinal(head.text):
        return []
    rest = [s for s in sentences(text[:line_end], offset) if s.start >= head.end]
    if rest:
        return rest[:MAX_SENTENCES]
    body: list[TextSpan] = []
    for line in sentences(text[line_end:], offset + line_end):
        if opens_with_ordinal(line.text) or len(body) >= MAX_SENTENCES:
            break
        body.append(line)
    return body
