"""The 指标 tab end to end in headless Chromium against a real `govqa serve` over the sample reports:
filter to one indicator, see its chart, export it, open a row's sentence with the figure highlighted."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.ui.browser_steps import assert_clean, open_app, pick, shot, tab
from tests.ui.harness import Server, Traffic

pytestmark = pytest.mark.slow


def cell(page, text: str):
    """The visible table cell showing `text` (the table also keeps hidden copies of its cells for layout)."""
    return page.locator("#gq-fact-table").get_by_text(text, exact=True).locator("visible=true").first


def shown_rows(page) -> list[str]:
    """The rows the table shows, each as its cells' text (every row ends with its report's file name)."""
    body = page.inner_text("#gq-fact-table").split("\n报告\n", 1)[1]
    return [row.strip() for row in body.split(".txt") if row.strip()]


def test_filter_to_one_indicator_chart_it_and_open_a_row_highlighted(page, server: Server, traffic: Traffic,
                                                                      screenshots: Path) -> None:
    open_app(page, server)
    tab(page, "指标")
    cell(page, "6.5%左右").wait_for()  # the library's facts fill the table when the tab opens
    assert page.locator("#gq-fact-chart img").count() == 0, "no chart before an indicator is chosen"

    pick(page, "gq-fact-place", "郑州市")
    page.click("#gq-fact-indicator textarea")
    page.keyboard.type("生产总值")
    page.keyboard.press("Enter")
    page.locator("#gq-fact-chart img").wait_for(timeout=90_000)  # the server's first chart loads matplotlib
    cell(page, "7.5%以上").wait_for()
    rows = shown_rows(page)
    assert len(rows) >= 2 and all(row.startswith("郑州市") for row in rows), rows
    assert cell(page, "6.5%左右").is_visible(), "郑州's 2020 target is shown beside its 2021 target"
    shot(page, screenshots, "19_figures_chart", full_page=True)

    with page.expect_download() as download:
        page.click("#gq-fact-csv")
    with Path(download.value.path()).open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["地区", "报告年份", "所指年份", "指标", "数值"]
    assert {row[0] for row in rows[1:]} == {"郑州市"} and ["郑州市", "2021", "2021", "地区生产总值", "7.5%以上"] in [
        row[:5] for row in rows]

    cell(page, "7.5%以上").click()
    page.wait_for_function("() => document.querySelector('#gq-fact-source mark')?.innerText === '7.5%以上'")
    assert "郑州市2021年政府工作报告" in page.inner_text("#gq-fact-source .gq-src-title")
    assert "地区生产总值增长7.5%以上" in page.inner_text("#gq-fact-source .gq-passage")
    page.wait_for_timeout(500)  # the pane scrolls to the sentence
    assert page.locator("#gq-fact-source mark").is_visible()
    shot(page, screenshots, "20_figures_source")
    assert_clean(traffic)
