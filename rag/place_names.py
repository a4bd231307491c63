"""Places a question names by a short name ("成都2024年…", "洛阳的…"): the name of a listed city or county
without its 市/县, where it stands as a place stands in a question.

A short name is an ordinary word as often as a place ("安康", "合作", "大同"), so it is read as a place only
in a place's position — at the start of the question or after a joining word or punctuation, and followed
by a year, a time word, "的" or no Chinese character at all, the way questions write "成都2024年…",
"成都和绵阳…", "成都的…" — or, anywhere, where jieba cuts it as a word of its own and tags it a place
name and no noun follows ("报告里成都举办了…", not "平原校区"). The names come from rag/places.txt (see `rag.gazetteer.short_place_names`).

Example:
    >>> short_places_named("成都2024年地区生产总值是多少？")
    ['成都']
    >>> short_places_named("如何实现长治久安？"), short_places_named("祝愿人民幸福安康")
    ([], [])
"""
from __future__ import annotations

import functools
import re

import jieba.posseg as pseg

from rag.gazetteer import short_place_names

# What may stand before a place in a question (a joining word, or what a report mentions: "报告里提到的许昌"),
# and what follows one: a year, a period, a time word, "的".
_BEFORE = r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[和与及比跟同在对较])|(?<=提到的|说到的|讲到的|所说的|里说的))"
_AFTER = r"(?=\d|[一二][〇零○一二三四五六七八九]{3}年|十[一二三四五]五|今年|去年|上年|明年|前年|近年|近几年|的|[^\u4e00-\u9fff]|$)"


@functools.cache
def _pattern() -> re.Pattern[str]:
    names = "|".join(map(re.escape, sorted(short_place_names(), key=len, reverse=True)))
    # "嘉兴和绵阳…": a place joined to another place stands where a place stands.
    return re.compile(f"{_BEFORE}({names})(?:{_AFTER}|(?=[和与及、](?:{names})))")


def short_places_named(question: str) -> list[str]:
    """The short names of places `question` names, as it writes them, in order of mention (the listed
    name of each: `rag.gazetteer.short_place_names()[name]`)."""
    found = [(m.start(), m.group(1)) for m in _pattern().finditer(question)]
    words = list(pseg.cut(question))
    at = 0
    for word, after in zip(words, [*words[1:], None]):
        # Not before a noun: "平原校区" is a campus's name, "成都举办" names the city.
        if word.flag == "ns" and word.word in short_place_names() and not (after and after.flag.startswith("n")):
            found.append((at, word.word))
        at += len(word.word)
    return list(dict.fromkeys(name for _, name in sorted(found)))
