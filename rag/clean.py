"""Clean: drop what is not the report (watermarks, page furniture, web-page tails).

The cleaned text is the report's canonical text: every passage offset points into it
and the app shows it, so cleaning only removes whole lines and normalises line
breaks; it never rewrites the words of the report.

Example:
    >>> clean_text("更多数据尽在数据皮皮侠（http://x.cn）\\n各位代表：\\n\\n\\n报告正文。\\n责编：某某")
    '各位代表：\\n\\n报告正文。'
"""
from __future__ import annotations

import re

# Lines that are never the report, wherever they stand.
_FURNITURE = [
    re.compile(r"^更多.{0,20}尽在"),                       # scraped-site watermarks
    re.compile(r"^[（(]\s*[上下]接第.{1,4}版\s*[)）]$"),      # newspaper page continuations
    re.compile(r"^[（(]\s*[上下]转第.{1,4}版\s*[)）]$"),
    re.compile(r"^发布时间\s*[:：]"),
    re.compile(r"^信息来源\s*[:：]"),
    re.compile(r"^(https?://|www\.)\S+$"),                   # a bare URL
]

# Lines that belong to the web page around the report; they end it.
_TAIL = [
    re.compile(r"^(责编|责任编辑|编辑|审核|审校|校对|总监|监制|作者|记者)\s*[:：]"),
    re.compile(r"^转载请注明"),
    re.compile(r"^[•·]?\s*(上一篇|下一篇)"),
    re.compile(r"^[（(]\s*来源\s*[:：].{0,30}[)）]$"),
    re.compile(r"^来源\s*[:：]"),
    re.compile(r"^(End|END|end)$"),
    re.compile(r"^(分享到|打印本页|关闭窗口|【打印】|【关闭】)"),
    re.compile(r"^(https?://|www\.)\S+$"),
]


def _is_furniture(line: str) -> bool:
    return any(p.search(line) for p in _FURNITURE)


def _is_tail(line: str) -> bool:
    return any(p.search(line) for p in _TAIL)


def clean_text(raw: str) -> str:
    """Return the canonical text of a report: furniture lines and the web-page tail removed,
    trailing spaces stripped, runs of blank lines collapsed to one, no leading/trailing blank lines."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for line in lines if not _is_furniture(line.strip())]
    # The tail is cut from the end backwards, so a 来源 line inside the report survives.
    while kept and (not kept[-1].strip() or _is_tail(kept[-1].strip())):
        kept.pop()
    out: list[str] = []
    for line in kept:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[0] == "":
        out.pop(0)
    return "\n".join(out)
