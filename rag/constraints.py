"""Read the places and years a question names, against the reports in the library.

Example:
    >>> lib = Library.from_documents([doc_zhengzhou, doc_huiji])
    >>> parse_constraints("惠济区2023年商品房卖了多少面积？", lib)
    QueryConstraints(regions=('惠济区',), unknown_places=(), years=(2023,))
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jieba.posseg as pseg

from vectorstore.lexical import add_words
from vectorstore.records import StoredDocument

_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
# Words jieba may tag as places that never name a government of their own.
_NOT_PLACES = ("市区", "城区", "全市", "全区", "全县", "片区", "园区", "社区", "景区", "新区", "城市", "县城", "县市",
               "我市", "本市", "该市", "各市", "市县", "辖区", "山区", "老区", "示范区", "开发区", "功能区", "自贸区",
               "地区", "小区", "棚户区", "先导区")


_PLACES_FILE = Path(__file__).with_name("places.txt")


@functools.cache
def _listed_places() -> re.Pattern[str]:
    """Every county- and prefecture-level place name of China (``places.txt``), longest first.

    Not before "域": "新乡县域经济" speaks of the counties of 新乡, not of 新乡县.
    """
    lines = _PLACES_FILE.read_text(encoding="utf-8").splitlines()
    names = sorted((line for line in lines if line and not line.startswith("#")), key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(map(re.escape, names))})(?!域)")


@dataclass(frozen=True)
class Library:
    """The places the stored reports speak for, and the names a question may use for them."""

    aliases: dict[str, str]            # "郑州" -> "郑州市", "郑州市" -> "郑州市", "惠济" -> "惠济区"
    parents: dict[str, str]            # "惠济区" -> "郑州市"

    @classmethod
    def from_documents(cls, documents: Sequence[StoredDocument]) -> "Library":
        """Aliases for every region (and parent region) of the documents."""
        aliases: dict[str, str] = {}
        parents: dict[str, str] = {}
        for doc in documents:
            for region in (doc.region, doc.parent_region):
                if region:
                    aliases[region] = region
                    short = region[:-1]
                    if len(short) >= 2:
                        aliases.setdefault(short, region)
            if doc.region and doc.parent_region:
                parents[doc.region] = doc.parent_region
        return cls(aliases=aliases, parents=parents)


@dataclass(frozen=True)
class QueryConstraints:
    """Places (as stored region names) and years a question names; places the library lacks."""

    regions: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()


def _ordered_unique(items: list) -> tuple:
    return tuple(dict.fromkeys(items))


# A place named as part of a region's name: "郑州都市圈" is not a question about 郑州's own report.
_REGION_NAME_AFTER = re.compile(r"都市圈|城市群|经济圈")


def find_regions(question: str, library: Library) -> list[tuple[int, str]]:
    """(position, region) for every library place the question names, longest alias first."""
    found: list[tuple[int, int, str]] = []
    for alias in sorted(library.aliases, key=len, reverse=True):
        for m in re.finditer(re.escape(alias), question):
            if _REGION_NAME_AFTER.match(question, m.end()):
                continue
            if not any(a <= m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), library.aliases[alias]))
    return [(a, region) for a, _, region in sorted(found)]


def parse_constraints(question: str, library: Library) -> QueryConstraints:
    """The regions and years a question names; a named place with no report is `unknown_places`."""
    named = find_regions(question, library)
    # A listed place the library lacks, even where jieba does not know it ("管城区", "卫辉市"); an
    # alias inside it ("新乡" in "新乡县") does not name the library's place.
    listed = [m for m in _listed_places().finditer(question) if m.group() not in library.aliases]
    named = [(pos, region) for pos, region in named if not any(m.start() <= pos < m.end() for m in listed)]
    # "郑州市惠济区": the district is meant, its city written right before it only locates it.
    located = {i for i, (pos, region) in enumerate(named[:-1])
               if library.parents.get(named[i + 1][1]) == region
               and question[pos:named[i + 1][0]].rstrip("市") in (region, region[:-1])}
    regions = [region for i, (_, region) in enumerate(named) if i not in located]
    # Other places: words segmented as place names ("ns") that end as a 市/区/县 government does.
    # Provinces are left out: reports name them as context ("河南省3A级景区"), never as themselves.
    add_words(library.aliases)
    unknown = [w.word for w in pseg.cut(question)
               if w.flag == "ns" and len(w.word) >= 3 and w.word.endswith(("市", "区", "县"))
               and w.word not in library.aliases and not w.word.endswith(_NOT_PLACES)]
    unknown += [m.group() for m in listed if not any(m.group() in u for u in unknown)]
    # A district or county written right after a known city ("新乡市红旗区"), which jieba may not know.
    for alias in library.aliases:
        for m in re.finditer(rf"{re.escape(alias)}市?([\u4e00-\u9fff]{{2,3}}?[区县])", question):
            name = m.group(1)
            joined = re.search(r"[和与及或、，,]", name) or any(name.endswith(a) for a in library.aliases)
            if not joined and not name.endswith(_NOT_PLACES) and not any(name in u for u in unknown):
                unknown.append(name)
    if unknown:
        regions = [r for r in regions if not any(u and library.parents.get(u) == r for u in unknown)]
        # A named place the library lacks outranks its parent city: "郑州市中原区" is not "郑州市".
        regions = [r for r in regions if not any(f"{r}{u}" in question or f"{r[:-1]}{u}" in question for u in unknown)]
    years = [int(y) for y in _YEAR.findall(question)]
    return QueryConstraints(regions=_ordered_unique(regions), unknown_places=_ordered_unique(unknown),
                            years=_ordered_unique(years))
