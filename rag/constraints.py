"""Read the places and years a question names, against the reports in the library.

Example:
    >>> lib = Library.from_documents([doc_zhengzhou, doc_huiji])
    >>> parse_constraints("惠济区2023年商品房卖了多少面积？", lib)
    QueryConstraints(regions=('惠济区',), unknown_places=(), years=(2023,), report_years=())
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import jieba
import jieba.posseg as pseg

from rag.gazetteer import (NATIONAL, area_kinds, listed_places, national_phrases, not_places, province_names,
                          short_place_names)
from rag.place_names import short_places_named
from rag.years import YEAR, years_named
from vectorstore.lexical import add_words
from vectorstore.normalize import for_matching
from vectorstore.records import StoredDocument

# "2020年的国务院政府工作报告": the report of that year itself is asked for, not just figures about the year.
_REPORT_OF_YEAR = re.compile(YEAR + r"\s*年(?:的|度)?[\u4e00-\u9fff]{0,8}?(?:政府工作)?报告")
_LISTED_BEFORE_REPORT = re.compile(YEAR + r"\s*年(?=\s*[和与及、]\s*(?:19|20)\d{2}\s*年(?:的|度)?[\u4e00-\u9fff]{0,8}?(?:政府工作)?报告)")
# A development area or new district named as a place ("雄安新区", "郑州市郑东新区"): two characters of
# name, at the start, after punctuation or right after a city or province.
@functools.cache
def _area() -> re.Pattern[str]:
    kinds = "|".join(map(re.escape, area_kinds()))  # 新区, 开发区, 工业园区… (rag/data/area_kinds.txt)
    return re.compile(rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[市省]))([\u4e00-\u9fff]{{2}}(?:{kinds}))")


@functools.cache
def _listed_places() -> re.Pattern[str]:
    """Every provincial-, prefecture- and county-level place name (official or short), longest first.

    Not before "域": "新乡县域经济" speaks of the counties of 新乡, not of 新乡县.
    """
    names = sorted(listed_places() | set(province_names()), key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(map(re.escape, names))})(?!域)")


@functools.cache
def _national_frame() -> re.Pattern[str]:
    return re.compile("|".join(national_phrases("frame")))


@dataclass(frozen=True)
class Library:
    """The places the stored reports speak for, and the names a question may use for them."""

    aliases: dict[str, str]            # "郑州" -> "郑州市", "郑州市" -> "郑州市", "惠济" -> "惠济区"
    parents: dict[str, str]            # "惠济区" -> "郑州市"
    national: bool = False             # whether the library holds reports of 全国 (the State Council's)

    @classmethod
    def from_documents(cls, documents: Sequence[StoredDocument]) -> "Library":
        """Aliases for every region (and parent region) of the documents."""
        aliases: dict[str, str] = {}
        parents: dict[str, str] = {}
        for doc in documents:
            for region in (doc.region, doc.parent_region):
                if region and region != NATIONAL:
                    aliases[region] = region
                    shorts = [n for n, o in province_names().items() if o == region and n != region]
                    for short in shorts or [region[:-1]]:
                        if len(short) >= 2:
                            aliases.setdefault(short, region)
            if doc.region and doc.parent_region:
                parents[doc.region] = doc.parent_region
        return cls(aliases=aliases, parents=parents, national=any(d.region == NATIONAL for d in documents))


@dataclass(frozen=True)
class QueryConstraints:
    """Places (as stored region names) and years a question names; places the library lacks."""

    regions: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    report_years: tuple[int, ...] = ()   # years whose own report is asked for ("2020年的政府工作报告")


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


def _new_areas(question: str, library: Library) -> list[str]:
    """Development areas and new districts the question names ("雄安新区"), that have no report."""
    return [m.group(1) for m in _area().finditer(question)
            if m.group(1)[:2] not in not_places() and m.group(1) not in library.aliases]


def _national_scope(question: str) -> bool:
    """Whether the question asks about the whole country ("我国", "国务院", "全国GDP"), not only ranks
    something within it ("在全国排第几")."""
    scope = national_phrases("scope")
    at = 0
    for word in jieba.cut(question):
        if word in scope and not _national_frame().match(question, at + len(word)):
            return True
        at += len(word)
    return False


def _country_beside(question: str) -> int | None:
    """Where a question about a local place names the country as its other side ("比全国高多少"), else None."""
    for m in re.finditer("|".join(map(re.escape, national_phrases("beside"))), question):
        if not _national_frame().match(question, m.end()):
            return m.start()
    return None


def _frames(question: str, alias: str, place: str) -> bool:
    """Whether `question` names `alias`'s report as where `place` is mentioned ("江苏2024年报告里提到的上海")."""
    return re.search(rf"{re.escape(alias)}[^，,。？?]{{0,12}}报告[里中上]?(?:提到|说到|讲到|说|讲|写)的?"
                     rf"{re.escape(place[:2])}", question) is not None


