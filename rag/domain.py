"""Domain knowledge read from the data files in `rag/data/` (one place for all of it).

Each file starts with comment lines (#) giving its source and why it exists; the rest is one entry
a line, fields separated by tabs.

Example:
    >>> ("左右", "after", "approximately") in qualifier_table()
    True
"""
from __future__ import annotations

import functools
import re
from rag.gazetteer import data_rows

def read_table(name: str) -> list[tuple[str, ...]]:
    """The rows of `rag/data/<name>` with their fields stripped (see `rag.gazetteer.data_rows`)."""
    return [tuple(field.strip() for field in row) for row in data_rows(name)]


@functools.cache
def unit_kinds() -> dict[str, str]:
    """Unit as written after a figure -> the kind of quantity it measures (money, weight, count…)."""
    return {row[0]: row[1] for row in read_table("units.tsv")}


@functools.cache
def qualifier_table() -> tuple[tuple[str, str, str], ...]:
    """(word, 'before'|'after', meaning) for every qualifier of a figure."""
    return tuple((w, pos, meaning) for w, pos, meaning in read_table("qualifiers.tsv"))


@functools.cache
def qualifier_words(position: str) -> tuple[str, ...]:
    """The qualifiers written `position` ("before" or "after") a figure ("约", "左右"), longest first."""
    return tuple(sorted((w for w, pos, _ in qualifier_table() if pos == position), key=len, reverse=True))


@functools.cache
def measure_words() -> dict[str, str]:
    """A word written right before a figure -> what the figure measures (growth, decline, share)."""
    return {row[0]: row[1] for row in read_table("measures.tsv")}


@functools.cache
def linking_verbs() -> tuple[str, ...]:
    """Verbs between an indicator and its figure ("完成", "达到"), longest first."""
    return tuple(sorted((row[0] for row in read_table("verbs.tsv")), key=len, reverse=True))


@functools.cache
def indicator_aliases() -> dict[str, str]:
    """Every known name of an indicator -> its normalised name ("GDP" -> "生产总值")."""
    out: dict[str, str] = {}
    for row in read_table("indicators.tsv"):
        for name in row:
            out.setdefault(name, row[0])
    return out


@functools.cache
def indicator_parts() -> tuple[str, ...]:
    """Words that, written before a known indicator, name a part of what it counts ("中央财政赤字"), longest first."""
    return tuple(sorted((row[0] for row in read_table("indicator_parts.txt")), key=len, reverse=True))


@functools.cache
def output_words() -> tuple[str, ...]:
    """Words after a product's name that make it its output figure ("钢产量" is 钢's), longest first."""
    return tuple(sorted((row[0] for row in read_table("output_words.txt")), key=len, reverse=True))


@functools.cache
def function_words() -> dict[str, str]:
    """Closed-class words that open or close the words before a figure -> their class (adverb, comparison…)."""
    return {row[0]: row[1] for row in read_table("function_words.tsv")}


@functools.cache
def time_limit_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(how a question asks for a time limit, how a text states one), from `time_limits.tsv`."""
    rows = dict(read_table("time_limits.tsv"))
    return re.compile(rows["ask"]), re.compile(rows["limit"])
