"""Tests for rag.describe: region, year, date and speaker of each sample report, and its section headings."""
from __future__ import annotations

from functools import lru_cache

import pytest

from rag.clean import clean_text
from rag.describe import describe_report, find_sections
from tests.conftest import REPORTS

# name -> (region, parent region, year, date, speaker), as the reports state them.
EXPECTED = {
    "000_4d00116238fd789a.txt": ("郑州市", None, 2020, None, "王新伟"),     # news story; "5月14日", no year digits
    "001_bbc2bd414da68544.txt": ("惠济区", "郑州市", 2024, "2024-01-22", "李伟光"),
    "002_6329ad5c93bd51e8.txt": ("新乡市", None, None, None, None),        # an excerpt: no year anywhere
    "003_18bb18e33f05a5d4.txt": ("郑州市", None, 2021, None, None),
    "004_17e2f0721c0fe5d2.txt": ("金水区", "郑州市", 2020, "2020-05-24", "魏东"),
}


@lru_cache(maxsize=None)
def _text(name: str) -> str:
    return clean_text((REPORTS / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _meta(name: str):
    return describe_report(name, _text(name))


@pytest.fixture(scope="module")
def metas():
    return {name: _meta(name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_report_is_described_with_its_region_year_date_and_speaker(name, metas):
    meta = metas[name]
    assert (meta.region, meta.parent_region, meta.year, meta.date, meta.speaker) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_report_year_always_says_how_it_was_found(name, metas):
    meta = metas[name]
    assert (meta.year is None) == (meta.year_basis is None)
    if meta.date:
        assert meta.year == int(meta.date[:4]) and meta.year_basis == "报告日期"


def test_the_xinxiang_excerpt_has_no_year_and_its_title_says_so(metas):
    meta = metas["002_6329ad5c93bd51e8.txt"]
    assert meta.year is None and meta.year_basis is None and meta.date is None
    assert meta.title == "新乡市（年份未知）政府工作报告"


def test_a_year_inferred_from_the_five_year_plan_is_marked_as_an_inference(metas):
    # 000 writes "年是全面建成小康社会和“十三五”规划收官之年" (the digits were lost in scraping).
    meta = metas["000_4d00116238fd789a.txt"]
    assert meta.year == 2020 and "推断" in meta.year_basis and "十三五" in meta.year_basis


def test_a_year_read_from_the_plan_heading_names_that_heading(metas):
    meta = metas["003_18bb18e33f05a5d4.txt"]
    assert meta.year == 2021 and "2021年重点工作" in meta.year_basis


def test_titles_name_region_and_year(metas):
    assert metas["001_bbc2bd414da68544.txt"].title == "惠济区2024年政府工作报告"
    assert metas["003_18bb18e33f05a5d4.txt"].title == "郑州市2021年政府工作报告"


def test_the_docstring_example_holds():
    meta = describe_report("r.txt", "——2024年1月22日在郑州市惠济区第四届人民代表大会\n惠济区人民政府区长 李伟光\n一、2023年工作回顾")
    assert (meta.region, meta.parent_region, meta.year, meta.speaker) == ("惠济区", "郑州市", 2024, "李伟光")


def test_a_text_that_names_no_place_and_no_year_stays_unknown():
    meta = describe_report("x.txt", "各位代表：\n现在，我代表人民政府向大会报告工作。\n我们要扎实做好各项工作。")
    assert (meta.region, meta.year, meta.year_basis, meta.date, meta.speaker) == (None, None, None, None, None)
    assert meta.title == "地区未知（年份未知）政府工作报告"


def test_a_review_heading_without_a_report_date_gives_the_following_year():
    meta = describe_report("x.txt", "各位代表：\n一、2022年工作回顾\n过去一年，我们……")
    assert meta.year == 2023 and "回顾上一年" in meta.year_basis


# --- sections -----------------------------------------------------------------------------


def _sections(name: str):
    return _text(name), find_sections(_text(name), _meta(name).year)


def test_top_level_headings_of_the_huiji_report_with_the_year_each_is_about():
    text, sections = _sections("001_bbc2bd414da68544.txt")
    top = [(s.title, s.period_year) for s in sections if s.level == 1]
    assert top == [("一、2023年工作回顾", 2023), ("二、2024年政府工作总体要求和主要预期目标", 2024),
                   ("三、2024年工作重点", 2024), ("四、加强政府自身建设", 2024)]


def test_a_review_section_is_about_the_year_it_reviews_not_the_report_year():
    _, sections = _sections("004_17e2f0721c0fe5d2.txt")
    review = next(s for s in sections if s.level == 1 and "回顾" in s.title)
    assert review.title == "一、2019年以来工作回顾" and review.period_year == 2019
    _, sections = _sections("003_18bb18e33f05a5d4.txt")
    review = next(s for s in sections if s.level == 1 and "回顾" in s.title)
    assert review.period_year == 2020


def test_a_top_level_heading_without_a_year_is_about_the_report_year():
    _, sections = _sections("003_18bb18e33f05a5d4.txt")
    plan = next(s for s in sections if s.title.startswith("二、"))
    assert plan.title == "二、“十四五”时期指导思想和重点任务" and plan.period_year == 2021


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sub_sections_lie_inside_their_top_level_section_and_share_its_year(name):
    text, sections = _sections(name)
    for s in sections:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:].startswith(s.title[:8])
        assert s.path[-1] == s.title and len(s.path) <= s.level
        if s.level > 1:
            parent = [p for p in sections if p.level == 1 and p.start <= s.start < p.end]
            if parent:
                assert s.end <= parent[0].end and s.period_year == parent[0].period_year
                assert s.path[0] == parent[0].title


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sections_come_in_text_order_and_top_level_sections_do_not_overlap(name):
    _, sections = _sections(name)
    assert [s.start for s in sections] == sorted(s.start for s in sections)
    top = [s for s in sections if s.level == 1]
    assert all(a.end <= b.start for a, b in zip(top, top[1:]))


def test_second_level_headings_sit_under_their_top_level_heading_in_the_path():
    _, sections = _sections("001_bbc2bd414da68544.txt")
    sub = next(s for s in sections if s.title.startswith("(七)在安全稳定上聚力攻坚"))
    assert sub.level == 2 and sub.path == ("三、2024年工作重点", sub.title) and sub.period_year == 2024


def test_a_keyword_line_of_the_news_story_is_a_second_level_heading():
    _, sections = _sections("000_4d00116238fd789a.txt")
    titles = [s.title for s in sections if s.level == 2]
    assert "关键词建设廉洁政府" in titles


def test_a_long_numbered_paragraph_is_not_taken_for_a_heading():
    text = "一、2024年工作重点\n1.坚持稳中求进工作总基调，" + "统筹推进各项工作，" * 10 + "确保完成全年目标任务。\n"
    sections = find_sections(text, 2024)
    assert [s.level for s in sections] == [1]
