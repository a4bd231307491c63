"""Which library places a question names, and citations from another place (made-up and national regions)."""

from __future__ import annotations

import doctest

import eval.places
from eval.places import PlaceBook, foreign_citations, short_names

# A made-up library: a province, a city in it, a district in the city, another city, and the State Council.
BOOK = PlaceBook.from_regions([
    ("江南省", None), ("青山市", "江南省"), ("柳溪区", "青山市"), ("白沙市", "江南省"), ("全国", None),
])


def record(question: str, *regions: str | None) -> dict:
    return {"standalone_question": question, "citations": [{"n": i, "region": r} for i, r in enumerate(regions, 1)]}


def test_short_names_drop_the_administrative_suffix() -> None:
    assert short_names("青山市") == {"青山市", "青山"}
    assert short_names("内蒙古自治区") == {"内蒙古自治区", "内蒙古", "内蒙"}
    assert short_names("全国") == {"全国"}


def test_a_question_names_places_by_short_name() -> None:
    assert BOOK.named_in("青山2024年地区生产总值增长多少？") == {"青山市"}
    assert BOOK.named_in("江南和白沙谁的目标更高？") == {"江南省", "白沙市"}
    assert BOOK.named_in("2024年国内生产总值增长目标是多少？") == set()


def test_citing_another_city_is_foreign_and_a_district_of_the_named_city_is_not() -> None:
    answer = record("青山2024年地区生产总值增长多少？", "青山市", "柳溪区", "白沙市")
    assert foreign_citations(answer, "青山2024年地区生产总值增长多少？", BOOK) == ["白沙市"]


def test_a_national_report_answering_a_city_question_is_foreign() -> None:
    assert foreign_citations(record("白沙市2024年粮食产量多少？", "全国"), "白沙市2024年粮食产量多少？", BOOK) == ["全国"]


def test_a_report_whose_place_is_unknown_is_foreign_to_a_named_place() -> None:
    assert foreign_citations(record("白沙市粮食产量多少？", None), "白沙市粮食产量多少？", BOOK) == ["（地区未知）"]


def test_a_question_naming_no_library_place_is_not_checked() -> None:
    assert foreign_citations(record("台湾地区GDP增长目标是多少？", "白沙市"), "台湾地区GDP增长目标是多少？", BOOK) == []


def test_a_follow_up_is_judged_by_its_standalone_question() -> None:
    follow_up = record("那青山市2025年呢？", "白沙市")
    assert foreign_citations(follow_up, "那2025年呢？", BOOK) == ["白沙市"]


def test_a_province_named_covers_its_cities_and_their_districts() -> None:
    assert BOOK.within("柳溪区", {"江南省"}) and not BOOK.within("全国", {"江南省"})


def test_national_reports_name_the_whole_country() -> None:
    # The State Council's reports in corpus-national are described as 全国.
    book = PlaceBook.from_regions([("全国", None), ("青山市", "江南省")])
    answer = record("全国2024年赤字率是多少？", "全国", "青山市")
    assert foreign_citations(answer, "全国2024年赤字率是多少？", book) == ["青山市"]


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.places)
    assert result.attempted > 0 and result.failed == 0
