"""Which of the library's places a question names, and which citations come from another place.

The scorer's own simple rule (independent of how rag/ reads places): a question names a
library place (a region of a report, or the region that region lies in) when its text holds the region's official name or its short name (the name
without its administrative suffix — 省, 市, 区, 县, 自治区… — and, for an autonomous region,
its first two characters: 广西壮族自治区 → 广西). When a question names one or more library
regions, every citation must come from one of them or from a place below one of them (its
parent, or its parent's parent, is named); 全国 is not below anything.

Usage::

    book = PlaceBook.from_regions([("郑州市", "河南省"), ("惠济区", "郑州市"), ("全国", None)])
    book.named_in("郑州2024年GDP增长多少？")                 # {'郑州市'}
    foreign_citations(record, book)                          # ['全国'] when a 全国 passage is cited
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Administrative suffixes of Chinese place names, longest first: grammar of names, not a list of places.
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|区|县|州|盟|旗)$")
_AUTONOMOUS = "自治区"


def short_names(region: str) -> set[str]:
    """The forms of ``region`` a question may use: itself and its short names of two characters or more.

    Example:
        >>> sorted(short_names("广西壮族自治区"))
        ['广西', '广西壮族', '广西壮族自治区']
        >>> sorted(short_names("郑州市")), sorted(short_names("全国"))
        (['郑州', '郑州市'], ['全国'])
    """
    names = {region}
    stripped = _SUFFIX.sub("", region)
    if len(stripped) >= 2:
        names.add(stripped)
    if region.endswith(_AUTONOMOUS) and len(region) > len(_AUTONOMOUS) + 1:
        names.add(region[:2])
    return names


@dataclass(frozen=True)
class PlaceBook:
    """The library's regions and, where known, the region each lies in."""

    parents: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_regions(cls, regions: Iterable[tuple[str | None, str | None]]) -> PlaceBook:
        """A book from (region, parent region) pairs; unknown regions (None) are left out.

        Example:
            >>> sorted(PlaceBook.from_regions([("惠济区", "郑州市"), (None, None)]).parents)
            ['惠济区']
        """
        parents: dict[str, str | None] = {}
        for region, parent in regions:
            if region:
                parents[region] = parents.get(region) or parent
        return cls(parents)

    def named_in(self, text: str) -> set[str]:
        """The library's places ``text`` names (by official or short name): its regions and their parents.

        Example:
            >>> book = PlaceBook.from_regions([("河南省", None), ("郑州市", "河南省")])
            >>> sorted(book.named_in("河南和郑州的目标"))
            ['河南省', '郑州市']
        """
        places = set(self.parents) | {parent for parent in self.parents.values() if parent}
        return {place for place in places if any(name in text for name in short_names(place))}

    def within(self, region: str, named: set[str]) -> bool:
        """Whether ``region`` is one of ``named`` or lies (through its parents) inside one of them.

        Example:
            >>> book = PlaceBook.from_regions([("惠济区", "郑州市"), ("郑州市", "河南省")])
            >>> book.within("惠济区", {"河南省"}), book.within("郑州市", {"惠济区"})
            (True, False)
        """
        seen: set[str] = set()
        current: str | None = region
        while current and current not in seen:
            if current in named:
                return True
            seen.add(current)
            current = self.parents.get(current)
        return False


def question_text(record: dict[str, Any] | None, question: str) -> str:
    """The question as the system understood it: its standalone form, else the gold question."""
    return str((record or {}).get("standalone_question") or question)


def foreign_citations(record: dict[str, Any] | None, question: str, book: PlaceBook) -> list[str]:
    """The regions of the record's citations that lie outside every library region the question names.

    Empty when the question names no library region. A citation without a region (a report
    whose place is unknown) counts as foreign when the question names one: an answer to
    "郑州…" must not rest on a report that may be of anywhere.

    Example:
        >>> book = PlaceBook.from_regions([("郑州市", "河南省"), ("惠济区", "郑州市"), ("新乡市", "河南省")])
        >>> record = {"standalone_question": "郑州2024年GDP增长多少？",
        ...           "citations": [{"region": "惠济区"}, {"region": "新乡市"}]}
        >>> foreign_citations(record, "郑州2024年GDP增长多少？", book)
        ['新乡市']
    """
    named = book.named_in(question_text(record, question))
    if not named:
        return []
    regions = [citation.get("region") or "" for citation in (record or {}).get("citations") or []]
    return [region or "（地区未知）" for region in regions if not (region and book.within(region, named))]
