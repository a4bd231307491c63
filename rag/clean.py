"""Clean: drop what is not the report (watermarks, page furniture, web-page tails, licence footers).

The cleaned text is the report's canonical text: every passage offset points into it
and the app shows it, so cleaning removes whole lines (and invisible zero-width characters)
and normalises line breaks; it never rewrites the words of the report. What counts as
furniture is listed, with its sources, in `rag/data/furniture.txt`.

Example:
    >>> clean_text("更多数据尽在数据皮皮侠（http://x.cn）\\n各位代表：\\n\\n\\n报告正文。\\n责编：某某")
    '各位代表：\\n\\n报告正文。'
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

_FURNITURE_FILE = Path(__file__).with_name("data") / "furniture.txt"
# The page header sits above the report's body, which starts at its first sentence or its address.
_BODY_STARTS = re.compile(r"[。！？]|^各位代表|^.{50}")
# A licence footer closes the text: one further up is part of the document, not its footer.
_FOOTER_WITHIN_CHARS = 3000


@dataclass(frozen=True)
class FurnitureRules:
    """The patterns of `furniture.txt`, by rule."""

    chars: re.Pattern[str]
    line: tuple[re.Pattern[str], ...]
    head: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]
    footer: tuple[re.Pattern[str], ...]


@functools.cache
def furniture_rules() -> FurnitureRules:
    """The furniture patterns, read once from `rag/data/furniture.txt`."""
    rules: dict[str, list[str]] = {"char": [], "line": [], "head": [], "tail": [], "footer": []}
    for raw in _FURNITURE_FILE.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            rule, pattern = raw.split("\t", 1)
            rules[rule].append(pattern)
    compiled = {rule: tuple(re.compile(p) for p in patterns) for rule, patterns in rules.items()}
    return FurnitureRules(chars=re.compile("|".join(rules["char"]) or r"(?!)"), line=compiled["line"],
                          head=compiled["head"], tail=compiled["tail"], footer=compiled["footer"])


def _matches(patterns: tuple[re.Pattern[str], ...], line: str) -> bool:
    return any(p.search(line) for p in patterns)


def _without_footer(lines: list[str], rules: FurnitureRules) -> list[str]:
    """Cut at the first footer line that stands in the last `_FOOTER_WITHIN_CHARS` characters."""
    remaining = sum(len(line) + 1 for line in lines)
    for i, line in enumerate(lines):
        if remaining <= _FOOTER_WITHIN_CHARS and _matches(rules.footer, line.strip()):
            return lines[:i]
        remaining -= len(line) + 1
    return lines


def _without_head(lines: list[str], rules: FurnitureRules) -> list[str]:
    """Drop header lines above the body; the same words inside the body are the report's own."""
    out: list[str] = []
    in_body = False
    for line in lines:
        in_body = in_body or bool(_BODY_STARTS.search(line.strip()))
        if not in_body and _matches(rules.head, line.strip()):
            continue
        out.append(line)
    return out


def clean_text(raw: str) -> str:
    """Return the canonical text of a report: zero-width characters, furniture lines, the page header,
    the web-page tail and a licence footer removed, trailing spaces stripped, runs of blank lines
    collapsed to one, no leading/trailing blank lines."""
    rules = furniture_rules()
    text = rules.chars.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = _without_footer([line.rstrip() for line in text.split("\n")], rules)
    kept = _without_head([line for line in lines if not _matches(rules.line, line.strip())], rules)
    # The tail is cut from the end backwards, so a 来源 line inside the report survives.
    while kept and (not kept[-1].strip() or _matches(rules.tail, kept[-1].strip())):
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
