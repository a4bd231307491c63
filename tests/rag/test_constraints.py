"""Tests for rag.constraints: the places and years a question names, read against the library."""
from __future__ import annotations

import pytest

from rag.constraints import Library, QueryConstraints, find_regions, parse_constraints
from vectorstore.records import StoredDocument


def _doc(name: str, region: str | None, parent: str | None, year: int | None) -> StoredDocument:
    return StoredDocument(doc_id=name, name=name, title=f"{region}{year}年政府工作报告", headline="政府工作报告",
                          source_format="txt", n_chunks=1, n_chars=1, added_at="2024-01-01T00:00:00+00:00",
                          region=region, parent_region=parent, year=year)


# The five sample reports as the library records them.
SAMPLE_DOCS = [
    _doc("000_4d00116238fd789a.txt", "郑州市", None, 2020),
    _doc("001_bbc2bd414da68544.txt", "惠济区", "郑州市", 2024),
    _doc("002_6329ad5c93bd51e8.txt", "新乡市", None, None),
    _doc("003_18bb18e33f05a5d4.txt", "郑州市", None, 2021),
    _doc("004_17e2f0721c0fe5d2.txt", "金水区", "郑州市", 2020),
]


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.from_documents(SAMPLE_DOCS)


def test_the_library_knows_each_place_by_its_full_and_its_short_name(library):
    assert library.aliases == {"郑州市": "郑州市", "郑州": "郑州市", "惠济区": "惠济区", "惠济": "惠济区",
                               "新乡市": "新乡市", "新乡": "新乡市", "金水区": "金水区", "金水": "金水区"}
    assert library.parents == {"惠济区": "郑州市", "金水区": "郑州市"}


def test_a_report_without_a_region_adds_no_alias():
    assert Library.from_documents([_doc("x.txt", None, None, 2020)]).aliases == {}


@pytest.mark.parametrize(("question", "regions"), [
    ("郑州2020年金融业增加值多少？", ("郑州市",)),
    ("郑州市2020年金融业增加值多少？", ("郑州市",)),
    ("惠济2023年商品房卖了多少面积？", ("惠济区",)),
    ("惠济区2023年商品房卖了多少面积？", ("惠济区",)),
    ("新乡这份报告对高标准农田是怎么安排的？", ("新乡市",)),
    ("金水区2019年新登记的市场主体有多少户？", ("金水区",)),
])
def test_a_short_place_name_reads_as_the_stored_region(library, question, regions):
    assert parse_constraints(question, library).regions == regions


def test_a_district_written_after_its_city_means_the_district_alone(library):
    c = parse_constraints("郑州市惠济区2023年GDP是多少？", library)
    assert c == QueryConstraints(regions=("惠济区",), unknown_places=(), years=(2023,))


def test_a_district_the_library_lacks_is_an_unknown_place_not_its_parent_city(library):
    c = parse_constraints("郑州市中原区2023年一般公共预算收入是多少？", library)
    assert c == QueryConstraints(regions=(), unknown_places=("中原区",), years=(2023,))


def test_a_place_the_library_lacks_is_unknown(library):
    assert parse_constraints("上海市2020年GDP是多少？", library).unknown_places == ("上海市",)
    assert parse_constraints("新乡市红旗区有什么安排？", library) == QueryConstraints((), ("红旗区",), ())


@pytest.mark.parametrize("question, place", [
    ("管城区2023年新增了多少家“四上”企业？", "管城区"),         # jieba reads 管 + 城区
    ("管城回族区2023年GDP是多少？", "管城回族区"),
    ("卫辉市2020年粮食产量是多少？", "卫辉市"),                  # jieba tags it a common noun
    ("牧野区的目标是什么？", "牧野区"),
])
def test_a_listed_place_jieba_does_not_know_is_unknown(library, question, place):
    assert parse_constraints(question, library).unknown_places == (place,)


def test_a_place_inside_the_name_of_a_larger_region_is_not_asked_about(library):
    c = parse_constraints("新乡深度融入郑州都市圈，提出了哪几个“同”的目标？", library)
    assert c == QueryConstraints(("新乡市",), (), ())


def test_a_county_named_like_a_library_city_is_not_that_city(library):
    assert parse_constraints("新乡县2020年GDP是多少？", library) == QueryConstraints((), ("新乡县",), (2020,))


def test_a_city_listed_beside_its_districts_is_kept(library):
    c = parse_constraints("郑州2020年、金水区2019年、惠济区2023年地区生产总值各是多少？", library)
    assert c.regions == ("郑州市", "金水区", "惠济区")
    assert c.years == (2020, 2019, 2023)
    assert c.unknown_places == ()