def parse_constraints(question: str, library: Library) -> QueryConstraints:
    """The regions and years a question names; a named place with no report is `unknown_places`.

    Years of any century, ranges ("2019到2024年") and five-year plans ("十三五") are read; a question
    about the whole country (全国, 国务院, 我国…), or about "政府工作报告" with no place named, is about the 全国
    reports when the library has them, and
    one that sets a local place against 全国 ("比全国高多少") is about both.
    """
    question = for_matching(question)  # same length: positions hold; "２０２０年", "臺灣" read as written plainly
    named = find_regions(question, library)
    # A listed place the library lacks, even where jieba does not know it ("管城区", "卫辉市", "香港"); an
    # alias inside it ("新乡" in "新乡县") does not name the library's place.
    listed = [m for m in _listed_places().finditer(question) if m.group() not in library.aliases]
    named = [(pos, region) for pos, region in named if not any(m.start() <= pos < m.end() for m in listed)]
    # "郑州市惠济区": the district is meant, its city written right before it only locates it.
    located = {i for i, (pos, region) in enumerate(named[:-1])
               if library.parents.get(named[i + 1][1]) == region
               and question[pos:named[i + 1][0]].rstrip("市") in (region, region[:-1])}
    regions = [region for i, (_, region) in enumerate(named) if i not in located]
    # Other places: words segmented as place names ("ns") that end as a 市/区/县 government does.
    add_words(library.aliases)
    unknown = [w.word for w in pseg.cut(question)
               if w.flag == "ns" and len(w.word) >= 3 and w.word.endswith(("市", "区", "县"))
               and w.word not in library.aliases and not w.word.endswith(tuple(not_places()))]
    unknown += [m.group() for m in listed if not any(m.group() in u for u in unknown)]
    # "成都2024年…": a city or county named without its 市/县.
    unknown += [p for p in short_places_named(question) if p not in library.aliases
                and short_place_names()[p] not in library.aliases and not any(p in u for u in unknown)]
    unknown += [a for a in _new_areas(question, library) if not any(a in u or u in a for u in unknown)]
    # A district or county written right after a known city ("新乡市红旗区"), which jieba may not know.
    for alias in library.aliases:
        region = library.aliases[alias]
        if region.endswith(("区", "县")) and not region.endswith("自治区"):
            continue  # a district or county holds no district: "亭湖区在禁放区" names no place after it
        for m in re.finditer(rf"{re.escape(alias)}市?([\u4e00-\u9fff]{{2,3}}?[区县])", question):
            name = m.group(1)
            joined = re.search(r"[和与及或、，,]", name) or any(name.endswith(a) for a in library.aliases)
            if not joined and not name.endswith(tuple(not_places())) and not any(name in u for u in unknown):
                unknown.append(name)
    if unknown:
        regions = [r for r in regions if not any(u and library.parents.get(u) == r for u in unknown)]
        # "江苏2024年报告里提到的上海，…": the place whose report is cited only frames the place asked about.
        regions = [r for r in regions if not any(_frames(question, alias, u) for u in unknown
                                                 for alias, region in library.aliases.items() if region == r)]
        # A named place the library lacks outranks its parent city: "郑州市中原区" is not "郑州市".
        regions = [r for r in regions if not any(f"{r}{u}" in question or f"{r[:-1]}{u}" in question for u in unknown)]
    if not regions and not unknown and library.national and (
            _national_scope(question) or any(name in question for name in national_phrases("report"))):
        regions = [NATIONAL]
    elif regions and not unknown and library.national and (at := _country_beside(question)) is not None:
        # A local place set against the country: both are asked, in the order the question names them.
        positions = {region: pos for pos, region in reversed(named)}
        regions = sorted([*regions, NATIONAL], key=lambda r: at if r == NATIONAL else positions.get(r, 0))
    report_years = [int(m.group(1)) for m in _REPORT_OF_YEAR.finditer(question)]
    # "2022年和2023年国务院报告": each year listed before the report's name is a report's year.
    report_years += [int(m.group(1)) for m in _LISTED_BEFORE_REPORT.finditer(question)]
    return QueryConstraints(regions=_ordered_unique(regions), unknown_places=_ordered_unique(unknown),
                            years=_ordered_unique(list(years_named(question))), report_years=_ordered_unique(report_years))
