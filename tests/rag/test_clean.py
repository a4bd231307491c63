"""Tests for rag.clean: what is not the report goes, the report's own lines stay exactly as written."""
from __future__ import annotations

import random

import pytest

from rag.clean import clean_text
from tests.conftest import REPORTS

SAMPLES = sorted(p.name for p in REPORTS.glob("*.txt"))
ZHENGZHOU_2020_NEWS = "000_4d00116238fd789a.txt"   # a newspaper web page: the report, then the page's tail
XINXIANG_EXCERPT = "002_6329ad5c93bd51e8.txt"       # page furniture: "发布时间:", "(上接第二版)"
ZHENGZHOU_2021 = "003_18bb18e33f05a5d4.txt"         # scraped: "更多数据尽在数据皮皮侠（…）" watermarks

# The web page around 000's report, line by line as the file has it (after its last report line).
WEB_TAIL_000 = ["(来源:郑州日报)", "责编:陶纪燕", "审核:李震", "总监:万军伟", "End",
                "转载请注明地址:http://www.gongyizx.com/gyshj/11760.html", "• 上一篇文章:", "• 下一篇文章: 没有了"]


def _raw(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    """The non-blank lines of a text, without trailing white space (what clean keeps of a line)."""
    return [line.rstrip() for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {name: clean_text(_raw(name)) for name in SAMPLES}


def test_the_scraped_watermark_lines_never_survive(cleaned):
    assert _raw(ZHENGZHOU_2021).count("更多数据尽在") == 3
    assert "更多数据尽在" not in cleaned[ZHENGZHOU_2021]
    assert "皮皮侠" not in cleaned[ZHENGZHOU_2021]
    assert "http" not in cleaned[ZHENGZHOU_2021]
    assert cleaned[ZHENGZHOU_2021].startswith("各位代表：\n")


def test_the_web_page_tail_after_the_report_never_survives(cleaned):
    text = cleaned[ZHENGZHOU_2020_NEWS]
    for junk in ("责编", "审核:", "总监:", "转载请注明", "上一篇", "下一篇", "http", "gongyizx", "(来源:郑州日报)", "来源"):
        assert junk not in text, junk
    assert "\nEnd" not in text and not text.endswith("End")
    assert text.endswith("树牢带头过紧日子思想,压减一般性支出15%以上。")


def test_page_furniture_lines_never_survive(cleaned):
    text = cleaned[XINXIANG_EXCERPT]
    assert "发布时间" not in text and "信息来源" not in text and "上接第二版" not in text
    assert text.startswith("政府工作报告\n深度融入郑州都市圈建设。")


@pytest.mark.parametrize("name", SAMPLES)
def test_every_line_of_the_report_survives_untouched_and_in_order(name, cleaned):
    raw_lines = _lines(_raw(name))
    dropped = {ZHENGZHOU_2021: ["更多数据尽在数据皮皮侠（http://www.ppmandata.cn/trade/list）"] * 3,
               XINXIANG_EXCERPT: ["发布时间: 信息来源:", "(上接第二版)"],
               ZHENGZHOU_2020_NEWS: WEB_TAIL_000}.get(name, [])
    expected = list(raw_lines)
    for line in dropped:
        # The tail lines carry leading spaces in the file ("  • 上一篇文章:"): compare stripped.
        index = next(i for i, raw in enumerate(expected) if raw.strip() == line)
        del expected[index]
    assert _lines(cleaned[name]) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_cleaning_only_drops_whole_lines_and_collapses_blank_lines(name, cleaned):
    text = cleaned[name]
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert "\r" not in text


@pytest.mark.parametrize("name", SAMPLES)
def test_cleaning_a_cleaned_report_changes_nothing(name, cleaned):
    assert clean_text(cleaned[name]) == cleaned[name]


def test_cleaning_is_idempotent_on_shuffled_mixtures_of_report_lines_and_junk():
    report_lines = _lines(_raw("001_bbc2bd414da68544.txt"))[:40]
    junk = ["更多数据尽在数据皮皮侠（http://www.ppmandata.cn/trade/list）", "（上接第二版）", "(下转第三版)",
            "发布时间：2024-01-30", "信息来源：惠济区政府", "http://www.example.cn/a.html", "www.example.cn",
            "责编：某某", "审核：某某", "转载请注明出处", "• 上一篇：某文", "下一篇：没有了", "(来源：郑州日报)",
            "来源：新华网", "End", "分享到：", "", "", "   ", "\t"]
    rng = random.Random(20240122)
    for _ in range(200):
        lines = rng.sample(report_lines, 8) + rng.choices(junk, k=rng.randint(0, 8))
        rng.shuffle(lines)
        raw = rng.choice(["\n", "\r\n", "\r"]).join(lines)
        once = clean_text(raw)
        assert clean_text(once) == once, raw


def test_a_source_line_inside_the_report_survives_only_the_tail_is_cut():
    raw = "各位代表：\n来源：国家统计局快报数据\n地区生产总值增长6.5%。\n来源：郑州日报\n责编：某某"
    assert clean_text(raw) == "各位代表：\n来源：国家统计局快报数据\n地区生产总值增长6.5%。"


def test_a_watermark_in_the_middle_of_the_report_is_dropped_wherever_it_stands():
    raw = "各位代表：\n更多数据尽在数据皮皮侠（http://x.cn）\n报告正文。"
    assert clean_text(raw) == "各位代表：\n报告正文。"


def test_windows_line_breaks_and_trailing_spaces_are_normalised_without_touching_the_words():
    raw = "\r\n\r\n  各位代表：  \r\n\r\n\r\n\r\n现在，我代表市人民政府向大会报告工作。\u3000\r\n"
    assert clean_text(raw) == "  各位代表：\n\n现在，我代表市人民政府向大会报告工作。"


def test_the_docstring_example_holds():
    raw = "更多数据尽在数据皮皮侠（http://x.cn）\n各位代表：\n\n\n报告正文。\n责编：某某"
    assert clean_text(raw) == "各位代表：\n\n报告正文。"


def test_a_text_of_nothing_but_junk_cleans_to_nothing():
    assert clean_text("更多数据尽在数据皮皮侠\n\n责编：某某\nEnd\n") == ""
    assert clean_text("") == ""


def test_the_sample_reports_are_all_there():
    # Guards the parametrized tests above against silently running over no files.
    assert SAMPLES == ["000_4d00116238fd789a.txt", "001_bbc2bd414da68544.txt", "002_6329ad5c93bd51e8.txt",
                       "003_18bb18e33f05a5d4.txt", "004_17e2f0721c0fe5d2.txt"]


# --- page headers, licence footers and invisible characters (made-up pages in the style of real ones) -----


def test_the_header_of_a_government_web_page_above_the_report_is_dropped():
    raw = ("您的位置：首页 > 政务公开 > 政府工作报告\n2024年政府工作报告\n来源：市政府办公室　时间：2024-01-30\n"
           "下载 打印 全屏 收藏 【字号：加大 还原 减小】\n各位代表：\n来源：国家统计局快报数据表明，经济回升向好。\n报告正文。")
    assert clean_text(raw) == "2024年政府工作报告\n各位代表：\n来源：国家统计局快报数据表明，经济回升向好。\n报告正文。"


def test_a_page_control_line_is_dropped_wherever_it_stands_but_a_line_of_words_is_kept():
    assert clean_text("各位代表：\n【字号：大 中 小】\n报告正文。\n打印 关闭") == "各位代表：\n报告正文。"
    assert clean_text("各位代表：\n大中小企业融通发展。") == "各位代表：\n大中小企业融通发展。"


def test_the_wikisource_licence_footer_and_everything_after_it_go():
    raw = ("各位代表：\n报告正文。\n\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，国家机关的决议……属于\n公有领域\n。\n"
           "注：中文维基文库社群认为……\n\n\nPublic domain\nPublic domain\nfalse\nfalse\n")
    assert clean_text(raw) == "各位代表：\n报告正文。"


def test_a_licence_sentence_far_from_the_end_is_part_of_the_document():
    raw = "各位代表：\n本作品是中华人民共和国的一部分，我们说。\n" + "报告正文。\n" * 800
    assert "本作品是中华人民共和国的" in clean_text(raw)


def test_zero_width_characters_are_removed_even_inside_numbers():
    assert clean_text("各位代表：\u200d\n增长\u200b6.5\u2060%，\ufeff达到1\u200c000亿元。") == "各位代表：\n增长6.5%，达到1000亿元。"
