"""Numbers in answers and passages, read the scorer's own way (independent of what rag/ does).

Text is compared after NFKC normalisation with all white space removed, because the reports
mix full- and half-width punctuation and digits. A *figure with a unit* is a number followed by
"%" / "‰" or by a measure word ("17.9亿元", "120万人", "30个"): its unit key is the magnitude
(万, 亿, 千, 百, 余, 多) plus the first character after it, which is enough to tell "46.3亿元"
from "46.3亿美元" and "6.5%" from "6.5个百分点" without a list of units. A number followed by
年, 月 or 日 is a date, not a figure with a unit.

Usage::

    from eval.numbers import extract_numbers, unit_figures

    extract_numbers("增长6.5%[1]")            # ['6.5%']
    [f.text for f in unit_figures("实际吸收外资46.3亿美元")]   # ['46.3亿美']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WHITE_SPACE = re.compile(r"\s+")
# "[1]", "[12]" and an LLM's "[1, 2]" / "[1、2]" point at citations; they are not figures.
_CITATION_MARKER = re.compile(r"\[[0-9]+(?:\s*[,、]\s*[0-9]+)*\]")
# A thousands-grouped number is tried first so "1,234" stays one number; the
# lookahead stops "12,3456" from being read as "12,345" followed by "6".
_NUMBER = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?%?|[0-9]+(?:\.[0-9]+)?%?")
_MAGNITUDE = re.compile(r"[万亿千百余多]*")
_DATE_MARKS = frozenset("年月日")


def normalize(text: str) -> str:
    """NFKC-normalise ``text`` and remove all white space.

    Example:
        >>> normalize("增长 ６．５％ 左右")
        '增长6.5%左右'
    """
    return WHITE_SPACE.sub("", unicodedata.normalize("NFKC", text))


def _readable(text: str) -> str:
    """NFKC text with citation markers, "，" and enumeration signs (①, ²) turned into spaces."""
    kept = "".join(" " if char == "，" or unicodedata.category(char) == "No" else char for char in text)
    return _CITATION_MARKER.sub(" ", unicodedata.normalize("NFKC", kept))


def extract_numbers(text: str) -> list[str]:
    """The Arabic numbers written in ``text``, in order, after NFKC (so full-width digits count).

    A number may have a decimal part, thousands separators and a trailing %.
    Not numbers: citation markers such as [1], [12] or [1, 2]; enumeration and
    other non-decimal number signs such as ①, ⑩ or ² (NFKC would turn them into
    digits); and a full-width comma never joins digits, because in Chinese text
    "，" separates clauses ("12，345" is two numbers), while "1,234" is one.

    Example:
        >>> extract_numbers("①金融业增加值1302.9亿元[1]，占比１０．９％，共1,234家[12]。")
        ['1302.9', '10.9%', '1,234']
    """
    return _NUMBER.findall(_readable(text))


def number_key(number: str) -> str:
    """The form two numbers are compared in: thousands separators dropped.

    Example:
        >>> number_key("1,234.5")
        '1234.5'
    """
    return number.replace(",", "")


@dataclass(frozen=True)
class UnitFigure:
    """A number and the unit key written right after it (see the module docstring)."""

    number: str
    unit: str

    @property
    def text(self) -> str:
        """The figure as compared: number then unit key."""
        return self.number if self.number.endswith("%") else f"{self.number}{self.unit}"


def _is_measure_char(char: str) -> bool:
    return len(char) == 1 and (char in "%‰" or ("\u4e00" <= char <= "\u9fff" and char not in _DATE_MARKS))


def unit_figures(text: str) -> list[UnitFigure]:
    """The figures with a unit written in ``text``, in order (numbers without one are left out).

    Example:
        >>> [f.text for f in unit_figures("粮食产量1300亿斤以上，增长5.5%左右，2024年，共3个百分点，第1")]
        ['1300亿斤', '5.5%', '3个']
        >>> [f.text for f in unit_figures("实际吸收外资 46.3 亿美元[2]")]
        ['46.3亿美']
    """
    readable = WHITE_SPACE.sub("", _readable(text))
    figures = []
    for match in _NUMBER.finditer(readable):
        number = number_key(match.group())
        if number.endswith("%"):
            figures.append(UnitFigure(number, "%"))
            continue
        magnitude = _MAGNITUDE.match(readable, match.end()).group()
        after = readable[match.end() + len(magnitude) : match.end() + len(magnitude) + 1]
        if _is_measure_char(after):
            figures.append(UnitFigure(number, magnitude + after))
        elif magnitude:
            figures.append(UnitFigure(number, magnitude))
    return figures


def stated_numbers(passages: list[str]) -> set[str]:
    """Every number the passages state, as ``number_key``s, with and without a trailing %.

    Without white space "6.5 %" reads as "6.5%"; with it, numbers that only white space
    separates stay apart. Reading both can only ground more.

    Example:
        >>> sorted(stated_numbers(["增长 6.5 %，共1,234家"]))
        ['1234', '6.5', '6.5%']
    """
    stated: set[str] = set()
    for text in passages:
        for number in extract_numbers(text) + extract_numbers(WHITE_SPACE.sub("", text)):
            key = number_key(number)
            stated.add(key)
            # A passage's "6.5%" also states the bare figure "6.5" an answer may write.
            stated.add(key.removesuffix("%"))
    return stated
