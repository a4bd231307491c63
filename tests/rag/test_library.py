"""The library listing: filters by place (or the province a place belongs to) and year, search, sort, pages."""
from __future__ import annotations

from rag.library import LibraryQuery, list_library, matches, sort_documents
from vectorstore.records import StoredDocument


def _doc(name: str, region: str | None, year: int | None, parent: str | None = None,
         title: str | None = None, added: str = "2026-01-01T00:00:00+00:00") -> StoredDocument:
    return StoredDocument(doc_id=name, name=name, title=title or f"{region or ''}{year or ''}年政府工作报告",
                          headline="", source_format="txt", n_chunks=3, n_chars=100, added_at=added,
                          region=region, parent_region=parent, year=year)


LIBRARY = [
    _doc("hz21.txt", "杭州市", 2021, "浙江省"),
    _doc("hz23.txt", "杭州市", 2023, "浙江省"),
    _doc("nb22.txt", "宁波市", 2022, "浙江省", added="2026-03-01T00:00:00+00:00"),
    _doc("zj23.txt", "浙江省", 2023),
    _doc("bj22.txt", "北京市", 2022),
    _doc("cd23.txt", "成都市", 2023),
    _doc("unknown.txt", None, None, title="某报告（无题）"),
]


def _names(query: LibraryQuery) -> list[str]:
    return [d.name for d in list_library(LIBRARY, query).documents]


def test_places_sort_in_pinyin_order_newest_year_first_and_unknown_last() -> None:
    assert _names(LibraryQuery()) == ["bj22.txt", "cd23.txt", "hz23.txt", "hz21.txt", "nb22.txt", "zj23.txt",
                                      "unknown.txt"]
    descending = _names(LibraryQuery(descending=True))
    assert descending[:3] == ["zj23.txt", "nb22.txt", "hz23.txt"] and descending[-1] == "unknown.txt"


def test_years_sort_newest_first_with_places_in_order_within_a_year() -> None:
    query = LibraryQuery().sorted_by("year")
    assert query.descending and _names(query) == ["cd23.txt", "hz23.txt", "zj23.txt", "bj22.txt", "nb22.txt",
                                                  "hz21.txt", "unknown.txt"]
    assert _names(query.sorted_by("year"))[:2] == ["hz21.txt", "bj22.txt"]
    assert _names(LibraryQuery().sorted_by("added"))[0] == "nb22.txt"


def test_a_place_filter_keeps_the_places_within_it() -> None:
    assert _names(LibraryQuery(places=("杭州市",))) == ["hz23.txt", "hz21.txt"]
    assert set(_names(LibraryQuery(places=("浙江省",)))) == {"hz21.txt", "hz23.txt", "nb22.txt", "zj23.txt"}
    assert _names(LibraryQuery(places=("浙江省",), years=(2023,))) == ["hz23.txt", "zj23.txt"]


def test_search_reads_every_word_in_title_file_name_or_place_in_any_width() -> None:
    assert _names(LibraryQuery(search="杭州 2021")) == ["hz21.txt"]
    assert _names(LibraryQuery(search="ＮＢ22")) == ["nb22.txt"], "full-width letters and case do not matter"
    assert _names(LibraryQuery(search="无题")) == ["unknown.txt"]
    assert not matches(LIBRARY[0], LibraryQuery(search="杭州 2022"))


def test_pages_of_a_large_library_and_a_page_past_the_end() -> None:
    library = [_doc(f"r{i:03d}.txt", f"地{i % 9}市", 1990 + i % 35) for i in range(130)]
    first = list_library(library, LibraryQuery(page_size=25))
    assert (first.matched, first.total, first.pages, len(first.documents), first.first) == (130, 130, 6, 25, 1)
    last = list_library(library, LibraryQuery(page_size=25, page=99))
    assert last.page == 6 and last.query.page == 6 and len(last.documents) == 5 and last.first == 126
    seen = [d.name for p in range(1, 7) for d in list_library(library, LibraryQuery(page=p)).documents]
    assert sorted(seen) == sorted(d.name for d in library), "every report on exactly one page"
    none = list_library(library, LibraryQuery(search="没有这个"))
    assert (none.matched, none.pages, none.page, none.first) == (0, 1, 1, 0)


def test_sorting_by_an_unknown_key_keeps_the_query() -> None:
    query = LibraryQuery(sort="year")
    assert query.sorted_by("size") is query
    assert [d.name for d in sort_documents(LIBRARY, "title")][0] == "bj22.txt"
