"""Place names: the provincial-level divisions, every county- and prefecture-level name, the words that
make a text or question national, and the words that are never a place. Read from `rag/data/` and
`rag/places.txt`; pure look-ups, no text reading here.

Example:
    >>> official_province("内蒙古"), official_province("广西壮族自治区"), official_province("郑州")
    ('内蒙古自治区', '广西壮族自治区', None)
    >>> is_known_place("内蒙古自治区"), is_known_place("城镇市")
    (True, False)
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

NATIONAL = "全国"  # the region of the State Council's reports
_DATA = Path(__file__).with_name("data")
_PLACES_FILE = Path(__file__).with_name("places.txt")


def data_rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a `rag/data/` file, comment and blank lines left out."""
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@functools.cache
def _provinces() -> dict[str, str]:
    """Every name of a provincial-level division (official or short) -> its official name."""
    names: dict[str, str] = {}
    for official, _kind, shorts in data_rows("provinces.tsv"):
        names[official] = official
        for short in shorts.split(","):
            names[short.strip()] = official
    return names


def official_province(name: str) -> str | None:
    """The official name of a provincial-level division named `name` (official or short), else None."""
    return _provinces().get(name)


def province_names() -> dict[str, str]:
    """All names of provincial-level divisions (official and short) -> official name."""
    return dict(_provinces())


@functools.cache
def listed_places() -> frozenset[str]:
    """Every county- and prefecture-level place name of `places.txt`."""
    lines = _PLACES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_known_place(name: str) -> bool:
    """Whether `name` is the official name of a province-, prefecture- or county-level place."""
    return official_province(name) == name or name in listed_places()


@functools.cache
def known_place_pattern() -> re.Pattern[str]:
    """Official province names and listed places, longest first (a name inside a longer one is not matched)."""
    names = sorted({n for n, o in _provinces().items() if n == o} | listed_places(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


@functools.cache
def not_places() -> frozenset[str]:
    """Words that look like or are tagged as places but never name a government of their own."""
    return frozenset(row[0] for row in data_rows("not_places.txt"))


@functools.cache
def national_phrases(use: str) -> tuple[str, ...]:
    """`speaker`: phrases by which the State Council speaks; `scope`: words that ask about the whole country."""
    return tuple(phrase for kind, phrase in data_rows("national.tsv") if kind == use)


@functools.cache
def speaker_titles() -> tuple[str, ...]:
    """Titles of a government's head, longest first ("代市长" before "市长")."""
    return tuple(sorted((row[0] for row in data_rows("speaker_titles.txt")), key=len, reverse=True))


@functools.cache
def honorifics() -> tuple[str, ...]:
    """Words written right after a person's name ("同志"), longest first."""
    return tuple(sorted((row[0] for row in data_rows("honorifics.txt")), key=len, reverse=True))


# Suffixes a question drops from a city's or county's name ("成都" for 成都市, "兰考" for 兰考县).
_DROPPED_SUFFIXES = ("市", "县")


@functools.cache
def short_place_names() -> dict[str, str]:
    """Short names of listed cities and counties (their name without 市/县, two characters or more) -> the
    listed name; a short name two places share (but a city and its county's: the city's), or that is a province's
    name, is left out.

    Example:
        >>> short_place_names()["成都"], "吉林" in short_place_names()
        ('成都市', False)
    """
    found: dict[str, list[str]] = {}
    for name in listed_places():
        if name.endswith(_DROPPED_SUFFIXES) and len(name) >= 3:
            found.setdefault(name[:-1], []).append(name)
    # A city and the county named after it ("许昌市", "许昌县"): the short name is the city's, as questions mean it.
    cities = {short: [n for n in names if n.endswith("市")] for short, names in found.items()}
    return {short: names[0] if len(names) == 1 else cities[short][0] for short, names in found.items()
            if (len(names) == 1 or len(cities[short]) == 1 and all(n.endswith(("市", "县")) for n in names))
            and short not in _provinces() and short not in not_places() and short not in listed_places()}


@functools.cache
def area_kinds() -> tuple[str, ...]:
    """Kinds of area named as a place of its own ("新区", "工业园区"), longest first."""
    return tuple(sorted((row[0] for row in data_rows("area_kinds.txt")), key=len, reverse=True))