def test_a_city_and_its_district_joined_by_a_word_are_both_kept(library):
    assert parse_constraints("郑州市和惠济区2023年", library).regions == ("郑州市", "惠济区")
    assert parse_constraints("郑州、惠济区", library).regions == ("郑州市", "惠济区")


def test_years_are_read_in_the_order_asked_without_repeats(library):
    assert parse_constraints("2019年和2020年金水区生产总值", library).years == (2019, 2020)
    assert parse_constraints("2020年比2020年", library).years == (2020,)
    assert parse_constraints("郑州GDP是多少？", library).years == ()


def test_a_number_that_is_not_a_year_is_not_read_as_one(library):
    assert parse_constraints("郑州新建12020年", library).years == ()
    assert parse_constraints("郑州新建3019年", library).years == ()


def test_years_of_any_century_are_read(library):
    # Until issue 12 only 20xx was a year: "1990年以来" and "1998年" were not read.
    assert parse_constraints("郑州1990年以来", library).years == (1990,)
    assert parse_constraints("1998年的GDP增长目标", library).years == (1998,)


def test_a_year_is_never_read_as_part_of_a_place_name(library):
    assert parse_constraints("2019年地区生产总值是多少？", library) == QueryConstraints((), (), (2019,))
    assert parse_constraints("2023年中原区一般公共预算收入", library).unknown_places == ("中原区",)
    assert parse_constraints("2019年和2020年金水区", library).unknown_places == ()


@pytest.mark.parametrize("question", [
    "郑州地区生产总值2020年是多少？",
    "老旧小区改造安排了多少个？",
    "新乡市老旧小区和城中村（棚户区）改造各安排了多少个？",
    "郑州2020年全市GDP",
    "惠济区示范区建设",
    "哪个县级市要冲刺“千亿县”？",
    "新乡县域经济发展有什么目标？",
    "郑州老城区改造计划多少个？",
    "二七商圈和中原城市群怎么提的？",
    "全市10个县（市、区）都要做什么？",
])
def test_words_that_only_look_like_places_are_not_unknown_places(library, question):
    # An unknown place alone makes the chain refuse, so a false one turns an answerable question away.
    assert parse_constraints(question, library).unknown_places == ()


def test_a_known_place_with_words_in_front_of_it_is_not_an_unknown_place(library):
    c = parse_constraints("疫情期间金水区出台的惠企政策简称是什么？", library)
    assert c == QueryConstraints(regions=("金水区",), unknown_places=(), years=())


def test_a_province_or_new_district_without_a_report_is_an_unknown_place(library):
    # Issue 13: a named place is a place kept. "河南省" here and "郑东新区" have no report of their own;
    # the chain still answers from the passages that name them and refuses only when none does.
    c = parse_constraints("被认定为河南省3A级乡村康养旅游示范村的是哪个村？", library)
    assert c.unknown_places == ("河南省",)
    assert parse_constraints("郑东新区和航空港区有什么定位？", library).unknown_places == ("郑东新区",)


def test_an_unknown_district_is_read_without_the_words_written_before_it(library):
    c = parse_constraints("去年被评为示范的郑州市中原区一般公共预算收入是多少？", library)
    assert c.unknown_places == ("中原区",)


def test_regions_are_found_at_their_positions_longest_name_first(library):
    assert find_regions("郑州市惠济区和新乡", library) == [(0, "郑州市"), (3, "惠济区"), (7, "新乡市")]


def test_the_docstring_example_holds():
    lib = Library.from_documents([SAMPLE_DOCS[0], SAMPLE_DOCS[1]])
    assert parse_constraints("惠济区2023年商品房卖了多少面积？", lib) == QueryConstraints(
        regions=("惠济区",), unknown_places=(), years=(2023,))


def test_words_after_a_library_district_that_end_in_区_name_no_place_inside_it(library):
    c = parse_constraints("惠济区在禁放区放鞭炮会被罚多少？", library)
    assert c == QueryConstraints(regions=("惠济区",), unknown_places=(), years=())


def test_each_year_listed_before_a_reports_name_is_a_reports_year(library):
    c = parse_constraints("2022年和2023年国务院报告的城镇新增就业目标有什么不同？", library)
    assert sorted(c.report_years) == [2022, 2023]
    assert parse_constraints("2023年城镇新增就业比2022年多多少？", library).report_years == ()


def test_a_place_whose_report_mentions_another_only_frames_the_place_asked_about(library):
    c = parse_constraints("郑州2021年报告里提到的许昌，2020年地区生产总值增长了多少？", library)
    assert (c.regions, c.unknown_places) == ((), ("许昌",))
    assert parse_constraints("郑州2021年报告里提到的地区生产总值增长了多少？", library).regions == ("郑州市",)
