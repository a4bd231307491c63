"""Text as it is matched, not as it is shown: one form for the many ways a report writes the same thing.

Reports mix full- and half-width characters ("２０２４年" / "2024年"), the 1950s ones are in traditional
characters ("國民經濟"), and years are sometimes written in Chinese digits ("一九五八年"). Search, the
question reader and the figure reader compare `for_matching(text)`; the canonical text shown stays as
written. Every character maps to exactly one character, so an offset into the matched form is the same
offset into the original.

Example:
    >>> for_matching("１９５５年國民經濟計劃，一九五八年")
    '1955年国民经济计划,1958年'
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_CHINESE_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# A year in Chinese digits: four of them right before 年 ("一九五八年"), never inside a longer run.
_CHINESE_YEAR = re.compile(r"(?<![〇零○一二三四五六七八九十百千万])[一二][〇零○一二三四五六七八九]{3}(?=年)")


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")  # its dictionaries ship inside the wheel: nothing is fetched


@functools.lru_cache(maxsize=65536)
def _width_folded(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char  # "…" -> "..." would move every later offset


def for_matching(text: str) -> str:
    """`text` with NFKC width folding, traditional characters as simplified and Chinese-digit years as
    digits, character for character (same length, so offsets hold)."""
    folded = text.translate({ord(c): _width_folded(c) for c in set(text) if not c.isascii()})
    simplified = _to_simplified().convert(folded)
    if len(simplified) != len(folded):  # a phrase rule changed the length: convert one character at a time
        simplified = "".join(_to_simplified().convert(c) or c for c in folded)
    return _CHINESE_YEAR.sub(lambda m: m.group().translate(_CHINESE_DIGITS), simplified)
