"""The library's listing: filter, search, sort and page the reports in the store.

What the app's 资料库 tab shows for a library of hundreds of reports. Pure functions over
`StoredDocument` records: no store, no model, no user interface.

Example:
    >>> from vectorstore.records import StoredDocument
    >>> documents = [StoredDocument(doc_id=f"d{y}", name=f"hz{y}.txt", title=f"杭州市{y}年政府工作报告", headline="",
    ...                             source_format="txt", n_chunks=3, n_chars=900, added_at="2026-01-01T00:00:00+00:00",
    ...                             region="杭州市", year=y) for y in range(2000, 2030)]
    >>> page = list_library(documents, LibraryQuery(places=("杭州市",), sort="year", descending=True, page=2))
    >>> page.matched, page.pages, page.first, [d.year for d in page.documents][:2]
    (30, 2, 26, [2004, 2003])
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from vectorstore.records import StoredDocument

# What a listing can be sorted by: the report's place, its year, when it was added, its title.
SORT_KEYS = ("place", "year", "added", "title")
DEFAULT_PAGE_SIZE = 25
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class LibraryQuery:
    """Which reports to list and how: filters, a search over names, the order and the page (from 1).

    `places` keeps a report whose place, or the province or city it belongs to, is one of them;
    `years` keeps a report of one of those years; `search` keeps a report whose title, file name
    or place holds every word of it (full- and half-width alike, case ignored).
    """

    places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    search: str = ""
    sort: str = "place"
    descending: bool = False
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    def sorted_by(self, key: str) -> "LibraryQuery":
        """The same query sorted by `key`: the other direction if it already was, from page 1.

        >>> q = LibraryQuery().sorted_by("year")
        >>> (q.sort, q.descending), (q.sorted_by("year").sort, q.sorted_by("year").descending)
        (('year', True), ('year', False))
        """
        if key not in SORT_KEYS:
            return self
        if key == self.sort:
            return replace(self, descending=not self.descending, page=1)
        # Newest first is what one wants first of years and of additions; A to Z of names.
        return replace(self, sort=key, descending=key in ("year", "added"), page=1)


@dataclass(frozen=True)
class LibraryPage:
    """One page of the listing: its reports, how many matched, the library's size, and where it is."""

    documents: tuple[StoredDocument, ...]
    matched: int
    total: int
    page: int
    pages: int
    query: LibraryQuery

    @property
    def first(self) -> int:
        """The position (from 1) of this page's first report among those that matched (0 when none)."""
        return (self.page - 1) * self.query.page_size + 1 if self.documents else 0


def _folded(text: str) -> str:
    """Text as compared by search: NFKC (full-width → half-width), case folded, no white space."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def matches(document: StoredDocument, query: LibraryQuery) -> bool:
    """Whether `document` passes the query's place and year filters and its search words."""
    if query.places and not ({document.region, document.parent_region} & set(query.places)):
        return False
    if query.years and document.year not in query.years:
        return False
    words = [_folded(w) for w in query.search.split()]
    haystack = _folded(" ".join(filter(None, (document.title, document.name, document.region))))
    return all(w in haystack for w in words)


def _pinyin_order(text: str | None) -> bytes:
    # GB18030 orders the 3,755 common characters by pinyin, as readers expect a list of places to be
    # (a polyphone by one reading only: 重庆 files under zhòng).
    return (text or "").encode("gb18030", errors="replace")


# The primary key of each order; `sort_documents` puts unknown places and years last.
_ORDER: dict[str, Callable[[StoredDocument], Any]] = {
    "place": lambda d: _pinyin_order(d.region),
    "year": lambda d: d.year or 0,
    "added": lambda d: d.added_at,
    "title": lambda d: _pinyin_order(d.title),
}


def sort_documents(documents: Sequence[StoredDocument], key: str = "place",
                   descending: bool = False) -> list[StoredDocument]:
    """`documents` in the order of `key` (one of SORT_KEYS); unknown places and years go last either way.

    Ties are broken the same way whatever the direction: by place, then newest year, then title.
    """
    ties = sorted(documents, key=lambda d: (d.region is None, _pinyin_order(d.region), -(d.year or 0),
                                            _pinyin_order(d.title)))

    def unknown(d: StoredDocument) -> bool:
        return (key == "place" and d.region is None) or (key == "year" and d.year is None)

    known = [d for d in ties if not unknown(d)]
    # sorted() is stable in both directions: equal keys keep the order of the ties.
    return sorted(known, key=_ORDER.get(key, _ORDER["place"]), reverse=descending) + [d for d in ties if unknown(d)]


def list_library(documents: Sequence[StoredDocument], query: LibraryQuery = LibraryQuery()) -> LibraryPage:
    """The page of the library `query` asks for; a page past the end shows the last page."""
    kept = [d for d in documents if matches(d, query)]
    ordered = sort_documents(kept, query.sort, query.descending)
    size = max(1, query.page_size)
    pages = max(1, math.ceil(len(ordered) / size))
    page = min(max(1, query.page), pages)
    return LibraryPage(documents=tuple(ordered[(page - 1) * size:page * size]), matched=len(ordered),
                       total=len(documents), page=page, pages=pages, query=replace(query, page=page))
