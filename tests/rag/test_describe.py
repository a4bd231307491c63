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


@pytest.mark.parametrize("heading", ["一、过去一年工作回顾", "一、去年工作回顾", "一、过去五年工作回顾"])
def test_a_review_heading_that_names_no_year_is_about_the_year_before_the_report(heading):
    sections = find_sections(f"{heading}\n粮食总产量853.2亿斤。\n二、今年工作安排\n粮食产量稳定。", 2025)
    assert [(s.title, s.period_year) for s in sections] == [(heading, 2024), ("二、今年工作安排", 2025)]


def test_a_review_heading_of_a_report_of_unknown_year_stays_unknown():
    assert find_sections("一、过去一年工作回顾\n甲。", None)[0].period_year is None


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


# --- made-up documents: provinces, the State Council, notices, years from sessions and file names -------


@pytest.mark.parametrize("header, region", [
    ("——2025年1月20日在内蒙古自治区第十四届人民代表大会第三次会议上\n内蒙古自治区人民政府主席 王莉霞", "内蒙古自治区"),
    ("——2025年1月14日在广西壮族自治区第十四届人民代表大会第四次会议上", "广西壮族自治区"),
    ("——2025年1月在宁夏回族自治区第十三届人民代表大会第五次会议上", "宁夏回族自治区"),
    ("新疆维吾尔自治区人民政府主席 艾尔肯·吐尼亚孜\n各位代表：", "新疆维吾尔自治区"),
    ("——2025年1月22日在青海省第十四届人民代表大会第四次会议上\n青海省人民政府省长 吴晓军", "青海省"),
    ("——2024年1月在重庆市第六届人民代表大会第二次会议上", "重庆市"),
])
def test_a_provincial_report_is_described_by_the_official_name(header, region):
    meta = describe_report("r.txt", header + "\n各位代表：\n现在，我代表自治区人民政府，向大会报告工作。")
    assert meta.region == region and meta.kind == "政府工作报告"


def test_an_autonomous_region_found_by_its_most_used_name_is_never_a_made_up_district():
    body = "各位代表：\n" + "过去一年，全区上下团结奋斗，内蒙古经济稳中向好。" * 12
    assert describe_report("r.txt", body).region == "内蒙古自治区"


def test_the_state_council_speaking_makes_a_report_national_with_its_premier():
    text = "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李强\n各位代表：\n现在，我代表国务院，向大会报告政府工作。"
    meta = describe_report("x.txt", text)
    assert (meta.region, meta.year, meta.speaker, meta.title) == ("全国", 2024, "李强", "全国2024年政府工作报告")


@pytest.mark.parametrize("opening, year", [
    ("现在，我代表国务院，向第十四届全国人民代表大会第三次会议报告政府工作。", 2025),
    ("我代表国务院，向第六届全国人民代表大会第一次会议作政府工作报告，请予审议。", 1983),
    ("现在，我代表国务院，向第五届全国人民代表大会作政府工作报告。", 1978),           # no session: the first
    ("我代表国务院向第二届全国人民代表大会第三次会议作报告。", 1962),                 # 1961 had no session
    ("我們第一届全國人民代表大會第一次會議，已經光榮地完成了一件歷史性的工作。我代表中央人民政府作工作報告。", 1954),
])
def test_a_national_report_year_is_read_from_the_npc_session_it_is_delivered_at(opening, year):
    meta = describe_report("x.txt", "各位代表：\n" + opening + "\n一、过去一年的工作")
    assert (meta.region, meta.year) == ("全国", year) and "全国人民代表大会" in meta.year_basis


def test_a_session_mentioned_in_passing_is_not_the_one_the_report_is_delivered_at():
    text = "各位代表：\n从去年９月第五届全国人民代表大会第三次会议到现在，已经过去了一年。\n我代表国务院报告工作。"
    assert describe_report("1981_国务院.txt", text).year == 1981   # the file name, not 1980


@pytest.mark.parametrize("heading, year", [("一、１９９１年国内工作的回顾", 1992), ("一、一九五八年工作回顾", 1959),
                                           ("一、2023年工作回顾", 2024)])
def test_a_review_heading_of_any_century_or_width_gives_the_following_year(heading, year):
    meta = describe_report("x.txt", f"各位代表：\n现在，我代表国务院，向大会报告政府工作。\n{heading}\n过去一年……")
    assert meta.year == year and "回顾" in meta.year_basis


@pytest.mark.parametrize("name, year", [("2015_国务院.txt", 2015), ("2024/报告.txt", 2024),
                                        ("reports/1998/国务院.txt", 1998), ("a2019b.txt", None),
                                        ("001_bbc2bd414da68544.txt", None)])
def test_a_year_only_the_file_name_gives_is_labelled_as_such(name, year):
    meta = describe_report(name, "各位代表：\n现在，我代表国务院，向大会报告政府工作。")
    assert meta.year == year
    assert (meta.year_basis or "").startswith("文件名") == (year is not None)


def test_the_file_name_outweighs_a_heading_that_points_to_another_year():
    meta = describe_report("1980_国务院.txt", "各位代表：\n我受国务院的委托，提出计划安排的报告。\n二、1981年国民经济计划的任务")
    assert meta.year == 1980 and "1981" in meta.year_basis


def test_a_place_only_the_file_name_gives_is_labelled_as_such():
    meta = describe_report("1964_国务院.txt", "五年来，各族人民取得了伟大成就。")
    assert (meta.region, meta.region_basis, meta.year) == ("全国", "文件名", 1964)


