"""Every report of both corpora described right, and questions about each read to its place and year.

Fast (no model): describe over the 52 State Council reports of ../shared/corpus-national/ (the file
names give the truth) and the five samples, then the question reader against a library of them all.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from eval.library_truth import load_truth
from rag.clean import clean_text
from rag.constraints import Library, parse_constraints
from rag.describe import describe_report
from rag.gazetteer import is_known_place
from tests.conftest import CORPUS_NATIONAL, REPO, REPORTS
from vectorstore.records import StoredDocument

NATIONAL = sorted(CORPUS_NATIONAL.glob("*_国务院.txt"))
SAMPLES = sorted(REPORTS.glob("*.txt"))
# Place and year of every report of both corpora, the same truth `govqa bench` checks its ingest against.
TRUTH = load_truth()


@lru_cache(maxsize=None)
def _meta(path: Path):
    return describe_report(path.name, clean_text(path.read_text(encoding="utf-8")))


def _document(path: Path) -> StoredDocument:
    meta = _meta(path)
    return StoredDocument(doc_id=path.name, name=path.name, title=meta.title, headline=meta.headline,
                          source_format="txt", n_chunks=1, n_chars=1, added_at="2025-01-01T00:00:00+00:00",
                          region=meta.region, parent_region=meta.parent_region, year=meta.year,
                          year_basis=meta.year_basis, kind=meta.kind)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.from_documents([_document(p) for p in NATIONAL + SAMPLES])


def test_the_national_corpus_is_all_there():
    assert len(NATIONAL) == 52, "../shared/corpus-national/ holds the 52 State Council reports"
    assert {p.name for p in NATIONAL + SAMPLES} == set(TRUTH), "the truth names every report of the library"


@pytest.mark.parametrize("path", NATIONAL, ids=lambda p: p.name)
def test_each_state_council_report_is_national_with_its_file_name_year(path):
    meta = _meta(path)
    assert (meta.region, meta.year) == ("全国", int(path.name[:4])) == TRUTH[path.name]
    assert meta.year_basis and (meta.year is None) == (meta.year_basis is None)
    assert meta.title.startswith(f"全国{meta.year}年")


@pytest.mark.parametrize("path", NATIONAL + SAMPLES, ids=lambda p: p.name)
def test_no_report_is_given_an_invented_place(path):
    meta = _meta(path)
    assert meta.region == "全国" or is_known_place(meta.region), meta.region
    assert "城镇" not in (meta.region or "") and "苏联" not in (meta.region or "")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_each_sample_keeps_its_place_and_year(path):
    meta = _meta(path)
    assert (meta.region, meta.year) == TRUTH[path.name]
    assert meta.kind == "政府工作报告" and meta.title.endswith("政府工作报告")


def test_the_licence_footer_and_zero_width_characters_are_cleaned_from_every_national_report():
    for path in NATIONAL:
        text = clean_text(path.read_text(encoding="utf-8"))
        assert "公有领域" not in text and "Public domain" not in text, path.name
        assert not re.search("[\u200b-\u200d\ufeff\u2060]", text), path.name


@pytest.mark.parametrize("path", NATIONAL, ids=lambda p: p.name)
def test_questions_about_a_national_report_read_its_place_and_year(path, library):
    year = int(path.name[:4])
    for question in (f"{year}年全国GDP增长目标是多少？", f"我国{year}年粮食产量是多少？",
                     f"{year}年的国务院政府工作报告说了什么？"):
        c = parse_constraints(question, library)
        assert (c.regions, c.unknown_places, c.years) == (("全国",), (), (year,)), question
    assert parse_constraints(f"{year}年的国务院政府工作报告说了什么？", library).report_years == (year,)


@pytest.mark.parametrize("path", [p for p in SAMPLES if TRUTH[p.name][1]], ids=lambda p: p.name)
def test_questions_about_a_sample_report_read_its_place_and_year_beside_the_national_ones(path, library):
    region, year = TRUTH[path.name]
    for place in (region, region[:-1]):
        c = parse_constraints(f"{place}{year}年地区生产总值是多少？", library)
        assert (c.regions, c.unknown_places, c.years) == ((region,), (), (year,))


def test_a_ranking_frame_is_not_a_question_about_the_country(library):
    assert parse_constraints("郑州机场旅客吞吐量在全国排第几？", library).regions == ("郑州市",)
    assert parse_constraints("在全国排第几？", library).regions == ()


def test_year_ranges_and_plan_periods_read_as_their_years(library):
    assert parse_constraints("2019到2024年的赤字率分别是多少？", library).years == tuple(range(2019, 2025))
    assert parse_constraints("全国“十三五”时期GDP年均增长多少？", library).years == tuple(range(2016, 2021))
    assert parse_constraints("１９９８年國內生產總值增長多少？", library).years == (1998,)
    assert parse_constraints("一九五八年的钢产量计划是多少？", library).years == (1958,)


@pytest.mark.parametrize("question, place", [
    ("台湾地区2025年GDP增长目标是多少？", "台湾地区"),
    ("香港2024年本地生产总值增长多少？", "香港"),
    ("澳门2025年本地生产总值预计增长多少？", "澳门"),
    ("雄安新区2025年地区生产总值增长目标是多少？", "雄安新区"),
    ("浦东新区2024年GDP是多少？", "浦东新区"),
    ("郑州市郑东新区2024年的目标是什么？", "郑东新区"),
    ("内蒙古2024年哪处遗产申遗成功了？", "内蒙古"),
    ("青海省2025年GDP增长目标是多少？", "青海省"),
])
def test_a_place_without_a_report_is_named_as_unknown(question, place, library):
    c = parse_constraints(question, library)
    assert c.unknown_places == (place,) and c.regions == ()


def test_a_province_in_the_library_is_known_by_its_short_name():
    doc = StoredDocument(doc_id="x", name="x.txt", title="t", headline="h", source_format="txt", n_chunks=1,
                         n_chars=1, added_at="2025-01-01T00:00:00+00:00", region="内蒙古自治区", year=2024)
    c = parse_constraints("内蒙古2024年哪处遗产申遗成功了？", Library.from_documents([doc]))
    assert (c.regions, c.unknown_places) == (("内蒙古自治区",), ())


@pytest.mark.parametrize("question, regions", [
    ("2021年全国的GDP增长目标和郑州市的目标分别是多少？", ("全国", "郑州市")),
    ("2024年惠济区定的经济增速目标比全国高还是低？", ("惠济区", "全国")),
    ("2020年郑州的经济增速和全国比怎么样？", ("郑州市", "全国")),
])
def test_a_local_place_set_against_the_country_asks_about_both(question, regions, library):
    assert parse_constraints(question, library).regions == regions


@pytest.mark.parametrize("question", ["郑州市获评全国文明城市是哪一年？", "郑州举办了哪些全国性赛事？",
                                      "郑州建设国家中心城市的目标是什么？"])
def test_a_title_or_programme_of_the_country_is_no_second_side(question, library):
    assert parse_constraints(question, library).regions == ("郑州市",)


def test_the_work_report_named_without_a_place_is_the_state_councils(library):
    assert parse_constraints("2020年政府工作报告定的GDP增长目标是多少？", library).regions == ("全国",)
    assert parse_constraints("郑州2020年政府工作报告是谁作的？", library).regions == ("郑州市",)
    assert parse_constraints("2020年政府工作报告定的GDP增长目标是多少？",
                             Library.from_documents([_document(p) for p in SAMPLES])).regions == ()


def test_the_country_as_the_other_side_may_be_named_as_its_state(library):
    assert parse_constraints("2021年郑州的经济增长目标和国家的目标相比如何？", library).regions == ("郑州市", "全国")
