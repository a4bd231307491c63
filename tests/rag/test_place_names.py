"""Places a question names by a short name ("成都2024年…") and areas of their own ("苏州工业园区"): read
only where a place stands, so an ordinary word that is also a place's short name names no place."""
from __future__ import annotations

import pytest

from rag.constraints import Library, parse_constraints
from rag.place_names import short_places_named
from vectorstore.records import StoredDocument


def _doc(name: str, region: str, parent: str | None, year: int) -> StoredDocument:
    return StoredDocument(doc_id=name, name=name, title=f"{region}{year}年政府工作报告", headline="政府工作报告",
                          source_format="txt", n_chunks=1, n_chars=1, added_at="2024-01-01T00:00:00+00:00",
                          region=region, parent_region=parent, year=year)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.from_documents([_doc("a.txt", "吉林省", None, 2025), _doc("b.txt", "全国", None, 2025)])


@pytest.mark.parametrize("question, places", [
    ("成都2024年地区生产总值是多少？", ["成都"]),
    ("洛阳的粮食产量是多少？", ["洛阳"]),
    ("嘉兴和绵阳2023年谁的研发投入强度更高？", ["嘉兴", "绵阳"]),
    ("兰考“十四五”时期要建多少公里农村公路？", ["兰考"]),
    ("2023年报告里成都举办了什么国际赛事？", ["成都"]),
    ("报告里提到的许昌，2020年GDP增长多少？", ["许昌"]),  # 许昌市 and 许昌县: the city's name
])
def test_a_city_or_county_named_without_its_suffix_is_a_place(question: str, places: list[str]):
    assert short_places_named(question) == places


@pytest.mark.parametrize("question", [
    "如何实现长治久安？",
    "报告如何祝愿人民幸福安康？",
    "加强区域合作有哪些举措？",
    "新乡报告里要开工建设的那个平原校区，是哪所学校的？",
])
def test_an_ordinary_word_that_is_also_a_short_name_names_no_place(question: str):
    assert short_places_named(question) == []


@pytest.mark.parametrize("question, unknown", [
    ("成都2024年地区生产总值是多少？", ("成都",)),
    ("苏州工业园区2024年GDP是多少？", ("苏州工业园区",)),
    ("航空港区2023年进出口总额是多少？", ("航空港区",)),
    ("雄安新区2025年地区生产总值增长目标是多少？", ("雄安新区",)),
])
def test_a_place_the_library_lacks_is_kept_to_refuse_by_name(library, question: str, unknown: tuple[str, ...]):
    constraints = parse_constraints(question, library)
    assert constraints.unknown_places == unknown and constraints.regions == ()


def test_a_library_place_by_its_short_name_is_its_region_not_an_unknown_place(library):
    constraints = parse_constraints("吉林2025年粮食产量目标是多少？", library)
    assert constraints.regions == ("吉林省",) and constraints.unknown_places == ()


def test_cities_named_in_a_national_report_are_read_as_places():
    from tests.conftest import CORPUS_NATIONAL

    text = (CORPUS_NATIONAL / "1956_国务院.txt").read_text(encoding="utf-8")
    assert "兰州" in text
    assert short_places_named("1956年的报告说，兰州到新疆的铁路要铺轨多少公里？") == ["兰州"]