@pytest.mark.parametrize("text, kind, region", [
    ("德阳市人民政府办公室关于进一步做好复工复产工作的通知\n各县（市、区）人民政府：\n现将有关事项通知如下。", "通知", "德阳市"),
    ("国家税务总局南阳市税务局\n关于延长申报期限的公告\n为做好疫情防控工作，现公告如下。", "公告", "南阳市"),
    ("四川省人民政府关于促进服务业发展的意见\n各市（州）人民政府：", "意见", "四川省"),
    ("2023年青海省国民经济和社会发展统计公报\n青海省统计局\n2024年3月", "统计公报", "青海省"),
    ("国务院办公厅关于印发新污染物治理行动方案的通知\n各省、自治区、直辖市人民政府：", "通知", "全国"),
    ("成都市“十四五”城市建设规划\n一、规划背景", "规划", "成都市"),
    ("上海市居住房屋租赁管理办法（试行）\n第一条 为了规范房屋租赁……", "办法", "上海市"),
])
def test_a_notice_is_described_by_its_kind_and_the_place_of_its_issuing_authority(text, kind, region):
    meta = describe_report("n.txt", text)
    assert (meta.kind, meta.region) == (kind, region)
    assert kind in meta.title and "政府工作报告" not in meta.title


def test_a_statistical_communique_takes_the_year_of_its_title():
    meta = describe_report("n.txt", "2023年青海省国民经济和社会发展统计公报\n青海省统计局")
    assert meta.year == 2023 and meta.year_basis.startswith("标题")


def test_a_document_of_no_recognisable_kind_or_place_stays_unknown():
    meta = describe_report("n.txt", "关于做好有关工作的几点考虑\n一是加强领导。二是压实责任。")
    assert (meta.kind, meta.region, meta.year) == (None, None, None)
    assert meta.title == "地区未知（年份未知）文件"


@pytest.mark.parametrize("word", ["城镇", "苏联", "普及"])
def test_words_jieba_tags_as_places_are_never_made_into_one(word):
    body = "各位代表：\n" + f"全市上下大力推进{word}建设，{word}发展取得新进展。" * 12
    assert describe_report("r.txt", body).region is None


@pytest.mark.parametrize("tail, region", [
    ("特此公告。\n\n国家税务总局南阳市税务局\n2023年6月20日\n", "南阳市"),
    ("特此通告。\n\n芜湖市医疗保障局\n芜湖市财政局\n国家税务总局芜湖市税务局\n2024年8月26日\n\n【打印本页】【关闭窗口】", "芜湖市"),
    ("本办法自2023年5月1日起施行。\n\n漳州市人民政府\n2023年3月31日", "漳州市"),
])
def test_a_notice_whose_title_names_no_place_takes_the_place_of_the_authority_that_signs_it(tail, region):
    # The body cites a provincial rule ("《福建省…办法》"): the signature, not the first place named, says whose it is.
    text = ("关于规范户外广告设施设置的办法\n\n第一条 根据《福建省城市市容和环境卫生管理办法》等规定，制定本办法。\n\n"
            + tail)
    assert describe_report("n.txt", text).region == region


@pytest.mark.parametrize("text, region, parent", [
    ("宝鸡市陈仓区2024年国民经济和社会发展统计公报\n\n宝鸡市陈仓区统计局\n\n一、综合\n全年全区地区生产总值380.2亿元。",
     "陈仓区", "宝鸡市"),
    ("关于划定烟花爆竹禁止燃放区域的通告\n\n为减少环境污染，现通告如下。\n\n宝鸡市渭滨区人民政府\n2024年12月20日",
     "渭滨区", "宝鸡市"),
    ("河南省郑州市人民政府关于促进消费的意见\n各区县人民政府：", "郑州市", None),
])
def test_a_city_and_its_district_written_together_give_the_district_of_that_city(text, region, parent):
    meta = describe_report("n.txt", text)
    assert (meta.region, meta.parent_region) == (region, parent)


def test_a_signature_that_names_no_place_gives_no_place():
    text = "关于做好秋冬季人居环境整治工作的通知\n\n各乡镇：现将有关事项通知如下。\n\n县人民政府办公室\n2024年10月10日"
    assert describe_report("n.txt", text).region is None


@pytest.mark.parametrize("text, year, period_year", [
    # Published in 2024, about 2023: its sections and passages are about 2023.
    ("绵阳市2023年国民经济和社会发展统计公报\n\n绵阳市统计局\n2024年3月28日\n\n一、综合\n全年地区生产总值4038.73亿元。", 2024, 2023),
    ("关于做好2025年度城乡居民基本医疗保险参保缴费工作的通告\n\n发布时间：2024年8月26日\n\n一、缴费标准", 2024, 2025),
    # Two years in the title: no single year the document is about; its own year stands.
    ("关于做好2023—2024年度森林草原防灭火工作的通知\n\n2023年10月9日\n\n一、总体要求", 2023, 2023),
    # A work report's sections are read by their own headings, from the report's year.
    ("2024年政府工作报告\n——2024年1月10日在某市第十届人民代表大会第三次会议上\n各位代表：\n一、2023年工作回顾", 2024, 2024),
])
def test_a_document_is_about_the_one_year_its_title_names(text, year, period_year):
    meta = describe_report("n.txt", text)
    assert (meta.year, meta.period_year) == (year, period_year)


def test_the_sections_of_a_communique_are_about_the_year_it_reviews():
    text = "绵阳市2023年国民经济和社会发展统计公报\n\n2024年3月28日\n\n一、综合\n全年地区生产总值4038.73亿元。\n二、农业\n粮食产量。"
    meta = describe_report("n.txt", text)
    assert {s.period_year for s in find_sections(text, meta.period_year)} == {2023}


def test_a_plan_outline_is_a_plan():
    text = "宜昌市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要（节选）\n\n第二章 主要目标"
    assert describe_report("n.txt", text).kind == "规划"
